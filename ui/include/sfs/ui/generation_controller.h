#pragma once
// Generate, Stop, Continue and Regenerate from the playhead: the studio's side of the render job
// (sfs/core/render/render_job.h), which the CLI's `render` runs on its own thread.
//
// The controller owns one long-lived worker thread (a QThreadPool of one thread that never
// expires, driven through the job model, sfs/ui/job.h) and the inference::Engine on it, so the
// model loads once and stays warm; the engine reloads only what a request's model folder or
// device changes. Everything heavy runs there: planRender (it reads keyframe images), loading,
// prompt encoding, generation, writing the take. The UI thread only snapshots the project,
// starts the job and receives what the worker reports; it never waits on the worker (the one
// exception is the destructor, which stops the run and waits at most one denoising step).
//
// States:  Idle ─► Loading ─► Generating ─► Finished
//                     │            ├─(stop)─► Stopping ─► Stopped
//                     └────────────┴─(error)─► Failed
// Finished, Stopped and Failed are resting states like Idle: every action that Idle allows is
// allowed there. kind() says which generation runs: a fresh take, a continue of a stopped take
// (chunks 0 … k-1 kept, k = its completed chunks), or a regeneration from the chunk under the
// playhead (Transport::frame() of Transport::takeId()). Continue and regenerate make a new take,
// as `sfstudio-cli render --take ID --from-chunk K` does (RenderOverrides::fromTake/fromChunk).
//
// While a take generates:
// - liveFrame(index, image) delivers its frames on the UI thread, in order, coalesced: at most
//   one frame is pending for the UI, a newer one replaces it (a slow UI sees fewer frames, never
//   older ones). They are the final decoder's frames (those the take stores), or with a preview
//   decoder in the settings (RenderSettings::previewDecoder) that decoder's faster ones;
// - editing the project's prompts passes them to the engine (Engine::setPrompts), which applies
//   them from the next chunk; promptSwitchScheduled(frame) says where the new prompts take over;
// - editing a keyframe marks it stale (staleKeyframesChanged): the running take keeps what it was
//   given, the next generation uses the edit.
//
// The memory guardrail (memoryGuard(), generation/memory_guard.h) checks the project's settings
// against the device off the UI thread with this controller's engine (so the memory a warm
// engine holds counts as its own); Generate refuses, with the failed() banner and without
// starting, a take the guard's current status says does not fit.
//
// Threads: every signal is emitted on the UI thread. The take enters the project through the
// document's undo stack (core::DocumentTakeLedger) on the UI thread: the worker hands that one
// call to the UI thread and waits for it (safe: the UI thread never waits on the worker).

#include "sfs/core/project/project.h"
#include "sfs/inference/engine.h"

#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>

#include <memory>
#include <vector>

class QAction;
class QThreadPool;

namespace sfs::core {
class ProjectDocument;
} // namespace sfs::core

namespace sfs::ui {

class Job;
class MemoryGuard;
class Transport;

class GenerationController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Loading, Generating, Stopping, Stopped, Finished, Failed };
    Q_ENUM(State)
    enum class Kind { Fresh, Continue, Regenerate };
    Q_ENUM(Kind)

    // `engineOptions` configure the engine (tests: memory-only prompt cache).
    GenerationController(core::ProjectDocument* document, Transport* transport, QObject* parent,
                         inference::EngineOptions engineOptions = {});
    // Stops a running generation (within one denoising step) and waits for the worker.
    ~GenerationController() override;

    State state() const { return m_state; }
    Kind kind() const { return m_kind; }
    // Loading, Generating or Stopping: a generation runs (Generate, Continue, Regenerate off).
    bool isActive() const;
    // The take being generated, or the one the last generation made (empty: none yet).
    QString takeId() const { return m_takeId; }
    // The latest progress of the running (or last) generation.
    const inference::GenerationProgress& progress() const { return m_progress; }
    // What the engine had loaded and run when the last generation ended (a warm engine does not
    // load twice).
    const inference::EngineStats& engineStats() const { return m_engineStats; }
    // Why the last generation failed (empty unless state() == Failed).
    QString lastError() const { return m_lastError; }
    // Keyframes edited while the take generates: the take does not follow them.
    QSet<QString> staleKeyframes() const { return m_staleKeyframes; }
    // Whether the project's settings fit the device (checked off the UI thread).
    MemoryGuard* memoryGuard() const { return m_memoryGuard; }

    // The take Continue would extend (a stopped take with latents and at least one chunk; the
    // take shown, else the newest), or empty.
    QString continuableTake() const;
    // Whether Regenerate from playhead has a take to regenerate (the take shown, with latents).
    bool canRegenerate() const;

    // The Generate menu's actions, enabled by state(): Generate (Ctrl+Return), Stop (Esc),
    // Continue, Regenerate from Playhead. Object names: actionGenerate, actionStop,
    // actionContinue, actionRegenerate. Texts are set by retranslate().
    QAction* generateAction() const { return m_generateAction; }
    QAction* stopAction() const { return m_stopAction; }
    QAction* continueAction() const { return m_continueAction; }
    QAction* regenerateAction() const { return m_regenerateAction; }
    void retranslate();

    // Human-readable state ("Loading the model…", "Generating", …) for the status bar.
    static QString stateText(State state, Kind kind);

public Q_SLOTS:
    // Each starts a generation and returns at once; false when one is running already.
    bool generate();               // a fresh take of the project
    bool continueTake();           // continuableTake() from its completed chunks on
    bool regenerateFromPlayhead(); // the shown take from the chunk under the playhead
    void stop();                   // within one denoising step; the take keeps whole chunks

Q_SIGNALS:
    void stateChanged(sfs::ui::GenerationController::State state);
    void progressChanged(const sfs::inference::GenerationProgress& progress);
    // Frame `frameIndex` of the take being generated (8-bit RGB), in order, at most one behind.
    void liveFrame(int frameIndex, const QImage& image);
    // The take entered the project (the transport shows it from now on).
    void takeStarted(const QString& takeId);
    // Prompts edited during generation take effect from this frame of the take.
    void promptSwitchScheduled(int frame);
    // Keyframes edited while generating (ids); empty again when the next generation starts.
    void staleKeyframesChanged(const QSet<QString>& ids);
    // A generation failed: `text` for a banner, `details` for its expander.
    void failed(const QString& text, const QString& details);
    // Something the user should know that does not stop the generation (a soft keyframe).
    void warning(const QString& text);
    void statusMessage(const QString& text, int timeoutMs);

private:
    struct Run;
    struct Shared;
    struct Start;
    bool start(Start request);
    void setState(State state);
    void drain(const std::shared_ptr<Run>& run);
    void finishJob(Job& job);
    void updateActions();
    void sendPromptsToEngine();
    void markStaleKeyframes();

    core::ProjectDocument* m_document;
    Transport* m_transport;
    QThreadPool* m_pool;
    std::shared_ptr<Shared> m_shared; // the engine, owned by the worker thread
    std::shared_ptr<Run> m_run;       // the running (or last) generation's channel
    Job* m_job = nullptr;
    MemoryGuard* m_memoryGuard = nullptr;

    State m_state = State::Idle;
    Kind m_kind = Kind::Fresh;
    QString m_takeId;
    QString m_lastError;
    inference::GenerationProgress m_progress;
    inference::EngineStats m_engineStats;
    // What the running generation was given: its frame count, the prompts the engine has now,
    // and the keyframes as they were at the start.
    int m_runFrames = 0;
    std::vector<inference::PromptSegment> m_enginePrompts;
    bool m_promptsPending = false; // edited before the engine generates: send at Generating
    std::vector<core::Keyframe> m_startKeyframes;
    QSet<QString> m_staleKeyframes;

    QAction* m_generateAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_continueAction = nullptr;
    QAction* m_regenerateAction = nullptr;
};

} // namespace sfs::ui
