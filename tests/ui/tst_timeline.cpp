// The timeline: its geometry (frame <-> x, lanes, hit-testing, keyframe snapping, where a prompt
// takes effect) and the edits its mouse and keys make — each one undo command, or none when
// refused.
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/translations.h"
#include "sfs/ui/transport.h"
#include "timeline/timeline_geometry.h"
#include "timeline/timeline_view.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QImage>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include <memory>

using namespace sfs;
using sfs::ui::Selection;
using sfs::ui::TimelineGeometry;
using sfs::ui::TimelineHit;
using sfs::ui::TimelineView;
using sfs::ui::Transport;
using Part = TimelineHit::Part;

namespace {

// 81 frames (7 chunks); keyframes at 0, 40 and 60; prompts from 0 and from 33 (a chunk start);
// markers at 16 and 64.
core::Project sampleProject() {
    core::Project p = core::Project::makeDefault();
    p.prompts = {{QStringLiteral("p0"), 0, QStringLiteral("a red fox in the snow")},
                 {QStringLiteral("p1"), 33, QStringLiteral("the fox runs into the forest")}};
    for (auto [id, frame] : {std::pair{"k0", 0}, std::pair{"k1", 40}, std::pair{"k2", 60}}) {
        core::Keyframe k;
        k.id = QString::fromLatin1(id);
        k.frame = frame;
        k.image = QStringLiteral("images/missing.png");
        k.sourceName = QStringLiteral("%1.png").arg(k.id);
        p.keyframes.push_back(k);
    }
    p.markers = {{QStringLiteral("m1"), 16, QStringLiteral("intro")},
                 {QStringLiteral("m2"), 64, QStringLiteral("forest")}};
    return p;
}

} // namespace

class TestTimeline : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_staging;
    std::unique_ptr<core::ProjectDocument> m_doc;
    std::unique_ptr<Selection> m_selection;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<TimelineView> m_view;

    const TimelineGeometry& geo() const { return m_view->timelineGeometry(); }
    QWidget* viewport() const { return m_view->viewport(); }
    int width() const { return m_view->viewport()->width(); }
    QPoint at(double x, const QRectF& lane) const {
        return QPointF(x, lane.center().y()).toPoint();
    }
    QUndoStack* stack() const { return m_doc->undoStack(); }
    // Press, move in a few steps (past the drag distance), release: a user's drag.
    void drag(QPoint from, QPoint to, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        QTest::mousePress(viewport(), Qt::LeftButton, mods, from);
        for (int i = 1; i <= 4; ++i) {
            QTest::mouseMove(viewport(), from + (to - from) * i / 4);
        }
        QTest::mouseRelease(viewport(), Qt::LeftButton, mods, to);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_timeline"));
    }

    void init() {
        m_doc = std::make_unique<core::ProjectDocument>(nullptr, m_staging.path());
        m_doc->newProject(sampleProject());
        m_selection = std::make_unique<Selection>();
        m_transport = std::make_unique<Transport>();
        m_transport->setLength(81);
        m_view = std::make_unique<TimelineView>(m_doc.get(), m_selection.get(), m_transport.get());
        m_view->resize(1000, m_view->sizeHint().height());
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() {
        m_view.reset();
        m_transport.reset();
        m_selection.reset();
        m_doc.reset();
    }

    void snappingFollowsTheLatentGrid() {
        // Frame 0, then the last frame of each latent frame (4j).
        QCOMPARE(ui::keyframeSnapFrame(0, 80), 0);
        QCOMPARE(ui::keyframeSnapFrame(1, 80), 0);
        QCOMPARE(ui::keyframeSnapFrame(3, 80), 4);
        QCOMPARE(ui::keyframeSnapFrame(13, 80), 12);
        QCOMPARE(ui::keyframeSnapFrame(15, 80), 16);
        QCOMPARE(ui::keyframeSnapFrame(200, 80), 80);
        QCOMPARE(ui::keyframeSnapFrame(-5, 80), 0);
        QCOMPARE(ui::adjacentKeyframeSnapFrame(0, 1, 80), 4);
        QCOMPARE(ui::adjacentKeyframeSnapFrame(4, -1, 80), 0);
        QCOMPARE(ui::adjacentKeyframeSnapFrame(49, 1, 80), 52);
        QCOMPARE(ui::adjacentKeyframeSnapFrame(49, -1, 80), 48);
        QCOMPARE(ui::adjacentKeyframeSnapFrame(48, -1, 80), 44);
        QCOMPARE(ui::adjacentKeyframeSnapFrame(80, 1, 80), 80); // the end
        QCOMPARE(ui::adjacentKeyframeSnapFrame(0, -1, 80), 0);
    }

    void promptsTakeEffectAtChunkStarts() {
        core::Project p = core::Project::makeDefault(); // 81 frames: chunks start 0, 9, 21, ...
        p.prompts = {{"a", 0, "x"}, {"b", 9, "y"}, {"c", 25, "z"}, {"d", 27, "w"}, {"e", 75, "v"}};
        QCOMPARE(ui::promptEffectiveFrame(p, 0), 0);
        QCOMPARE(ui::promptEffectiveFrame(p, 1), 9);  // starts on a chunk start
        QCOMPARE(ui::promptEffectiveFrame(p, 2), -1); // "d" takes chunk 3 too: the last wins
        QCOMPARE(ui::promptEffectiveFrame(p, 3), 33); // inside chunk 2: from chunk 3
        QCOMPARE(ui::promptEffectiveFrame(p, 4), -1); // inside the last chunk: never
    }

    void frameAndXMapBothWays() {
        TimelineGeometry g;
        g.setDurationFrames(81);
        g.setPixelsPerFrame(10);
        g.setScrollX(25);
        QCOMPARE(g.xOfFrame(0), double(TimelineGeometry::kLeftMargin - 25));
        for (int f : {0, 1, 40, 80}) {
            QCOMPARE(g.frameAtX(g.xOfFrame(f)), f);
            QCOMPARE(g.frameAtX(g.centerXOfFrame(f)), f);
            QCOMPARE(g.frameAtX(g.xOfFrame(f + 1) - 0.01), f);
        }
        QCOMPARE(g.frameAtX(-1000), 0); // clamped
        QCOMPARE(g.frameAtX(1e6), 80);
        g.setPixelsPerFrame(1e9);
        QCOMPARE(g.pixelsPerFrame(), TimelineGeometry::kMaxPixelsPerFrame);
        // A 1000-chunk timeline fits a normal window.
        g.setDurationFrames(12 * 1000 - 3);
        QVERIFY(g.fitPixelsPerFrame(800) * 11997 <= 800);
    }

    void hitTestingFindsEachItem() {
        const core::Project& p = m_doc->project();
        const int w = width();
        const QRectF kfLane = geo().keyframeLaneRect(w);
        const QRectF promptLane = geo().promptLaneRect(w);

        TimelineHit hit = geo().hitTest(geo().keyframeRect(40).center(), w, p);
        QCOMPARE(hit.part, Part::Keyframe);
        QCOMPARE(hit.id, QStringLiteral("k1"));
        QCOMPARE(hit.frame, 40);

        hit = geo().hitTest(at(geo().centerXOfFrame(20), kfLane), w, p);
        QCOMPARE(hit.part, Part::KeyframeLane);

        hit = geo().hitTest(at(geo().xOfFrame(33) + 1, promptLane), w, p);
        QCOMPARE(hit.part, Part::PromptBoundary);
        QCOMPARE(hit.id, QStringLiteral("p1"));
        hit = geo().hitTest(at(geo().centerXOfFrame(20), promptLane), w, p);
        QCOMPARE(hit.part, Part::Prompt);
        QCOMPARE(hit.id, QStringLiteral("p0"));
        hit = geo().hitTest(at(geo().centerXOfFrame(60), promptLane), w, p);
        QCOMPARE(hit.id, QStringLiteral("p1"));

        hit = geo().hitTest(at(geo().centerXOfFrame(12), geo().rulerRect(w)), w, p);
        QCOMPARE(hit.part, Part::Ruler);
        QCOMPARE(hit.frame, 12);
        hit = geo().hitTest(at(geo().centerXOfFrame(12), geo().takeLaneRect(w)), w, p);
        QCOMPARE(hit.part, Part::TakeLane);
        hit = geo().hitTest(at(geo().centerXOfFrame(12), geo().markerLaneRect(w)), w, p);
        QCOMPARE(hit.part, Part::MarkerLane);
        // Beyond the last frame: nothing.
        hit = geo().hitTest(at(geo().xOfFrame(81) + 5, kfLane), w, p);
        QCOMPARE(hit.frame, -1);
    }

    void draggingAKeyframePushesOneSnappedMove() {
        const int before = stack()->count();
        const QPoint from = geo().keyframeRect(40).center().toPoint();
        // The keyframe's centre sits at frame 40; drop it over frame 49 -> snaps to 48.
        const QPoint to(int(geo().centerXOfFrame(49)), from.y());
        drag(from, to);
        QCOMPARE(stack()->count(), before + 1);
        QVERIFY(dynamic_cast<const core::MoveKeyframeCommand*>(stack()->command(before)));
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 48);
        QVERIFY(m_selection->is(Selection::Kind::Keyframe, "k1"));
        stack()->undo();
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 40);
    }

    void shiftDragPlacesAKeyframeOnAnyFrame() {
        const QPoint from = geo().keyframeRect(40).center().toPoint();
        drag(from, QPoint(int(geo().centerXOfFrame(49)), from.y()), Qt::ShiftModifier);
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 49);
    }

    void draggingToAnEdgeScrollsTheTimeline() {
        m_view->zoomAround(4.0, 0); // wider than the view, scrolled to the start
        QCOMPARE(geo().scrollX(), 0);
        const int lastShown = geo().lastVisibleFrame(width());
        const QPoint from = geo().keyframeRect(40).center().toPoint();
        const QPoint edge(width() - 4, from.y());
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport(), (from + edge) / 2);
        QTest::mouseMove(viewport(), edge);
        QTRY_VERIFY(geo().scrollX() > 0);
        QTest::qWait(100);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, edge);
        const int scroll = geo().scrollX();
        QTest::qWait(100); // the scrolling stopped with the drag
        QCOMPARE(geo().scrollX(), scroll);
        QVERIFY(m_doc->project().keyframe("k1")->frame > lastShown);
    }

    void aRefusedKeyframeMovePushesNothing() {
        QSignalSpy status(m_view.get(), &TimelineView::statusMessage);
        const int before = stack()->count();
        const QPoint from = geo().keyframeRect(40).center().toPoint();
        // Frame 59 snaps to 60, k2's frame: refused.
        drag(from, QPoint(int(geo().centerXOfFrame(59)), from.y()));
        QCOMPARE(stack()->count(), before);
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 40);
        QCOMPARE(status.count(), 1);
        // Frame 58 (Shift: unsnapped) shares k2's latent frame (57-60): one keyframe per latent
        // frame, refused too, saying why.
        drag(from, QPoint(int(geo().centerXOfFrame(58)), from.y()), Qt::ShiftModifier);
        QCOMPARE(stack()->count(), before);
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 40);
        QCOMPARE(status.count(), 2);
        QVERIFY2(status.last().at(0).toString().contains("latent frame 15"),
                 qPrintable(status.last().at(0).toString()));
    }

    void draggingAPromptBoundaryPushesMovePromptBoundary() {
        const int before = stack()->count();
        const QRectF lane = geo().promptLaneRect(width());
        // From 33 to near the start of chunk 4 (frame 45): it snaps there.
        drag(at(geo().xOfFrame(33), lane), at(geo().xOfFrame(45) + 2, lane));
        QCOMPARE(stack()->count(), before + 1);
        QVERIFY(dynamic_cast<const core::MovePromptBoundaryCommand*>(stack()->command(before)));
        QCOMPARE(m_doc->project().prompts[1].startFrame, 45);
        QCOMPARE(m_doc->project().prompts[0].text, QStringLiteral("a red fox in the snow"));
        stack()->undo();
        QCOMPARE(m_doc->project().prompts[1].startFrame, 33);
    }

    void splitAtThePlayheadWithS() {
        m_transport->setFrame(60);
        m_view->setFocus();
        QTest::keyClick(m_view.get(), Qt::Key_S);
        QCOMPARE(int(m_doc->project().prompts.size()), 3);
        QCOMPARE(m_doc->project().prompts[2].startFrame, 60);
        QCOMPARE(m_doc->project().prompts[2].text, m_doc->project().prompts[1].text);
        QVERIFY(dynamic_cast<const core::SplitPromptSegmentCommand*>(
            stack()->command(stack()->count() - 1)));
    }

    void mergeWithNextJoinsSegments() {
        QVERIFY(m_view->mergePromptWithNext("p0"));
        QCOMPARE(int(m_doc->project().prompts.size()), 1);
        QVERIFY(!m_view->mergePromptWithNext("p0")); // nothing after it: refused
    }

    void deleteRemovesTheSelectedKeyframe() {
        QTest::mouseClick(viewport(), Qt::LeftButton, {},
                          geo().keyframeRect(60).center().toPoint());
        QVERIFY(m_selection->is(Selection::Kind::Keyframe, "k2"));
        QTest::keyClick(m_view.get(), Qt::Key_Delete);
        QCOMPARE(int(m_doc->project().keyframes.size()), 2);
        QVERIFY(m_doc->project().keyframe("k2") == nullptr);
        stack()->undo();
        QVERIFY(m_doc->project().keyframe("k2") != nullptr);
    }

    void altArrowsNudgeTheSelection() {
        m_selection->select(Selection::Kind::Keyframe, "k1");
        QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 44);
        QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::AltModifier);
        QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(m_doc->project().keyframe("k1")->frame, 36);
        m_selection->select(Selection::Kind::Prompt, "p1");
        QTest::keyClick(m_view.get(), Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(m_doc->project().prompts[1].startFrame, 32);
        m_selection->select(Selection::Kind::Marker, "m1");
        QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(m_doc->project().marker("m1")->frame, 17);
        QCOMPARE(stack()->count(), 5); // one undo step each
    }

    void clickingAPromptSelectsItAndEmptySpaceClears() {
        const QRectF lane = geo().promptLaneRect(width());
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, at(geo().centerXOfFrame(50), lane));
        QVERIFY(m_selection->is(Selection::Kind::Prompt, "p1"));
        QTest::mouseClick(viewport(), Qt::LeftButton, {},
                          at(geo().centerXOfFrame(20), geo().keyframeLaneRect(width())));
        QVERIFY(m_selection->isEmpty());
    }

    void doubleClickEditsPromptTextInPlace() {
        const QRectF lane = geo().promptLaneRect(width());
        QTest::mouseDClick(viewport(), Qt::LeftButton, {}, at(geo().centerXOfFrame(50), lane));
        auto* editor = m_view->findChild<QLineEdit*>("timelineInlineEditor");
        QVERIFY(editor != nullptr && editor->isVisible());
        QCOMPARE(editor->text(), QStringLiteral("the fox runs into the forest"));
        const int before = stack()->count();
        editor->setText("the fox sleeps");
        QTest::keyClick(editor, Qt::Key_Return);
        QCOMPARE(m_doc->project().prompts[1].text, QStringLiteral("the fox sleeps"));
        QCOMPARE(stack()->count(), before + 1);
        QVERIFY(!editor->isVisible());
    }

    void rulerClickAndDragMoveThePlayhead() {
        const QRectF ruler = geo().rulerRect(width());
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, at(geo().centerXOfFrame(20), ruler));
        QCOMPARE(m_transport->frame(), 20);
        drag(at(geo().centerXOfFrame(20), ruler), at(geo().centerXOfFrame(70), ruler));
        QCOMPARE(m_transport->frame(), 70);
        QCOMPARE(stack()->count(), 0); // scrubbing is no edit
    }

    void markersAreAddedMovedRenamedAndRemoved() {
        const int w = width();
        const QRectF lane = geo().markerLaneRect(w);
        TimelineHit hit =
            geo().hitTest(at(geo().centerXOfFrame(16) + 3, lane), w, m_doc->project());
        QCOMPARE(hit.part, Part::Marker);
        QCOMPARE(hit.id, QStringLiteral("m1"));

        // M adds one at the playhead, selected.
        int before = stack()->count();
        m_transport->setFrame(30);
        QTest::keyClick(m_view.get(), Qt::Key_M);
        QCOMPARE(stack()->count(), before + 1);
        QVERIFY(dynamic_cast<const core::AddMarkerCommand*>(stack()->command(before)));
        const int added = m_doc->project().markerIndexAt(30);
        QVERIFY(added >= 0);
        const QString id = m_doc->project().markers[std::size_t(added)].id;
        QVERIFY(m_selection->is(Selection::Kind::Marker, id));
        QVERIFY(!m_view->addMarkerAtPlayhead()); // one marker per frame: refused
        QCOMPARE(stack()->count(), before + 1);

        // Dragging m1 from 16 to 24 pushes one MoveMarkerCommand.
        before = stack()->count();
        drag(at(geo().centerXOfFrame(16), lane), at(geo().centerXOfFrame(24), lane));
        QCOMPARE(stack()->count(), before + 1);
        QVERIFY(dynamic_cast<const core::MoveMarkerCommand*>(stack()->command(before)));
        QCOMPARE(m_doc->project().marker("m1")->frame, 24);
        // Onto m2's frame: refused, nothing pushed.
        drag(at(geo().centerXOfFrame(24), lane), at(geo().centerXOfFrame(64), lane));
        QCOMPARE(stack()->count(), before + 1);
        QCOMPARE(m_doc->project().marker("m1")->frame, 24);

        // Double-click renames in place.
        QTest::mouseDClick(viewport(), Qt::LeftButton, {}, at(geo().centerXOfFrame(64), lane));
        auto* editor = m_view->findChild<QLineEdit*>("timelineInlineEditor");
        QVERIFY(editor != nullptr && editor->isVisible());
        QCOMPARE(editor->text(), QStringLiteral("forest"));
        editor->setText("clearing");
        QTest::keyClick(editor, Qt::Key_Return);
        QCOMPARE(m_doc->project().marker("m2")->name, QStringLiteral("clearing"));

        // Delete removes the selected marker (m2, selected by the double-click).
        QVERIFY(m_selection->is(Selection::Kind::Marker, "m2"));
        before = stack()->count();
        QTest::keyClick(m_view.get(), Qt::Key_Delete);
        QCOMPARE(stack()->count(), before + 1);
        QVERIFY(m_doc->project().marker("m2") == nullptr);

        // Double-clicking the empty lane adds one there.
        QTest::mouseDClick(viewport(), Qt::LeftButton, {}, at(geo().centerXOfFrame(50), lane));
        QVERIFY(m_doc->project().markerIndexAt(50) >= 0);
    }

    void shiftUpAndDownJumpBetweenMarkers() {
        m_transport->setFrame(40);
        QTest::keyClick(m_view.get(), Qt::Key_Down, Qt::ShiftModifier);
        QCOMPARE(m_transport->frame(), 64);
        QTest::keyClick(m_view.get(), Qt::Key_Down, Qt::ShiftModifier); // none after: stays
        QCOMPARE(m_transport->frame(), 64);
        QTest::keyClick(m_view.get(), Qt::Key_Up, Qt::ShiftModifier);
        QCOMPARE(m_transport->frame(), 16);
        QCOMPARE(stack()->count(), 0);
    }

    void ctrlWheelZoomKeepsTheFrameUnderThePointer() {
        const double x = 300.5;
        const double frameBefore = geo().frameAtXF(x);
        const double ppf = geo().pixelsPerFrame();
        QWheelEvent wheel(QPointF(x, 50), viewport()->mapToGlobal(QPointF(x, 50)), QPoint(),
                          QPoint(0, 240), Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase,
                          false);
        QApplication::sendEvent(viewport(), &wheel);
        QVERIFY(geo().pixelsPerFrame() > ppf * 1.5); // two steps of 1.25
        // Within a pixel (the scroll is whole pixels).
        QVERIFY(std::abs(geo().frameAtXF(x) - frameBefore) * geo().pixelsPerFrame() <= 1.0);
        // Scrolled: the bar moved along.
        QCOMPARE(m_view->horizontalScrollBar()->value(), geo().scrollX());
        QVERIFY(geo().scrollX() > 0);
        QTest::keyClick(m_view.get(), Qt::Key_Minus);
        QVERIFY(geo().pixelsPerFrame() < ppf * 1.5);
    }

    void playbackPagesToFollowThePlayhead() {
        m_view->zoomAround(8.0, 0); // the timeline is now much wider than the view
        QCOMPARE(geo().scrollX(), 0);
        m_transport->play();
        m_transport->setFrame(80);
        QVERIFY(geo().scrollX() > 0);
        const double x = geo().centerXOfFrame(80);
        QVERIFY(x >= 0 && x < width());
    }

    void controllerMarksAreKeptAndPainted() {
        m_view->setGeneratingChunk(2);
        m_view->setStaleKeyframes({"k1"});
        m_view->setPendingPromptSwitches({45});
        QCOMPARE(m_view->generatingChunk(), 2);
        QVERIFY(m_view->staleKeyframes().contains("k1"));
        QCOMPARE(m_view->pendingPromptSwitches(), QList<int>{45});
        const QImage image = viewport()->grab().toImage();
        // The stale badge: a red disc in the top right corner of k1's thumbnail (sampled left
        // of the "!" it carries).
        const QRectF r = geo().keyframeRect(40);
        const QPoint inBadge = QPointF(r.right() - 7.5 - 3, r.top() + 7.5).toPoint();
        const QColor badge = image.pixelColor(inBadge);
        QVERIFY2(badge.red() > 150 && badge.green() < 100, qPrintable(badge.name()));
    }

    void theMainWindowHostsTheTimelineOnItsSharedState() {
        ui::MainWindow w;
        auto* timeline = w.findChild<TimelineView*>("timelineView");
        QVERIFY(timeline != nullptr);
        QCOMPARE(w.timeline(), timeline);
        QCOMPARE(w.findChild<QDockWidget*>("timelineDock")->widget(), timeline);
        QCOMPARE(w.transport()->length(), w.document()->project().durationFrames);
        // The playhead's range follows the timeline's length.
        QCOMPARE(w.document()->push(std::make_unique<core::SetDurationCommand>(w.document(), 93)),
                 QString());
        QCOMPARE(w.transport()->length(), 93);
        QCOMPARE(timeline->timelineGeometry().durationFrames(), 93);
        // The selection never names a removed item.
        QVERIFY(timeline->addMarkerAtPlayhead());
        QCOMPARE(w.selection()->kind(), Selection::Kind::Marker);
        w.undoStack()->undo();
        QVERIFY(w.selection()->isEmpty());
    }

    void droppedImagesBecomeKeyframes() {
        if (!core::imageSupportAvailable()) {
            QSKIP("this build reads no images (SFS_WITH_MEDIA off)");
        }
        QTemporaryDir dir;
        const QString file = dir.filePath("sunrise.png");
        QImage image(32, 24, QImage::Format_RGB888);
        image.fill(Qt::yellow);
        QVERIFY(image.save(file));
        QSignalSpy imported(m_view.get(), &TimelineView::keyframesImported);
        m_view->addKeyframeImages({file}, 22); // snaps to 24
        QVERIFY(imported.wait(5000));
        QCOMPARE(imported.first().at(0).toInt(), 1);
        const core::Project& p = m_doc->project();
        const int index = p.keyframeIndexAt(24);
        QVERIFY(index >= 0);
        QCOMPARE(p.keyframes[std::size_t(index)].sourceName, QStringLiteral("sunrise.png"));
        QVERIFY(QFileInfo::exists(m_doc->assetFilePath(p.keyframes[std::size_t(index)].image)));
        // Its thumbnail is loaded off the UI thread and painted once ready.
        const QPoint centre = geo().keyframeRect(24).center().toPoint();
        QTRY_VERIFY_WITH_TIMEOUT(
            viewport()->grab().toImage().pixelColor(centre) == QColor(Qt::yellow), 5000);
        stack()->undo();
        QCOMPARE(int(m_doc->project().keyframes.size()), 3);

        // Two images dropped on k1 (frame 40): the first takes the next free frame (44), the
        // second a chunk later (56); one undo step for both.
        const QString second = dir.filePath("dusk.png");
        QVERIFY(image.save(second));
        const int before = stack()->index(); // the undone add is dropped by the next push
        m_view->addKeyframeImages({file, second}, 40);
        QVERIFY(imported.wait(5000));
        QCOMPARE(imported.last().at(0).toInt(), 2);
        QVERIFY(m_doc->project().keyframeIndexAt(44) >= 0);
        QVERIFY(m_doc->project().keyframeIndexAt(56) >= 0);
        QCOMPARE(stack()->index(), before + 1);
        stack()->undo();
        QCOMPARE(int(m_doc->project().keyframes.size()), 3);
    }

    // Last: the translators stay installed.
    void itSpeaksGermanAndJapanese() {
        QVERIFY(ui::installTranslations(QLocale(QLocale::German, QLocale::Germany)));
        {
            TimelineView view(m_doc.get(), m_selection.get(), m_transport.get());
            QCOMPARE(view.accessibleName(), QStringLiteral("Zeitleiste"));
            QVERIFY2(view.accessibleDescription().contains("Abspielposition bei Frame 0"),
                     qPrintable(view.accessibleDescription()));
        }
        QVERIFY(ui::installTranslations(QLocale(QLocale::Japanese, QLocale::Japan)));
        {
            TimelineView view(m_doc.get(), m_selection.get(), m_transport.get());
            QCOMPARE(view.accessibleName(), QString::fromUtf8("タイムライン"));
        }
    }
};

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"
