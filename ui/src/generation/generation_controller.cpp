#include "sfs/ui/generation_controller.h"

#include "generation/memory_guard.h"
#include "live_frame_mailbox.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/core/render/render_job.h"
#include "sfs/core/render/take_recorder.h"
#include "sfs/ui/job.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/transport.h"

#include <QAction>
#include <QStringList>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sfs::ui {

// The texts are MainWindow::tr(): they are the window's words (its menu), like the export's.

// ---- between the worker and the UI thread -----------------------------------------------------

// One generation's channel from the worker (and the engine's decode worker) to the UI thread.
// Whatever the worker reports is kept here and the UI thread is woken once (a queued call to
// drain()) until it has picked everything up, so a fast producer never floods the event loop.
// close() (a new run, or the controller going) ends every post: nothing reaches a controller
// that is gone, and a worker waiting on the UI thread is released.
struct GenerationController::Run : std::enable_shared_from_this<Run> {
    explicit Run(GenerationController* c) : controller(c) {}

    GenerationController* const controller;
    LiveFrameMailbox frames;
    std::atomic<int> chunksDenoised{0}; // the chunk being denoised now (kept chunks count)

    std::mutex mutex; // everything below
    std::condition_variable handedBack;
    bool closed = false;
    bool wakePending = false;
    std::optional<inference::Stage> stage;
    std::optional<inference::GenerationProgress> progress;
    QString startedTake;
    QStringList warnings;

    void wake() {
        std::lock_guard<std::mutex> lock(mutex);
        wakeLocked();
    }
    void wakeLocked() {
        if (closed || wakePending) {
            return;
        }
        wakePending = true;
        QMetaObject::invokeMethod(
            controller, [self = shared_from_this()] { self->controller->drain(self); },
            Qt::QueuedConnection);
    }
    template <typename F>
    void report(F change) {
        std::lock_guard<std::mutex> lock(mutex);
        change();
        wakeLocked();
    }
    void close() {
        std::lock_guard<std::mutex> lock(mutex);
        closed = true;
        handedBack.notify_all();
    }

    // Runs `call` on the UI thread and waits for its answer; nullopt when the controller closes
    // first (the studio is shutting down). Safe because the UI thread never waits on the worker
    // while it runs (only the destructor waits, after close()).
    std::optional<QString> onUiThread(std::function<QString()> call) {
        struct Handoff {
            bool done = false;
            QString answer;
        };
        auto handoff = std::make_shared<Handoff>();
        std::unique_lock<std::mutex> lock(mutex);
        if (closed) {
            return std::nullopt;
        }
        QMetaObject::invokeMethod(
            controller,
            [self = shared_from_this(), handoff, call = std::move(call)] {
                QString answer = call();
                std::lock_guard<std::mutex> answered(self->mutex);
                handoff->answer = std::move(answer);
                handoff->done = true;
                self->handedBack.notify_all();
            },
            Qt::QueuedConnection);
        handedBack.wait(lock, [&] { return handoff->done || closed; });
        if (!handoff->done) {
            return std::nullopt;
        }
        return handoff->answer;
    }
};

namespace {

// The studio's take ledger as the render job needs it: runRender() starts the take on the
// worker, but a document is edited on its own thread. So the two calls that touch the
// project (a new id, the take entering it) are handed to the UI thread and waited for; the
// chunk updates are DocumentTakeLedger's own queued calls. Why not start the take on the UI
// thread before the job: the take must enter the project only once the models are loaded and
// the prompts encoded (a run that fails before leaves the project as it was), which happens
// on the worker in the middle of runRender().
class UiThreadTakeLedger : public core::TakeLedger {
public:
    // Runs a call on the UI thread and waits for its answer; nullopt when the studio closes.
    using OnUiThread = std::function<std::optional<QString>(std::function<QString()>)>;

    UiThreadTakeLedger(core::ProjectDocument* document, OnUiThread onUiThread)
        : m_ledger(document), m_onUiThread(std::move(onUiThread)) {}

    QString newTakeId() const override {
        return m_onUiThread([this] { return m_ledger.newTakeId(); }).value_or(QString());
    }
    QString add(const core::Take& take) override {
        return m_onUiThread([this, &take] { return m_ledger.add(take); })
            .value_or(QStringLiteral("the studio is closing"));
    }
    QString update(const core::Take& take) override { return m_ledger.update(take); }

private:
    // Touched by one thread at a time: the worker waits while the UI thread runs add().
    mutable core::DocumentTakeLedger m_ledger;
    OnUiThread m_onUiThread;
};

// The generation yields the cores to the UI thread when both want them: the worker thread (and
// the threads it starts: torch's, the decoders') runs at a lower priority. Linux sets the nice
// value per thread and threads inherit it from the thread that creates them, so this runs on
// the worker before its first torch call.
void lowerWorkerPriority() {
#ifdef __linux__
    thread_local bool lowered = false;
    if (!lowered) {
        lowered = true;
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        ::setpriority(PRIO_PROCESS, tid, ::getpriority(PRIO_PROCESS, tid) + 5);
    }
#endif
}

QImage toImage(const inference::RgbFrame& rgb) {
    QImage image(rgb.width, rgb.height, QImage::Format_RGB888);
    const size_t row = size_t(rgb.width) * 3;
    for (int y = 0; y < rgb.height; ++y) {
        std::memcpy(image.scanLine(y), rgb.rgb.data() + size_t(y) * row, row);
    }
    return image;
}

// What the worker hands back when the run has ended.
struct Outcome {
    QString setupError; // planRender refused the project
    core::RenderResult render;
    inference::EngineStats stats;
};

QString clockText(double seconds) {
    const int s = std::max(0, int(seconds + 0.5));
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

// The engine, kept on the worker thread between runs. Created here (cheap: nothing loads until
// a request needs it) so that setPrompts() may reach it from the UI thread at any time.
struct GenerationController::Shared {
    explicit Shared(inference::EngineOptions options) : engine(std::move(options)) {}
    inference::Engine engine;
};

struct GenerationController::Start {
    Kind kind = Kind::Fresh;
    core::RenderOverrides overrides;
    int frames = 0; // the take's planned frames
};

// ---- the controller ----------------------------------------------------------------------------

GenerationController::GenerationController(core::ProjectDocument* document, Transport* transport,
                                           QObject* parent, inference::EngineOptions engineOptions)
    : QObject(parent), m_document(document), m_transport(transport), m_pool(new QThreadPool(this)),
      m_shared(std::make_shared<Shared>(std::move(engineOptions))) {
    // One thread that never expires: the engine's models and caches stay on it.
    m_pool->setMaxThreadCount(1);
    m_pool->setExpiryTimeout(-1);

    const auto make = [this](const char* name) {
        auto* a = new QAction(this);
        a->setObjectName(QString::fromLatin1(name));
        return a;
    };
    m_generateAction = make("actionGenerate");
    m_generateAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_stopAction = make("actionStop");
    // Esc, as in other editors; a disabled action leaves the key to the widgets.
    m_stopAction->setShortcuts(
        {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    m_continueAction = make("actionContinue");
    m_continueAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    m_regenerateAction = make("actionRegenerate");
    m_regenerateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_Return));
    connect(m_generateAction, &QAction::triggered, this, &GenerationController::generate);
    connect(m_stopAction, &QAction::triggered, this, &GenerationController::stop);
    connect(m_continueAction, &QAction::triggered, this, &GenerationController::continueTake);
    connect(m_regenerateAction, &QAction::triggered, this,
            &GenerationController::regenerateFromPlayhead);
    retranslate();

    m_memoryGuard = new MemoryGuard(
        m_document,
        [shared = m_shared](const inference::GenerationRequest& request) {
            return shared->engine.checkMemory(request);
        },
        this);

    connect(m_document, &core::ProjectDocument::takesChanged, this,
            &GenerationController::updateActions);
    connect(m_document, &core::ProjectDocument::documentReset, this,
            &GenerationController::updateActions);
    connect(m_document, &core::ProjectDocument::promptsChanged, this,
            &GenerationController::sendPromptsToEngine);
    connect(m_document, &core::ProjectDocument::keyframesChanged, this,
            &GenerationController::markStaleKeyframes);
    if (m_transport != nullptr) {
        connect(m_transport, &Transport::takeChanged, this, &GenerationController::updateActions);
        connect(m_transport, &Transport::frameChanged, this, &GenerationController::updateActions);
    }
    updateActions();
}

GenerationController::~GenerationController() {
    delete m_memoryGuard; // its check holds the engine: done before the engine goes
    m_memoryGuard = nullptr;
    if (m_run) {
        m_run->close(); // no more posts to this object; a worker waiting on it goes on
    }
    if (m_job != nullptr) {
        m_job->cancel();
    }
    // The engine's models are freed on their own thread; then the thread ends. The wait is at
    // most one denoising step plus the decode of the chunks already denoised.
    m_pool->start([shared = std::move(m_shared)]() mutable { shared.reset(); });
    m_pool->waitForDone();
}

bool GenerationController::isActive() const {
    return m_state == State::Loading || m_state == State::Generating || m_state == State::Stopping;
}

QString GenerationController::continuableTake() const {
    const core::Project& project = m_document->project();
    const auto continuable = [](const core::Take* t) {
        return t != nullptr && t->status == core::TakeStatus::Stopped &&
               !t->latentsPath.isEmpty() && t->chunksCompleted >= 1 &&
               t->chunksCompleted < t->chunksPlanned();
    };
    if (m_transport != nullptr && !m_transport->takeId().isEmpty()) {
        const core::Take* shown = project.take(m_transport->takeId());
        return continuable(shown) ? shown->id : QString();
    }
    const core::Take* newest = project.takes.empty() ? nullptr : &project.takes.back();
    return continuable(newest) ? newest->id : QString();
}

bool GenerationController::canRegenerate() const {
    if (m_transport == nullptr || m_transport->takeId().isEmpty()) {
        return false;
    }
    const core::Take* take = m_document->project().take(m_transport->takeId());
    return take != nullptr && take->status != core::TakeStatus::Generating &&
           !take->latentsPath.isEmpty() && take->chunksCompleted >= 1;
}

void GenerationController::retranslate() {
    m_generateAction->setText(MainWindow::tr("&Generate"));
    m_generateAction->setStatusTip(MainWindow::tr("Generate a new take of the timeline"));
    m_stopAction->setText(MainWindow::tr("&Stop"));
    m_stopAction->setStatusTip(
        MainWindow::tr("Stop the running generation after the current step"));
    m_continueAction->setText(MainWindow::tr("&Continue"));
    m_continueAction->setStatusTip(
        MainWindow::tr("Continue a stopped take from its last whole chunk (as a new take)"));
    m_regenerateAction->setText(MainWindow::tr("&Regenerate from Playhead"));
    m_regenerateAction->setStatusTip(
        MainWindow::tr("Keep the shown take up to the chunk under the playhead and generate the "
                       "rest anew (as a new take)"));
}

QString GenerationController::stateText(State state, Kind kind) {
    switch (state) {
    case State::Idle:
        return MainWindow::tr("Ready");
    case State::Loading:
        return MainWindow::tr("Loading the model…");
    case State::Generating:
        return kind == Kind::Continue     ? MainWindow::tr("Continuing")
               : kind == Kind::Regenerate ? MainWindow::tr("Regenerating")
                                          : MainWindow::tr("Generating");
    case State::Stopping:
        return MainWindow::tr("Stopping…");
    case State::Stopped:
        return MainWindow::tr("Stopped");
    case State::Finished:
        return MainWindow::tr("Finished");
    case State::Failed:
        return MainWindow::tr("Failed");
    }
    return {};
}

void GenerationController::updateActions() {
    const bool active = isActive();
    m_generateAction->setEnabled(!active);
    m_stopAction->setEnabled(m_state == State::Loading || m_state == State::Generating);
    m_continueAction->setEnabled(!active && !continuableTake().isEmpty());
    m_regenerateAction->setEnabled(!active && canRegenerate());
}

void GenerationController::setState(State state) {
    if (state == m_state) {
        return;
    }
    m_state = state;
    updateActions();
    Q_EMIT stateChanged(state);
}

bool GenerationController::generate() {
    const MemoryStatus& memory = m_memoryGuard->status();
    if (!isActive() && m_memoryGuard->isCurrent() && memory.checked && !memory.check.fits()) {
        const inference::MemoryCheck& c = memory.check;
        const QString need = QString::fromStdString(inference::formatBytes(c.need.total()));
        const QString free = QString::fromStdString(inference::formatBytes(c.available));
        const QString shortBy = QString::fromStdString(inference::formatBytes(c.shortBy()));
        Q_EMIT failed(MainWindow::tr("Not generated: the take needs about %1 of memory, %2 more "
                                     "than the %3 free. The inspector's render settings show "
                                     "settings that fit.")
                          .arg(need, shortBy, free),
                      QString::fromStdString(c.report()));
        return false;
    }
    Start s;
    s.kind = Kind::Fresh;
    s.frames = m_document->project().durationFrames;
    return start(std::move(s));
}

bool GenerationController::continueTake() {
    const QString id = continuableTake();
    const core::Take* take = id.isEmpty() ? nullptr : m_document->project().take(id);
    if (take == nullptr) {
        return false;
    }
    Start s;
    s.kind = Kind::Continue;
    s.overrides.fromTake = id;
    s.overrides.fromChunk = take->chunksCompleted;
    s.frames = take->durationFrames;
    return start(std::move(s));
}

bool GenerationController::regenerateFromPlayhead() {
    if (!canRegenerate()) {
        return false;
    }
    const core::Take* take = m_document->project().take(m_transport->takeId());
    Start s;
    s.kind = Kind::Regenerate;
    // The chunk under the playhead is made anew; the chunks before it are kept. Past the take's
    // whole chunks it continues; in the first chunk nothing is kept: a fresh take of the project.
    const int chunk =
        std::min(core::timeline::chunkOfFrame(m_transport->frame()), take->chunksCompleted);
    if (chunk >= 1) {
        s.overrides.fromTake = take->id;
        s.overrides.fromChunk = chunk;
        s.frames = take->durationFrames;
    } else {
        s.frames = m_document->project().durationFrames;
    }
    return start(std::move(s));
}

void GenerationController::stop() {
    if (m_job == nullptr || !(m_state == State::Loading || m_state == State::Generating)) {
        return;
    }
    m_job->cancel(); // the engine asks before every model call
    setState(State::Stopping);
}

bool GenerationController::start(Start request) {
    if (isActive()) {
        return false;
    }
    // The worker gets copies: the user goes on editing while the take generates.
    const core::Project project = m_document->project();
    const QString assetsDir = m_document->assetsDir();
    m_kind = request.kind;
    m_runFrames = request.frames;
    m_takeId.clear();
    m_lastError.clear();
    m_progress = inference::GenerationProgress{};
    m_startKeyframes = project.keyframes;
    if (!m_staleKeyframes.isEmpty()) {
        m_staleKeyframes.clear();
        Q_EMIT staleKeyframesChanged(m_staleKeyframes);
    }
    try {
        m_enginePrompts = core::planPrompts(project, request.frames);
    } catch (const core::RenderSetupError&) {
        m_enginePrompts.clear(); // the worker's planRender reports it
    }
    m_promptsPending = false;

    if (m_run) {
        m_run->close();
    }
    m_run = std::make_shared<Run>(this);
    std::shared_ptr<Run> run = m_run;
    std::shared_ptr<Shared> shared = m_shared;
    core::ProjectDocument* document = m_document;
    const core::RenderOverrides overrides = request.overrides;

    const auto work = [run, shared, document, project, assetsDir, overrides](JobContext& context) {
        lowerWorkerPriority();
        Outcome outcome;
        core::RenderPlan plan;
        try {
            plan = core::planRender(project, overrides, assetsDir); // reads the keyframe images
            inference::validateRequest(plan.request);
        } catch (const std::exception& e) {
            outcome.setupError = QString::fromStdString(e.what());
            outcome.stats = shared->engine.stats();
            return outcome;
        }
        if (!plan.warnings.isEmpty()) {
            run->report([&] { run->warnings += plan.warnings; });
        }
        core::TakeRecorder recorder(
            std::make_unique<UiThreadTakeLedger>(
                document, [run](std::function<QString()> call) { return run->onUiThread(call); }),
            assetsDir);
        core::RenderCallbacks callbacks;
        callbacks.stage = [&](inference::Stage stage) {
            // From Generating on, the take is in the project (runRender started it).
            const QString take =
                stage == inference::Stage::Generating ? recorder.take().id : QString();
            run->report([&] {
                run->stage = stage;
                if (!take.isEmpty()) {
                    run->startedTake = take;
                }
            });
        };
        callbacks.progress = [&](const inference::GenerationProgress& p) {
            context.setProgress(p.framesDone, p.framesTotal);
            run->report([&] { run->progress = p; });
        };
        // The live preview shows the preview decoder's frames when the settings ask for one,
        // else the final frames as the take stores them.
        const auto show = [&](const inference::RgbFrame& rgb) {
            if (run->frames.put(int(rgb.index), toImage(rgb))) {
                run->wake();
            }
        };
        (plan.request.previewDecoder.empty() ? callbacks.frame : callbacks.preview) = show;
        callbacks.chunkDenoised = [&](int chunk) { run->chunksDenoised.store(chunk + 1); };
        callbacks.warning = [&](const QString& text) {
            run->report([&] { run->warnings << text; });
        };
        outcome.render = core::runRender(shared->engine, plan, recorder, core::RenderOutputs{},
                                         callbacks, [&context] { return context.isCancelled(); });
        outcome.stats = shared->engine.stats();
        return outcome;
    };
    m_job = Job::start(stateText(State::Generating, m_kind), work, this, m_pool);
    Job* job = m_job;
    connect(job, &Job::finished, this, [this, job] {
        // After the take's last update: the ledger queued it to this thread before the work
        // returned, and queued calls run in order, so the document has it when the run ends.
        QMetaObject::invokeMethod(
            this, [this, job] { finishJob(*job); }, Qt::QueuedConnection);
    });
    setState(State::Loading);
    return true;
}

void GenerationController::drain(const std::shared_ptr<Run>& run) {
    if (run != m_run) {
        return; // an earlier run's last word
    }
    std::optional<inference::Stage> stage;
    std::optional<inference::GenerationProgress> progress;
    QString started;
    QStringList warnings;
    {
        std::lock_guard<std::mutex> lock(run->mutex);
        run->wakePending = false;
        stage = std::exchange(run->stage, std::nullopt);
        progress = std::exchange(run->progress, std::nullopt);
        if (!run->startedTake.isEmpty() && m_takeId.isEmpty()) {
            started = run->startedTake;
        }
        warnings = std::exchange(run->warnings, {});
    }
    if (!started.isEmpty()) {
        m_takeId = started;
        if (m_transport != nullptr) {
            m_transport->setTakeId(started);
        }
        Q_EMIT takeStarted(started);
    }
    if (stage && *stage == inference::Stage::Generating && m_state == State::Loading) {
        setState(State::Generating);
        if (m_promptsPending) {
            sendPromptsToEngine(); // edited while the models loaded
        }
    }
    if (progress) {
        m_progress = *progress;
        Q_EMIT progressChanged(m_progress);
    }
    if (std::optional<LiveFrameMailbox::Item> frame = run->frames.take()) {
        Q_EMIT liveFrame(frame->frameIndex, frame->image);
    }
    for (const QString& text : warnings) {
        Q_EMIT warning(text);
    }
}

void GenerationController::finishJob(Job& job) {
    m_job = nullptr;
    job.deleteLater();
    m_memoryGuard->refresh(); // what the engine holds and the device has free have moved
    drain(m_run);             // the last frame and progress before the end
    if (job.state() == Job::State::Failed) { // the work threw (out of memory, say)
        m_lastError = job.error();
        setState(State::Failed);
        Q_EMIT failed(MainWindow::tr("The generation failed: %1").arg(m_lastError), m_lastError);
        return;
    }
    const auto outcome = job.result<Outcome>();
    m_engineStats = outcome.stats;
    const core::RenderResult& r = outcome.render;
    if (!outcome.setupError.isEmpty() || !r.ok) {
        m_lastError = outcome.setupError.isEmpty() ? r.error : outcome.setupError;
        QString details = m_lastError;
        if (!r.takeId.isEmpty()) {
            details += QLatin1Char('\n') + MainWindow::tr("Take %1 keeps its %n whole chunk(s).",
                                                          nullptr, r.chunksCompleted)
                                               .arg(r.takeId);
        }
        setState(State::Failed);
        Q_EMIT failed(MainWindow::tr("The generation failed: %1").arg(m_lastError), details);
        return;
    }
    if (r.stopped) {
        setState(State::Stopped);
        Q_EMIT statusMessage(r.takeId.isEmpty()
                                 ? MainWindow::tr("Stopped before the take started")
                                 : MainWindow::tr("Stopped: take %1 keeps %n whole chunk(s)",
                                                  nullptr, r.chunksCompleted)
                                       .arg(r.takeId),
                             10000);
        return;
    }
    setState(State::Finished);
    Q_EMIT statusMessage(
        MainWindow::tr("Take %1 is complete: %n frame(s) in %2", nullptr, r.framesWritten)
            .arg(r.takeId, clockText(r.seconds)),
        10000);
}

void GenerationController::sendPromptsToEngine() {
    if (!isActive() || m_state == State::Stopping) {
        return;
    }
    std::vector<inference::PromptSegment> prompts;
    try {
        prompts = core::planPrompts(m_document->project(), m_runFrames);
    } catch (const core::RenderSetupError&) {
        return; // a segment without text (being typed): the engine keeps what it has
    }
    if (m_state == State::Loading) {
        m_promptsPending = true; // the engine takes edits only while it generates
        return;
    }
    m_promptsPending = false;
    try {
        m_shared->engine.setPrompts(prompts);
    } catch (const inference::RequestError& e) {
        Q_EMIT warning(QString::fromStdString(e.what()));
        return;
    }
    // Where the take follows the edit: the first chunk after the one being denoised whose
    // prompt changes.
    const int chunks = core::timeline::chunksForFrames(m_runFrames);
    const int next = m_run ? m_run->chunksDenoised.load() + 1 : 0;
    for (int chunk = std::max(next, 0); chunk < chunks; ++chunk) {
        const auto& before =
            m_enginePrompts.empty()
                ? std::string()
                : m_enginePrompts[inference::promptSegmentOfChunk(m_enginePrompts, chunk)].text;
        const auto& after = prompts[inference::promptSegmentOfChunk(prompts, chunk)].text;
        if (before != after) {
            Q_EMIT promptSwitchScheduled(core::timeline::firstFrameOfChunk(chunk));
            break;
        }
    }
    m_enginePrompts = std::move(prompts);
}

void GenerationController::markStaleKeyframes() {
    if (!isActive()) {
        return;
    }
    QSet<QString> stale;
    for (const core::Keyframe& now : m_document->project().keyframes) {
        const auto was = std::find_if(m_startKeyframes.begin(), m_startKeyframes.end(),
                                      [&](const core::Keyframe& k) { return k.id == now.id; });
        if (was == m_startKeyframes.end() || !(*was == now)) {
            stale.insert(now.id);
        }
    }
    if (stale != m_staleKeyframes) {
        m_staleKeyframes = stale;
        Q_EMIT staleKeyframesChanged(m_staleKeyframes);
    }
}

} // namespace sfs::ui
