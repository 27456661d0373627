#pragma once
// The studio's main window: menus, the preview in the centre (with banners above it), timeline
// and inspector docks; or, while no project is open (showStartPage(): at start-up and after File
// > Close Project), the start page in the centre and no docks. The project file commands (new,
// open, save, save as, recovery after a crash), export and generation are the work of its
// controllers (ProjectFilesController, ExportController, GenerationController), which run the work
// as Jobs (sfs/ui/job.h) off the UI thread; the window only enables actions and shows messages.

#include <QList>
#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QUndoStack;

namespace sfs::core {
class Autosaver;
class ProjectDocument;
struct RecoveryEntry;
struct TakeExportRequest;
} // namespace sfs::core

namespace sfs::ui {

class Banner;
class ExportController;
class GenerationController;
class GenerationStatus;
class InspectorPanel;
class PreviewPanel;
class ProjectFilesController;
class RecentFiles;
class ShortcutsDialog;
class Selection;
class StartPage;
class UserGuideDialog;
class TimelineView;
class Transport;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    core::ProjectDocument* document() const { return m_document; }
    core::Autosaver* autosaver() const { return m_autosaver; }
    QUndoStack* undoStack() const;
    RecentFiles* recentFiles() const { return m_recentFiles; }
    ProjectFilesController* projectFiles() const { return m_files; }
    ExportController* exports() const { return m_exports; }
    // The studio's playhead, shared by the preview, timeline and generation controller.
    Transport* transport() const { return m_transport; }
    // The centre: take selector, preview (PreviewPanel::preview() takes the live frames),
    // comparison and the playback actions (PlaybackControls::actions(), for a Playback menu).
    PreviewPanel* previewPanel() const { return m_previewPanel; }
    // The studio's shared state: what the user has selected (timeline, inspector, Delete).
    Selection* selection() const { return m_selection; }
    TimelineView* timeline() const { return m_timeline; }
    InspectorPanel* inspector() const { return m_inspector; }
    GenerationController* generation() const { return m_generation; }
    // An open, save or recovery job is running (the file actions are disabled meanwhile).
    bool isBusy() const;
    StartPage* startPage() const { return m_startPage; }
    bool isStartPageShown() const;

    // Object names of every action, so tests and scripts can find them with findChild<QAction*>.
    static QStringList actionNames();

public Q_SLOTS:
    // Each asks to save unsaved changes first (and does nothing when the user cancels); the
    // work then runs as a job and the call returns at once.
    void newProject();
    void openProject(); // asks for a file
    // Starts reading and checking the project off the UI thread; false when another file job
    // runs. projectOpened() follows, or an error message naming the file.
    bool openProjectFile(const QString& path);
    bool saveProject();   // Save As for an untitled project
    bool saveProjectAs(); // asks for a file
    // Starts copying the assets and writing the project file off the UI thread; false when
    // another file job runs. projectSaved() follows, or an error message.
    bool saveProjectTo(const QString& path);
    // Shows the start page (recent projects, the sample, what a crash left to recover) in place
    // of the studio, reading its lists again. Opening, recovering or starting a project shows the
    // studio.
    void showStartPage();
    // Reads the start page's lists without showing it: changes a crash left to recover are then
    // named in the status bar (when a file given at start-up is opened instead).
    void lookForRecovery();
    // File > Close Project: asks to save unsaved changes, then shows the start page.
    void closeProject();
    // Start > Open the Sample Project: a copy of the sample (ProjectFilesController::openSample).
    void openSampleProject();
    // Help > User Guide (F1).
    void showUserGuide();
    // File > Export…: asks what to export in a dialog, then startExport().
    void exportTake();
    // Exports as a job behind a window-modal progress dialog with Cancel; returns at once
    // (false when an export is already running). exportFinished() reports the end.
    bool startExport(const core::TakeExportRequest& request);
    bool isExporting() const;

Q_SIGNALS:
    void projectOpened(const QString& path);
    void projectSaved(const QString& path);
    void projectRecovered(const QString& name);
    // `message` is what the status bar or the error message told the user.
    void exportFinished(bool ok, const QString& output, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    // Wires the generation controller to the preview and the timeline.
    void connectStudio();
    void retranslate();
    void rebuildRecentMenu();
    void restoreWindowState();
    void saveWindowState() const;
    void showAbout();
    void showShortcuts(); // Help > Keyboard Shortcuts
    void updateTitle();
    // Enables the file and export actions for what runs now (one job of each kind at a time).
    void updateActions();
    void updateModelLabel();
    void openRecent(const QString& path);
    void showError(const QString& text, const QString& details);
    void showStudio();
    void connectStartPage();
    // Start page > Show Both: the recovered changes here, the saved file in a second window.
    void showBoth(const core::RecoveryEntry& entry);
    // The demo model's banner: shown while the project renders with it, until dismissed.
    void updateDemoBanner();

    core::ProjectDocument* m_document = nullptr;
    Selection* m_selection = nullptr;
    InspectorPanel* m_inspector = nullptr;
    QLabel* m_modelLabel = nullptr;
    core::Autosaver* m_autosaver = nullptr;
    RecentFiles* m_recentFiles = nullptr;
    ProjectFilesController* m_files = nullptr;
    ExportController* m_exports = nullptr;
    Transport* m_transport = nullptr;
    TimelineView* m_timeline = nullptr;
    GenerationController* m_generation = nullptr;
    GenerationStatus* m_generationStatus = nullptr;
    Banner* m_errorBanner = nullptr;
    Banner* m_demoBanner = nullptr;
    bool m_demoBannerDismissed = false; // for this document
    PreviewPanel* m_previewPanel = nullptr;
    ShortcutsDialog* m_shortcuts = nullptr; // created on first use
    UserGuideDialog* m_userGuide = nullptr; // created on first use
    QStackedWidget* m_centre = nullptr;     // the studio's centre, or the start page
    QWidget* m_studioCentre = nullptr;
    StartPage* m_startPage = nullptr;
    // Which docks were shown when the start page hid them.
    bool m_timelineWasVisible = true;
    bool m_inspectorWasVisible = true;
    // The document is being reset for the start page: stay there.
    bool m_resettingForStartPage = false;
    QList<int> m_pendingPromptSwitches; // frames where prompts edited while generating take over
    // The user closed the window while a file job ran: close again once it has ended.
    bool m_closeWhenIdle = false;
    // ... or while a take generated: close once it has stopped.
    bool m_closeWhenStopped = false;

    QMenu* m_fileMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_playbackMenu = nullptr;
    QMenu* m_generateMenu = nullptr;
    QMenu* m_helpMenu = nullptr;

    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_closeProjectAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_modelSetupAction = nullptr;
    QAction* m_shortcutsAction = nullptr;
    QAction* m_userGuideAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_aboutQtAction = nullptr;
    QAction* m_clearRecentAction = nullptr;

    QDockWidget* m_timelineDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
};

} // namespace sfs::ui
