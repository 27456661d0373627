#include "sfs/core/render/take_storage.h"

#include <QDir>
#include <QFileInfo>

namespace sfs::core {

namespace {

// The first `count` frames of another source: a take's frames beyond its completed chunks
// (an unfinished chunk left by a stop or a crash) are not part of it.
class FirstFramesSource : public FrameSource {
public:
    FirstFramesSource(std::unique_ptr<FrameSource> source, int count)
        : m_source(std::move(source)), m_count(count) {}
    int frameCount() const override { return m_count; }
    QSize frameSize() const override { return m_source->frameSize(); }
    Frame frame(int index, QString* error) override {
        if (index < 0 || index >= m_count) {
            *error =
                QStringLiteral("frame %1 is outside the take's %2 frames").arg(index).arg(m_count);
            return {};
        }
        return m_source->frame(index, error);
    }

private:
    std::unique_ptr<FrameSource> m_source;
    int m_count;
};

std::unique_ptr<FrameSource> limitToTake(std::unique_ptr<FrameSource> source, const Take& take) {
    if (source->frameCount() <= take.framesCompleted()) {
        return source;
    }
    return std::make_unique<FirstFramesSource>(std::move(source), take.framesCompleted());
}

} // namespace

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
    if (take.chunksCompleted == 0) {
        *error = QStringLiteral("take %1 has no completed chunk yet").arg(take.id);
        return nullptr;
    }
    const QString path = QDir(assetsDir).filePath(take.framesPath);
    const QFileInfo info(path);
    QString problem;
    if (info.isDir()) {
        auto folder = std::make_unique<ImageFolderSource>();
        if (folder->open(path, &problem)) {
            return limitToTake(std::move(folder), take);
        }
    } else if (info.isFile()) {
        auto video = std::make_unique<VideoFileSource>();
        if (video->open(path, &problem)) {
            return limitToTake(std::move(video), take);
        }
    } else {
        problem = QStringLiteral("%1 is missing").arg(path);
    }
    *error = QStringLiteral("take %1: its frames cannot be read: %2").arg(take.id, problem);
    return nullptr;
}

} // namespace sfs::core
