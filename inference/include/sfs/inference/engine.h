#pragma once
// The generation engine: a request (size, frames, seed, steps, prompt schedule, decoders,
// device) becomes a stream of frames. Torch-free: plain structs, callbacks and a pimpl, so the
// studio, the render job and the CLI use it without seeing torch.
//
// An Engine loads the models of a folder (or the built-in "demo") once and keeps them warm
// between generations; a request that names another folder, device or precision reloads only
// the models that this changes. generate() runs on the calling thread (the "generating" thread:
// prompts, denoising) plus a decode worker that follows it through a bounded queue, so chunk k
// decodes while chunk k + 1 denoises, and an optional preview worker (a second, faster decoder)
// that drops frames rather than slow anything down. One generate() at a time per Engine.
#include "sfs/inference/device_policy.h"
#include "sfs/inference/lora.h"
#include "sfs/inference/model_set.h"
#include "sfs/inference/runtime_info.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfs::inference {

// --- the request --------------------------------------------------------------------------------

// From `startFrame` (a video frame) on, the video follows `text` until the next segment. A
// segment starting inside a chunk takes effect from the next chunk boundary
// (promptSegmentOfChunk).
struct PromptSegment {
    int64_t startFrame = 0;
    std::string text;
};

// How a start keyframe (frame 0) conditions the take (docs/keyframes.md, "Two ways to start").
enum class StartMode {
    // Latent frame 0 is generated like any other and lands on the keyframe latent (the blend by
    // strength): the take's frame grid is unchanged.
    Land,
    // The reference's image-to-video route (its `initial_latent`): the keyframe latent is
    // latent frame 0 itself, pushed once as clean context before the first chunk, and the
    // chunks are generated after it, each shifted one latent frame later (generation block b
    // makes latent frames 3b+1 .. 3b+3). The take keeps its 12n - 3 frames: video frame 0 is
    // the start latent decoded, and the last block's last latent frame (3n) is generated and
    // dropped. Strength and approach do not apply (the latent is placed as it is); continuing
    // such a take (StartPoint) is refused. How "extend a take" works: the new take starts from
    // the old one's last frame in this mode.
    Context,
};

// A keyframe image the video should pass through (issue 14; docs/keyframes.md). 8-bit RGB rows
// top to bottom, width x height x 3 bytes, already fitted to the request's size (core fits it by
// the keyframe's fit mode). Video frame 0 is latent frame 0 alone; a frame f > 0 lies in latent
// frame ceil(f / 4) (frame_grid.h), which it then holds for up to 4 frames.
struct KeyframeImage {
    int64_t frame = 0;
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
    float strength = 1.0f;       // 0..1: landing blend of the predicted x0 (1 places it exactly)
    int64_t approachChunks = 2;  // chunks before the landing chunk pulled toward it (0: none)
    float approachWeight = 0.5f; // the largest pull, reached in the chunk before landing
    int approachSteps = 1;       // the early denoising steps the pull acts in (of 4)
    StartMode startMode = StartMode::Land; // frame 0 only: land on it, or start from it
    // Also steer by VACE (needs VACE weights beside the model; off until measured on real
    // weights): the landing chunk takes the image as a VACE context at its latent frame (the
    // exact landing still applies), the approach chunks take it as a reference image at a
    // context scale rising toward vaceScale (docs/keyframes.md, "Keyframes with VACE").
    bool vace = false;
    float vaceScale = 1.0f; // 0 .. 2
};

// A reference image (style, identity) every chunk sees through VACE, RGB8 of the request's
// size, unless a VACE keyframe's landing or approach conditions that chunk.
struct ReferenceImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
    float scale = 0.5f; // VACE context scale, 0 .. 2
    bool empty() const { return rgb.empty(); }
};

// Where a keyframe's latent comes from: the start image is encoded alone (it is latent frame 0
// exactly); a later one as a static clip of 1 + 4 frames, whose second latent frame is used.
enum class KeyframePosition { Start, Later };

// What a rendered take did with one keyframe (--keyframe-report): the relative L2 distance
// between the generated latent frame and the keyframe latent, and the "snap": the largest
// relative change between consecutive latent frames within the landing chunk and the chunk
// before it, next to the median change elsewhere in the take.
struct KeyframeReport {
    int64_t frame = 0;
    int64_t latentFrame = 0;
    float strength = 0;
    double relativeL2 = 0;
    double snap = 0;
    double medianChange = 0;
};

// Where a generation starts. A fresh take starts at chunk 0. Continue (after a stop) and
// "regenerate from chunk k" rebuild the caches from the stored latents of chunks 0 .. k-1 (a
// take's latents, sfs/inference/latents_file.h), each under its own prompt and with the calls
// the original run made, then generate from chunk k on. With the same seed and settings the
// result equals the uninterrupted run bit for bit (CPU); a new seed changes chunks k.. only.
// The kept chunks are decoded again (the decoders' causal state needs them) and delivered like
// the others, flagged `kept`, so the output is the whole take. The prompts of the kept chunks
// are those of `prompts` (a continue passes the schedule the take ran with:
// GenerationResult::prompts).
struct StartPoint {
    int64_t fromChunk = 0;   // 0: a fresh take
    std::string keptLatents; // the latents of at least chunks 0 .. fromChunk-1 (fromChunk > 0):
                             // a take's chunk folder or a whole file (readTakeLatents)
};

struct GenerationRequest {
    std::string model = "demo"; // a model folder (resolveModelSet) or "demo"
    DeviceRequest device;       // device and precision ("auto": device_policy.h's rules)
    int width = 832;            // video size in pixels, multiples of 16
    int height = 480;
    int64_t frames = 81; // video frames: whole chunks, 12n - 3 (9, 21, 33, ... 81)
    uint64_t seed = 0;
    // Denoising steps before warping, strictly decreasing in [1, 1000]; empty: the published
    // 1000, 750, 500, 250.
    std::vector<int64_t> steps;
    std::vector<PromptSegment> prompts; // at least one; the first starts at frame 0
    // At a prompt switch, replay the window's clean latents under the new prompt so the
    // self-attention cache stops carrying the old one (LongLive's re-cache; sink rows kept).
    bool recacheOnPromptSwitch = true;
    // > 1: at a switch the prompt embeddings move linearly from the old prompt's to the new
    // one's over this many chunks (cut short by a segment shorter than that).
    int64_t promptRampChunks = 0;
    std::vector<KeyframeImage> keyframes;
    ReferenceImage reference; // empty: none
    // Self-attention context in latent frames: -1 attends to the whole take; otherwise a rolling
    // window of that many latent frames whose first `sinkLatentFrames` are never evicted.
    int64_t windowLatentFrames = -1;
    int64_t sinkLatentFrames = 0;
    std::string finalDecoder = "wan-vae"; // every frame, in order, never dropped
    std::string previewDecoder;           // optional second decoder ("taehv"); empty: none
    int decodeQueueChunks = 2;            // chunks the denoiser may run ahead of the decoder
    StartPoint start;                     // fresh, or continue / regenerate from a chunk
    // LoRAs merged into the DiT's weights at load, in this order (docs/architecture.md, "LoRA");
    // a different list (files or strengths) reloads the DiT, the same list keeps it warm.
    std::vector<LoraChoice> loras;
};

// Thrown for a request the model cannot run; what() names the setting ("width: 100 is not a
// multiple of 16").
class RequestError : public std::invalid_argument {
public:
    RequestError(std::string setting, const std::string& problem)
        : std::invalid_argument(setting + ": " + problem), m_setting(std::move(setting)) {}
    const std::string& setting() const { return m_setting; }

private:
    std::string m_setting;
};

// Checks everything a request can be checked for without the models; throws RequestError.
void validateRequest(const GenerationRequest& request);
// The image part of a keyframe's check: a positive multiple of 16 on each side, width x height
// x 3 bytes; RequestError names `where`.
void checkKeyframeImage(const KeyframeImage& image, const std::string& where);
// The prompt-segment part of it (also what setPrompts checks): at least one segment, the first
// at frame 0, increasing starts, no empty text; with `frames` >= 0 every start before it.
void validatePrompts(const std::vector<PromptSegment>& prompts, int64_t frames);
// The chunks of a request (frames = 12n - 3 -> n).
int64_t chunksOf(const GenerationRequest& request);
// The prompt segment (index into `prompts`, sorted by start) that chunk `chunk` follows: the
// last one starting at or before the chunk's first frame.
size_t promptSegmentOfChunk(const std::vector<PromptSegment>& prompts, int64_t chunk);

// --- what the observer receives ------------------------------------------------------------------

enum class Stage { Loading, EncodingPrompts, Generating, Decoding, Done };
const char* stageName(Stage stage); // "loading", "encoding prompts", ...

// One model file being loaded (Stage::Loading).
struct LoadStep {
    std::string part; // "DiT", "Wan VAE", "TAEHV"
    std::string file;
    int index = 0; // 1-based, of `count` files this load reads
    int count = 0;
};

// A finished chunk's latents, float32, [frames, channels, height, width] row-major (the
// safetensors `latents` layout of a take).
struct ChunkLatents {
    int64_t chunk = 0;
    int64_t firstLatentFrame = 0;
    int64_t frames = 0;
    int64_t channels = 0;
    int64_t height = 0;
    int64_t width = 0;
    std::vector<float> values;
    bool kept = false; // a chunk of the start point's stored latents, not generated by this run
};

// One decoded video frame: 8-bit RGB, rows top to bottom, width x height x 3 bytes.
struct RgbFrame {
    int64_t index = 0; // video frame number within the take
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
    bool kept = false; // decoded from a kept chunk (StartPoint), not a generated one
};

struct GenerationProgress {
    int64_t chunksDone = 0; // chunks whose final frames are all out
    int64_t chunksTotal = 0;
    int64_t framesDone = 0;
    int64_t framesTotal = 0;
    double framesPerSecond = 0; // since generating started
    double etaSeconds = 0;      // at the average chunk time so far
    // Bytes of the DiT's self- and cross-attention caches when the last chunk was denoised:
    // with a window they stay the same for any length.
    uint64_t kvCacheBytes = 0;
};

// Every callback is optional. Threads: `stage`, `loading`, `latents` and `warning` come from
// the thread that called generate(); `frame` and `progress` from the decode worker, in frame
// order; `previewFrame` from the preview worker. Callbacks of different threads may run at the
// same time; keep them short (a slow `frame` holds the decoder, and through the bounded queue
// the denoiser; a slow `previewFrame` only makes preview frames drop). An exception thrown by
// a callback stops the generation and is rethrown by generate().
struct GenerationObserver {
    std::function<void(Stage)> stage;
    std::function<void(const LoadStep&)> loading;
    std::function<void(const ChunkLatents&)> latents;
    std::function<void(const RgbFrame&)> frame;
    std::function<void(const RgbFrame&)> previewFrame;
    std::function<void(const GenerationProgress&)> progress;
    std::function<void(const std::string&)> warning;
};

// Asked before every model call (so honoured within one denoising step); true stops. The chunk
// being denoised is dropped; chunks already denoised are still decoded (at most
// decodeQueueChunks + 1), so frames 0 .. framesDelivered - 1 of a stopped take are whole chunks.
using CancelCheck = std::function<bool()>;

enum class GenerationStatus { Done, Stopped };

struct GenerationResult {
    GenerationStatus status = GenerationStatus::Done;
    int64_t chunksCompleted = 0; // chunks denoised and decoded: frames 0 .. framesDelivered-1
    int64_t framesDelivered = 0;
    int64_t previewFramesDelivered = 0;
    int64_t previewFramesDropped = 0;
    double seconds = 0;
    // The prompt schedule the take ran with, edits included (setPrompts), one segment per
    // switch, each starting at its chunk's first frame: what a continue passes as `prompts`.
    std::vector<PromptSegment> prompts;
    std::vector<KeyframeReport> keyframes; // one per request keyframe whose chunk was generated
};

// --- memory -------------------------------------------------------------------------------------

// What a request needs on the DiT's device, in bytes (a rough upper estimate: weights and caches
// exactly, activations by the largest tensors of one call).
struct MemoryEstimate {
    uint64_t ditWeights = 0;
    uint64_t kvCache = 0; // self- and cross-attention caches
    uint64_t ditActivations = 0;
    uint64_t decoders = 0;    // weights and working memory of the final and preview decoders
    uint64_t textEncoder = 0; // while prompts are encoded, when it shares the device
    // The peak: the text encoder runs (and is freed) before the caches and activations of the
    // generation exist, so the larger of the two phases counts.
    uint64_t total() const {
        return ditWeights + decoders + std::max(textEncoder, kvCache + ditActivations);
    }
    // "9.1 GiB (DiT weights 2.6 GiB, KV cache 5.0 GiB, ...)"
    std::string describe() const;
};

// The memory `request` needs with `models`, the DiT and decoders in `precision` (decided, not
// Auto) and the text encoder counted when `textEncoderOnSameDevice`.
MemoryEstimate estimateMemory(const ModelSet& models, const GenerationRequest& request,
                              Precision precision, bool textEncoderOnSameDevice);

// The machine's physical memory in bytes (0 when unknown).
uint64_t hostMemoryBytes();

// --- will it fit: the dry run and the studio's guardrail
// ------------------------------------------

// `request` with the rolling window and sink generate() really runs it with (a take longer than
// the trained 21 latent frames gets a window when it asks for full context). Throws
// RequestError for a window no plan can serve.
GenerationRequest withPlannedAttention(const GenerationRequest& request);

// The memory a device has free now, in bytes (0 when unknown): the CPU's available RAM
// (MemAvailable of /proc/meminfo), a CUDA device's free memory as the CUDA runtime reports it.
// The environment variable SFS_SIMULATED_FREE_MEMORY (bytes, or with a K, M or G suffix: "6G")
// replaces the answer for every device: trying the guardrail without a small card.
uint64_t freeMemoryBytes(const DeviceName& device);

// One change to a request that makes it fit, with what it then needs.
struct MemorySuggestion {
    enum class Change { SmallerWindow, TaehvDecoder, TextEncoderOnCpu, LowerPrecision, Combined };
    Change change = Change::SmallerWindow;
    std::string description; // "a rolling window of 9 latent frames (sink 3)"
    // The settings it changes (the others as in the request).
    int64_t windowLatentFrames = -1;
    int64_t sinkLatentFrames = 0;
    std::string finalDecoder;
    std::string previewDecoder;
    bool textEncoderOnCpu = false;
    Precision precision = Precision::Auto;
    MemoryEstimate need;
};

// A request's memory against its device: what generate() will need (the planned window, the
// DiT's placement and precision, the text encoder counted when it shares the DiT's device) and
// what the device has free; when it does not fit, by how much and the single changes that fit
// (or, when none does alone, all of them together).
struct MemoryCheck {
    MemoryEstimate need;
    DeviceName device{DeviceKind::Cpu, 0}; // the DiT's
    std::string deviceLabel;               // "the CPU", "cuda:0 (NVIDIA H100)"
    Precision precision = Precision::Float32;
    bool textEncoderOnDevice = false;
    uint64_t available = 0; // free bytes on the device; 0: unknown (never refused)
    std::vector<MemorySuggestion> suggestions; // empty when it fits
    bool fits() const { return available == 0 || need.total() <= available; }
    uint64_t shortBy() const { return fits() ? 0 : need.total() - available; }
    // Lines for a person: the estimate broken down, the device's free memory, and when it does
    // not fit, by how much and the suggestions.
    std::string report() const;
};

// Checks `request` (validated) on a machine described by `machine` whose DiT device has
// `availableBytes` free (freeMemoryBytes on this machine; tests pass a simulated value).
// Throws RequestError / DeviceUnavailable like generate() would.
MemoryCheck checkMemory(const ModelSet& models, const GenerationRequest& request,
                        const RuntimeInfo& machine, uint64_t availableBytes);

// Bytes as people read them: "640 MiB", "9.1 GiB".
std::string formatBytes(uint64_t bytes);

// --- the engine ---------------------------------------------------------------------------------

// Where keyframe latents are cached by default: $XDG_CACHE_HOME/sfstudio/keyframes, else
// ~/.cache/sfstudio/keyframes.
std::string defaultKeyframeCacheDir();

struct EngineOptions {
    // The machine facts placement and the memory check use; unset: this machine's (queryRuntime,
    // hostMemoryBytes). Tests set fake facts.
    std::optional<RuntimeInfo> machine;
    std::optional<uint64_t> hostMemoryBytes;
    // A device's free memory now (unset: freeMemoryBytes); tests simulate a device.
    std::function<uint64_t(const DeviceName&)> freeMemory;
    bool diskPromptCache = true; // prompt embeddings also cached on disk (else memory only)
    // Where keyframe latents are cached on disk (content-keyed, docs/keyframes.md); empty:
    // memory only.
    std::string keyframeCacheDir = defaultKeyframeCacheDir();
    // Benchmarks on a build or machine without the tokenizer: every prompt becomes seeded
    // random embeddings of the encoder's real shape [textLen, textDim] instead of being encoded
    // (the text encoder never runs). The video means nothing; the cost of generating is real.
    bool randomPromptEmbeddings = false;
    // On a CUDA device (LibTorch 2 build): each chunk's denoising steps replayed from a CUDA
    // graph captured once per cache layout (the whole step in one launch; with a full rolling
    // window every later chunk replays the same graph). Elsewhere it changes nothing.
    bool cudaGraphs = false;
};

// Counters that show what the engine did (a warm generate loads nothing).
struct EngineStats {
    int64_t ditLoads = 0;
    int64_t vaeLoads = 0;
    int64_t taehvLoads = 0;
    int64_t textEncoderRuns = 0; // prompts encoded (not taken from the prompt cache)
    int64_t generations = 0;
    int64_t keyframeEncodes = 0;        // keyframe latents encoded by the VAE (cache misses)
    int64_t keyframeCacheHits = 0;      // keyframe latents taken from the cache (memory or disk)
    int64_t keyframeDiskHits = 0;       // ... of them read from a disk entry
    int64_t keyframeDamagedEntries = 0; // disk entries found damaged (deleted, encoded again)
};

// Thrown when the models cannot be loaded or the machine cannot run the request; what() names
// the folder or file (or says how much memory is needed).
class EngineError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Engine {
public:
    explicit Engine(EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Loads (or keeps) the DiT and the Wan VAE of `model` on the device `device` asks for,
    // reporting each file through observer.loading (the text encoder is loaded only to encode a
    // prompt the cache lacks, and freed after). Only what changed since the last load is
    // reloaded; TAEHV is loaded when a request first names it. Throws EngineError naming the
    // folder or file, RequestError for a device the machine lacks.
    void load(const std::string& model, const DeviceRequest& device,
              const GenerationObserver& observer = {});

    // Runs one generation (loading first when needed). Throws RequestError for a request the
    // model cannot run, EngineError for models or memory (checkMemory() before loading: the
    // message says how much is missing and which settings would fit), and whatever a callback
    // threw.
    GenerationResult generate(const GenerationRequest& request,
                              const GenerationObserver& observer = {},
                              const CancelCheck& cancel = {});

    // Edits the prompts of the generation running now (from any thread; checked like a
    // request's `prompts`, else RequestError). The generating thread takes the latest edit
    // before each chunk: chunks already started keep their prompts, and the edit's schedule
    // applies from the next chunk on, as if the take had been scheduled that way from the
    // start (a segment that would change a started chunk starts at the next chunk; an edit
    // during a ramp waits for the ramp's end). New texts are encoded there, between chunks
    // (prompt cache first). An edit made while no generation runs is dropped.
    void setPrompts(std::vector<PromptSegment> prompts);

    // The keyframe latent exactly as generate() uses it: float32 [16, height/8, width/8]
    // row-major (loading the model first when needed). Cached in memory and on disk
    // (EngineOptions::keyframeCacheDir) by the pixels' content hash, size, position and the
    // VAE (its file's content hash, device, precision): a hit is the same latent bit for bit.
    // Throws RequestError for a bad image (size not a multiple of 16, byte count), EngineError
    // for the model.
    std::vector<float> encodeKeyframe(const std::string& model, const DeviceRequest& device,
                                      const KeyframeImage& image, KeyframePosition position);

    // The memory a request may use on `device`: what the device has free now plus what this
    // engine holds there already (its models and caches, which a generation reuses or frees
    // before it loads), never more than the device has; 0 when unknown. Any thread.
    uint64_t availableMemory(const DeviceName& device) const;
    // The check generate() makes before it loads anything: the free function checkMemory with
    // this engine's machine facts and availableMemory(). Any thread (the studio's guardrail
    // asks while a take generates); resolves the request's model folder (EngineError when it
    // cannot), RequestError for a request or device the machine cannot run.
    MemoryCheck checkMemory(const GenerationRequest& request) const;

    EngineStats stats() const;
    // The loaded model set (nullopt before the first load).
    std::optional<ModelSet> models() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sfs::inference
