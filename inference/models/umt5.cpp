#include "models/umt5.h"

#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sfs::inference::models {

namespace {

std::string blockName(int64_t i, const std::string& rest) {
    return "blocks." + std::to_string(i) + "." + rest;
}

std::string posName(const UMT5Config& c, int64_t i) {
    return c.sharedPos ? "pos_embedding.embedding.weight"
                       : blockName(i, "pos_embedding.embedding.weight");
}

// The names and shapes a configuration implies, in state_dict order.
std::vector<std::pair<std::string, std::vector<int64_t>>> weightShapes(const UMT5Config& c) {
    std::vector<std::pair<std::string, std::vector<int64_t>>> out;
    out.push_back({"token_embedding.weight", {c.vocab, c.dim}});
    if (c.sharedPos) {
        out.push_back({posName(c, 0), {c.numBuckets, c.numHeads}});
    }
    for (int64_t i = 0; i < c.numLayers; ++i) {
        out.push_back({blockName(i, "norm1.weight"), {c.dim}});
        for (const char* p : {"q", "k", "v"}) {
            out.push_back({blockName(i, std::string("attn.") + p + ".weight"), {c.dimAttn, c.dim}});
        }
        out.push_back({blockName(i, "attn.o.weight"), {c.dim, c.dimAttn}});
        out.push_back({blockName(i, "norm2.weight"), {c.dim}});
        out.push_back({blockName(i, "ffn.gate.0.weight"), {c.dimFfn, c.dim}});
        out.push_back({blockName(i, "ffn.fc1.weight"), {c.dimFfn, c.dim}});
        out.push_back({blockName(i, "ffn.fc2.weight"), {c.dim, c.dimFfn}});
        if (!c.sharedPos) {
            out.push_back({posName(c, i), {c.numBuckets, c.numHeads}});
        }
    }
    out.push_back({"norm.weight", {c.dim}});
    return out;
}

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

int64_t UMT5Config::parameterCount() const {
    int64_t n = 0;
    for (const auto& [name, shape] : weightShapes(*this)) {
        int64_t k = 1;
        for (int64_t d : shape) {
            k *= d;
        }
        n += k;
    }
    return n;
}

void UMT5Config::validate() const {
    const auto positive = [](int64_t v, const char* name) {
        if (v <= 0) {
            throw std::invalid_argument(std::string("UMT5 config: ") + name +
                                        " must be positive, got " + std::to_string(v));
        }
    };
    positive(vocab, "vocab");
    positive(dim, "dim");
    positive(dimAttn, "dim_attn");
    positive(dimFfn, "dim_ffn");
    positive(numHeads, "num_heads");
    positive(numLayers, "num_layers");
    positive(numBuckets, "num_buckets");
    positive(maxDistance, "max_distance");
    if (dimAttn % numHeads != 0) {
        throw std::invalid_argument("UMT5 config: dim_attn " + std::to_string(dimAttn) +
                                    " is not a multiple of num_heads " + std::to_string(numHeads));
    }
    if (numBuckets < 4 || numBuckets % 2 != 0 || maxDistance <= numBuckets / 4) {
        throw std::invalid_argument("UMT5 config: num_buckets must be even and >= 4, and "
                                    "max_distance larger than num_buckets / 4");
    }
}

UMT5Config UMT5Config::fromWeights(const io::Weights& w) {
    UMT5Config c;
    const auto fail = [&](const std::string& tensor, const std::string& problem) {
        throw io::WeightsError(w.origin(), tensor, problem);
    };
    const at::Tensor& emb = w.get("token_embedding.weight");
    if (emb.dim() != 2) {
        fail("token_embedding.weight", "expected 2 dimensions [vocab, dim]");
    }
    c.vocab = emb.size(0);
    c.dim = emb.size(1);
    c.numLayers = 0;
    while (w.has(blockName(c.numLayers, "norm1.weight"))) {
        ++c.numLayers;
    }
    if (c.numLayers == 0) {
        fail("blocks.0.norm1.weight", "missing: no encoder blocks (is this a UMT5 encoder?)");
    }
    c.sharedPos = !w.has(blockName(0, "pos_embedding.embedding.weight"));
    const std::string pos = posName(c, 0);
    const at::Tensor& table = w.get(pos);
    const at::Tensor& q = w.get(blockName(0, "attn.q.weight"));
    const at::Tensor& fc1 = w.get(blockName(0, "ffn.fc1.weight"));
    if (table.dim() != 2 || q.dim() != 2 || fc1.dim() != 2) {
        fail(pos, "position table, attention and feed-forward weights must be matrices");
    }
    c.numBuckets = table.size(0);
    c.numHeads = table.size(1);
    c.dimAttn = q.size(0);
    c.dimFfn = fc1.size(0);
    try {
        c.validate();
    } catch (const std::invalid_argument& e) {
        fail(pos, e.what());
    }
    return c;
}

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
    const auto shapes = weightShapes(m_config);
    m_dtype = weights.get(shapes.front().first).scalar_type();
    m_device = weights.get(shapes.front().first).device();
    if (!at::isFloatingType(m_dtype)) {
        throw io::WeightsError(weights.origin(), shapes.front().first,
                               "expected floating-point weights");
    }
    for (const auto& [name, shape] : shapes) {
        const at::Tensor& t = weights.get(name, shape);
        if (t.scalar_type() != m_dtype || t.device() != m_device) {
            throw io::WeightsError(weights.origin(), name,
                                   std::string("is ") + c10::toString(t.scalar_type()) + " on " +
                                       t.device().str() + ", the others " + c10::toString(m_dtype) +
                                       " on " + m_device.str());
        }
    }
    const auto& c = m_config;
    m_embedding = weights.get("token_embedding.weight");
    if (c.sharedPos) {
        m_sharedPos = weights.get(posName(c, 0));
    }
    for (int64_t i = 0; i < c.numLayers; ++i) {
        Layer l;
        l.norm1 = weights.get(blockName(i, "norm1.weight"));
        l.q = weights.get(blockName(i, "attn.q.weight"));
        l.k = weights.get(blockName(i, "attn.k.weight"));
        l.v = weights.get(blockName(i, "attn.v.weight"));
        l.o = weights.get(blockName(i, "attn.o.weight"));
        l.norm2 = weights.get(blockName(i, "norm2.weight"));
        l.gate = weights.get(blockName(i, "ffn.gate.0.weight"));
        l.fc1 = weights.get(blockName(i, "ffn.fc1.weight"));
        l.fc2 = weights.get(blockName(i, "ffn.fc2.weight"));
        l.pos = c.sharedPos ? m_sharedPos : weights.get(posName(c, i));
        m_layers.push_back(std::move(l));
    }
    m_norm = weights.get("norm.weight");
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
    config.validate();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    io::Weights w("random UMT5 weights (seed " + std::to_string(seed) + ")");
    constexpr int64_t kChunk = 1 << 24; // elements drawn at a time: bounds the float32 copy
    for (const auto& [name, shape] : weightShapes(config)) {
        at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype).device(device));
        const bool isNorm = shape.size() == 1;
        const bool isPos = name.find("pos_embedding") != std::string::npos;
        const bool isEmbedding = name == "token_embedding.weight";
        const double std = isNorm        ? 0.1
                           : isPos       ? 0.5
                           : isEmbedding ? 1.0
                                         : 1.0 / std::sqrt(static_cast<double>(shape[1]));
        const at::Tensor flat = t.view({-1});
        for (int64_t start = 0; start < flat.numel(); start += kChunk) {
            const int64_t n = std::min(kChunk, flat.numel() - start);
            at::Tensor draw = at::randn({n}, gen, at::TensorOptions().dtype(at::kFloat)) * std;
            if (isNorm) {
                draw += 1.0;
            }
            flat.narrow(0, start, n).copy_(draw);
        }
        w.insert(name, t);
    }
    return w;
}

} // namespace sfs::inference::models
