#pragma once
// An open project: the Project value, its undo stack, its file and its assets folder. The GUI
// edits it only through the undo commands in commands.h and listens to its signals.

#include "sfs/core/project/project.h"
#include "sfs/core/project/project_file.h"

#include <QObject>
#include <QString>

#include <memory>

class QUndoStack;

namespace sfs::core {

class ProjectCommand;
namespace detail {
class DocumentEditor;
}

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    // Untitled projects keep their imported assets in "<stagingRoot>/<uuid>.sfsproj.assets"
    // until the first save; the default root is under QStandardPaths::AppDataLocation, so that
    // crash recovery finds them too.
    explicit ProjectDocument(QObject* parent = nullptr,
                             const QString& stagingRoot = defaultStagingRoot());
    ~ProjectDocument() override;

    static QString defaultStagingRoot();
    QString stagingRoot() const { return m_stagingRoot; }

    const Project& project() const { return m_project; }
    QUndoStack* undoStack() const { return m_undoStack; }

    QString filePath() const { return m_filePath; } // absolute; empty while untitled
    bool isUntitled() const { return m_filePath.isEmpty(); }
    QString displayName() const; // the file's name, or "Untitled"
    // Where assets live: beside the file, or the staging folder while untitled. Not created
    // until something is stored there.
    QString assetsDir() const;
    QString assetFilePath(const QString& relativePath) const;
    bool isModified() const;

    // Applies `command` as one undoable step (QUndoStack::push). When the edit does not apply
    // to the project as it is, nothing changes and the problem is returned; else an empty string.
    QString push(std::unique_ptr<ProjectCommand> command);

    // A fresh id for one continuous gesture (a drag, typing in a field): commands that carry
    // the same non-zero gesture and target merge into one undo step.
    quint64 newGesture() { return ++m_lastGesture; }

    // Whole-document operations. Each replaces the project and clears the undo history.
    void newProject(const Project& project = Project::makeDefault());
    // Takes a project read by loadProject() (which may run on a worker thread).
    void setLoaded(const LoadedProject& loaded, const QString& path);
    // loadProject() + setLoaded(); on failure the document is unchanged.
    bool open(const QString& path, FileError& error, const LoadOptions& options = LoadOptions());
    // Takes a project recovered after a crash. It counts as modified until saved. An untitled
    // one keeps its assets in `assetsDir` (its old staging folder), which it now owns.
    void setRecovered(const Project& project, const QString& originalPath,
                      const QString& assetsDir);

    // Writes to filePath(). Untitled documents need saveAs().
    bool save(FileError& error);
    // Writes to `path` (".sfsproj" appended when missing), copying the assets folder over first.
    bool saveAs(const QString& path, FileError& error);

    // Saving in two halves, so that the disk work runs on a worker thread (the studio's save
    // job): writeProject() copies the assets from `assetsFrom` to beside `path` and writes
    // `project` there (any thread; `path` as the document will name it); then, on the document's
    // thread, setSaved() makes `path` the document's file. The document counts as saved only
    // when it still holds `written`: edits made while the worker ran stay unsaved. Assets
    // imported into an untitled project's staging folder while its first save runs are not
    // carried over (the staging folder goes): importers wait while a save job runs.
    static bool writeProject(const Project& project, const QString& assetsFrom, const QString& path,
                             FileError& error);
    void setSaved(const QString& path, const Project& written);

    // The user is done with this document (closed or discarded it): the staging folder of an
    // untitled project is removed. The project itself stays readable.
    void close();

Q_SIGNALS:
    void keyframesChanged();
    void promptsChanged();
    void settingsChanged();
    void durationChanged();
    void takesChanged();
    void markersChanged();
    void changed();       // after any edit, and after documentReset()
    void documentReset(); // new, open or recover: everything may have changed
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);
    void saved(const QString& path);
    void closed();

private:
    friend class detail::DocumentEditor;

    void replaceProject(const Project& project, const QString& path);
    void removeStaging();

    Project m_project;
    QUndoStack* m_undoStack = nullptr;
    QString m_filePath;
    QString m_stagingRoot;
    // The assets folder of an untitled project, named on first use.
    mutable QString m_stagingDir;
    mutable bool m_ownsStaging = false; // removed with the document
    quint64 m_lastGesture = 0;
};

} // namespace sfs::core
