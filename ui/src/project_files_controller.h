#pragma once
// File > New, Open, Open Recent, Save, Save As, the sample project and crash recovery (offered
// on the start page) for the main window. Questions (unsaved changes, file dialogs) are asked on
// the UI thread; the disk work (reading and checking a project, copying assets, writing the file,
// reading or removing a recovery file) runs as a Job, one at a time, and ends in opened(),
// saved(), recovered(), recoveryDiscarded() or failed().

#include <QObject>
#include <QString>

#include <functional>

class QWidget;

namespace sfs::core {
class Autosaver;
class ProjectDocument;
struct RecoveryEntry;
} // namespace sfs::core

namespace sfs::ui {

class Job;
class RecentFiles;

class ProjectFilesController : public QObject {
    Q_OBJECT
public:
    // `window` parents the dialogs and questions.
    ProjectFilesController(core::ProjectDocument* document, core::Autosaver* autosaver,
                           RecentFiles* recentFiles, QWidget* window);

    // The running open/save/recovery job, or null.
    Job* job() const { return m_job; }
    bool isBusy() const { return m_job != nullptr; }

    // What askToSave() left to do.
    enum class Answer {
        Proceed, // nothing unsaved, or the user discarded it: go on now
        Cancel,  // the user cancelled (or a file dialog): do not go on
        Saving,  // a save job runs; `afterSave` runs once it succeeded
    };
    // Asks whether to save unsaved changes.
    Answer askToSave(std::function<void()> afterSave);

    // Each returns at once; false when nothing was started (busy, or the user cancelled).
    // A new project renders with the default model (defaultModelFolder(): the last one chosen in
    // the model setup dialog).
    void newProject();
    void openProject(); // asks for a file
    // An exported clip (.mp4/.mov) or sequence sidecar (.json) opens as a new, untitled project
    // made from the project it carries (see core::openExportedProject).
    bool openFile(const QString& path);
    bool save();   // Save As for an untitled project
    bool saveAs(); // asks for a file
    bool saveTo(const QString& path);
    // Opens a copy of the sample project (sampleProjectPath()) kept under AppDataLocation/sample,
    // made on first use: the sample's own folder may be read-only, and its takes go beside it.
    bool openSample();
    // What a session that ended without closing left (the start page offers it): recover() loads
    // the autosaved changes (modified, to be saved by the user); discardRecovery() deletes them
    // and then opens the saved file, when there is one.
    bool recover(const core::RecoveryEntry& entry);
    bool discardRecovery(const core::RecoveryEntry& entry);

    QString projectFilter() const;
    QString dialogFolder() const;

Q_SIGNALS:
    void busyChanged(bool busy);
    void opened(const QString& path);
    void saved(const QString& path);
    void recovered(const QString& name);
    void recoveryDiscarded(const QString& recoveryFile);
    // The window tells the user (not modal: nothing waits for it).
    void failed(const QString& text, const QString& details);
    void statusMessage(const QString& text, int timeoutMs);

private:
    bool openProjectFile(const QString& path);
    bool openExportFile(const QString& path);
    // Makes `job` the running one; `done` runs on the UI thread when it has finished.
    void track(Job* job, std::function<void(Job&)> done);

    core::ProjectDocument* m_document;
    core::Autosaver* m_autosaver;
    RecentFiles* m_recentFiles;
    QWidget* m_window;
    Job* m_job = nullptr;
    std::function<void()> m_afterSave; // what a question answered with "Save" goes on with
};

} // namespace sfs::ui
