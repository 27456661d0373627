#pragma once
// One video view of the studio's preview: a QVideoWidget fed through its QVideoSink, with an
// overlay bar under it (frame number, time, and while generating the generation's frames per
// second, or what there is not: "no take yet", "generating…"). The bar is a widget under the
// video, not painted over it: QVideoWidget draws through a native child window.
//
// What it shows:
// - while generating (setGenerating(true)), the live frames presentLiveFrame() is given: the
//   generation controller's liveFrame() (coalesced through its LiveFrameMailbox, one pending at
//   most) or a LatestFrameMailbox, so the view is at most one frame behind the engine;
// - otherwise the frame of its take at the Transport's frame: decoded off the UI thread by a
//   TakeFrameCache; until that frame is ready the nearest ready one stays in view. Playback
//   itself is the PlaybackClock moving the Transport.
//
// Its take is the Transport's (the preview) or one set with setTakeId() (the other side of a
// comparison).

#include <QImage>
#include <QString>
#include <QWidget>

class QLabel;
class QVideoFrame;
class QVideoSink;
class QVideoWidget;

namespace sfs::core {
class ProjectDocument;
}

namespace sfs::ui {

class LatestFrameMailbox;
class TakeFrameCache;
class Transport;

class PreviewWidget : public QWidget {
    Q_OBJECT
public:
    PreviewWidget(core::ProjectDocument* document, Transport* transport, QWidget* parent = nullptr);
    ~PreviewWidget() override;

    // ---- The generation controller's API (UI thread) ----
    // A frame the engine made, `frameIndex` in the take. Shown at once; while generating, live
    // frames take precedence over the take's stored ones.
    void presentLiveFrame(int frameIndex, const QImage& frame);
    // Generation started (clears the view until its first frame) or ended (the take at the
    // playhead is shown again); called again while generating to update the frames per second.
    void setGenerating(bool generating, double framesPerSecond = 0.0);
    bool isGenerating() const { return m_generating; }
    // Takes every frame `mailbox` announces and presents it (the usual way to feed the view).
    void showLiveFramesFrom(LatestFrameMailbox* mailbox);

    // ---- Which take ----
    // Follow the Transport's take (the default) or show a fixed one (setTakeId()).
    void setFollowsTransportTake(bool follows);
    void setTakeId(const QString& id);
    QString takeId() const;
    // A short prefix for the overlay ("A", "B") when two views compare takes.
    void setCaption(const QString& caption);

    // ---- What is in view (tests, the integrator's status) ----
    QVideoSink* videoSink() const;
    int shownFrame() const { return m_shownFrame; } // frame index in the sink, -1 when none
    QString overlayText() const;

    // An RGB32 video frame with the image's pixels (QVideoFrame has no QImage constructor in
    // Qt 6.4).
    static QVideoFrame toVideoFrame(const QImage& image);

protected:
    void changeEvent(QEvent* event) override;

private:
    void reloadTake();         // the take, its frame count or the assets folder changed
    void showTransportFrame(); // the take's frame at the playhead, or the nearest ready one
    void present(int frameIndex, const QImage& image, bool live);
    void clearView();
    void updateOverlay();

    core::ProjectDocument* m_document;
    Transport* m_transport;
    TakeFrameCache* m_cache;
    QVideoWidget* m_video;
    QLabel* m_overlay;
    bool m_followsTransport = true;
    QString m_fixedTakeId;
    QString m_caption;
    bool m_generating = false;
    double m_generationFps = 0.0;
    int m_shownFrame = -1;
    bool m_shownIsLive = false;
};

} // namespace sfs::ui
