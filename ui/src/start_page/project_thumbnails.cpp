#include "start_page/project_thumbnails.h"

#include "preview/frame_image.h"
#include "sfs/build_config.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/project_file.h"
#include "timeline/thumbnail_cache.h"
#if SFS_WITH_MEDIA
#include "sfs/core/render/take_storage.h"
#endif

#include <QDir>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace sfs::ui {

namespace {

QString keyFor(const QString& path, const QDateTime& modified) {
    return path + QLatin1Char('|') + QString::number(modified.toMSecsSinceEpoch());
}

#if SFS_WITH_MEDIA
// The first stored frame of the newest take that has one.
QImage newestTakeFrame(const core::Project& project, const QString& assetsDir, QSize box) {
    for (auto take = project.takes.rbegin(); take != project.takes.rend(); ++take) {
        if (take->framesPath.isEmpty() || take->framesCompleted() <= 0) {
            continue;
        }
        QString error;
        const auto frames = core::openTakeFrames(*take, assetsDir, &error);
        if (frames == nullptr || frames->frameCount() == 0) {
            continue;
        }
        const core::Frame frame = frames->frame(0, &error);
        if (!frame.isNull()) {
            return previewImage(frame).scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        }
    }
    return QImage();
}
#endif

} // namespace

ProjectThumbnails::ProjectThumbnails(QSize box, QObject* parent) : QObject(parent), m_box(box) {
    m_pool.setMaxThreadCount(1); // a slow disk delays thumbnails, never the jobs' pool
}

ProjectThumbnails::~ProjectThumbnails() {
    m_pool.clear();
    m_pool.waitForDone();
}

QImage ProjectThumbnails::render(const QString& path, QSize box) {
    core::LoadedProject loaded;
    core::FileError error;
    core::LoadOptions options;
    options.assets = core::AssetCheck::None; // only the images shown are read
    if (!core::loadProject(path, options, loaded, error)) {
        return QImage();
    }
    const QString assetsDir = core::assetsDirFor(path);
#if SFS_WITH_MEDIA
    if (QImage frame = newestTakeFrame(loaded.project, assetsDir, box); !frame.isNull()) {
        return frame;
    }
#endif
    for (const core::Keyframe& keyframe : loaded.project.keyframes) { // sorted by frame
        if (!keyframe.image.isEmpty()) {
            return readScaledImage(QDir(assetsDir).filePath(keyframe.image), box);
        }
    }
    return QImage();
}

QImage ProjectThumbnails::thumbnail(const QString& path, const QDateTime& modified) {
    const QString key = keyFor(path, modified);
    if (const auto found = m_images.constFind(key); found != m_images.constEnd()) {
        return *found;
    }
    if (m_inFlight.contains(key)) {
        return QImage();
    }
    m_inFlight.insert(key);
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, key, path] {
        watcher->deleteLater();
        m_inFlight.remove(key);
        m_images.insert(key, watcher->result());
        Q_EMIT ready(path);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, &ProjectThumbnails::render, path, m_box));
    return QImage();
}

} // namespace sfs::ui
