#pragma once
// The studio's timeline: a custom-painted view of the project (ruler, markers, keyframes, prompt
// segments, the take) over the shared Transport (playhead, in/out range, the take shown) and
// Selection. It paints only the visible frames, keeps no widget per item and loads thumbnails
// off the UI thread (ThumbnailCache), so a 1000-chunk timeline scrolls smoothly. Every edit is
// an undo command pushed on the document; a refused one changes nothing and says why
// (statusMessage(), and a tooltip at the pointer while dragging). Geometry and hit-testing are
// TimelineGeometry's (timeline_geometry.h).
//
// Mouse: click/drag on the ruler (or the take lane) scrubs; click selects; drag a keyframe to
// move it (it snaps to the frames a keyframe may occupy; Shift: any frame), drag a prompt
// boundary (it snaps to chunk starts nearby; Shift: no snapping), drag a marker; double-click a
// prompt to edit its text in place, a marker to rename it, the empty marker lane to add one;
// drop image files on the timeline to add keyframes there; right-click for the item's menu.
// A drag near the left or right edge scrolls. Wheel scrolls, Ctrl+wheel zooms around the pointer.
// Keys (while it has focus): Delete/Backspace removes the selection, S splits the prompt at the
// playhead, M adds a marker at the playhead, Shift+Up / Shift+Down jump to the previous / next
// marker, Alt+Left / Alt+Right nudge the selection (a keyframe to the previous / next frame it
// may take, a marker or a prompt's start by one frame), +/- zoom around the playhead, 0 fits the
// timeline, F2 edits the selected prompt or renames the selected marker, Esc cancels a drag.

#include "timeline/timeline_geometry.h"

#include <QAbstractScrollArea>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class QLineEdit;
class QPainter;
class QTimer;

namespace sfs::core {
class ProjectCommand;
class ProjectDocument;
} // namespace sfs::core

namespace sfs::ui {

class Selection;
class ThumbnailCache;
class Transport;

class TimelineView : public QAbstractScrollArea {
    Q_OBJECT
public:
    // The document, selection and transport must outlive the view.
    TimelineView(core::ProjectDocument* document, Selection* selection, Transport* transport,
                 QWidget* parent = nullptr);
    ~TimelineView() override;

    const TimelineGeometry& timelineGeometry() const { return m_geometry; }
    // The item under a point of the viewport.
    TimelineHit hitTest(QPointF viewportPoint) const;

    // ---- The generation controller's marks ----------------------------------------------
    // The chunk being generated, highlighted on the take lane; -1: none.
    void setGeneratingChunk(int chunk);
    int generatingChunk() const { return m_generatingChunk; }
    // Keyframes edited since the running generation encoded them: drawn with a hatched red badge.
    void setStaleKeyframes(const QSet<QString>& keyframeIds);
    QSet<QString> staleKeyframes() const { return m_staleKeyframes; }
    // Frames where a prompt edited during generation will switch ("applies at the next chunk").
    void setPendingPromptSwitches(const QList<int>& frames);
    QList<int> pendingPromptSwitches() const { return m_pendingPromptSwitches; }

    // ---- Zoom and scroll ----------------------------------------------------------------
    // Multiplies the zoom keeping the frame under viewport x `anchorX` in place.
    void zoomAround(double factor, double anchorX);
    void zoomIn();  // around the playhead
    void zoomOut(); // around the playhead
    void zoomToFit();
    void scrollToFrame(int frame); // pages so that `frame` shows

    // ---- Edits (also the keys and menus); false, with statusMessage(), when refused -----
    bool deleteSelection();
    bool splitPromptAtPlayhead();
    // Moves the selected keyframe (-1/+1: to the previous/next frame it may take), marker or
    // prompt start (by one frame).
    bool nudgeSelection(int direction);
    bool mergePromptWithNext(const QString& segmentId);
    // Imports the image files off the UI thread and adds one keyframe per image from `frame`
    // on (snapped, each at the next free latent frame a chunk later); keyframesImported() follows.
    void addKeyframeImages(const QStringList& files, int frame);
    // Opens the inline editor on a prompt segment's bar.
    void editPromptText(const QString& segmentId);

    // ---- Markers (the window may give these window-wide shortcuts) ----------------------
    // Adds a marker at the playhead ("Marker N"); refused where one is.
    bool addMarkerAtPlayhead();
    // Moves the playhead to the marker before / after it; false when there is none.
    bool jumpToPreviousMarker();
    bool jumpToNextMarker();
    // Opens the inline editor on a marker's name.
    void renameMarker(const QString& markerId);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // What happened or why an edit was refused, for the status bar.
    void statusMessage(const QString& text);
    // An image import from a drop or "replace image" has ended: `added` keyframes were added or
    // changed; `errors` names the files that were not.
    void keyframesImported(int added, const QStringList& errors);

protected:
    bool event(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void changeEvent(QEvent* event) override;

private:
    // A drag in progress: what it moves and where it is now.
    struct Drag {
        enum class Kind { Scrub, Keyframe, PromptBoundary, Marker };
        Kind kind = Kind::Scrub;
        QString id;
        int originFrame = 0; // the item's frame when the drag began
        int grabOffset = 0;  // frames between the pointer and the item's frame at the press
        QPointF pressPos;
        bool moved = false; // past the drag distance
        int frame = 0;      // where the item would land now
        QString problem;    // why it cannot land there (empty: it can)
    };

    void syncToDocument();
    void updateScrollBar();
    void updateAccessibleDescription();
    void scrub(int frame);
    void updateDrag(QPointF pos, Qt::KeyboardModifiers modifiers);
    void finishDrag();
    void autoScrollStep();
    void cancelDrag();
    // Pushes an edit; a refused one is reported through statusMessage().
    bool push(std::unique_ptr<core::ProjectCommand> command);
    QString tooltipAt(QPointF pos) const;
    bool isTimelineKey(const QKeyEvent* event) const;
    QString framesFolderOfShownTake() const;
    void replaceKeyframeImage(const QString& keyframeId);
    void setKeyframeStrength(const QString& keyframeId, double strength);
    // The inline editor over a prompt's bar or a marker's flag.
    enum class EditTarget { Prompt, Marker };
    void startInlineEdit(EditTarget target, const QString& id, QRectF anchor, const QString& text);
    void commitInlineEdit();
    bool addMarkerAt(int frame);

    void paintChunks(QPainter& p) const;
    void paintRuler(QPainter& p) const;
    void paintKeyframes(QPainter& p);
    void paintPrompts(QPainter& p) const;
    void paintMarkers(QPainter& p) const;
    void paintTake(QPainter& p);
    void paintPlayhead(QPainter& p) const;

    core::ProjectDocument* m_document;
    Selection* m_selection;
    Transport* m_transport;
    ThumbnailCache* m_thumbnails;
    TimelineGeometry m_geometry;
    bool m_fitOnFirstShow = true;

    std::optional<Drag> m_drag;
    QTimer* m_autoScroll;
    QPointF m_lastDragPos;
    Qt::KeyboardModifiers m_lastDragModifiers;
    int m_generatingChunk = -1;
    QSet<QString> m_staleKeyframes;
    QList<int> m_pendingPromptSwitches;
    int m_dropFrame = -1; // where dropped images would land, while dragging files over

    QLineEdit* m_inlineEditor = nullptr;
    EditTarget m_editTarget = EditTarget::Prompt;
    QString m_editedId; // empty when the editor is closed
};

} // namespace sfs::ui
