#pragma once
// Pieces the model cases share: manifest value helpers and the rule that every tensor of a
// golden file is used.

#include "golden.h"
#include "models/umt5.h"
#include "models/wan_vae.h"

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace sfs::golden {

inline std::vector<int64_t> manifestInts(const json::Value& v, const std::string& what) {
    std::vector<int64_t> out;
    for (const auto& e : v.asArray(what)) {
        out.push_back(e.asInt(what));
    }
    return out;
}

inline std::vector<bool> manifestFlags(const json::Value& v, const std::string& what) {
    std::vector<bool> out;
    for (const auto& e : v.asArray(what)) {
        out.push_back(e.asBool(what));
    }
    return out;
}

inline std::string listText(const std::vector<int64_t>& v) {
    std::ostringstream s;
    s << "[";
    for (size_t i = 0; i < v.size(); ++i) {
        s << (i ? ", " : "") << v[i];
    }
    s << "]";
    return s.str();
}

// The VAE configuration of a set (configs.vae).
inline inference::models::WanVaeConfig vaeConfigOf(const json::Value& c) {
    inference::models::WanVaeConfig cfg;
    cfg.dim = c.at("dim").asInt("dim");
    cfg.zDim = c.at("z_dim").asInt("z_dim");
    cfg.dimMult = manifestInts(c.at("dim_mult"), "dim_mult");
    cfg.numResBlocks = c.at("num_res_blocks").asInt("num_res_blocks");
    cfg.temporalDownsample = manifestFlags(c.at("temperal_downsample"), "temperal_downsample");
    if (const json::Value* attn = c.find("attn_scales"); attn && attn->size() != 0) {
        throw std::runtime_error("configs.vae.attn_scales is not empty: attention at other "
                                 "scales is not part of the Wan VAE as built here");
    }
    if (const json::Value* d = c.find("dropout"); d && d->asDouble("dropout") != 0.0) {
        throw std::runtime_error("configs.vae.dropout must be 0 (inference)");
    }
    return cfg;
}

// The UMT5 encoder configuration of a set (configs.t5_encoder).
inline inference::models::UMT5Config t5ConfigOf(const json::Value& cfg) {
    inference::models::UMT5Config c;
    c.vocab = cfg.at("vocab_size").asInt();
    c.dim = cfg.at("dim").asInt();
    c.dimAttn = cfg.at("dim_attn").asInt();
    c.dimFfn = cfg.at("dim_ffn").asInt();
    c.numHeads = cfg.at("num_heads").asInt();
    c.numLayers = cfg.at("encoder_layers").asInt();
    c.numBuckets = cfg.at("num_buckets").asInt();
    c.sharedPos = cfg.at("shared_pos").asBool();
    return c;
}

// The weights that go with an io file: "<component>_io.safetensors" ->
// "<component>_weights.safetensors".
inline std::string weightsFileOf(const std::string& ioFile) {
    return std::regex_replace(ioFile, std::regex("_io\\.safetensors$"), "_weights.safetensors");
}

// Holds a case to the rule that every tensor of its golden file is used: read as an input or
// compared. finish() fails the case for each tensor that was neither, naming it, so a set that
// grows a tensor cannot pass unchecked.
class TensorCoverage {
public:
    TensorCoverage(const GoldenSet& set, std::string file, Report& report)
        : m_set(set), m_file(std::move(file)), m_report(report) {}

    // A tensor the case feeds to the model.
    at::Tensor input(const std::string& name) {
        m_used.insert(name);
        return loadF32(m_set, m_file, name);
    }
    // Compares `mine` with the stored tensor (Report::compare semantics).
    void compare(const std::string& name, const at::Tensor& mine, double rtol = 1e-4,
                 const std::string& label = {}) {
        m_used.insert(name);
        m_report.compare(label.empty() ? name : label, mine, loadF32(m_set, m_file, name), rtol);
    }
    bool used(const std::string& name) const { return m_used.count(name) != 0; }
    void finish() {
        for (const auto& t : m_set.open(m_file)->tensors()) {
            if (m_used.count(t.name) == 0) {
                m_report.fail(t.name, "stored but neither used nor compared by this case");
            }
        }
    }

private:
    const GoldenSet& m_set;
    std::string m_file;
    Report& m_report;
    std::set<std::string> m_used;
};

} // namespace sfs::golden
