// The studio's job model (sfs/ui/job.h) and a controller that runs its work as jobs: progress,
// cancel, errors and results arrive on the UI thread, and the window stays usable meanwhile.

#include "project_files_controller.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/ui/job.h"
#include "sfs/ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <stdexcept>

using sfs::ui::Job;
using sfs::ui::JobContext;
using sfs::ui::MainWindow;

class TestJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_jobs"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void resultAndProgressArriveOnTheUiThread() {
        QThread* workerThread = nullptr;
        Job* job = Job::start(
            QStringLiteral("Counting"),
            [&workerThread](JobContext& context) {
                workerThread = QThread::currentThread();
                for (int i = 1; i <= 5; ++i) {
                    context.setProgress(i, 5, QStringLiteral("step %1").arg(i));
                    QThread::msleep(20);
                }
                return 42;
            },
            this);
        QCOMPARE(job->title(), QStringLiteral("Counting"));
        QVERIFY(job->isRunning());
        QList<QThread*> progressThreads;
        QList<qint64> done;
        connect(job, &Job::progressChanged, this, [&](qint64 d, qint64 total, const QString&) {
            progressThreads << QThread::currentThread();
            done << d;
            QCOMPARE(total, qint64(5));
        });
        QThread* finishedThread = nullptr;
        connect(job, &Job::finished, this, [&] { finishedThread = QThread::currentThread(); });
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(workerThread != nullptr && workerThread != QThread::currentThread());
        QCOMPARE(finishedThread, QThread::currentThread());
        QVERIFY(!progressThreads.isEmpty());
        for (QThread* t : progressThreads) {
            QCOMPARE(t, QThread::currentThread());
        }
        QCOMPARE(done.last(), qint64(5)); // the last value always arrives
        QCOMPARE(job->status(), QStringLiteral("step 5"));
        QCOMPARE(job->state(), Job::State::Finished);
        QCOMPARE(job->result<int>(), 42);
        delete job;
    }

    void cancelIsARequestTheWorkAnswers() {
        std::atomic<bool> started{false};
        Job* job = Job::start(
            QStringLiteral("Endless"),
            [&started](JobContext& context) {
                started = true;
                int steps = 0;
                while (!context.isCancelled()) {
                    ++steps;
                    QThread::msleep(5);
                }
                return steps; // what was done before the stop
            },
            this);
        QVERIFY(QTest::qWaitFor([&] { return started.load(); }, 10000));
        QSignalSpy finished(job, &Job::finished);
        job->cancel();
        QVERIFY(finished.wait(10000));
        QCOMPARE(job->state(), Job::State::Cancelled);
        QVERIFY(job->result<int>() >= 0);
        delete job;
    }

    void anExceptionFailsTheJobWithItsText() {
        Job* job = Job::start(
            QStringLiteral("Failing"),
            [](JobContext&) -> int { throw std::runtime_error("disk full: /tmp/x"); }, this);
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(job->state(), Job::State::Failed);
        QCOMPARE(job->error(), QStringLiteral("disk full: /tmp/x"));
        delete job;
    }

    void keepGoingAdaptsCoreCallbacks() {
        Job* job = Job::start(
            QStringLiteral("Frames"),
            [](JobContext& context) {
                const auto keepGoing = context.keepGoing();
                int frames = 0;
                while (frames < 3 && keepGoing(frames + 1, 3)) {
                    ++frames;
                }
                return frames;
            },
            this);
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(job->result<int>(), 3);
        QCOMPARE(job->done(), qint64(3));
        QCOMPARE(job->total(), qint64(3));
        delete job;
    }

    void deletingARunningJobLetsTheWorkEndOnItsOwn() {
        std::atomic<bool> sawCancel{false};
        std::atomic<bool> ended{false};
        Job* job = Job::start(
            QStringLiteral("Orphan"),
            [&](JobContext& context) {
                while (!context.isCancelled()) {
                    QThread::msleep(2);
                }
                sawCancel = true;
                ended = true;
            },
            this);
        delete job; // the window went away: the work is asked to stop and nothing waits for it
        QVERIFY(QTest::qWaitFor([&] { return ended.load(); }, 10000));
        QVERIFY(sawCancel.load());
    }

    void savingRunsAsAJobAndTheWindowStaysUsable() {
        MainWindow w;
        auto* files = w.projectFiles();
        QVERIFY(w.document()
                    ->push(std::make_unique<sfs::core::SplitPromptSegmentCommand>(w.document(), 30))
                    .isEmpty());
        const QString path = m_dir.filePath(QStringLiteral("job.sfsproj"));
        QSignalSpy saved(&w, &MainWindow::projectSaved);
        QSignalSpy busy(files, &sfs::ui::ProjectFilesController::busyChanged);
        QVERIFY(w.saveProjectTo(path));
        // Returned at once, the save running as a job: file actions wait, the rest works.
        QVERIFY(files->job() != nullptr);
        QVERIFY(w.isBusy());
        QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionOpen"))->isEnabled());
        QVERIFY(!w.saveProjectTo(path)); // one file job at a time
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionUndo"))->isEnabled());
        QCOMPARE(busy.count(), 1);
        // An edit while the worker writes stays unsaved: the file holds the project as it was.
        QVERIFY(w.document()
                    ->push(std::make_unique<sfs::core::SplitPromptSegmentCommand>(w.document(), 60))
                    .isEmpty());
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.value(0).value(0).toString(), path);
        QVERIFY(!w.isBusy());
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionOpen"))->isEnabled());
        QCOMPARE(w.document()->filePath(), path);
        QVERIFY(w.isWindowModified());
        sfs::core::LoadedProject written;
        sfs::core::FileError error;
        QVERIFY(sfs::core::loadProject(path, {}, written, error));
        QCOMPARE(int(written.project.prompts.size()), 2);
        QCOMPARE(int(w.document()->project().prompts.size()), 3);
        w.undoStack()->setClean();
    }

    void closingWhileSavingClosesOnceSaved() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.document()
                    ->push(std::make_unique<sfs::core::SplitPromptSegmentCommand>(w.document(), 30))
                    .isEmpty());
        const QString path = m_dir.filePath(QStringLiteral("closing.sfsproj"));
        QVERIFY(w.saveProjectTo(path));
        QVERIFY(!w.close()); // not while the save runs: no question, no lost save
        QVERIFY(w.isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!w.isVisible(), 10000);
        sfs::core::LoadedProject written;
        sfs::core::FileError error;
        QVERIFY(sfs::core::loadProject(path, {}, written, error));
        QCOMPARE(int(written.project.prompts.size()), 2);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestJobs)
#include "tst_jobs.moc"
