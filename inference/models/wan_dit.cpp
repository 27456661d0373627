#include "models/wan_dit.h"

#include "io/safetensors.h"
#include "models/cpu_kernels.h"
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

// The sinusoid of §3.2: [cos(t·ω_j)..., sin(t·ω_j)...], ω_j = 10000^(-j/half), in float64
// (the reference's island; `dtype` other than float64 only for the precision test).
at::Tensor timeSinusoid(int64_t freqDim, const at::Tensor& t, at::ScalarType dtype) {
    const int64_t half = freqDim / 2;
    const at::Tensor position = t.to(dtype);
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

// GELU in its tanh form (§3.3) as x·σ(2z), z = √(2/π)·(x + 0.044715·x³) — the same function,
// since (1 + tanh z)/2 = σ(2z): on the CPU one fused pass (LibTorch 1.13's CPU tanh-GELU is
// several times slower, in bf16 more so), elsewhere from multiplies and a sigmoid in float32.
at::Tensor geluTanh(const at::Tensor& h) {
    if (cpu::supports(h)) {
        return cpu::geluTanh(h);
    }
    const bool reduced = h.scalar_type() != at::kFloat && h.scalar_type() != at::kDouble;
    at::Tensor x = reduced ? h.to(at::kFloat) : h;
    const double twoK = 2.0 * std::sqrt(2.0 / M_PI);
    at::Tensor s = x.square();
    s.mul_(twoK * 0.044715).add_(twoK).mul_(x).sigmoid_();
    x.mul_(s);
    return reduced ? x.to(h.scalar_type()) : x;
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
                          int64_t scoreBudgetBytes, double scale, AttentionLoop loop) {
    const int64_t b = q.size(0), n = q.size(1), lq = q.size(2), lk = k.size(2);
    const int64_t dv = v.size(-1);
    if (scale == 0) {
        scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    }
    if (loop == AttentionLoop::ByDevice) {
        loop = q.is_cuda() ? AttentionLoop::Batched : AttentionLoop::PerHead;
    }
    // The output goes straight into token-major [B, Lq, N, dv], so the o-projection needs no
    // transpose copy.
    at::Tensor out = at::empty({b, lq, n, dv}, v.options());
    // Products in the compute dtype (float32 accumulation, each score rounded once); the
    // softmax runs in place and accumulates in float32 inside its kernel. Query rows come in
    // pieces whose scores are computed, normalised and consumed while still in the cache.
    if (loop == AttentionLoop::Batched) {
        // All heads in one batched product (cuBLAS takes the strided windows as they are).
        const int64_t bn = b * n;
        const at::Tensor q3 = q.reshape({bn, lq, q.size(-1)});
        const at::Tensor kt = k.reshape({bn, lk, k.size(-1)}).transpose(1, 2);
        const at::Tensor v3 = v.reshape({bn, lk, dv});
        const at::Tensor heads = out.permute({0, 2, 1, 3}); // [B, N, Lq, dv]
        const int64_t rows =
            std::clamp<int64_t>(scoreBudgetBytes / (bn * lk * q.element_size()), 1, lq);
        for (int64_t r0 = 0; r0 < lq; r0 += rows) {
            const int64_t rn = std::min(rows, lq - r0);
            at::Tensor scores = at::bmm(q3.narrow(1, r0, rn), kt);
            if (scale != 1.0) {
                scores.mul_(scale);
            }
            at::_softmax_out(scores, scores, -1, false);
            heads.narrow(2, r0, rn).copy_(at::bmm(scores, v3).view({b, n, rn, dv}));
        }
        return heads;
    }
    // One head at a time as 2-D products: a head's window of the cache is a contiguous block
    // of rows (kᵀ a transposed one), which the CPU's bf16 GEMM (oneDNN) takes without a copy,
    // where a batch of heads' windows is not. Float32 and bf16 take the fused kernel.
    if (cpu::supports(q)) {
        cpu::attention(q, k, v, out, scoreBudgetBytes, static_cast<float>(scale));
        return out.permute({0, 2, 1, 3});
    }
    const int64_t rows = std::clamp<int64_t>(scoreBudgetBytes / (lk * q.element_size()), 1, lq);
    for (int64_t bi = 0; bi < b; ++bi) {
        for (int64_t h = 0; h < n; ++h) {
            // A head's queries are strided in the fused projection: one small copy makes
            // them a plain matrix (oneDNN's bf16 GEMM is several times slower otherwise).
            const at::Tensor qh = q.select(0, bi).select(0, h).contiguous();
            const at::Tensor kt = k.select(0, bi).select(0, h).t();
            const at::Tensor vh = v.select(0, bi).select(0, h);
            const at::Tensor oh = out.select(0, bi).select(1, h);
            for (int64_t r0 = 0; r0 < lq; r0 += rows) {
                const int64_t rn = std::min(rows, lq - r0);
                at::Tensor scores = at::mm(qh.narrow(0, r0, rn), kt);
                if (scale != 1.0) {
                    scores.mul_(scale);
                }
                at::_softmax_out(scores, scores, -1, false);
                at::Tensor o = oh.narrow(0, r0, rn);
                at::mm_out(o, scores, vh);
            }
        }
    }
    return out.permute({0, 2, 1, 3});
}

namespace {

// Score pieces: on the CPU small enough to stay in the core's cache, on a GPU large, so
// kernels stay big.
int64_t scoreBudget(const at::Tensor& q) {
    return q.is_cuda() ? int64_t(512) << 20 : int64_t(4) << 20;
}

// Whether the model's attention takes queries already multiplied by 1/sqrt(d): the exact
// fallback does (the scale rides on the norm/RoPE multiply, saving a pass over the scores);
// SDPA scales inside its kernel.
constexpr bool kQueryCarriesScale = TORCH_VERSION_MAJOR < 2;

at::Tensor attendScaledQuery(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v) {
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v);
#else
    return exactAttention(q, k, v, scoreBudget(q), 1.0);
#endif
}

} // namespace

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v) {
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v);
#else
    return exactAttention(q, k, v, scoreBudget(q));
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
    const double scale = kQueryCarriesScale ? 1.0 / std::sqrt(static_cast<double>(d)) : 1.0;
    const auto f32 = at::TensorOptions().dtype(at::kFloat).device(m_device);
    m_qkScale = at::tensor({scale, 1.0}, f32.dtype(at::kDouble)).to(at::kFloat);
    m_qScale = m_qkScale.narrow(0, 0, 1);
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
    fuseProjections(l);
    return l;
}

// The one place where loaded weights become the forms the block loop multiplies with, for
// every block bindLayer binds (the DiT's and VACE's): q, k and v of the self-attention in one
// [3C, C] matrix (one product instead of three), and the q/k norm weights stacked in float32
// for normAndRotate. Anything that changes the published weights (a LoRA merge) happens
// before, on the weights the model is given.
void DitModel::fuseProjections(Layer& l) const {
    Attention& s = l.self;
    const int64_t c = s.q.size(0);
    s.qkv = at::cat({s.q, s.k, s.v}, 0);
    s.qkvb = at::cat({s.qb, s.kb, s.vb}, 0);
    s.q = s.qkv.narrow(0, 0, c); // the published ones become views: no second copy
    s.k = s.qkv.narrow(0, c, c);
    s.v = s.qkv.narrow(0, 2 * c, c);
    s.qb = s.qkvb.narrow(0, 0, c);
    s.kb = s.qkvb.narrow(0, c, c);
    s.vb = s.qkvb.narrow(0, 2 * c, c);
    if (m_config.qkNorm) {
        s.qkNorm = at::stack({s.normQ, s.normK}).to(at::kFloat);
        l.cross.qkNorm = l.cross.normQ.view({1, c}).to(at::kFloat);
    }
}

// WanRMSNorm: the statistic and the normalisation in float32, rounded to the compute dtype,
// then the weight multiply in the compute dtype (§9.4). The prompt's keys (once per prompt).
at::Tensor DitModel::rmsNorm(const at::Tensor& x, const at::Tensor& weight) const {
    if (!weight.defined()) {
        return x;
    }
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, true).add(m_config.eps));
    return normed.to(x.scalar_type()) * weight;
}

// In place on x [B, L, P, C] (P projections side by side, views into their product): RMSNorm
// with weight [P, C] (undefined: none), RoPE with table [L, D/2] (undefined: none) and a
// per-projection factor `scale` [P] (undefined: 1), all in float32 with one rounding to the
// compute dtype at the end. RoPE is a complex multiply (pair j = channels 2j, 2j+1, §3.9),
// and the norm's per-row factor and the scale ride on the table, so a projection takes the
// norm's reduction, one weight multiply and one complex multiply: three passes for q and k
// together.
void DitModel::normAndRotate(at::Tensor x, const at::Tensor& weight, const at::Tensor& rope,
                             const at::Tensor& scale) const {
    if (cpu::supports(x) && x.stride(3) == 1) { // one fused pass on the CPU
        cpu::normAndRotateInPlace(x, weight, scale, rope, m_config.headDim(), m_config.eps);
        return;
    }
    const int64_t b = x.size(0), l = x.size(1), np = x.size(2), c = x.size(3);
    const bool reduced = x.scalar_type() != at::kFloat && x.scalar_type() != at::kDouble;
    at::Tensor xf = reduced ? x.to(at::kFloat) : x;
    at::Tensor perRow; // [B, L, P, 1]
    if (weight.defined()) {
        perRow = at::linalg_vector_norm(xf, 2, at::IntArrayRef{-1}, true)
                     .square_()
                     .div_(static_cast<double>(c))
                     .add_(m_config.eps)
                     .rsqrt_();
        xf.mul_(weight.view({1, 1, np, c}));
    }
    if (scale.defined()) {
        const at::Tensor s = scale.view({1, 1, np, 1});
        perRow = perRow.defined() ? perRow.mul_(s) : s;
    }
    if (rope.defined()) {
        const int64_t d = m_config.headDim();
        at::Tensor factor = rope.view({1, l, 1, 1, d / 2});
        if (perRow.defined()) {
            factor = factor * perRow.unsqueeze(-1); // [B or 1, L or 1, P, 1, 1]
        }
        at::view_as_complex(xf.view({b, l, np, c / d, d / 2, 2})).mul_(factor);
    } else if (perRow.defined()) {
        xf.mul_(perRow);
    }
    if (reduced) {
        x.copy_(xf);
    }
}

// RoPE of a call's tokens (§3.9) from frame ropeFrame on as cos + i·sin, [L, D/2]
// complex64: angles and their cosines in float64 as the reference, then rounded once. Kept
// for the next call of the same geometry (no float64 work in the layers).
at::Tensor DitModel::ropeTable(int64_t ropeFrame, int64_t f, int64_t h, int64_t w) const {
    const std::lock_guard<std::mutex> lock(m_ropeMutex);
    const RopeKey key{ropeFrame, f, h, w};
    if (m_rope.defined() && m_ropeKey == key) {
        return m_rope;
    }
    const int64_t ct = m_invFreqT.size(0), cs = m_invFreqS.size(0), l = f * h * w;
    const auto dopts = at::TensorOptions().dtype(at::kDouble).device(m_device);
    const at::Tensor angT = at::outer(at::arange(ropeFrame, ropeFrame + f, dopts), m_invFreqT);
    const at::Tensor angH = at::outer(at::arange(h, dopts), m_invFreqS);
    const at::Tensor angW = at::outer(at::arange(w, dopts), m_invFreqS);
    const at::Tensor angles = at::cat({angT.view({f, 1, 1, ct}).expand({f, h, w, ct}),
                                       angH.view({1, h, 1, cs}).expand({f, h, w, cs}),
                                       angW.view({1, 1, w, cs}).expand({f, h, w, cs})},
                                      -1)
                                  .reshape({l, ct + 2 * cs});
    m_rope = at::view_as_complex(at::stack({at::cos(angles), at::sin(angles)}, -1).to(at::kFloat));
    m_ropeKey = key;
    return m_rope;
}

at::Tensor DitModel::selfAttention(const at::Tensor& a, const Layer& p, LayerKv& cache,
                                   const KvWritePlan& plan, const at::Tensor& rope,
                                   bool kvOnly) const {
    const int64_t b = a.size(0), l = a.size(1), c = m_config.dim;
    const int64_t n = m_config.numHeads, d = m_config.headDim();
    // One product for q, k and v; the norms, RoPE and q's attention scale then run on q and k
    // together, in place. q, k and v stay views of that one tensor.
    const at::Tensor qkv = at::linear(a, p.self.qkv, p.self.qkvb);
    normAndRotate(qkv.narrow(2, 0, 2 * c).view({b, l, 2, c}), p.self.qkNorm, rope,
                  kQueryCarriesScale ? m_qkScale : at::Tensor());
    const at::Tensor heads = qkv.view({b, l, 3, n, d});
    writeKv(cache, plan, heads.select(2, 1).transpose(1, 2), heads.select(2, 2).transpose(1, 2));
    if (plan.rebaseCount > 0) { // cache-relative RoPE: surviving keys follow their rows
        rotateKeyFrames(cache.k.narrow(2, plan.rebaseBegin, plan.rebaseCount), -plan.rebaseFrames);
    }
    if (kvOnly) {
        return {};
    }
    const int64_t window = plan.attendEnd - plan.attendBegin;
    const at::Tensor out = attendScaledQuery(heads.select(2, 0).transpose(1, 2),
                                             cache.k.narrow(2, plan.attendBegin, window),
                                             cache.v.narrow(2, plan.attendBegin, window));
    return at::linear(out.transpose(1, 2).reshape({b, l, c}), p.self.o, p.self.ob);
}

at::Tensor DitModel::crossAttention(const at::Tensor& a, const Layer& p,
                                    const LayerKv& cache) const {
    const int64_t b = a.size(0), l = a.size(1), c = m_config.dim;
    const int64_t n = m_config.numHeads, d = m_config.headDim();
    const at::Tensor q = at::linear(a, p.cross.q, p.cross.qb);
    normAndRotate(q.view({b, l, 1, c}), p.cross.qkNorm, {},
                  kQueryCarriesScale ? m_qScale : at::Tensor());
    const at::Tensor out =
        attendScaledQuery(q.view({b, l, n, d}).transpose(1, 2), cache.k, cache.v);
    return at::linear(out.transpose(1, 2).reshape({b, l, c}), p.cross.o, p.cross.ob);
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
    const at::Tensor out = at::linear(modulatedNorm(x, hm[0], hm[1]), m_head, m_headb);
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
    const at::ScalarType phiType = island(PrecisionIsland::TimeSinusoid) ? at::kDouble : m_dtype;
    const at::Tensor phi =
        timeSinusoid(c.freqDim, timestep.to(m_device).flatten(), phiType).to(m_dtype);
    const at::Tensor e =
        at::linear(at::silu(at::linear(phi, m_time0, m_time0b)), m_time2, m_time2b);
    s.e = e.view({b, ft, dim});
    s.e0 = at::linear(at::silu(e), m_timeProj, m_timeProjb).view({b, ft, 6, dim});

    s.rope = ropeTable(ropeFrame, f, h, w);
    return s;
}

// Per-frame modulation views tokens as [B, Ft, tokens per group, C] against [B, Ft, 1, C].
// LN(x) ⊙ (1 + scale) + shift is the norm and one in-place addcmul on its output; the gated
// residual x += y ⊙ gate one in-place addcmul on x. In a reduced dtype the norm and the
// modulation run in float32 and are rounded once (the reference rounds after each operation,
// §9.2; LibTorch's CPU LayerNorm is also 8x slower in bf16 than in float32).
at::Tensor DitModel::layerNorm(const at::Tensor& x, const at::Tensor& weight,
                               const at::Tensor& bias) const {
    const int64_t dim = m_config.dim;
    if (x.scalar_type() == at::kFloat || x.scalar_type() == at::kDouble) {
        return at::layer_norm(x, {dim}, weight, bias, m_config.eps);
    }
    return at::layer_norm(x.to(at::kFloat), {dim},
                          weight.defined() ? weight.to(at::kFloat) : weight,
                          bias.defined() ? bias.to(at::kFloat) : bias, m_config.eps);
}

at::Tensor DitModel::modulatedNorm(const at::Tensor& x, const at::Tensor& shift,
                                   const at::Tensor& scale) const {
    if (cpu::supports(x) && (m_dtype == at::kFloat || m_dtype == at::kBFloat16)) {
        // One fused pass on the CPU: the statistics and the modulation in float32, one rounding.
        const int64_t b = x.size(0), ft = shift.size(1), c = x.size(2);
        return cpu::modulatedLayerNorm(x, shift.reshape({b, ft, c}),
                                       (scale + 1).reshape({b, ft, c}), m_config.eps, m_dtype);
    }
    const at::Tensor a = layerNorm(x, {}, {});
    const int64_t ft = shift.size(1);
    at::Tensor g = a.view({a.size(0), ft, a.size(1) / ft, a.size(2)});
    at::addcmul_out(g, shift.to(a.scalar_type()), g, (scale + 1).to(a.scalar_type()));
    return a.to(m_dtype);
}

at::Tensor DitModel::affineNorm(const at::Tensor& x, const at::Tensor& weight,
                                const at::Tensor& bias) const {
    if (cpu::supports(x) && weight.defined() && bias.defined() &&
        (m_dtype == at::kFloat || m_dtype == at::kBFloat16)) {
        // The fused modulation kernel with one group: weight and bias are its scale and shift.
        const int64_t b = x.size(0), c = x.size(2);
        return cpu::modulatedLayerNorm(x, bias.view({1, 1, c}).expand({b, 1, c}),
                                       weight.view({1, 1, c}).expand({b, 1, c}), m_config.eps,
                                       m_dtype);
    }
    return layerNorm(x, weight, bias).to(m_dtype);
}

void DitModel::addGated(at::Tensor& x, const at::Tensor& y, const at::Tensor& gate) const {
    const int64_t b = x.size(0), ft = gate.size(1), groupTokens = x.size(1) / ft, dim = x.size(2);
    x.view({b, ft, groupTokens, dim}).addcmul_(y.view({b, ft, groupTokens, dim}), gate);
}

void DitModel::runLayer(const Layer& p, at::Tensor& x, const DitCallState& state, LayerKv& self,
                        const KvWritePlan& plan, const LayerKv& cross, bool kvOnly) const {
    const auto m = (p.modulation.unsqueeze(1) + state.e0).chunk(6, 2); // each [B, Ft, 1, C]
    const at::Tensor y =
        selfAttention(modulatedNorm(x, m[0], m[1]), p, self, plan, state.rope, kvOnly);
    if (kvOnly) {
        return;
    }
    addGated(x, y, m[2]);
    const at::Tensor xn = m_config.crossAttnNorm ? affineNorm(x, p.norm3w, p.norm3b) : x;
    x.add_(crossAttention(xn, p, cross));
    const at::Tensor hidden = geluTanh(at::linear(modulatedNorm(x, m[3], m[4]), p.ffn0, p.ffn0b));
    addGated(x, at::linear(hidden, p.ffn2, p.ffn2b), m[5]);
}

} // namespace sfs::inference::models
