// The live preview and playback: live frames reach the video sink in order, the latest-wins
// mailbox, playback of a stored take at 16 fps within the in/out range, the transport keys (and
// that they leave text fields alone), the take selector and the comparison of two takes.

#include "../core/take_fixture.h"
#include "preview/latest_frame_mailbox.h"
#include "preview/playback_clock.h"
#include "preview/playback_controls.h"
#include "preview/preview_panel.h"
#include "preview/preview_widget.h"
#include "preview/take_selector.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/transport.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QVBoxLayout>
#include <QVideoFrame>
#include <QVideoSink>

#include <algorithm>
#include <memory>

using sfs::core::ProjectDocument;
using sfs::ui::LatestFrameMailbox;
using sfs::ui::PlaybackClock;
using sfs::ui::PlaybackControls;
using sfs::ui::PreviewPanel;
using sfs::ui::PreviewWidget;
using sfs::ui::Transport;

namespace {

QImage filled(QRgb color, QSize size = {32, 24}) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

QRgb centreOf(const QVideoFrame& frame) {
    const QImage image = frame.toImage();
    return image.isNull() ? 0 : image.pixel(image.width() / 2, image.height() / 2) | 0xff000000u;
}

// Every pixel of the sink's frame matches `expected` (the take's stored frame).
bool sinkShows(QVideoSink* sink, const QImage& expected) {
    const QImage shown = sink->videoFrame().toImage().convertToFormat(QImage::Format_RGB888);
    return shown == expected.convertToFormat(QImage::Format_RGB888);
}

} // namespace

class TestPreview : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_preview"));
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("project"))));
        // Small frames: the test is about order and timing, not pixels per second.
        m_fixture = sfs::test::makeTakeProject(m_dir.filePath(QStringLiteral("project")), {64, 48});
    }

    void init() {
        m_document =
            std::make_unique<ProjectDocument>(nullptr, m_dir.filePath(QStringLiteral("staging")));
        sfs::core::FileError error;
        QVERIFY(m_document->open(m_fixture.path, error));
        m_transport = std::make_unique<Transport>();
        m_transport->setLength(m_document->project().durationFrames);
    }

    void cleanup() {
        m_transport.reset();
        m_document.reset();
    }

    void liveFramesArriveInOrderInTheSink() {
        PreviewWidget preview(m_document.get(), m_transport.get());
        QSignalSpy frames(preview.videoSink(), &QVideoSink::videoFrameChanged);
        preview.setGenerating(true, 4.5);
        QCOMPARE(preview.overlayText(), QStringLiteral("Generating…"));
        frames.clear(); // starting cleared the view
        const QList<QRgb> colors{qRgb(200, 10, 10), qRgb(10, 200, 10), qRgb(10, 10, 200),
                                 qRgb(200, 200, 10), qRgb(10, 200, 200)};
        for (int i = 0; i < colors.size(); ++i) {
            preview.presentLiveFrame(i, filled(colors[i]));
        }
        QCOMPARE(frames.count(), colors.size());
        for (int i = 0; i < colors.size(); ++i) {
            QCOMPARE(centreOf(frames[i][0].value<QVideoFrame>()), colors[i]);
        }
        QCOMPARE(preview.shownFrame(), 4);
        QVERIFY2(preview.overlayText().contains(QStringLiteral("Frame 4")) &&
                     preview.overlayText().contains(QStringLiteral("4.5 fps")),
                 qPrintable(preview.overlayText()));
        // The playhead moving meanwhile does not replace the live frame.
        m_transport->setFrame(7);
        QTest::qWait(50);
        QCOMPARE(preview.shownFrame(), 4);
        QCOMPARE(centreOf(preview.videoSink()->videoFrame()), colors[4]);
    }

    void mailboxKeepsOnlyTheNewestFrame() {
        LatestFrameMailbox mailbox;
        QSignalSpy available(&mailbox, &LatestFrameMailbox::frameAvailable);
        std::unique_ptr<QThread> producer(QThread::create([&mailbox] {
            for (int i = 0; i < 3; ++i) {
                mailbox.put(i, filled(qRgb(i * 100, 0, 0)));
            }
        }));
        producer->start();
        QVERIFY(producer->wait(5000));
        QTRY_COMPARE(available.count(), 1); // one signal for the three puts
        std::optional<LatestFrameMailbox::Entry> entry = mailbox.take();
        QVERIFY(entry.has_value());
        QCOMPARE(entry->frameIndex, 2);
        QCOMPARE(entry->image.pixel(0, 0), qRgb(200, 0, 0));
        QCOMPARE(mailbox.replacedCount(), 2);
        QVERIFY(!mailbox.take().has_value());
        QTest::qWait(20);
        QCOMPARE(available.count(), 1);

        // An engine's RGB frame arrives as the same pixels.
        const sfs::core::Frame frame = sfs::core::makeTestPatternFrame(40, 24, 3, 5);
        mailbox.put(7, frame);
        QTRY_COMPARE(available.count(), 2);
        entry = mailbox.take();
        QVERIFY(entry.has_value());
        QCOMPARE(entry->frameIndex, 7);
        QCOMPARE(entry->image.convertToFormat(QImage::Format_RGB888), sfs::test::toImage(frame));
    }

    void mailboxNeverShowsAnOlderFrameAfterANewerOne() {
        PreviewWidget preview(m_document.get(), m_transport.get());
        preview.setGenerating(true, 0.0);
        LatestFrameMailbox mailbox;
        preview.showLiveFramesFrom(&mailbox);
        QList<int> seen;
        connect(preview.videoSink(), &QVideoSink::videoFrameChanged, this,
                [&seen, &preview] { seen << preview.shownFrame(); });
        constexpr int kFrames = 300;
        std::unique_ptr<QThread> producer(QThread::create([&mailbox] {
            for (int i = 0; i < kFrames; ++i) {
                mailbox.put(i, filled(qRgb(i % 256, 0, 0), {16, 16}));
                if (i % 16 == 0) {
                    QThread::usleep(500);
                }
            }
        }));
        producer->start();
        QVERIFY(QTest::qWaitFor(
            [&] { return producer->isFinished() && !seen.isEmpty() && seen.last() == kFrames - 1; },
            10000));
        for (int i = 1; i < seen.size(); ++i) {
            QVERIFY2(seen[i] > seen[i - 1],
                     qPrintable(QStringLiteral("%1 after %2").arg(seen[i]).arg(seen[i - 1])));
        }
        QCOMPARE(seen.size() + int(mailbox.replacedCount()), kFrames);
    }

    void showsTheTakesFrameAtThePlayhead() {
        PreviewWidget preview(m_document.get(), m_transport.get());
        m_transport->setTakeId(QStringLiteral("t2"));
        m_transport->setFrame(5);
        QTRY_COMPARE(preview.shownFrame(), 5);
        QVERIFY(sinkShows(preview.videoSink(), sfs::test::toImage(m_fixture.frames[5])));
        QCOMPARE(preview.overlayText(), QStringLiteral("Frame 5 · 0.31 s"));
        m_transport->setFrame(12); // scrubbing
        QTRY_COMPARE(preview.shownFrame(), 12);
        QVERIFY(sinkShows(preview.videoSink(), sfs::test::toImage(m_fixture.frames[12])));
        // After generating, the take at the playhead comes back.
        preview.setGenerating(true, 1.0);
        preview.presentLiveFrame(3, filled(qRgb(1, 2, 3)));
        preview.setGenerating(false);
        QTRY_COMPARE(preview.shownFrame(), 12);
        QVERIFY(sinkShows(preview.videoSink(), sfs::test::toImage(m_fixture.frames[12])));
        // Past the end of a take that is shorter than the timeline, its last frame stays (t1
        // stored 9 frames).
        m_transport->setTakeId(QStringLiteral("t1"));
        m_transport->setFrame(15);
        QTRY_COMPARE(preview.shownFrame(), 8);
        QVERIFY(sinkShows(preview.videoSink(),
                          sfs::test::toImage(sfs::core::makeTestPatternFrame(64, 48, 8, 11))));
        QCOMPARE(preview.overlayText(),
                 QStringLiteral("Frame 15 · 0.94 s · the take ends at frame 8"));
    }

    void noTakeSaysSo() {
        m_document->newProject();
        PreviewWidget preview(m_document.get(), m_transport.get());
        QVERIFY2(preview.overlayText().contains(QStringLiteral("No take yet")),
                 qPrintable(preview.overlayText()));
        QCOMPARE(preview.shownFrame(), -1);
    }

    void clockRule() {
        bool ended = false;
        // 16 fps: 1 s is 16 frames; 8× in 125 ms is 16 frames too.
        QCOMPARE(PlaybackClock::frameAt(0, 1000, 1.0, 0, 80, false, &ended), 16);
        QCOMPARE(PlaybackClock::frameAt(0, 125, 8.0, 0, 80, false, &ended), 16);
        QCOMPARE(PlaybackClock::frameAt(40, 1000, -2.0, 0, 80, false, &ended), 8);
        QVERIFY(!ended);
        // Past the end: stop there, or wrap into the range.
        QCOMPARE(PlaybackClock::frameAt(3, 1000, 1.0, 3, 6, false, &ended), 6);
        QVERIFY(ended);
        QCOMPARE(PlaybackClock::frameAt(3, 250, 1.0, 3, 6, true, &ended), 3); // 4 frames later
        QVERIFY(!ended);
        QCOMPARE(PlaybackClock::frameAt(3, 1000, 1.0, 3, 6, true, &ended), 3); // 16 = 4 laps
        QCOMPARE(PlaybackClock::frameAt(4, 125, -1.0, 3, 6, true, &ended), 6);
        QCOMPARE(PlaybackClock::frameAt(4, 125, -1.0, 3, 6, false, &ended), 3);
        QVERIFY(ended);
    }

    void playbackAdvancesAtSixteenFramesPerSecond() {
        PreviewWidget preview(m_document.get(), m_transport.get());
        PlaybackClock clock(m_transport.get());
        m_transport->setTakeId(QStringLiteral("t2"));
        m_transport->setLoop(false);
        // Each frame the clock sets is the one the time since play() says (the clock's own
        // timer starts within play(), so at most one frame apart), however late a tick comes.
        QElapsedTimer elapsed;
        QList<QPair<int, qint64>> ticks;
        const auto connection =
            connect(m_transport.get(), &Transport::frameChanged, this, [&](int f) {
                ticks.append({f, elapsed.elapsed()});
            });
        elapsed.start();
        m_transport->play();
        QTest::qWait(500);
        disconnect(connection);
        QVERIFY2(ticks.size() >= 4, qPrintable(QString::number(ticks.size())));
        for (const auto& [frame, ms] : ticks) {
            const int expected = int(ms * Transport::kFramesPerSecond / 1000);
            QVERIFY2(frame >= expected - 1 && frame <= expected,
                     qPrintable(QStringLiteral("frame %1 at %2 ms").arg(frame).arg(ms)));
        }
        // The view follows (the nearest ready frame at worst).
        QTRY_VERIFY(std::abs(preview.shownFrame() - m_transport->frame()) <= 2);
        // Scrubbing while playing goes on from there; without loop it pauses at the last frame.
        QList<int> frames;
        connect(m_transport.get(), &Transport::frameChanged, this,
                [&frames](int f) { frames << f; });
        m_transport->setFrame(17);
        QTRY_VERIFY_WITH_TIMEOUT(!m_transport->isPlaying(), 3000);
        QCOMPARE(m_transport->frame(), 20);
        QCOMPARE(frames.first(), 17);
        QCOMPARE(frames.last(), 20);
        QVERIFY(std::is_sorted(frames.begin(), frames.end()));
    }

    void playbackLoopsWithinTheRange() {
        PlaybackClock clock(m_transport.get());
        m_transport->setInFrame(3);
        m_transport->setOutFrame(6);
        m_transport->setLoop(true);
        m_transport->setFrame(10); // outside the range: playback starts at its in point
        QList<int> frames;
        connect(m_transport.get(), &Transport::frameChanged, this,
                [&frames](int f) { frames << f; });
        m_transport->play();
        QTest::qWait(800); // about 13 frames: three laps of 4
        m_transport->pause();
        QVERIFY2(frames.size() >= 8, qPrintable(QString::number(frames.size())));
        int laps = 0;
        for (int i = 0; i < frames.size(); ++i) {
            QVERIFY2(frames[i] >= 3 && frames[i] <= 6, qPrintable(QString::number(frames[i])));
            laps += i > 0 && frames[i] < frames[i - 1];
        }
        QVERIFY(laps >= 2);
    }

    void steppingAndHomeEnd() {
        QWidget host;
        PlaybackControls controls(m_transport.get(), &host);
        const auto run = [&controls](const char* name) {
            QAction* a = controls.action(QString::fromLatin1(name));
            QVERIFY2(a != nullptr, name);
            a->trigger();
        };
        m_transport->setFrame(10);
        m_transport->play();
        run("actionStepForward");
        QCOMPARE(m_transport->frame(), 11);
        QVERIFY(!m_transport->isPlaying()); // stepping pauses
        run("actionStepBackward");
        run("actionStepBackward");
        QCOMPARE(m_transport->frame(), 9);
        run("actionGoToEnd");
        QCOMPARE(m_transport->frame(), 20);
        run("actionGoToStart");
        QCOMPARE(m_transport->frame(), 0);
        run("actionStepBackward");
        QCOMPARE(m_transport->frame(), 0);

        m_transport->setFrame(4);
        run("actionSetIn");
        m_transport->setFrame(15);
        run("actionSetOut");
        QCOMPARE(m_transport->inFrame(), 4);
        QCOMPARE(m_transport->outFrame(), 15);
        run("actionClearRange");
        QCOMPARE(m_transport->inFrame(), 0);
        QCOMPARE(m_transport->outFrame(), 20);

        // J/K/L: each press doubles up to 8×, the other direction starts at 1×, K pauses.
        run("actionShuttleForward");
        QCOMPARE(m_transport->rate(), 1.0);
        for (int i = 0; i < 4; ++i) {
            run("actionShuttleForward");
        }
        QCOMPARE(m_transport->rate(), 8.0);
        run("actionShuttleBackward");
        QCOMPARE(m_transport->rate(), -1.0);
        run("actionShuttleBackward");
        QCOMPARE(m_transport->rate(), -2.0);
        run("actionShuttlePause");
        QCOMPARE(m_transport->rate(), 0.0);
        run("actionPlayPause");
        QVERIFY(m_transport->isPlaying());
        run("actionPlayPause");
        QVERIFY(!m_transport->isPlaying());

        QVERIFY(m_transport->loops());
        run("actionLoop");
        QVERIFY(!m_transport->loops());
        m_transport->setLoop(true);
        QVERIFY(controls.action(QStringLiteral("actionLoop"))->isChecked());

        for (const QString& name : PlaybackControls::actionNames()) {
            QAction* a = controls.action(name);
            QVERIFY2(a != nullptr && !a->text().isEmpty() && !a->shortcut().isEmpty(),
                     qPrintable(name));
        }
    }

    void shortcutsLeaveTextFieldsAlone() {
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        auto* panel = new PreviewPanel(m_document.get(), m_transport.get(), &window);
        auto* prompt = new QPlainTextEdit(&window);
        layout->addWidget(panel);
        layout->addWidget(prompt);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        m_transport->setFrame(5);
        m_transport->setInFrame(2);

        prompt->setFocus();
        QTRY_VERIFY(prompt->hasFocus());
        QTest::keyClick(prompt, Qt::Key_Space);
        QTest::keyClick(prompt, Qt::Key_L);
        QTest::keyClick(prompt, Qt::Key_Right);
        QTest::keyClick(prompt, Qt::Key_X, Qt::AltModifier);
        QCOMPARE(prompt->toPlainText(), QStringLiteral(" l"));
        QVERIFY(!m_transport->isPlaying());
        QCOMPARE(m_transport->frame(), 5);
        QCOMPARE(m_transport->inFrame(), 2);

        panel->preview()->setFocus();
        QTRY_VERIFY(panel->preview()->hasFocus());
        QTest::keyClick(panel->preview(), Qt::Key_Right);
        QCOMPARE(m_transport->frame(), 6);
        QTest::keyClick(panel->preview(), Qt::Key_X, Qt::AltModifier);
        QCOMPARE(m_transport->inFrame(), 0);
        QTest::keyClick(panel->preview(), Qt::Key_Space);
        QVERIFY(m_transport->isPlaying());
        QTest::keyClick(panel->preview(), Qt::Key_K);
        QVERIFY(!m_transport->isPlaying());

        // K held: L and J step a frame; released, L plays again.
        m_transport->setFrame(10);
        QTest::keyPress(panel->preview(), Qt::Key_K);
        QTest::keyClick(panel->preview(), Qt::Key_L);
        QTest::keyClick(panel->preview(), Qt::Key_L);
        QTest::keyClick(panel->preview(), Qt::Key_J);
        QCOMPARE(m_transport->frame(), 11);
        QVERIFY(!m_transport->isPlaying());
        QTest::keyRelease(panel->preview(), Qt::Key_K);
        QTest::keyClick(panel->preview(), Qt::Key_L);
        QCOMPARE(m_transport->rate(), 1.0);
        m_transport->pause();
    }

    void takeSelectorListsTakesNewestFirst() {
        PreviewPanel panel(m_document.get(), m_transport.get());
        auto* selector = panel.takeSelector();
        QCOMPARE(selector->takeIds(), (QStringList{"t2", "t1"}));
        // The newest take is shown at first.
        QCOMPARE(m_transport->takeId(), QStringLiteral("t2"));
        QVERIFY2(selector->itemText(0).contains(QStringLiteral("complete")) &&
                     selector->itemText(0).contains(QStringLiteral("2/2 chunks")),
                 qPrintable(selector->itemText(0)));
        selector->setCurrentIndex(1); // the user picks t1
        QCOMPARE(m_transport->takeId(), QStringLiteral("t1"));
        QCOMPARE(panel.preview()->takeId(), QStringLiteral("t1"));
        m_transport->setTakeId(QStringLiteral("t2")); // e.g. the controller's new take
        QCOMPARE(selector->currentTakeId(), QStringLiteral("t2"));

        // A take added (generation started) is listed first; undoing it shows the newest left.
        sfs::core::Take take = m_document->project().takes[1];
        take.id = QStringLiteral("t3");
        take.created = take.created.addSecs(60);
        take.status = sfs::core::TakeStatus::Generating;
        take.chunksCompleted = 1;
        QVERIFY(
            m_document->push(std::make_unique<sfs::core::AddTakeCommand>(m_document.get(), take))
                .isEmpty());
        QCOMPARE(selector->takeIds(), (QStringList{"t3", "t2", "t1"}));
        QVERIFY(selector->itemText(0).contains(QStringLiteral("generating")));
        m_transport->setTakeId(QStringLiteral("t3"));
        m_document->undoStack()->undo();
        QCOMPARE(selector->takeIds(), (QStringList{"t2", "t1"}));
        QCOMPARE(m_transport->takeId(), QStringLiteral("t2"));
    }

    void branchesFollowTheirParentIndented() {
        PreviewPanel panel(m_document.get(), m_transport.get());
        auto* selector = panel.takeSelector();
        // Regenerated from chunk 1 of t1 (t4 later than t3), and t5 from t4.
        const auto addBranch = [this](const char* id, const char* parent, int minutes) {
            sfs::core::Take take = m_document->project().takes[0];
            take.id = QString::fromLatin1(id);
            take.parentTakeId = QString::fromLatin1(parent);
            take.branchChunk = 1;
            take.created = take.created.addSecs(600 + 60 * minutes);
            return m_document->push(
                std::make_unique<sfs::core::AddTakeCommand>(m_document.get(), take));
        };
        QCOMPARE(addBranch("t3", "t1", 0), QString());
        QCOMPARE(addBranch("t4", "t1", 1), QString());
        QCOMPARE(addBranch("t5", "t4", 2), QString());
        QCOMPARE(selector->takeIds(), (QStringList{"t2", "t1", "t4", "t5", "t3"}));
        QCOMPARE(selector->depth(0), 0);
        QCOMPARE(selector->depth(1), 0);
        QCOMPARE(selector->depth(2), 1);
        QCOMPARE(selector->depth(3), 2);
        QCOMPARE(selector->depth(4), 1);
        QVERIFY2(selector->itemText(3).startsWith(QStringLiteral("        ↳ t5")) &&
                     selector->itemText(3).contains(QStringLiteral("from chunk 1 of t4")),
                 qPrintable(selector->itemText(3)));
        selector->setCurrentIndex(3);
        QCOMPARE(m_transport->takeId(), QStringLiteral("t5"));
    }

    void comparesTwoTakesAtTheSameFrame() {
        PreviewPanel panel(m_document.get(), m_transport.get());
        panel.resize(800, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(!panel.comparePreview()->isVisible());
        panel.setCompareMode(PreviewPanel::CompareMode::SideBySide);
        QVERIFY(panel.preview()->isVisible() && panel.comparePreview()->isVisible());
        QCOMPARE(panel.comparePreview()->takeId(), QStringLiteral("t1"));
        m_transport->setFrame(4);
        QTRY_COMPARE(panel.preview()->shownFrame(), 4);
        QTRY_COMPARE(panel.comparePreview()->shownFrame(), 4);
        QVERIFY(!sinkShows(panel.preview()->videoSink(),
                           panel.comparePreview()->videoSink()->videoFrame().toImage()));

        panel.setCompareMode(PreviewPanel::CompareMode::AB);
        QVERIFY(panel.preview()->isVisible() && !panel.comparePreview()->isVisible());
        panel.setShowingB(true);
        QVERIFY(!panel.preview()->isVisible() && panel.comparePreview()->isVisible());
        m_transport->setFrame(7); // the hidden side follows too: flipping is instant
        QTRY_COMPARE(panel.preview()->shownFrame(), 7);
        QTRY_COMPARE(panel.comparePreview()->shownFrame(), 7);
    }

    void mainWindowHasThePreviewInTheCentre() {
        sfs::ui::MainWindow w;
        QVERIFY(w.transport() != nullptr);
        // The centre holds the banners above the preview panel (the central widget shows it, or
        // the start page while no project is open).
        auto* centre = w.findChild<QWidget*>(QStringLiteral("centreArea"));
        QCOMPARE(w.previewPanel()->parentWidget(), centre);
        QVERIFY(w.centralWidget()->isAncestorOf(centre));
        QCOMPARE(w.previewPanel()->objectName(), QStringLiteral("previewArea"));
        QCOMPARE(w.findChild<QWidget*>(QStringLiteral("previewArea")),
                 static_cast<QWidget*>(w.previewPanel()));
        QCOMPARE(w.transport()->length(), w.document()->project().durationFrames);
    }

private:
    QTemporaryDir m_dir;
    sfs::test::TakeProject m_fixture;
    std::unique_ptr<ProjectDocument> m_document;
    std::unique_ptr<Transport> m_transport;
};

QTEST_MAIN(TestPreview)
#include "tst_preview.moc"
