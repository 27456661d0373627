// The generation controller on the built-in demo model at 64x64: its states, Stop, Continue and
// Regenerate from the playhead, live frames in order, errors in the banner (never a modal
// dialog), the warm engine, and prompt and keyframe edits while a take generates.

#include "generation/generation_widgets.h"
#include "live_frame_mailbox.h"
#include "sfs/core/media/frame_source.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/core/render/take_export.h"
#include "sfs/inference/text.h"
#include "sfs/ui/generation_controller.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/transport.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <unistd.h>

using sfs::core::ProjectDocument;
using sfs::ui::GenerationController;
using State = sfs::ui::GenerationController::State;

namespace {

constexpr int kWaitMs = 60000;

sfs::core::Project tinyProject(int frames) {
    sfs::core::Project p = sfs::core::Project::makeDefault();
    p.settings.width = 64;
    p.settings.height = 64;
    p.settings.seed = 7;
    p.settings.modelFolder.clear(); // the demo model
    p.durationFrames = frames;
    p.prompts.front().text = QStringLiteral("a paper boat on a lake");
    return p;
}

sfs::inference::EngineOptions memoryPromptCache() {
    sfs::inference::EngineOptions o;
    o.diskPromptCache = false;
    return o;
}

bool waitUntilIdle(const GenerationController& c) {
    return QTest::qWaitFor([&c] { return !c.isActive(); }, kWaitMs);
}

QImage takeFrame(const ProjectDocument& doc, const QString& takeId, int frame) {
    const sfs::core::Take* take = doc.project().take(takeId);
    if (take == nullptr) {
        return {};
    }
    return QImage(QDir(doc.assetsDir())
                      .filePath(take->framesPath +
                                QStringLiteral("/%1.png").arg(frame, 6, 10, QLatin1Char('0'))));
}

} // namespace

class TestGeneration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        std::string why;
        if (!sfs::inference::tokenizerAvailable(&why)) {
            QSKIP(
                qPrintable(QStringLiteral("no tokenizer module: ") + QString::fromStdString(why)));
        }
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_generation"));
        QSettings().clear();
        // The demo model's files are shared with the engine tests (written once, atomically).
        qputenv(
            "XDG_CACHE_HOME",
            QDir::temp().filePath(QStringLiteral("sfs-engine-test-%1").arg(::getuid())).toUtf8());
        QVERIFY(m_dir.isValid());
    }

    void stateMachineFreshTakeAndLiveFramesInOrder() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("staging")));
        doc.newProject(tinyProject(21));
        sfs::ui::Transport transport;
        GenerationController c(&doc, &transport, nullptr, memoryPromptCache());
        QCOMPARE(c.state(), State::Idle);
        QVERIFY(c.generateAction()->isEnabled());
        QVERIFY(!c.stopAction()->isEnabled());

        QList<State> states;
        connect(&c, &GenerationController::stateChanged, this, [&states](State s) { states << s; });
        QList<int> frames;
        connect(&c, &GenerationController::liveFrame, this,
                [&frames](int index, const QImage& image) {
                    QCOMPARE(image.size(), QSize(64, 64));
                    frames << index;
                    QThread::msleep(15); // a slow consumer: frames are coalesced, never reordered
                });
        QSignalSpy progress(&c, &GenerationController::progressChanged);

        QVERIFY(c.generate());
        QCOMPARE(c.state(), State::Loading); // at once, before anything ran
        QVERIFY(!c.generate());              // one at a time
        QVERIFY(!c.generateAction()->isEnabled());
        QVERIFY(c.stopAction()->isEnabled());
        QVERIFY(waitUntilIdle(c));

        QCOMPARE(states, (QList<State>{State::Loading, State::Generating, State::Finished}));
        QVERIFY(c.generateAction()->isEnabled());
        QVERIFY(!c.stopAction()->isEnabled());
        const sfs::core::Take* take = doc.project().take(c.takeId());
        QVERIFY(take != nullptr);
        QCOMPARE(int(take->status), int(sfs::core::TakeStatus::Complete));
        QCOMPARE(take->chunksCompleted, 2);
        QCOMPARE(transport.takeId(), c.takeId()); // the transport shows the new take
        QVERIFY(!frames.isEmpty());
        for (int i = 1; i < frames.size(); ++i) {
            QVERIFY2(frames[i] > frames[i - 1], "live frames arrive in order");
        }
        QCOMPARE(frames.last(), 20); // the last frame always reaches the UI
        QVERIFY(!progress.isEmpty());
        QCOMPARE(c.progress().framesDone, 21);
        QCOMPARE(c.progress().chunksTotal, 2);
        // The live frame is the take's frame.
        QVERIFY(!takeFrame(doc, c.takeId(), 20).isNull());
    }

    void theModelLoadsOnceAcrossTwoGenerations() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("staging")));
        doc.newProject(tinyProject(9));
        GenerationController c(&doc, nullptr, nullptr, memoryPromptCache());
        QVERIFY(c.generate());
        QVERIFY(waitUntilIdle(c));
        QCOMPARE(c.state(), State::Finished);
        const QString first = c.takeId();
        QVERIFY(c.generate());
        QVERIFY(waitUntilIdle(c));
        QCOMPARE(c.state(), State::Finished);
        QVERIFY(c.takeId() != first);
        QCOMPARE(doc.project().takes.size(), size_t(2));
        QCOMPARE(c.engineStats().generations, 2);
        QCOMPARE(c.engineStats().ditLoads, 1);
        QCOMPARE(c.engineStats().vaeLoads, 1);
        QCOMPARE(c.engineStats().textEncoderRuns, 1); // the prompt too: encoded once
    }

    void stopEndsWithinAStepAndContinueCompletesTheTake() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("staging")));
        doc.newProject(tinyProject(sfs::core::timeline::framesForChunks(8)));
        sfs::ui::Transport transport;
        GenerationController c(&doc, &transport, nullptr, memoryPromptCache());
        QList<State> states;
        connect(&c, &GenerationController::stateChanged, this, [&states](State s) { states << s; });
        QElapsedTimer sinceStop;
        double chunkSeconds = 0; // the chunk time so far when Stop was pressed
        connect(&c, &GenerationController::liveFrame, this, [&c, &sinceStop, &chunkSeconds] {
            if (c.state() == State::Generating) {
                c.stop();
                sinceStop.start();
                const double fps = c.progress().framesPerSecond;
                chunkSeconds = fps > 0 ? sfs::core::timeline::kFramesPerChunk / fps : 0;
            }
        });
        QVERIFY(c.generate());
        QVERIFY(waitUntilIdle(c));
        QCOMPARE(states, (QList<State>{State::Loading, State::Generating, State::Stopping,
                                       State::Stopped}));
        // The cancel is asked before every model call: what is left after Stop is at most one
        // denoising step and the decode of the chunks already denoised (the decode queue's two
        // and the one being decoded), not the rest of the take. Stop came with chunk 0's first
        // frame, so the take keeps chunk 0 and at most those three: the structural bound. The
        // time bound is loose (a loaded 2-core machine stretches every step) and only catches
        // a Stop that is ignored.
        const double bound = std::max(30.0, 5 * chunkSeconds);
        QVERIFY2(sinceStop.elapsed() < bound * 1000,
                 qPrintable(QStringLiteral("%1 ms after Stop, a chunk takes %2 s")
                                .arg(sinceStop.elapsed())
                                .arg(chunkSeconds)));
        const QString stoppedId = c.takeId();
        const sfs::core::Take stopped = *doc.project().take(stoppedId);
        QCOMPARE(int(stopped.status), int(sfs::core::TakeStatus::Stopped));
        QVERIFY(stopped.chunksCompleted >= 1);
        QVERIFY2(stopped.chunksCompleted <= 4,
                 qPrintable(QString::number(stopped.chunksCompleted)));

        // Continue: a new take keeps the stopped take's chunks and generates the rest.
        QCOMPARE(c.continuableTake(), stoppedId);
        QVERIFY(c.continueAction()->isEnabled());
        states.clear();
        disconnect(&c, &GenerationController::liveFrame, this, nullptr);
        QVERIFY(c.continueTake());
        QCOMPARE(c.kind(), GenerationController::Kind::Continue);
        QVERIFY(waitUntilIdle(c));
        QCOMPARE(states, (QList<State>{State::Loading, State::Generating, State::Finished}));
        const sfs::core::Take* continued = doc.project().take(c.takeId());
        QVERIFY(continued != nullptr && continued->id != stoppedId);
        QCOMPARE(int(continued->status), int(sfs::core::TakeStatus::Complete));
        QCOMPARE(continued->chunksCompleted, 8);
        // The kept chunks are the stopped take's frames exactly.
        const int kept = sfs::core::timeline::framesForChunks(stopped.chunksCompleted);
        for (int f : {0, kept - 1}) {
            const QImage a = takeFrame(doc, stoppedId, f);
            QVERIFY(!a.isNull());
            QCOMPARE(takeFrame(doc, continued->id, f), a);
        }
        QVERIFY(c.continuableTake().isEmpty()); // the shown take is complete now
    }

    void regenerateFromThePlayheadKeepsTheChunksBefore() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("staging")));
        doc.newProject(tinyProject(33));
        sfs::ui::Transport transport;
        transport.setLength(33);
        GenerationController c(&doc, &transport, nullptr, memoryPromptCache());
        QVERIFY(!c.regenerateAction()->isEnabled()); // no take shown
        QVERIFY(c.generate());
        QVERIFY(waitUntilIdle(c));
        const QString source = c.takeId();
        QCOMPARE(transport.takeId(), source);
        transport.setFrame(25); // chunk 2 (frames 21..32)
        QVERIFY(c.regenerateAction()->isEnabled());
        // A new seed, so that the regenerated chunk differs while the kept ones do not.
        // (The take's own settings are used: change them through the source take's copy.)
        QVERIFY(c.regenerateFromPlayhead());
        QCOMPARE(c.kind(), GenerationController::Kind::Regenerate);
        QVERIFY(waitUntilIdle(c));
        QCOMPARE(c.state(), State::Finished);
        const sfs::core::Take* redone = doc.project().take(c.takeId());
        QVERIFY(redone != nullptr && redone->id != source);
        QCOMPARE(redone->chunksCompleted, 3);
        QCOMPARE(int(redone->status), int(sfs::core::TakeStatus::Complete));
        QCOMPARE(transport.takeId(), redone->id);
        // Chunks 0 and 1 kept; with the same seed the regenerated chunk is the same too (the
        // engine reproduces the uninterrupted run).
        for (int f : {0, 20, 21, 32}) {
            QCOMPARE(takeFrame(doc, redone->id, f), takeFrame(doc, source, f));
        }
    }

    void promptAndKeyframeEditsWhileGenerating() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("staging")));
        sfs::core::Project project = tinyProject(sfs::core::timeline::framesForChunks(6));
        doc.newProject(project);
        // A keyframe at frame 0 with a real image in the assets folder.
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(QColor(200, 120, 40));
        QVERIFY(QDir().mkpath(doc.assetFilePath(QStringLiteral("images"))));
        QVERIFY(image.save(doc.assetFilePath(QStringLiteral("images/k.png"))));
        sfs::core::Keyframe key;
        key.id = QStringLiteral("k1");
        key.frame = 0;
        key.image = QStringLiteral("images/k.png");
        QVERIFY(doc.push(std::make_unique<sfs::core::AddKeyframeCommand>(&doc, key)).isEmpty());

        GenerationController c(&doc, nullptr, nullptr, memoryPromptCache());
        QSignalSpy switches(&c, &GenerationController::promptSwitchScheduled);
        QSignalSpy stale(&c, &GenerationController::staleKeyframesChanged);
        bool edited = false;
        // As soon as the take generates: the edit applies from a later chunk.
        connect(&c, &GenerationController::stateChanged, this, [&](State state) {
            if (edited || state != State::Generating) {
                return;
            }
            edited = true;
            const QString segment = doc.project().prompts.front().id;
            QVERIFY(doc.push(std::make_unique<sfs::core::SetPromptTextCommand>(
                                 &doc, segment, QStringLiteral("lanterns glow at night")))
                        .isEmpty());
            QVERIFY(doc.push(std::make_unique<sfs::core::SetKeyframeStrengthCommand>(
                                 &doc, QStringLiteral("k1"), 0.5))
                        .isEmpty());
        });
        QVERIFY(c.generate());
        QVERIFY(waitUntilIdle(c));
        QCOMPARE(c.state(), State::Finished);
        QVERIFY(edited);
        QCOMPARE(switches.size(), 1);
        const int frame = switches.first().first().toInt();
        QVERIFY(frame > 0);
        QCOMPARE(sfs::core::timeline::firstFrameOfChunk(sfs::core::timeline::chunkOfFrame(frame)),
                 frame); // a chunk's first frame
        // The edit reached the engine: it encoded the new text between chunks.
        QCOMPARE(c.engineStats().textEncoderRuns, 2);
        QCOMPARE(stale.size(), 1);
        QCOMPARE(stale.first().first().value<QSet<QString>>(), QSet<QString>{QStringLiteral("k1")});
        QCOMPARE(c.staleKeyframes(), QSet<QString>{QStringLiteral("k1")});
        // The next generation uses the edit: nothing is stale any more.
        QVERIFY(c.generate());
        QVERIFY(c.staleKeyframes().isEmpty());
        QVERIFY(waitUntilIdle(c));
    }

    void errorsShowInTheBannerAndTheControllerStaysUsable() {
        sfs::ui::MainWindow w;
        w.show();
        ProjectDocument* doc = w.document();
        sfs::core::Project project = tinyProject(9);
        sfs::core::Keyframe key;
        key.id = QStringLiteral("k1");
        key.frame = 0;
        key.image = QStringLiteral("images/broken.png");
        project.keyframes.push_back(key);
        doc->newProject(project);
        QVERIFY(QDir().mkpath(doc->assetFilePath(QStringLiteral("images"))));
        QFile broken(doc->assetFilePath(key.image));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("this is not a PNG");
        broken.close();

        GenerationController* c = w.generation();
        auto* banner = w.findChild<sfs::ui::Banner*>(QStringLiteral("errorBanner"));
        QVERIFY(banner != nullptr && !banner->isVisible());
        w.findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger();
        QVERIFY(c->isActive());
        QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionNew"))->isEnabled());
        QVERIFY(waitUntilIdle(*c));
        QCOMPARE(c->state(), State::Failed);
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("k1")), qPrintable(banner->text()));
        QVERIFY(banner->details().contains(QStringLiteral("cannot be read")));
        QCOMPARE(QApplication::activeModalWidget(), nullptr);
        for (auto* box : w.findChildren<QMessageBox*>()) {
            QVERIFY(!box->isVisible());
        }
        QVERIFY(doc->project().takes.empty()); // failed before the take started
        // Usable again: fix the project (drop the keyframe) and generate.
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionGenerate"))->isEnabled());
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionNew"))->isEnabled());
        QVERIFY(
            doc->push(std::make_unique<sfs::core::DeleteKeyframeCommand>(doc, key.id)).isEmpty());
        QVERIFY(c->generate());
        QVERIFY(!banner->isVisible()); // a new try hides the old error
        QVERIFY(waitUntilIdle(*c));
        QCOMPARE(c->state(), State::Finished);
        QCOMPARE(doc->project().takes.size(), size_t(1));
        // The demo model's banner is up (the project renders with it) and can be dismissed.
        auto* demo = w.findChild<sfs::ui::Banner*>(QStringLiteral("demoModelBanner"));
        QVERIFY(demo != nullptr && demo->isVisible());
        QVERIFY(demo->text().contains(QStringLiteral("untrained")));
        QVERIFY(demo->details().contains(QStringLiteral("sfstudio-cli models inspect")));
        QTest::mouseClick(demo->findChild<QWidget*>(QStringLiteral("bannerDismissButton")),
                          Qt::LeftButton);
        QVERIFY(!demo->isVisible());
        doc->close();
    }

    void closingWhileGeneratingStopsFirst() {
        auto w = std::make_unique<sfs::ui::MainWindow>();
        w->show();
        w->document()->newProject(tinyProject(sfs::core::timeline::framesForChunks(30)));
        QVERIFY(w->generation()->generate());
        QVERIFY(QTest::qWaitFor([&] { return w->generation()->state() == State::Generating; },
                                kWaitMs));
        // Closing asks about the unsaved take once it has stopped: discard it.
        QTimer discard;
        connect(&discard, &QTimer::timeout, this, [] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                box->button(QMessageBox::Discard)->click();
            }
        });
        discard.start(20);
        QVERIFY(!w->close()); // refused for now: the take stops first
        QVERIFY(QTest::qWaitFor([&] { return !w->isVisible(); }, kWaitMs));
        QCOMPARE(w->generation()->state(), State::Stopped);
        QCOMPARE(int(w->document()->project().takes.front().status),
                 int(sfs::core::TakeStatus::Stopped));
    }

    void exportWhileGeneratingFollowsTheTake() {
        sfs::ui::MainWindow w;
        w.document()->newProject(tinyProject(sfs::core::timeline::framesForChunks(4)));
        GenerationController* c = w.generation();
        QSignalSpy exported(&w, &sfs::ui::MainWindow::exportFinished);
        const QString output = m_dir.filePath(QStringLiteral("growing.mp4"));
        bool started = false;
        // File > Export of the take being generated, as soon as it is in the project.
        connect(c, &GenerationController::takeStarted, this, [&](const QString& id) {
            QCOMPARE(int(w.document()->project().take(id)->status),
                     int(sfs::core::TakeStatus::Generating));
            sfs::core::TakeExportRequest request;
            request.takeId = id;
            request.output = output;
            started = w.startExport(request);
        });
        QVERIFY(c->generate());
        QVERIFY(waitUntilIdle(*c));
        QCOMPARE(c->state(), State::Finished);
        QVERIFY(started);
        QVERIFY(exported.wait(kWaitMs) || !exported.isEmpty());
        const QList<QVariant> args = exported.takeFirst();
        QVERIFY2(args.at(0).toBool(), qPrintable(args.at(2).toString()));
        // Every frame of the take, not only those there when the export began.
        sfs::core::VideoFileSource video;
        QString error;
        QVERIFY2(video.open(output, &error), qPrintable(error));
        QCOMPARE(video.frameCount(), sfs::core::timeline::framesForChunks(4));
        w.document()->close();
    }

    void mailboxKeepsTheNewestFrame() {
        sfs::ui::LiveFrameMailbox box;
        QVERIFY(!box.take().has_value());
        QVERIFY(box.put(0, QImage(4, 4, QImage::Format_RGB888)));  // empty: wake the UI
        QVERIFY(!box.put(1, QImage(4, 4, QImage::Format_RGB888))); // already waiting
        const auto item = box.take();
        QVERIFY(item.has_value());
        QCOMPARE(item->frameIndex, 1);
        QVERIFY(!box.take().has_value());
        QCOMPARE(box.framesPut(), 2);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestGeneration)
#include "tst_generation.moc"
