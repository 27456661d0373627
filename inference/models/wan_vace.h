#pragma once
// VACE on the causal DiT (shared/spec/vace.md §1-3): a patch embedding of the context and VACE
// blocks - the DiT's own block (DitModel::Layer, run by DitModel::runLayer) with before_proj
// (block 0) and after_proj - whose outputs, the hints, are added after the main blocks of
// vace_layers, scaled by one context scale. The hints are computed before the first main block
// of every call from that call's tokens, modulation, RoPE and text (DitBlockHook), and the
// VACE blocks keep no cache: their self-attention sees the call's tokens only (§6.5).
//
// Layouts: the context uses the pipeline layout [B, F, inDim, H, W], like the latents.

#include "models/wan_dit.h"

#include <sfs/inference/model_config.h>

#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

namespace sfs::inference::models {

using inference::VaceConfig;

// Seeded random VACE weights (the parameter list drawn by drawRandomWeights).
io::Weights makeRandomVaceWeights(const VaceConfig& config, uint64_t seed, at::ScalarType dtype,
                                  c10::Device device = c10::Device(c10::kCPU));

// The VACE tensors (vace_blocks.*, vace_patch_embedding.*) of a set of weights: a VACE-only
// file as is, or a full VaceWanModel whose main blocks are left out (the Self-Forcing DiT
// takes their place).
io::Weights vaceTensorsOf(const io::Weights& weights);

class VaceModel {
public:
    // Binds the VACE tensors to the blocks of `dit` (the shapes must fit it: checkFits);
    // every VACE tensor must be in `weights` and no other.
    VaceModel(std::shared_ptr<const DitModel> dit, VaceConfig config, const io::Weights& weights);

    const VaceConfig& config() const { return m_config; }
    const DitModel& dit() const { return *m_dit; }

    // vace_patch_embedding of a context [B, F, inDim, H, W]: tokens [B, F·h·w, C] in the
    // main tokens' (frame, row, column) order.
    at::Tensor embedContext(const at::Tensor& context) const;
    // Every VACE block's cross-attention K/V for a prompt [B, L <= textLen, textDim].
    std::vector<LayerKv> crossAttention(const at::Tensor& promptEmbeds) const;

    // The hints of one call: hint n = after_proj(c_n), c_0 = block_0(before_proj(context
    // tokens) + the call's tokens), c_n = block_n(c_{n-1}). contextTokens and state.tokens are
    // [B, L, C]; only the first validTokens rows are attended to as keys (-1: all), the rest
    // being padding. `streams`, when given, receives every c_n.
    std::vector<at::Tensor> hints(const DitCallState& state, const at::Tensor& contextTokens,
                                  const std::vector<LayerKv>& cross, int64_t validTokens = -1,
                                  std::vector<at::Tensor>* streams = nullptr) const;

private:
    std::shared_ptr<const DitModel> m_dit;
    VaceConfig m_config;
    std::vector<DitModel::Layer> m_blocks;
    at::Tensor m_beforeW, m_beforeB;
    std::vector<at::Tensor> m_afterW, m_afterB;
    at::Tensor m_patchW, m_patchB;
};

// The hint injection as a DiT call hook: x += hint_n · scale after main block vace_layers[n].
class VaceHintHook final : public DitBlockHook {
public:
    // contextTokens: embedContext of this call's context; cross: crossAttention of its prompt.
    VaceHintHook(const VaceModel& model, at::Tensor contextTokens,
                 const std::vector<LayerKv>& cross, double scale);

    void beforeBlocks(const DitCallState& state) override;
    void afterBlock(int64_t layer, at::Tensor& x) override;

    // The hints of the last call (for tests and the golden runner).
    const std::vector<at::Tensor>& hints() const { return m_hints; }
    const std::vector<at::Tensor>& streams() const { return m_streams; }

private:
    const VaceModel& m_model;
    at::Tensor m_context;
    const std::vector<LayerKv>& m_cross;
    double m_scale;
    std::vector<at::Tensor> m_hints;
    std::vector<at::Tensor> m_streams;
};

} // namespace sfs::inference::models
