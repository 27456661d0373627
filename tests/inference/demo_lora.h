#pragma once
// A LoRA for a DiT configuration, written as a ComfyUI file (lora_down / lora_up / alpha on every
// attention and FFN layer of every block), for the LoRA tests of the engine and the CLI. With
// `inputWidth` other than the configuration's dim it is a LoRA for another model shape.

#include "io/safetensors.h"

#include <sfs/inference/model_config.h>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace sfs::inference::testing {

inline void writeDemoLora(const std::string& path, const DitConfig& config, int64_t rank = 4,
                          uint64_t seed = 11, int64_t inputWidth = 0) {
    const int64_t dim = inputWidth > 0 ? inputWidth : config.dim;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto draw = [&](std::vector<int64_t> shape, double scale) {
        return at::randn(shape, gen, at::TensorOptions().dtype(at::kFloat)).mul(scale);
    };
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (int64_t i = 0; i < config.numLayers; ++i) {
        const std::string block = "diffusion_model.blocks." + std::to_string(i) + ".";
        std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> layers; // [out, in]
        for (const char* attn : {"self_attn.", "cross_attn."}) {
            for (const char* p : {"q", "k", "v", "o"}) {
                layers.push_back({std::string(attn) + p, {config.dim, dim}});
            }
        }
        layers.push_back({"ffn.0", {config.ffnDim, dim}});
        layers.push_back({"ffn.2", {config.dim, config.ffnDim}});
        for (const auto& [name, shape] : layers) {
            tensors.emplace_back(block + name + ".lora_down.weight",
                                 draw({rank, shape.second}, 1.0 / std::sqrt(double(shape.second))));
            tensors.emplace_back(block + name + ".lora_up.weight", draw({shape.first, rank}, 0.5));
            tensors.emplace_back(block + name + ".alpha",
                                 at::full({}, static_cast<double>(rank), at::kFloat));
        }
    }
    io::writeSafetensors(path, tensors);
}

} // namespace sfs::inference::testing
