#include "preview/preview_widget.h"

#include "preview/latest_frame_mailbox.h"
#include "preview/take_frame_cache.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/ui/transport.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>
#include <QVideoFrame>
#include <QVideoFrameFormat>
#include <QVideoSink>
#include <QVideoWidget>

#include <algorithm>
#include <cstring>

namespace sfs::ui {

PreviewWidget::PreviewWidget(core::ProjectDocument* document, Transport* transport, QWidget* parent)
    : QWidget(parent), m_document(document), m_transport(transport),
      m_cache(new TakeFrameCache(this)) {
    setObjectName(QStringLiteral("previewWidget"));
    // Clicking the preview takes the focus from a text field, so the transport keys work.
    setFocusPolicy(Qt::StrongFocus);

    m_video = new QVideoWidget(this);
    m_video->setObjectName(QStringLiteral("previewVideo"));
    m_video->setMinimumSize(160, 90);
    m_overlay = new QLabel(this);
    m_overlay->setObjectName(QStringLiteral("previewOverlay"));
    m_overlay->setAlignment(Qt::AlignCenter);
    m_overlay->setTextFormat(Qt::PlainText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_video, 1);
    layout->addWidget(m_overlay);

    connect(transport, &Transport::frameChanged, this, &PreviewWidget::showTransportFrame);
    connect(transport, &Transport::rateChanged, this, &PreviewWidget::showTransportFrame);
    connect(transport, &Transport::takeChanged, this, [this] {
        if (m_followsTransport) {
            reloadTake();
        }
    });
    connect(document, &core::ProjectDocument::takesChanged, this, &PreviewWidget::reloadTake);
    connect(document, &core::ProjectDocument::documentReset, this, &PreviewWidget::reloadTake);
    connect(m_cache, &TakeFrameCache::frameReady, this, [this](int frame) {
        // The frame wanted now, or a nearer one than the one in view.
        const int wanted = m_transport->frame();
        if (m_shownFrame < 0 || m_shownIsLive ||
            std::abs(frame - wanted) < std::abs(m_shownFrame - wanted)) {
            showTransportFrame();
        }
    });
    connect(m_cache, &TakeFrameCache::frameCountChanged, this, &PreviewWidget::showTransportFrame);
    connect(m_cache, &TakeFrameCache::problemChanged, this, &PreviewWidget::updateOverlay);
    reloadTake();
}

PreviewWidget::~PreviewWidget() = default;

QVideoSink* PreviewWidget::videoSink() const {
    return m_video->videoSink();
}

QVideoFrame PreviewWidget::toVideoFrame(const QImage& image) {
    const QImage rgb = image.format() == QImage::Format_RGB32
                           ? image
                           : image.convertToFormat(QImage::Format_RGB32);
    QVideoFrame frame(QVideoFrameFormat(
        rgb.size(), QVideoFrameFormat::pixelFormatFromImageFormat(QImage::Format_RGB32)));
    if (!frame.map(QVideoFrame::WriteOnly)) {
        return {};
    }
    const int rowBytes = std::min<int>(frame.bytesPerLine(0), int(rgb.bytesPerLine()));
    for (int y = 0; y < rgb.height(); ++y) {
        std::memcpy(frame.bits(0) + qsizetype(y) * frame.bytesPerLine(0), rgb.constScanLine(y),
                    size_t(rowBytes));
    }
    frame.unmap();
    return frame;
}

void PreviewWidget::presentLiveFrame(int frameIndex, const QImage& frame) {
    present(frameIndex, frame, true);
    updateOverlay();
}

void PreviewWidget::setGenerating(bool generating, double framesPerSecond) {
    m_generationFps = generating ? framesPerSecond : 0.0;
    if (generating == m_generating) {
        updateOverlay();
        return;
    }
    m_generating = generating;
    if (generating) {
        clearView(); // until the first frame: the old take's frame is not what is being made
        updateOverlay();
    } else {
        reloadTake(); // what was stored meanwhile
    }
}

void PreviewWidget::showLiveFramesFrom(LatestFrameMailbox* mailbox) {
    connect(mailbox, &LatestFrameMailbox::frameAvailable, this, [this, mailbox] {
        if (std::optional<LatestFrameMailbox::Entry> entry = mailbox->take()) {
            presentLiveFrame(entry->frameIndex, entry->image);
        }
    });
}

void PreviewWidget::setFollowsTransportTake(bool follows) {
    m_followsTransport = follows;
    reloadTake();
}

void PreviewWidget::setTakeId(const QString& id) {
    if (id == m_fixedTakeId) {
        return;
    }
    m_fixedTakeId = id;
    if (!m_followsTransport) {
        reloadTake();
    }
}

QString PreviewWidget::takeId() const {
    return m_followsTransport ? m_transport->takeId() : m_fixedTakeId;
}

void PreviewWidget::setCaption(const QString& caption) {
    m_caption = caption;
    updateOverlay();
}

void PreviewWidget::reloadTake() {
    const core::Take* take = m_document->project().take(takeId());
    const QString previous = m_cache->takeId();
    m_cache->setTake(take != nullptr ? *take : core::Take(), m_document->assetsDir());
    if (m_cache->takeId() != previous && !m_shownIsLive) {
        clearView(); // another take's frame must not stand for this one's
    }
    showTransportFrame();
}

void PreviewWidget::showTransportFrame() {
    if (m_generating) {
        updateOverlay(); // live frames take precedence
        return;
    }
    const int wanted = m_transport->frame();
    const double rate = m_transport->rate();
    m_cache->request(wanted, rate > 0 ? 1 : rate < 0 ? -1 : 0);
    int ready = -1;
    const QImage image = m_cache->nearest(wanted, &ready);
    if (image.isNull()) {
        if (m_cache->frameCount() == 0) {
            clearView();
        }
    } else if (ready != m_shownFrame || m_shownIsLive) {
        present(ready, image, false);
    }
    updateOverlay();
}

void PreviewWidget::present(int frameIndex, const QImage& image, bool live) {
    // The state first: the sink's videoFrameChanged() listeners may ask shownFrame().
    m_shownFrame = frameIndex;
    m_shownIsLive = live;
    m_video->videoSink()->setVideoFrame(toVideoFrame(image));
}

void PreviewWidget::clearView() {
    const bool wasShowing = m_shownFrame >= 0;
    m_shownFrame = -1;
    m_shownIsLive = false;
    if (wasShowing) {
        m_video->videoSink()->setVideoFrame(QVideoFrame());
    }
}

QString PreviewWidget::overlayText() const {
    return m_overlay->text();
}

void PreviewWidget::updateOverlay() {
    QString text;
    const auto seconds = [](int frame) {
        return QString::number(core::timeline::secondsForFrames(frame), 'f', 2);
    };
    if (m_generating) {
        if (m_shownFrame < 0) {
            text = tr("Generating…");
        } else {
            //: The preview's overlay while generating: frame, seconds, generation speed.
            text = tr("Frame %1 · %2 s · generating at %3 fps")
                       .arg(m_shownFrame)
                       .arg(seconds(m_shownFrame))
                       .arg(m_generationFps, 0, 'f', 1);
        }
    } else if (m_shownIsLive) {
        text = tr("Frame %1 · %2 s").arg(m_shownFrame).arg(seconds(m_shownFrame));
    } else if (m_cache->takeId().isEmpty()) {
        text = m_document->project().takes.empty() ? tr("No take yet — press Generate")
                                                   : tr("No take chosen");
    } else if (!m_cache->problem().isEmpty()) {
        text = m_cache->problem();
    } else if (m_cache->frameCount() == 0) {
        text = tr("This take has no frames yet");
    } else if (m_shownFrame < 0) {
        text = tr("Loading…");
    } else if (m_transport->frame() >= m_cache->frameCount()) {
        // A stopped (or still growing) take is shorter than the timeline: its last frame stays.
        const int frame = m_transport->frame();
        //: The preview's overlay past the take's end: playhead frame, seconds, last frame.
        text = tr("Frame %1 · %2 s · the take ends at frame %3")
                   .arg(frame)
                   .arg(seconds(frame))
                   .arg(m_cache->frameCount() - 1);
    } else {
        //: The preview's overlay: the frame in view and its time.
        text = tr("Frame %1 · %2 s").arg(m_shownFrame).arg(seconds(m_shownFrame));
    }
    if (!m_caption.isEmpty()) {
        text = QStringLiteral("%1 · %2").arg(m_caption, text);
    }
    m_overlay->setText(text);
}

void PreviewWidget::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        updateOverlay();
    }
    QWidget::changeEvent(event);
}

} // namespace sfs::ui
