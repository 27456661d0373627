#include "preview/latest_frame_mailbox.h"

#include "preview/frame_image.h"

namespace sfs::ui {

LatestFrameMailbox::LatestFrameMailbox(QObject* parent) : QObject(parent) {}

void LatestFrameMailbox::put(int frameIndex, const QImage& image) {
    if (!m_box.put(frameIndex, image)) {
        ++m_replaced; // a frame was still waiting: it is never seen
        return;
    }
    // Queued even on the mailbox's own thread: take() always runs from the event loop.
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT frameAvailable(); }, Qt::QueuedConnection);
}

void LatestFrameMailbox::put(int frameIndex, const core::Frame& frame) {
    put(frameIndex, previewImage(frame));
}

std::optional<LatestFrameMailbox::Entry> LatestFrameMailbox::take() {
    return m_box.take();
}

void LatestFrameMailbox::clear() {
    m_box.take();
}

qint64 LatestFrameMailbox::replacedCount() const {
    return m_replaced.load();
}

} // namespace sfs::ui
