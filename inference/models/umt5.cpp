#include "models/umt5.h"

#include "io/safetensors.h"
#include "models/parameters.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sfs::inference::models {

namespace {

// T5LayerNorm: statistics in float32; the normalised values go back to a half-precision
// weight's dtype before the scale.
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
    at::Tensor y = x * at::rsqrt(x.to(at::kFloat).pow(2).mean(-1, true) + eps);
    if (weight.scalar_type() == at::kHalf || weight.scalar_type() == at::kBFloat16) {
        y = y.to(weight.scalar_type());
    }
    return weight * y;
}

// The reference's fp16 guard: residual sums that overflowed are pulled back into range.
at::Tensor fp16Clamp(at::Tensor x) {
    if (x.scalar_type() == at::kHalf && at::isinf(x).any().item<bool>()) {
        const double limit = 65504.0 - 1000.0;
        x = at::clamp(x, -limit, limit);
    }
    return x;
}

double lowestFinite(at::ScalarType t) {
    switch (t) {
    case at::kHalf:
        return -65504.0;
    case at::kBFloat16:
        return -3.3895313892515355e38;
    case at::kDouble:
        return std::numeric_limits<double>::lowest();
    default:
        return std::numeric_limits<float>::lowest();
    }
}

} // namespace

at::Tensor relativePositionBuckets(int64_t queries, int64_t keys, int64_t numBuckets,
                                   int64_t maxDistance) {
    const auto opts = at::TensorOptions().dtype(at::kLong);
    at::Tensor rel = at::arange(keys, opts).unsqueeze(0) - at::arange(queries, opts).unsqueeze(1);
    const int64_t half = numBuckets / 2;
    at::Tensor buckets = rel.gt(0).to(at::kLong) * half;
    rel = rel.abs();
    const int64_t maxExact = half / 2;
    at::Tensor large =
        maxExact + (at::log(rel.to(at::kFloat) / static_cast<double>(maxExact)) /
                    std::log(static_cast<double>(maxDistance) / static_cast<double>(maxExact)) *
                    static_cast<double>(half - maxExact))
                       .to(at::kLong);
    large = at::clamp_max(large, half - 1);
    return buckets + at::where(rel.lt(maxExact), rel, large);
}

UMT5Encoder::UMT5Encoder(UMT5Config config, const io::Weights& weights)
    : m_config(config), m_dtype(at::kFloat), m_device(c10::kCPU) {
    try {
        m_config.validate();
    } catch (const std::invalid_argument& e) {
        throw io::WeightsError(weights.origin(), "", e.what());
    }
    const BoundParameters params(m_config.parameters(), weights, "UMT5 encoder");
    m_dtype = params.dtype();
    m_device = params.device();
    const auto& c = m_config;
    m_embedding = params["token_embedding.weight"];
    if (c.sharedPos) {
        m_sharedPos = params["pos_embedding.embedding.weight"];
    }
    for (int64_t i = 0; i < c.numLayers; ++i) {
        const std::string b = "blocks." + std::to_string(i) + ".";
        Layer l;
        l.norm1 = params[b + "norm1.weight"];
        l.q = params[b + "attn.q.weight"];
        l.k = params[b + "attn.k.weight"];
        l.v = params[b + "attn.v.weight"];
        l.o = params[b + "attn.o.weight"];
        l.norm2 = params[b + "norm2.weight"];
        l.gate = params[b + "ffn.gate.0.weight"];
        l.fc1 = params[b + "ffn.fc1.weight"];
        l.fc2 = params[b + "ffn.fc2.weight"];
        l.pos = c.sharedPos ? m_sharedPos : params[b + "pos_embedding.embedding.weight"];
        m_layers.push_back(std::move(l));
    }
    m_norm = params["norm.weight"];
    params.requireAllTaken();
}

void UMT5Encoder::checkInputs(const at::Tensor& ids, const at::Tensor& mask) const {
    if (ids.dim() != 2 || mask.sizes() != ids.sizes()) {
        throw std::invalid_argument(
            "UMT5 encoder: ids and mask must both be [batch, length], got " +
            c10::str(ids.sizes()) + " and " + c10::str(mask.sizes()));
    }
    if (ids.scalar_type() != at::kLong) {
        throw std::invalid_argument("UMT5 encoder: ids must be int64");
    }
    if (ids.numel() > 0) {
        const int64_t lo = ids.min().item<int64_t>();
        const int64_t hi = ids.max().item<int64_t>();
        if (lo < 0 || hi >= m_config.vocab) {
            throw std::invalid_argument(
                "UMT5 encoder: token id " + std::to_string(lo < 0 ? lo : hi) +
                " is outside the vocabulary of " + std::to_string(m_config.vocab));
        }
    }
}

at::Tensor UMT5Encoder::run(const at::Tensor& idsIn, const at::Tensor& maskIn) const {
    const auto& c = m_config;
    const at::Tensor ids = idsIn.to(m_device);
    const at::Tensor keyMasked = maskIn.to(m_device).eq(0).view({ids.size(0), 1, 1, ids.size(1)});
    const int64_t b = ids.size(0);
    const int64_t len = ids.size(1);
    const int64_t heads = c.numHeads;
    const int64_t hd = c.headDim();
    const at::Tensor buckets =
        relativePositionBuckets(len, len, c.numBuckets, c.maxDistance).to(m_device);
    const double masked = lowestFinite(m_dtype);

    at::Tensor x = at::embedding(m_embedding, ids); // [B, L, dim]
    for (const Layer& l : m_layers) {
        // Position bias [1, H, L, L] of this layer, then the key mask replaces it.
        const at::Tensor pos = at::embedding(l.pos, buckets).permute({2, 0, 1}).unsqueeze(0);
        const at::Tensor bias =
            at::zeros({b, heads, len, len}, x.options()).add_(pos).masked_fill_(keyMasked, masked);

        const at::Tensor h = rmsNorm(x, l.norm1, c.eps);
        const at::Tensor q = at::linear(h, l.q).view({b, len, heads, hd}).transpose(1, 2);
        const at::Tensor k = at::linear(h, l.k).view({b, len, heads, hd}).transpose(1, 2);
        const at::Tensor v = at::linear(h, l.v).view({b, len, heads, hd}).transpose(1, 2);
        at::Tensor attn = at::matmul(q, k.transpose(-1, -2)) + bias; // no 1/sqrt(d): T5
        attn = at::softmax(attn.to(at::kFloat), -1).to(m_dtype);
        const at::Tensor o = at::matmul(attn, v).transpose(1, 2).reshape({b, len, c.dimAttn});
        x = fp16Clamp(x + at::linear(o, l.o));

        const at::Tensor h2 = rmsNorm(x, l.norm2, c.eps);
        const at::Tensor f = at::linear(h2, l.fc1) * at::gelu(at::linear(h2, l.gate), "tanh");
        x = fp16Clamp(x + at::linear(f, l.fc2));
    }
    return rmsNorm(x, m_norm, c.eps);
}

at::Tensor UMT5Encoder::forward(const at::Tensor& ids, const at::Tensor& mask) const {
    checkInputs(ids, mask);
    return run(ids, mask);
}

at::Tensor UMT5Encoder::promptEmbeddings(const at::Tensor& ids, const at::Tensor& mask) const {
    checkInputs(ids, mask);
    const int64_t len = ids.size(1);
    const at::Tensor lengths = mask.ne(0).sum(1).to(at::kCPU, at::kLong); // [B]
    const int64_t longest = lengths.numel() > 0 ? lengths.max().item<int64_t>() : 0;
    // Keys past `longest` are masked for every prompt when the masks are prefixes, so they add
    // exactly zero to every softmax: dropping them changes no real row.
    const bool prefixMasks =
        longest == len || mask.narrow(1, longest, len - longest).eq(0).all().item<bool>();
    const int64_t runLen = prefixMasks ? std::max<int64_t>(longest, 1) : len;
    at::Tensor out = run(ids.narrow(1, 0, runLen), mask.narrow(1, 0, runLen));
    const at::Tensor rows = at::arange(runLen, at::TensorOptions().dtype(at::kLong))
                                .unsqueeze(0)
                                .lt(lengths.unsqueeze(1))
                                .to(out.device()); // [B, runLen]
    out = out * rows.unsqueeze(-1).to(out.scalar_type());
    if (runLen < len) {
        out = at::constant_pad_nd(out, {0, 0, 0, len - runLen});
    }
    return out;
}

io::Weights makeRandomT5Weights(const UMT5Config& config, uint64_t seed, at::ScalarType dtype,
                                c10::Device device) {
    return drawRandomWeights(config, seed, dtype, device, "UMT5");
}

} // namespace sfs::inference::models
