#pragma once
// A tiny causal DiT with seeded random weights, shared by the DiT and pipeline tests.

#include "models/wan_dit.h"
#include "pipeline/causal_generator.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>

namespace sfs::inference::testing {

inline models::DitConfig tinyDitConfig() {
    models::DitConfig c;
    c.dim = 32;
    c.numHeads = 2; // head dim 16: RoPE pairs split 4 / 2 / 2
    c.numLayers = 2;
    c.ffnDim = 64;
    c.freqDim = 16;
    c.textDim = 12;
    c.textLen = 8;
    return c;
}

inline std::shared_ptr<const models::DitModel> tinyDit(uint64_t seed = 1) {
    const models::DitConfig c = tinyDitConfig();
    return std::make_shared<const models::DitModel>(
        c, models::makeRandomDitWeights(c, seed, at::kFloat));
}

// Seeded standard-normal values of any shape (float32, CPU).
inline at::Tensor randn(at::IntArrayRef shape, uint64_t seed) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return at::randn(shape, gen, at::TensorOptions().dtype(at::kFloat));
}

// Generator options for latents of 4 x 6 (6 tokens per frame) and the published four steps.
inline pipeline::GeneratorOptions tinyOptions(int64_t capacityFrames = 12) {
    pipeline::GeneratorOptions o;
    o.latentHeight = 4;
    o.latentWidth = 6;
    o.capacityFrames = capacityFrames;
    return o;
}

// The message of what `f` throws; empty when it throws nothing.
inline std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

} // namespace sfs::inference::testing
