#pragma once
// Thumbnails for the timeline, decoded and scaled off the UI thread and kept as QPixmaps.
//
// The painter asks for what it shows (pixmap(): the cached pixmap, or null and a load is queued)
// and repaints on ready(). Decoding runs on the cache's own small thread pool so that a long
// timeline never floods the global pool the jobs use; requests still queued when the next paint
// begins (beginPass()) are dropped, since scrolling may have left them off view — what is still
// visible is asked for again. The newest request is served first. Nothing is ever invalidated:
// keyframe images are stored under their content hash and a take's frames never change once
// written (a regenerated take is a new take with its own folder).

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QSize>
#include <QString>
#include <QThreadPool>

#include <deque>

namespace sfs::ui {

// The image file `path` decoded (the keyframes' one decode path where media support is built)
// and scaled to fit `box`; null when it cannot be read. Any thread.
QImage readScaledImage(const QString& path, QSize box);

class ThumbnailCache : public QObject {
    Q_OBJECT
public:
    explicit ThumbnailCache(QObject* parent = nullptr);
    ~ThumbnailCache() override;

    // The image file `path` scaled to fit `box`. Null until loaded (or when it cannot be read).
    QPixmap pixmap(const QString& path, QSize box);
    // Frame `index` of the take whose frames are the image folder `folder` (take_recorder.h's
    // layout "NNNNNN.png", else the folder's images in natural order), scaled to fit `box`.
    QPixmap takeFramePixmap(const QString& folder, int index, QSize box);

    // Drops the queued (not yet started) loads; the painter calls it before asking anew.
    void beginPass();

Q_SIGNALS:
    // A thumbnail was loaded (or found unreadable): repaint.
    void ready();

private:
    struct Request {
        QString key;
        QString path; // an image file, or a take frames folder
        int index;    // -1 for an image file, else the take frame
        QSize box;
    };
    QPixmap lookup(Request request);
    void pump();

    QThreadPool m_pool;
    QCache<QString, QPixmap> m_pixmaps;
    QSet<QString> m_failed;
    QSet<QString> m_inFlight; // queued or running
    std::deque<Request> m_queue;
    int m_running = 0;
};

} // namespace sfs::ui
