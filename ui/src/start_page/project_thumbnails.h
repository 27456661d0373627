#pragma once
// The start page's project thumbnails: the first frame of a project's newest take, else its
// first keyframe's image. Read and scaled on a thread of their own (never the UI thread) and
// kept in memory by file and modification time, so a project saved since is read again.

#include <QDateTime>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QString>
#include <QThreadPool>

namespace sfs::ui {

class ProjectThumbnails : public QObject {
    Q_OBJECT
public:
    explicit ProjectThumbnails(QSize box, QObject* parent = nullptr);
    ~ProjectThumbnails() override;

    // The thumbnail of the project file `path` as it was at `modified`: null while it loads (a
    // load is started; ready() follows) and when the project has neither a take's frames nor a
    // keyframe image (the caller shows a placeholder then).
    QImage thumbnail(const QString& path, const QDateTime& modified);
    bool isLoading() const { return !m_inFlight.isEmpty(); }

    // The work itself, on any thread: the image, scaled to fit `box`, or null.
    static QImage render(const QString& path, QSize box);

Q_SIGNALS:
    void ready(const QString& path);

private:
    QSize m_box;
    QThreadPool m_pool;
    QHash<QString, QImage> m_images; // "path|msecs" -> image (null: nothing to show)
    QSet<QString> m_inFlight;
};

} // namespace sfs::ui
