// The engine: models loaded once and kept warm, and one generation: pipeline::generate (the
// one chunk loop: prompt schedule, re-cache, continue) on the calling thread feeding decode
// workers (engine/decode_worker.h).
#include "sfs/inference/engine.h"

#include "engine/decode_worker.h"
#include "engine/keyframe_cache.h"
#include "engine/keyframes.h"
#include "engine/take_noise.h"
#include "engine/vace_conditioning.h"
#include "io/lora.h"
#include "io/model_loader.h"
#include "models/taehv.h"
#include "models/wan_dit.h"
#include "models/wan_vae.h"
#include "pipeline/causal_generator.h"
#include "runtime/torch_placement.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/latents_file.h"
#include "sfs/inference/text.h"
#include "text/content_hash.h"
#include "text/prompt_encoder.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <atomic>
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

// Why a request that does not fit is refused: how much it needs, what the device has, and the
// settings that would fit.
std::string memoryRefusal(const MemoryCheck& check) {
    std::string text = "the generation needs about " + check.need.describe() + " on " +
                       check.deviceLabel + ", which has " + formatBytes(check.available) +
                       " free (" + formatBytes(check.shortBy()) + " short); ";
    if (check.suggestions.empty()) {
        return text + "use a smaller size, fewer frames or another device";
    }
    text += "it would fit with ";
    for (size_t i = 0; i < check.suggestions.size(); ++i) {
        text += (i == 0 ? "" : ", or ") + check.suggestions[i].description;
    }
    return text;
}

// The latent frames Self-Forcing was trained on (81 video frames): full context is bounded by
// it, longer takes run with a rolling window (pipeline::planAttention).
constexpr int64_t kTrainedLatentFrames = 21;

// The attention a request really runs with (a context start keyframe adds its latent frame in
// front of the blocks). A setting no plan can serve is a request error.
pipeline::AttentionPlan attentionPlanFor(const GenerationRequest& r) {
    try {
        return pipeline::planAttention(chunksOf(r) * frame_grid::kLatentFramesPerChunk +
                                           engine::contextFramesOf(r.keyframes),
                                       r.windowLatentFrames, r.sinkLatentFrames,
                                       kTrainedLatentFrames, frame_grid::kLatentFramesPerChunk);
    } catch (const std::invalid_argument& e) {
        throw RequestError("windowLatentFrames", e.what());
    }
}

} // namespace

GenerationRequest withPlannedAttention(const GenerationRequest& request) {
    const pipeline::AttentionPlan plan = attentionPlanFor(request);
    GenerationRequest planned = request;
    planned.windowLatentFrames = plan.windowFrames;
    planned.sinkLatentFrames = plan.sinkFrames;
    return planned;
}

namespace {

// The engine's prompt schedule: from which chunk on which text runs, and the ramp into it.
struct ChunkText {
    int64_t startChunk = 0;
    std::string text;
    int64_t rampChunks = 0;
};

// The chunks the segments take effect from (frame_grid::firstChunkAtOrAfterFrame; of segments
// starting inside one chunk the last wins, as promptSegmentOfChunk says).
std::vector<ChunkText> chunkTextsOf(const std::vector<PromptSegment>& prompts, int64_t chunks) {
    std::vector<ChunkText> out;
    for (const PromptSegment& s : prompts) {
        const int64_t chunk = frame_grid::firstChunkAtOrAfterFrame(s.startFrame);
        if (chunk >= chunks) {
            break;
        }
        if (!out.empty() && out.back().startChunk == chunk) {
            out.back().text = s.text;
        } else {
            out.push_back({chunk, s.text, 0});
        }
    }
    return out;
}

std::string textAt(const std::vector<ChunkText>& texts, int64_t chunk) {
    std::string text;
    for (const ChunkText& t : texts) {
        if (t.startChunk <= chunk) {
            text = t.text;
        }
    }
    return text;
}

// The schedule after `edit` arrives before chunk `chunk`: what started before it stays (a ramp
// in progress runs to its end), `edit` rules from there. A fresh take is the edit of nothing
// at chunk 0. Consecutive chunks of one text are one segment (no switch, no re-cache).
std::vector<ChunkText> applyEdit(const std::vector<ChunkText>& running,
                                 const std::vector<ChunkText>& edit, int64_t chunk,
                                 int64_t rampChunks, int64_t chunks) {
    std::vector<ChunkText> out;
    for (const ChunkText& t : running) {
        if (t.startChunk < chunk) {
            out.push_back(t);
        }
    }
    const size_t kept = out.size();
    const int64_t from =
        out.empty() ? chunk : std::max(chunk, out.back().startChunk + out.back().rampChunks);
    const auto add = [&](int64_t start, const std::string& text) {
        if (start < chunks && (out.empty() || out.back().text != text)) {
            out.push_back({start, text, 0});
        }
    };
    add(from, textAt(edit, from));
    for (const ChunkText& t : edit) {
        if (t.startChunk > from) {
            add(t.startChunk, t.text);
        }
    }
    for (size_t i = std::max<size_t>(kept, 1); i < out.size() && rampChunks > 1; ++i) {
        const int64_t end = i + 1 < out.size() ? out[i + 1].startChunk : chunks;
        out[i].rampChunks = std::min(rampChunks, end - out[i].startChunk);
    }
    return out;
}

pipeline::PromptSchedule scheduleOf(const std::vector<ChunkText>& texts,
                                    const std::map<std::string, at::Tensor>& embeds, bool recache) {
    std::vector<pipeline::PromptSegment> segments;
    for (const ChunkText& t : texts) {
        pipeline::PromptSegment s;
        s.startChunk = t.startChunk;
        s.embeds = embeds.at(t.text);
        s.rampChunks = t.rampChunks;
        s.recache = recache;
        segments.push_back(std::move(s));
    }
    return pipeline::PromptSchedule(std::move(segments));
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
    std::vector<LoraChoice> ditLoras; // merged into dit's weights
    std::shared_ptr<const models::WanVae> vae;
    std::shared_ptr<const models::Taehv> taehv;
    std::unique_ptr<text::PromptEncoder> prompts;
    std::unique_ptr<pipeline::CausalGenerator> generator;
    std::unique_ptr<models::VaceModel> vace; // beside `dit`, loaded when a request uses VACE
    GeneratorKey generatorKey;
    // Keyframe latents, float32 [16, h, w] on the host (engine/keyframe_cache.h), and the hash
    // of the VAE file that keys them (computed once per file).
    std::unique_ptr<engine::KeyframeLatentCache> keyframeCache;
    std::string vaeHashOf, vaeHash;

    mutable std::mutex statsMutex;
    EngineStats stats;

    // setPrompts(): the latest edit, taken by the generating thread before each chunk.
    std::mutex editMutex;
    bool generating = false;
    std::optional<std::vector<PromptSegment>> pendingPrompts;

    RuntimeInfo machine() const { return options.machine ? *options.machine : queryRuntime(); }
    uint64_t hostBytes() const {
        return options.hostMemoryBytes ? *options.hostMemoryBytes : hostMemoryBytes();
    }

    // Resolves `model` unless it is the folder in use (what is loaded stays when it fails).
    void useModel(const std::string& model);
    // `loras`: the LoRAs the DiT must have merged (a different list reloads it); nullptr keeps
    // whatever is merged now (a load for the VAE alone).
    void load(const std::string& model, const DeviceRequest& request,
              const std::vector<std::string>& decoders, const GenerationObserver& observer,
              const std::vector<LoraChoice>* loras = nullptr);
    // What the loaded models and the generator's caches occupy, per device: recorded after
    // each load and generator change, read by availableMemory() from any thread.
    std::vector<std::pair<DeviceName, uint64_t>> held; // under statsMutex
    void recordHeld();
    uint64_t heldOn(const DeviceName& device) const;
    // Encodes the texts of `prompts` that `embeds` lacks (prompt cache first) onto the DiT.
    void encodePrompts(const std::vector<PromptSegment>& prompts,
                       std::map<std::string, at::Tensor>& embeds);
    // The start point's stored latents of chunks 0 .. fromChunk-1, [1, F, C, h, w] on the DiT.
    at::Tensor keptLatents(const GenerationRequest& request) const;
    pipeline::CausalGenerator& generatorFor(const GenerationRequest& request,
                                            const pipeline::AttentionPlan& plan);
    models::DecoderModels decoderModels() const { return {vae, taehv}; }
    // The keyframe latent of `image` ([16, h, w], float32, host), encoded once (vae loaded).
    at::Tensor keyframeLatent(const KeyframeImage& image, KeyframePosition position);
    // The VACE blocks beside the loaded DiT (loaded with its placement on first use).
    const models::VaceModel& vaceModel(const GenerationObserver& observer);
};

const models::VaceModel& Engine::Impl::vaceModel(const GenerationObserver& observer) {
    if (!set->vace) {
        throw RequestError("vace", "VACE keyframes and reference images need VACE weights in " +
                                       set->root + "; none were found (look for " +
                                       modelRoleLookFor(ModelRole::Vace) + ")");
    }
    if (vace && &vace->dit() == dit.get()) {
        return *vace;
    }
    vace.reset();
    if (observer.loading) {
        observer.loading({"VACE", set->vaceFile.path, 1, 1});
    }
    io::LoadOptions o;
    o.dtype = dit->dtype();
    o.device = dit->device();
    o.section = set->vaceFile.section;
    try {
        vace = std::make_unique<models::VaceModel>(
            dit, *set->vace, io::loadModelWeights(set->vaceFile.path, ModelRole::Vace, o));
    } catch (const std::exception& e) {
        throw EngineError(std::string("cannot load the VACE blocks: ") + e.what());
    }
    return *vace;
}

at::Tensor Engine::Impl::keyframeLatent(const KeyframeImage& image, KeyframePosition position) {
    if (vaeHashOf != set->vaeFile.path) {
        try {
            vaeHash = text::fileContentHash(set->vaeFile.path, keyframeCache->directory());
        } catch (const std::exception& e) {
            throw EngineError(std::string("cannot read the VAE file: ") + e.what());
        }
        vaeHashOf = set->vaeFile.path;
    }
    engine::KeyframeLatentKey key;
    key.vaeHash = vaeHash;
    key.vaeSection = set->vaeFile.section;
    key.device = vaePlace.device.text();
    key.precision = precisionName(vaePlace.precision);
    key.width = image.width;
    key.height = image.height;
    key.position = position;
    key.pixelsHash = text::toHex(text::hash64(image.rgb.data(), image.rgb.size(), 0));
    if (at::Tensor known = keyframeCache->find(key); known.defined()) {
        return known;
    }
    c10::InferenceMode inference;
    // RGB8 rows -> [1, 3, 1, H, W] in [-1, 1].
    const at::Tensor pixels = at::from_blob(const_cast<uint8_t*>(image.rgb.data()),
                                            {image.height, image.width, 3}, at::kByte)
                                  .to(at::kFloat)
                                  .div(127.5)
                                  .sub(1.0)
                                  .permute({2, 0, 1})
                                  .reshape({1, 3, 1, image.height, image.width});
    // A later keyframe: a static clip of 1 + 4 frames, whose second latent frame carries the
    // causal context a later latent frame has.
    const bool later = position == KeyframePosition::Later;
    const at::Tensor clip = later ? pixels.expand({1, 3, 5, image.height, image.width}) : pixels;
    at::Tensor z;
    try {
        z = vae->encode(clip.to(vae->device(), vae->dtype()).contiguous());
    } catch (const std::exception& e) {
        throw EngineError(std::string("cannot encode the keyframe: ") + e.what());
    }
    const at::Tensor latent = z[0].select(1, later ? 1 : 0).to(at::kCPU, at::kFloat).contiguous();
    keyframeCache->store(key, latent);
    {
        std::lock_guard<std::mutex> lock(statsMutex);
        ++stats.keyframeEncodes;
    }
    return latent;
}

void Engine::Impl::useModel(const std::string& model) {
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
        vace.reset();
        dit.reset();
        vae.reset();
        taehv.reset();
        prompts.reset();
        generator.reset();
        recordHeld();
    }
}

void Engine::Impl::recordHeld() {
    const auto bytes = [](int64_t parameters, Precision precision) {
        return static_cast<uint64_t>(parameters) * (precision == Precision::Float32 ? 4 : 2);
    };
    std::vector<std::pair<DeviceName, uint64_t>> now;
    const auto add = [&](const DeviceName& device, uint64_t n) {
        for (auto& [d, total] : now) {
            if (d == device) {
                total += n;
                return;
            }
        }
        now.emplace_back(device, n);
    };
    if (set && dit) {
        add(ditPlace.device, bytes(set->dit.parameterCount(), ditPlace.precision));
    }
    if (set && vae) {
        add(vaePlace.device, bytes(set->vae.parameterCount(), vaePlace.precision));
    }
    if (set && set->taehv && taehv) {
        add(taehvPlace.device, bytes(set->taehv->parameterCount(), taehvPlace.precision));
    }
    if (generator) {
        add(ditPlace.device, generator->kvCache().bytes() + generator->crossCache().bytes());
    }
    std::lock_guard<std::mutex> lock(statsMutex);
    held = std::move(now);
}

uint64_t Engine::Impl::heldOn(const DeviceName& device) const {
    uint64_t bytes = 0;
    {
        std::lock_guard<std::mutex> lock(statsMutex);
        for (const auto& [d, n] : held) {
            if (d == device) {
                bytes += n;
            }
        }
    }
    // On a GPU the caching allocator also keeps the last generation's freed blocks, which the
    // CUDA runtime counts as used: all of it is this process's to reuse.
    return device.kind == DeviceKind::Cuda ? std::max(bytes, cudaReservedBytes(device.index))
                                           : bytes;
}

void Engine::Impl::load(const std::string& model, const DeviceRequest& request,
                        const std::vector<std::string>& decoders,
                        const GenerationObserver& observer, const std::vector<LoraChoice>* loras) {
    useModel(model);
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
    // Removing or changing a LoRA reloads the base file rather than subtracting: exact, and no
    // second copy of the changed weights is kept (docs/architecture.md, "LoRA").
    const std::vector<LoraChoice> wantLoras = loras ? *loras : ditLoras;
    const bool loadDit = !dit || !samePlacement(ditPlace, wantDit) || wantLoras != ditLoras;
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
        vace.reset();
        dit.reset();
        generator.reset();
        ditLoras.clear();
        io::Weights weights = weightsOf("DiT", set->ditFile, ModelRole::Dit, wantDit);
        // The one place LoRAs reach the DiT: merged into the loaded weights, before the model
        // is built from them (and may repack them).
        try {
            io::mergeLoras(weights, wantLoras);
        } catch (const std::exception& e) {
            throw EngineError(std::string("cannot apply the LoRA: ") + e.what());
        }
        dit = std::make_shared<const models::DitModel>(set->dit, weights);
        ditPlace = wantDit;
        ditLoras = wantLoras;
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
    recordHeld();
}

void Engine::Impl::encodePrompts(const std::vector<PromptSegment>& segments,
                                 std::map<std::string, at::Tensor>& known) {
    std::vector<std::string> texts;
    for (const PromptSegment& s : segments) {
        if (known.count(s.text) == 0 &&
            std::find(texts.begin(), texts.end(), s.text) == texts.end()) {
            texts.push_back(s.text);
        }
    }
    if (texts.empty()) {
        return;
    }
    if (options.randomPromptEmbeddings) {
        for (const std::string& t : texts) {
            at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(text::hash64(t));
            known[t] = at::randn({1, set->dit.textLen, set->dit.textDim}, generator, at::kFloat)
                           .to(dit->device(), dit->dtype());
        }
        return;
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
    for (size_t i = 0; i < texts.size(); ++i) {
        known[texts[i]] = embeds[i].to(dit->device(), dit->dtype()).unsqueeze(0);
    }
}

at::Tensor Engine::Impl::keptLatents(const GenerationRequest& r) const {
    const std::string& path = r.start.keptLatents;
    TakeLatents take;
    try {
        take = readTakeLatents(path);
    } catch (const LatentsFileError& e) {
        throw RequestError("start.keptLatents", e.what());
    }
    const LatentFrameSize want{dit->config().inDim, r.height / 8, r.width / 8};
    const auto sizeText = [](const LatentFrameSize& s) {
        return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" +
               std::to_string(s.width);
    };
    if (take.info.frameSize != want) {
        throw RequestError("start.keptLatents",
                           path + " holds latent frames of " + sizeText(take.info.frameSize) +
                               "; a " + std::to_string(r.width) + "x" + std::to_string(r.height) +
                               " take needs " + sizeText(want));
    }
    const int64_t need = frame_grid::firstLatentFrameOfChunk(r.start.fromChunk);
    if (take.info.frames() < need) {
        throw RequestError("start.keptLatents",
                           path + " holds " + std::to_string(take.info.frames()) +
                               " latent frames; continuing from chunk " +
                               std::to_string(r.start.fromChunk) + " needs the " +
                               std::to_string(need) + " of chunks 0 .. " +
                               std::to_string(r.start.fromChunk - 1));
    }
    return at::from_blob(take.values.data(), {1, need, want.channels, want.height, want.width},
                         at::kFloat)
        .to(dit->device(), dit->dtype(), /*non_blocking=*/false, /*copy=*/true);
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
        o.cudaGraphs = options.cudaGraphs;
        generator = std::make_unique<pipeline::CausalGenerator>(dit, schedule, o);
        generatorKey = key;
        recordHeld();
    }
    generator->reset();
    return *generator;
}

Engine::Engine(EngineOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    m_impl->keyframeCache =
        std::make_unique<engine::KeyframeLatentCache>(m_impl->options.keyframeCacheDir);
}

Engine::~Engine() = default;

void Engine::load(const std::string& model, const DeviceRequest& device,
                  const GenerationObserver& observer) {
    m_impl->load(model, device, {models::kWanVaeDecoderName}, observer);
}

void Engine::setPrompts(std::vector<PromptSegment> prompts) {
    validatePrompts(prompts, -1);
    std::lock_guard<std::mutex> lock(m_impl->editMutex);
    if (m_impl->generating) {
        m_impl->pendingPrompts = std::move(prompts);
    }
}

std::vector<float> Engine::encodeKeyframe(const std::string& model, const DeviceRequest& device,
                                          const KeyframeImage& image, KeyframePosition position) {
    checkKeyframeImage(image, "image");
    m_impl->load(model, device, {models::kWanVaeDecoderName}, {});
    const at::Tensor latent = m_impl->keyframeLatent(image, position);
    return std::vector<float>(latent.data_ptr<float>(), latent.data_ptr<float>() + latent.numel());
}

uint64_t Engine::availableMemory(const DeviceName& device) const {
    const Impl& d = *m_impl;
    const uint64_t free =
        d.options.freeMemory ? d.options.freeMemory(device) : freeMemoryBytes(device);
    if (free == 0) {
        return 0; // unknown
    }
    uint64_t total = d.hostBytes();
    if (device.kind == DeviceKind::Cuda) {
        const RuntimeInfo facts = d.machine();
        const auto i = static_cast<size_t>(device.index);
        total = i < facts.gpus.size() ? facts.gpus[i].memoryBytes : 0;
    }
    const uint64_t available = free + d.heldOn(device);
    return total > 0 ? std::min(total, available) : available;
}

MemoryCheck Engine::checkMemory(const GenerationRequest& request) const {
    ModelSet models;
    try {
        models = resolveModelSet(request.model);
    } catch (const std::exception& e) {
        throw EngineError(std::string("cannot use the model folder: ") + e.what());
    }
    const RuntimeInfo facts = m_impl->machine();
    try {
        const Placement dit = choosePlacement(ComputeRole::Dit, request.device, facts);
        return inference::checkMemory(models, request, facts, availableMemory(dit.device));
    } catch (const DeviceUnavailable& e) {
        throw RequestError("device", e.what());
    }
}

EngineStats Engine::stats() const {
    const engine::KeyframeLatentCacheStats cache = m_impl->keyframeCache->stats();
    std::lock_guard<std::mutex> lock(m_impl->statsMutex);
    EngineStats out = m_impl->stats;
    out.keyframeCacheHits = cache.memoryHits + cache.diskHits;
    out.keyframeDiskHits = cache.diskHits;
    out.keyframeDamagedEntries = cache.corruptEntries;
    return out;
}

std::optional<ModelSet> Engine::models() const {
    return m_impl->set;
}

GenerationResult Engine::generate(const GenerationRequest& r, const GenerationObserver& observer,
                                  const CancelCheck& cancel) {
    Impl& d = *m_impl;
    validateRequest(r);
    // setPrompts() edits this generation from now until it returns.
    struct Editing {
        Impl& d;
        explicit Editing(Impl& impl) : d(impl) { set(true); }
        ~Editing() { set(false); }
        void set(bool on) {
            std::lock_guard<std::mutex> lock(d.editMutex);
            d.generating = on;
            d.pendingPrompts.reset();
        }
    } editing(d);
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
    std::vector<std::string> loaded = decoders;
    const bool usesVace =
        !r.reference.empty() || std::any_of(r.keyframes.begin(), r.keyframes.end(),
                                            [](const KeyframeImage& k) { return k.vace; });
    if (!r.keyframes.empty() || usesVace) {
        loaded.push_back(models::kWanVaeDecoderName); // keyframes are encoded by the Wan VAE
    }
    // Before loading anything: a request that cannot fit loads nothing it would not use.
    const MemoryCheck memory = checkMemory(r);
    if (!memory.fits()) {
        throw EngineError(memoryRefusal(memory));
    }
    d.load(r.model, r.device, loaded, observer, &r.loras);
    const models::VaceModel* vaceModel = usesVace ? &d.vaceModel(observer) : nullptr;
    const pipeline::AttentionPlan plan = attentionPlanFor(r);
    if (d.set->demo && observer.warning) {
        observer.warning(kDemoModelWarning);
    }
    if (!plan.warning.empty() && observer.warning) {
        observer.warning(plan.warning);
    }

    const int64_t chunks = chunksOf(r);
    const at::Tensor kept = r.start.fromChunk > 0 ? d.keptLatents(r) : at::Tensor();

    stage(Stage::EncodingPrompts);
    c10::InferenceMode inference;
    std::map<std::string, at::Tensor> embeds;
    d.encodePrompts(r.prompts, embeds);
    std::vector<ChunkText> texts =
        applyEdit({}, chunkTextsOf(r.prompts, chunks), 0, r.promptRampChunks, chunks);
    pipeline::PromptSchedule schedule = scheduleOf(texts, embeds, r.recacheOnPromptSwitch);
    std::vector<at::Tensor> keyLatents;
    for (const KeyframeImage& k : r.keyframes) {
        keyLatents.push_back(d.keyframeLatent(k, engine::keyframePositionOf(k.frame))
                                 .to(d.dit->device(), d.dit->dtype()));
    }
    const std::vector<engine::KeyframeTarget> targets =
        engine::keyframeTargets(r.keyframes, keyLatents);
    // A context start keyframe (StartMode::Context): its latent is latent frame 0, pushed as
    // clean context before block 0 (the reference's initial latent), and block b then makes
    // latent frames 3b+1 .. 3b+3.
    const int64_t contextFrames = engine::contextFramesOf(r.keyframes);
    at::Tensor context;
    for (size_t i = 0; i < r.keyframes.size() && contextFrames > 0; ++i) {
        if (r.keyframes[i].frame == 0) {
            context = keyLatents[i].unsqueeze(0).unsqueeze(0); // [1, 1, C, h, w]
        }
    }

    stage(Stage::Generating);
    const auto started = Clock::now();
    pipeline::CausalGenerator& generator = d.generatorFor(r, plan);
    const std::unique_ptr<pipeline::NoiseSource> noise = d.makeNoise(r.seed);
    const int64_t chunkFrames = frame_grid::kLatentFramesPerChunk;
    std::atomic<uint64_t> cacheBytes{generator.kvCache().bytes() + generator.crossCache().bytes()};

    // The decode worker reports progress after each chunk's last frame.
    int64_t chunksDecoded = 0;  // decode thread only, read after join
    double keptDoneSeconds = 0; // kept chunks only replay: the ETA counts generated ones
    const auto chunkDecoded = [&](int64_t chunk, int64_t) {
        ++chunksDecoded;
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        if (chunk < r.start.fromChunk) {
            keptDoneSeconds = elapsed;
        }
        if (!observer.progress) {
            return;
        }
        const int64_t generated = chunksDecoded - std::min(chunksDecoded, r.start.fromChunk);
        GenerationProgress p;
        p.chunksDone = chunksDecoded;
        p.chunksTotal = chunks;
        p.framesDone = frame_grid::framesForChunks(chunksDecoded);
        p.framesTotal = r.frames;
        p.framesPerSecond = elapsed > 0 ? static_cast<double>(p.framesDone) / elapsed : 0;
        p.etaSeconds = (generated > 0 ? (elapsed - keptDoneSeconds) / static_cast<double>(generated)
                                      : elapsed / static_cast<double>(chunksDecoded)) *
                       static_cast<double>(chunks - chunksDecoded);
        p.kvCacheBytes = cacheBytes.load();
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
    // A chunk's latents to the observer and the decoders (a failed decoder refuses the chunk;
    // stop() then ends the run at the next model call).
    const auto deliver = [&](int64_t chunk, int64_t start, const at::Tensor& x0, bool isKept) {
        if (observer.latents) {
            const at::Tensor host = x0[0].to(at::kCPU, at::kFloat).contiguous();
            ChunkLatents out;
            out.chunk = chunk;
            out.kept = isKept;
            out.firstLatentFrame = start;
            out.frames = host.size(0);
            out.channels = host.size(1);
            out.height = host.size(2);
            out.width = host.size(3);
            out.values.assign(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
            observer.latents(out);
        }
        engine::DecodeItem item{chunk, start, x0, engine::markChunkReady(x0), isKept};
        if (preview) {
            preview->push(item);
        }
        finalWorker.push(std::move(item));
    };

    pipeline::GenerateRequest run;
    run.frames = chunks * chunkFrames;
    run.draws = noise.get();
    run.refreshLastBlock = false; // the last chunk is context for nothing
    run.collectLatents = false;   // each chunk goes out through onChunk
    run.cancel = stop;
    run.prompts = &schedule;
    run.fromChunk = r.start.fromChunk;
    run.keptLatents = kept;
    if (context.defined()) {
        run.initialLatent = context;
        run.independentFirstFrame = true; // the context frame alone, then blocks of 3
    }
    // The chunk's latents arrive before its cache pass: it decodes while that and the next
    // chunk run. Kept chunks come too, as they are replayed: the decoders' causal state needs
    // them.
    // With keyframes the take's latents stay on the host for the report (float32).
    at::Tensor takeLatents;
    std::vector<bool> generated(static_cast<size_t>(chunks), false);
    int64_t chunksOut = 0;
    if (!targets.empty()) {
        const int64_t channels = d.dit->config().inDim;
        takeLatents =
            at::zeros({contextFrames + chunks * chunkFrames, channels, r.height / 8, r.width / 8},
                      at::kFloat);
        if (context.defined()) {
            takeLatents[0].copy_(context[0][0]);
        }
        // The landing blend and the approach pull, on each step's x0. Because the block's
        // final latents take the blend, its cache pass (pushClean) already writes the landed
        // keyframe as the context of the chunks after it.
        run.onStep = [&](const pipeline::StepContext& step, at::Tensor& x0) {
            engine::applyKeyframes(targets, step, x0);
        };
    }
    // VACE: each block's context and scale (landing, approach, reference), hints on its
    // denoising calls only.
    std::unique_ptr<engine::VaceConditioning> vaceConditioning;
    if (vaceModel != nullptr) {
        vaceConditioning =
            std::make_unique<engine::VaceConditioning>(*vaceModel, *d.vae, r, targets);
        run.blockHook = [&](int64_t block, int64_t startFrame, int64_t frames) {
            return vaceConditioning->hookFor(block, startFrame, frames, generator.prompt());
        };
    }
    // After a context start the blocks straddle the chunk grid: chunk c is the last latent
    // frame of block c - 1 (for chunk 0, the context) and the first two of block c; the last
    // block's last frame lies past the take and is dropped.
    at::Tensor carried = context;
    run.onChunk = [&](const pipeline::ChunkResult& c) {
        cacheBytes = generator.kvCache().bytes() + generator.crossCache().bytes();
        if (takeLatents.defined()) {
            takeLatents.narrow(0, c.startFrame, c.x0.size(1)).copy_(c.x0[0].to(at::kFloat));
            generated[static_cast<size_t>(c.index)] = !c.kept;
            chunksOut = c.index + 1;
        }
        if (!carried.defined()) {
            deliver(c.index, c.startFrame, c.x0, c.kept);
            return;
        }
        const int64_t f = c.x0.size(1);
        deliver(c.index, c.startFrame - 1, at::cat({carried, c.x0.narrow(1, 0, f - 1)}, 1), c.kept);
        carried = c.x0.narrow(1, f - 1, 1);
    };
    run.beforeChunk = [&](int64_t chunk) {
        std::optional<std::vector<PromptSegment>> edit;
        {
            std::lock_guard<std::mutex> lock(d.editMutex);
            edit.swap(d.pendingPrompts);
        }
        if (!edit) {
            return;
        }
        d.encodePrompts(*edit, embeds);
        texts = applyEdit(texts, chunkTextsOf(*edit, chunks), chunk, r.promptRampChunks, chunks);
        schedule = scheduleOf(texts, embeds, r.recacheOnPromptSwitch);
    };

    try {
        pipeline::generate(generator, run);
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
    if (!targets.empty()) {
        // Over the take's latent frames (not the dropped last frame of a context start).
        result.keyframes = engine::keyframeReports(
            targets, takeLatents.narrow(0, 0, chunks * chunkFrames), chunksOut, generated);
    }
    for (const ChunkText& t : texts) {
        result.prompts.push_back({frame_grid::firstFrameOfChunk(t.startChunk), t.text});
    }
    {
        std::lock_guard<std::mutex> lock(d.statsMutex);
        ++d.stats.generations;
    }
    stage(Stage::Done);
    return result;
}

} // namespace sfs::inference
