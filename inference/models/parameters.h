#pragma once
// A model's parameters as tensors, from its one parameter list (sfs/inference/model_config.h):
// loaded weights checked against the list before a model is built, or the list drawn as seeded
// random weights. Constructors take their tensors by name from BoundParameters; they never
// restate a shape.

#include "io/weights.h"

#include <sfs/inference/model_config.h>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace sfs::inference::models {

class BoundParameters {
public:
    // Checks `weights` against `list` in list order: every parameter present with its shape
    // (a TGrow-style parameter may have more rows: its last rows are kept), all of one
    // floating-point dtype on one device, and no tensor the list does not name. Throws
    // io::WeightsError naming the weights' origin and the first offending tensor; `modelName`
    // ("Wan VAE") says what the weights were meant for.
    BoundParameters(const ParamList& list, const io::Weights& weights,
                    const std::string& modelName);

    // The tensor of a listed parameter. A name outside the list is a programming error
    // (std::logic_error): the constructor and the list disagree.
    const at::Tensor& operator[](const std::string& name) const;
    at::ScalarType dtype() const { return m_dtype; }
    c10::Device device() const { return m_device; }
    // Throws std::logic_error naming a listed parameter no one took (call after building).
    void requireAllTaken() const;

private:
    std::map<std::string, at::Tensor> m_tensors;
    mutable std::set<std::string> m_taken;
    at::ScalarType m_dtype = at::kFloat;
    c10::Device m_device = c10::Device(c10::kCPU);
};

// Every parameter of `list`, in list order, drawn from one generator seeded with `seed`
// following its ParamKind's law (in float32 on the CPU, so a seed gives the same values on every
// device and dtype; large tensors are drawn in pieces), then converted to dtype and device.
io::Weights drawRandomWeights(const ParamList& list, uint64_t seed, at::ScalarType dtype,
                              c10::Device device, const std::string& origin);

// The random weights of a configuration (validated first): its parameter list, drawn.
// `model` names it in the weights' origin ("random Wan VAE weights (seed 5)").
template <typename Config>
io::Weights drawRandomWeights(const Config& config, uint64_t seed, at::ScalarType dtype,
                              c10::Device device, const std::string& model) {
    config.validate();
    return drawRandomWeights(config.parameters(), seed, dtype, device,
                             "random " + model + " weights (seed " + std::to_string(seed) + ")");
}

} // namespace sfs::inference::models
