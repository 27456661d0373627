#pragma once
// The frames of one take for playback: read and decoded off the UI thread, a few around the
// playhead kept ready. The UI thread only asks (request()) and looks (nearest()); one worker
// thread opens the take's stored frames (sfs/core/render/take_storage.h) and decodes them in
// the order asked, the frame wanted now first, then the ones playback reaches next.

#include "sfs/core/project/project.h"

#include <QHash>
#include <QImage>
#include <QObject>
#include <QThreadPool>

#include <memory>

namespace sfs::ui {

class TakeFrameCache : public QObject {
    Q_OBJECT
public:
    static constexpr int kAhead = 12;    // frames decoded ahead of the playhead, in play direction
    static constexpr int kBehind = 4;    // and behind it (for stepping back)
    static constexpr int kCapacity = 32; // frames kept (about 50 MB at 832×480)

    explicit TakeFrameCache(QObject* parent = nullptr);
    ~TakeFrameCache() override;

    // Shows `take` from `assetsDir`; drops what was cached unless it is the same take with the
    // same frames. An invalid take (empty id) shows nothing.
    void setTake(const core::Take& take, const QString& assetsDir);
    QString takeId() const { return m_take.id; }
    // The frames of the take's completed chunks, or fewer once reading found fewer on disk.
    int frameCount() const;
    // Why the take's frames cannot be shown (empty while fine or not yet known).
    QString problem() const { return m_problem; }

    // Wants `frame` now and the frames after it in `direction` (+1, -1; 0 both ways) soon.
    void request(int frame, int direction);
    // The ready frame nearest to `frame` (its index in *readyIndex), or a null image.
    QImage nearest(int frame, int* readyIndex = nullptr) const;
    bool isReady(int frame) const { return m_frames.contains(frame); }

Q_SIGNALS:
    void frameReady(int frame);
    void frameCountChanged(int frames); // reading found fewer frames on disk than expected
    void problemChanged(const QString& problem);

private:
    struct Loader;
    static void decodeWanted(const std::shared_ptr<Loader>& loader); // the worker
    // A decoded frame (or why not) from the loader of `generation`, maybe one let go of since.
    // `available`: the frames the take's source has (-1 when it could not be opened).
    void received(quint64 generation, int frame, const QImage& image, const QString& problem,
                  int available);
    void evict(int around);

    QThreadPool m_pool; // one thread: decodes never compete with each other
    std::shared_ptr<Loader> m_loader;
    quint64 m_generation = 0; // of m_loader; each take (or frame count) gets a new one
    core::Take m_take;
    QString m_assetsDir;
    QHash<int, QImage> m_frames;
    QString m_problem;
    int m_available = -1; // frames the source has, once opened
    int m_lastRequested = 0;
};

} // namespace sfs::ui
