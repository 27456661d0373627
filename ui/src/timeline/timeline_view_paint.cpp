// TimelineView's painting: only what shows, lane by lane (timeline_view.h).
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"
#include "timeline/thumbnail_cache.h"
#include "timeline/timeline_style.h"
#include "timeline/timeline_view.h"

#include <QFileInfo>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace sfs::ui {

namespace tl = core::timeline;
using namespace timeline_style;

namespace {

// The ruler's labelled step in frames: whole seconds once a second is narrow.
int rulerStep(double pixelsPerFrame) {
    static const int kSteps[] = {1,   2,   4,   8,   16,   32,   48,   80,
                                 160, 240, 480, 960, 1920, 3840, 9600, 19200};
    for (int step : kSteps) {
        if (step * pixelsPerFrame >= 84) {
            return step;
        }
    }
    return kSteps[std::size(kSteps) - 1];
}

} // namespace

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    m_thumbnails->beginPass();
    paintChunks(p);
    paintRuler(p);
    paintTake(p);
    paintPrompts(p);
    paintKeyframes(p);
    paintMarkers(p);
    paintPlayhead(p);
    if (hasFocus()) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(viewport()->rect().adjusted(0, 0, -1, -1));
    }
}

void TimelineView::paintChunks(QPainter& p) const {
    const int width = viewport()->width();
    const double chunkPixels = tl::kFramesPerChunk * m_geometry.pixelsPerFrame();
    const QColor odd = palette().color(QPalette::AlternateBase);
    const int first = tl::chunkOfFrame(m_geometry.firstVisibleFrame());
    const int last = tl::chunkOfFrame(m_geometry.lastVisibleFrame(width));
    const double top = m_geometry.markerLaneRect(width).top();
    const double bottom = m_geometry.takeLaneRect(width).bottom();
    const double end = m_geometry.xOfFrame(m_geometry.durationFrames());
    if (chunkPixels >= 3) { // narrower stripes would only flicker
        for (int c = first; c <= last; ++c) {
            if (c % 2 == 1) {
                const double l = m_geometry.xOfFrame(tl::firstFrameOfChunk(c));
                const double r = std::min(end, m_geometry.xOfFrame(tl::firstFrameOfChunk(c + 1)));
                p.fillRect(QRectF(l, top, r - l, bottom - top), odd);
            }
        }
    }
    // Beyond the end: the window colour, so the timeline's extent is clear.
    p.fillRect(QRectF(end, 0, width - end, bottom), palette().color(QPalette::Window));
    const double start = m_geometry.xOfFrame(0);
    if (start > 0) {
        p.fillRect(QRectF(0, 0, start, bottom), palette().color(QPalette::Window));
    }
}

void TimelineView::paintRuler(QPainter& p) const {
    const int width = viewport()->width();
    const QRectF ruler = m_geometry.rulerRect(width);
    p.fillRect(ruler, palette().color(QPalette::Button));
    const QColor text = palette().color(QPalette::ButtonText);
    const QColor mid = palette().color(QPalette::Mid);
    const double ppf = m_geometry.pixelsPerFrame();

    // The in/out range: a bar along the ruler's bottom.
    const int in = m_transport->inFrame();
    const int out = m_transport->outFrame();
    const QRectF range(m_geometry.xOfFrame(in), ruler.bottom() - 4,
                       m_geometry.xOfFrame(out + 1) - m_geometry.xOfFrame(in), 4);
    p.fillRect(range, withAlpha(palette().color(QPalette::Highlight), 200));

    const int step = rulerStep(ppf);
    const int minor = step >= 4 && step % 4 == 0 && step / 4 * ppf >= 8 ? step / 4 : 0;
    const int first = m_geometry.firstVisibleFrame();
    const int last = m_geometry.lastVisibleFrame(width);
    p.setFont(font());
    if (minor > 0) {
        p.setPen(mid);
        for (int f = first - first % minor; f <= last; f += minor) {
            const double x = std::round(m_geometry.xOfFrame(f)) + 0.5;
            p.drawLine(QPointF(x, ruler.bottom() - 6), QPointF(x, ruler.bottom() - 1));
        }
    }
    const QFontMetrics metrics(font());
    // Every label gets its frame number, or none does.
    const int numbered = metrics.horizontalAdvance(QStringLiteral("0:00 +00f  #0000")) + 12;
    for (int f = first - first % step; f <= last; f += step) {
        const double x = std::round(m_geometry.xOfFrame(f)) + 0.5;
        p.setPen(text);
        p.drawLine(QPointF(x, ruler.bottom() - 12), QPointF(x, ruler.bottom() - 1));
        const QString label = timecode(f);
        p.drawText(QPointF(x + 3, ruler.top() + metrics.ascent() + 2), label);
        if (step * ppf >= numbered) { // room for the frame number, in secondary text colour
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(QPointF(x + 3 + metrics.horizontalAdvance(label) + 6,
                               ruler.top() + metrics.ascent() + 2),
                       QStringLiteral("#%1").arg(f));
        }
    }
}

void TimelineView::paintKeyframes(QPainter& p) {
    const int width = viewport()->width();
    const core::Project& project = m_document->project();
    const QRectF lane = m_geometry.keyframeLaneRect(width);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(QPointF(0, lane.bottom() + 0.5), QPointF(width, lane.bottom() + 0.5));

    // While a keyframe is dragged (or images are dragged over), the frames it may take.
    const bool placing =
        (m_drag && m_drag->kind == Drag::Kind::Keyframe && m_drag->moved) || m_dropFrame >= 0;
    if (placing && tl::kFramesPerLatentFrame * m_geometry.pixelsPerFrame() >= 5) {
        p.setPen(palette().color(QPalette::Mid));
        const int first = keyframeSnapFrame(m_geometry.firstVisibleFrame(), project.lastFrame());
        for (int f = first; f <= m_geometry.lastVisibleFrame(width);
             f += (f == 0 ? 4 : tl::kFramesPerLatentFrame)) {
            const double x = m_geometry.centerXOfFrame(f);
            p.drawLine(QPointF(x, lane.bottom() - 6), QPointF(x, lane.bottom() - 1));
        }
    }

    const QString selected =
        m_selection->kind() == Selection::Kind::Keyframe ? m_selection->id() : QString();
    int selectedIndex = -1;
    // `shown`: how much of the thumbnail's width the next keyframe leaves uncovered. Zoomed out,
    // thumbnails pile up; the covered ones get only their tick (and load no image).
    const auto paintOne = [&](const core::Keyframe& k, bool isSelected, double shown) {
        const bool dragged =
            m_drag && m_drag->kind == Drag::Kind::Keyframe && m_drag->moved && m_drag->id == k.id;
        const int frame = dragged ? m_drag->frame : k.frame;
        const QRectF r = m_geometry.keyframeRect(frame);
        if (r.right() < 0 || r.left() > width) {
            return;
        }
        const double x = m_geometry.centerXOfFrame(frame);
        // The tick at the keyframe's frame, below its thumbnail.
        p.setPen(QPen(palette().color(QPalette::Text), 2));
        p.drawLine(QPointF(x, r.bottom()), QPointF(x, lane.bottom() - 1));
        if (shown < 4 && !dragged) {
            return;
        }

        const QPixmap thumb = m_thumbnails->pixmap(m_document->assetFilePath(k.image),
                                                   r.size().toSize() * devicePixelRatioF());
        if (!thumb.isNull()) {
            p.drawPixmap(r, thumb, QRectF(thumb.rect()));
        } else {
            p.fillRect(r, palette().color(QPalette::Button));
        }
        if (thumb.isNull() && shown >= r.width()) {
            p.setPen(palette().color(QPalette::ButtonText));
            p.drawText(
                r.adjusted(3, 0, -3, 0), Qt::AlignCenter | Qt::TextWordWrap,
                QFontMetrics(font()).elidedText(k.sourceName, Qt::ElideMiddle, int(r.width()) - 6));
        }
        if (k.strength < 1.0) {
            const QString label = tr("%1%").arg(std::lround(k.strength * 100));
            QRectF badge(r.left() + 2, r.bottom() - 15,
                         QFontMetrics(font()).horizontalAdvance(label) + 6, 13);
            p.fillRect(badge, withAlpha(palette().color(QPalette::Window), 210));
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(badge, Qt::AlignCenter, label);
        }
        if (m_staleKeyframes.contains(k.id)) {
            p.fillRect(r, QBrush(withAlpha(staleColor(), 150), Qt::BDiagPattern));
            const QRectF badge(r.right() - 13, r.top() + 2, 11, 11);
            p.setPen(Qt::NoPen);
            p.setBrush(staleColor());
            p.drawEllipse(badge);
            p.setPen(Qt::white);
            p.drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
            p.setBrush(Qt::NoBrush);
        }
        QColor border = palette().color(QPalette::Mid);
        int borderWidth = 1;
        if (dragged && !m_drag->problem.isEmpty()) {
            border = staleColor();
            borderWidth = 2;
        } else if (isSelected) {
            border = palette().color(QPalette::Highlight);
            borderWidth = 2;
        }
        p.setPen(QPen(border, borderWidth));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5));
    };
    const double full = m_geometry.keyframeRect(0).width();
    for (std::size_t i = 0; i < project.keyframes.size(); ++i) {
        if (project.keyframes[i].id == selected) {
            selectedIndex = int(i);
            continue;
        }
        const double shown = i + 1 < project.keyframes.size()
                                 ? (project.keyframes[i + 1].frame - project.keyframes[i].frame) *
                                       m_geometry.pixelsPerFrame()
                                 : full;
        paintOne(project.keyframes[i], false, shown);
    }
    if (selectedIndex >= 0) { // on top of the others
        paintOne(project.keyframes[std::size_t(selectedIndex)], true, full);
    }
    if (m_dropFrame >= 0) {
        const QRectF r = m_geometry.keyframeRect(m_dropFrame);
        p.setPen(QPen(palette().color(QPalette::Highlight), 2, Qt::DashLine));
        p.drawRect(r);
    }
}

void TimelineView::paintPrompts(QPainter& p) const {
    const int width = viewport()->width();
    const core::Project& project = m_document->project();
    const QRectF lane = m_geometry.promptLaneRect(width);
    std::vector<core::PromptSegment> prompts = project.prompts;
    if (m_drag && m_drag->kind == Drag::Kind::PromptBoundary && m_drag->moved) {
        const int index = project.promptIndex(m_drag->id);
        if (index > 0) {
            prompts[std::size_t(index)].startFrame = m_drag->frame;
        }
    }
    const QString selected =
        m_selection->kind() == Selection::Kind::Prompt ? m_selection->id() : QString();
    const QFontMetrics metrics(font());
    const int first = m_geometry.firstVisibleFrame();
    const int last = m_geometry.lastVisibleFrame(width);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        const int start = prompts[i].startFrame;
        const int end = i + 1 < prompts.size() ? prompts[i + 1].startFrame : project.durationFrames;
        if (end <= first || start > last) {
            continue;
        }
        const QRectF bar = m_geometry.promptRect(start, end).adjusted(0, 0, -1, 0);
        const bool isSelected = prompts[i].id == selected;
        const QColor fill = isSelected ? palette().color(QPalette::Highlight)
                                       : (i % 2 == 0 ? palette().color(QPalette::Button)
                                                     : palette().color(QPalette::Midlight));
        p.fillRect(bar, fill);
        if (bar.width() < 6) {
            continue; // zoomed out: a sliver of colour, its boundary line drawn below
        }
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(bar.adjusted(0.5, 0.5, -0.5, -0.5));

        // Where the segment takes effect when it starts inside a chunk.
        const int effective = promptEffectiveFrame(project, int(i));
        if (effective < 0) {
            p.fillRect(bar, QBrush(palette().color(QPalette::Mid), Qt::Dense6Pattern));
        } else if (effective != start) {
            const double x = m_geometry.xOfFrame(effective);
            QPainterPath tick;
            tick.moveTo(x - 4, bar.top());
            tick.lineTo(x + 4, bar.top());
            tick.lineTo(x, bar.top() + 6);
            tick.closeSubpath();
            p.fillPath(tick, palette().color(QPalette::Link));
            p.setPen(QPen(palette().color(QPalette::Link), 1, Qt::DotLine));
            p.drawLine(QPointF(m_geometry.xOfFrame(start), bar.top() + 1),
                       QPointF(x, bar.top() + 1));
        }

        // The text, kept in view while the bar is wider than the view.
        const double left = std::max(bar.left(), 0.0) + 4;
        const double right = std::min(bar.right(), double(width)) - 4;
        if (right - left > 12) {
            const QString text = prompts[i].text.simplified();
            QFont f = font();
            f.setItalic(text.isEmpty());
            p.setFont(f);
            p.setPen(isSelected ? palette().color(QPalette::HighlightedText)
                                : palette().color(QPalette::ButtonText));
            p.drawText(QRectF(left, bar.top(), right - left, bar.height()),
                       Qt::AlignVCenter | Qt::AlignLeft,
                       metrics.elidedText(text.isEmpty() ? tr("(empty prompt)") : text,
                                          Qt::ElideRight, int(right - left)));
            p.setFont(font());
        }
    }
    // Boundaries: a grip line the user can drag.
    p.setPen(QPen(palette().color(QPalette::Text), 2));
    for (std::size_t i = 1; i < prompts.size(); ++i) {
        const double x = m_geometry.xOfFrame(prompts[i].startFrame);
        if (x >= -2 && x <= width + 2) {
            p.drawLine(QPointF(x, lane.top() + 3), QPointF(x, lane.bottom() - 3));
        }
    }
    // Prompt edits of the running generation: they switch at these frames.
    for (int frame : m_pendingPromptSwitches) {
        const double x = m_geometry.xOfFrame(frame);
        if (x < -6 || x > width + 6) {
            continue;
        }
        QPainterPath diamond;
        diamond.moveTo(x, lane.bottom() - 12);
        diamond.lineTo(x + 5, lane.bottom() - 6);
        diamond.lineTo(x, lane.bottom());
        diamond.lineTo(x - 5, lane.bottom() - 6);
        diamond.closeSubpath();
        p.fillPath(diamond, pendingColor());
    }
}

void TimelineView::paintMarkers(QPainter& p) const {
    const int width = viewport()->width();
    const core::Project& project = m_document->project();
    const QRectF lane = m_geometry.markerLaneRect(width);
    const double bottom = m_geometry.takeLaneRect(width).bottom();
    const QString selected =
        m_selection->kind() == Selection::Kind::Marker ? m_selection->id() : QString();
    const QFontMetrics metrics(font());
    const QColor line = withAlpha(palette().color(QPalette::Text), 70);
    const QColor flag = palette().color(QPalette::Link);
    double lastX = -1e9;
    for (std::size_t i = 0; i < project.markers.size(); ++i) {
        const core::Marker& m = project.markers[i];
        const bool dragged =
            m_drag && m_drag->kind == Drag::Kind::Marker && m_drag->moved && m_drag->id == m.id;
        const int frame = dragged ? m_drag->frame : m.frame;
        const double x = m_geometry.centerXOfFrame(frame);
        // The name runs up to the next marker.
        const double next = i + 1 < project.markers.size()
                                ? m_geometry.centerXOfFrame(project.markers[i + 1].frame)
                                : double(width);
        if (next < 0 || x - TimelineGeometry::kMarkerGrip > width || x - lastX < 2) {
            continue; // off view, or on the pixel of the one before (zoomed out)
        }
        lastX = x;
        // A guide line through the lanes below, as in Kdenlive.
        p.setPen(QPen(line, 1, Qt::DashLine));
        p.drawLine(QPointF(x, lane.bottom()), QPointF(x, bottom));
        const QRectF r = m_geometry.markerRect(frame);
        QPainterPath pennant;
        pennant.moveTo(r.left(), r.top() + 2);
        pennant.lineTo(r.right(), r.top() + 2);
        pennant.lineTo(r.right(), r.bottom() - 7);
        pennant.lineTo(x, r.bottom() - 1);
        pennant.lineTo(r.left(), r.bottom() - 7);
        pennant.closeSubpath();
        const bool problem = dragged && !m_drag->problem.isEmpty();
        p.fillPath(pennant, problem
                                ? staleColor()
                                : (m.id == selected ? palette().color(QPalette::Highlight) : flag));
        const double room = next - r.right() - 6;
        if (room > 16) {
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRectF(r.right() + 3, lane.top(), room, lane.height()),
                       Qt::AlignVCenter | Qt::AlignLeft,
                       metrics.elidedText(m.name, Qt::ElideRight, int(room)));
        }
    }
}

QString TimelineView::framesFolderOfShownTake() const {
    const core::Take* take = m_document->project().take(m_transport->takeId());
    // A folder of frames (take_recorder.h); a video file has a suffix and gets no thumbnails.
    if (take == nullptr || take->framesPath.isEmpty() ||
        !QFileInfo(take->framesPath).suffix().isEmpty()) {
        return {};
    }
    return m_document->assetFilePath(take->framesPath);
}

void TimelineView::paintTake(QPainter& p) {
    const int width = viewport()->width();
    const QRectF lane = m_geometry.takeLaneRect(width);
    const core::Take* take = m_document->project().take(m_transport->takeId());
    if (take == nullptr) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(lane.adjusted(std::max(0.0, m_geometry.xOfFrame(0)) + 6, 0, 0, 0),
                   Qt::AlignVCenter | Qt::AlignLeft, tr("No take yet: Generate makes one"));
    } else {
        const int frames = std::min(take->framesCompleted(), m_geometry.durationFrames());
        const QString folder = framesFolderOfShownTake();
        const QSize tile = m_geometry.takeTileSize();
        const double ppf = m_geometry.pixelsPerFrame();
        // One thumbnail per `step` frames, aligned to frames so tiles stay put while scrolling.
        const int step = std::max(1, int(std::ceil(tile.width() / ppf)));
        const int first = m_geometry.firstVisibleFrame() / step * step;
        const int last = std::min(m_geometry.lastVisibleFrame(width), frames - 1);
        const QSize box = tile * devicePixelRatioF();
        for (int f = first; f <= last; f += step) {
            const double x = m_geometry.xOfFrame(f);
            const double w =
                std::min(double(tile.width()), m_geometry.xOfFrame(std::min(f + step, frames)) - x);
            const QRectF r(x, lane.top() + 2, w, tile.height());
            const QPixmap thumb =
                folder.isEmpty() ? QPixmap() : m_thumbnails->takeFramePixmap(folder, f, box);
            if (thumb.isNull()) {
                p.fillRect(r, palette().color(QPalette::Dark));
            } else {
                const QRectF source(0, 0, std::min<double>(thumb.width(), w * devicePixelRatioF()),
                                    thumb.height());
                p.drawPixmap(
                    QRectF(r.topLeft(), QSizeF(source.width() / devicePixelRatioF(), r.height())),
                    thumb, source);
            }
        }
    }
    if (m_generatingChunk >= 0) {
        const double l = m_geometry.xOfFrame(tl::firstFrameOfChunk(m_generatingChunk));
        const double r = m_geometry.xOfFrame(
            std::min(tl::firstFrameOfChunk(m_generatingChunk + 1), m_geometry.durationFrames()));
        const QRectF band(l, lane.top(), std::max(2.0, r - l), lane.height());
        const QColor highlight = palette().color(QPalette::Highlight);
        p.fillRect(band, withAlpha(highlight, 90));
        p.setPen(QPen(highlight, 2));
        p.drawRect(band.adjusted(1, 1, -1, -1));
    }
}

void TimelineView::paintPlayhead(QPainter& p) const {
    const int width = viewport()->width();
    const double x = m_geometry.centerXOfFrame(m_transport->frame());
    if (x < -8 || x > width + 8) {
        return;
    }
    const QRectF ruler = m_geometry.rulerRect(width);
    const double bottom = m_geometry.takeLaneRect(width).bottom();
    p.setPen(QPen(playheadColor(), 1));
    p.drawLine(QPointF(x, ruler.top()), QPointF(x, bottom));
    QPainterPath handle;
    handle.moveTo(x - 6, ruler.bottom() - 10);
    handle.lineTo(x + 6, ruler.bottom() - 10);
    handle.lineTo(x, ruler.bottom());
    handle.closeSubpath();
    p.fillPath(handle, playheadColor());
}

} // namespace sfs::ui
