// VACE's configuration and its parameter list (sfs/inference/model_config.h).

#include "models/config_json.h"
#include "models/param_list.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace sfs::inference {

std::vector<int64_t> VaceConfig::defaultLayers(int64_t vaceBlocks, int64_t mainLayers) {
    std::vector<int64_t> out;
    if (vaceBlocks <= 0 || mainLayers <= 0) {
        return out;
    }
    int64_t step = 0;
    if ((mainLayers + 1) / 2 == vaceBlocks) {
        step = 2; // the reference default: range(0, num_layers, 2)
    } else if (mainLayers % vaceBlocks == 0) {
        step = mainLayers / vaceBlocks;
    } else {
        return out;
    }
    for (int64_t i = 0; i < vaceBlocks; ++i) {
        out.push_back(i * step);
    }
    return out;
}

void VaceConfig::validate() const {
    auto positive = [](int64_t v, const char* name) {
        if (v <= 0) {
            throw std::invalid_argument(std::string("VACE config: ") + name +
                                        " must be positive, got " + std::to_string(v));
        }
    };
    positive(inDim, "vace_in_dim");
    positive(dim, "dim");
    positive(ffnDim, "ffn_dim");
    positive(numHeads, "num_heads");
    for (int64_t p : patch) {
        positive(p, "patch_size");
    }
    if (layers.empty()) {
        throw std::invalid_argument("VACE config: vace_layers is empty");
    }
    if (layers.front() != 0) {
        throw std::invalid_argument("VACE config: vace_layers must start with layer 0 (VACE block "
                                    "0 reads the main tokens before the first main block)");
    }
    for (size_t i = 1; i < layers.size(); ++i) {
        if (layers[i] <= layers[i - 1]) {
            throw std::invalid_argument("VACE config: vace_layers must increase, got " +
                                        std::to_string(layers[i - 1]) + " then " +
                                        std::to_string(layers[i]));
        }
    }
}

void VaceConfig::checkFits(const DitConfig& dit) const {
    validate();
    auto differs = [](const char* what, int64_t mine, int64_t its) {
        return std::string("the VACE blocks have ") + what + " " + std::to_string(mine) +
               ", the DiT " + std::to_string(its);
    };
    if (dim != dit.dim) {
        throw std::invalid_argument(differs("dim", dim, dit.dim));
    }
    if (ffnDim != dit.ffnDim) {
        throw std::invalid_argument(differs("ffn_dim", ffnDim, dit.ffnDim));
    }
    if (numHeads != dit.numHeads) {
        throw std::invalid_argument(differs("num_heads", numHeads, dit.numHeads));
    }
    if (patch != dit.patch) {
        throw std::invalid_argument("the VACE patch embedding has another patch size than the "
                                    "DiT's");
    }
    if (qkNorm != dit.qkNorm || crossAttnNorm != dit.crossAttnNorm) {
        throw std::invalid_argument("the VACE blocks and the DiT differ in qk-norm or norm3");
    }
    if (layers.back() >= dit.numLayers) {
        throw std::invalid_argument("vace_layers names layer " + std::to_string(layers.back()) +
                                    ", the DiT has " + std::to_string(dit.numLayers) + " layers");
    }
}

std::string VaceConfig::describe() const {
    std::ostringstream s;
    s << layers.size() << " blocks for layers ";
    for (size_t i = 0; i < layers.size(); ++i) {
        if (layers.size() > 6 && i == 3) {
            s << ", ...";
            i = layers.size() - 1;
        }
        s << (i ? ", " : "") << layers[i];
    }
    s << ", context " << inDim << " channels, dim " << dim << ", ffn " << ffnDim;
    return s.str();
}

// wan/modules/vace_model.py VaceWanModel: vace_blocks (each a WanAttentionBlock, then
// before_proj for block 0 and after_proj), then vace_patch_embedding.
ParamList VaceConfig::parameters() const {
    using namespace models;
    ParamList l;
    for (size_t n = 0; n < layers.size(); ++n) {
        const std::string b = "vace_blocks." + std::to_string(n) + ".";
        addDitBlock(l, b, dim, ffnDim, qkNorm, crossAttnNorm);
        if (n == 0) {
            addLinear(l, b + "before_proj", dim, dim);
        }
        addLinear(l, b + "after_proj", dim, dim);
    }
    addConv(l, "vace_patch_embedding", dim, inDim, {patch[0], patch[1], patch[2]});
    return l;
}

bool VaceConfig::operator==(const VaceConfig& o) const {
    return inDim == o.inDim && dim == o.dim && ffnDim == o.ffnDim && numHeads == o.numHeads &&
           patch == o.patch && qkNorm == o.qkNorm && crossAttnNorm == o.crossAttnNorm &&
           layers == o.layers;
}

} // namespace sfs::inference

namespace sfs::inference::models {

VaceConfig vaceConfigFromJson(const json::Value& v, const std::string& origin,
                              const DitConfig& dit) {
    VaceConfig c;
    c.dim = dit.dim;
    c.ffnDim = dit.ffnDim;
    c.numHeads = dit.numHeads;
    c.patch = dit.patch;
    c.qkNorm = dit.qkNorm;
    c.crossAttnNorm = dit.crossAttnNorm;
    if (const auto* in = v.find("vace_in_dim"); in != nullptr && !in->isNull()) {
        c.inDim = in->asInt(origin + ": vace_in_dim");
    }
    c.layers.clear();
    if (const auto* layers = v.find("vace_layers"); layers != nullptr && !layers->isNull()) {
        for (const auto& e : layers->asArray(origin + ": vace_layers")) {
            c.layers.push_back(e.asInt(origin + ": vace_layers"));
        }
    } else {
        for (int64_t i = 0; i < dit.numLayers; i += 2) {
            c.layers.push_back(i);
        }
    }
    try {
        c.checkFits(dit);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(origin + ": " + e.what());
    }
    return c;
}

} // namespace sfs::inference::models
