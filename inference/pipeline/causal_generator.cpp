#include "pipeline/causal_generator.h"

#include "pipeline/host_memory.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/StringUtil.h>

#include <algorithm>
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

// A schedule edited while generating may only change what has not started: otherwise the
// chunks already made would not be what the final schedule says (and continue would differ).
void checkStartedSegmentsKept(const std::vector<PromptSegment>& before,
                              const std::vector<PromptSegment>& after, int64_t chunk) {
    for (size_t i = 0; i < before.size() && before[i].startChunk < chunk; ++i) {
        const PromptSegment& a = before[i];
        // The same tensor, or equal values (a schedule rebuilt from the prompt cache).
        auto sameEmbeds = [&](const at::Tensor& x) {
            return x.unsafeGetTensorImpl() == a.embeds.unsafeGetTensorImpl() ||
                   (x.sizes() == a.embeds.sizes() && x.scalar_type() == a.embeds.scalar_type() &&
                    at::equal(x, a.embeds.to(x.device())));
        };
        const bool kept = i < after.size() && after[i].startChunk == a.startChunk &&
                          sameEmbeds(after[i].embeds) && after[i].rampChunks == a.rampChunks &&
                          after[i].recache == a.recache;
        if (!kept) {
            throw std::logic_error("generate: the prompt schedule changed segment " +
                                   std::to_string(i) + ", which started before chunk " +
                                   std::to_string(chunk) +
                                   "; an edit applies from the next chunk as a new segment");
        }
    }
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
    case CallRole::Recache:
        return "recache";
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
    m_ringFrames = m_options.localAttnFrames == -1
                       ? m_options.capacityFrames
                       : m_options.localAttnFrames - m_options.sinkFrames;
    m_ring = at::zeros({m_options.batch, m_ringFrames, m_model->config().inDim,
                        m_options.latentHeight, m_options.latentWidth},
                       at::TensorOptions().dtype(m_model->dtype()).device(m_model->device()));
    m_ringBlockStart.assign(static_cast<size_t>(m_ringFrames), 0);
    if (m_options.cudaGraphs && StepGraphs::supported(m_model->device())) {
        m_graphs = std::make_unique<StepGraphs>();
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
    m_prompt = promptEmbeds;
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

at::Tensor CausalGenerator::call(const at::Tensor& x, const at::Tensor& t, const KvStep& step,
                                 models::DitOutput output, models::DitBlockHook* blockHook) {
    at::Tensor flow = forward(x, t, step, output, blockHook);
    m_kv.commit(step);
    return flow;
}

at::Tensor CausalGenerator::forward(const at::Tensor& x, const at::Tensor& t, const KvStep& step,
                                    models::DitOutput output, models::DitBlockHook* blockHook) {
    models::DitCallCaches caches;
    caches.self = &m_kv.layers();
    caches.plan = step.plan;
    caches.cross = &m_cross.layers();
    at::Tensor flow;
    try {
        flow = m_model->forward(x, t, step.ropeFrame, caches, output, blockHook);
    } catch (...) {
        m_failed = true; // rows may have moved in some layers and not in others
        throw;
    }
    return flow;
}

at::Tensor CausalGenerator::denoiseCall(const at::Tensor& x, const at::Tensor& t,
                                        const KvStep& step, models::DitBlockHook* blockHook) {
    if (!m_graphs || blockHook != nullptr) {
        return call(x, t, step, models::DitOutput::Flow, blockHook);
    }
    const models::DitConfig& c = m_model->config();
    const int64_t f = x.size(1);
    const at::Tensor rope =
        m_model->ropeTable(step.ropeFrame, f, x.size(3) / c.patch[1], x.size(4) / c.patch[2]);
    StepGraphKey key;
    key.plan = step.plan;
    key.ropeFrame = step.ropeFrame;
    key.frames = f;
    key.ropeTable = rope.data_ptr();
    at::Tensor flow;
    try {
        flow = m_graphs->run(key, rope, x, t, [&](const at::Tensor& gx, const at::Tensor& gt) {
            return forward(gx, gt, step, models::DitOutput::Flow, nullptr);
        });
    } catch (...) {
        m_failed = true;
        m_graphs->clear();
        throw;
    }
    m_kv.commit(step);
    // A replay's output belongs to the graph: observers keep a copy of their own.
    return m_observer ? flow.clone() : flow;
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
                                         const CancelCheck& cancel, const StepHook& hook,
                                         models::DitBlockHook* blockHook) {
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
        const at::Tensor flow = denoiseCall(x, t, m_kv.plan(m_frame, f), blockHook);
        x0 = m_schedule.flowToX0(x, flow, t);
        if (m_observer) {
            m_observer(
                {CallRole::Denoise, m_frame, f, static_cast<int>(k), steps[k], x, t, flow, x0});
        }
        if (hook) {
            if (m_observer) {
                x0 = x0.clone(); // what the observer holds stays the model's prediction
            }
            const auto shape = x0.sizes().vec();
            const auto dtype = x0.scalar_type();
            hook({m_frame, f, static_cast<int>(k), static_cast<int>(steps.size()), steps[k],
                  k + 1 == steps.size()},
                 x0);
            if (!x0.defined() || x0.sizes() != at::IntArrayRef(shape) ||
                x0.scalar_type() != dtype) {
                throw std::invalid_argument("generator: a step hook must keep x0's shape " +
                                            c10::str(at::IntArrayRef(shape)) + " and dtype");
            }
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
    const int64_t f = latents.size(1);
    const at::Tensor x = latents.to(m_model->device(), m_model->dtype());
    const at::Tensor t = cleanTimestep(role, f);
    // Only the cache writes matter; with an observer the whole call runs so it can be seen.
    const at::Tensor flow = call(x, t, m_kv.plan(m_frame, f),
                                 m_observer ? models::DitOutput::Flow : models::DitOutput::KvOnly);
    observeClean(role, m_frame, x, t, flow);
    for (int64_t j = 0; j < f; ++j) {
        const int64_t slot = (m_frame + j) % m_ringFrames;
        m_ring.select(1, slot).copy_(x.select(1, j));
        m_ringBlockStart[static_cast<size_t>(slot)] = m_frame;
    }
    m_frame += f;
}

at::Tensor CausalGenerator::cleanTimestep(CallRole role, int64_t frames) const {
    // The reference passes [B, 1] zeros for context and [B, F] for the cache update; a
    // re-cache is a cache update of frames already written (LongLive: [B, F] context_noise).
    const bool context = role == CallRole::Context;
    return at::full({m_options.batch, context ? 1 : frames},
                    context ? 0.0f : m_options.cacheTimestep,
                    at::TensorOptions().dtype(at::kFloat).device(m_model->device()));
}

void CausalGenerator::observeClean(CallRole role, int64_t startFrame, const at::Tensor& x,
                                   const at::Tensor& t, const at::Tensor& flow) {
    if (m_observer) {
        const float tValue = role == CallRole::Context ? 0.0f : m_options.cacheTimestep;
        m_observer(
            {role, startFrame, x.size(1), -1, tValue, x, t, flow, m_schedule.flowToX0(x, flow, t)});
    }
}

bool CausalGenerator::recache(const CancelCheck& cancel) {
    checkUsable();
    const int64_t tokensPerFrame = m_kv.options().tokensPerFrame;
    if (m_kv.indices().globalEnd != m_frame * tokensPerFrame) {
        throw std::logic_error("generator: re-cache while a block is denoised but not pushed "
                               "clean");
    }
    c10::InferenceMode guard;
    const int64_t first = m_kv.firstRewritableFrame();
    int64_t begin = first;
    while (begin < m_frame) {
        // One call per block as it was pushed; the oldest block may have lost frames to the
        // sink boundary or to eviction, and is replayed from the first frame still held.
        const int64_t blockStart = m_ringBlockStart[static_cast<size_t>(begin % m_ringFrames)];
        int64_t end = begin + 1;
        while (end < m_frame &&
               m_ringBlockStart[static_cast<size_t>(end % m_ringFrames)] == blockStart) {
            ++end;
        }
        if (cancel && cancel()) {
            return false;
        }
        const int64_t f = end - begin;
        // The block's frames in the ring, wrapping at most once (no index tensor: nothing to
        // copy from the host).
        const int64_t slot = begin % m_ringFrames;
        const int64_t head = std::min(f, m_ringFrames - slot);
        const at::Tensor x =
            head == f ? m_ring.narrow(1, slot, f)
                      : at::cat({m_ring.narrow(1, slot, head), m_ring.narrow(1, 0, f - head)}, 1);
        const at::Tensor t = cleanTimestep(CallRole::Recache, f);
        const at::Tensor flow =
            call(x, t, m_kv.planRewrite(begin, f),
                 m_observer ? models::DitOutput::Flow : models::DitOutput::KvOnly);
        if (m_observer) { // a record outlives the ring slots it was read from
            observeClean(CallRole::Recache, begin, x.clone(), t, flow);
        }
        begin = end;
    }
    return true;
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
    const int64_t blocks = static_cast<int64_t>(noiseBlocks.size());
    if (r.fromChunk < 0 || r.fromChunk > blocks) {
        throw std::invalid_argument("generate: cannot continue from chunk " +
                                    std::to_string(r.fromChunk) + " of " + std::to_string(blocks));
    }
    int64_t keptFrames = initial;
    for (int64_t i = 0; i < r.fromChunk; ++i) {
        keptFrames += noiseBlocks[static_cast<size_t>(i)];
    }
    if (r.fromChunk > 0 &&
        (!r.keptLatents.defined() || r.keptLatents.dim() != 5 || r.keptLatents.size(0) != o.batch ||
         r.keptLatents.size(1) < keptFrames || r.keptLatents.size(2) != c.inDim ||
         r.keptLatents.size(3) != o.latentHeight || r.keptLatents.size(4) != o.latentWidth)) {
        throw std::invalid_argument(
            "generate: continuing from chunk " + std::to_string(r.fromChunk) +
            " needs the kept latents of its first " + std::to_string(keptFrames) + " frames, got " +
            (r.keptLatents.defined() ? c10::str(r.keptLatents.sizes()) : std::string("none")));
    }

    c10::InferenceMode guard;
    g.reset();
    GenerateResult result;
    if (r.collectLatents) {
        result.latents =
            at::zeros({o.batch, initial + frames, c.inDim, o.latentHeight, o.latentWidth},
                      at::TensorOptions().dtype(g.model().dtype()).device(g.model().device()));
    }
    if (r.fromChunk > 0) { // a valid partial take from the start, even if cancelled at once
        if (r.collectLatents) {
            result.latents.narrow(1, initial, keptFrames - initial)
                .copy_(r.keptLatents.narrow(1, initial, keptFrames - initial));
        }
        result.framesDone = keptFrames;
        result.chunksDone = r.fromChunk;
    }
    ChunkPrompt fed; // what the cross-attention cache was last filled from
    if (r.prompts != nullptr) {
        g.setPrompt(r.prompts->embeds(fed));
    }
    auto stop = [&] {
        result.cancelled = true;
        return result;
    };
    int64_t offset = 0;
    for (int64_t piece : contextPieces) {
        if (r.cancel && r.cancel()) {
            return stop();
        }
        const at::Tensor latents = r.initialLatent.narrow(1, offset, piece);
        if (r.collectLatents) {
            result.latents.narrow(1, offset, piece).copy_(latents);
        }
        g.pushClean(latents, CallRole::Context);
        offset += piece;
        result.framesDone = std::max(result.framesDone, offset);
    }
    int64_t noiseOffset = 0;
    for (int64_t i = 0; i < blocks; ++i) {
        const int64_t f = noiseBlocks[static_cast<size_t>(i)];
        const int64_t start = g.currentFrame();
        if (r.prompts != nullptr && i > 0) {
            if (r.beforeChunk && i >= r.fromChunk) {
                const std::vector<PromptSegment> before = r.prompts->segments();
                r.beforeChunk(i);
                checkStartedSegmentsKept(before, r.prompts->segments(), i);
            }
            const ChunkPrompt now = r.prompts->promptOf(i);
            if (now != fed) {
                g.setPrompt(r.prompts->embeds(now));
                fed = now;
            }
            const int64_t segment = r.prompts->segmentStartingAt(i);
            if (segment >= 0 && r.prompts->segments()[static_cast<size_t>(segment)].recache &&
                !g.recache(r.cancel)) {
                return stop();
            }
        }
        at::Tensor x0;
        if (i < r.fromChunk) {
            x0 = r.keptLatents.narrow(1, offset, f);
            if (r.onChunk) {
                r.onChunk({i, start, x0, true});
            }
        } else {
            const at::Tensor noise = r.noise.defined() ? r.noise.narrow(1, noiseOffset, f)
                                                       : g.drawBlockNoise(f, *r.draws);
            models::DitBlockHook* blockHook = r.blockHook ? r.blockHook(i, start, f) : nullptr;
            x0 = g.denoiseBlock(noise, *r.draws, r.cancel, r.onStep, blockHook);
            if (!x0.defined()) {
                return stop();
            }
            if (r.collectLatents) {
                result.latents.narrow(1, offset, f).copy_(x0);
            }
            result.framesDone = offset + f;
            result.chunksDone = i + 1;
            if (r.onChunk) {
                r.onChunk({i, start, x0, false});
            }
        }
        offset += f;
        noiseOffset += f;
        const bool last = i + 1 == blocks;
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
