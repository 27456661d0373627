#include "engine/vace_conditioning.h"

#include "models/vace_context.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>

namespace sfs::inference::engine {

VaceBlockPlan planVaceBlock(const std::vector<KeyframeImage>& keyframes,
                            const std::vector<KeyframeTarget>& targets,
                            const ReferenceImage& reference, int64_t block, int64_t startFrame,
                            int64_t frames) {
    VaceBlockPlan best;
    for (size_t i = 0; i < keyframes.size(); ++i) {
        const KeyframeImage& k = keyframes[i];
        if (!k.vace || k.startMode == StartMode::Context) {
            continue;
        }
        // Targets are sorted by frame; two keyframes never share a frame.
        const auto found =
            std::find_if(targets.begin(), targets.end(),
                         [&](const KeyframeTarget& t) { return t.frame == k.frame; });
        if (found == targets.end()) {
            continue;
        }
        const KeyframeTarget& t = *found;
        if (t.latentFrame >= startFrame && t.latentFrame < startFrame + frames) {
            // The landing wins over any approach or reference.
            return {VaceBlockPlan::Kind::Landing, i, t.latentFrame - startFrame, k.vaceScale};
        }
        const int64_t first = t.chunk - t.approachChunks;
        if (block >= first && block < t.chunk) {
            // Rising over the approach: step n of N gets n / (N + 1) of the scale.
            const float scale = k.vaceScale * static_cast<float>(block - first + 1) /
                                static_cast<float>(t.approachChunks + 1);
            if (best.kind != VaceBlockPlan::Kind::Approach || scale > best.scale) {
                best = {VaceBlockPlan::Kind::Approach, i, 0, scale};
            }
        }
    }
    if (best.kind == VaceBlockPlan::Kind::None && !reference.empty()) {
        best = {VaceBlockPlan::Kind::Reference, 0, 0, reference.scale};
    }
    return best;
}

at::Tensor rgbToPixels(const std::vector<uint8_t>& rgb, int width, int height) {
    return at::from_blob(const_cast<uint8_t*>(rgb.data()), {height, width, 3}, at::kByte)
        .to(at::kFloat)
        .div(127.5)
        .sub(1.0)
        .permute({2, 0, 1})
        .reshape({3, 1, height, width})
        .contiguous();
}

at::Tensor landingVaceContext(const models::WanVae& vae, const at::Tensor& image, int64_t position,
                              int64_t frames) {
    c10::InferenceMode guard;
    const int64_t h = image.size(2), w = image.size(3);
    const int64_t time = vae.config().timeStride();
    // The encode: 1 + 4 (F - 1) pixel frames, latent frame 0 from pixel frame 0 alone.
    const int64_t pixelFrames = vae.config().videoFrames(frames);
    const int64_t first = position == 0 ? 0 : 1 + time * (position - 1);
    const int64_t count = position == 0 ? 1 : time;
    at::Tensor video = at::zeros({3, pixelFrames, h, w}, image.options());
    at::Tensor mask = at::ones({1, pixelFrames, h, w}, image.options());
    video.narrow(1, first, count).copy_(image.expand({3, count, h, w}));
    mask.narrow(1, first, count).zero_();
    const at::Tensor z = models::encodeVaceFrames(vae, video, mask);
    // The mask channels: 4 pixel frames per latent frame, so the keyframe's whole group reads
    // "keep" (the resampling picks frame 4d + 2 of latent frame d).
    at::Tensor grouped = at::ones({1, time * frames, h, w}, image.options());
    grouped.narrow(1, time * position, time).zero_();
    const at::Tensor m = models::foldVaceMask(grouped, 0, vae.config().spaceStride(), time);
    return at::cat({z, m.to(z.options())}, 0).permute({1, 0, 2, 3}).contiguous();
}

at::Tensor referenceVaceContext(const models::WanVae& vae, const at::Tensor& image,
                                int64_t channels) {
    c10::InferenceMode guard;
    const at::Tensor z =
        vae.encode(image.to(vae.device(), vae.dtype()).unsqueeze(0)).squeeze(0); // [16, 1, h, w]
    const at::Tensor zeros =
        at::zeros({channels - z.size(0), 1, z.size(2), z.size(3)}, z.options());
    return at::cat({z, zeros}, 0).permute({1, 0, 2, 3}).contiguous();
}

VaceConditioning::VaceConditioning(const models::VaceModel& vace, const models::WanVae& vae,
                                   const GenerationRequest& request,
                                   std::vector<KeyframeTarget> targets)
    : m_vace(vace), m_vae(vae), m_request(request), m_targets(std::move(targets)) {}

at::Tensor VaceConditioning::tokensOf(const VaceBlockPlan& plan, int64_t frames) {
    const auto key = std::make_pair(static_cast<int>(plan.kind),
                                    plan.kind == VaceBlockPlan::Kind::Landing
                                        ? static_cast<int64_t>(plan.keyframe) * 64 + plan.position
                                        : static_cast<int64_t>(plan.keyframe));
    if (auto it = m_tokens.find(key); it != m_tokens.end() && it->second.size(1) > 0) {
        return it->second;
    }
    const bool fromKeyframe = plan.kind != VaceBlockPlan::Kind::Reference;
    const KeyframeImage* k = fromKeyframe ? &m_request.keyframes[plan.keyframe] : nullptr;
    const at::Tensor image = fromKeyframe
                                 ? rgbToPixels(k->rgb, k->width, k->height)
                                 : rgbToPixels(m_request.reference.rgb, m_request.reference.width,
                                               m_request.reference.height);
    const at::Tensor context = plan.kind == VaceBlockPlan::Kind::Landing
                                   ? landingVaceContext(m_vae, image, plan.position, frames)
                                   : referenceVaceContext(m_vae, image, m_vace.config().inDim);
    const at::Tensor tokens = m_vace.embedContext(context.unsqueeze(0));
    m_tokens[key] = tokens;
    return tokens;
}

models::DitBlockHook* VaceConditioning::hookFor(int64_t block, int64_t startFrame, int64_t frames,
                                                const at::Tensor& prompt) {
    c10::InferenceMode guard;
    const VaceBlockPlan plan = planVaceBlock(m_request.keyframes, m_targets, m_request.reference,
                                             block, startFrame, frames);
    if (plan.kind == VaceBlockPlan::Kind::None || plan.scale == 0.0f) {
        return nullptr;
    }
    if (!m_prompt.defined() || !m_prompt.is_same(prompt)) {
        m_cross = m_vace.crossAttention(prompt);
        m_prompt = prompt;
    }
    at::Tensor tokens = tokensOf(plan, frames);
    const int64_t wanted =
        frames * (tokens.size(1) / (plan.kind == VaceBlockPlan::Kind::Landing ? frames : 1));
    if (tokens.size(1) < wanted) {
        // A reference frame sits at the block's first latent frame; the other positions get
        // zero tokens (as Scope pads a reference-only context).
        tokens = at::constant_pad_nd(tokens, {0, 0, 0, wanted - tokens.size(1)});
    }
    m_hook = std::make_unique<models::VaceHintHook>(m_vace, tokens, m_cross, plan.scale);
    return m_hook.get();
}

} // namespace sfs::inference::engine
