#include "engine/keyframes.h"

#include "sfs/inference/frame_grid.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <numeric>

namespace sfs::inference::engine {

namespace {

double smoothstep(double u) {
    u = std::clamp(u, 0.0, 1.0);
    return u * u * (3.0 - 2.0 * u);
}

// ‖a − b‖ / ‖b‖ (0 when both are zero).
double relativeDistance(const at::Tensor& a, const at::Tensor& b) {
    const double norm = b.norm().item<double>();
    const double diff = (a - b).norm().item<double>();
    return norm > 0 ? diff / norm : diff;
}

// The first latent frame of generation block `block`, and the block holding a latent frame.
int64_t firstLatentFrameOfBlock(const KeyframeTarget& t, int64_t block) {
    return t.firstBlockFrame + frame_grid::firstLatentFrameOfChunk(std::max<int64_t>(block, 0));
}

int64_t blockOfLatentFrame(int64_t firstBlockFrame, int64_t latentFrame) {
    return frame_grid::chunkOfLatentFrame(std::max<int64_t>(latentFrame - firstBlockFrame, 0));
}

} // namespace

KeyframePosition keyframePositionOf(int64_t frame) {
    return frame == 0 ? KeyframePosition::Start : KeyframePosition::Later;
}

int64_t contextFramesOf(const std::vector<KeyframeImage>& keyframes) {
    for (const KeyframeImage& k : keyframes) {
        if (k.frame == 0 && k.startMode == StartMode::Context) {
            return 1;
        }
    }
    return 0;
}

std::vector<KeyframeTarget> keyframeTargets(const std::vector<KeyframeImage>& keyframes,
                                            const std::vector<at::Tensor>& latents) {
    const int64_t firstBlockFrame = contextFramesOf(keyframes);
    std::vector<KeyframeTarget> out;
    for (size_t i = 0; i < keyframes.size(); ++i) {
        const KeyframeImage& k = keyframes[i];
        KeyframeTarget t;
        t.frame = k.frame;
        t.latentFrame = frame_grid::latentFrameOfFrame(k.frame);
        t.firstBlockFrame = firstBlockFrame;
        t.chunk = blockOfLatentFrame(firstBlockFrame, t.latentFrame);
        // The context is the latent itself: the report says strength 1, and it has no approach.
        const bool context = k.startMode == StartMode::Context;
        t.strength = context ? 1.0f : k.strength;
        t.approachChunks = context ? 0 : k.approachChunks;
        t.approachWeight = context ? 0.0f : k.approachWeight;
        t.approachSteps = context ? 0 : k.approachSteps;
        t.latent = latents[i];
        out.push_back(std::move(t));
    }
    std::sort(out.begin(), out.end(),
              [](const KeyframeTarget& a, const KeyframeTarget& b) { return a.frame < b.frame; });
    for (size_t i = 1; i < out.size(); ++i) {
        out[i].previousAnchor = out[i - 1].latentFrame;
    }
    return out;
}

float approachWeightOf(const KeyframeTarget& t, int64_t latentFrame, int step) {
    // Strength 0 means "no keyframe", bit for bit: no approach either.
    if (t.strength <= 0 || t.approachWeight <= 0 || t.approachChunks <= 0 ||
        step >= t.approachSteps) {
        return 0;
    }
    const int64_t first =
        std::max(t.previousAnchor + 1, firstLatentFrameOfBlock(t, t.chunk - t.approachChunks));
    const int64_t last = firstLatentFrameOfBlock(t, t.chunk) - 1; // the block before
    if (latentFrame < first || latentFrame > last) {
        return 0;
    }
    // Eases in toward the keyframe: the approach's last frame gets the full weight.
    const double u =
        static_cast<double>(latentFrame - first + 1) / static_cast<double>(last - first + 1);
    return static_cast<float>(t.approachWeight * smoothstep(u));
}

void applyKeyframes(const std::vector<KeyframeTarget>& targets, const pipeline::StepContext& step,
                    at::Tensor& x0) {
    for (const KeyframeTarget& t : targets) {
        for (int64_t i = 0; i < step.frames; ++i) {
            const int64_t frame = step.startFrame + i;
            float weight = 0;
            if (frame == t.latentFrame) {
                weight = t.strength; // landing: every step, the final latents included
            } else {
                weight = approachWeightOf(t, frame, step.step);
            }
            if (weight <= 0) {
                continue;
            }
            at::Tensor slot = x0.select(1, i); // [B, C, h, w]
            if (weight >= 1) {
                slot.copy_(t.latent.unsqueeze(0).expand_as(slot)); // exactly the keyframe
            } else {
                slot.mul_(1.0 - weight).add_(t.latent.unsqueeze(0), weight);
            }
        }
    }
}

std::vector<KeyframeReport> keyframeReports(const std::vector<KeyframeTarget>& targets,
                                            const at::Tensor& take, int64_t chunksDone,
                                            const std::vector<bool>& generated) {
    if (targets.empty()) {
        return {};
    }
    const int64_t frames =
        std::min<int64_t>(take.size(0), firstLatentFrameOfBlock(targets.front(), chunksDone));
    // change[i]: ‖z_{i+1} − z_i‖ / ‖z_i‖.
    std::vector<double> change;
    for (int64_t i = 0; i + 1 < frames; ++i) {
        change.push_back(relativeDistance(take[i + 1], take[i]));
    }
    std::vector<KeyframeReport> out;
    for (const KeyframeTarget& t : targets) {
        if (t.chunk >= chunksDone || !generated[static_cast<size_t>(t.chunk)]) {
            continue;
        }
        KeyframeReport r;
        r.frame = t.frame;
        r.latentFrame = t.latentFrame;
        r.strength = t.strength;
        r.relativeL2 =
            relativeDistance(take[t.latentFrame].to(at::kFloat), t.latent.to(at::kCPU, at::kFloat));
        // The snap window: pairs inside the landing chunk and the chunk before it.
        const int64_t from = t.chunk == 0 ? 0 : firstLatentFrameOfBlock(t, t.chunk - 1);
        const int64_t to = firstLatentFrameOfBlock(t, t.chunk + 1) - 1;
        std::vector<double> elsewhere;
        for (int64_t i = 0; i < static_cast<int64_t>(change.size()); ++i) {
            if (i >= from && i + 1 <= to) {
                r.snap = std::max(r.snap, change[static_cast<size_t>(i)]);
            } else {
                elsewhere.push_back(change[static_cast<size_t>(i)]);
            }
        }
        if (!elsewhere.empty()) {
            const size_t mid = elsewhere.size() / 2;
            std::nth_element(elsewhere.begin(), elsewhere.begin() + mid, elsewhere.end());
            r.medianChange = elsewhere[mid];
            if (elsewhere.size() % 2 == 0) {
                const double below = *std::max_element(elsewhere.begin(), elsewhere.begin() + mid);
                r.medianChange = (r.medianChange + below) / 2;
            }
        }
        out.push_back(r);
    }
    return out;
}

} // namespace sfs::inference::engine
