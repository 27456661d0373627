#pragma once
// The DiT's caches (spec §4.2-4.4): per layer a self-attention K/V cache, preallocated once,
// either global (one row per token of the video) or a rolling local window whose first
// `sink` frames are never evicted; and per layer the cross-attention K/V of the prompt.
//
// The indices live on the host (the reference keeps them in device tensors and reads them
// back every layer); the model gets one KvWritePlan per call that is the same for all layers.

#include "models/wan_dit.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sfs::inference::pipeline {

// The RoPE position (latent frame, spec §3.9) a token is rotated with. Keys are stored rotated,
// so the rule decides what the cache holds (docs/architecture.md, "Long takes").
enum class RopePositions {
    // The reference: a token's latent frame in the video. Sink keys drift away from the window
    // as the take grows, and a call reaching past the RoPE table is an error.
    Absolute,
    // The frame of the token's cache row: sink frames at 0..S-1, the window right after them.
    // When the window rolls, the surviving keys are re-based (rotated back by the frames they
    // moved). Equals Absolute bit for bit until the first eviction; never leaves the table.
    CacheRelative,
    // Absolute while a call fits the table, CacheRelative from the first call that does not
    // (the stored window keys are re-based once then). Equals Absolute for every take that
    // fits the table; what the engine uses.
    Auto,
};

struct KvIndices {
    int64_t globalEnd = 0; // absolute token one past the last written token
    int64_t localEnd = 0;  // cache row one past the last written row
    bool relative = false; // stored keys are rotated at their rows' frames (CacheRelative)
};

struct KvGeometry {
    int64_t capacity = 0;   // rows
    int64_t sinkTokens = 0; // rows at the start that rolling never evicts
    bool rolling = false;   // local attention window (else global: rows = absolute tokens)
    int64_t tokensPerFrame = 1;
    RopePositions positions = RopePositions::Absolute;
    int64_t ropeFrames = 1024; // positions of the RoPE table (spec §3.9)
};

struct KvStep {
    models::KvWritePlan plan;
    KvIndices next;
    int64_t ropeFrame = 0; // RoPE position of the call's first frame
};

// The update rule of §4.2 for a call of `count` tokens starting at absolute token `start`:
// a call that ends beyond everything written so far and does not fit evicts the oldest
// non-sink rows (shifting the rest down); a call for tokens already written (the denoising
// steps and the cache pass of a block) overwrites the same rows. The RoPE rule of
// `geometry.positions` gives the call's position and, once positions are cache-relative, the
// re-base of the surviving window rows. Throws std::invalid_argument when the call cannot fit
// (a global cache too small, a window smaller than sink + call) or a position would leave the
// RoPE table.
KvStep planKvStep(const KvIndices& now, const KvGeometry& geometry, int64_t start, int64_t count);

// What the engine runs for a take of `requestedFrames` latent frames: full context
// (windowFrames = -1) only while the take fits the model's trained context, otherwise a
// rolling window of trainedFrames (the first trainedFrames frames are then the same as with
// full context); a window wider than the trained context is narrowed to it. Each change is
// explained in `warning`. Throws std::invalid_argument (naming the setting) for a window that
// cannot hold the sink plus one block or does not fit the RoPE table.
struct AttentionPlan {
    int64_t windowFrames = -1;  // -1: full context (global cache)
    int64_t sinkFrames = 0;     // 0 with full context
    int64_t capacityFrames = 0; // rows of the KV cache in latent frames
    RopePositions positions = RopePositions::Auto;
    std::string warning; // empty when the request runs as asked
};
AttentionPlan planAttention(int64_t requestedFrames, int64_t windowFrames, int64_t sinkFrames,
                            int64_t trainedFrames, int64_t framesPerBlock,
                            int64_t ropeFrames = 1024);

struct KvCacheOptions {
    int64_t layers = 0;
    int64_t batch = 1;
    int64_t heads = 0;
    int64_t headDim = 0;
    int64_t tokensPerFrame = 0;
    int64_t capacityFrames = 0;   // global attention: the most latent frames a video may hold
    int64_t localAttnFrames = -1; // rolling window in latent frames; -1 = global
    int64_t sinkFrames = 0;       // frames at the start of a rolling window never evicted
    RopePositions positions = RopePositions::Absolute;
    int64_t ropeFrames = 1024; // positions of the RoPE table (spec §3.9)
    at::ScalarType dtype = at::kFloat;
    c10::Device device = c10::Device(c10::kCPU);
};

class KvCache {
public:
    // Allocates every layer's K and V once ([B, heads, rows, head_dim]); throws
    // std::invalid_argument on inconsistent options.
    explicit KvCache(const KvCacheOptions& options);

    // A new video: indices back to 0. Contents stay; rows past localEnd are never read.
    void reset() { m_indices = {}; }

    // The plan for a call of `frames` latent frames starting at absolute frame `startFrame`.
    KvStep plan(int64_t startFrame, int64_t frames) const;
    void commit(const KvStep& step) { m_indices = step.next; }
    // The plan for writing again, in place, `frames` frames from `startFrame` that the cache
    // holds outside its sink rows (a re-cache): the call writes their rows and attends over the
    // rows up to them; the indices stay. Throws std::invalid_argument for frames it does not
    // hold or sink frames.
    KvStep planRewrite(int64_t startFrame, int64_t frames) const;
    // The absolute frame held in the first row after the sink (the oldest rewritable frame).
    int64_t firstRewritableFrame() const;

    std::vector<models::LayerKv>& layers() { return m_layers; }
    const std::vector<models::LayerKv>& layers() const { return m_layers; }
    const KvIndices& indices() const { return m_indices; }
    const KvGeometry& geometry() const { return m_geometry; }
    const KvCacheOptions& options() const { return m_options; }

    // The filled rows of a layer in the reference layout [B, rows, heads, head_dim] (views).
    at::Tensor keys(size_t layer) const;
    at::Tensor values(size_t layer) const;
    // Bytes held by all layers' K and V.
    uint64_t bytes() const;

private:
    KvCacheOptions m_options;
    KvGeometry m_geometry;
    KvIndices m_indices;
    std::vector<models::LayerKv> m_layers;
};

// Per layer the prompt's cross-attention K/V ([B, heads, textLen, head_dim]), preallocated;
// a prompt change refills it in place.
class CrossAttnCache {
public:
    CrossAttnCache(int64_t layers, int64_t batch, int64_t heads, int64_t textLen, int64_t headDim,
                   at::ScalarType dtype, c10::Device device);

    std::vector<models::LayerKv>& layers() { return m_layers; }
    const std::vector<models::LayerKv>& layers() const { return m_layers; }
    bool valid() const { return m_valid; }
    void setValid(bool valid) { m_valid = valid; }
    uint64_t bytes() const;

private:
    std::vector<models::LayerKv> m_layers;
    bool m_valid = false;
};

} // namespace sfs::inference::pipeline
