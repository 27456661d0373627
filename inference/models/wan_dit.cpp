#include "models/wan_dit.h"

#include "io/safetensors.h"
#include "models/parameters.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/StringUtil.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sfs::inference::models {

namespace {

[[noreturn]] void badInput(const std::string& what) {
    throw std::invalid_argument("DiT: " + what);
}

// The sinusoid of §3.2 in float64: [cos(t·ω_j)..., sin(t·ω_j)...], ω_j = 10000^(-j/half).
at::Tensor timeSinusoid(int64_t freqDim, const at::Tensor& t) {
    const int64_t half = freqDim / 2;
    const at::Tensor position = t.to(at::kDouble);
    const at::Tensor omega = at::pow(10000.0, at::arange(half, position.options()).neg().div(half));
    const at::Tensor angles = at::outer(position, omega);
    return at::cat({at::cos(angles), at::sin(angles)}, 1);
}

// 1 / 10000^(2k/d) for k < d/2, float64 (one RoPE axis of §3.9).
at::Tensor ropeInverseFrequencies(int64_t axisDim, c10::Device device) {
    const auto opts = at::TensorOptions().dtype(at::kDouble).device(device);
    return at::reciprocal(at::pow(10000.0, at::arange(0, axisDim, 2, opts).div(axisDim)));
}

// The frame-axis channels of RoPE for a head dim D (§3.9): D - 4·⌊D/6⌋.
int64_t ropeFrameChannels(int64_t headDim) {
    return headDim - 4 * (headDim / 6);
}

// Shifts `count` rows (dim 2) from `from` down to `to` in pieces no longer than the shift,
// so no piece overlaps its own source and no temporary is needed.
void moveRows(at::Tensor& cache, int64_t from, int64_t to, int64_t count) {
    const int64_t shift = from - to;
    for (int64_t done = 0; done < count; done += shift) {
        const int64_t n = std::min(shift, count - done);
        cache.narrow(2, to + done, n).copy_(cache.narrow(2, from + done, n));
    }
}

} // namespace

io::Weights makeRandomDitWeights(const DitConfig& config, uint64_t seed, at::ScalarType dtype,
                                 c10::Device device) {
    return drawRandomWeights(config, seed, dtype, device, "DiT");
}

// ---------------------------------------------------------------------------------------------
// Attention

at::Tensor exactAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                          int64_t scoreBudgetBytes) {
    const int64_t b = q.size(0), n = q.size(1), lq = q.size(2), lk = k.size(2);
    const int64_t bn = b * n, dv = v.size(-1);
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const bool reduced = q.scalar_type() != at::kFloat && q.scalar_type() != at::kDouble;
    // Heads flattened; cache windows are [B, N, rows, d] views whose first two dims merge.
    const at::Tensor q3 = q.reshape({bn, lq, q.size(-1)});
    const at::Tensor k3 = k.reshape({bn, lk, k.size(-1)});
    const at::Tensor v3 = v.reshape({bn, lk, dv});
    auto piece = [&](int64_t h0, int64_t hn, int64_t r0, int64_t rn) {
        at::Tensor qp = q3.narrow(0, h0, hn).narrow(1, r0, rn);
        at::Tensor kp = k3.narrow(0, h0, hn);
        if (reduced) {
            qp = qp.to(at::kFloat);
            kp = kp.to(at::kFloat);
        }
        at::Tensor scores = at::matmul(qp, kp.transpose(-2, -1));
        scores.mul_(scale);
        const at::Tensor probs = at::softmax(scores, -1);
        return at::matmul(reduced ? probs.to(q.scalar_type()) : probs, v3.narrow(0, h0, hn));
    };
    const int64_t rowBytes = lk * static_cast<int64_t>(sizeof(float)); // one query, one head
    if (bn * lq * rowBytes <= scoreBudgetBytes) {
        return piece(0, bn, 0, lq).view({b, n, lq, dv});
    }
    at::Tensor out = at::empty({bn, lq, dv}, v.options());
    const int64_t headsPerPiece = scoreBudgetBytes / (lq * rowBytes);
    if (headsPerPiece >= 1) {
        for (int64_t h0 = 0; h0 < bn; h0 += headsPerPiece) {
            const int64_t hn = std::min(headsPerPiece, bn - h0);
            out.narrow(0, h0, hn).copy_(piece(h0, hn, 0, lq));
        }
    } else {
        const int64_t rows = std::max<int64_t>(1, scoreBudgetBytes / rowBytes);
        for (int64_t h = 0; h < bn; ++h) {
            for (int64_t r0 = 0; r0 < lq; r0 += rows) {
                const int64_t rn = std::min(rows, lq - r0);
                out.narrow(0, h, 1).narrow(1, r0, rn).copy_(piece(h, 1, r0, rn));
            }
        }
    }
    return out.view({b, n, lq, dv});
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v) {
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v);
#else
    // Pieces the CPU heap can reuse; on a GPU large ones, so kernels stay big.
    return exactAttention(q, k, v, q.is_cuda() ? int64_t(512) << 20 : int64_t(16) << 20);
#endif
}

void rotateKeyFrames(at::Tensor keys, int64_t frames) {
    const int64_t d = keys.size(3);
    const at::Tensor angles = ropeInverseFrequencies(ropeFrameChannels(d), keys.device())
                                  .mul(static_cast<double>(frames));
    const at::Tensor cos = at::cos(angles), sin = at::sin(angles);
    const int64_t pairs = cos.size(0);
    at::Tensor part = keys.narrow(3, 0, 2 * pairs);
    const at::Tensor x64 = part.to(at::kDouble)
                               .contiguous()
                               .view({keys.size(0), keys.size(1), keys.size(2), pairs, 2});
    const at::Tensor re = x64.select(-1, 0), im = x64.select(-1, 1);
    const at::Tensor out = at::stack({re * cos - im * sin, re * sin + im * cos}, -1);
    part.copy_(out.view({keys.size(0), keys.size(1), keys.size(2), 2 * pairs}));
}

void writeKv(LayerKv& cache, const KvWritePlan& plan, const at::Tensor& k, const at::Tensor& v) {
    if (plan.moveCount > 0) {
        moveRows(cache.k, plan.moveFrom, plan.moveTo, plan.moveCount);
        moveRows(cache.v, plan.moveFrom, plan.moveTo, plan.moveCount);
    }
    cache.k.narrow(2, plan.writeBegin, k.size(2)).copy_(k);
    cache.v.narrow(2, plan.writeBegin, v.size(2)).copy_(v);
}

// ---------------------------------------------------------------------------------------------
// Model

DitModel::DitModel(DitConfig config, const io::Weights& weights) : m_config(std::move(config)) {
    m_config.validate();
    const BoundParameters params(m_config.parameters(), weights, "DiT with " + m_config.describe());
    m_dtype = params.dtype();
    m_device = params.device();
    auto get = [&](const std::string& name) { return params[name]; };
    m_patchW = get("patch_embedding.weight");
    m_patchB = get("patch_embedding.bias");
    m_text0 = get("text_embedding.0.weight");
    m_text0b = get("text_embedding.0.bias");
    m_text2 = get("text_embedding.2.weight");
    m_text2b = get("text_embedding.2.bias");
    m_time0 = get("time_embedding.0.weight");
    m_time0b = get("time_embedding.0.bias");
    m_time2 = get("time_embedding.2.weight");
    m_time2b = get("time_embedding.2.bias");
    m_timeProj = get("time_projection.1.weight");
    m_timeProjb = get("time_projection.1.bias");
    m_headModulation = get("head.modulation");
    m_head = get("head.head.weight");
    m_headb = get("head.head.bias");
    for (int64_t i = 0; i < m_config.numLayers; ++i) {
        m_layers.push_back(bindLayer(params, "blocks." + std::to_string(i) + "."));
    }
    params.requireAllTaken();
    // RoPE split of §3.9: the frame axis gets D - 4·⌊D/6⌋ channels, rows and columns
    // 2·⌊D/6⌋ each (one shared table).
    const int64_t d = m_config.headDim();
    m_invFreqT = ropeInverseFrequencies(ropeFrameChannels(d), m_device);
    m_invFreqS = ropeInverseFrequencies(2 * (d / 6), m_device);
}

DitModel::Layer DitModel::bindLayer(const BoundParameters& params, const std::string& b) const {
    auto get = [&](const std::string& name) { return params[name]; };
    // Optional parameters (qk-norm, norm3) stay undefined when the config has none.
    auto optional = [&](bool present, const std::string& name) {
        return present ? params[name] : at::Tensor();
    };
    auto attention = [&](const std::string& prefix) {
        Attention a;
        a.q = get(prefix + "q.weight");
        a.qb = get(prefix + "q.bias");
        a.k = get(prefix + "k.weight");
        a.kb = get(prefix + "k.bias");
        a.v = get(prefix + "v.weight");
        a.vb = get(prefix + "v.bias");
        a.o = get(prefix + "o.weight");
        a.ob = get(prefix + "o.bias");
        a.normQ = optional(m_config.qkNorm, prefix + "norm_q.weight");
        a.normK = optional(m_config.qkNorm, prefix + "norm_k.weight");
        return a;
    };
    Layer l;
    l.modulation = get(b + "modulation");
    l.self = attention(b + "self_attn.");
    l.norm3w = optional(m_config.crossAttnNorm, b + "norm3.weight");
    l.norm3b = optional(m_config.crossAttnNorm, b + "norm3.bias");
    l.cross = attention(b + "cross_attn.");
    l.ffn0 = get(b + "ffn.0.weight");
    l.ffn0b = get(b + "ffn.0.bias");
    l.ffn2 = get(b + "ffn.2.weight");
    l.ffn2b = get(b + "ffn.2.bias");
    return l;
}

// WanRMSNorm: the statistic and the normalisation in float32, rounded to the compute dtype,
// then the weight multiply in the compute dtype (§9.4).
at::Tensor DitModel::rmsNorm(const at::Tensor& x, const at::Tensor& weight) const {
    if (!weight.defined()) {
        return x;
    }
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, true).add(m_config.eps));
    return normed.to(x.scalar_type()) * weight;
}

namespace {

// GPT-J style rotation of channel pairs (2j, 2j+1) in float64, rounded once to the input
// dtype (§3.9, §9.5). x [B, L, N, D]; cos/sin [L, D/2] float64.
at::Tensor applyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
    const int64_t b = x.size(0), l = x.size(1), n = x.size(2), d = x.size(3);
    const at::Tensor x64 = x.to(at::kDouble).view({b, l, n, d / 2, 2});
    const at::Tensor re = x64.select(-1, 0);
    const at::Tensor im = x64.select(-1, 1);
    const at::Tensor c = cos.view({1, l, 1, d / 2});
    const at::Tensor s = sin.view({1, l, 1, d / 2});
    const at::Tensor outRe = re * c - im * s;
    const at::Tensor outIm = re * s + im * c;
    return at::stack({outRe, outIm}, -1).view({b, l, n, d}).to(x.scalar_type());
}

} // namespace

at::Tensor DitModel::selfAttention(const at::Tensor& a, const Layer& p, LayerKv& cache,
                                   const KvWritePlan& plan, const at::Tensor& cos,
                                   const at::Tensor& sin, bool kvOnly) const {
    const int64_t b = a.size(0), l = a.size(1);
    const int64_t n = m_config.numHeads, d = m_config.headDim();
    const at::Tensor k = applyRope(
        rmsNorm(at::linear(a, p.self.k, p.self.kb), p.self.normK).view({b, l, n, d}), cos, sin);
    const at::Tensor v = at::linear(a, p.self.v, p.self.vb).view({b, l, n, d});
    writeKv(cache, plan, k.transpose(1, 2), v.transpose(1, 2));
    if (plan.rebaseCount > 0) { // cache-relative RoPE: surviving keys follow their rows
        rotateKeyFrames(cache.k.narrow(2, plan.rebaseBegin, plan.rebaseCount), -plan.rebaseFrames);
    }
    if (kvOnly) {
        return {};
    }
    const at::Tensor q = applyRope(
        rmsNorm(at::linear(a, p.self.q, p.self.qb), p.self.normQ).view({b, l, n, d}), cos, sin);
    const int64_t window = plan.attendEnd - plan.attendBegin;
    const at::Tensor out = attention(q.transpose(1, 2), cache.k.narrow(2, plan.attendBegin, window),
                                     cache.v.narrow(2, plan.attendBegin, window));
    return at::linear(out.transpose(1, 2).reshape({b, l, n * d}), p.self.o, p.self.ob);
}

at::Tensor DitModel::crossAttention(const at::Tensor& a, const Layer& p,
                                    const LayerKv& cache) const {
    const int64_t b = a.size(0), l = a.size(1);
    const int64_t n = m_config.numHeads, d = m_config.headDim();
    const at::Tensor q =
        rmsNorm(at::linear(a, p.cross.q, p.cross.qb), p.cross.normQ).view({b, l, n, d});
    const at::Tensor out = attention(q.transpose(1, 2), cache.k, cache.v);
    return at::linear(out.transpose(1, 2).reshape({b, l, n * d}), p.cross.o, p.cross.ob);
}

at::Tensor DitModel::embedText(const at::Tensor& promptEmbeds) const {
    c10::InferenceMode guard;
    const DitConfig& c = m_config;
    if (promptEmbeds.dim() != 3 || promptEmbeds.size(2) != c.textDim ||
        promptEmbeds.size(1) > c.textLen || promptEmbeds.size(1) == 0) {
        badInput("prompt embeddings must be [B, L <= " + std::to_string(c.textLen) + ", " +
                 std::to_string(c.textDim) + "], got " + c10::str(promptEmbeds.sizes()));
    }
    at::Tensor ctx = promptEmbeds.to(m_device, m_dtype);
    if (ctx.size(1) < c.textLen) {
        ctx = at::constant_pad_nd(ctx, {0, 0, 0, c.textLen - ctx.size(1)});
    }
    return at::linear(at::gelu(at::linear(ctx, m_text0, m_text0b), "tanh"), m_text2, m_text2b);
}

LayerKv DitModel::crossKv(const Layer& p, const at::Tensor& text) const {
    c10::InferenceMode guard;
    const int64_t b = text.size(0), len = text.size(1);
    const int64_t n = m_config.numHeads, d = m_config.headDim();
    const at::Tensor k =
        rmsNorm(at::linear(text, p.cross.k, p.cross.kb), p.cross.normK).view({b, len, n, d});
    const at::Tensor v = at::linear(text, p.cross.v, p.cross.vb).view({b, len, n, d});
    return {k.transpose(1, 2), v.transpose(1, 2)};
}

void DitModel::fillCrossAttention(const at::Tensor& promptEmbeds,
                                  std::vector<LayerKv>& cross) const {
    c10::InferenceMode guard;
    const DitConfig& c = m_config;
    if (cross.size() != m_layers.size()) {
        badInput("the cross-attention cache has " + std::to_string(cross.size()) +
                 " layers, the model " + std::to_string(m_layers.size()));
    }
    const at::Tensor ctx = embedText(promptEmbeds);
    const int64_t b = ctx.size(0);
    const int64_t n = c.numHeads, d = c.headDim();
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const std::vector<int64_t> want = {b, n, c.textLen, d};
        if (cross[i].k.sizes() != at::IntArrayRef(want) ||
            cross[i].v.sizes() != at::IntArrayRef(want) || cross[i].k.scalar_type() != m_dtype ||
            cross[i].v.scalar_type() != m_dtype || cross[i].k.device() != m_device ||
            cross[i].v.device() != m_device) {
            badInput("cross-attention cache layer " + std::to_string(i) + " is " +
                     c10::str(cross[i].k.sizes()) + " " + c10::toString(cross[i].k.scalar_type()) +
                     ", expected " + c10::str(at::IntArrayRef(want)) + " " +
                     c10::toString(m_dtype) + " on " + m_device.str());
        }
        const LayerKv kv = crossKv(m_layers[i], ctx);
        cross[i].k.copy_(kv.k);
        cross[i].v.copy_(kv.v);
    }
}

at::Tensor DitModel::forward(const at::Tensor& latents, const at::Tensor& timestep,
                             int64_t ropeFrame, DitCallCaches& caches, DitOutput output,
                             DitBlockHook* hook) const {
    c10::InferenceMode guard;
    const DitConfig& c = m_config;
    if (latents.dim() != 5 || latents.size(2) != c.inDim || latents.size(3) % c.patch[1] != 0 ||
        latents.size(4) % c.patch[2] != 0 || latents.size(0) == 0 || latents.size(1) == 0) {
        badInput("latents must be [B, F, " + std::to_string(c.inDim) + ", H, W] with H, W " +
                 "divisible by the patch size, got " + c10::str(latents.sizes()));
    }
    if (latents.scalar_type() != m_dtype || latents.device() != m_device) {
        badInput("latents must be " + std::string(c10::toString(m_dtype)) + " on " +
                 m_device.str() + " like the weights");
    }
    const int64_t b = latents.size(0), f = latents.size(1);
    const int64_t h = latents.size(3) / c.patch[1], w = latents.size(4) / c.patch[2];
    const int64_t perFrame = h * w;
    const int64_t l = f * perFrame;
    if (timestep.dim() != 2 || timestep.size(0) != b || timestep.size(1) == 0 ||
        f % timestep.size(1) != 0) {
        badInput("timestep must be [B, Ft] with B = " + std::to_string(b) +
                 " and Ft dividing the " + std::to_string(f) + " frames, got " +
                 c10::str(timestep.sizes()));
    }
    if (ropeFrame < 0) {
        badInput("negative RoPE frame");
    }
    if (caches.self == nullptr || caches.self->size() != m_layers.size() ||
        caches.cross == nullptr || caches.cross->size() != m_layers.size()) {
        badInput("a self- and a cross-attention cache with one entry per layer are required");
    }
    for (const auto* layers :
         std::initializer_list<const std::vector<LayerKv>*>{caches.self, caches.cross}) {
        for (const LayerKv& kv : *layers) {
            if (kv.k.scalar_type() != m_dtype || kv.v.scalar_type() != m_dtype ||
                kv.k.device() != m_device || kv.v.device() != m_device || kv.k.dim() != 4 ||
                kv.k.size(0) != b || kv.k.size(1) != c.numHeads || kv.k.size(3) != c.headDim()) {
                badInput("the caches must be [" + std::to_string(b) + ", " +
                         std::to_string(c.numHeads) + ", rows, " + std::to_string(c.headDim()) +
                         "] " + c10::toString(m_dtype) + " on " + m_device.str() + ", got " +
                         c10::str(kv.k.sizes()) + " " + c10::toString(kv.k.scalar_type()));
            }
        }
    }
    const KvWritePlan& plan = caches.plan;
    const int64_t rows = caches.self->front().k.size(2);
    if (plan.writeBegin < 0 || plan.writeBegin + l > rows || plan.attendBegin < 0 ||
        plan.attendBegin > plan.writeBegin || plan.attendEnd < plan.writeBegin + l ||
        plan.attendEnd > rows || plan.moveFrom + plan.moveCount > rows ||
        (plan.moveCount > 0 && plan.moveTo >= plan.moveFrom) || plan.rebaseBegin < 0 ||
        plan.rebaseCount < 0 || plan.rebaseBegin + plan.rebaseCount > plan.writeBegin) {
        badInput("the KV-cache plan does not fit the cache of " + std::to_string(rows) +
                 " rows for a call of " + std::to_string(l) + " tokens");
    }
    const DitCallState state = callState(latents, timestep, ropeFrame);
    at::Tensor x = state.tokens;
    if (hook != nullptr) {
        hook->beforeBlocks(state);
    }
    const bool kvOnly = output == DitOutput::KvOnly;
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const bool last = i + 1 == m_layers.size();
        runLayer(m_layers[i], x, state, (*caches.self)[i], plan, (*caches.cross)[i],
                 kvOnly && last);
        if (kvOnly && last) {
            return {};
        }
        if (hook != nullptr) {
            hook->afterBlock(static_cast<int64_t>(i), x);
        }
    }

    // Head (§3.7), modulated by e (not e0), then unpatchify (§3.8) into the pipeline layout.
    const int64_t ft = state.e.size(1), dim = c.dim;
    const auto hm = (m_headModulation.unsqueeze(1) + state.e.view({b, ft, 1, dim})).chunk(2, 2);
    const at::Tensor normed = at::layer_norm(x, {dim}, {}, {}, c.eps).view({b, ft, l / ft, dim});
    const at::Tensor out =
        at::linear((normed * (1 + hm[1]) + hm[0]).view({b, l, dim}), m_head, m_headb);
    const int64_t ph = c.patch[1], pw = c.patch[2], co = c.outDim;
    return out.view({b, f, h, w, ph, pw, co})
        .permute({0, 1, 6, 2, 4, 3, 5})
        .reshape({b, f, co, h * ph, w * pw});
}

DitCallState DitModel::callState(const at::Tensor& latents, const at::Tensor& timestep,
                                 int64_t ropeFrame) const {
    const DitConfig& c = m_config;
    DitCallState s;
    const int64_t b = latents.size(0), f = latents.size(1);
    const int64_t h = latents.size(3) / c.patch[1], w = latents.size(4) / c.patch[2];
    const int64_t l = f * h * w;
    const int64_t ft = timestep.size(1);
    const int64_t dim = c.dim;
    s.frames = f;
    s.height = h;
    s.width = w;

    // Patch embedding (§3.1): model layout, conv with kernel = stride = patch, then tokens.
    s.tokens = at::conv3d(latents.permute({0, 2, 1, 3, 4}), m_patchW, m_patchB,
                          {c.patch[0], c.patch[1], c.patch[2]})
                   .flatten(2)
                   .transpose(1, 2)
                   .contiguous();

    // Time embedding (§3.2): φ in float64, then the MLPs in the compute dtype.
    const at::Tensor phi = timeSinusoid(c.freqDim, timestep.to(m_device).flatten()).to(m_dtype);
    const at::Tensor e =
        at::linear(at::silu(at::linear(phi, m_time0, m_time0b)), m_time2, m_time2b);
    s.e = e.view({b, ft, dim});
    s.e0 = at::linear(at::silu(e), m_timeProj, m_timeProjb).view({b, ft, 6, dim});

    // RoPE angles of this call's tokens (§3.9) from frame ropeFrame on, float64.
    const int64_t ct = m_invFreqT.size(0), cs = m_invFreqS.size(0);
    const auto dopts = at::TensorOptions().dtype(at::kDouble).device(m_device);
    const at::Tensor angT = at::outer(at::arange(ropeFrame, ropeFrame + f, dopts), m_invFreqT);
    const at::Tensor angH = at::outer(at::arange(h, dopts), m_invFreqS);
    const at::Tensor angW = at::outer(at::arange(w, dopts), m_invFreqS);
    const at::Tensor angles = at::cat({angT.view({f, 1, 1, ct}).expand({f, h, w, ct}),
                                       angH.view({1, h, 1, cs}).expand({f, h, w, cs}),
                                       angW.view({1, 1, w, cs}).expand({f, h, w, cs})},
                                      -1)
                                  .reshape({l, ct + 2 * cs});
    s.cos = at::cos(angles);
    s.sin = at::sin(angles);
    return s;
}

void DitModel::runLayer(const Layer& p, at::Tensor& x, const DitCallState& state, LayerKv& self,
                        const KvWritePlan& plan, const LayerKv& cross, bool kvOnly) const {
    const DitConfig& c = m_config;
    const int64_t b = x.size(0), l = x.size(1), dim = c.dim;
    const int64_t ft = state.e0.size(1);
    const int64_t groupTokens = l / ft; // tokens sharing one modulation vector
    // Per-frame modulation: view tokens as [B, Ft, tokens per group, C] against [B, Ft, 1, C].
    auto grouped = [&](const at::Tensor& t) { return t.view({b, ft, groupTokens, dim}); };
    auto modulate = [&](const at::Tensor& normed, const at::Tensor& shift,
                        const at::Tensor& scale) {
        return (grouped(normed) * (1 + scale) + shift).view({b, l, dim});
    };
    auto gated = [&](const at::Tensor& y, const at::Tensor& gate) {
        return (grouped(y) * gate).view({b, l, dim});
    };
    const auto m = (p.modulation.unsqueeze(1) + state.e0).chunk(6, 2); // each [B, Ft, 1, C]
    const at::Tensor a = modulate(at::layer_norm(x, {dim}, {}, {}, c.eps), m[0], m[1]);
    const at::Tensor y = selfAttention(a, p, self, plan, state.cos, state.sin, kvOnly);
    if (kvOnly) {
        return;
    }
    x.add_(gated(y, m[2]));
    const at::Tensor xn = c.crossAttnNorm ? at::layer_norm(x, {dim}, p.norm3w, p.norm3b, c.eps) : x;
    x.add_(crossAttention(xn, p, cross));
    const at::Tensor a2 = modulate(at::layer_norm(x, {dim}, {}, {}, c.eps), m[3], m[4]);
    x.add_(gated(at::linear(at::gelu(at::linear(a2, p.ffn0, p.ffn0b), "tanh"), p.ffn2, p.ffn2b),
                 m[5]));
}

} // namespace sfs::inference::models
