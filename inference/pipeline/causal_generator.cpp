#include "pipeline/causal_generator.h"

#include "pipeline/host_memory.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/StringUtil.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace sfs::inference::pipeline {

namespace {

KvCacheOptions kvOptions(const models::DitModel& model, const GeneratorOptions& o) {
    const models::DitConfig& c = model.config();
    KvCacheOptions k;
    k.layers = c.numLayers;
    k.batch = o.batch;
    k.heads = c.numHeads;
    k.headDim = c.headDim();
    k.tokensPerFrame = c.tokensPerFrame(o.latentHeight, o.latentWidth);
    k.capacityFrames = o.capacityFrames;
    k.localAttnFrames = o.localAttnFrames;
    k.sinkFrames = o.sinkFrames;
    k.positions = o.ropePositions;
    k.ropeFrames = o.ropeFrames;
    k.dtype = model.dtype();
    k.device = model.device();
    return k;
}

GeneratorOptions checked(GeneratorOptions o, const models::DitModel& model,
                         const FlowMatchSchedule& schedule) {
    const models::DitConfig& c = model.config();
    if (o.batch <= 0 || o.framesPerBlock <= 0) {
        throw std::invalid_argument("generator: batch and frames per block must be positive");
    }
    if (o.latentHeight <= 0 || o.latentWidth <= 0 || o.latentHeight % c.patch[1] != 0 ||
        o.latentWidth % c.patch[2] != 0) {
        throw std::invalid_argument("generator: the latent size " + std::to_string(o.latentWidth) +
                                    "x" + std::to_string(o.latentHeight) +
                                    " must be positive and divisible by the patch size");
    }
    if (o.timesteps.empty()) {
        o.timesteps = schedule.warp(FlowMatchSchedule::defaultSteps());
    }
    return o;
}

} // namespace

const char* callRoleName(CallRole role) {
    switch (role) {
    case CallRole::Context:
        return "context";
    case CallRole::Denoise:
        return "denoise";
    case CallRole::CacheUpdate:
        return "cache_update";
    }
    return "?";
}

CausalGenerator::CausalGenerator(std::shared_ptr<const models::DitModel> model,
                                 FlowMatchSchedule schedule, GeneratorOptions options)
    : m_model(std::move(model)), m_schedule(std::move(schedule)),
      m_options(checked(std::move(options), *m_model, m_schedule)),
      m_kv(kvOptions(*m_model, m_options)),
      m_cross(m_model->config().numLayers, m_options.batch, m_model->config().numHeads,
              m_model->config().textLen, m_model->config().headDim(), m_model->dtype(),
              m_model->device()) {
    if (m_model->device().is_cpu()) {
        keepHostMemoryForReuse();
    }
}

void CausalGenerator::setPrompt(const at::Tensor& promptEmbeds) {
    if (promptEmbeds.dim() != 3 || promptEmbeds.size(0) != m_options.batch) {
        throw std::invalid_argument("generator: prompt embeddings must be [" +
                                    std::to_string(m_options.batch) + ", L, text_dim], got " +
                                    c10::str(promptEmbeds.sizes()));
    }
    m_cross.setValid(false);
    m_model->fillCrossAttention(promptEmbeds, m_cross.layers());
    m_cross.setValid(true);
}

void CausalGenerator::reset() {
    m_kv.reset();
    m_frame = 0;
    m_failed = false;
}

void CausalGenerator::checkUsable() const {
    if (m_failed) {
        throw std::logic_error("generator: an earlier call failed half-way; reset() first");
    }
    if (!m_cross.valid()) {
        throw std::logic_error("generator: no prompt set");
    }
}

void CausalGenerator::checkLatents(const at::Tensor& x, const char* what) const {
    const models::DitConfig& c = m_model->config();
    if (x.dim() != 5 || x.size(0) != m_options.batch || x.size(1) <= 0 || x.size(2) != c.inDim ||
        x.size(3) != m_options.latentHeight || x.size(4) != m_options.latentWidth) {
        throw std::invalid_argument(
            std::string("generator: ") + what + " must be [" + std::to_string(m_options.batch) +
            ", F, " + std::to_string(c.inDim) + ", " + std::to_string(m_options.latentHeight) +
            ", " + std::to_string(m_options.latentWidth) + "], got " + c10::str(x.sizes()));
    }
}

at::Tensor CausalGenerator::call(const at::Tensor& x, const at::Tensor& t,
                                 models::DitOutput output) {
    const KvStep step = m_kv.plan(m_frame, x.size(1));
    models::DitCallCaches caches;
    caches.self = &m_kv.layers();
    caches.plan = step.plan;
    caches.cross = &m_cross.layers();
    at::Tensor flow;
    try {
        flow = m_model->forward(x, t, step.ropeFrame, caches, output);
    } catch (...) {
        m_failed = true; // rows may have moved in some layers and not in others
        throw;
    }
    m_kv.commit(step);
    return flow;
}

at::Tensor CausalGenerator::drawBlockNoise(int64_t frames, NoiseSource& draws) const {
    c10::InferenceMode guard;
    const models::DitConfig& c = m_model->config();
    at::Tensor noise =
        at::empty({m_options.batch, frames, c.inDim, m_options.latentHeight, m_options.latentWidth},
                  at::TensorOptions().dtype(m_model->dtype()).device(m_model->device()));
    draws.fill(noise, {m_frame, -1});
    return noise;
}

at::Tensor CausalGenerator::denoiseBlock(const at::Tensor& noise, NoiseSource& draws,
                                         const CancelCheck& cancel) {
    checkUsable();
    checkLatents(noise, "block noise");
    c10::InferenceMode guard;
    const auto opts = at::TensorOptions().device(m_model->device());
    const int64_t b = noise.size(0), f = noise.size(1);
    const std::vector<float>& steps = m_options.timesteps;
    at::Tensor x = noise.to(m_model->device(), m_model->dtype());
    at::Tensor eps = at::empty({b * f, noise.size(2), noise.size(3), noise.size(4)},
                               opts.dtype(m_model->dtype()));
    at::Tensor x0;
    for (size_t k = 0; k < steps.size(); ++k) {
        if (cancel && cancel()) {
            return {};
        }
        const at::Tensor t = at::full({b, f}, steps[k], opts.dtype(at::kFloat));
        const at::Tensor flow = call(x, t, models::DitOutput::Flow);
        x0 = m_schedule.flowToX0(x, flow, t);
        if (m_observer) {
            m_observer(
                {CallRole::Denoise, m_frame, f, static_cast<int>(k), steps[k], x, t, flow, x0});
        }
        if (k + 1 < steps.size()) {
            draws.fill(eps, {m_frame, static_cast<int>(k), f});
            x = m_schedule.addNoise(x0.flatten(0, 1), eps, steps[k + 1]).view(x0.sizes());
        }
    }
    return x0;
}

void CausalGenerator::pushClean(const at::Tensor& latents, CallRole role) {
    checkUsable();
    checkLatents(latents, "clean latents");
    if (role == CallRole::Denoise) {
        throw std::invalid_argument("generator: a clean pass is a context or cache-update call");
    }
    c10::InferenceMode guard;
    const int64_t b = latents.size(0), f = latents.size(1);
    const at::Tensor x = latents.to(m_model->device(), m_model->dtype());
    // The reference passes [B, 1] zeros for context and [B, F] for the cache update.
    const float tValue = role == CallRole::Context ? 0.0f : m_options.cacheTimestep;
    const at::Tensor t = at::full({b, role == CallRole::Context ? 1 : f}, tValue,
                                  at::TensorOptions().dtype(at::kFloat).device(m_model->device()));
    // Only the cache writes matter; with an observer the whole call runs so it can be seen.
    const at::Tensor flow =
        call(x, t, m_observer ? models::DitOutput::Flow : models::DitOutput::KvOnly);
    if (m_observer) {
        m_observer({role, m_frame, f, -1, tValue, x, t, flow, m_schedule.flowToX0(x, flow, t)});
    }
    m_frame += f;
}

std::vector<int64_t> blockSizes(int64_t frames, int64_t framesPerBlock, bool independentFirst) {
    std::vector<int64_t> sizes;
    int64_t rest = frames;
    if (independentFirst && rest > 0) {
        sizes.push_back(1);
        rest -= 1;
    }
    if (frames <= 0 || framesPerBlock <= 0 || rest % framesPerBlock != 0) {
        throw std::invalid_argument(
            std::to_string(frames) + " latent frames do not split into blocks of " +
            std::to_string(framesPerBlock) + (independentFirst ? " after one first frame" : ""));
    }
    for (int64_t i = 0; i < rest / framesPerBlock; ++i) {
        sizes.push_back(framesPerBlock);
    }
    return sizes;
}

GenerateResult generate(CausalGenerator& g, const GenerateRequest& r) {
    const GeneratorOptions& o = g.options();
    const models::DitConfig& c = g.model().config();
    if (r.draws == nullptr) {
        throw std::invalid_argument("generate: a noise source is required");
    }
    const int64_t frames = r.noise.defined() ? r.noise.size(1) : r.frames;
    const int64_t initial = r.initialLatent.defined() ? r.initialLatent.size(1) : 0;
    // The first frame is independent of the blocks only once: in the context when there is
    // one, otherwise in the noise.
    const std::vector<int64_t> noiseBlocks =
        blockSizes(frames, o.framesPerBlock, r.independentFirstFrame && initial == 0);
    const std::vector<int64_t> contextPieces =
        initial > 0 ? blockSizes(initial, o.framesPerBlock, r.independentFirstFrame)
                    : std::vector<int64_t>{};

    if (o.localAttnFrames == -1 && initial + frames > o.capacityFrames) {
        throw std::invalid_argument("generate: " + std::to_string(initial + frames) +
                                    " latent frames exceed the global cache of " +
                                    std::to_string(o.capacityFrames) +
                                    " frames (use a local attention window for longer takes)");
    }

    c10::InferenceMode guard;
    g.reset();
    GenerateResult result;
    result.latents =
        at::zeros({o.batch, initial + frames, c.inDim, o.latentHeight, o.latentWidth},
                  at::TensorOptions().dtype(g.model().dtype()).device(g.model().device()));
    int64_t offset = 0;
    for (int64_t piece : contextPieces) {
        if (r.cancel && r.cancel()) {
            result.cancelled = true;
            return result;
        }
        const at::Tensor latents = r.initialLatent.narrow(1, offset, piece);
        result.latents.narrow(1, offset, piece).copy_(latents);
        g.pushClean(latents, CallRole::Context);
        offset += piece;
        result.framesDone = offset;
    }
    int64_t noiseOffset = 0;
    for (size_t i = 0; i < noiseBlocks.size(); ++i) {
        const int64_t f = noiseBlocks[i];
        const int64_t start = g.currentFrame();
        const at::Tensor noise =
            r.noise.defined() ? r.noise.narrow(1, noiseOffset, f) : g.drawBlockNoise(f, *r.draws);
        const at::Tensor x0 = g.denoiseBlock(noise, *r.draws, r.cancel);
        if (!x0.defined()) {
            result.cancelled = true;
            return result;
        }
        result.latents.narrow(1, offset, f).copy_(x0);
        offset += f;
        noiseOffset += f;
        result.framesDone = offset;
        if (r.onChunk) {
            r.onChunk({static_cast<int64_t>(i), start, x0});
        }
        const bool last = i + 1 == noiseBlocks.size();
        if (last && !r.refreshLastBlock) {
            break;
        }
        if (r.cancel && r.cancel()) {
            result.cancelled = !last;
            return result;
        }
        g.pushClean(x0, CallRole::CacheUpdate);
    }
    return result;
}

} // namespace sfs::inference::pipeline
