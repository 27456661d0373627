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

#include <sfs/inference/model_config.h>

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace sfs::inference::models {

// The configuration and its parameter list: sfs/inference/model_config.h. A file's
// configuration is read from its shapes by io::checkRole (io/model_schema.h).
using inference::UMT5Config;

// T5 relative-position buckets of every (query i, key j) pair, as [queries, keys] int64:
// bidirectional, computed in float32 as the reference does.
at::Tensor relativePositionBuckets(int64_t queries, int64_t keys, int64_t numBuckets,
                                   int64_t maxDistance);

class UMT5Encoder {
public:
    // Checks the weights against the config's parameter list (names, shapes, one float dtype
    // and device, which become the compute dtype and device). Throws io::WeightsError.
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

// Random weights of any configuration, for benchmarks and demo models: UMT5Config::parameters()
// drawn by drawRandomWeights (models/parameters.h; the same values for every dtype and device).
io::Weights makeRandomT5Weights(const UMT5Config& config, uint64_t seed, at::ScalarType dtype,
                                c10::Device device = c10::Device(c10::kCPU));

} // namespace sfs::inference::models
