#include "pipeline/kv_cache.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sfs::inference::pipeline {

namespace {
std::string n(int64_t v) {
    return std::to_string(v);
}

uint64_t bytesOf(const std::vector<models::LayerKv>& layers) {
    uint64_t total = 0;
    for (const auto& l : layers) {
        total += static_cast<uint64_t>(l.k.numel() * l.k.element_size());
        total += static_cast<uint64_t>(l.v.numel() * l.v.element_size());
    }
    return total;
}
} // namespace

KvStep planKvStep(const KvIndices& now, const KvGeometry& g, int64_t start, int64_t count) {
    if (count <= 0 || start < 0) {
        throw std::invalid_argument("KV cache: a call needs a positive token count at a "
                                    "non-negative position");
    }
    const int64_t end = start + count;
    const int64_t grown = end - now.globalEnd; // new tokens beyond everything written so far
    KvStep step;
    int64_t localEnd = 0;
    int64_t survivors = now.localEnd - g.sinkTokens; // old non-sink rows left after the move
    int64_t evict = 0;
    if (g.rolling && end > now.globalEnd && count + now.localEnd > g.capacity) {
        evict = count + now.localEnd - g.capacity;
        const int64_t keep = now.localEnd - evict - g.sinkTokens;
        if (keep < 0) {
            throw std::invalid_argument(
                "KV cache: a window of " + n(g.capacity) + " tokens with " + n(g.sinkTokens) +
                " sink tokens cannot take a call of " + n(count) +
                " tokens (the window must hold the sink frames plus one block)");
        }
        step.plan.moveFrom = g.sinkTokens + evict;
        step.plan.moveTo = g.sinkTokens;
        step.plan.moveCount = keep;
        survivors = keep;
        localEnd = now.localEnd + grown - evict;
    } else {
        localEnd = now.localEnd + grown;
    }
    if (localEnd > g.capacity || localEnd - count < 0) {
        throw std::invalid_argument(
            "KV cache: a call of " + n(count) + " tokens at token " + n(start) + " does not fit " +
            (g.rolling ? "the rolling window" : "the global cache") + " of " + n(g.capacity) +
            " tokens" + (g.rolling ? "" : " (use a local attention window for longer videos)"));
    }
    step.plan.writeBegin = localEnd - count;
    step.plan.attendBegin = std::max<int64_t>(0, localEnd - g.capacity);
    step.plan.attendEnd = localEnd;

    // RoPE positions. Absolute: the call's latent frame. Cache-relative: its rows' frame; the
    // old window rows then sit `shift` tokens below the rows their keys were rotated for
    // (the eviction, plus at the switch from absolute the evictions before it), so they are
    // rotated back by that many frames. Sink rows always hold frames 0..S-1 at rows 0..S-1.
    const int64_t tpf = g.tokensPerFrame;
    const int64_t firstFrame = start / tpf, frames = count / tpf;
    const bool fitsTable = firstFrame + frames <= g.ropeFrames;
    if (g.positions == RopePositions::Absolute && !fitsTable) {
        throw std::invalid_argument(
            "KV cache: latent frames " + n(firstFrame) + "-" + n(firstFrame + frames - 1) +
            " reach past the RoPE table of " + n(g.ropeFrames) +
            " positions (the reference's limit); longer takes need cache-relative positions");
    }
    const bool relative = now.relative || g.positions == RopePositions::CacheRelative ||
                          (g.positions == RopePositions::Auto && !fitsTable);
    step.ropeFrame = relative ? step.plan.writeBegin / tpf : firstFrame;
    if (relative) {
        if (localEnd / tpf > g.ropeFrames) {
            throw std::invalid_argument("KV cache: a cache of " + n(localEnd / tpf) +
                                        " frames does not fit the RoPE table of " +
                                        n(g.ropeFrames) + " positions");
        }
        const int64_t shift = evict + (now.relative ? 0 : now.globalEnd - now.localEnd);
        const int64_t rebased =
            std::min(g.sinkTokens + survivors, step.plan.writeBegin) - g.sinkTokens;
        if (shift > 0 && rebased > 0) {
            step.plan.rebaseBegin = g.sinkTokens;
            step.plan.rebaseCount = rebased;
            step.plan.rebaseFrames = shift / tpf;
        }
    }
    step.next = {end, localEnd, relative};
    return step;
}

AttentionPlan planAttention(int64_t requestedFrames, int64_t windowFrames, int64_t sinkFrames,
                            int64_t trainedFrames, int64_t framesPerBlock, int64_t ropeFrames) {
    if (requestedFrames <= 0 || framesPerBlock <= 0) {
        throw std::invalid_argument("attention: the take and its blocks need a positive number "
                                    "of latent frames");
    }
    if (trainedFrames <= 0 || trainedFrames > ropeFrames) {
        throw std::invalid_argument("attention: the model's trained context of " +
                                    n(trainedFrames) +
                                    " frames must be positive and fit the "
                                    "RoPE table of " +
                                    n(ropeFrames));
    }
    if (windowFrames == 0 || windowFrames < -1) {
        throw std::invalid_argument("attention: the window must be -1 (full context) or a "
                                    "positive number of latent frames, got " +
                                    n(windowFrames));
    }
    if (sinkFrames < 0) {
        throw std::invalid_argument("attention: sink frames must not be negative, got " +
                                    n(sinkFrames));
    }
    AttentionPlan plan;
    if (windowFrames == -1 && requestedFrames <= trainedFrames) {
        plan.capacityFrames = requestedFrames;
        return plan;
    }
    int64_t window = windowFrames;
    if (windowFrames == -1) {
        window = trainedFrames;
        plan.warning = "a take of " + n(requestedFrames) +
                       " latent frames is longer than the model's trained context of " +
                       n(trainedFrames) + ": full context switches to a rolling window of " +
                       n(trainedFrames) + " frames with " + n(sinkFrames) +
                       " sink frames (the first " + n(trainedFrames) +
                       " frames are the same as with full context)";
    } else if (windowFrames > trainedFrames) {
        window = trainedFrames;
        plan.warning = "the window of " + n(windowFrames) +
                       " latent frames is wider than the model's trained context of " +
                       n(trainedFrames) + ": using " + n(trainedFrames);
    }
    if (sinkFrames + framesPerBlock > window) {
        throw std::invalid_argument("attention: a window of " + n(window) +
                                    " latent frames cannot hold " + n(sinkFrames) +
                                    " sink frames plus a block of " + n(framesPerBlock));
    }
    plan.windowFrames = window;
    plan.sinkFrames = sinkFrames;
    plan.capacityFrames = window;
    return plan;
}

KvCache::KvCache(const KvCacheOptions& o) : m_options(o) {
    if (o.layers <= 0 || o.batch <= 0 || o.heads <= 0 || o.headDim <= 0 || o.tokensPerFrame <= 0) {
        throw std::invalid_argument("KV cache: layers, batch, heads, head dim and tokens per "
                                    "frame must be positive");
    }
    m_geometry.rolling = o.localAttnFrames != -1;
    if (m_geometry.rolling) {
        if (o.localAttnFrames <= 0) {
            throw std::invalid_argument("KV cache: the local attention window must be -1 "
                                        "(global) or a positive number of frames, got " +
                                        n(o.localAttnFrames));
        }
        if (o.sinkFrames < 0 || o.sinkFrames >= o.localAttnFrames) {
            throw std::invalid_argument("KV cache: " + n(o.sinkFrames) +
                                        " sink frames do not fit a window of " +
                                        n(o.localAttnFrames) + " frames");
        }
        m_geometry.capacity = o.localAttnFrames * o.tokensPerFrame;
        m_geometry.sinkTokens = o.sinkFrames * o.tokensPerFrame;
    } else {
        if (o.capacityFrames <= 0) {
            throw std::invalid_argument("KV cache: a global cache needs a positive capacity");
        }
        m_geometry.capacity = o.capacityFrames * o.tokensPerFrame;
    }
    if (o.ropeFrames <= 0) {
        throw std::invalid_argument("KV cache: the RoPE table needs a positive length");
    }
    m_geometry.tokensPerFrame = o.tokensPerFrame;
    m_geometry.positions = o.positions;
    m_geometry.ropeFrames = o.ropeFrames;
    const auto opts = at::TensorOptions().dtype(o.dtype).device(o.device);
    m_layers.reserve(static_cast<size_t>(o.layers));
    for (int64_t i = 0; i < o.layers; ++i) {
        m_layers.push_back({at::zeros({o.batch, o.heads, m_geometry.capacity, o.headDim}, opts),
                            at::zeros({o.batch, o.heads, m_geometry.capacity, o.headDim}, opts)});
    }
}

KvStep KvCache::plan(int64_t startFrame, int64_t frames) const {
    return planKvStep(m_indices, m_geometry, startFrame * m_options.tokensPerFrame,
                      frames * m_options.tokensPerFrame);
}

int64_t KvCache::firstRewritableFrame() const {
    const int64_t t = m_options.tokensPerFrame;
    // Rows past the sink hold consecutive frames ending at the newest one.
    const int64_t sinkRows = std::min(m_geometry.sinkTokens, m_indices.localEnd);
    return (m_indices.globalEnd - (m_indices.localEnd - sinkRows)) / t;
}

KvStep KvCache::planRewrite(int64_t startFrame, int64_t frames) const {
    const int64_t t = m_options.tokensPerFrame;
    const int64_t first = firstRewritableFrame();
    const int64_t end = m_indices.globalEnd / t;
    if (frames <= 0 || startFrame < first || startFrame + frames > end) {
        throw std::invalid_argument("KV cache: frames " + n(startFrame) + "-" +
                                    n(startFrame + frames - 1) +
                                    " are not rewritable; the cache holds frames " + n(first) +
                                    "-" + n(end - 1) + " outside its sink");
    }
    const int64_t rowOffset = m_indices.globalEnd - m_indices.localEnd; // token -> row
    KvStep step;
    step.plan.writeBegin = startFrame * t - rowOffset;
    step.plan.attendBegin = 0;
    step.plan.attendEnd = (startFrame + frames) * t - rowOffset;
    step.next = m_indices;
    // The position the frames were written with (planKvStep's rule): their row once positions
    // are cache-relative, their absolute frame before.
    step.ropeFrame = m_indices.relative ? step.plan.writeBegin / t : startFrame;
    return step;
}

at::Tensor KvCache::keys(size_t layer) const {
    return m_layers.at(layer).k.narrow(2, 0, m_indices.localEnd).transpose(1, 2);
}

at::Tensor KvCache::values(size_t layer) const {
    return m_layers.at(layer).v.narrow(2, 0, m_indices.localEnd).transpose(1, 2);
}

uint64_t KvCache::bytes() const {
    return bytesOf(m_layers);
}

CrossAttnCache::CrossAttnCache(int64_t layers, int64_t batch, int64_t heads, int64_t textLen,
                               int64_t headDim, at::ScalarType dtype, c10::Device device) {
    const auto opts = at::TensorOptions().dtype(dtype).device(device);
    for (int64_t i = 0; i < layers; ++i) {
        m_layers.push_back({at::zeros({batch, heads, textLen, headDim}, opts),
                            at::zeros({batch, heads, textLen, headDim}, opts)});
    }
}

uint64_t CrossAttnCache::bytes() const {
    return bytesOf(m_layers);
}

} // namespace sfs::inference::pipeline
