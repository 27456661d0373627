// The DiT's configuration and its parameter list (sfs/inference/model_config.h), and its JSON
// form (models/config_json.h).

#include "models/config_json.h"
#include "models/param_list.h"

#include <sstream>
#include <stdexcept>

namespace sfs::inference {

void DitConfig::validate() const {
    auto positive = [](int64_t v, const char* name) {
        if (v <= 0) {
            throw std::invalid_argument(std::string("DiT config: ") + name +
                                        " must be positive, got " + std::to_string(v));
        }
    };
    positive(inDim, "in_dim");
    positive(outDim, "out_dim");
    positive(dim, "dim");
    positive(ffnDim, "ffn_dim");
    positive(freqDim, "freq_dim");
    positive(textDim, "text_dim");
    positive(textLen, "text_len");
    positive(numHeads, "num_heads");
    positive(numLayers, "num_layers");
    for (int64_t p : patch) {
        positive(p, "patch_size");
    }
    if (dim % numHeads != 0) {
        throw std::invalid_argument("DiT config: dim " + std::to_string(dim) +
                                    " is not divisible by num_heads " + std::to_string(numHeads));
    }
    if (headDim() % 2 != 0) {
        throw std::invalid_argument("DiT config: head_dim " + std::to_string(headDim()) +
                                    " must be even (RoPE rotates channel pairs)");
    }
    if (freqDim % 2 != 0) {
        throw std::invalid_argument("DiT config: freq_dim must be even, got " +
                                    std::to_string(freqDim));
    }
    if (patch[0] != 1) {
        throw std::invalid_argument("DiT config: patch_size[0] (temporal) must be 1, got " +
                                    std::to_string(patch[0]));
    }
    if (!(eps > 0.0)) {
        throw std::invalid_argument("DiT config: eps must be positive");
    }
}

std::string DitConfig::describe(const std::string& headsFrom) const {
    std::ostringstream s;
    s << "dim " << dim << ", " << numLayers << " layers, ";
    if (numHeads > 0) {
        s << numHeads << " heads" << (headsFrom.empty() ? "" : " (" + headsFrom + ")");
    } else {
        s << "heads unknown";
    }
    s << ", ffn " << ffnDim << ", text " << textDim << ", freq " << freqDim << ", in/out " << inDim
      << "/" << outDim << ", patch " << patch[0] << "x" << patch[1] << "x" << patch[2];
    if (!qkNorm || !crossAttnNorm) {
        s << (qkNorm ? "" : ", no qk-norm") << (crossAttnNorm ? "" : ", no norm3");
    }
    return s.str();
}

namespace models {
void addDitBlock(ParamList& l, const std::string& b, int64_t d, int64_t ffnDim, bool qkNorm,
                 bool crossAttnNorm) {
    addParam(l, b + "modulation", {1, 6, d}, ParamKind::Modulation);
    for (const std::string attn : {"self_attn", "cross_attn"}) {
        if (attn == "cross_attn" && crossAttnNorm) {
            addParam(l, b + "norm3.weight", {d}, ParamKind::Gain);
            addParam(l, b + "norm3.bias", {d}, ParamKind::Bias);
        }
        for (const char* p : {"q", "k", "v", "o"}) {
            addLinear(l, b + attn + "." + p, d, d);
        }
        if (qkNorm) {
            addParam(l, b + attn + ".norm_q.weight", {d}, ParamKind::Gain);
            addParam(l, b + attn + ".norm_k.weight", {d}, ParamKind::Gain);
        }
    }
    addLinear(l, b + "ffn.0", ffnDim, d);
    addLinear(l, b + "ffn.2", d, ffnDim);
}
} // namespace models

// wan/modules/model.py WanModel, in state_dict order: a module's own parameters (modulation)
// before its children's.
ParamList DitConfig::parameters() const {
    using namespace models;
    ParamList l;
    const int64_t d = dim;
    addConv(l, "patch_embedding", d, inDim, {patch[0], patch[1], patch[2]});
    addLinear(l, "text_embedding.0", d, textDim);
    addLinear(l, "text_embedding.2", d, d);
    addLinear(l, "time_embedding.0", d, freqDim);
    addLinear(l, "time_embedding.2", d, d);
    addLinear(l, "time_projection.1", 6 * d, d);
    for (int64_t i = 0; i < numLayers; ++i) {
        addDitBlock(l, "blocks." + std::to_string(i) + ".", d, ffnDim, qkNorm, crossAttnNorm);
    }
    addParam(l, "head.modulation", {1, 2, d}, ParamKind::Modulation);
    addLinear(l, "head.head", outDim * patchVolume(), d);
    return l;
}

bool DitConfig::operator==(const DitConfig& o) const {
    return inDim == o.inDim && outDim == o.outDim && dim == o.dim && ffnDim == o.ffnDim &&
           freqDim == o.freqDim && textDim == o.textDim && textLen == o.textLen &&
           numHeads == o.numHeads && numLayers == o.numLayers && patch == o.patch && eps == o.eps &&
           qkNorm == o.qkNorm && crossAttnNorm == o.crossAttnNorm;
}

} // namespace sfs::inference

namespace sfs::inference::models {

void readDitJson(const json::Value& v, const std::string& origin, DitConfig& c) {
    if (!v.isObject()) {
        throw std::invalid_argument(origin + ": the DiT config is not a JSON object");
    }
    auto integer = [&](const char* key, int64_t& out) {
        if (const auto* f = v.find(key)) {
            out = f->asInt(origin + ": " + key);
        }
    };
    auto boolean = [&](const char* key, bool& out) {
        if (const auto* f = v.find(key)) {
            out = f->asBool(origin + ": " + key);
        }
    };
    if (const auto* t = v.find("model_type")) {
        // A VACE model's base is the t2v DiT (its VACE part: models/wan_vace.h).
        const std::string type = t->asString(origin + ": model_type");
        if (type != "t2v" && type != "vace") {
            throw std::invalid_argument(origin + ": model_type '" + type +
                                        "' is not supported (only t2v and vace)");
        }
    }
    integer("in_dim", c.inDim);
    integer("out_dim", c.outDim);
    integer("dim", c.dim);
    integer("ffn_dim", c.ffnDim);
    integer("freq_dim", c.freqDim);
    integer("text_dim", c.textDim);
    integer("text_len", c.textLen);
    integer("num_heads", c.numHeads);
    integer("num_layers", c.numLayers);
    boolean("qk_norm", c.qkNorm);
    boolean("cross_attn_norm", c.crossAttnNorm);
    if (const auto* e = v.find("eps")) {
        c.eps = e->asDouble(origin + ": eps");
    }
    if (const auto* p = v.find("patch_size")) {
        const auto& a = p->asArray(origin + ": patch_size");
        if (a.size() != 3) {
            throw std::invalid_argument(origin + ": patch_size must have 3 entries");
        }
        for (size_t i = 0; i < 3; ++i) {
            c.patch[i] = a[i].asInt(origin + ": patch_size");
        }
    }
}

DitConfig ditConfigFromJson(const json::Value& v, const std::string& origin) {
    DitConfig c;
    readDitJson(v, origin, c);
    try {
        c.validate();
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(origin + ": " + e.what());
    }
    if (const auto* h = v.find("head_dim")) {
        if (h->asInt(origin + ": head_dim") != c.headDim()) {
            throw std::invalid_argument(
                origin + ": head_dim " + std::to_string(h->asInt()) +
                " contradicts dim / num_heads = " + std::to_string(c.headDim()));
        }
    }
    return c;
}

std::string ditConfigJson(const DitConfig& c) {
    std::ostringstream s;
    s.precision(17);
    s << "{\n  \"_class_name\": \"WanModel\",\n  \"model_type\": \"t2v\",\n"
      << "  \"dim\": " << c.dim << ",\n  \"num_heads\": " << c.numHeads
      << ",\n  \"num_layers\": " << c.numLayers << ",\n  \"ffn_dim\": " << c.ffnDim
      << ",\n  \"freq_dim\": " << c.freqDim << ",\n  \"text_dim\": " << c.textDim
      << ",\n  \"text_len\": " << c.textLen << ",\n  \"in_dim\": " << c.inDim
      << ",\n  \"out_dim\": " << c.outDim << ",\n  \"patch_size\": [" << c.patch[0] << ", "
      << c.patch[1] << ", " << c.patch[2] << "],\n  \"qk_norm\": " << (c.qkNorm ? "true" : "false")
      << ",\n  \"cross_attn_norm\": " << (c.crossAttnNorm ? "true" : "false")
      << ",\n  \"eps\": " << c.eps << "\n}\n";
    return s.str();
}

} // namespace sfs::inference::models
