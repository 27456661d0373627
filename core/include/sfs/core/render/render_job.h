#pragma once
// The render job: a project becomes a take. planRender() maps a project and its settings (with
// the command line's overrides) to an engine request; runRender() runs the engine on the calling
// thread and sends what it delivers on: every frame to the take (a TakeRecorder) and optionally
// straight into an exporter (MP4 or an image sequence while generating), each chunk's latents to
// the take's latents folder, preview frames and progress to callbacks. The CLI's `render` and
// (issue 15) the studio's Generate button are this job with different ledgers and sinks.
//
// Threads: runRender() belongs to a worker thread (it runs torch and writes files). Its frame
// callbacks run on the engine's decode worker, its latents on the calling thread; the recorder
// is thread-safe, and the exporter is used by one thread at a time (begin() and finish() here,
// write() on the decode worker, which generate() has joined before it returns).

#include "sfs/core/media/frame_sink.h"
#include "sfs/core/project/project.h"
#include "sfs/core/render/take_recorder.h"
#include "sfs/inference/engine.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

namespace sfs::core {

// What the command line (or a dialog) changes for one render; unset: the project's.
struct RenderOverrides {
    std::optional<QString> model; // a model folder, or "demo"
    std::optional<qint64> seed;
    std::optional<int> frames; // the first N frames: a whole-chunk count (12n - 3)
    std::optional<Decoder> decoder;
    std::optional<QString> device; // "auto", "cpu", "cuda", "cuda:N"
    std::optional<int> width;      // the video size (a multiple of 16 from 64 to 4096)
    std::optional<int> height;
    std::optional<QString> precision;         // "auto", "float32", "bfloat16", "float16"
    std::optional<QString> textEncoderDevice; // "auto", "cpu", "gpu"
    std::optional<PreviewDecoder> previewDecoder;
    // The LoRAs for this render instead of the project's (paths made absolute); empty: none.
    std::optional<std::vector<LoraSetting>> loras;
    // How the keyframe at frame 0 starts the take (its Keyframe::start); needs one there.
    std::optional<StartMode> start;
    // VACE (docs/keyframes.md "Keyframes with VACE"): VACE on every keyframe (--vace) and its
    // scale (--vace-scale); a reference image file (--reference, read from that path; the take
    // records the project's setting only) and its scale (--reference-scale).
    std::optional<bool> keyframeVace;
    std::optional<double> vaceScale;
    std::optional<QString> referenceImage;
    std::optional<double> referenceScale;
    // Regenerate from chunk `fromChunk` of take `fromTake` into a new take (both or neither).
    QString fromTake;
    int fromChunk = 0;
};

// Thrown by planRender() for a project or override the model cannot run; what() names the
// setting ("--frames: 10 is not a whole number of chunks (9, 21, 33, …)").
class RenderSetupError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A render, decided.
struct RenderPlan {
    inference::GenerationRequest request; // what the engine runs
    TakePlan take;                        // the take it records (settings as generated)
    QString keptLatents;  // regenerating: the source take's latents (absolute); else empty
    QStringList warnings; // things the user should know (a soft keyframe image, ...)
};

// The model name of a settings' model folder for the engine ("demo" for the built-in one).
QString engineModelName(const RenderSettings& settings);

// Maps `project` with `overrides` to a request: size, seed, steps, window and sink, the final
// decoder, device; frames = the project's duration (or overrides.frames); prompts = the project's
// segments that start inside those frames (each needs a text).
// Keyframes: each one inside those frames, its image (in `assetsDir`) read and fitted to the
// video size by its fit mode, with its strength and approach settings (and, at frame 0, its
// start mode: land on it, or start from it as context); an image upscaled more
// than twice gets a warning, one beyond the rendered frames is left out with a warning, an
// unreadable one refuses the render naming the keyframe and the file. This reads the images:
// call it off the UI thread. `assetsDir` also resolves a source take's latents. Regenerating
// (overrides.fromTake) records the new take's lineage in plan.take (parentTakeId = the source
// take, branchChunk = overrides.fromChunk). Throws RenderSetupError.
// Format 4's settings: precision, the text encoder's device, and a TAEHV preview decoder when
// the settings ask for one and the final decoder is not TAEHV already.
RenderPlan planRender(const Project& project, const RenderOverrides& overrides,
                      const QString& assetsDir);

// The part of a request the render settings decide (model, device, precision, text encoder,
// size, seed, steps, window and sink, the decoders) for a take of `frames` frames: planRender's
// start, and what the studio's memory guardrail checks (no prompts, no keyframes). Throws
// RenderSetupError for settings the rules refuse.
inference::GenerationRequest requestForSettings(const RenderSettings& settings, int frames);

// The project's prompt segments that start inside the first `frames` frames, as the engine takes
// them: planRender's prompts, and what the studio passes to Engine::setPrompts when the user
// edits prompts while a take generates. Throws RenderSetupError for a segment without text, or
// when no segment is left.
std::vector<inference::PromptSegment> planPrompts(const Project& project, int frames);

struct RenderCallbacks {
    std::function<void(inference::Stage)> stage;                        // generating thread
    std::function<void(const inference::GenerationProgress&)> progress; // decode worker
    // Every final frame, in order, once the take (and the exporter) has it: the studio's live
    // preview. Decode worker; keep it short (it holds the decoder).
    std::function<void(const inference::RgbFrame&)> frame;
    // The preview decoder's frames (preview worker; it drops frames rather than slow anything
    // down). Unset: the plan's preview decoder does not run.
    std::function<void(const inference::RgbFrame&)> preview;
    std::function<void(const QString&)> warning; // generating thread
    // Chunk `chunk` is denoised (or, continuing, replayed) and its latents stored; the next
    // chunk starts now. Generating thread.
    std::function<void(int chunk)> chunkDenoised;
};

struct RenderResult {
    bool ok = false;      // the take ended as planned (complete), or was stopped cleanly
    bool stopped = false; // cancelled: the take keeps its whole chunks
    QString error;        // when !ok: the problem, naming the file or setting
    QString takeId;       // empty when the take never started
    int chunksCompleted = 0;
    int framesWritten = 0;
    double seconds = 0;
    // What the take did with each keyframe whose chunk was generated (the engine's report:
    // --keyframe-report prints it).
    std::vector<inference::KeyframeReport> keyframes;
};

// Where a render's output goes besides the take.
struct RenderOutputs {
    FrameSink* exporter = nullptr; // optional; begun, written and finished (or cancelled) here
    QString latentsFile; // optional: the whole take's latents also written here (safetensors)
};

// Runs `plan` on `engine`: first begins the exporter (an unwritable output fails here, before
// anything else happens), then generates. The take starts (`recorder.start(plan.take)`, so the
// recorder's ledger is called from this thread) once the models are loaded, the memory is
// checked and the prompts are encoded: a request that fails before that leaves the project as
// it was. Frames go to the recorder and the exporter in order; each chunk's latents are written
// to the take's latents folder (regenerating: chunks the engine keeps but does not deliver are
// copied from the source take) and the recorder told. The end: Done finishes the take and the
// exporter; cancelled stops the take (whole chunks kept) and cancels the exporter (which keeps a
// valid shorter output or removes it, as its options say); a failure (a full disk, say) stops
// the take the same way and removes the exporter's output. A stopped take keeps the frames and
// latents of its whole chunks only. `cancel` is asked before every model call.
RenderResult runRender(inference::Engine& engine, const RenderPlan& plan, TakeRecorder& recorder,
                       const RenderOutputs& outputs, const RenderCallbacks& callbacks,
                       const std::function<bool()>& cancel);

} // namespace sfs::core
