#include "sfs/core/project/document.h"

#include "project/document_editor.h"
#include "sfs/core/project/commands.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUndoStack>
#include <QUuid>

#include <algorithm>

namespace sfs::core {

ProjectDocument::ProjectDocument(QObject* parent, const QString& stagingRoot)
    : QObject(parent), m_project(Project::makeDefault()), m_undoStack(new QUndoStack(this)),
      m_stagingRoot(stagingRoot) {
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

ProjectDocument::~ProjectDocument() = default;

QString ProjectDocument::defaultStagingRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/untitled");
}

QString ProjectDocument::displayName() const {
    return isUntitled() ? QCoreApplication::translate("sfs::core::ProjectDocument", "Untitled")
                        : projectNameFor(m_filePath);
}

QString ProjectDocument::assetsDir() const {
    if (!isUntitled()) {
        return assetsDirFor(m_filePath);
    }
    if (m_stagingDir.isEmpty()) {
        // Named on first use; a document that never imports anything leaves nothing behind.
        m_stagingDir = QDir(m_stagingRoot)
                           .filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) +
                                     QStringLiteral(".sfsproj.assets"));
        m_ownsStaging = true;
    }
    return m_stagingDir;
}

QString ProjectDocument::assetFilePath(const QString& relativePath) const {
    return QDir(assetsDir()).filePath(relativePath);
}

bool ProjectDocument::isModified() const {
    return !m_undoStack->isClean();
}

QString ProjectDocument::push(std::unique_ptr<ProjectCommand> command) {
    if (!command) {
        return QStringLiteral("no command");
    }
    const QString problem = command->problem();
    if (!problem.isEmpty()) {
        return problem;
    }
    m_undoStack->push(command.release());
    return {};
}

void ProjectDocument::replaceProject(const Project& project, const QString& path) {
    removeStaging();
    m_undoStack->clear();
    m_project = project;
    const bool pathChanged = path != m_filePath;
    m_filePath = path;
    if (pathChanged) {
        Q_EMIT filePathChanged(m_filePath);
    }
    Q_EMIT documentReset();
    Q_EMIT changed();
}

void ProjectDocument::newProject(const Project& project) {
    replaceProject(project, QString());
}

void ProjectDocument::setLoaded(const LoadedProject& loaded, const QString& path) {
    replaceProject(loaded.project, QFileInfo(path).absoluteFilePath());
}

bool ProjectDocument::open(const QString& path, FileError& error, const LoadOptions& options) {
    LoadedProject loaded;
    if (!loadProject(path, options, loaded, error)) {
        return false;
    }
    setLoaded(loaded, path);
    return true;
}

void ProjectDocument::setRecovered(const Project& project, const QString& originalPath,
                                   const QString& assetsDir) {
    replaceProject(project,
                   originalPath.isEmpty() ? QString() : QFileInfo(originalPath).absoluteFilePath());
    if (originalPath.isEmpty()) {
        m_stagingDir = assetsDir;
        // Delete it later only if it is one of ours: the path came from a file on disk.
        const QFileInfo info(assetsDir);
        m_ownsStaging = info.fileName().endsWith(QStringLiteral(".sfsproj.assets")) &&
                        QFileInfo(info.path()).canonicalFilePath() ==
                            QFileInfo(m_stagingRoot).canonicalFilePath();
    }
    m_undoStack->resetClean(); // unsaved until the user saves it
}

bool ProjectDocument::save(FileError& error) {
    if (isUntitled()) {
        error = FileError{displayName(), QString(), QStringLiteral("the project has no file yet")};
        return false;
    }
    if (!writeProject(m_project, assetsDir(), m_filePath, error)) {
        return false;
    }
    setSaved(m_filePath, m_project);
    return true;
}

bool ProjectDocument::saveAs(const QString& path, FileError& error) {
    const QString target = QFileInfo(withProjectSuffix(path)).absoluteFilePath();
    if (!writeProject(m_project, assetsDir(), target, error)) {
        return false;
    }
    setSaved(target, m_project);
    return true;
}

bool ProjectDocument::writeProject(const Project& project, const QString& assetsFrom,
                                   const QString& path, FileError& error) {
    return copyAssetFolder(assetsFrom, assetsDirFor(path), error) &&
           writeProjectFile(project, path, error);
}

void ProjectDocument::setSaved(const QString& path, const Project& written) {
    const QString target = QFileInfo(path).absoluteFilePath();
    if (target != m_filePath) {
        removeStaging(); // the copy beside the file is the project's now
        m_filePath = target;
        Q_EMIT filePathChanged(m_filePath);
    }
    if (m_project == written) {
        m_undoStack->setClean();
    }
    Q_EMIT saved(m_filePath);
}

void ProjectDocument::close() {
    removeStaging();
    Q_EMIT closed();
}

void ProjectDocument::removeStaging() {
    if (!m_stagingDir.isEmpty() && m_ownsStaging) {
        QDir(m_stagingDir).removeRecursively();
    }
    m_stagingDir.clear();
    m_ownsStaging = false;
}

namespace detail {

void DocumentEditor::sortKeyframes(ProjectDocument& d) {
    std::stable_sort(d.m_project.keyframes.begin(), d.m_project.keyframes.end(),
                     [](const Keyframe& a, const Keyframe& b) { return a.frame < b.frame; });
}

void DocumentEditor::insertKeyframe(ProjectDocument& d, const Keyframe& keyframe) {
    d.m_project.keyframes.push_back(keyframe);
    sortKeyframes(d);
    Q_EMIT d.keyframesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::removeKeyframe(ProjectDocument& d, const QString& id) {
    auto& list = d.m_project.keyframes;
    list.erase(
        std::remove_if(list.begin(), list.end(), [&](const Keyframe& k) { return k.id == id; }),
        list.end());
    Q_EMIT d.keyframesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::replaceKeyframe(ProjectDocument& d, const Keyframe& keyframe) {
    for (Keyframe& k : d.m_project.keyframes) {
        if (k.id == keyframe.id) {
            k = keyframe;
        }
    }
    sortKeyframes(d);
    Q_EMIT d.keyframesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::setPrompts(ProjectDocument& d, const std::vector<PromptSegment>& prompts) {
    d.m_project.prompts = prompts;
    Q_EMIT d.promptsChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::setSettings(ProjectDocument& d, const RenderSettings& settings) {
    d.m_project.settings = settings;
    Q_EMIT d.settingsChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::setTimeline(ProjectDocument& d, int durationFrames,
                                 const std::vector<Keyframe>& keyframes,
                                 const std::vector<PromptSegment>& prompts,
                                 const std::vector<Marker>& markers) {
    const bool markersDiffer = d.m_project.markers != markers;
    d.m_project.durationFrames = durationFrames;
    d.m_project.keyframes = keyframes;
    d.m_project.prompts = prompts;
    d.m_project.markers = markers;
    Q_EMIT d.durationChanged();
    Q_EMIT d.keyframesChanged();
    Q_EMIT d.promptsChanged();
    if (markersDiffer) {
        Q_EMIT d.markersChanged();
    }
    Q_EMIT d.changed();
}

void DocumentEditor::insertTake(ProjectDocument& d, int index, const Take& take) {
    auto& list = d.m_project.takes;
    const auto at = std::clamp<size_t>(static_cast<size_t>(std::max(index, 0)), 0, list.size());
    list.insert(list.begin() + static_cast<std::ptrdiff_t>(at), take);
    Q_EMIT d.takesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::removeTake(ProjectDocument& d, const QString& id) {
    auto& list = d.m_project.takes;
    list.erase(std::remove_if(list.begin(), list.end(), [&](const Take& t) { return t.id == id; }),
               list.end());
    Q_EMIT d.takesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::replaceTake(ProjectDocument& d, const Take& take) {
    for (Take& t : d.m_project.takes) {
        if (t.id == take.id) {
            t = take;
        }
    }
    Q_EMIT d.takesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::setTakes(ProjectDocument& d, const std::vector<Take>& takes) {
    d.m_project.takes = takes;
    Q_EMIT d.takesChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::sortMarkers(ProjectDocument& d) {
    std::stable_sort(d.m_project.markers.begin(), d.m_project.markers.end(),
                     [](const Marker& a, const Marker& b) { return a.frame < b.frame; });
}

void DocumentEditor::insertMarker(ProjectDocument& d, const Marker& marker) {
    d.m_project.markers.push_back(marker);
    sortMarkers(d);
    Q_EMIT d.markersChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::removeMarker(ProjectDocument& d, const QString& id) {
    auto& list = d.m_project.markers;
    list.erase(
        std::remove_if(list.begin(), list.end(), [&](const Marker& m) { return m.id == id; }),
        list.end());
    Q_EMIT d.markersChanged();
    Q_EMIT d.changed();
}

void DocumentEditor::replaceMarker(ProjectDocument& d, const Marker& marker) {
    for (Marker& m : d.m_project.markers) {
        if (m.id == marker.id) {
            m = marker;
        }
    }
    sortMarkers(d);
    Q_EMIT d.markersChanged();
    Q_EMIT d.changed();
}

} // namespace detail

} // namespace sfs::core
