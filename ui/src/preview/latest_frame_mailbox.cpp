#include "preview/latest_frame_mailbox.h"

#include "preview/frame_image.h"

namespace sfs::ui {

LatestFrameMailbox::LatestFrameMailbox(QObject* parent) : QObject(parent) {}

void LatestFrameMailbox::put(int frameIndex, const QImage& image) {
    bool wasEmpty = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        wasEmpty = !m_waiting.has_value();
        if (!wasEmpty) {
            ++m_replaced;
        }
        m_waiting = Entry{frameIndex, image};
    }
    if (wasEmpty) {
        // Queued even on the mailbox's own thread: take() always runs from the event loop.
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT frameAvailable(); }, Qt::QueuedConnection);
    }
}

void LatestFrameMailbox::put(int frameIndex, const core::Frame& frame) {
    put(frameIndex, previewImage(frame));
}

std::optional<LatestFrameMailbox::Entry> LatestFrameMailbox::take() {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::optional<Entry> entry = std::move(m_waiting);
    m_waiting.reset();
    return entry;
}

void LatestFrameMailbox::clear() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_waiting.reset();
}

qint64 LatestFrameMailbox::replacedCount() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_replaced;
}

} // namespace sfs::ui
