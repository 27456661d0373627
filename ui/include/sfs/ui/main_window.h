#pragma once
// The studio's main window: menus, the preview in the centre, timeline and inspector docks.

#include <QMainWindow>

class QAction;
class QDockWidget;
class QMenu;
class QUndoStack;

namespace sfs::ui {

class RecentFiles;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QUndoStack* undoStack() const { return m_undoStack; }
    RecentFiles* recentFiles() const { return m_recentFiles; }

    // Object names of every action, so tests and scripts can find them with findChild<QAction*>.
    static QStringList actionNames();

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

    QUndoStack* m_undoStack = nullptr;
    RecentFiles* m_recentFiles = nullptr;

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
