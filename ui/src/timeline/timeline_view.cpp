#include "timeline/timeline_view.h"

#include "sfs/core/media/image_file.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"
#include "timeline/keyframe_image_import.h"
#include "timeline/thumbnail_cache.h"

#include <QAccessible>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sfs::ui {

namespace tl = core::timeline;
using Part = TimelineHit::Part;

namespace {

// The playhead and the marks of a running generation keep their colours in both themes: they
// must stand out from any palette.
const QColor kPlayheadColor(226, 64, 52);
const QColor kStaleColor(214, 40, 40);
const QColor kPendingColor(235, 140, 20);
constexpr double kZoomStep = 1.25;
// A prompt boundary dragged within this many pixels of a chunk start lands on it.
constexpr double kChunkSnapPixels = 6.0;

// "m:ss" at whole seconds, else "m:ss +Nf" (N of the 16 frames of that second).
QString timecode(int frame) {
    const int seconds = frame / tl::kFps;
    const QString time =
        QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    const int rest = frame % tl::kFps;
    return rest == 0 ? time : QStringLiteral("%1 +%2f").arg(time).arg(rest);
}

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

QColor withAlpha(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

} // namespace

TimelineView::TimelineView(core::ProjectDocument* document, Selection* selection,
                           Transport* transport, QWidget* parent)
    : QAbstractScrollArea(parent), m_document(document), m_selection(selection),
      m_transport(transport), m_thumbnails(new ThumbnailCache(this)) {
    setObjectName(QStringLiteral("timelineView"));
    setFocusPolicy(Qt::StrongFocus);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    viewport()->setMouseTracking(true);
    viewport()->setAcceptDrops(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    horizontalScrollBar()->setSingleStep(24);

    connect(m_thumbnails, &ThumbnailCache::ready, viewport(), qOverload<>(&QWidget::update));
    connect(m_document, &core::ProjectDocument::changed, this, &TimelineView::syncToDocument);
    connect(m_selection, &Selection::changed, viewport(), qOverload<>(&QWidget::update));
    connect(m_transport, &Transport::frameChanged, this, [this](int frame) {
        if (m_transport->isPlaying() && m_drag == std::nullopt) {
            scrollToFrame(frame); // follow playback a page at a time
        }
        viewport()->update();
        updateAccessibleDescription();
    });
    connect(m_transport, &Transport::rangeChanged, viewport(), qOverload<>(&QWidget::update));
    connect(m_transport, &Transport::takeChanged, viewport(), qOverload<>(&QWidget::update));

    setAccessibleName(tr("Timeline"));
    syncToDocument();
}

TimelineView::~TimelineView() = default;

QSize TimelineView::sizeHint() const {
    return {800, minimumSizeHint().height()};
}

QSize TimelineView::minimumSizeHint() const {
    return {200, TimelineGeometry::totalHeight() + horizontalScrollBar()->sizeHint().height() +
                     2 * frameWidth()};
}

TimelineHit TimelineView::hitTest(QPointF viewportPoint) const {
    const QString selectedKeyframe =
        m_selection->kind() == Selection::Kind::Keyframe ? m_selection->id() : QString();
    return m_geometry.hitTest(viewportPoint, viewport()->width(), m_document->project(),
                              selectedKeyframe);
}

// ---- State from outside ---------------------------------------------------------------------

void TimelineView::syncToDocument() {
    const core::Project& project = m_document->project();
    m_geometry.setDurationFrames(project.durationFrames);
    m_geometry.setFrameAspect({project.settings.width, project.settings.height});
    if (m_drag && m_drag->kind != Drag::Kind::Scrub) {
        // The item may have changed or gone under the drag (an undo by shortcut): let it go.
        bool gone = false;
        switch (m_drag->kind) {
        case Drag::Kind::Keyframe:
            gone = project.keyframe(m_drag->id) == nullptr;
            break;
        case Drag::Kind::PromptBoundary:
            gone = project.promptIndex(m_drag->id) <= 0;
            break;
        case Drag::Kind::Marker:
            gone = project.marker(m_drag->id) == nullptr;
            break;
        case Drag::Kind::Scrub:
            break;
        }
        if (gone) {
            m_drag.reset();
        }
    }
    updateScrollBar();
    updateAccessibleDescription();
    viewport()->update();
}

void TimelineView::setGeneratingChunk(int chunk) {
    if (chunk == m_generatingChunk) {
        return;
    }
    m_generatingChunk = chunk;
    viewport()->update();
}

void TimelineView::setStaleKeyframes(const QSet<QString>& keyframeIds) {
    if (keyframeIds == m_staleKeyframes) {
        return;
    }
    m_staleKeyframes = keyframeIds;
    viewport()->update();
}

void TimelineView::setPendingPromptSwitches(const QList<int>& frames) {
    if (frames == m_pendingPromptSwitches) {
        return;
    }
    m_pendingPromptSwitches = frames;
    viewport()->update();
}

void TimelineView::updateAccessibleDescription() {
    const core::Project& p = m_document->project();
    const int frame = m_transport->frame();
    //: Accessible description of the timeline: what it holds and where the playhead is.
    setAccessibleDescription(tr("%n frame(s), %1 keyframe(s), %2 prompt segment(s), %3 marker(s); "
                                "playhead at frame %4 (%5)",
                                nullptr, p.durationFrames)
                                 .arg(p.keyframes.size())
                                 .arg(p.prompts.size())
                                 .arg(p.markers.size())
                                 .arg(frame)
                                 .arg(timecode(frame)));
}

// ---- Zoom and scroll ------------------------------------------------------------------------

void TimelineView::updateScrollBar() {
    QScrollBar* bar = horizontalScrollBar();
    const int width = viewport()->width();
    bar->setPageStep(std::max(1, width - 40));
    bar->setRange(0, m_geometry.maxScrollX(width));
    m_geometry.setScrollX(bar->value());
}

void TimelineView::scrollContentsBy(int, int) {
    m_geometry.setScrollX(horizontalScrollBar()->value());
    viewport()->update();
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    if (m_fitOnFirstShow && viewport()->width() > 0) {
        m_fitOnFirstShow = false;
        m_geometry.setPixelsPerFrame(m_geometry.fitPixelsPerFrame(viewport()->width()));
    }
    updateScrollBar();
}

void TimelineView::zoomAround(double factor, double anchorX) {
    m_fitOnFirstShow = false;
    m_geometry.zoomAround(factor, anchorX, viewport()->width());
    const int scroll = m_geometry.scrollX();
    updateScrollBar();
    horizontalScrollBar()->setValue(scroll); // the range first, then the value it allows
    m_geometry.setScrollX(horizontalScrollBar()->value());
    viewport()->update();
}

void TimelineView::zoomIn() {
    zoomAround(kZoomStep, m_geometry.centerXOfFrame(m_transport->frame()));
}

void TimelineView::zoomOut() {
    zoomAround(1.0 / kZoomStep, m_geometry.centerXOfFrame(m_transport->frame()));
}

void TimelineView::zoomToFit() {
    m_geometry.setPixelsPerFrame(m_geometry.fitPixelsPerFrame(viewport()->width()));
    updateScrollBar();
    horizontalScrollBar()->setValue(0);
    viewport()->update();
}

void TimelineView::scrollToFrame(int frame) {
    if (m_geometry.pageTo(frame, viewport()->width())) {
        horizontalScrollBar()->setValue(m_geometry.scrollX());
    }
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = angle.y() / 120.0;
        if (steps != 0) {
            zoomAround(std::pow(kZoomStep, steps), event->position().x());
        }
        event->accept();
        return;
    }
    // Vertical wheels scroll the timeline sideways (there is nothing to scroll vertically).
    const QPoint pixels = event->pixelDelta();
    const int delta = !pixels.isNull() ? (pixels.x() != 0 ? pixels.x() : pixels.y())
                                       : (angle.x() != 0 ? angle.x() : angle.y()) / 2;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta);
    event->accept();
}

// ---- Edits ----------------------------------------------------------------------------------

bool TimelineView::push(std::unique_ptr<core::ProjectCommand> command) {
    const QString problem = m_document->push(std::move(command));
    if (!problem.isEmpty()) {
        //: A timeline edit was refused; %1 says why (in English, from the project rules).
        Q_EMIT statusMessage(tr("Not possible: %1").arg(problem));
        return false;
    }
    return true;
}

bool TimelineView::deleteSelection() {
    const QString id = m_selection->id();
    switch (m_selection->kind()) {
    case Selection::Kind::Keyframe:
        return push(std::make_unique<core::DeleteKeyframeCommand>(m_document, id));
    case Selection::Kind::Prompt:
        return push(std::make_unique<core::DeletePromptSegmentCommand>(m_document, id));
    case Selection::Kind::Marker:
        return push(std::make_unique<core::DeleteMarkerCommand>(m_document, id));
    case Selection::Kind::Take:
    case Selection::Kind::None:
        break;
    }
    return false;
}

bool TimelineView::splitPromptAtPlayhead() {
    return push(
        std::make_unique<core::SplitPromptSegmentCommand>(m_document, m_transport->frame()));
}

bool TimelineView::mergePromptWithNext(const QString& segmentId) {
    return push(std::make_unique<core::MergePromptSegmentCommand>(m_document, segmentId));
}

void TimelineView::setKeyframeStrength(const QString& keyframeId, double strength) {
    push(std::make_unique<core::SetKeyframeStrengthCommand>(m_document, keyframeId, strength));
}

void TimelineView::addKeyframeImages(const QStringList& files, int frame) {
    if (files.isEmpty()) {
        return;
    }
    Q_EMIT statusMessage(tr("Importing %n image(s)…", nullptr, int(files.size())));
    importKeyframeImages(m_document, files, this, [this, frame](KeyframeImageImport result) {
        // Placed now, not at the drop: the project may have changed while the files were copied.
        const core::Project& project = m_document->project();
        QStringList errors = result.errors;
        int candidate = keyframeSnapFrame(frame, project.lastFrame());
        int added = 0;
        QUndoStack* stack = m_document->undoStack();
        const bool macro = result.images.size() > 1;
        if (macro) {
            stack->beginMacro(tr("Add %n Keyframe(s)", nullptr, int(result.images.size())));
        }
        for (const core::ImportedImage& image : result.images) {
            core::Keyframe keyframe;
            keyframe.image = image.assetPath;
            keyframe.sourceName = image.sourceName;
            // The first free latent frame from the candidate on.
            bool placed = false;
            for (int f = candidate; f <= project.lastFrame() && !placed;
                 f = keyframeSnapFrame(f + tl::kFramesPerLatentFrame, project.lastFrame())) {
                keyframe.frame = f;
                placed = core::AddKeyframeCommand(m_document, keyframe).problem().isEmpty();
                if (f == project.lastFrame()) {
                    break;
                }
            }
            if (!placed) {
                errors << tr("%1: no free latent frame left after frame %2")
                              .arg(image.sourceName)
                              .arg(candidate);
                continue;
            }
            const QString problem =
                m_document->push(std::make_unique<core::AddKeyframeCommand>(m_document, keyframe));
            if (!problem.isEmpty()) {
                errors << QStringLiteral("%1: %2").arg(image.sourceName, problem);
                continue;
            }
            ++added;
            candidate =
                keyframeSnapFrame(keyframe.frame + tl::kFramesPerChunk, project.lastFrame());
        }
        if (macro) {
            stack->endMacro();
        }
        Q_EMIT statusMessage(errors.isEmpty() ? tr("Added %n keyframe(s)", nullptr, added)
                                              : errors.join(QLatin1Char('\n')));
        Q_EMIT keyframesImported(added, errors);
    });
}

void TimelineView::replaceKeyframeImage(const QString& keyframeId) {
    const QString file = QFileDialog::getOpenFileName(this, tr("Replace Keyframe Image"), QString(),
                                                      core::imageFileDialogFilter(tr("Images")));
    if (file.isEmpty()) {
        return;
    }
    importKeyframeImages(m_document, {file}, this, [this, keyframeId](KeyframeImageImport result) {
        int changed = 0;
        if (!result.images.empty()) {
            const core::ImportedImage& image = result.images.front();
            changed = push(std::make_unique<core::SetKeyframeImageCommand>(
                          m_document, keyframeId, image.assetPath, image.sourceName))
                          ? 1
                          : 0;
        }
        if (!result.errors.isEmpty()) {
            Q_EMIT statusMessage(result.errors.join(QLatin1Char('\n')));
        }
        Q_EMIT keyframesImported(changed, result.errors);
    });
}

void TimelineView::editPromptText(const QString& segmentId) {
    const core::Project& project = m_document->project();
    const int index = project.promptIndex(segmentId);
    if (index < 0) {
        return;
    }
    m_selection->select(Selection::Kind::Prompt, segmentId);
    startInlineEdit(EditTarget::Prompt, segmentId,
                    m_geometry.promptRect(project.prompts[std::size_t(index)].startFrame,
                                          project.promptEndFrame(index)),
                    project.prompts[std::size_t(index)].text);
}

void TimelineView::renameMarker(const QString& markerId) {
    const core::Marker* marker = m_document->project().marker(markerId);
    if (marker == nullptr) {
        return;
    }
    m_selection->select(Selection::Kind::Marker, markerId);
    const QRectF flag = m_geometry.markerRect(marker->frame);
    startInlineEdit(EditTarget::Marker, markerId, flag.translated(flag.width() / 2, 0),
                    marker->name);
}

void TimelineView::startInlineEdit(EditTarget target, const QString& id, QRectF anchor,
                                   const QString& text) {
    if (m_inlineEditor == nullptr) {
        m_inlineEditor = new QLineEdit(viewport());
        m_inlineEditor->setObjectName(QStringLiteral("timelineInlineEditor"));
        m_inlineEditor->setFrame(false);
        connect(m_inlineEditor, &QLineEdit::editingFinished, this, &TimelineView::commitInlineEdit);
        m_inlineEditor->installEventFilter(this);
    }
    m_editTarget = target;
    m_editedId = id;
    m_inlineEditor->setAccessibleName(target == EditTarget::Prompt ? tr("Prompt text")
                                                                   : tr("Marker name"));
    // At least wide enough to type in, and on screen.
    QRect r = anchor.toAlignedRect().intersected(viewport()->rect().adjusted(2, 0, -2, 0));
    if (r.width() < 240) {
        r.setWidth(std::min(240, viewport()->width() - 4));
    }
    r.moveLeft(std::clamp(r.left(), 2, std::max(2, viewport()->width() - r.width() - 2)));
    m_inlineEditor->setGeometry(r);
    m_inlineEditor->setText(text);
    m_inlineEditor->selectAll();
    m_inlineEditor->show();
    m_inlineEditor->setFocus();
}

void TimelineView::commitInlineEdit() {
    if (m_inlineEditor == nullptr || m_editedId.isEmpty()) {
        return;
    }
    const QString id = std::exchange(m_editedId, QString());
    const QString text = m_inlineEditor->text();
    m_inlineEditor->hide();
    setFocus();
    const core::Project& project = m_document->project();
    if (m_editTarget == EditTarget::Prompt) {
        const core::PromptSegment* segment = project.prompt(id);
        if (segment != nullptr && segment->text != text) {
            push(std::make_unique<core::SetPromptTextCommand>(m_document, id, text));
        }
    } else {
        const core::Marker* marker = project.marker(id);
        if (marker != nullptr && marker->name != text) {
            push(std::make_unique<core::RenameMarkerCommand>(m_document, id, text));
        }
    }
}

bool TimelineView::addMarkerAt(int frame) {
    core::Marker marker;
    marker.frame = frame;
    //: The name a new marker gets; the user renames it with a double-click.
    marker.name = tr("Marker %1").arg(m_document->project().markers.size() + 1);
    auto command = std::make_unique<core::AddMarkerCommand>(m_document, marker);
    const QString id = command->markerId();
    if (!push(std::move(command))) {
        return false;
    }
    m_selection->select(Selection::Kind::Marker, id);
    return true;
}

bool TimelineView::addMarkerAtPlayhead() {
    return addMarkerAt(m_transport->frame());
}

bool TimelineView::jumpToPreviousMarker() {
    const core::Marker* marker = m_document->project().previousMarker(m_transport->frame());
    if (marker == nullptr) {
        return false;
    }
    m_transport->setFrame(marker->frame);
    scrollToFrame(marker->frame);
    return true;
}

bool TimelineView::jumpToNextMarker() {
    const core::Marker* marker = m_document->project().nextMarker(m_transport->frame());
    if (marker == nullptr) {
        return false;
    }
    m_transport->setFrame(marker->frame);
    scrollToFrame(marker->frame);
    return true;
}

// ---- Events ---------------------------------------------------------------------------------

bool TimelineView::isTimelineKey(const QKeyEvent* event) const {
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    switch (event->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
    case Qt::Key_S:
    case Qt::Key_M:
    case Qt::Key_F2:
    case Qt::Key_0:
        return mods == Qt::NoModifier;
    case Qt::Key_Up:
    case Qt::Key_Down:
        return mods == Qt::ShiftModifier;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
    case Qt::Key_Minus:
        return (mods & ~Qt::ShiftModifier) == Qt::NoModifier;
    case Qt::Key_Escape:
        return m_drag.has_value();
    default:
        return false;
    }
}

bool TimelineView::event(QEvent* event) {
    // The timeline's own keys win over window shortcuts (Delete, +/-) while it has focus.
    if (event->type() == QEvent::ShortcutOverride &&
        isTimelineKey(static_cast<QKeyEvent*>(event))) {
        event->accept();
        return true;
    }
    return QAbstractScrollArea::event(event);
}

bool TimelineView::eventFilter(QObject* watched, QEvent* event) {
    // Esc in the inline editor drops the edit; Enter and leaving it commit.
    if (watched == m_inlineEditor && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        m_editedId.clear();
        m_inlineEditor->hide();
        setFocus();
        return true;
    }
    return QAbstractScrollArea::eventFilter(watched, event);
}

bool TimelineView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(help->globalPos(), text, viewport());
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
    if (!isTimelineKey(event)) {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        deleteSelection();
        break;
    case Qt::Key_S:
        splitPromptAtPlayhead();
        break;
    case Qt::Key_M:
        addMarkerAtPlayhead();
        break;
    case Qt::Key_Up:
        jumpToPreviousMarker();
        break;
    case Qt::Key_Down:
        jumpToNextMarker();
        break;
    case Qt::Key_F2:
        if (m_selection->kind() == Selection::Kind::Prompt) {
            editPromptText(m_selection->id());
        } else if (m_selection->kind() == Selection::Kind::Marker) {
            renameMarker(m_selection->id());
        }
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_0:
        zoomToFit();
        break;
    case Qt::Key_Escape:
        cancelDrag();
        break;
    default:
        break;
    }
    event->accept();
}

void TimelineView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        setAccessibleName(tr("Timeline"));
        updateAccessibleDescription();
    } else if (event->type() == QEvent::PaletteChange) {
        viewport()->update();
    }
    QAbstractScrollArea::changeEvent(event);
}

void TimelineView::scrub(int frame) {
    m_transport->setFrame(frame);
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    commitInlineEdit();
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    const QPointF pos = event->position();
    const TimelineHit hit = hitTest(pos);
    const core::Project& project = m_document->project();
    Drag drag;
    drag.pressPos = pos;
    switch (hit.part) {
    case Part::Ruler:
    case Part::TakeLane:
        drag.kind = Drag::Kind::Scrub;
        drag.moved = true;
        m_drag = drag;
        scrub(hit.frame);
        break;
    case Part::Keyframe: {
        m_selection->select(Selection::Kind::Keyframe, hit.id);
        const int frame = project.keyframes[std::size_t(hit.index)].frame;
        drag.kind = Drag::Kind::Keyframe;
        drag.id = hit.id;
        drag.originFrame = frame;
        drag.frame = frame;
        drag.grabOffset = hit.frame >= 0 ? hit.frame - frame : 0;
        m_drag = drag;
        break;
    }
    case Part::PromptBoundary: {
        m_selection->select(Selection::Kind::Prompt, hit.id);
        const int frame = project.prompts[std::size_t(hit.index)].startFrame;
        drag.kind = Drag::Kind::PromptBoundary;
        drag.id = hit.id;
        drag.originFrame = frame;
        drag.frame = frame;
        m_drag = drag;
        break;
    }
    case Part::Prompt:
        m_selection->select(Selection::Kind::Prompt, hit.id);
        break;
    case Part::Marker: {
        m_selection->select(Selection::Kind::Marker, hit.id);
        const int frame = project.markers[std::size_t(hit.index)].frame;
        drag.kind = Drag::Kind::Marker;
        drag.id = hit.id;
        drag.originFrame = frame;
        drag.frame = frame;
        drag.grabOffset = hit.frame >= 0 ? hit.frame - frame : 0;
        m_drag = drag;
        break;
    }
    case Part::KeyframeLane:
    case Part::MarkerLane:
    case Part::None:
        m_selection->clear();
        break;
    }
    event->accept();
}

void TimelineView::updateDrag(QPointF pos, Qt::KeyboardModifiers modifiers) {
    Drag& drag = *m_drag;
    if (!drag.moved) {
        if ((pos - drag.pressPos).manhattanLength() < QApplication::startDragDistance()) {
            return;
        }
        drag.moved = true;
    }
    const core::Project& project = m_document->project();
    const bool free = modifiers & Qt::ShiftModifier;
    switch (drag.kind) {
    case Drag::Kind::Scrub:
        scrub(m_geometry.frameAtX(pos.x()));
        return;
    case Drag::Kind::Keyframe: {
        const int raw = std::clamp(int(std::floor(m_geometry.frameAtXF(pos.x()))) - drag.grabOffset,
                                   0, project.lastFrame());
        drag.frame = free ? raw : keyframeSnapFrame(raw, project.lastFrame());
        if (project.keyframe(drag.id) == nullptr) {
            m_drag.reset();
            return;
        }
        // The command's own check: exactly what pushing it at the release would say.
        drag.problem = core::MoveKeyframeCommand(m_document, drag.id, drag.frame).problem();
        break;
    }
    case Drag::Kind::Marker:
        if (project.marker(drag.id) == nullptr) {
            m_drag.reset();
            return;
        }
        drag.frame = std::clamp(int(std::floor(m_geometry.frameAtXF(pos.x()))) - drag.grabOffset, 0,
                                project.lastFrame());
        drag.problem = core::MoveMarkerCommand(m_document, drag.id, drag.frame).problem();
        break;
    case Drag::Kind::PromptBoundary: {
        const int index = project.promptIndex(drag.id);
        if (index <= 0) {
            m_drag.reset();
            return;
        }
        const double frameF = m_geometry.frameAtXF(pos.x());
        int frame = int(std::lround(frameF));
        if (!free) {
            // Prompts switch at chunk starts: a boundary dropped close to one lands on it.
            const int chunk = tl::chunkOfFrame(std::max(frame, 0));
            for (int c : {chunk, chunk + 1}) {
                const int start = tl::firstFrameOfChunk(c);
                if (std::abs(m_geometry.xOfFrame(start) - pos.x()) <= kChunkSnapPixels) {
                    frame = start;
                }
            }
        }
        // Between the neighbours' starts: a segment keeps at least one frame.
        const int low = project.prompts[std::size_t(index - 1)].startFrame + 1;
        const int high = project.promptEndFrame(index) - 1;
        drag.frame = std::clamp(frame, low, std::max(low, high));
        drag.problem.clear();
        break;
    }
    }
    if (!drag.problem.isEmpty()) {
        //: Shown at the pointer while an item is dragged where it cannot go.
        QToolTip::showText(viewport()->mapToGlobal(pos.toPoint()),
                           tr("Cannot place it here: %1").arg(drag.problem), viewport());
    } else {
        QToolTip::hideText();
    }
    viewport()->update();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (m_drag) { // until the release, whatever buttons the move reports
        updateDrag(pos, event->modifiers());
        event->accept();
        return;
    }
    // Hover: say what a press would do.
    switch (hitTest(pos).part) {
    case Part::PromptBoundary:
        viewport()->setCursor(Qt::SplitHCursor);
        break;
    case Part::Keyframe:
        viewport()->setCursor(Qt::OpenHandCursor);
        break;
    default:
        viewport()->unsetCursor();
        break;
    }
}

void TimelineView::finishDrag() {
    const Drag drag = *m_drag;
    m_drag.reset();
    QToolTip::hideText();
    viewport()->update();
    if (!drag.moved || drag.frame == drag.originFrame) {
        return;
    }
    switch (drag.kind) {
    case Drag::Kind::Scrub:
        break;
    case Drag::Kind::Keyframe:
        if (!drag.problem.isEmpty()) {
            Q_EMIT statusMessage(tr("Keyframe not moved: %1").arg(drag.problem));
            return;
        }
        push(std::make_unique<core::MoveKeyframeCommand>(m_document, drag.id, drag.frame));
        break;
    case Drag::Kind::PromptBoundary:
        push(std::make_unique<core::MovePromptBoundaryCommand>(m_document, drag.id, drag.frame));
        break;
    case Drag::Kind::Marker:
        if (!drag.problem.isEmpty()) {
            Q_EMIT statusMessage(tr("Marker not moved: %1").arg(drag.problem));
            return;
        }
        push(std::make_unique<core::MoveMarkerCommand>(m_document, drag.id, drag.frame));
        break;
    }
}

void TimelineView::cancelDrag() {
    m_drag.reset();
    QToolTip::hideText();
    viewport()->update();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_drag) {
        updateDrag(event->position(), event->modifiers());
        if (m_drag) {
            finishDrag();
        }
        event->accept();
        return;
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
    const TimelineHit hit = hitTest(event->position());
    if (event->button() == Qt::LeftButton) {
        switch (hit.part) {
        case Part::Prompt:
            m_drag.reset();
            editPromptText(hit.id);
            event->accept();
            return;
        case Part::Marker:
            m_drag.reset();
            renameMarker(hit.id);
            event->accept();
            return;
        case Part::MarkerLane:
            if (hit.frame >= 0) {
                addMarkerAt(hit.frame);
            }
            event->accept();
            return;
        default:
            break;
        }
    }
    mousePressEvent(event); // a quick second click elsewhere is a click
}

void TimelineView::contextMenuEvent(QContextMenuEvent* event) {
    const TimelineHit hit = hitTest(event->pos());
    const core::Project& project = m_document->project();
    QMenu menu(this);
    switch (hit.part) {
    case Part::Keyframe: {
        m_selection->select(Selection::Kind::Keyframe, hit.id);
        const core::Keyframe keyframe = project.keyframes[std::size_t(hit.index)];
        const QString id = keyframe.id;
        menu.addAction(tr("Replace Image…"), this, [this, id] { replaceKeyframeImage(id); });
        QMenu* strength = menu.addMenu(tr("Strength"));
        for (int percent : {100, 75, 50, 25}) {
            QAction* a = strength->addAction(tr("%1%").arg(percent), this, [this, id, percent] {
                setKeyframeStrength(id, percent / 100.0);
            });
            a->setCheckable(true);
            a->setChecked(std::lround(keyframe.strength * 100) == percent);
        }
        QMenu* fit = menu.addMenu(tr("Fit"));
        const std::pair<core::FitMode, QString> fits[] = {
            {core::FitMode::Cover, tr("Cover (crop to fill)")},
            {core::FitMode::Fit, tr("Fit (black bars)")},
            {core::FitMode::Stretch, tr("Stretch")},
        };
        for (const auto& [mode, label] : fits) {
            QAction* a = fit->addAction(label, this, [this, id, mode = mode] {
                push(std::make_unique<core::SetKeyframeFitCommand>(m_document, id, mode));
            });
            a->setCheckable(true);
            a->setChecked(keyframe.fit == mode);
        }
        menu.addSeparator();
        menu.addAction(tr("Delete Keyframe"), this, [this, id] {
            push(std::make_unique<core::DeleteKeyframeCommand>(m_document, id));
        });
        break;
    }
    case Part::Prompt:
    case Part::PromptBoundary: {
        m_selection->select(Selection::Kind::Prompt, hit.id);
        const QString id = hit.id;
        menu.addAction(tr("Edit Text"), this, [this, id] { editPromptText(id); });
        QAction* split =
            menu.addAction(tr("Split at Playhead"), this, &TimelineView::splitPromptAtPlayhead);
        split->setShortcut(QKeySequence(Qt::Key_S));
        QAction* merge =
            menu.addAction(tr("Merge with Next"), this, [this, id] { mergePromptWithNext(id); });
        merge->setEnabled(hit.index + 1 < int(project.prompts.size()));
        QAction* remove = menu.addAction(tr("Delete Segment"), this, [this, id] {
            push(std::make_unique<core::DeletePromptSegmentCommand>(m_document, id));
        });
        remove->setEnabled(project.prompts.size() > 1);
        break;
    }
    case Part::Marker: {
        m_selection->select(Selection::Kind::Marker, hit.id);
        const QString id = hit.id;
        menu.addAction(tr("Rename Marker"), this, [this, id] { renameMarker(id); });
        menu.addAction(tr("Delete Marker"), this, [this, id] {
            push(std::make_unique<core::DeleteMarkerCommand>(m_document, id));
        });
        break;
    }
    default:
        break;
    }
    if (!menu.isEmpty()) {
        menu.addSeparator();
    }
    QAction* addMarker =
        menu.addAction(tr("Add Marker at Playhead"), this, &TimelineView::addMarkerAtPlayhead);
    addMarker->setShortcut(QKeySequence(Qt::Key_M));
    const int frame = hit.frame >= 0 ? hit.frame : m_transport->frame();
    menu.addAction(tr("Add Keyframe Images…"), this, [this, frame] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Add Keyframe Images"), QString(), core::imageFileDialogFilter(tr("Images")));
        addKeyframeImages(files, frame);
    });
    menu.addAction(tr("Zoom to Fit"), this, &TimelineView::zoomToFit);
    menu.exec(event->globalPos());
}

void TimelineView::dragEnterEvent(QDragEnterEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    const bool images = std::any_of(urls.begin(), urls.end(), [](const QUrl& url) {
        return url.isLocalFile() && isImportableImage(url.toLocalFile());
    });
    if (images) {
        event->acceptProposedAction();
        m_dropFrame = keyframeSnapFrame(m_geometry.frameAtX(event->position().x()),
                                        m_document->project().lastFrame());
        viewport()->update();
    }
}

void TimelineView::dragMoveEvent(QDragMoveEvent* event) {
    m_dropFrame = keyframeSnapFrame(m_geometry.frameAtX(event->position().x()),
                                    m_document->project().lastFrame());
    event->acceptProposedAction();
    viewport()->update();
}

void TimelineView::dropEvent(QDropEvent* event) {
    QStringList files;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile() && isImportableImage(url.toLocalFile())) {
            files << url.toLocalFile();
        }
    }
    m_dropFrame = -1;
    viewport()->update();
    if (!files.isEmpty()) {
        event->acceptProposedAction();
        addKeyframeImages(files, m_geometry.frameAtX(event->position().x()));
    }
}

QString TimelineView::tooltipAt(QPointF pos) const {
    const TimelineHit hit = hitTest(pos);
    if (hit.frame < 0) {
        return {};
    }
    const core::Project& project = m_document->project();
    //: Tooltip line: a frame, its time, its latent frame and its chunk.
    QString text = tr("Frame %1 · %2 s · latent frame %3 · chunk %4")
                       .arg(hit.frame)
                       .arg(tl::secondsForFrames(hit.frame), 0, 'f', 2)
                       .arg(tl::latentFrameOfFrame(hit.frame))
                       .arg(tl::chunkOfFrame(hit.frame));
    switch (hit.part) {
    case Part::Keyframe: {
        const core::Keyframe& k = project.keyframes[std::size_t(hit.index)];
        text += QLatin1Char('\n') + tr("Keyframe at frame %1: %2, strength %3%")
                                        .arg(k.frame)
                                        .arg(k.label.isEmpty() ? k.sourceName : k.label)
                                        .arg(std::lround(k.strength * 100));
        if (m_staleKeyframes.contains(k.id)) {
            text += QLatin1Char('\n') +
                    tr("Changed since this generation started: the take does not show it yet");
        }
        break;
    }
    case Part::Marker: {
        const core::Marker& m = project.markers[std::size_t(hit.index)];
        text += QLatin1Char('\n') + tr("Marker \"%1\" at frame %2").arg(m.name).arg(m.frame);
        break;
    }
    case Part::Prompt:
    case Part::PromptBoundary: {
        const core::PromptSegment& s = project.prompts[std::size_t(hit.index)];
        const QString shown = s.text.size() > 200 ? s.text.left(200) + QChar(0x2026) : s.text;
        text += QLatin1Char('\n') + (shown.isEmpty() ? tr("(empty prompt)") : shown);
        const int effective = promptEffectiveFrame(project, hit.index);
        if (effective < 0) {
            text += QLatin1Char('\n') + tr("Never takes effect: a later segment starts in the "
                                           "same chunk, or the timeline ends first");
        } else if (effective != s.startFrame) {
            text += QLatin1Char('\n') +
                    tr("Takes effect at frame %1, the next chunk start").arg(effective);
        }
        if (hit.part == Part::PromptBoundary) {
            text += QLatin1Char('\n') + tr("Drag to move where this prompt starts");
        }
        break;
    }
    default:
        break;
    }
    return text;
}

// ---- Painting -------------------------------------------------------------------------------

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
        if (step * ppf >= numbered) { // room for the frame number
            p.setPen(mid);
            //: Ruler: the frame number beside the time.
            p.drawText(QPointF(x + 3 + metrics.horizontalAdvance(label) + 6,
                               ruler.top() + metrics.ascent() + 2),
                       tr("#%1").arg(f));
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
    const auto paintOne = [&](const core::Keyframe& k, bool isSelected) {
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

        const QPixmap thumb = m_thumbnails->pixmap(m_document->assetFilePath(k.image),
                                                   r.size().toSize() * devicePixelRatioF());
        if (!thumb.isNull()) {
            p.drawPixmap(r, thumb, QRectF(thumb.rect()));
        } else {
            p.fillRect(r, palette().color(QPalette::Button));
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
            p.fillRect(r, QBrush(withAlpha(kStaleColor, 150), Qt::BDiagPattern));
            const QRectF badge(r.right() - 13, r.top() + 2, 11, 11);
            p.setPen(Qt::NoPen);
            p.setBrush(kStaleColor);
            p.drawEllipse(badge);
            p.setPen(Qt::white);
            p.drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
            p.setBrush(Qt::NoBrush);
        }
        QColor border = palette().color(QPalette::Mid);
        int borderWidth = 1;
        if (dragged && !m_drag->problem.isEmpty()) {
            border = kStaleColor;
            borderWidth = 2;
        } else if (isSelected) {
            border = palette().color(QPalette::Highlight);
            borderWidth = 2;
        }
        p.setPen(QPen(border, borderWidth));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5));
    };
    for (std::size_t i = 0; i < project.keyframes.size(); ++i) {
        if (project.keyframes[i].id == selected) {
            selectedIndex = int(i);
            continue;
        }
        paintOne(project.keyframes[i], false);
    }
    if (selectedIndex >= 0) { // on top of the others
        paintOne(project.keyframes[std::size_t(selectedIndex)], true);
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
        p.fillPath(diamond, kPendingColor);
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
        if (next < 0 || x - TimelineGeometry::kMarkerGrip > width) {
            continue;
        }
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
                                ? kStaleColor
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
    p.setPen(QPen(kPlayheadColor, 1));
    p.drawLine(QPointF(x, ruler.top()), QPointF(x, bottom));
    QPainterPath handle;
    handle.moveTo(x - 6, ruler.bottom() - 10);
    handle.lineTo(x + 6, ruler.bottom() - 10);
    handle.lineTo(x, ruler.bottom());
    handle.closeSubpath();
    p.fillPath(handle, kPlayheadColor);
}

} // namespace sfs::ui
