#pragma once
// The studio's main window: menus, the preview in the centre, timeline and inspector docks, the
// project file commands (new, open, save, save as, recovery after a crash) and export.

#include <QMainWindow>

#include <atomic>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressDialog;
class QUndoStack;
template <typename T>
class QFutureWatcher;

namespace sfs::core {
class Autosaver;
class ProjectDocument;
struct TakeExportRequest;
struct TakeExportResult;
} // namespace sfs::core

namespace sfs::ui {

class RecentFiles;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    core::ProjectDocument* document() const { return m_document; }
    core::Autosaver* autosaver() const { return m_autosaver; }
    QUndoStack* undoStack() const;
    RecentFiles* recentFiles() const { return m_recentFiles; }

    // Object names of every action, so tests and scripts can find them with findChild<QAction*>.
    static QStringList actionNames();

public Q_SLOTS:
    // Each asks to save unsaved changes first (and does nothing when the user cancels).
    void newProject();
    void openProject(); // asks for a file
    // Reads and checks the project on a worker thread (the window stays responsive meanwhile).
    // Returns false, after telling the user why, when it cannot be opened. An exported clip
    // (.mp4/.mov) or sequence sidecar (.json) opens as a new, untitled project made from the
    // project it carries (see core::openExportedProject).
    bool openProjectFile(const QString& path);
    bool saveProject();   // Save As for an untitled project
    bool saveProjectAs(); // asks for a file
    // Copies the assets on a worker thread, then writes the project file.
    bool saveProjectTo(const QString& path);
    // Offers to recover the work of a session that ended without closing (call at start-up).
    void offerRecovery();
    // File > Export…: asks what to export in a dialog, then startExport().
    void exportTake();
    // Exports on a worker thread behind a window-modal progress dialog with Cancel; returns at
    // once (false when an export is already running). exportFinished() reports the end.
    bool startExport(const core::TakeExportRequest& request);
    bool isExporting() const;

Q_SIGNALS:
    void projectOpened(const QString& path);
    void projectSaved(const QString& path);
    // `message` is what the status bar or the error message told the user.
    void exportFinished(bool ok, const QString& output, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void retranslate();
    void rebuildRecentMenu();
    void restoreWindowState();
    void saveWindowState() const;
    void showAbout();
    void updateTitle();
    void setBusy(bool busy);
    void updateExportAction();
    void updateModelLabel();
    void finishExport();
    bool openExportFile(const QString& path);
    // Asks whether to save unsaved changes; false when the user cancels (or saving failed).
    bool maybeSave();
    void showError(const QString& text, const QString& details);
    QString projectFilter() const;
    QString dialogFolder() const;

    core::ProjectDocument* m_document = nullptr;
    QLabel* m_modelLabel = nullptr;
    core::Autosaver* m_autosaver = nullptr;
    RecentFiles* m_recentFiles = nullptr;
    bool m_busy = false;

    // The running export: its worker, progress dialog and cancel flag (shared with the worker).
    QFutureWatcher<core::TakeExportResult>* m_exportWatcher = nullptr;
    QProgressDialog* m_exportProgress = nullptr;
    std::shared_ptr<std::atomic<bool>> m_exportCancel;

    QMenu* m_fileMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_generateMenu = nullptr;
    QMenu* m_helpMenu = nullptr;

    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_generateAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_aboutQtAction = nullptr;
    QAction* m_clearRecentAction = nullptr;

    QDockWidget* m_timelineDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
};

} // namespace sfs::ui
