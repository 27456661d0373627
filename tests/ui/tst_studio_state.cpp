// The shared studio state: the playhead (Transport) clamps and signals; the selection prunes
// what the project no longer has.
#include "sfs/core/project/project.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"

#include <QSignalSpy>
#include <QTest>

using sfs::ui::Selection;
using sfs::ui::Transport;

class TestStudioState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void transportClampsTheFrameToTheLength() {
        Transport t;
        QSignalSpy frames(&t, &Transport::frameChanged);
        t.setLength(81);
        t.setFrame(100);
        QCOMPARE(t.frame(), 80);
        t.step(-200);
        QCOMPARE(t.frame(), 0);
        QCOMPARE(frames.count(), 2);
        t.setLength(33); // the playhead follows a shorter timeline
        t.setFrame(32);
        t.setLength(9);
        QCOMPARE(t.frame(), 8);
    }

    void transportRangeStaysOrderedAndFollowsTheWholeTimeline() {
        Transport t;
        t.setLength(81);
        QCOMPARE(t.inFrame(), 0);
        QCOMPARE(t.outFrame(), 80);
        t.setOutFrame(20);
        t.setInFrame(30); // passes out: out moves along
        QCOMPARE(t.inFrame(), 30);
        QCOMPARE(t.outFrame(), 30);
        t.setOutFrame(10); // passes in: in moves along
        QCOMPARE(t.inFrame(), 10);
        QCOMPARE(t.outFrame(), 10);
        t.clearRange();
        t.setLength(93); // the whole range grows with the timeline
        QCOMPARE(t.outFrame(), 92);
    }

    void transportRateIsClampedAndTogglePlays() {
        Transport t;
        QSignalSpy rates(&t, &Transport::rateChanged);
        QVERIFY(!t.isPlaying());
        t.togglePlay();
        QCOMPARE(t.rate(), 1.0);
        t.setRate(-20);
        QCOMPARE(t.rate(), -8.0);
        t.togglePlay();
        QVERIFY(!t.isPlaying());
        QCOMPARE(rates.count(), 3);
    }

    void selectionPrunesItemsTheProjectLost() {
        auto project = sfs::core::Project::makeDefault();
        Selection s;
        QSignalSpy changes(&s, &Selection::changed);
        s.select(Selection::Kind::Prompt, project.prompts.front().id);
        s.prune(project);
        QVERIFY(s.is(Selection::Kind::Prompt, project.prompts.front().id));
        s.select(Selection::Kind::Keyframe, QStringLiteral("k-gone"));
        s.prune(project);
        QVERIFY(s.isEmpty());
        QCOMPARE(changes.count(), 3);
        s.select(Selection::Kind::Take, QString()); // an empty id is no selection
        QVERIFY(s.isEmpty());
        QCOMPARE(changes.count(), 3);
        // Markers are pruned like the rest.
        project.markers.push_back(sfs::core::Marker{QStringLiteral("m1"), 8, QStringLiteral("x")});
        s.select(Selection::Kind::Marker, QStringLiteral("m1"));
        s.prune(project);
        QVERIFY(s.is(Selection::Kind::Marker, QStringLiteral("m1")));
        project.markers.clear();
        s.prune(project);
        QVERIFY(s.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStudioState)
#include "tst_studio_state.moc"
