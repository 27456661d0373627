#include "sfs/ui/main_window.h"

#include "about_dialog.h"
#include "export_controller.h"
#include "inspector/inspector_panel.h"
#include "preview/preview_panel.h"
#include "project_files_controller.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/recent_files.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

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
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("mainWindow"));
    m_document = new core::ProjectDocument(this);
    m_selection = new Selection(this);
    m_autosaver = new core::Autosaver(m_document, core::Autosaver::defaultRecoveryDir(), this);
    m_autosaver->setIntervalSeconds(
        QSettings()
            .value(QString::fromLatin1(kAutosaveKey), core::Autosaver::kDefaultIntervalSeconds)
            .toInt());
    m_recentFiles = new RecentFiles(this);
    m_files = new ProjectFilesController(m_document, m_autosaver, m_recentFiles, this);
    m_exports = new ExportController(m_document, this);

    m_transport = new Transport(this);
    // The playhead spans the project's timeline.
    const auto followDuration = [this] {
        m_transport->setLength(m_document->project().durationFrames);
    };
    connect(m_document, &core::ProjectDocument::durationChanged, this, followDuration);
    connect(m_document, &core::ProjectDocument::documentReset, this, followDuration);
    followDuration();
    m_previewPanel = new PreviewPanel(m_document, m_transport, this); // "previewArea"
    setCentralWidget(m_previewPanel);

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
    connect(m_document, &core::ProjectDocument::takesChanged, this, &MainWindow::updateActions);
    connect(m_document, &core::ProjectDocument::documentReset, this, &MainWindow::updateActions);

    // The controllers do the work; the window enables actions and tells the user.
    const auto showStatus = [this](const QString& text, int timeoutMs) {
        if (text.isEmpty()) {
            statusBar()->clearMessage();
        } else {
            statusBar()->showMessage(text, timeoutMs);
        }
    };
    connect(m_files, &ProjectFilesController::busyChanged, this, &MainWindow::updateActions);
    connect(m_files, &ProjectFilesController::busyChanged, this, [this](bool busy) {
        if (!busy && m_closeWhenIdle) {
            m_closeWhenIdle = false;
            // After the job's outcome is applied (a save marks the document clean); closing
            // then asks about whatever is still unsaved, as any close does.
            QTimer::singleShot(0, this, [this] { close(); });
        }
    });
    connect(m_files, &ProjectFilesController::statusMessage, this, showStatus);
    connect(m_files, &ProjectFilesController::failed, this, &MainWindow::showError);
    connect(m_files, &ProjectFilesController::opened, this, &MainWindow::projectOpened);
    connect(m_files, &ProjectFilesController::saved, this, &MainWindow::projectSaved);
    connect(m_files, &ProjectFilesController::recovered, this, &MainWindow::projectRecovered);
    connect(m_exports, &ExportController::runningChanged, this, &MainWindow::updateActions);
    connect(m_exports, &ExportController::statusMessage, this, showStatus);
    connect(m_exports, &ExportController::failed, this, &MainWindow::showError);
    connect(m_exports, &ExportController::finished, this, &MainWindow::exportFinished);
    updateActions();

    // Which model the project renders with, always in view: the demo model is untrained.
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    statusBar()->addPermanentWidget(m_modelLabel);
    connect(m_document, &core::ProjectDocument::settingsChanged, this,
            &MainWindow::updateModelLabel);
    connect(m_document, &core::ProjectDocument::documentReset, this, &MainWindow::updateModelLabel);
    updateModelLabel();

    resize(1280, 800);
    restoreWindowState();
}

// A running job is cancelled when its controller goes; it works on copies and ends on its own.
MainWindow::~MainWindow() = default;

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
    m_inspector = new InspectorPanel(m_document, m_selection, m_inspectorDock);
    m_inspectorDock->setWidget(m_inspector);
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
    if (auto* area = findChild<QLabel*>(QStringLiteral("timelineArea"))) {
        area->setText(tr("Timeline"));
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
        connect(a, &QAction::triggered, this, [this, path] { openRecent(path); });
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
    if (isExporting()) {
        event->ignore();
        statusBar()->showMessage(tr("An export is running: cancel it or let it finish first"),
                                 5000);
        return;
    }
    if (isBusy()) {
        // Opening or saving: the window closes once that has ended (a save is never cut off).
        m_closeWhenIdle = true;
        event->ignore();
        return;
    }
    // A save the user asks for here runs as a job; the window closes when it has succeeded.
    if (m_files->askToSave([this] { close(); }) != ProjectFilesController::Answer::Proceed) {
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

// ---- Project files and export: the controllers' work ------------------------------------------

bool MainWindow::isBusy() const {
    return m_files->isBusy();
}

bool MainWindow::isExporting() const {
    return m_exports->isRunning();
}

void MainWindow::updateActions() {
    const bool busy = m_files->isBusy();
    for (QAction* a : {m_newAction, m_openAction, m_saveAction, m_saveAsAction}) {
        a->setEnabled(!busy);
    }
    m_recentMenu->setEnabled(!busy);
    m_exportAction->setEnabled(m_exports->canExport() && !busy && !isExporting());
}

void MainWindow::showError(const QString& text, const QString& details) {
    // Window-modal and not waited for: nothing else has to stop for the message.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("sfstudio"), text, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setInformativeText(details);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::newProject() {
    m_files->newProject();
}

void MainWindow::openProject() {
    if (!isExporting()) {
        m_files->openProject();
    }
}

void MainWindow::openRecent(const QString& path) {
    if (isBusy() || isExporting() || m_files->askToSave([this, path] {
            openRecent(path);
        }) != ProjectFilesController::Answer::Proceed) {
        return;
    }
    m_files->openFile(path);
}

bool MainWindow::openProjectFile(const QString& path) {
    // The export works on a copy, but its messages name the project that is open.
    return !isExporting() && m_files->openFile(path);
}

bool MainWindow::saveProject() {
    return m_files->save();
}

bool MainWindow::saveProjectAs() {
    return m_files->saveAs();
}

bool MainWindow::saveProjectTo(const QString& path) {
    return m_files->saveTo(path);
}

void MainWindow::offerRecovery() {
    m_files->offerRecovery();
}

void MainWindow::exportTake() {
    if (!isBusy()) {
        m_exports->exportTake(m_files->dialogFolder());
    }
}

bool MainWindow::startExport(const core::TakeExportRequest& request) {
    return !isBusy() && m_exports->start(request);
}

} // namespace sfs::ui
