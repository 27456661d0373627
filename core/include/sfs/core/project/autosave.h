#pragma once
// Autosave and crash recovery. While a document has unsaved changes, its Autosaver writes them
// every minute (configurable) to a recovery file under QStandardPaths::AppDataLocation/recovery.
// A clean save, a close, or undoing back to the saved state removes the file. A recovery file
// whose session is gone (its lock file is stale: the process died) is offered on the next start.
//
// The recovery file is JSON: {"format": "sfstudio-recovery", "version": 1, "originalPath",
// "assetsDir", "savedAt", "project": <the project, as in a .sfsproj file>}.

#include "sfs/core/project/project_file.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QLockFile;
class QThreadPool;
class QTimer;

namespace sfs::core {

class ProjectDocument;

struct RecoveryEntry {
    QString recoveryFile; // absolute path of the .sfsrecovery file
    QString originalPath; // the project file the changes belong to; empty for an untitled one
    QString assetsDir;    // where the project's assets were at the time
    QDateTime savedAt;    // UTC; invalid when the file could not be read

    // The project's name, or "Untitled".
    QString displayName() const;
};

class Autosaver : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalSeconds = 60;

    // Starts a session in `recoveryDir` (created when missing) for `document`.
    explicit Autosaver(ProjectDocument* document, const QString& recoveryDir = defaultRecoveryDir(),
                       QObject* parent = nullptr);
    // Waits for pending writes. Keeps the recovery file: only a save or close removes it.
    ~Autosaver() override;

    static QString defaultRecoveryDir();

    // 0 turns the timer off (autosaveNow() still works).
    void setIntervalSeconds(int seconds);
    int intervalSeconds() const { return m_intervalSeconds; }
    QString recoveryFile() const { return m_recoveryFile; }
    QString recoveryDir() const { return m_recoveryDir; }

    // Writes the recovery file now (on a worker thread) if the document has changes that are
    // neither saved nor autosaved yet.
    void autosaveNow();
    // Blocks until every queued write and removal is done.
    void waitForPendingWrites();
    // Removes this session's recovery file.
    void discardRecovery();

    // A recovery file read back: its header and its project.
    struct Recovered {
        RecoveryEntry header;
        LoadedProject loaded;
    };

    // Recovery files left by sessions that ended without a clean close, newest first.
    static QList<RecoveryEntry> findRecoverable(const QString& recoveryDir = defaultRecoveryDir());
    // Loads `entry` into this autosaver's document (modified, to be saved by the user), writes
    // it to this session's recovery file and then removes the entry's file; waits for both.
    // readRecovered() + adoptRecovered() + waitForPendingWrites().
    bool recover(const RecoveryEntry& entry, FileError& error);
    // The reading half of recover(): safe on any thread (the studio runs it as a job).
    static bool readRecovered(const RecoveryEntry& entry, Recovered& recovered, FileError& error);
    // The rest, on the document's thread without waiting for the disk: the document takes the
    // project, and the entry's file goes once this session's copy is written (the writes are
    // queued in order on this autosaver's writer thread).
    void adoptRecovered(const RecoveryEntry& entry, const Recovered& recovered);
    // Deletes the entry's recovery file and, for an untitled project, its staged assets (only
    // when they lie in `stagingRoot`, ProjectDocument::defaultStagingRoot() when empty).
    static void discard(const RecoveryEntry& entry, const QString& stagingRoot = QString());

Q_SIGNALS:
    void autosaved(const QString& recoveryFile);
    void autosaveFailed(const QString& message);

private:
    void documentChanged();

    ProjectDocument* m_document;
    QString m_recoveryDir;
    QString m_recoveryFile;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<QThreadPool> m_writer; // one thread: writes and removals stay in order
    QTimer* m_timer = nullptr;
    int m_intervalSeconds = kDefaultIntervalSeconds;
    bool m_pending = false; // changes not autosaved yet
};

} // namespace sfs::core
