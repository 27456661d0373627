#pragma once
// The causal Wan2.1 text-to-video DiT of Self-Forcing (CausalWanModel), written functionally on
// ATen. Every formula, name and precision island follows shared/spec/dit-and-pipeline.md §1-3
// and §9; the KV-cache index arithmetic lives in pipeline/kv_cache.h, which hands the model a
// KvWritePlan per call.
//
// Layouts: latents in and flow out use the pipeline layout [B, F, C, H, W]. Caches are
// head-major, [B, heads, rows, head_dim], so a window of rows is a cheap strided view that
// attention kernels take as is.

#include "io/weights.h"

#include <sfs/inference/model_config.h>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sfs::inference::models {

// The configuration and its parameter list: sfs/inference/model_config.h.
using inference::DitConfig;

// Seeded random weights for any config: DitConfig::parameters() drawn by drawRandomWeights
// (models/parameters.h), the law of the golden fixtures, in float32 on the CPU and then
// converted, so a seed gives the same model on every device.
io::Weights makeRandomDitWeights(const DitConfig& config, uint64_t seed, at::ScalarType dtype,
                                 c10::Device device = c10::Device(c10::kCPU));

// Per-layer key/value storage, [B, heads, rows, head_dim] in the compute dtype.
struct LayerKv {
    at::Tensor k;
    at::Tensor v;
};

// What one model call does to every layer's self-attention cache (same for all layers).
struct KvWritePlan {
    int64_t moveFrom = 0;    // rolling: rows [moveFrom, moveFrom + moveCount) shift down
    int64_t moveTo = 0;      //          to rows [moveTo, moveTo + moveCount)
    int64_t moveCount = 0;   // 0: nothing moves
    int64_t writeBegin = 0;  // the call's tokens go to rows [writeBegin, writeBegin + tokens)
    int64_t attendBegin = 0; // queries attend over rows [attendBegin, attendEnd)
    int64_t attendEnd = 0;
    // Cache-relative RoPE: after the move, the keys of rows [rebaseBegin, rebaseBegin +
    // rebaseCount) (rows the call does not write) rotate back by rebaseFrames frames.
    int64_t rebaseBegin = 0;
    int64_t rebaseCount = 0; // 0: no re-base
    int64_t rebaseFrames = 0;
};

// The caches one call reads and writes.
struct DitCallCaches {
    std::vector<LayerKv>* self = nullptr; // one per layer
    KvWritePlan plan;
    const std::vector<LayerKv>* cross = nullptr; // one per layer, filled by fillCrossAttention
};

// What every block of one call shares (DitModel::callState). Blocks that run beside the main
// ones (VACE, models/wan_vace.h) take the same modulation, RoPE and token grid.
struct DitCallState {
    at::Tensor tokens; // [B, L, C] the patch-embedded latents (a fresh tensor)
    at::Tensor e;      // [B, Ft, C] time embedding (the head's modulation)
    at::Tensor e0;     // [B, Ft, 6, C] the blocks' modulation
    // [L, headDim / 2] complex64 RoPE table of the tokens, cos + i·sin of their angles
    // (DitModel::ropeTable; shared with later calls of the same geometry: read only).
    at::Tensor rope;
    int64_t frames = 0, height = 0, width = 0; // token grid: L = frames · height · width
};

// A hook into one call's block loop (VACE's hint injection): beforeBlocks sees the call's
// state before the first block, afterBlock each block's output, which it may change in place.
class DitBlockHook {
public:
    virtual ~DitBlockHook() = default;
    virtual void beforeBlocks(const DitCallState& state) = 0;
    virtual void afterBlock(int64_t layer, at::Tensor& x) = 0;
};

class BoundParameters;

// Where a reduced-precision (bf16/fp16) run still computes in float32 or float64, as the
// reference does (spec §6.6, §9; docs/architecture.md "Device and precision"). Only the
// precision-island test turns one off, to show that its comparison notices.
enum class PrecisionIsland : unsigned {
    TimeSinusoid = 1u << 0, // φ of the time embedding in float64, then rounded
};

enum class DitOutput {
    Flow,   // the flow prediction
    KvOnly, // only the cache writes matter (clean-context pass): the last layer's attention
            // and FFN and the head are skipped, and the call returns an undefined tensor
};

class DitModel {
public:
    // Takes the weights it needs (shape-checked against the config); any weight the config
    // does not explain is an error, so a wrong config or a truncated conversion is caught.
    // Weight merges (LoRA) happen before this, in `weights`: bindLayer fuses q, k and v of
    // every self-attention it binds (these blocks, and VACE's) into one matrix
    // (fuseProjections) from what it is given.
    DitModel(DitConfig config, const io::Weights& weights);

    const DitConfig& config() const { return m_config; }
    at::ScalarType dtype() const { return m_dtype; }
    c10::Device device() const { return m_device; }

    // One call. latents [B, F, inDim, H, W] (pipeline layout, compute dtype); timestep [B, Ft]
    // with F divisible by Ft (float32; Ft = 1 means one time embedding for the whole call);
    // ropeFrame is the RoPE position of latents[:, 0]: its absolute latent frame in the
    // reference, KvStep::ropeFrame of the cache's plan in general. Returns the
    // flow [B, F, outDim, H, W] in the compute dtype.
    // `hook`, when given, sees the state before the first block and every block's output.
    at::Tensor forward(const at::Tensor& latents, const at::Tensor& timestep, int64_t ropeFrame,
                       DitCallCaches& caches, DitOutput output = DitOutput::Flow,
                       DitBlockHook* hook = nullptr) const;

    // Text embedding of a prompt and every layer's cross-attention K/V, written in place into
    // `cross` (each [B, heads, textLen, head_dim]). promptEmbeds [B, Lc <= textLen, textDim]
    // is zero-padded to textLen, as the reference does.
    void fillCrossAttention(const at::Tensor& promptEmbeds, std::vector<LayerKv>& cross) const;

    // Test only: computes `island` in the compute dtype from now on (the precision test).
    void disablePrecisionIslandForTest(PrecisionIsland island) {
        m_disabledIslands |= static_cast<unsigned>(island);
    }

    // One attention's projections (the published weights); the q/k norms are undefined
    // without qk-norm. Self-attention also holds the fused forms fuseProjections() makes:
    // q, k and v are then row views of qkv.
    struct Attention {
        at::Tensor q, qb, k, kb, v, vb, o, ob, normQ, normK;
        at::Tensor qkv, qkvb; // [3C, C], [3C]: self-attention only
        at::Tensor qkNorm;    // [2, C] float32 (normQ; normK), or [1, C] (normQ) for cross
    };
    // One block's weights (WanAttentionBlock).
    struct Layer {
        at::Tensor modulation;
        Attention self;
        at::Tensor norm3w, norm3b; // undefined without cross_attn_norm
        Attention cross;
        at::Tensor ffn0, ffn0b, ffn2, ffn2b;
    };

    // The block of this model's shapes under `prefix` ("blocks.3.", "vace_blocks.0."), so
    // add-on blocks (VACE) are the same block as the main ones, fused (fuseProjections) the
    // same way.
    Layer bindLayer(const BoundParameters& params, const std::string& prefix) const;
    // The call's shared state: patch embedding, time embedding, RoPE table from ropeFrame.
    DitCallState callState(const at::Tensor& latents, const at::Tensor& timestep,
                           int64_t ropeFrame) const;
    // One block on x ([B, L, C], updated in place). Self-attention writes this call's keys
    // and values into `self` by `plan` and attends over the plan's rows; `cross` is the
    // block's text K/V (crossKv). kvOnly: only the cache write, x is left as it was.
    void runLayer(const Layer& p, at::Tensor& x, const DitCallState& state, LayerKv& self,
                  const KvWritePlan& plan, const LayerKv& cross, bool kvOnly = false) const;
    // The prompt through text_embedding, zero-padded to textLen: [B, textLen, C].
    at::Tensor embedText(const at::Tensor& promptEmbeds) const;
    // A block's cross-attention K/V ([B, heads, textLen, head_dim]) of embedded text.
    LayerKv crossKv(const Layer& p, const at::Tensor& text) const;
    // The RoPE table of a call of `frames` latent frames from ropeFrame on, on a token grid of
    // h x w ([L, D/2] complex64). The last one is kept and handed out again (read only) while
    // calls keep that geometry; a CUDA graph of a call names it by address.
    at::Tensor ropeTable(int64_t ropeFrame, int64_t frames, int64_t h, int64_t w) const;

private:
    void fuseProjections(Layer& layer) const;
    bool island(PrecisionIsland i) const {
        return (m_disabledIslands & static_cast<unsigned>(i)) == 0;
    }
    // LayerNorm of x [B, L, C] (weight and bias undefined: none); a reduced dtype's in
    // float32 (returned in float32, for the caller to round once).
    at::Tensor layerNorm(const at::Tensor& x, const at::Tensor& weight,
                         const at::Tensor& bias) const;
    // LN(x) ⊙ (1 + scale) + shift in the compute dtype; shift, scale [B, Ft, 1, C] per group
    // of L / Ft tokens.
    at::Tensor modulatedNorm(const at::Tensor& x, const at::Tensor& shift,
                             const at::Tensor& scale) const;
    // LN(x) with its elementwise weight and bias, in the compute dtype (norm3 before the
    // cross-attention).
    at::Tensor affineNorm(const at::Tensor& x, const at::Tensor& weight,
                          const at::Tensor& bias) const;
    // x += y ⊙ gate in place, gate [B, Ft, 1, C] per group of L / Ft tokens.
    void addGated(at::Tensor& x, const at::Tensor& y, const at::Tensor& gate) const;
    at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight) const;
    void normAndRotate(at::Tensor x, const at::Tensor& weight, const at::Tensor& rope,
                       const at::Tensor& scale) const;
    at::Tensor selfAttention(const at::Tensor& a, const Layer& p, LayerKv& cache,
                             const KvWritePlan& plan, const at::Tensor& rope, bool kvOnly) const;
    at::Tensor crossAttention(const at::Tensor& a, const Layer& p, const LayerKv& cache) const;

    DitConfig m_config;
    at::ScalarType m_dtype;
    c10::Device m_device = c10::Device(c10::kCPU);
    at::Tensor m_patchW, m_patchB;
    at::Tensor m_text0, m_text0b, m_text2, m_text2b;
    at::Tensor m_time0, m_time0b, m_time2, m_time2b;
    at::Tensor m_timeProj, m_timeProjb;
    at::Tensor m_headModulation, m_head, m_headb;
    std::vector<Layer> m_layers;
    // RoPE inverse frequencies (float64) of the frame axis and of the shared row/column axis.
    at::Tensor m_invFreqT, m_invFreqS;
    // Per-projection multipliers of the stacked q/k (and cross q) rows: the attention scale
    // rides on q where the attention takes pre-scaled queries.
    at::Tensor m_qkScale, m_qScale;
    unsigned m_disabledIslands = 0;
    // The last call's RoPE table ([L, D/2] complex64), reused while the geometry stays:
    // every layer of a call, every step of a chunk, every chunk of a full window.
    struct RopeKey {
        int64_t frame = -1, frames = 0, h = 0, w = 0;
        bool operator==(const RopeKey& o) const {
            return frame == o.frame && frames == o.frames && h == o.h && w == o.w;
        }
    };
    mutable std::mutex m_ropeMutex;
    mutable RopeKey m_ropeKey;
    mutable at::Tensor m_rope;
};

// Applies a plan to one layer's cache: the rolling move (in pieces no longer than the shift,
// so no temporary is needed), then the call's keys and values ([B, heads, tokens, head_dim])
// into their rows.
void writeKv(LayerKv& cache, const KvWritePlan& plan, const at::Tensor& k, const at::Tensor& v);

// Rotates stored keys [B, heads, rows, head_dim] in place by `frames` latent frames on the
// frame axis of RoPE (the first D - 4·⌊D/6⌋ channels; rows and columns stay): a key rotated
// for frame p becomes the key of frame p + frames, up to one rounding to the keys' dtype.
void rotateKeyFrames(at::Tensor keys, int64_t frames);

// softmax(q kᵀ / sqrt(d)) v for q [B, N, Lq, d], k and v [B, N, Lk, d]: LibTorch's
// scaled_dot_product_attention from 2.0 on, exactAttention before.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v);
// The math itself, in pieces of query rows whose score matrix stays under scoreBudgetBytes
// (in the CPU's caches). q kᵀ and p v are products in the compute dtype (float32
// accumulation); the softmax runs in float32 inside its kernel. `scale` multiplies the
// scores: 0 means 1/sqrt(d), 1 is for queries that carry the scale already. The loop over
// heads: one 2-D product per head on the CPU (what oneDNN's bf16 GEMM takes without copies),
// all heads in one batched product on a GPU. Returns a [B, N, Lq, d] view of a token-major
// [B, Lq, N, d] tensor.
enum class AttentionLoop { ByDevice, PerHead, Batched };
at::Tensor exactAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          int64_t scoreBudgetBytes = int64_t(16) << 20, double scale = 0,
                          AttentionLoop loop = AttentionLoop::ByDevice);

} // namespace sfs::inference::models
