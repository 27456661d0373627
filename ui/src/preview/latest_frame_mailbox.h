#pragma once
// Live frames into the preview from a producer without a wake-up of its own: put() every frame
// on any thread; the UI thread take()s the newest when frameAvailable() says there is one
// (PreviewWidget::showLiveFramesFrom() does). The generation controller needs none: it batches
// its frames with its progress in one LiveFrameMailbox (live_frame_mailbox.h, the store this
// class wraps) and one drain, and emits liveFrame() for PreviewWidget::presentLiveFrame().
//
// Latest wins: a frame put while an earlier one still waits replaces it, so a busy UI thread
// never builds a queue and the preview is at most one frame behind the engine. Frames put in
// order are taken in order (a replaced frame is simply never seen, an older one never follows
// a newer one). frameAvailable() is emitted on the mailbox's thread, once per frame that starts
// waiting (puts that replace a waiting frame add no signal).

#include "live_frame_mailbox.h"

#include <QImage>
#include <QObject>

#include <atomic>
#include <optional>

namespace sfs::core {
class Frame;
}

namespace sfs::ui {

class LatestFrameMailbox : public QObject {
    Q_OBJECT
public:
    using Entry = LiveFrameMailbox::Item; // the frame's index in the take, and its image

    explicit LatestFrameMailbox(QObject* parent = nullptr);

    // Any thread. The mailbox must outlive the producer's last put().
    void put(int frameIndex, const QImage& image);
    // The same for an engine's frame, converted to the preview's image on the calling thread.
    void put(int frameIndex, const core::Frame& frame);
    // The mailbox's thread: the newest frame put since the last take(), or nothing.
    std::optional<Entry> take();
    // Drops a waiting frame (a new generation starts; its frames are not the old ones').
    void clear();
    // Frames replaced before anyone took them, since construction (for benchmarks and tests).
    qint64 replacedCount() const;

Q_SIGNALS:
    void frameAvailable();

private:
    LiveFrameMailbox m_box; // the latest-wins store; this class adds the wake-up
    std::atomic<qint64> m_replaced{0};
};

} // namespace sfs::ui
