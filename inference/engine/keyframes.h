#pragma once
// Keyframe conditioning inside the denoising loop (docs/keyframes.md): where each keyframe
// lands, the per-step blend of the predicted x0 toward its latent (landing and approach), and
// the --keyframe-report figures of a finished take. Training-free: only x0 is touched.
#include "pipeline/causal_generator.h"
#include "sfs/inference/engine.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace sfs::inference::engine {

// One request keyframe, resolved against the take.
struct KeyframeTarget {
    int64_t frame = 0;
    int64_t latentFrame = 0; // frame_grid::latentFrameOfFrame(frame)
    // Where generation block 0 starts: latent frame 0, or 1 after a context start (the blocks
    // are then shifted one latent frame against the chunk grid).
    int64_t firstBlockFrame = 0;
    int64_t chunk = 0; // the landing block (the chunk, without a context start)
    float strength = 1.0f;
    int64_t approachChunks = 0;
    float approachWeight = 0.0f;
    int approachSteps = 0;
    int64_t previousAnchor = 0; // latent frame of the keyframe before (0: the take's start)
    at::Tensor latent;          // [C, h, w] on the DiT's device and dtype
};

// The position a keyframe's latent is encoded for: frame 0 alone, any later frame as a clip.
KeyframePosition keyframePositionOf(int64_t frame);

// Latent frames pushed as context before block 0: 1 for a context start keyframe, else 0.
int64_t contextFramesOf(const std::vector<KeyframeImage>& keyframes);

// Targets sorted by frame; `latents[i]` belongs to keyframes[i]. A context start keyframe is a
// target too (for the report; no block holds its latent frame, so nothing blends it).
std::vector<KeyframeTarget> keyframeTargets(const std::vector<KeyframeImage>& keyframes,
                                            const std::vector<at::Tensor>& latents);

// The approach weight of latent frame `latentFrame` for `target` at denoising step `step`
// (0 outside its approach).
float approachWeightOf(const KeyframeTarget& target, int64_t latentFrame, int step);

// The step hook: landing blends and approach pulls on the block's x0 ([B, f, C, h, w]). A
// strength of 0 (or an approach weight of 0) touches nothing.
void applyKeyframes(const std::vector<KeyframeTarget>& targets, const pipeline::StepContext& step,
                    at::Tensor& x0);

// The report of each target whose block is among the first `chunksDone` generated ones
// (`generated[c]`: block c was denoised by this run), from the take's latents [F, C, h, w]
// float32 on the host (the changes are measured over the first min(F, latent frames of
// chunksDone blocks) of them).
std::vector<KeyframeReport> keyframeReports(const std::vector<KeyframeTarget>& targets,
                                            const at::Tensor& takeLatents, int64_t chunksDone,
                                            const std::vector<bool>& generated);

} // namespace sfs::inference::engine
