#include "sfs/ui/job.h"

#include <QThreadPool>
#include <QTimer>

#include <exception>

namespace sfs::ui {

namespace {
// How often the UI picks up the latest progress and the end of the work: smooth enough for a
// bar, and nothing crosses threads but a value under a short lock (the worker never waits for
// the UI, and never touches the Job, which may be deleted while it runs).
constexpr int kPollMs = 40;
} // namespace

void JobContext::setProgress(qint64 done, qint64 total, const QString& status) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_progress.done = done;
    m_progress.total = total;
    m_progress.status = status;
    ++m_progress.serial;
}

JobContext::Progress JobContext::progress() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_progress;
}

void JobContext::end(Outcome outcome) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_outcome = std::move(outcome);
    m_outcome.ended = true;
}

bool JobContext::takeOutcome(Outcome& outcome) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_outcome.ended) {
        return false;
    }
    outcome = std::move(m_outcome);
    return true;
}

std::function<bool(int, int)> JobContext::keepGoing() {
    return [this](int done, int total) {
        setProgress(done, total);
        return !isCancelled();
    };
}

Job::Job(const QString& title, QObject* parent)
    : QObject(parent), m_title(title), m_poll(new QTimer(this)) {
    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &Job::poll);
}

Job::~Job() {
    // The worker keeps the context alive and finishes on its own; its result goes nowhere.
    m_context->m_cancelled.store(true);
}

void Job::run(ErasedWork work, QThreadPool* pool) {
    m_poll->start();
    QThreadPool* threads = pool != nullptr ? pool : QThreadPool::globalInstance();
    threads->start([context = m_context, work = std::move(work)]() mutable {
        JobContext::Outcome outcome;
        try {
            outcome.result = work(*context);
        } catch (const std::exception& e) {
            outcome.failed = true;
            outcome.error = QString::fromUtf8(e.what());
        } catch (...) {
            outcome.failed = true;
            outcome.error = QStringLiteral("unknown error");
        }
        work = nullptr; // what the work captured (a project copy) is released on the worker
        context->end(std::move(outcome));
    });
}

void Job::poll() {
    // The outcome first: progress the work reported before it ended is then surely read below.
    JobContext::Outcome outcome;
    const bool ended = m_context->takeOutcome(outcome);
    const JobContext::Progress latest = m_context->progress();
    if (latest.serial != m_progress.serial) {
        m_progress = latest;
        Q_EMIT progressChanged(m_progress.done, m_progress.total, m_progress.status);
    }
    if (!ended) {
        return;
    }
    m_poll->stop();
    m_result = std::move(outcome.result);
    m_error = outcome.error;
    m_state = outcome.failed             ? State::Failed
              : m_context->isCancelled() ? State::Cancelled
                                         : State::Finished;
    Q_EMIT finished();
}

void Job::cancel() {
    m_context->m_cancelled.store(true);
}

} // namespace sfs::ui
