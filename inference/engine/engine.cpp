// The engine: models loaded once and kept warm, and one generation as a chunk loop on the
// calling thread feeding decode workers (engine/decode_worker.h).
#include "sfs/inference/engine.h"

#include "engine/decode_worker.h"
#include "engine/take_noise.h"
#include "io/model_loader.h"
#include "models/taehv.h"
#include "models/wan_dit.h"
#include "models/wan_vae.h"
#include "pipeline/causal_generator.h"
#include "runtime/torch_placement.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/text.h"
#include "text/prompt_encoder.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

namespace sfs::inference {

namespace {

using Clock = std::chrono::steady_clock;

bool samePlacement(const Placement& a, const Placement& b) {
    return a.device == b.device && a.precision == b.precision;
}

// The generator's geometry; a generator is kept while a request asks for the same one.
struct GeneratorKey {
    int64_t latentHeight = 0, latentWidth = 0, capacityFrames = 0, window = -1, sink = 0;
    pipeline::RopePositions positions = pipeline::RopePositions::Absolute;
    std::vector<float> timesteps;
    bool operator==(const GeneratorKey& o) const {
        return latentHeight == o.latentHeight && latentWidth == o.latentWidth &&
               capacityFrames == o.capacityFrames && window == o.window && sink == o.sink &&
               positions == o.positions && timesteps == o.timesteps;
    }
};

// The latent frames Self-Forcing was trained on (81 video frames): full context is bounded by
// it, longer takes run with a rolling window (pipeline::planAttention).
constexpr int64_t kTrainedLatentFrames = 21;

// The attention a request really runs with. A setting no plan can serve is a request error.
pipeline::AttentionPlan attentionPlanFor(const GenerationRequest& r) {
    try {
        return pipeline::planAttention(chunksOf(r) * frame_grid::kLatentFramesPerChunk,
                                       r.windowLatentFrames, r.sinkLatentFrames,
                                       kTrainedLatentFrames, frame_grid::kLatentFramesPerChunk);
    } catch (const std::invalid_argument& e) {
        throw RequestError("windowLatentFrames", e.what());
    }
}

} // namespace

struct Engine::Impl {
    EngineOptions options;
    engine::NoiseFactory makeNoise = engine::makeTakeNoise;

    // What is loaded, and where.
    std::string modelName;
    std::optional<ModelSet> set;
    Placement ditPlace, vaePlace, taehvPlace, textPlace;
    std::shared_ptr<const models::DitModel> dit;
    std::shared_ptr<const models::WanVae> vae;
    std::shared_ptr<const models::Taehv> taehv;
    std::unique_ptr<text::PromptEncoder> prompts;
    std::unique_ptr<pipeline::CausalGenerator> generator;
    GeneratorKey generatorKey;

    mutable std::mutex statsMutex;
    EngineStats stats;

    RuntimeInfo machine() const { return options.machine ? *options.machine : queryRuntime(); }
    uint64_t hostBytes() const {
        return options.hostMemoryBytes ? *options.hostMemoryBytes : hostMemoryBytes();
    }

    void load(const std::string& model, const DeviceRequest& request,
              const std::vector<std::string>& decoders, const GenerationObserver& observer);
    std::vector<at::Tensor> encodePrompts(const GenerationRequest& request);
    pipeline::CausalGenerator& generatorFor(const GenerationRequest& request,
                                            const pipeline::AttentionPlan& plan);
    models::DecoderModels decoderModels() const { return {vae, taehv}; }
};

void Engine::Impl::load(const std::string& model, const DeviceRequest& request,
                        const std::vector<std::string>& decoders,
                        const GenerationObserver& observer) {
    if (!set || model != modelName) {
        ModelSet resolved;
        try {
            resolved = resolveModelSet(model);
        } catch (const std::exception& e) {
            // What is loaded stays loaded: a request for it again is still warm.
            throw EngineError(std::string("cannot use the model folder: ") + e.what());
        }
        set = std::move(resolved);
        modelName = model;
        dit.reset();
        vae.reset();
        taehv.reset();
        prompts.reset();
        generator.reset();
    }
    const RuntimeInfo facts = machine();
    Placement wantDit, wantVae, wantTaehv, wantText;
    try {
        wantDit = choosePlacement(ComputeRole::Dit, request, facts);
        wantVae = choosePlacement(ComputeRole::Vae, request, facts);
        wantTaehv = choosePlacement(ComputeRole::Taehv, request, facts);
        wantText = choosePlacement(ComputeRole::TextEncoder, request, facts);
    } catch (const DeviceUnavailable& e) {
        throw RequestError("device", e.what());
    }

    const bool wantsVae =
        std::count(decoders.begin(), decoders.end(), models::kWanVaeDecoderName) > 0;
    const bool wantsTaehv =
        std::count(decoders.begin(), decoders.end(), models::kTaehvDecoderName) > 0;
    if (wantsTaehv && !set->taehv) {
        throw RequestError("decoder", "taehv needs a TAEHV file (taew2_1.pth) in " + set->root +
                                          "; none was found");
    }
    const bool loadDit = !dit || !samePlacement(ditPlace, wantDit);
    const bool loadVae = (wantsVae || vae) && (!vae || !samePlacement(vaePlace, wantVae));
    const bool loadTaehv =
        (wantsTaehv || taehv) && (!taehv || !samePlacement(taehvPlace, wantTaehv));
    const int count = int(loadDit) + int(loadVae) + int(loadTaehv);
    int index = 0;

    const auto weightsOf = [&](const char* part, const ModelFile& file, ModelRole role,
                               const Placement& place) {
        if (observer.loading) {
            observer.loading({part, file.path, ++index, count});
        }
        io::LoadOptions options;
        options.dtype = torchDtype(place.precision);
        options.device = torchDevice(place);
        options.section = file.section;
        try {
            return io::loadModelWeights(file.path, role, options);
        } catch (const std::exception& e) {
            throw EngineError(std::string("cannot load the ") + part + ": " + e.what());
        }
    };
    const auto count1 = [&](int64_t EngineStats::*counter) {
        std::lock_guard<std::mutex> lock(statsMutex);
        ++(stats.*counter);
    };
    if (loadDit) {
        dit.reset();
        generator.reset();
        dit = std::make_shared<const models::DitModel>(
            set->dit, weightsOf("DiT", set->ditFile, ModelRole::Dit, wantDit));
        ditPlace = wantDit;
        count1(&EngineStats::ditLoads);
    }
    if (loadVae) {
        vae.reset();
        vae = std::make_shared<const models::WanVae>(
            set->vae, weightsOf("Wan VAE", set->vaeFile, ModelRole::Vae, wantVae));
        vaePlace = wantVae;
        count1(&EngineStats::vaeLoads);
    }
    if (loadTaehv) {
        taehv.reset();
        taehv = std::make_shared<const models::Taehv>(
            *set->taehv, weightsOf("TAEHV", set->taehvFile, ModelRole::Taehv, wantTaehv));
        taehvPlace = wantTaehv;
        count1(&EngineStats::taehvLoads);
    }
    if (!prompts || !samePlacement(textPlace, wantText)) {
        text::PromptEncoderOptions o;
        o.encoderPath = set->textEncoderFile.path;
        o.tokenizerPath = set->tokenizerPath;
        o.textLen = static_cast<int>(set->dit.textLen);
        o.device = request;
        if (!options.diskPromptCache) {
            o.cacheDir.clear();
        }
        prompts = std::make_unique<text::PromptEncoder>(std::move(o));
        textPlace = wantText;
    }
}

std::vector<at::Tensor> Engine::Impl::encodePrompts(const GenerationRequest& request) {
    std::vector<std::string> texts;
    texts.reserve(request.prompts.size());
    for (const PromptSegment& s : request.prompts) {
        texts.push_back(s.text);
    }
    const int64_t before = prompts->encoderRuns();
    std::vector<at::Tensor> embeds;
    try {
        embeds = prompts->encode(texts);
    } catch (const std::exception& e) {
        throw EngineError(std::string("cannot encode the prompts: ") + e.what());
    }
    {
        std::lock_guard<std::mutex> lock(statsMutex);
        stats.textEncoderRuns += prompts->encoderRuns() - before;
    }
    for (at::Tensor& e : embeds) {
        e = e.to(dit->device(), dit->dtype()).unsqueeze(0);
    }
    return embeds;
}

pipeline::CausalGenerator& Engine::Impl::generatorFor(const GenerationRequest& r,
                                                      const pipeline::AttentionPlan& plan) {
    pipeline::FlowMatchSchedule schedule;
    GeneratorKey key;
    key.latentHeight = r.height / 8;
    key.latentWidth = r.width / 8;
    key.capacityFrames = plan.capacityFrames;
    key.window = plan.windowFrames;
    key.sink = plan.sinkFrames;
    key.positions = plan.positions;
    key.timesteps =
        schedule.warp(r.steps.empty() ? pipeline::FlowMatchSchedule::defaultSteps() : r.steps);
    if (!generator || !(key == generatorKey)) {
        generator.reset(); // its caches go before the new ones are allocated
        pipeline::GeneratorOptions o;
        o.latentHeight = key.latentHeight;
        o.latentWidth = key.latentWidth;
        o.framesPerBlock = frame_grid::kLatentFramesPerChunk;
        o.capacityFrames = key.capacityFrames;
        o.localAttnFrames = key.window;
        o.sinkFrames = key.sink;
        o.ropePositions = key.positions;
        o.timesteps = key.timesteps;
        generator = std::make_unique<pipeline::CausalGenerator>(dit, schedule, o);
        generatorKey = key;
    }
    generator->reset();
    return *generator;
}

Engine::Engine(EngineOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
}

Engine::~Engine() = default;

void Engine::load(const std::string& model, const DeviceRequest& device,
                  const GenerationObserver& observer) {
    m_impl->load(model, device, {models::kWanVaeDecoderName}, observer);
}

EngineStats Engine::stats() const {
    std::lock_guard<std::mutex> lock(m_impl->statsMutex);
    return m_impl->stats;
}

std::optional<ModelSet> Engine::models() const {
    return m_impl->set;
}

GenerationResult Engine::generate(const GenerationRequest& r, const GenerationObserver& observer,
                                  const CancelCheck& cancel) {
    Impl& d = *m_impl;
    validateRequest(r);
    const std::vector<std::string>& known = models::streamDecoderNames();
    std::vector<std::string> decoders{r.finalDecoder};
    if (!r.previewDecoder.empty()) {
        decoders.push_back(r.previewDecoder);
    }
    for (size_t i = 0; i < decoders.size(); ++i) {
        if (std::find(known.begin(), known.end(), decoders[i]) == known.end()) {
            throw RequestError(i == 0 ? "finalDecoder" : "previewDecoder",
                               "\"" + decoders[i] + "\" is not one of wan-vae, taehv");
        }
    }
    const auto stage = [&](Stage s) {
        if (observer.stage) {
            observer.stage(s);
        }
    };

    stage(Stage::Loading);
    d.load(r.model, r.device, decoders, observer);
    const pipeline::AttentionPlan plan = attentionPlanFor(r);
    GenerationRequest planned = r; // the memory the take needs is that of the planned window
    planned.windowLatentFrames = plan.windowFrames;
    planned.sinkLatentFrames = plan.sinkFrames;
    const bool textShares = d.textPlace.device == d.ditPlace.device;
    const MemoryEstimate need = estimateMemory(*d.set, planned, d.ditPlace.precision, textShares);
    const std::string shortfall =
        memoryShortfall(need, d.ditPlace.device, d.machine(), d.hostBytes());
    if (!shortfall.empty()) {
        throw EngineError(shortfall);
    }
    if (d.set->demo && observer.warning) {
        observer.warning(kDemoModelWarning);
    }
    if (!plan.warning.empty() && observer.warning) {
        observer.warning(plan.warning);
    }

    stage(Stage::EncodingPrompts);
    c10::InferenceMode inference;
    const std::vector<at::Tensor> embeds = d.encodePrompts(r);

    stage(Stage::Generating);
    const auto started = Clock::now();
    pipeline::CausalGenerator& generator = d.generatorFor(r, plan);
    const std::unique_ptr<pipeline::NoiseSource> noise = d.makeNoise(r.seed);
    const int64_t chunks = chunksOf(r);
    const int64_t chunkFrames = frame_grid::kLatentFramesPerChunk;

    // The decode worker reports progress after each chunk's last frame.
    int64_t chunksDecoded = 0; // decode thread only, read after join
    const auto chunkDecoded = [&](int64_t, int64_t) {
        ++chunksDecoded;
        if (!observer.progress) {
            return;
        }
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        GenerationProgress p;
        p.chunksDone = chunksDecoded;
        p.chunksTotal = chunks;
        p.framesDone = frame_grid::framesForChunks(chunksDecoded);
        p.framesTotal = r.frames;
        p.framesPerSecond = elapsed > 0 ? static_cast<double>(p.framesDone) / elapsed : 0;
        p.etaSeconds = elapsed / static_cast<double>(chunksDecoded) *
                       static_cast<double>(chunks - chunksDecoded);
        observer.progress(p);
    };
    const models::DecoderModels decoderModels = d.decoderModels();
    const auto deviceOf = [&](const std::string& name) {
        return torchDevice(name == models::kTaehvDecoderName ? d.taehvPlace : d.vaePlace);
    };
    engine::DecodeWorker finalWorker(
        models::makeStreamDecoder(r.finalDecoder, decoderModels), deviceOf(r.finalDecoder),
        engine::DecodeWorker::Policy::KeepEvery, static_cast<size_t>(r.decodeQueueChunks),
        observer.frame, chunkDecoded);
    std::unique_ptr<engine::DecodeWorker> preview;
    if (!r.previewDecoder.empty()) {
        preview = std::make_unique<engine::DecodeWorker>(
            models::makeStreamDecoder(r.previewDecoder, decoderModels), deviceOf(r.previewDecoder),
            engine::DecodeWorker::Policy::DropWhenBehind, 1, observer.previewFrame);
    }
    // Asked before every model call: the user's cancel, or a worker that failed.
    bool cancelled = false;
    const pipeline::CancelCheck stop = [&] {
        if (finalWorker.failed() || (preview && preview->failed())) {
            return true;
        }
        if (cancel && cancel()) {
            cancelled = true;
        }
        return cancelled;
    };

    try {
        size_t promptSegment = static_cast<size_t>(-1);
        for (int64_t chunk = 0; chunk < chunks; ++chunk) {
            // The prompt schedule: a new segment takes effect at this chunk boundary.
            const size_t segment = promptSegmentOfChunk(r.prompts, chunk);
            if (segment != promptSegment) {
                generator.setPrompt(embeds[segment]);
                promptSegment = segment;
            }
            const int64_t start = generator.currentFrame();
            const at::Tensor x0 =
                generator.denoiseBlock(generator.drawBlockNoise(chunkFrames, *noise), *noise, stop);
            if (!x0.defined()) {
                break;
            }
            if (observer.latents) {
                const at::Tensor host = x0[0].to(at::kCPU, at::kFloat).contiguous();
                ChunkLatents out;
                out.chunk = chunk;
                out.firstLatentFrame = start;
                out.frames = host.size(0);
                out.channels = host.size(1);
                out.height = host.size(2);
                out.width = host.size(3);
                out.values.assign(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
                observer.latents(out);
            }
            engine::DecodeItem item{chunk, start, x0, engine::markChunkReady(x0)};
            if (preview) {
                preview->push(item);
            }
            if (!finalWorker.push(std::move(item))) {
                break; // the decoder failed: join() below says why
            }
            // The cache pass makes this chunk context for the next; the last has no next.
            if (chunk + 1 == chunks || stop()) {
                break;
            }
            generator.pushClean(x0, pipeline::CallRole::CacheUpdate);
        }
    } catch (...) {
        finalWorker.abort();
        if (preview) {
            preview->abort();
        }
        throw;
    }

    stage(Stage::Decoding);
    finalWorker.close();
    if (preview) {
        preview->close();
    }
    try {
        finalWorker.join();
    } catch (...) {
        if (preview) {
            preview->abort();
        }
        throw;
    }
    if (preview) {
        preview->join();
    }

    GenerationResult result;
    result.status =
        cancelled || chunksDecoded < chunks ? GenerationStatus::Stopped : GenerationStatus::Done;
    result.chunksCompleted = chunksDecoded;
    result.framesDelivered = finalWorker.framesDelivered();
    if (preview) {
        result.previewFramesDelivered = preview->framesDelivered();
        result.previewFramesDropped = preview->framesDropped();
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    {
        std::lock_guard<std::mutex> lock(d.statsMutex);
        ++d.stats.generations;
    }
    stage(Stage::Done);
    return result;
}

} // namespace sfs::inference
