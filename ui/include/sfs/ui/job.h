#pragma once
// The studio's one way to run work off the UI thread: a Job has a title, progress, a cancel
// request, an error and a result, and reports all of them on the UI thread. Opening, saving,
// recovery and export run as jobs now; generation (the engine) will too.
//
//     Job* job = Job::start(tr("Saving"), [=](JobContext& ctx) { ...; return result; }, this);
//     connect(job, &Job::progressChanged, ...);   // done/total/status, on the UI thread
//     connect(job, &Job::finished, ...);          // then job->result<T>() or job->error()
//
// The work runs on QThreadPool::globalInstance(). It reports through its JobContext (thread-
// safe) and reads ctx.isCancelled() at its own pace: cancel() is a request, never a kill. A
// work that throws std::exception fails the job with the exception's text.
//
// Why in ui/ and not core/: core's work functions stay plain (progress and cancel are callbacks,
// see JobContext::keepGoing()) so that sfstudio-cli runs them on its own thread; the Job is the
// studio's adapter from those callbacks to signals on the UI thread.

#include <QObject>
#include <QString>

#include <any>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>

class QThreadPool;
class QTimer;

namespace sfs::ui {

// What the work sees. Shared between the job and its worker, so it outlives whichever ends
// first.
class JobContext {
public:
    // `done` of `total` units (total 0: unknown) and what is being done now. Cheap: the UI
    // picks the latest value up a few times a second.
    void setProgress(qint64 done, qint64 total, const QString& status = QString());
    bool isCancelled() const { return m_cancelled.load(); }
    // For core functions that take a KeepGoing callback (int done, int total) -> continue?
    std::function<bool(int, int)> keepGoing();

private:
    friend class Job;
    struct Progress {
        qint64 done = 0;
        qint64 total = 0;
        QString status;
        quint64 serial = 0; // bumped on every setProgress
    };
    // What the worker left when it ended.
    struct Outcome {
        bool ended = false;
        bool failed = false;
        QString error;
        std::any result;
    };
    Progress progress() const;
    void end(Outcome outcome);
    bool takeOutcome(Outcome& outcome);

    std::atomic<bool> m_cancelled{false};
    mutable std::mutex m_mutex;
    Progress m_progress;
    Outcome m_outcome;
};

class Job : public QObject {
    Q_OBJECT
public:
    enum class State {
        Running,
        Finished,  // the work returned
        Cancelled, // the work returned after cancel() (its result may hold what was done)
        Failed,    // the work threw: error() says why
    };
    Q_ENUM(State)

    // Starts `work` (R work(JobContext&)) on the global thread pool. The job is a child of
    // `parent`; delete it (deleteLater) after finished(). Deleting it earlier cancels the work
    // and drops its result.
    template <typename Work>
    static Job* start(const QString& title, Work work, QObject* parent);
    // The same on `pool`: a controller that keeps state on one thread (the generation
    // controller's engine) runs its jobs on a pool of one thread that never expires.
    template <typename Work>
    static Job* start(const QString& title, Work work, QObject* parent, QThreadPool* pool);

    ~Job() override;

    QString title() const { return m_title; }
    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    qint64 done() const { return m_progress.done; }
    qint64 total() const { return m_progress.total; }
    QString status() const { return m_progress.status; }
    QString error() const { return m_error; }
    // The work's return value, once finished (Finished or Cancelled).
    template <typename T>
    T result() const {
        return std::any_cast<T>(m_result);
    }

public Q_SLOTS:
    // Asks the work to stop; it decides when (see JobContext::isCancelled()).
    void cancel();

Q_SIGNALS:
    void progressChanged(qint64 done, qint64 total, const QString& status);
    // Once, on the UI thread, when the work has returned or thrown.
    void finished();

private:
    using ErasedWork = std::function<std::any(JobContext&)>;
    Job(const QString& title, QObject* parent);
    void run(ErasedWork work, QThreadPool* pool);
    void poll();

    QString m_title;
    State m_state = State::Running;
    std::shared_ptr<JobContext> m_context = std::make_shared<JobContext>();
    JobContext::Progress m_progress;
    QString m_error;
    std::any m_result;
    QTimer* m_poll = nullptr;
};

template <typename Work>
Job* Job::start(const QString& title, Work work, QObject* parent) {
    return start(title, std::move(work), parent, nullptr);
}

template <typename Work>
Job* Job::start(const QString& title, Work work, QObject* parent, QThreadPool* pool) {
    using R = std::invoke_result_t<Work&, JobContext&>;
    auto* job = new Job(title, parent);
    job->run(
        [work = std::move(work)](JobContext& context) mutable -> std::any {
            if constexpr (std::is_void_v<R>) {
                work(context);
                return {};
            } else {
                return std::any(work(context));
            }
        },
        pool);
    return job;
}

} // namespace sfs::ui
