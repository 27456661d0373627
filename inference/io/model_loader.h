#pragma once
// The one entry point that turns a user's model file into io::Weights: any supported format
// (safetensors, PyTorch checkpoint), the right state dict inside it, canonical names for the
// role, fp8 scales applied, and every tensor converted to the compute dtype and device one at a
// time (host memory never holds a second full copy of the model).

#include "io/model_schema.h"
#include "io/weights.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <string>

namespace sfs::inference::io {

struct LoadOptions {
    at::ScalarType dtype = at::kFloat;
    c10::Device device = c10::Device(c10::kCPU);
    std::string section; // state dict inside a checkpoint; empty: the preferred one
};

// Loads the weights of `role` from `path`. Throws WeightsError naming the file (and the
// tensor) when the file holds another model, lacks tensors, has unknown tensors or shapes the
// configuration does not allow. `check`, when given, receives the file's configuration.
Weights loadModelWeights(const std::string& path, ModelRole role, const LoadOptions& options = {},
                         RoleCheck* check = nullptr);

} // namespace sfs::inference::io
