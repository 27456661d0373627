#pragma once
// VACE in the causal stream (docs/keyframes.md, "Keyframes with VACE"): which VACE context and
// scale each generated block's denoising calls take. A keyframe with `vace` gives its landing
// block a context in which its image fills the 4-frame pixel group of its latent frame (mask
// "keep" there, "generate" elsewhere; a start keyframe is thus a first-frame context), and its
// approach blocks the image as a reference frame at a scale rising toward vaceScale. The
// request's reference image conditions every other block at its own scale. The contexts are
// built once per image with the Wan VAE (models/vace_context.h) and kept as tokens; the hints
// join the denoising calls only (pipeline::GenerateRequest::blockHook).

#include "engine/keyframes.h"
#include "models/wan_vace.h"
#include "models/wan_vae.h"
#include "sfs/inference/engine.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <vector>

namespace sfs::inference::engine {

// What conditions one block: a context and its scale (undefined context: nothing).
struct VaceBlockPlan {
    enum class Kind { None, Landing, Approach, Reference } kind = Kind::None;
    size_t keyframe = 0;  // index into the request's keyframes (Landing, Approach)
    int64_t position = 0; // Landing: the keyframe's latent frame within the block
    float scale = 0.0f;
};

// The plan of the block that starts at latent frame `startFrame` with `frames` frames, block
// index `block` (targets: keyframeTargets of the request).
VaceBlockPlan planVaceBlock(const std::vector<KeyframeImage>& keyframes,
                            const std::vector<KeyframeTarget>& targets,
                            const ReferenceImage& reference, int64_t block, int64_t startFrame,
                            int64_t frames);

// RGB8 rows -> [3, 1, H, W] in [-1, 1].
at::Tensor rgbToPixels(const std::vector<uint8_t>& rgb, int width, int height);

// The context of a landing block: `image` ([3, 1, H, W]) fills the pixel frames of latent
// frame `position` of a block of `frames` latent frames (frame 0 alone for position 0, else
// its 4 frames), grey elsewhere; mask 0 on that group. [frames, 96, H/8, W/8] (pipeline
// layout), float32 on the VAE's device.
at::Tensor landingVaceContext(const models::WanVae& vae, const at::Tensor& image, int64_t position,
                              int64_t frames);
// A reference frame [1, channels, H/8, W/8]: [VAE(image) | 0 | 0] (channels: VACE's 96).
at::Tensor referenceVaceContext(const models::WanVae& vae, const at::Tensor& image,
                                int64_t channels);

class VaceConditioning {
public:
    VaceConditioning(const models::VaceModel& vace, const models::WanVae& vae,
                     const GenerationRequest& request, std::vector<KeyframeTarget> targets);

    // The hook for one block's denoising calls under `prompt` (the generator's), or null.
    models::DitBlockHook* hookFor(int64_t block, int64_t startFrame, int64_t frames,
                                  const at::Tensor& prompt);

private:
    at::Tensor tokensOf(const VaceBlockPlan& plan, int64_t frames);

    const models::VaceModel& m_vace;
    const models::WanVae& m_vae;
    const GenerationRequest& m_request;
    std::vector<KeyframeTarget> m_targets;
    std::map<std::pair<int, int64_t>, at::Tensor> m_tokens; // (kind, key) -> context tokens
    at::Tensor m_prompt;                                    // the text m_cross was made for
    std::vector<models::LayerKv> m_cross;
    std::unique_ptr<models::VaceHintHook> m_hook;
};

} // namespace sfs::inference::engine
