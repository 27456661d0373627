#include "timeline/timeline_view.h"

#include "image_import.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"
#include "timeline/thumbnail_cache.h"
#include "timeline/timeline_style.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QScrollBar>
#include <QTimer>
#include <QToolTip>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace sfs::ui {

namespace tl = core::timeline;
using Part = TimelineHit::Part;
using timeline_style::timecode;

namespace {

constexpr double kZoomStep = 1.25;
// A prompt boundary dragged within this many pixels of a chunk start lands on it.
constexpr double kChunkSnapPixels = 6.0;
// A drag this close to the left or right edge scrolls the timeline, faster the closer it gets.
constexpr double kAutoScrollMargin = 24.0;

} // namespace

TimelineView::TimelineView(core::ProjectDocument* document, Selection* selection,
                           Transport* transport, QWidget* parent)
    : QAbstractScrollArea(parent), m_document(document), m_selection(selection),
      m_transport(transport), m_thumbnails(new ThumbnailCache(this)),
      m_autoScroll(new QTimer(this)) {
    m_autoScroll->setInterval(30);
    connect(m_autoScroll, &QTimer::timeout, this, &TimelineView::autoScrollStep);
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
    connect(m_document, &core::ProjectDocument::documentReset, this, [this] {
        if (!m_fitOnFirstShow) {
            syncToDocument(); // whichever of changed() and documentReset() comes first
            zoomToFit();      // another project: show all of it
        }
    });
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

bool TimelineView::nudgeSelection(int direction) {
    const core::Project& project = m_document->project();
    const QString id = m_selection->id();
    switch (m_selection->kind()) {
    case Selection::Kind::Keyframe: {
        // To the next frame a keyframe may take (the snap grid), as a drag would.
        const core::Keyframe* keyframe = project.keyframe(id);
        if (keyframe == nullptr) {
            return false;
        }
        const int target =
            adjacentKeyframeSnapFrame(keyframe->frame, direction, project.lastFrame());
        if (target == keyframe->frame) {
            return false;
        }
        return push(std::make_unique<core::MoveKeyframeCommand>(m_document, id, target));
    }
    case Selection::Kind::Marker: {
        const core::Marker* marker = project.marker(id);
        return marker != nullptr && push(std::make_unique<core::MoveMarkerCommand>(
                                        m_document, id, marker->frame + direction));
    }
    case Selection::Kind::Prompt: {
        const core::PromptSegment* segment = project.prompt(id);
        return segment != nullptr && segment->startFrame > 0 &&
               push(std::make_unique<core::MovePromptBoundaryCommand>(
                   m_document, id, segment->startFrame + direction));
    }
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
    importImages(m_document, files, this, [this, frame](ImageImport result) {
        // Placed now, not at the drop: the project may have changed while the files were copied.
        const int lastFrame = m_document->project().lastFrame();
        QStringList errors = result.errors;
        int candidate = keyframeSnapFrame(frame, lastFrame);
        int added = 0;
        QUndoStack* stack = m_document->undoStack();
        const bool oneStep = result.images.size() > 1; // several images: one undo step
        for (const core::ImportedImage& image : result.images) {
            core::Keyframe keyframe;
            keyframe.image = image.assetPath;
            keyframe.sourceName = image.sourceName;
            // The first frame from the candidate on where the keyframe may go.
            keyframe.frame = candidate;
            while (!core::AddKeyframeCommand(m_document, keyframe).problem().isEmpty() &&
                   adjacentKeyframeSnapFrame(keyframe.frame, 1, lastFrame) != keyframe.frame) {
                keyframe.frame = adjacentKeyframeSnapFrame(keyframe.frame, 1, lastFrame);
            }
            auto command = std::make_unique<core::AddKeyframeCommand>(m_document, keyframe);
            const QString problem = command->problem();
            if (!problem.isEmpty()) { // the timeline is full from the candidate on
                errors << QStringLiteral("%1: %2").arg(image.sourceName, problem);
                continue;
            }
            if (oneStep && added == 0) { // opened only once something lands in it
                stack->beginMacro(tr("Add %n Keyframe(s)", nullptr, int(result.images.size())));
            }
            m_document->push(std::move(command)); // checked just above: it applies
            ++added;
            candidate = keyframeSnapFrame(keyframe.frame + tl::kFramesPerChunk, lastFrame);
        }
        if (oneStep && added > 0) {
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
    importImages(m_document, {file}, this, [this, keyframeId](ImageImport result) {
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
    case Qt::Key_Left:
    case Qt::Key_Right:
        return mods == Qt::AltModifier && !m_selection->isEmpty();
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
    case Qt::Key_Left:
        nudgeSelection(-1);
        break;
    case Qt::Key_Right:
        nudgeSelection(1);
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
    // An item grabbed at `frame`; `keepOffset`: it follows the pointer at the grabbed distance.
    const auto grab = [&](Drag::Kind kind, int frame, bool keepOffset) {
        drag.kind = kind;
        drag.id = hit.id;
        drag.originFrame = frame;
        drag.frame = frame;
        drag.grabOffset = keepOffset && hit.frame >= 0 ? hit.frame - frame : 0;
        m_drag = drag;
    };
    switch (hit.part) {
    case Part::Ruler:
    case Part::TakeLane:
        drag.kind = Drag::Kind::Scrub;
        drag.moved = true;
        m_drag = drag;
        scrub(hit.frame);
        break;
    case Part::Keyframe:
        m_selection->select(Selection::Kind::Keyframe, hit.id);
        grab(Drag::Kind::Keyframe, project.keyframes[std::size_t(hit.index)].frame, true);
        break;
    case Part::PromptBoundary:
        m_selection->select(Selection::Kind::Prompt, hit.id);
        grab(Drag::Kind::PromptBoundary, project.prompts[std::size_t(hit.index)].startFrame, false);
        break;
    case Part::Prompt:
        m_selection->select(Selection::Kind::Prompt, hit.id);
        break;
    case Part::Marker:
        m_selection->select(Selection::Kind::Marker, hit.id);
        grab(Drag::Kind::Marker, project.markers[std::size_t(hit.index)].frame, true);
        break;
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
    const bool unsnapped = modifiers & Qt::ShiftModifier;
    switch (drag.kind) {
    case Drag::Kind::Scrub:
        scrub(m_geometry.frameAtX(pos.x()));
        return;
    case Drag::Kind::Keyframe: {
        const int raw = std::clamp(int(std::floor(m_geometry.frameAtXF(pos.x()))) - drag.grabOffset,
                                   0, project.lastFrame());
        drag.frame = unsnapped ? raw : keyframeSnapFrame(raw, project.lastFrame());
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
        if (!unsnapped) {
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
        m_lastDragPos = pos;
        m_lastDragModifiers = event->modifiers();
        // Near an edge the timeline scrolls under the pointer while it stays there.
        if (m_drag &&
            (pos.x() < kAutoScrollMargin || pos.x() > viewport()->width() - kAutoScrollMargin)) {
            m_autoScroll->start();
        } else {
            m_autoScroll->stop();
        }
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

void TimelineView::autoScrollStep() {
    if (!m_drag) {
        m_autoScroll->stop();
        return;
    }
    const double x = m_lastDragPos.x();
    const double depth = x < kAutoScrollMargin ? x - kAutoScrollMargin
                                               : x - (viewport()->width() - kAutoScrollMargin);
    QScrollBar* bar = horizontalScrollBar();
    const int before = bar->value();
    bar->setValue(before + int(std::lround(depth)));
    if (bar->value() == before) {
        m_autoScroll->stop(); // at an end
        return;
    }
    updateDrag(m_lastDragPos, m_lastDragModifiers);
}

void TimelineView::finishDrag() {
    m_autoScroll->stop();
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
    m_autoScroll->stop();
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
        for (int frame : m_pendingPromptSwitches) {
            if (std::abs(m_geometry.xOfFrame(frame) - pos.x()) <= 6) {
                text += QLatin1Char('\n') + tr("Edited while generating: the new prompt applies "
                                               "from frame %1, the next chunk")
                                                .arg(frame);
            }
        }
        break;
    }
    case Part::TakeLane:
        if (m_generatingChunk >= 0 && tl::chunkOfFrame(hit.frame) == m_generatingChunk) {
            text += QLatin1Char('\n') + tr("Chunk %1 is being generated").arg(m_generatingChunk);
        }
        break;
    default:
        break;
    }
    return text;
}

} // namespace sfs::ui
