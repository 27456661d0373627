#include "models/wan_vace.h"

#include "models/parameters.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/StringUtil.h>

#include <stdexcept>

namespace sfs::inference::models {

io::Weights makeRandomVaceWeights(const VaceConfig& config, uint64_t seed, at::ScalarType dtype,
                                  c10::Device device) {
    return drawRandomWeights(config, seed, dtype, device, "VACE");
}

io::Weights vaceTensorsOf(const io::Weights& weights) {
    io::Weights out(weights.origin());
    for (const std::string& name : weights.names()) {
        if (name.rfind("vace_blocks.", 0) == 0 || name.rfind("vace_patch_embedding.", 0) == 0) {
            out.insert(name, weights.get(name));
        }
    }
    return out;
}

VaceModel::VaceModel(std::shared_ptr<const DitModel> dit, VaceConfig config,
                     const io::Weights& weights)
    : m_dit(std::move(dit)), m_config(std::move(config)) {
    if (!m_dit) {
        throw std::invalid_argument("VACE: no DiT to run beside");
    }
    try {
        m_config.checkFits(m_dit->config());
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(weights.origin() + ": " + e.what());
    }
    const BoundParameters params(m_config.parameters(), weights,
                                 "VACE add-on with " + m_config.describe());
    if (params.dtype() != m_dit->dtype() || params.device() != m_dit->device()) {
        throw std::invalid_argument(weights.origin() + ": the VACE weights are " +
                                    c10::toString(params.dtype()) + " on " + params.device().str() +
                                    ", the DiT's " + c10::toString(m_dit->dtype()) + " on " +
                                    m_dit->device().str());
    }
    for (int64_t n = 0; n < m_config.numBlocks(); ++n) {
        const std::string b = "vace_blocks." + std::to_string(n) + ".";
        m_blocks.push_back(m_dit->bindLayer(params, b));
        m_afterW.push_back(params[b + "after_proj.weight"]);
        m_afterB.push_back(params[b + "after_proj.bias"]);
    }
    m_beforeW = params["vace_blocks.0.before_proj.weight"];
    m_beforeB = params["vace_blocks.0.before_proj.bias"];
    m_patchW = params["vace_patch_embedding.weight"];
    m_patchB = params["vace_patch_embedding.bias"];
    params.requireAllTaken();
}

at::Tensor VaceModel::embedContext(const at::Tensor& context) const {
    c10::InferenceMode guard;
    const VaceConfig& c = m_config;
    if (context.dim() != 5 || context.size(2) != c.inDim || context.size(3) % c.patch[1] != 0 ||
        context.size(4) % c.patch[2] != 0) {
        throw std::invalid_argument("VACE: the context must be [B, F, " + std::to_string(c.inDim) +
                                    ", H, W] with H, W divisible by the patch size, got " +
                                    c10::str(context.sizes()));
    }
    const at::Tensor x = context.to(m_dit->device(), m_dit->dtype());
    return at::conv3d(x.permute({0, 2, 1, 3, 4}), m_patchW, m_patchB,
                      {c.patch[0], c.patch[1], c.patch[2]})
        .flatten(2)
        .transpose(1, 2)
        .contiguous();
}

std::vector<LayerKv> VaceModel::crossAttention(const at::Tensor& promptEmbeds) const {
    c10::InferenceMode guard;
    const at::Tensor text = m_dit->embedText(promptEmbeds);
    std::vector<LayerKv> out;
    for (const DitModel::Layer& block : m_blocks) {
        out.push_back(m_dit->crossKv(block, text));
    }
    return out;
}

std::vector<at::Tensor> VaceModel::hints(const DitCallState& state, const at::Tensor& contextTokens,
                                         const std::vector<LayerKv>& cross, int64_t validTokens,
                                         std::vector<at::Tensor>* streams) const {
    c10::InferenceMode guard;
    if (contextTokens.sizes() != state.tokens.sizes()) {
        throw std::invalid_argument("VACE: the context has " + c10::str(contextTokens.sizes()) +
                                    " tokens where the latents have " +
                                    c10::str(state.tokens.sizes()) +
                                    " (the same frames and size are needed)");
    }
    if (cross.size() != m_blocks.size()) {
        throw std::invalid_argument("VACE: cross-attention K/V for " +
                                    std::to_string(cross.size()) + " blocks, the model has " +
                                    std::to_string(m_blocks.size()));
    }
    const int64_t b = state.tokens.size(0), l = state.tokens.size(1);
    const DitConfig& dc = m_dit->config();
    // The blocks' self-attention over this call's tokens only: a scratch cache of L rows.
    LayerKv scratch{at::empty({b, dc.numHeads, l, dc.headDim()}, state.tokens.options()),
                    at::empty({b, dc.numHeads, l, dc.headDim()}, state.tokens.options())};
    KvWritePlan plan;
    plan.attendEnd = validTokens < 0 ? l : validTokens;
    at::Tensor c = at::linear(contextTokens, m_beforeW, m_beforeB).add_(state.tokens);
    std::vector<at::Tensor> out;
    for (size_t n = 0; n < m_blocks.size(); ++n) {
        m_dit->runLayer(m_blocks[n], c, state, scratch, plan, cross[n]);
        out.push_back(at::linear(c, m_afterW[n], m_afterB[n]));
        if (streams != nullptr) {
            streams->push_back(c.clone());
        }
    }
    return out;
}

VaceHintHook::VaceHintHook(const VaceModel& model, at::Tensor contextTokens,
                           const std::vector<LayerKv>& cross, double scale)
    : m_model(model), m_context(std::move(contextTokens)), m_cross(cross), m_scale(scale) {}

void VaceHintHook::beforeBlocks(const DitCallState& state) {
    m_streams.clear();
    m_hints = m_model.hints(state, m_context, m_cross, -1, &m_streams);
}

void VaceHintHook::afterBlock(int64_t layer, at::Tensor& x) {
    const auto& layers = m_model.config().layers;
    for (size_t n = 0; n < layers.size(); ++n) {
        if (layers[n] == layer) {
            x.add_(m_hints[n], m_scale);
        }
    }
}

} // namespace sfs::inference::models
