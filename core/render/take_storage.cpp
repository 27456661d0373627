#include "sfs/core/render/take_storage.h"

#include <QDir>
#include <QFileInfo>

namespace sfs::core {

const Take* findTake(const Project& project, const QString& id, QString* error) {
    if (project.takes.empty()) {
        *error = QStringLiteral("the project has no takes yet: generate one first");
        return nullptr;
    }
    if (id.isEmpty()) {
        // Takes are kept oldest first, but a hand-edited file may list them in any order.
        const Take* newest = &project.takes.front();
        for (const Take& t : project.takes) {
            if (t.created > newest->created) {
                newest = &t;
            }
        }
        return newest;
    }
    if (const Take* take = project.take(id)) {
        return take;
    }
    QStringList ids;
    for (const Take& t : project.takes) {
        ids << t.id;
    }
    *error = QStringLiteral("the project has no take \"%1\" (its takes: %2)")
                 .arg(id, ids.join(QStringLiteral(", ")));
    return nullptr;
}

std::unique_ptr<FrameSource> openTakeFrames(const Take& take, const QString& assetsDir,
                                            QString* error) {
    if (take.framesPath.isEmpty()) {
        *error = take.latentsPath.isEmpty()
                     ? QStringLiteral("take %1 stored no frames").arg(take.id)
                     : QStringLiteral("take %1 stored only latents (%2); exporting it needs its "
                                      "frames, which the generator decodes and stores")
                           .arg(take.id, take.latentsPath);
        return nullptr;
    }
    const QString path = QDir(assetsDir).filePath(take.framesPath);
    const QFileInfo info(path);
    QString problem;
    if (info.isDir()) {
        auto folder = std::make_unique<ImageFolderSource>();
        if (folder->open(path, &problem)) {
            return folder;
        }
    } else if (info.isFile()) {
        auto video = std::make_unique<VideoFileSource>();
        if (video->open(path, &problem)) {
            return video;
        }
    } else {
        problem = QStringLiteral("%1 is missing").arg(path);
    }
    *error = QStringLiteral("take %1: its frames cannot be read: %2").arg(take.id, problem);
    return nullptr;
}

} // namespace sfs::core
