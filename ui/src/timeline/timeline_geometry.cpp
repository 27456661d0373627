#include "timeline/timeline_geometry.h"

#include "sfs/core/project/timeline.h"

#include <algorithm>
#include <cmath>

namespace sfs::ui {

namespace tl = core::timeline;

namespace {
int lastFrameOfLatentFrame(int latentFrame) {
    return tl::firstFrameOfLatentFrame(latentFrame) + tl::framesOfLatentFrame(latentFrame) - 1;
}
} // namespace

int keyframeSnapFrame(int frame, int lastFrame) {
    frame = std::clamp(frame, 0, std::max(lastFrame, 0));
    // The candidates are the ends of the latent frame holding `frame` and of the one before.
    const int latent = tl::latentFrameOfFrame(frame);
    const int after = lastFrameOfLatentFrame(latent);
    const int before = latent > 0 ? lastFrameOfLatentFrame(latent - 1) : after;
    int snapped = (frame - before < after - frame) ? before : after;
    if (snapped > lastFrame) {
        snapped = before; // the timeline's last frame always ends a latent frame; be safe
    }
    return std::clamp(snapped, 0, std::max(lastFrame, 0));
}

int adjacentKeyframeSnapFrame(int frame, int direction, int lastFrame) {
    const int latent = tl::latentFrameOfFrame(frame);
    int target = frame;
    if (direction > 0) {
        const int end = lastFrameOfLatentFrame(latent);
        target = end > frame ? end : lastFrameOfLatentFrame(latent + 1);
    } else if (direction < 0 && frame > 0) {
        target = latent > 0 ? lastFrameOfLatentFrame(latent - 1) : 0;
    }
    return target >= 0 && target <= lastFrame ? target : frame;
}

int promptEffectiveFrame(const core::Project& project, int index) {
    if (index < 0 || index >= int(project.prompts.size())) {
        return -1;
    }
    const int chunks = tl::chunksForFrames(project.durationFrames);
    const auto chunkOf = [&](int i) {
        return tl::grid::firstChunkAtOrAfterFrame(project.prompts[std::size_t(i)].startFrame);
    };
    const int chunk = chunkOf(index);
    if (chunk >= chunks) {
        return -1;
    }
    if (index + 1 < int(project.prompts.size()) && chunkOf(index + 1) == chunk) {
        return -1;
    }
    return tl::firstFrameOfChunk(chunk);
}

void TimelineGeometry::setPixelsPerFrame(double ppf) {
    m_pixelsPerFrame = std::clamp(ppf, kMinPixelsPerFrame, kMaxPixelsPerFrame);
}

void TimelineGeometry::setFrameAspect(QSize frameSize) {
    if (frameSize.width() > 0 && frameSize.height() > 0) {
        m_aspect = double(frameSize.width()) / frameSize.height();
    }
}

int TimelineGeometry::contentWidth() const {
    return kLeftMargin + int(std::ceil(m_durationFrames * m_pixelsPerFrame)) + kRightMargin;
}

int TimelineGeometry::maxScrollX(int viewWidth) const {
    return std::max(0, contentWidth() - viewWidth);
}

double TimelineGeometry::fitPixelsPerFrame(int viewWidth) const {
    const double usable = std::max(1, viewWidth - kLeftMargin - kRightMargin);
    return std::clamp(usable / m_durationFrames, kMinPixelsPerFrame, kMaxPixelsPerFrame);
}

double TimelineGeometry::xOfFrame(double frame) const {
    return kLeftMargin + frame * m_pixelsPerFrame - m_scrollX;
}

double TimelineGeometry::frameAtXF(double x) const {
    return (x + m_scrollX - kLeftMargin) / m_pixelsPerFrame;
}

int TimelineGeometry::frameAtX(double x) const {
    return std::clamp(int(std::floor(frameAtXF(x))), 0, m_durationFrames - 1);
}

int TimelineGeometry::firstVisibleFrame() const {
    return frameAtX(0);
}

int TimelineGeometry::lastVisibleFrame(int viewWidth) const {
    return frameAtX(viewWidth);
}

void TimelineGeometry::zoomAround(double factor, double anchorX, int viewWidth) {
    const double anchorFrame = frameAtXF(anchorX);
    setPixelsPerFrame(m_pixelsPerFrame * factor);
    // Solve xOfFrame(anchorFrame) == anchorX for the scroll, then keep it in range.
    const double scroll = kLeftMargin + anchorFrame * m_pixelsPerFrame - anchorX;
    m_scrollX = std::clamp(int(std::lround(scroll)), 0, maxScrollX(viewWidth));
}

bool TimelineGeometry::pageTo(int frame, int viewWidth) {
    const double x = xOfFrame(frame);
    if (x >= kLeftMargin && x + m_pixelsPerFrame <= viewWidth - kRightMargin) {
        return false;
    }
    const int before = m_scrollX;
    m_scrollX = std::clamp(int(std::lround(frame * m_pixelsPerFrame)), 0, maxScrollX(viewWidth));
    return m_scrollX != before;
}

QRectF TimelineGeometry::rulerRect(int viewWidth) const {
    return {0, 0, double(viewWidth), double(kRulerHeight)};
}

QRectF TimelineGeometry::markerLaneRect(int viewWidth) const {
    return {0, double(kRulerHeight + kLaneGap), double(viewWidth), double(kMarkerLaneHeight)};
}

QRectF TimelineGeometry::keyframeLaneRect(int viewWidth) const {
    const QRectF above = markerLaneRect(viewWidth);
    return {0, above.bottom() + kLaneGap, double(viewWidth), double(kKeyframeLaneHeight)};
}

QRectF TimelineGeometry::promptLaneRect(int viewWidth) const {
    const QRectF above = keyframeLaneRect(viewWidth);
    return {0, above.bottom() + kLaneGap, double(viewWidth), double(kPromptLaneHeight)};
}

QRectF TimelineGeometry::takeLaneRect(int viewWidth) const {
    const QRectF above = promptLaneRect(viewWidth);
    return {0, above.bottom() + kLaneGap, double(viewWidth), double(kTakeLaneHeight)};
}

int TimelineGeometry::totalHeight() {
    return int(TimelineGeometry().takeLaneRect(0).bottom()) + kLaneGap;
}

QRectF TimelineGeometry::keyframeRect(int frame) const {
    const QRectF lane = keyframeLaneRect(0);
    const double h = lane.height() - 12; // room for the frame tick below the thumbnail
    const double w = h * m_aspect;
    // Centred on its frame, but kept within the timeline's frames: a start keyframe's thumbnail
    // begins at frame 0 and an end keyframe's ends at the last frame (never half off the view).
    const double first = xOfFrame(0);
    const double last = xOfFrame(m_durationFrames - 1) + m_pixelsPerFrame;
    double left = centerXOfFrame(frame) - w / 2;
    if (last - first >= w) {
        left = std::clamp(left, first, last - w);
    }
    return {left, lane.top() + 2, w, h};
}

QRectF TimelineGeometry::markerRect(int frame) const {
    const QRectF lane = markerLaneRect(0);
    return {centerXOfFrame(frame) - kMarkerGrip, lane.top(), 2.0 * kMarkerGrip, lane.height()};
}

QRectF TimelineGeometry::promptRect(int startFrame, int endFrame) const {
    const QRectF lane = promptLaneRect(0);
    const double left = xOfFrame(startFrame);
    return {left, lane.top() + 2, xOfFrame(endFrame) - left, lane.height() - 4};
}

QSize TimelineGeometry::takeTileSize() const {
    const int h = kTakeLaneHeight - 4;
    return {std::max(8, int(std::lround(h * m_aspect))), h};
}

TimelineHit TimelineGeometry::hitTest(QPointF point, int viewWidth, const core::Project& project,
                                      const QString& selectedKeyframe) const {
    TimelineHit hit;
    const double frameF = frameAtXF(point.x());
    const bool onFrames = frameF >= 0 && frameF < m_durationFrames;
    hit.frame = onFrames ? frameAtX(point.x()) : -1;
    const auto inLane = [&](const QRectF& lane) {
        return point.y() >= lane.top() && point.y() < lane.bottom();
    };

    if (inLane(rulerRect(viewWidth))) {
        // The ruler scrubs from anywhere across it: a click left of frame 0 means frame 0.
        hit.part = TimelineHit::Part::Ruler;
        hit.frame = frameAtX(point.x());
        return hit;
    }
    if (inLane(keyframeLaneRect(viewWidth))) {
        hit.part = TimelineHit::Part::KeyframeLane;
        const int selected = project.keyframeIndex(selectedKeyframe);
        if (selected >= 0 &&
            keyframeRect(project.keyframes[std::size_t(selected)].frame).contains(point)) {
            hit.part = TimelineHit::Part::Keyframe;
            hit.index = selected;
            hit.id = selectedKeyframe;
            return hit;
        }
        for (int i = int(project.keyframes.size()) - 1; i >= 0; --i) {
            const core::Keyframe& k = project.keyframes[std::size_t(i)];
            if (keyframeRect(k.frame).contains(point)) {
                hit.part = TimelineHit::Part::Keyframe;
                hit.index = i;
                hit.id = k.id;
                return hit;
            }
        }
        return hit;
    }
    if (inLane(promptLaneRect(viewWidth))) {
        if (!onFrames && frameF < 0) {
            return hit;
        }
        // A boundary's grip first: it overlaps both neighbours' bars.
        for (int i = 1; i < int(project.prompts.size()); ++i) {
            const double x = xOfFrame(project.prompts[std::size_t(i)].startFrame);
            if (std::abs(point.x() - x) <= kBoundaryGrip) {
                hit.part = TimelineHit::Part::PromptBoundary;
                hit.index = i;
                hit.id = project.prompts[std::size_t(i)].id;
                return hit;
            }
        }
        if (onFrames) {
            const int index = project.promptIndexAtFrame(hit.frame);
            if (index >= 0) {
                hit.part = TimelineHit::Part::Prompt;
                hit.index = index;
                hit.id = project.prompts[std::size_t(index)].id;
            }
        }
        return hit;
    }
    if (inLane(markerLaneRect(viewWidth))) {
        hit.part = TimelineHit::Part::MarkerLane;
        // The nearest flag under the point (flags of close markers overlap when zoomed out).
        double nearest = kMarkerGrip + 1;
        for (int i = 0; i < int(project.markers.size()); ++i) {
            const core::Marker& m = project.markers[std::size_t(i)];
            const double distance = std::abs(point.x() - centerXOfFrame(m.frame));
            if (markerRect(m.frame).contains(point) && distance < nearest) {
                nearest = distance;
                hit.part = TimelineHit::Part::Marker;
                hit.index = i;
                hit.id = m.id;
            }
        }
        return hit;
    }
    if (inLane(takeLaneRect(viewWidth)) && onFrames) {
        hit.part = TimelineHit::Part::TakeLane;
    }
    return hit;
}

} // namespace sfs::ui
