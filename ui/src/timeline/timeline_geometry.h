#pragma once
// The timeline's geometry and rules of placement, apart from any widget so that tests (and the
// widget's own mouse handling) use the same arithmetic: frame <-> x at a zoom and scroll, the
// lanes, which item lies under a point, where a keyframe may snap to and where a prompt
// segment takes effect. The frame grid itself is core's (sfs/core/project/timeline.h).
//
// x is in the widget's (viewport's) coordinates: content x = kLeftMargin + frame * pixelsPerFrame,
// view x = content x - scrollX. Frame f covers [x(f), x(f + 1)).

#include "sfs/core/project/project.h"

#include <QRectF>
#include <QSize>
#include <QString>

namespace sfs::ui {

// Where a keyframe may sit: frame 0 (latent frame 0 alone), or the last frame of a later latent
// frame (4j): the whole latent frame is one hold, so its last frame is where the hold ends, and
// these frames are the multiples of 4, the timeline's last frame among them. The frame of that
// kind nearest to `frame`, within [0, lastFrame].
int keyframeSnapFrame(int frame, int lastFrame);
// The nearest such frame after `frame` (direction > 0) or before it (direction < 0); `frame`
// itself when there is none.
int adjacentKeyframeSnapFrame(int frame, int direction, int lastFrame);

// The frame where prompt segment `index` takes effect: the start of the chunk that starts at its
// start frame, else of the next chunk (a chunk runs under one prompt; the engine's schedule,
// frame_grid::firstChunkAtOrAfterFrame). -1 when it never does: a later segment takes effect at
// the same chunk (the last one wins), or the timeline ends first.
int promptEffectiveFrame(const core::Project& project, int index);

// What lies under a point.
struct TimelineHit {
    enum class Part {
        None,           // outside the timeline's frames (margins), or beyond the lanes
        Ruler,          // the ruler: clicking scrubs
        MarkerLane,     // the markers lane, no marker under the point
        Marker,         // a marker (id)
        KeyframeLane,   // the keyframe lane, no keyframe under the point
        Keyframe,       // a keyframe's thumbnail (id, index)
        Prompt,         // a prompt segment's bar (id, index)
        PromptBoundary, // the start edge of segment `index` > 0 (id): dragging moves it
        TakeLane,       // the take lane
    };
    Part part = Part::None;
    QString id;
    int index = -1;
    int frame = -1; // the frame under the point, clamped to the timeline (-1: none)
};

class TimelineGeometry {
public:
    // Layout, in pixels.
    static constexpr int kLeftMargin = 8;
    static constexpr int kRightMargin = 24;
    static constexpr int kRulerHeight = 30;
    static constexpr int kMarkerLaneHeight = 20;
    static constexpr int kKeyframeLaneHeight = 56;
    static constexpr int kPromptLaneHeight = 30;
    static constexpr int kTakeLaneHeight = 48;
    static constexpr int kLaneGap = 2;
    static constexpr int kBoundaryGrip = 4; // half-width of a prompt boundary's grab zone
    static constexpr int kMarkerGrip = 6;   // half-width of a marker's flag
    // Zoom limits: a 1000-chunk timeline fits in about 600 px; one frame can get 48 px wide.
    static constexpr double kMinPixelsPerFrame = 0.05;
    static constexpr double kMaxPixelsPerFrame = 48.0;

    double pixelsPerFrame() const { return m_pixelsPerFrame; }
    void setPixelsPerFrame(double ppf); // clamped to the limits
    int scrollX() const { return m_scrollX; }
    void setScrollX(int x) { m_scrollX = x; }
    int durationFrames() const { return m_durationFrames; }
    void setDurationFrames(int frames) { m_durationFrames = frames > 0 ? frames : 1; }
    // The project's frame size: the thumbnails' aspect.
    void setFrameAspect(QSize frameSize);
    double frameAspect() const { return m_aspect; }

    // Content width (all frames plus margins) and the largest useful scrollX for a view.
    int contentWidth() const;
    int maxScrollX(int viewWidth) const;
    // The zoom at which the whole timeline fits `viewWidth`.
    double fitPixelsPerFrame(int viewWidth) const;

    double xOfFrame(double frame) const; // the left edge of `frame`
    double centerXOfFrame(int frame) const { return xOfFrame(frame + 0.5); }
    double frameAtXF(double x) const; // fractional, unclamped
    int frameAtX(double x) const;     // the frame whose span holds x, clamped to the timeline
    // The frames any part of which shows in [0, viewWidth).
    int firstVisibleFrame() const;
    int lastVisibleFrame(int viewWidth) const;

    // Changes the zoom so that the (fractional) frame under `anchorX` stays under it.
    void zoomAround(double factor, double anchorX, int viewWidth);
    // Scrolls so that `frame` shows, paging (the frame lands near the left) when it is off view.
    // True when the scroll changed.
    bool pageTo(int frame, int viewWidth);

    // Lanes, top to bottom, across `viewWidth`.
    QRectF rulerRect(int viewWidth) const;
    QRectF markerLaneRect(int viewWidth) const;
    QRectF keyframeLaneRect(int viewWidth) const;
    QRectF promptLaneRect(int viewWidth) const;
    QRectF takeLaneRect(int viewWidth) const;
    static int totalHeight();

    // A keyframe's thumbnail: centred on its frame, the height of the lane less the badge strip.
    QRectF keyframeRect(int frame) const;
    // A marker's flag (its name is drawn to the right of it).
    QRectF markerRect(int frame) const;
    // A prompt segment's bar [start, end).
    QRectF promptRect(int startFrame, int endFrame) const;
    // The thumbnail tile size on the take lane.
    QSize takeTileSize() const;

    // The item under `point`. Later keyframes are drawn over earlier ones, so they win, except
    // that `selectedKeyframe` (drawn last) wins over all.
    TimelineHit hitTest(QPointF point, int viewWidth, const core::Project& project,
                        const QString& selectedKeyframe = QString()) const;

private:
    double m_pixelsPerFrame = 8.0;
    int m_scrollX = 0;
    int m_durationFrames = 81;
    double m_aspect = 832.0 / 480.0;
};

} // namespace sfs::ui
