#pragma once
// The start page: what the main window shows while no project is open (at start-up, and after
// File > Close Project). Recent projects with thumbnails (a file that is gone is greyed, marked
// "not found" and can be removed from the list), New Project, Open, the sample project, the model
// new projects use, and, after a crash, one offer per project whose changes were autosaved:
// Recover, Discard, Show Both.
//
// The page only asks; the window does the work (ProjectFilesController). What it lists is read
// off the UI thread by refresh() (which files still exist, the recovery folder); thumbnails come
// from ProjectThumbnails.

#include "sfs/core/project/autosave.h"

#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

class QFrame;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QVBoxLayout;

namespace sfs::ui {

class Job;
class ProjectThumbnails;
class RecentFiles;

// One recent project as the page found it.
struct RecentProjectState {
    QString path;
    bool exists = false;
    QDateTime modified; // of the project file
};

// One set of autosaved changes of a session that ended without closing.
struct RecoveryOffer {
    core::RecoveryEntry entry;
    // The project's file was saved after these changes were autosaved (by another session).
    bool savedFileNewer = false;
    bool savedFileExists = false;
};

struct StartPageScan {
    QList<RecentProjectState> recent;
    QList<RecoveryOffer> recovery; // newest first
};

class StartPage : public QWidget {
    Q_OBJECT
public:
    StartPage(RecentFiles* recentFiles, const QString& recoveryDir, QWidget* parent = nullptr);
    ~StartPage() override;

    // Reads the recent files' state and the recovery folder again (as a job); scanned() follows.
    void refresh();
    // The disk work of refresh(), on any thread.
    static StartPageScan scan(const QStringList& recentPaths, const QString& recoveryDir);

    const StartPageScan& lastScan() const { return m_scan; }
    bool isScanning() const;
    bool isLoadingThumbnails() const;
    // The list of recent projects (item data: Qt::UserRole the path, PathExistsRole whether the
    // file exists) and the recovery offers' rows (object name "recoveryRow", property
    // "recoveryFile"; buttons "recoverButton", "discardButton", "showBothButton").
    QListWidget* recentList() const { return m_recentList; }
    QList<QWidget*> recoveryRows() const;
    static constexpr int PathExistsRole = Qt::UserRole + 1;

    // Keyboard focus on "New Project", the first thing on the page.
    void focusFirstAction();
    // Off while a file job runs: the page asks for one thing at a time.
    void setActionsEnabled(bool enabled);

Q_SIGNALS:
    void newProjectRequested();
    void openRequested();
    void openSampleRequested();
    void openRecentRequested(const QString& path);
    void recoverRequested(const sfs::core::RecoveryEntry& entry);
    void discardRecoveryRequested(const sfs::core::RecoveryEntry& entry);
    void showBothRequested(const sfs::core::RecoveryEntry& entry);
    void scanned();

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void retranslate();
    void showScan();
    void fillRecentList();
    void fillRecovery();
    void updateThumbnail(QListWidgetItem* item);
    void updateDefaultModel();
    void updateRecentButtons();
    void openSelected();
    void removeSelected();
    void chooseDefaultModel();
    void applyRecoveryPalette();
    QPixmap placeholder(bool missing) const;

    RecentFiles* m_recentFiles;
    QString m_recoveryDir;
    StartPageScan m_scan;
    QPointer<Job> m_job;
    bool m_refreshAgain = false;
    bool m_refreshed = false; // refresh() was called: the page is in use
    ProjectThumbnails* m_thumbnails;
    bool m_actionsEnabled = true;

    QLabel* m_title = nullptr;
    QLabel* m_subtitle = nullptr;
    QPushButton* m_newButton = nullptr;
    QPushButton* m_openButton = nullptr;
    QPushButton* m_sampleButton = nullptr;
    QLabel* m_defaultModel = nullptr;
    QPushButton* m_defaultModelButton = nullptr;
    QFrame* m_recoveryFrame = nullptr;
    QLabel* m_recoveryTitle = nullptr;
    QLabel* m_recoveryText = nullptr;
    QVBoxLayout* m_recoveryRows = nullptr;
    QLabel* m_recentTitle = nullptr;
    QListWidget* m_recentList = nullptr;
    QLabel* m_noRecent = nullptr;
    QPushButton* m_openRecentButton = nullptr;
    QPushButton* m_removeRecentButton = nullptr;
};

} // namespace sfs::ui
