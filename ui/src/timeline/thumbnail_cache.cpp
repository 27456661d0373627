#include "timeline/thumbnail_cache.h"

#include "sfs/core/media/image_file.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImage>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

namespace sfs::ui {

namespace {

// About 64 MB of thumbnails (QCache's cost is in KiB here).
constexpr int kCacheKiB = 64 * 1024;

} // namespace

QImage readScaledImage(const QString& path, QSize box) {
    QImage image;
    if (core::imageSupportAvailable()) {
        // The one decode path (orientation, alpha, EXR) the keyframes themselves go through.
        QString error;
        const core::Frame frame = core::readImageFile(path, &error);
        if (!frame.isNull()) {
            // A view of the frame's pixels, copied before `frame` goes (scaled() returns the
            // view itself when the size already fits).
            image = QImage(frame.constData(), frame.width(), frame.height(), frame.stride(),
                           QImage::Format_RGB888)
                        .scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                        .copy();
        }
    } else {
        QImageReader reader(path);
        reader.setAutoTransform(true);
        image = reader.read().scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }
    return image;
}

namespace {

QString takeFramePath(const QString& folder, int index) {
    // take_recorder.h's layout first: one "NNNNNN.png" per frame.
    const QString named =
        QDir(folder).filePath(QStringLiteral("%1.png").arg(index, 6, 10, QLatin1Char('0')));
    if (QFileInfo::exists(named)) {
        return named;
    }
    QString error;
    const QStringList files = core::listFrameFiles(folder, &error);
    return index < files.size() ? files.at(index) : QString();
}

} // namespace

ThumbnailCache::ThumbnailCache(QObject* parent) : QObject(parent), m_pixmaps(kCacheKiB) {
    m_pool.setMaxThreadCount(2);
}

ThumbnailCache::~ThumbnailCache() {
    m_queue.clear();
    m_pool.waitForDone();
}

QPixmap ThumbnailCache::pixmap(const QString& path, QSize box) {
    const QString key = QStringLiteral("%1|%2x%3").arg(path).arg(box.width()).arg(box.height());
    return lookup({key, path, -1, box});
}

QPixmap ThumbnailCache::takeFramePixmap(const QString& folder, int index, QSize box) {
    const QString key =
        QStringLiteral("%1#%2|%3x%4").arg(folder).arg(index).arg(box.width()).arg(box.height());
    return lookup({key, folder, index, box});
}

QPixmap ThumbnailCache::lookup(Request request) {
    if (const QPixmap* cached = m_pixmaps.object(request.key)) {
        return *cached;
    }
    if (!request.path.isEmpty() && !m_failed.contains(request.key) &&
        !m_inFlight.contains(request.key) && request.box.isValid()) {
        m_inFlight.insert(request.key);
        m_queue.push_back(std::move(request));
        pump();
    }
    return {};
}

void ThumbnailCache::beginPass() {
    for (const Request& r : m_queue) {
        m_inFlight.remove(r.key);
    }
    m_queue.clear();
}

void ThumbnailCache::pump() {
    while (m_running < m_pool.maxThreadCount() && !m_queue.empty()) {
        Request r = std::move(m_queue.back()); // newest first: what the user looks at now
        m_queue.pop_back();
        ++m_running;
        auto* watcher = new QFutureWatcher<QImage>(this);
        connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, key = r.key] {
            watcher->deleteLater();
            --m_running;
            m_inFlight.remove(key);
            const QImage image = watcher->result();
            if (image.isNull()) {
                m_failed.insert(key);
            } else {
                const int kib = std::max<qsizetype>(1, image.sizeInBytes() / 1024);
                m_pixmaps.insert(key, new QPixmap(QPixmap::fromImage(image)), int(kib));
            }
            pump();
            Q_EMIT ready();
        });
        watcher->setFuture(
            QtConcurrent::run(&m_pool, [path = r.path, index = r.index, box = r.box] {
                const QString file = index < 0 ? path : takeFramePath(path, index);
                return file.isEmpty() ? QImage() : readScaledImage(file, box);
            }));
    }
}

} // namespace sfs::ui
