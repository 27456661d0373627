#include "sfs/ui/main_window.h"

#include "about_dialog.h"
#include "export_controller.h"
#include "generation/generation_widgets.h"
#include "inspector/inspector_panel.h"
#include "preview/playback_controls.h"
#include "preview/preview_panel.h"
#include "preview/preview_widget.h"
#include "project_files_controller.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/generation_controller.h"
#include "sfs/ui/recent_files.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"
#include "shortcuts_dialog.h"
#include "start_page/start_page.h"
#include "timeline/timeline_view.h"
#include "user_guide_dialog.h"

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
#include <QPixmap>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace sfs::ui {

namespace {
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
    // The playhead spans the project's timeline; the selection never names a removed item.
    const auto followDocument = [this] {
        m_transport->setLength(m_document->project().durationFrames);
        m_selection->prune(m_document->project());
    };
    connect(m_document, &core::ProjectDocument::changed, this, followDocument);
    followDocument();
    m_generation = new GenerationController(m_document, m_transport, this);

    // The centre: the banners (not modal: errors, the demo model's notice) above the preview.
    auto* centre = new QWidget(this);
    centre->setObjectName(QStringLiteral("centreArea"));
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_demoBanner = new Banner(Banner::Tone::Warning, centre);
    m_demoBanner->setObjectName(QStringLiteral("demoModelBanner"));
    m_errorBanner = new Banner(Banner::Tone::Error, centre);
    m_errorBanner->setObjectName(QStringLiteral("errorBanner"));
    m_previewPanel = new PreviewPanel(m_document, m_transport, centre); // "previewArea"
    centreLayout->addWidget(m_demoBanner);
    centreLayout->addWidget(m_errorBanner);
    centreLayout->addWidget(m_previewPanel, 1);
    // The start page takes the centre while no project is open (showStartPage()).
    m_studioCentre = centre;
    m_centre = new QStackedWidget(this);
    m_centre->addWidget(centre);
    m_startPage = new StartPage(m_recentFiles, m_autosaver->recoveryDir(), m_centre);
    m_centre->addWidget(m_startPage);
    setCentralWidget(m_centre);

    createActions();
    createMenus();
    createDocks();
    connectStudio();
    connectStartPage();
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

    // Generation: errors in the banner, progress in the status bar, the transport's length.
    connect(m_generation, &GenerationController::failed, m_errorBanner, &Banner::showMessage);
    connect(m_generation, &GenerationController::warning, this,
            [showStatus](const QString& text) { showStatus(text, 10000); });
    connect(m_generation, &GenerationController::statusMessage, this, showStatus);
    connect(m_generation, &GenerationController::stateChanged, this, [this] {
        updateActions();
        if (m_generation->state() == GenerationController::State::Loading) {
            m_errorBanner->hide(); // a new try: the last error is history
        }
        if (m_closeWhenStopped && !m_generation->isActive()) {
            m_closeWhenStopped = false;
            QTimer::singleShot(0, this, [this] { close(); });
        }
    });
    const auto syncLength = [this] {
        m_transport->setLength(m_document->project().durationFrames);
    };
    connect(m_document, &core::ProjectDocument::durationChanged, this, syncLength);
    connect(m_document, &core::ProjectDocument::documentReset, this, syncLength);
    syncLength();
    connect(m_demoBanner, &Banner::dismissed, this, [this] { m_demoBannerDismissed = true; });
    connect(m_document, &core::ProjectDocument::settingsChanged, this,
            &MainWindow::updateDemoBanner);
    connect(m_document, &core::ProjectDocument::documentReset, this, [this] {
        m_demoBannerDismissed = false;
        updateDemoBanner();
    });
    updateActions();

    // Which model the project renders with, always in view: the demo model is untrained.
    m_modelLabel = new QLabel(this);
    m_modelLabel->setObjectName(QStringLiteral("modelLabel"));
    // A click on it opens the model setup, as in the Generate menu.
    m_modelLabel->setCursor(Qt::PointingHandCursor);
    m_modelLabel->installEventFilter(this);
    m_generationStatus = new GenerationStatus(m_generation, this);
    statusBar()->addPermanentWidget(m_generationStatus);
    statusBar()->addPermanentWidget(m_modelLabel);
    connect(m_document, &core::ProjectDocument::settingsChanged, this,
            &MainWindow::updateModelLabel);
    connect(m_document, &core::ProjectDocument::documentReset, this, &MainWindow::updateModelLabel);
    updateModelLabel();

    resize(1280, 800);
    restoreWindowState();
}

// A running job is cancelled when its controller goes; it works on copies and ends on its own.
// The generation's worker records into the document: it goes (stopping, and waiting at most one
// denoising step) before the document does.
MainWindow::~MainWindow() {
    delete m_generation;
    m_generation = nullptr;
}

QUndoStack* MainWindow::undoStack() const {
    return m_document->undoStack();
}

QStringList MainWindow::actionNames() {
    QStringList names{QStringLiteral("actionNew"),
                      QStringLiteral("actionOpen"),
                      QStringLiteral("actionSave"),
                      QStringLiteral("actionSaveAs"),
                      QStringLiteral("actionCloseProject"),
                      QStringLiteral("actionExport"),
                      QStringLiteral("actionQuit"),
                      QStringLiteral("actionUndo"),
                      QStringLiteral("actionRedo"),
                      QStringLiteral("actionGenerate"),
                      QStringLiteral("actionStop"),
                      QStringLiteral("actionContinue"),
                      QStringLiteral("actionRegenerate"),
                      QStringLiteral("actionModelSetup"),
                      QStringLiteral("actionAbout"),
                      QStringLiteral("actionAboutQt"),
                      QStringLiteral("actionShortcuts"),
                      QStringLiteral("actionUserGuide"),
                      QStringLiteral("actionToggleTimeline"),
                      QStringLiteral("actionToggleInspector")};
    names += PlaybackControls::actionNames(); // the Playback menu
    return names;
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
    m_closeProjectAction = make("actionCloseProject", QKeySequence::Close);
    connect(m_closeProjectAction, &QAction::triggered, this, &MainWindow::closeProject);
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

    // Generate, Stop, Continue and Regenerate are the generation controller's actions.
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportTake);

    m_modelSetupAction = make("actionModelSetup", QKeySequence::UnknownKey);
    m_aboutAction = make("actionAbout", QKeySequence::UnknownKey);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    m_aboutQtAction = make("actionAboutQt", QKeySequence::UnknownKey);
    m_shortcutsAction = make("actionShortcuts", QKeySequence::UnknownKey);
    m_shortcutsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Question));
    connect(m_shortcutsAction, &QAction::triggered, this, &MainWindow::showShortcuts);
    m_userGuideAction = make("actionUserGuide", QKeySequence::HelpContents);
    connect(m_userGuideAction, &QAction::triggered, this, &MainWindow::showUserGuide);
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
    m_fileMenu->addAction(m_closeProjectAction);
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

    // The transport keys (Space, J/K/L, arrows, Home/End, I/O): the preview's actions.
    m_playbackMenu = menuBar()->addMenu(QString());
    m_playbackMenu->setObjectName(QStringLiteral("menuPlayback"));
    m_playbackMenu->addActions(m_previewPanel->playbackControls()->actions());

    m_generateMenu = menuBar()->addMenu(QString());
    m_generateMenu->setObjectName(QStringLiteral("menuGenerate"));
    m_generateMenu->addAction(m_generation->generateAction());
    m_generateMenu->addAction(m_generation->stopAction());
    m_generateMenu->addSeparator();
    m_generateMenu->addAction(m_generation->continueAction());
    m_generateMenu->addAction(m_generation->regenerateAction());
    m_generateMenu->addSeparator();
    m_generateMenu->addAction(m_modelSetupAction);
    // Their shortcuts work wherever the window has focus, menu bar shown or not.
    addActions(m_generateMenu->actions());

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
    m_helpMenu->addAction(m_userGuideAction);
    m_helpMenu->addAction(m_shortcutsAction);
    m_helpMenu->addSeparator();
    m_helpMenu->addAction(m_aboutAction);
    m_helpMenu->addAction(m_aboutQtAction);
}

void MainWindow::createDocks() {
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_timelineDock = new QDockWidget(this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timeline = new TimelineView(m_document, m_selection, m_transport, m_timelineDock);
    connect(m_timeline, &TimelineView::statusMessage, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);

    m_inspectorDock = new QDockWidget(this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspector = new InspectorPanel(m_document, m_selection, m_inspectorDock);
    m_inspector->setMemoryGuard(m_generation->memoryGuard());
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    // Room for the inspector's forms (a saved window state overrides this).
    resizeDocks({m_inspectorDock}, {380}, Qt::Horizontal);

    QAction* toggleTimeline = m_timelineDock->toggleViewAction();
    toggleTimeline->setObjectName(QStringLiteral("actionToggleTimeline"));
    toggleTimeline->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction* toggleInspector = m_inspectorDock->toggleViewAction();
    toggleInspector->setObjectName(QStringLiteral("actionToggleInspector"));
    toggleInspector->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_viewMenu->addAction(toggleTimeline);
    m_viewMenu->addAction(toggleInspector);
}

void MainWindow::connectStudio() {
    // The model setup dialog belongs to the inspector's render settings (one undo step).
    connect(m_modelSetupAction, &QAction::triggered, m_inspector,
            &InspectorPanel::chooseModelFolder);
    // Live frames go straight to the preview (the controller coalesces them: at most one
    // pending), and the overlay shows the generation's speed.
    PreviewWidget* preview = m_previewPanel->preview();
    connect(m_generation, &GenerationController::liveFrame, preview,
            &PreviewWidget::presentLiveFrame);
    const auto followGeneration = [this, preview] {
        const bool active = m_generation->isActive();
        const inference::GenerationProgress& progress = m_generation->progress();
        preview->setGenerating(active, progress.framesPerSecond);
        const bool chunkRuns = active && progress.chunksDone < progress.chunksTotal;
        m_timeline->setGeneratingChunk(chunkRuns ? static_cast<int>(progress.chunksDone) : -1);
    };
    connect(m_generation, &GenerationController::stateChanged, this,
            [this, followGeneration](GenerationController::State state) {
                if (state == GenerationController::State::Loading) {
                    showStudio(); // Generate pressed on the start page: show what it makes
                    // A new generation: the marks of the last one's prompt edits go.
                    m_pendingPromptSwitches.clear();
                    m_timeline->setPendingPromptSwitches(m_pendingPromptSwitches);
                }
                followGeneration();
            });
    connect(m_generation, &GenerationController::progressChanged, this, followGeneration);
    // Edits made while generating: where a prompt edit takes over, which keyframes are stale.
    connect(m_generation, &GenerationController::promptSwitchScheduled, this, [this](int frame) {
        if (!m_pendingPromptSwitches.contains(frame)) {
            m_pendingPromptSwitches.append(frame);
            m_timeline->setPendingPromptSwitches(m_pendingPromptSwitches);
        }
    });
    connect(m_generation, &GenerationController::staleKeyframesChanged, m_timeline,
            &TimelineView::setStaleKeyframes);
}

void MainWindow::updateTitle() {
    if (m_centre != nullptr && isStartPageShown()) {
        setWindowTitle(QStringLiteral("sfstudio"));
        return;
    }
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

void MainWindow::updateDemoBanner() {
    if (m_demoBanner == nullptr) {
        return;
    }
    if (!m_document->project().settings.usesDemoModel() || m_demoBannerDismissed) {
        m_demoBanner->hide();
        return;
    }
    m_demoBanner->showMessage(
        tr("This project uses the built-in demo model. It is untrained: it makes noise-like "
           "video, not real scenes, so that every part of the studio can be tried without a "
           "download."),
        tr("To generate real video, put the Self-Forcing model files (the DiT, the Wan VAE, "
           "the umT5 text encoder and its tokenizer) in one folder, check it with\n\n"
           "    sfstudio-cli models inspect FOLDER\n\n"
           "and choose that folder as the model folder in the render settings (the Inspector "
           "with nothing selected). The README's \"Model files\" section lists the files."));
}

void MainWindow::retranslate() {
    updateModelLabel();
    updateTitle();
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_playbackMenu->setTitle(tr("&Playback"));
    m_generateMenu->setTitle(tr("&Generate"));
    m_helpMenu->setTitle(tr("&Help"));

    m_newAction->setText(tr("&New Project"));
    m_newAction->setStatusTip(tr("Start a new storyboard"));
    m_openAction->setText(tr("&Open…"));
    m_openAction->setStatusTip(tr("Open a project or an exported clip"));
    m_saveAction->setText(tr("&Save"));
    m_saveAsAction->setText(tr("Save &As…"));
    m_closeProjectAction->setText(tr("&Close Project"));
    m_closeProjectAction->setStatusTip(tr("Close the project and show the start page"));
    m_exportAction->setText(tr("&Export…"));
    m_exportAction->setStatusTip(tr("Export a take as MP4 or an image sequence"));
    m_quitAction->setText(tr("&Quit"));
    m_undoAction->setText(tr("&Undo"));
    m_redoAction->setText(tr("&Redo"));
    m_generation->retranslate();
    m_demoBanner->retranslate();
    m_errorBanner->retranslate();
    updateDemoBanner();
    m_modelSetupAction->setText(tr("&Model Setup…"));
    m_modelSetupAction->setStatusTip(tr("Choose the model files this project generates with"));
    m_aboutAction->setText(tr("&About sfstudio"));
    m_aboutQtAction->setText(tr("About &Qt"));
    m_shortcutsAction->setText(tr("&Keyboard Shortcuts"));
    m_shortcutsAction->setStatusTip(tr("List every keyboard shortcut of the studio"));
    m_userGuideAction->setText(tr("&User Guide"));
    m_userGuideAction->setStatusTip(tr("Read how to set up models, storyboard and export"));
    m_clearRecentAction->setText(tr("&Clear Menu"));

    m_timelineDock->setWindowTitle(tr("Timeline"));
    m_inspectorDock->setWindowTitle(tr("Inspector"));
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
    if (m_generation->isActive()) {
        // The take keeps its whole chunks; the window closes once the generation has stopped.
        m_generation->stop();
        m_closeWhenStopped = true;
        event->ignore();
        return;
    }
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

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_modelLabel && event->type() == QEvent::MouseButtonRelease &&
        m_modelSetupAction->isEnabled()) {
        m_modelSetupAction->trigger();
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showShortcuts() {
    // One list, kept open beside the studio; read from the actions each time it is filled.
    if (m_shortcuts == nullptr) {
        m_shortcuts = new ShortcutsDialog(this, actionNames());
    }
    m_shortcuts->show();
    m_shortcuts->raise();
    m_shortcuts->activateWindow();
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
    // A take records into the open project: no other project while it generates.
    const bool generating = m_generation != nullptr && m_generation->isActive();
    // The start page has no project to save or export (the document behind it is empty).
    const bool startPage = isStartPageShown();
    for (QAction* a : {m_saveAction, m_saveAsAction}) {
        a->setEnabled(!busy && !startPage);
    }
    for (QAction* a : {m_newAction, m_openAction}) {
        a->setEnabled(!busy && !generating);
    }
    m_recentMenu->setEnabled(!busy && !generating);
    m_closeProjectAction->setEnabled(!busy && !generating && !startPage);
    m_startPage->setActionsEnabled(!busy && !generating);
    m_exportAction->setEnabled(m_exports->canExport() && !busy && !isExporting() && !startPage);
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
    if (!m_generation->isActive()) {
        m_files->newProject();
    }
}

void MainWindow::openProject() {
    if (!isExporting() && !m_generation->isActive()) {
        m_files->openProject();
    }
}

void MainWindow::openRecent(const QString& path) {
    if (isBusy() || isExporting() || m_generation->isActive() || m_files->askToSave([this, path] {
            openRecent(path);
        }) != ProjectFilesController::Answer::Proceed) {
        return;
    }
    m_files->openFile(path);
}

bool MainWindow::openProjectFile(const QString& path) {
    // The export works on a copy, but its messages name the project that is open.
    return !isExporting() && !m_generation->isActive() && m_files->openFile(path);
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

// ---- The start page -------------------------------------------------------------------------

void MainWindow::connectStartPage() {
    connect(m_startPage, &StartPage::newProjectRequested, this, &MainWindow::newProject);
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::openProject);
    connect(m_startPage, &StartPage::openSampleRequested, this, &MainWindow::openSampleProject);
    connect(m_startPage, &StartPage::openRecentRequested, this, &MainWindow::openRecent);
    connect(m_startPage, &StartPage::recoverRequested, this,
            [this](const core::RecoveryEntry& entry) {
                if (!isExporting() && !m_generation->isActive()) {
                    m_files->recover(entry);
                }
            });
    connect(m_startPage, &StartPage::discardRecoveryRequested, this,
            [this](const core::RecoveryEntry& entry) { m_files->discardRecovery(entry); });
    connect(m_startPage, &StartPage::showBothRequested, this, &MainWindow::showBoth);
    connect(m_files, &ProjectFilesController::recoveryDiscarded, m_startPage, &StartPage::refresh);
    // Offers found while the studio is shown (a file was opened at start-up) are not lost.
    connect(m_startPage, &StartPage::scanned, this, [this] {
        const int offers = int(m_startPage->lastScan().recovery.size());
        if (offers > 0 && !isStartPageShown()) {
            statusBar()->showMessage(
                tr("Unsaved changes of %n project(s) can be recovered: File > Close Project "
                   "shows them.",
                   nullptr, offers),
                0);
        }
    });
    // A project opened, recovered or started: the studio.
    connect(m_document, &core::ProjectDocument::documentReset, this, [this] {
        if (!m_resettingForStartPage) {
            showStudio();
        }
    });
}

bool MainWindow::isStartPageShown() const {
    return m_centre->currentWidget() == m_startPage;
}

void MainWindow::showStartPage() {
    if (!isStartPageShown()) {
        m_timelineWasVisible = !m_timelineDock->isHidden();
        m_inspectorWasVisible = !m_inspectorDock->isHidden();
        m_timelineDock->hide();
        m_inspectorDock->hide();
        m_centre->setCurrentWidget(m_startPage);
        m_modelLabel->hide(); // the model of no project: the page names the default instead
    }
    m_startPage->refresh();
    updateActions();
    updateTitle();
    m_startPage->focusFirstAction();
}

void MainWindow::lookForRecovery() {
    m_startPage->refresh();
}

void MainWindow::showStudio() {
    if (!isStartPageShown()) {
        return;
    }
    m_centre->setCurrentWidget(m_studioCentre);
    m_modelLabel->show();
    m_timelineDock->setVisible(m_timelineWasVisible);
    m_inspectorDock->setVisible(m_inspectorWasVisible);
    updateActions();
    updateTitle();
}

void MainWindow::closeProject() {
    if (isBusy() || isExporting() || m_generation->isActive() ||
        m_files->askToSave([this] { closeProject(); }) != ProjectFilesController::Answer::Proceed) {
        return;
    }
    m_document->close(); // the user is done with it: no recovery file, no staged assets
    m_resettingForStartPage = true;
    m_document->newProject(); // an empty, unmodified document behind the start page
    m_resettingForStartPage = false;
    showStartPage();
}

void MainWindow::openSampleProject() {
    if (isBusy() || isExporting() || m_generation->isActive() || m_files->askToSave([this] {
            openSampleProject();
        }) != ProjectFilesController::Answer::Proceed) {
        return;
    }
    m_files->openSample();
}

void MainWindow::showBoth(const core::RecoveryEntry& entry) {
    if (isBusy() || isExporting() || m_generation->isActive() || !m_files->recover(entry)) {
        return;
    }
    // The saved file in a window of its own beside this one, which takes the recovered changes:
    // the user compares them and keeps one (Save here overwrites the file; closing discards).
    auto* other = new MainWindow;
    other->setAttribute(Qt::WA_DeleteOnClose);
    other->setObjectName(QStringLiteral("savedFileWindow"));
    const QRect screen = this->screen() != nullptr ? this->screen()->availableGeometry() : QRect();
    if (screen.isValid() && screen.width() >= 1200) {
        // Side by side: this window on the left half, the saved file on the right.
        const QRect left(screen.topLeft(), QSize(screen.width() / 2, screen.height()));
        setGeometry(left);
        other->setGeometry(left.translated(left.width(), 0));
    } else {
        other->move(pos() + QPoint(48, 48));
    }
    other->show();
    other->openProjectFile(entry.originalPath);
    other->statusBar()->showMessage(
        tr("The saved file, to compare with the recovered changes in the other window"), 0);
}

void MainWindow::showUserGuide() {
    if (m_userGuide == nullptr) {
        m_userGuide = new UserGuideDialog(this);
    }
    m_userGuide->show();
    m_userGuide->raise();
    m_userGuide->activateWindow();
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
