#pragma once
// Where a model's parameters come from while it is built: named weights (checked by name, shape,
// dtype and device) or a seeded random draw that records what it drew. Models describe their
// parameters once, in their constructor, and both the loader and the random-weights generator
// follow that one description.

#include "io/weights.h"

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <set>
#include <string>

namespace sfs::inference::models {

class ParamSource {
public:
    // How a random draw initialises a parameter (the golden harness's law): weights
    // N(0, 1/fan_in) with fan_in = numel / shape[0], biases N(0, 0.1^2), gains 1 + 0.1 N(0, 1).
    enum class Kind { Weight, Bias, Gain };

    virtual ~ParamSource() = default;
    virtual at::Tensor get(const std::string& name, at::IntArrayRef shape, Kind kind) = 0;
    // A weight whose stored tensor may have more rows (dim 0) than the model uses; the last
    // `shape[0]` rows are kept (TAEHV checkpoints trained with more temporal upscaling).
    virtual at::Tensor getTrailingRows(const std::string& name, at::IntArrayRef shape) {
        return get(name, shape, Kind::Weight);
    }
};

// Takes parameters from io::Weights: a missing or wrongly shaped tensor, a non-float tensor or
// one whose dtype or device differs from the rest throws io::WeightsError naming it.
class WeightsSource : public ParamSource {
public:
    explicit WeightsSource(const io::Weights& weights) : m_weights(weights) {}
    at::Tensor get(const std::string& name, at::IntArrayRef shape, Kind kind) override;
    at::Tensor getTrailingRows(const std::string& name, at::IntArrayRef shape) override;
    // Throws io::WeightsError naming the first tensor no parameter asked for (a file of another
    // model, or of another configuration).
    void requireAllUsed(const std::string& modelName) const;

private:
    const at::Tensor& checked(const std::string& name, const at::Tensor& t);

    const io::Weights& m_weights;
    std::set<std::string> m_used;
    bool m_haveType = false;
    at::ScalarType m_dtype = at::kFloat;
    c10::Device m_device = c10::Device(c10::kCPU);
};

// Draws every parameter (float32 on the CPU from a seeded generator, then converted) and
// records it, so that the drawn set can be used like a loaded file.
class RandomSource : public ParamSource {
public:
    RandomSource(uint64_t seed, at::ScalarType dtype, c10::Device device, std::string origin);
    at::Tensor get(const std::string& name, at::IntArrayRef shape, Kind kind) override;
    const io::Weights& weights() const { return m_weights; }

private:
    at::Generator m_generator;
    at::ScalarType m_dtype;
    c10::Device m_device;
    io::Weights m_weights;
};

} // namespace sfs::inference::models
