#pragma once
// Helpers that write parameter lists (sfs/inference/model_config.h) in the reference layouts:
// a Linear or a Conv is a weight and (usually) a bias. Used by the <model>_config.cpp files only.

#include <sfs/inference/model_config.h>

#include <string>
#include <vector>

namespace sfs::inference::models {

inline void addParam(ParamList& l, std::string name, std::vector<int64_t> shape, ParamKind kind,
                     bool trailingRows = false) {
    l.push_back({std::move(name), std::move(shape), kind, trailingRows});
}

// nn.Linear(in, out): weight [out, in], bias [out].
inline void addLinear(ParamList& l, const std::string& name, int64_t out, int64_t in,
                      bool bias = true) {
    addParam(l, name + ".weight", {out, in}, ParamKind::Weight);
    if (bias) {
        addParam(l, name + ".bias", {out}, ParamKind::Bias);
    }
}

// A convolution: weight [out, in, kernel...], bias [out].
inline void addConv(ParamList& l, const std::string& name, int64_t out, int64_t in,
                    const std::vector<int64_t>& kernel, bool bias = true) {
    std::vector<int64_t> shape = {out, in};
    shape.insert(shape.end(), kernel.begin(), kernel.end());
    addParam(l, name + ".weight", std::move(shape), ParamKind::Weight);
    if (bias) {
        addParam(l, name + ".bias", {out}, ParamKind::Bias);
    }
}

// One WanAttentionBlock under prefix `b` ("blocks.3."), in state_dict order: the DiT's blocks
// and VACE's (models/wan_dit_config.cpp).
void addDitBlock(ParamList& l, const std::string& b, int64_t d, int64_t ffnDim, bool qkNorm,
                 bool crossAttnNorm);

} // namespace sfs::inference::models
