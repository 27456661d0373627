#include "sfs/ui/main_window.h"

#include "about_dialog.h"
#include "sfs/build_config.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/render/take_export.h"
#include "sfs/ui/recent_files.h"
#if SFS_WITH_MEDIA
#include "export_dialog.h"
#include "sfs/core/render/provenance.h"
#endif

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUndoStack>
#include <QUuid>
#include <QtConcurrent>

namespace sfs::ui {

namespace {
QLabel* makeArea(const QString& objectName, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setAlignment(Qt::AlignCenter);
    label->setMinimumSize(160, 90);
    return label;
}

const char* const kAutosaveKey = "autosave/intervalSeconds";
const char* const kFolderKey = "projects/lastFolder";

// Waits for `future` while the event loop keeps running, so the window repaints and stays
// responsive (its file actions are disabled meanwhile).
template <typename T>
T waitResponsive(QFuture<T> future) {
    QFutureWatcher<T> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<T>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    if (!future.isFinished()) {
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    return future.result();
}

struct OpenResult {
    bool ok = false;
    core::LoadedProject loaded;
    core::FileError error;
};

#if SFS_WITH_MEDIA
struct OpenExportResult {
    bool ok = false;
    core::OpenedExport opened;
    core::FileError error;
};
#endif

// True for the files File > Open reads as exports rather than project files.
bool isExportFile(const QString& path) {
#if SFS_WITH_MEDIA
    return QFileInfo(path).suffix() != QLatin1String(core::kProjectSuffix) &&
           core::isExportedProjectPath(path);
#else
    Q_UNUSED(path);
    return false;
#endif
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("mainWindow"));
    m_document = new core::ProjectDocument(this);
    m_autosaver = new core::Autosaver(m_document, core::Autosaver::defaultRecoveryDir(), this);
    m_autosaver->setIntervalSeconds(
        QSettings()
            .value(QString::fromLatin1(kAutosaveKey), core::Autosaver::kDefaultIntervalSeconds)
            .toInt());
    m_recentFiles = new RecentFiles(this);

    auto* preview = makeArea(QStringLiteral("previewArea"), this);
    preview->setStyleSheet(QStringLiteral("background:#101018; color:#8088a0;"));
    setCentralWidget(preview);

    createActions();
    createMenus();
    createDocks();
    retranslate();
    rebuildRecentMenu();
    connect(m_recentFiles, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
    connect(m_document, &core::ProjectDocument::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_document, &core::ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &core::ProjectDocument::documentReset, this, &MainWindow::updateTitle);
    connect(m_autosaver, &core::Autosaver::autosaveFailed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    connect(m_document, &core::ProjectDocument::takesChanged, this,
            &MainWindow::updateExportAction);
    connect(m_document, &core::ProjectDocument::documentReset, this,
            &MainWindow::updateExportAction);
    updateExportAction();

    // Which model the project renders with, always in view: the demo model is untrained.
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    statusBar()->addPermanentWidget(m_modelLabel);
    connect(m_document, &core::ProjectDocument::settingsChanged, this,
            &MainWindow::updateModelLabel);
    connect(m_document, &core::ProjectDocument::documentReset, this,
            &MainWindow::updateModelLabel);
    updateModelLabel();

    resize(1280, 800);
    restoreWindowState();
}

MainWindow::~MainWindow() {
    // A running export holds a copy of the project; let it stop before the window goes.
    if (m_exportWatcher != nullptr && m_exportWatcher->isRunning()) {
        m_exportCancel->store(true);
        m_exportWatcher->waitForFinished();
    }
}

QUndoStack* MainWindow::undoStack() const {
    return m_document->undoStack();
}

QStringList MainWindow::actionNames() {
    return {QStringLiteral("actionNew"),
            QStringLiteral("actionOpen"),
            QStringLiteral("actionSave"),
            QStringLiteral("actionSaveAs"),
            QStringLiteral("actionExport"),
            QStringLiteral("actionQuit"),
            QStringLiteral("actionUndo"),
            QStringLiteral("actionRedo"),
            QStringLiteral("actionGenerate"),
            QStringLiteral("actionStop"),
            QStringLiteral("actionAbout"),
            QStringLiteral("actionAboutQt"),
            QStringLiteral("actionToggleTimeline"),
            QStringLiteral("actionToggleInspector")};
}

void MainWindow::createActions() {
    auto make = [this](const char* name, QKeySequence::StandardKey key) {
        auto* a = new QAction(this);
        a->setObjectName(QString::fromLatin1(name));
        if (key != QKeySequence::UnknownKey) {
            a->setShortcuts(key);
        }
        return a;
    };
    m_newAction = make("actionNew", QKeySequence::New);
    m_openAction = make("actionOpen", QKeySequence::Open);
    m_saveAction = make("actionSave", QKeySequence::Save);
    m_saveAsAction = make("actionSaveAs", QKeySequence::SaveAs);
    m_exportAction = make("actionExport", QKeySequence::UnknownKey);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_quitAction = make("actionQuit", QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    connect(m_newAction, &QAction::triggered, this, &MainWindow::newProject);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openProject);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::saveProject);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveProjectAs);

    m_undoAction = undoStack()->createUndoAction(this);
    m_undoAction->setObjectName(QStringLiteral("actionUndo"));
    m_undoAction->setShortcuts(QKeySequence::Undo);
    m_redoAction = undoStack()->createRedoAction(this);
    m_redoAction->setObjectName(QStringLiteral("actionRedo"));
    m_redoAction->setShortcuts(QKeySequence::Redo);

    m_generateAction = make("actionGenerate", QKeySequence::UnknownKey);
    m_generateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stopAction = make("actionStop", QKeySequence::UnknownKey);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    // Stop is only meaningful while a generation runs.
    m_stopAction->setEnabled(false);
    // Generation stays disabled until an engine is attached; export needs a take.
    m_generateAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportTake);

    m_aboutAction = make("actionAbout", QKeySequence::UnknownKey);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    m_aboutQtAction = make("actionAboutQt", QKeySequence::UnknownKey);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    m_clearRecentAction = make("actionClearRecent", QKeySequence::UnknownKey);
    connect(m_clearRecentAction, &QAction::triggered, m_recentFiles, &RecentFiles::clear);
}

void MainWindow::createMenus() {
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("menuFile"));
    m_fileMenu->addAction(m_newAction);
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("menuOpenRecent"));
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_saveAsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->setObjectName(QStringLiteral("menuEdit"));
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("menuView"));

    m_generateMenu = menuBar()->addMenu(QString());
    m_generateMenu->setObjectName(QStringLiteral("menuGenerate"));
    m_generateMenu->addAction(m_generateAction);
    m_generateMenu->addAction(m_stopAction);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
    m_helpMenu->addAction(m_aboutAction);
    m_helpMenu->addAction(m_aboutQtAction);
}

void MainWindow::createDocks() {
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_timelineDock = new QDockWidget(this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(makeArea(QStringLiteral("timelineArea"), m_timelineDock));
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);

    m_inspectorDock = new QDockWidget(this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(makeArea(QStringLiteral("inspectorArea"), m_inspectorDock));
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    QAction* toggleTimeline = m_timelineDock->toggleViewAction();
    toggleTimeline->setObjectName(QStringLiteral("actionToggleTimeline"));
    toggleTimeline->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction* toggleInspector = m_inspectorDock->toggleViewAction();
    toggleInspector->setObjectName(QStringLiteral("actionToggleInspector"));
    toggleInspector->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_viewMenu->addAction(toggleTimeline);
    m_viewMenu->addAction(toggleInspector);
}

void MainWindow::updateTitle() {
    //: Window title: the project's name, the modified marker, the application.
    setWindowTitle(tr("%1[*] — sfstudio").arg(m_document->displayName()));
}

void MainWindow::updateModelLabel() {
    if (m_modelLabel == nullptr) {
        return;
    }
    const core::RenderSettings& settings = m_document->project().settings;
    if (settings.usesDemoModel()) {
        m_modelLabel->setText(tr("Model: built-in demo (untrained)"));
        m_modelLabel->setToolTip(tr("The built-in demo model has seeded random weights: it "
                                    "generates noise, not video. Choose a model folder in the "
                                    "render settings for real results."));
        m_modelLabel->setStyleSheet(QStringLiteral("color:#c06000; font-weight:bold;"));
    } else {
        m_modelLabel->setText(tr("Model: %1").arg(QDir(settings.modelFolder).dirName()));
        m_modelLabel->setToolTip(settings.modelFolder);
        m_modelLabel->setStyleSheet(QString());
    }
}

void MainWindow::retranslate() {
    updateModelLabel();
    updateTitle();
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_generateMenu->setTitle(tr("&Generate"));
    m_helpMenu->setTitle(tr("&Help"));

    m_newAction->setText(tr("&New Project"));
    m_newAction->setStatusTip(tr("Start a new storyboard"));
    m_openAction->setText(tr("&Open…"));
    m_openAction->setStatusTip(tr("Open a project or an exported clip"));
    m_saveAction->setText(tr("&Save"));
    m_saveAsAction->setText(tr("Save &As…"));
    m_exportAction->setText(tr("&Export…"));
    m_exportAction->setStatusTip(tr("Export a take as MP4 or an image sequence"));
    m_quitAction->setText(tr("&Quit"));
    m_undoAction->setText(tr("&Undo"));
    m_redoAction->setText(tr("&Redo"));
    m_generateAction->setText(tr("&Generate"));
    m_generateAction->setStatusTip(tr("Generate the timeline with the model"));
    m_stopAction->setText(tr("&Stop"));
    m_stopAction->setStatusTip(tr("Stop the running generation after the current step"));
    m_aboutAction->setText(tr("&About sfstudio"));
    m_aboutQtAction->setText(tr("About &Qt"));
    m_clearRecentAction->setText(tr("&Clear Menu"));

    m_timelineDock->setWindowTitle(tr("Timeline"));
    m_inspectorDock->setWindowTitle(tr("Inspector"));
    if (auto* area = findChild<QLabel*>(QStringLiteral("previewArea"))) {
        area->setText(tr("Preview"));
    }
    if (auto* area = findChild<QLabel*>(QStringLiteral("timelineArea"))) {
        area->setText(tr("Timeline"));
    }
    if (auto* area = findChild<QLabel*>(QStringLiteral("inspectorArea"))) {
        area->setText(tr("Inspector"));
    }
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    if (m_recentMenu == nullptr) {
        return;
    }
    m_recentMenu->clear();
    const QStringList files = m_recentFiles->files();
    int index = 1;
    for (const QString& path : files) {
        const QString label =
            index < 10 ? QStringLiteral("&%1 %2").arg(index).arg(QFileInfo(path).fileName())
                       : QFileInfo(path).fileName();
        QAction* a = m_recentMenu->addAction(label);
        a->setData(path);
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (!m_busy && maybeSave()) {
                openProjectFile(path);
            }
        });
        ++index;
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
    }
    m_recentMenu->addAction(m_clearRecentAction);
    m_clearRecentAction->setEnabled(!files.isEmpty());
    m_recentMenu->setEnabled(true);
}

void MainWindow::restoreWindowState() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::saveWindowState() const {
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_busy || isExporting() || !maybeSave()) {
        event->ignore();
        return;
    }
    m_document->close(); // the user is done with it: no recovery file, no staged assets
    m_autosaver->waitForPendingWrites();
    saveWindowState();
    event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::showAbout() {
    AboutDialog dialog(this);
    dialog.exec();
}

// ---- Project files ------------------------------------------------------------------------

void MainWindow::setBusy(bool busy) {
    m_busy = busy;
    for (QAction* a : {m_newAction, m_openAction, m_saveAction, m_saveAsAction}) {
        a->setEnabled(!busy);
    }
    m_recentMenu->setEnabled(!busy);
    updateExportAction();
    if (busy) {
        QApplication::setOverrideCursor(Qt::BusyCursor);
    } else {
        QApplication::restoreOverrideCursor();
    }
}

QString MainWindow::projectFilter() const {
    return tr("sfstudio projects (*.%1)").arg(QString::fromLatin1(core::kProjectSuffix));
}

// File > Open also reads exported clips and sequence sidecars.
static QString openFilter(const QString& projects) {
#if SFS_WITH_MEDIA
    return MainWindow::tr("Projects and exported clips (*.%1 *.mp4 *.mov *.m4v *.json)")
               .arg(QString::fromLatin1(core::kProjectSuffix)) +
           QStringLiteral(";;") + projects + QStringLiteral(";;") +
           MainWindow::tr("Exported clips and sequence sidecars (*.mp4 *.mov *.m4v *.json)");
#else
    return projects;
#endif
}

QString MainWindow::dialogFolder() const {
    if (!m_document->isUntitled()) {
        return QFileInfo(m_document->filePath()).path();
    }
    return QSettings()
        .value(QString::fromLatin1(kFolderKey),
               QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .toString();
}

void MainWindow::showError(const QString& text, const QString& details) {
    // Window-modal and not waited for: nothing else has to stop for the message.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("sfstudio"), text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setInformativeText(details);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified()) {
        return true;
    }
    QMessageBox box(QMessageBox::Warning, tr("sfstudio"),
                    tr("The project “%1” has unsaved changes.").arg(m_document->displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesMessage"));
    box.setInformativeText(tr("Do you want to save them?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return saveProject();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::newProject() {
    if (m_busy || !maybeSave()) {
        return;
    }
    m_document->newProject();
    statusBar()->showMessage(tr("New project"), 3000);
}

void MainWindow::openProject() {
    if (m_busy || !maybeSave()) {
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), dialogFolder(),
                                                      openFilter(projectFilter()));
    if (!path.isEmpty()) {
        openProjectFile(path);
    }
}

bool MainWindow::openProjectFile(const QString& path) {
    if (m_busy || isExporting()) {
        return false;
    }
    if (isExportFile(path)) {
        return openExportFile(path);
    }
    setBusy(true);
    statusBar()->showMessage(tr("Opening “%1”…").arg(QFileInfo(path).fileName()));
    // Images are decoded to check them: never on the UI thread.
    const OpenResult result = waitResponsive(QtConcurrent::run([path] {
        OpenResult r;
        r.ok = core::loadProject(path, core::LoadOptions{}, r.loaded, r.error);
        return r;
    }));
    setBusy(false);
    statusBar()->clearMessage();
    if (!result.ok) {
        if (!QFileInfo::exists(path)) {
            m_recentFiles->remove(path);
        }
        showError(tr("The project “%1” could not be opened.").arg(QFileInfo(path).fileName()),
                  result.error.toString());
        return false;
    }
    m_document->setLoaded(result.loaded, path);
    m_recentFiles->add(path);
    QSettings().setValue(QString::fromLatin1(kFolderKey), QFileInfo(path).path());
    statusBar()->showMessage(tr("Opened “%1”").arg(m_document->displayName()), 3000);
    for (const QString& warning : result.loaded.warnings) {
        qWarning("%s", qPrintable(warning));
    }
    Q_EMIT projectOpened(m_document->filePath());
    return true;
}

bool MainWindow::saveProject() {
    if (m_busy) {
        return false;
    }
    if (m_document->isUntitled()) {
        return saveProjectAs();
    }
    core::FileError error;
    if (!m_document->save(error)) {
        showError(tr("The project could not be saved."), error.toString());
        return false;
    }
    statusBar()->showMessage(tr("Saved “%1”").arg(m_document->displayName()), 3000);
    Q_EMIT projectSaved(m_document->filePath());
    return true;
}

bool MainWindow::saveProjectAs() {
    if (m_busy) {
        return false;
    }
    QString suggestion = QDir(dialogFolder()).filePath(m_document->displayName());
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Project As"), suggestion, projectFilter());
    return !path.isEmpty() && saveProjectTo(path);
}

bool MainWindow::saveProjectTo(const QString& path) {
    if (m_busy) {
        return false;
    }
    const QString target = QFileInfo(core::withProjectSuffix(path)).absoluteFilePath();
    setBusy(true);
    statusBar()->showMessage(tr("Saving “%1”…").arg(QFileInfo(target).fileName()));
    // The assets may be large (takes): copy them on a worker thread. saveAs() then finds them
    // in place and only writes the project file.
    const QString from = m_document->assetsDir();
    const core::FileError copyError = waitResponsive(QtConcurrent::run([from, target] {
        core::FileError error;
        core::copyAssetFolder(from, core::assetsDirFor(target), error);
        return error;
    }));
    core::FileError error = copyError;
    const bool ok = !copyError.isSet() && m_document->saveAs(target, error);
    setBusy(false);
    statusBar()->clearMessage();
    if (!ok) {
        showError(tr("The project could not be saved."), error.toString());
        return false;
    }
    m_recentFiles->add(target);
    QSettings().setValue(QString::fromLatin1(kFolderKey), QFileInfo(target).path());
    statusBar()->showMessage(tr("Saved “%1”").arg(m_document->displayName()), 3000);
    Q_EMIT projectSaved(target);
    return true;
}

void MainWindow::offerRecovery() {
    const QList<core::RecoveryEntry> entries =
        core::Autosaver::findRecoverable(m_autosaver->recoveryDir());
    for (const core::RecoveryEntry& entry : entries) {
        QMessageBox box(QMessageBox::Question, tr("Recover Unsaved Changes"),
                        tr("sfstudio did not close properly last time."), QMessageBox::NoButton,
                        this);
        box.setObjectName(QStringLiteral("recoveryMessage"));
        box.setInformativeText(
            entry.savedAt.isValid()
                ? tr("Unsaved changes to “%1” were saved automatically at %2. Recover them?")
                      .arg(entry.displayName(),
                           QLocale().toString(entry.savedAt.toLocalTime(), QLocale::ShortFormat))
                : tr("A recovery file could not be read: %1").arg(entry.recoveryFile));
        QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
        recover->setObjectName(QStringLiteral("recoverButton"));
        recover->setEnabled(entry.savedAt.isValid());
        QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        discard->setObjectName(QStringLiteral("discardButton"));
        QPushButton* later = box.addButton(tr("Not Now"), QMessageBox::RejectRole);
        later->setObjectName(QStringLiteral("laterButton"));
        box.setDefaultButton(entry.savedAt.isValid() ? recover : later);
        box.exec();
        if (box.clickedButton() == discard) {
            core::Autosaver::discard(entry, m_document->stagingRoot());
            continue;
        }
        if (box.clickedButton() == recover) {
            core::FileError error;
            if (m_autosaver->recover(entry, error)) {
                statusBar()->showMessage(
                    tr("Recovered “%1”: save it to keep the changes").arg(entry.displayName()));
            } else {
                showError(tr("The unsaved changes could not be recovered."), error.toString());
            }
        }
        return; // one project per window; the others wait for the next start
    }
}

// ---- Exported clips as projects ----------------------------------------------------------------

bool MainWindow::openExportFile(const QString& path) {
#if SFS_WITH_MEDIA
    const QString name = QFileInfo(path).fileName();
    setBusy(true);
    statusBar()->showMessage(tr("Opening “%1”…").arg(name));
    // The clip's keyframe images go into a new staging folder, as for an untitled project; the
    // document owns it from then on. Keyframes whose image cannot be recovered are left out and
    // named (opening what can be opened beats refusing the whole clip).
    const QString assetsDir = QDir(m_document->stagingRoot())
                                  .filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) +
                                            QStringLiteral(".sfsproj.assets"));
    const OpenExportResult result = waitResponsive(QtConcurrent::run([path, assetsDir] {
        OpenExportResult r;
        core::OpenExportOptions options;
        options.dropMissingKeyframes = true;
        r.ok = core::openExportedProject(path, assetsDir, options, &r.opened, &r.error);
        if (!r.ok) {
            QDir(assetsDir).removeRecursively();
        }
        return r;
    }));
    setBusy(false);
    statusBar()->clearMessage();
    if (!result.ok) {
        showError(tr("“%1” could not be opened as a project.").arg(name), result.error.toString());
        return false;
    }
    m_document->setRecovered(result.opened.loaded.project, QString(), assetsDir);
    statusBar()->showMessage(tr("Opened the project of “%1” (take %2): save it to keep it")
                                 .arg(name, result.opened.takeId));
    if (!result.opened.loaded.warnings.isEmpty()) {
        showError(tr("Some keyframes of “%1” could not be recovered.").arg(name),
                  result.opened.loaded.warnings.join(QLatin1Char('\n')));
    }
    Q_EMIT projectOpened(path);
    return true;
#else
    showError(tr("“%1” could not be opened as a project.").arg(QFileInfo(path).fileName()),
              tr("This build of sfstudio has no video support (FFmpeg)."));
    return false;
#endif
}

// ---- Export
// ---------------------------------------------------------------------------------------

bool MainWindow::isExporting() const {
    return m_exportWatcher != nullptr;
}

void MainWindow::updateExportAction() {
#if SFS_WITH_MEDIA
    m_exportAction->setEnabled(!m_document->project().takes.empty() && !m_busy && !isExporting());
#else
    m_exportAction->setEnabled(false);
#endif
}

void MainWindow::exportTake() {
#if SFS_WITH_MEDIA
    if (m_busy || isExporting() || m_document->project().takes.empty()) {
        return;
    }
    QString error;
    const core::Take* take = core::findTake(m_document->project(), QString(), &error);
    const QString stem = QDir(dialogFolder())
                             .filePath(QStringLiteral("%1_%2").arg(
                                 QFileInfo(m_document->displayName()).completeBaseName(),
                                 take != nullptr ? take->id : QString()));
    ExportDialog dialog(m_document->project(), stem, this);
    if (dialog.exec() == QDialog::Accepted) {
        startExport(dialog.request());
    }
#endif
}

bool MainWindow::startExport(const core::TakeExportRequest& request) {
#if SFS_WITH_MEDIA
    if (m_busy || isExporting()) {
        return false;
    }
    // The worker gets copies: the user may edit the project while the export runs.
    const core::Project project = m_document->project();
    const QString projectPath = m_document->filePath();
    const QString assetsDir = m_document->assetsDir();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_exportCancel = cancel;

    m_exportProgress = new QProgressDialog(this);
    m_exportProgress->setObjectName(QStringLiteral("exportProgress"));
    m_exportProgress->setWindowTitle(tr("Export Take"));
    m_exportProgress->setLabelText(
        tr("Exporting to “%1”…").arg(QFileInfo(request.output).fileName()));
    m_exportProgress->setWindowModality(Qt::WindowModal);
    m_exportProgress->setAutoClose(false);
    m_exportProgress->setAutoReset(false);
    m_exportProgress->setMinimumDuration(0);
    m_exportProgress->setRange(0, 0);
    connect(m_exportProgress, &QProgressDialog::canceled, this, [this, cancel] {
        cancel->store(true);
        m_exportProgress->setLabelText(tr("Stopping…"));
    });
    m_exportProgress->show();

    // Progress crosses to the UI thread as queued calls; the window outlives the worker (the
    // destructor waits for it).
    QProgressDialog* progress = m_exportProgress;
    auto keepGoing = [progress, cancel](int done, int total) {
        QMetaObject::invokeMethod(
            progress,
            [progress, done, total] {
                progress->setMaximum(total);
                progress->setValue(done);
            },
            Qt::QueuedConnection);
        return !cancel->load();
    };
    m_exportWatcher = new QFutureWatcher<core::TakeExportResult>(this);
    connect(m_exportWatcher, &QFutureWatcher<core::TakeExportResult>::finished, this,
            &MainWindow::finishExport);
    m_exportWatcher->setFuture(QtConcurrent::run(
        [=] { return core::exportTake(project, projectPath, assetsDir, request, keepGoing); }));
    updateExportAction();
    return true;
#else
    Q_UNUSED(request);
    return false;
#endif
}

void MainWindow::finishExport() {
#if SFS_WITH_MEDIA
    const core::TakeExportResult result = m_exportWatcher->result();
    m_exportWatcher->deleteLater();
    m_exportWatcher = nullptr;
    delete m_exportProgress; // not in one of its own signals: safe to delete now
    m_exportProgress = nullptr;
    m_exportCancel.reset();
    updateExportAction();

    const QString name = QFileInfo(result.output).fileName();
    for (const QString& notice : result.notices) {
        qWarning("export: %s", qPrintable(notice));
    }
    QString message;
    if (!result.ok) {
        message = result.error;
        showError(tr("The export to “%1” failed.").arg(name), result.error);
    } else if (result.cancelled) {
        message = result.framesWritten > 0 && QFileInfo::exists(result.output)
                      ? tr("Export stopped: “%1” holds the first %n frame(s)", nullptr,
                           result.framesWritten)
                            .arg(name)
                      : tr("Export cancelled: nothing was written");
        statusBar()->showMessage(message, 10000);
    } else {
        message = tr("Exported take %1 to “%2” (%n frame(s))", nullptr, result.framesWritten)
                      .arg(result.takeId, name);
        statusBar()->showMessage(message, 10000);
    }
    Q_EMIT exportFinished(result.ok && !result.cancelled, result.output, message);
#endif
}

} // namespace sfs::ui
