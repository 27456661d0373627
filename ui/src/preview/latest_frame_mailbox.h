#pragma once
// The live preview's input contract. The generation controller put()s every frame the engine
// emits, on the engine's (or any) thread; the UI thread take()s the newest when
// frameAvailable() says there is one, and hands it to PreviewWidget::presentLiveFrame().
//
// Latest wins: a frame put while an earlier one still waits replaces it, so a busy UI thread
// never builds a queue and the preview is at most one frame behind the engine. Frames put in
// order are taken in order (a replaced frame is simply never seen, an older one never follows
// a newer one). frameAvailable() is emitted on the mailbox's thread, once per frame that starts
// waiting (puts that replace a waiting frame add no signal).

#include <QImage>
#include <QObject>

#include <mutex>
#include <optional>

namespace sfs::core {
class Frame;
}

namespace sfs::ui {

class LatestFrameMailbox : public QObject {
    Q_OBJECT
public:
    struct Entry {
        int frameIndex = -1; // the frame's index in the take
        QImage image;
    };

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
    mutable std::mutex m_mutex;
    std::optional<Entry> m_waiting;
    qint64 m_replaced = 0;
};

} // namespace sfs::ui
