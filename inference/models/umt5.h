#pragma once
// The UMT5 text encoder of Wan2.1 (wan/modules/t5.py T5Encoder, umt5-xxl): token embedding,
// pre-norm blocks of self-attention with a per-layer relative position bias (bidirectional
// T5 buckets) and a gated-GELU feed-forward, final RMS norm. Functional ATen code; weights use
// the reference state_dict names (io::Weights).
//
// Numerics follow the reference in any compute dtype: no 1/sqrt(d) in attention; masked keys
// get the most negative finite value of the compute dtype; softmax and the RMS statistics in
// float32; in fp16 residual sums are clamped when they overflow.

#include "io/weights.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace sfs::inference::models {

struct UMT5Config {
    int64_t vocab = 256384;
    int64_t dim = 4096;
    int64_t dimAttn = 4096; // numHeads * head dim
    int64_t dimFfn = 10240;
    int64_t numHeads = 64;
    int64_t numLayers = 24;
    int64_t numBuckets = 32;
    int64_t maxDistance = 128;
    bool sharedPos = false; // umT5: false, every layer has its own position table
    double eps = 1e-6;

    // umt5-xxl as Wan uses it (the defaults above).
    static UMT5Config xxl() { return {}; }
    // The sizes a set of weights implies (layers counted, heads and buckets read from the
    // position tables); maxDistance and eps keep their defaults. Throws io::WeightsError.
    static UMT5Config fromWeights(const io::Weights& weights);

    int64_t headDim() const { return dimAttn / numHeads; }
    int64_t parameterCount() const;
    // Throws std::invalid_argument naming the first inconsistent field.
    void validate() const;
};

// T5 relative-position buckets of every (query i, key j) pair, as [queries, keys] int64:
// bidirectional, computed in float32 as the reference does.
at::Tensor relativePositionBuckets(int64_t queries, int64_t keys, int64_t numBuckets,
                                   int64_t maxDistance);

class UMT5Encoder {
public:
    // Checks every weight the config implies (name and shape) and that they share one float
    // dtype and device, which become the compute dtype and device. Throws io::WeightsError.
    UMT5Encoder(UMT5Config config, const io::Weights& weights);

    const UMT5Config& config() const { return m_config; }
    at::ScalarType dtype() const { return m_dtype; }
    c10::Device device() const { return m_device; }

    // ids [B, L] int64 token ids, mask [B, L] (1 = token, 0 = padding) -> [B, L, dim] in the
    // compute dtype. Every row is computed, padded ones included, like the reference.
    at::Tensor forward(const at::Tensor& ids, const at::Tensor& mask) const;

    // What the DiT receives (Self-Forcing's WanTextEncoder): forward's output with the rows at
    // and past each prompt's length (the number of 1s in its mask) set to zero. Runs only the
    // first max(length) positions when the masks are prefixes, which gives the same rows.
    at::Tensor promptEmbeddings(const at::Tensor& ids, const at::Tensor& mask) const;

private:
    struct Layer {
        at::Tensor norm1, q, k, v, o, norm2, gate, fc1, fc2, pos;
    };

    at::Tensor run(const at::Tensor& ids, const at::Tensor& mask) const;
    void checkInputs(const at::Tensor& ids, const at::Tensor& mask) const;

    UMT5Config m_config;
    at::ScalarType m_dtype;
    c10::Device m_device;
    at::Tensor m_embedding;
    at::Tensor m_sharedPos;
    std::vector<Layer> m_layers;
    at::Tensor m_norm;
};

// Random weights of any configuration with the reference names, for benchmarks and demo
// models: linear weights N(0, 1/fan_in), norm weights 1 + 0.1 N(0,1), token embedding N(0,1),
// position tables N(0, 0.25). Drawn in float32 from `seed` in fixed chunks (the same values for
// every dtype and device), then converted.
io::Weights makeRandomT5Weights(const UMT5Config& config, uint64_t seed, at::ScalarType dtype,
                                c10::Device device = c10::Device(c10::kCPU));

} // namespace sfs::inference::models
