#pragma once
// The autoregressive block loop of Self-Forcing's CausalInferencePipeline (spec §6.3): blocks
// of latent frames, each denoised in a few steps against the KV cache (x0 predicted, then
// re-noised to the next step), then pushed once more as clean context at t = 0 so later
// blocks attend to clean keys and values. Initial latents (a start keyframe, or a take being
// extended) are pushed as context first. On top of the reference: a prompt schedule with a
// re-cache of the window at each switch, a per-step hook on x0, and continuing or
// regenerating a run from any chunk by replaying its stored latents (docs/architecture.md,
// "Prompt schedule, re-cache, continue").

#include "models/wan_dit.h"
#include "pipeline/flow_schedule.h"
#include "pipeline/kv_cache.h"
#include "pipeline/noise.h"
#include "pipeline/prompt_schedule.h"
#include "pipeline/step_graphs.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace sfs::inference::pipeline {

struct GeneratorOptions {
    int64_t batch = 1;
    int64_t latentHeight = 60;
    int64_t latentWidth = 104;
    int64_t framesPerBlock = 3;
    int64_t capacityFrames = 21;  // global attention: the most latent frames one video holds
    int64_t localAttnFrames = -1; // rolling attention window in latent frames; -1 = global
    int64_t sinkFrames = 0;       // frames at the start of the window that are never evicted
    // RoPE positions of the cache (kv_cache.h): the reference's absolute frames by default.
    RopePositions ropePositions = RopePositions::Absolute;
    int64_t ropeFrames = 1024;    // positions of the RoPE table (spec §3.9)
    std::vector<float> timesteps; // the (warped) denoising steps; empty: the published four
    float cacheTimestep = 0.0f;   // t of the clean pass after each block (context_noise)
    // Denoising steps replayed from CUDA graphs (pipeline/step_graphs.h); on the CPU, or in a
    // build that cannot capture, the calls simply run.
    bool cudaGraphs = false;
};

// Recache: a frame the window holds, written again under a new prompt (not in the reference).
enum class CallRole { Context, Denoise, CacheUpdate, Recache };
// The words golden manifests use: "context", "denoise", "cache_update" (and "recache").
const char* callRoleName(CallRole role);

// One model call as it happened, for observers (the golden runner, diagnostics).
struct CallRecord {
    CallRole role = CallRole::Denoise;
    int64_t startFrame = 0;
    int64_t numFrames = 0;
    int step = -1; // denoising step, -1 for clean passes
    float timestep = 0.0f;
    at::Tensor input;          // [B, F, C, H, W]
    at::Tensor timestepTensor; // [B, F] ([B, 1] for context passes, as the reference)
    at::Tensor flow;           // [B, F, C, H, W]
    at::Tensor x0;             // [B, F, C, H, W]
};
using CallObserver = std::function<void(const CallRecord&)>;
// Asked before every model call; true stops the work at that point.
using CancelCheck = std::function<bool()>;

// Where a denoising step stands when its hook runs.
struct StepContext {
    int64_t startFrame = 0; // the block's first absolute latent frame
    int64_t frames = 0;     // latent frames in the block
    int step = 0;           // 0 ... steps - 1
    int steps = 0;
    float timestep = 0.0f; // t of this step
    bool final = false;    // the last step: x0 becomes the block's latents (no re-noise follows)
};
// Called after each step's x0 prediction ([B, f, C, H, W]) and before it is re-noised for the
// next step; at the last step x0 is the block's final latents. It may change x0 in place or
// replace it with a tensor of the same shape and dtype (keyframes blend a frame toward a
// target here). Observers see the model's prediction, before the hook.
using StepHook = std::function<void(const StepContext&, at::Tensor& x0)>;

class CausalGenerator {
public:
    // Allocates the KV and cross-attention caches once for this geometry.
    CausalGenerator(std::shared_ptr<const models::DitModel> model, FlowMatchSchedule schedule,
                    GeneratorOptions options);

    const GeneratorOptions& options() const { return m_options; }
    const models::DitModel& model() const { return *m_model; }
    const FlowMatchSchedule& schedule() const { return m_schedule; }

    // Prompt embeddings [B, L <= textLen, textDim]: refills every layer's cross-attention
    // cache now. The self-attention cache stays, so a prompt may change between blocks.
    void setPrompt(const at::Tensor& promptEmbeds);
    bool hasPrompt() const { return m_cross.valid(); }
    // The embeddings last given to setPrompt (add-on blocks such as VACE's read the same text).
    const at::Tensor& prompt() const { return m_prompt; }

    // A new video: frame 0, empty KV cache. The prompt stays.
    void reset();
    // The absolute latent frame the next block starts at.
    int64_t currentFrame() const { return m_frame; }

    // Noise for a block of `frames` latent frames at currentFrame(), from `draws`.
    at::Tensor drawBlockNoise(int64_t frames, NoiseSource& draws) const;
    // Denoises the block whose noise is given ([B, f, C, H, W]) at currentFrame(): every
    // step writes the block's cache rows (the same rows each time) and re-noises x0 with a
    // draw from `draws`; `hook` sees each step's x0 first. Returns the x0 of the last step,
    // or an undefined tensor when `cancel` said stop (the block can then simply be denoised
    // again). Does not advance. `blockHook`, when given, joins every denoising call of the
    // block (VACE's hints, models/wan_vace.h); the cache passes never take it.
    at::Tensor denoiseBlock(const at::Tensor& noise, NoiseSource& draws,
                            const CancelCheck& cancel = {}, const StepHook& hook = {},
                            models::DitBlockHook* blockHook = nullptr);
    // Pushes clean latents [B, f, C, H, W] at currentFrame() through the model (t = 0 for
    // context, cacheTimestep for the cache update of a finished block) and advances by f.
    // The latents are also kept for recache(): the last recacheFrames() frames.
    void pushClean(const at::Tensor& latents, CallRole role);

    // Replays the clean latents of the frames the self-attention cache holds outside its sink
    // rows under the current prompt, at cacheTimestep ([B, f]) in the blocks they were pushed
    // in, oldest first: each block rewrites its rows in place and attends to the sink, the
    // blocks already replayed and itself, so the cache stops carrying the previous prompt. The
    // sink rows keep their keys and values; the indices stay. Returns false when `cancel`
    // said stop (then the rows are partly replayed; calling recache() again completes it
    // exactly). Throws std::logic_error while a block is denoised but not yet pushed clean.
    bool recache(const CancelCheck& cancel = {});
    // How many clean frames the generator keeps for recache(): the window less its sink, or
    // the global capacity.
    int64_t recacheFrames() const { return m_ringFrames; }

    void setObserver(CallObserver observer) { m_observer = std::move(observer); }

    // The CUDA graphs of the denoising steps (GeneratorOptions::cudaGraphs), or null when
    // the steps run eagerly.
    const StepGraphs* stepGraphs() const { return m_graphs.get(); }

    const KvCache& kvCache() const { return m_kv; }
    const CrossAttnCache& crossCache() const { return m_cross; }

private:
    // One model call; `step` says which cache rows it writes and its RoPE position.
    at::Tensor call(const at::Tensor& x, const at::Tensor& t, const KvStep& step,
                    models::DitOutput output, models::DitBlockHook* blockHook = nullptr);
    // call() without the cache bookkeeping that follows it (the part a CUDA graph captures).
    at::Tensor forward(const at::Tensor& x, const at::Tensor& t, const KvStep& step,
                       models::DitOutput output, models::DitBlockHook* blockHook);
    // A denoising call, through the step graphs when they are on and no hook joins it.
    at::Tensor denoiseCall(const at::Tensor& x, const at::Tensor& t, const KvStep& step,
                           models::DitBlockHook* blockHook);
    at::Tensor cleanTimestep(CallRole role, int64_t frames) const;
    void observeClean(CallRole role, int64_t startFrame, const at::Tensor& x, const at::Tensor& t,
                      const at::Tensor& flow);
    void checkLatents(const at::Tensor& x, const char* what) const;
    void checkUsable() const;

    std::shared_ptr<const models::DitModel> m_model;
    FlowMatchSchedule m_schedule;
    GeneratorOptions m_options;
    KvCache m_kv;
    CrossAttnCache m_cross;
    at::Tensor m_prompt;
    int64_t m_frame = 0;
    bool m_failed = false; // a call threw half-way: the caches need a reset
    // The last clean frames pushed, for recache(): frame j in slot j % m_ringFrames, with the
    // first frame of the pushClean call that brought it (the blocks are replayed as pushed).
    int64_t m_ringFrames = 0;
    at::Tensor m_ring; // [B, m_ringFrames, C, H, W]
    std::vector<int64_t> m_ringBlockStart;
    CallObserver m_observer;
    std::unique_ptr<StepGraphs> m_graphs; // GeneratorOptions::cudaGraphs on a CUDA device
};

// The block sizes of a run (§6.3): blocks of framesPerBlock, with a first block of one frame
// when the first frame is independent. Throws std::invalid_argument when the frames do not
// split that way.
std::vector<int64_t> blockSizes(int64_t frames, int64_t framesPerBlock, bool independentFirst);

struct ChunkResult {
    int64_t index = 0;      // block number within this run
    int64_t startFrame = 0; // absolute latent frame
    at::Tensor x0;          // [B, f, C, H, W], the block's final latents
    bool kept = false;      // taken from keptLatents (continue / regenerate), not denoised
};
using ChunkCallback = std::function<void(const ChunkResult&)>;

struct GenerateRequest {
    at::Tensor noise;         // [B, F, C, H, W]; undefined: drawn block by block from draws
    int64_t frames = 0;       // F when noise is undefined
    at::Tensor initialLatent; // [B, F0, C, H, W] clean latents pushed as context, or undefined
    bool independentFirstFrame = false;
    bool refreshLastBlock = true; // the reference CLI refreshes after the last block too
    NoiseSource* draws = nullptr;
    ChunkCallback onChunk; // each block's x0 (kept ones too) before its cache pass
    CancelCheck cancel;
    // The prompt of each block (chunk i = noise block i; the context takes chunk 0's). Null:
    // the prompt set on the generator, for the whole run (the reference).
    const PromptSchedule* prompts = nullptr;
    // With a schedule: called on the generating thread before each generated block after the
    // first looks up its prompt; the owner of *prompts may change it here. A prompt edited
    // while generating applies from the next chunk by adding a segment that starts at `chunk`
    // (switch and re-cache as any segment). Segments that started before `chunk` must stay as
    // they were, so that continuing with the final schedule replays the prompts the run used.
    std::function<void(int64_t chunk)> beforeChunk;
    StepHook onStep; // every denoising step of every generated block
    // Asked before each generated block (chunk index, its first latent frame, its frames): a
    // hook for the block's denoising calls (VACE's hints) or null; the cache passes run without
    // (spec vace.md §6.5: the cached keys stay hint-free).
    std::function<models::DitBlockHook*(int64_t chunk, int64_t startFrame, int64_t frames)>
        blockHook;
    // Continue or regenerate: blocks before fromChunk are not denoised but taken from
    // keptLatents, a previous result's latents ([B, >= F0 + their frames, C, H, W]; the first
    // F0 frames are not read, the context comes from initialLatent) and replayed with exactly
    // the calls the original run made after denoising them (cache pass, prompt switches,
    // re-caches), so the caches are bit for bit those of the original run at chunk fromChunk.
    // The blocks from fromChunk on then equal the original run's when `draws` gives the same
    // noise for the same (frame, step), whatever was drawn before (a keyed source).
    int64_t fromChunk = 0;
    at::Tensor keptLatents;
    // False: result.latents stays undefined, for a caller that takes each block through
    // onChunk (the engine), so memory stays flat however long the run.
    bool collectLatents = true;
};

struct GenerateResult {
    at::Tensor latents; // [B, F0 + F, C, H, W]; frames past framesDone are zero (undefined
                        // without collectLatents)
    int64_t framesDone = 0;
    int64_t chunksDone = 0; // blocks whose latents are final (kept or generated)
    bool cancelled = false;
};

// One whole run as the reference pipeline does it: reset, initial latents as context (one
// frame alone first when it is independent, then blocks), then every block of noise. With a
// prompt schedule, at the first block of each later segment: the new prompt, then recache()
// when the segment asks for it. A cancelled run resumes exactly with fromChunk = chunksDone
// and keptLatents = latents, on this generator or any other of the same options.
GenerateResult generate(CausalGenerator& generator, const GenerateRequest& request);

} // namespace sfs::inference::pipeline
