// DiT cases of sfs-golden: one model call (dit_single_forward.safetensors) and whole runs of
// the autoregressive pipeline (dit_pipeline*.safetensors). Everything - model config, schedule,
// batch, frame counts, attention window, initial latents, the order of the calls - comes from
// manifest.json, so any set made the same way runs without code changes. Every tensor of a
// file is either fed in, compared, or named as another component's; anything else fails.

#include "golden.h"
#include "golden_support.h"
#include "models/config_json.h"
#include "models/umt5.h"
#include "models/wan_dit.h"
#include "models/wan_vae.h"
#include "pipeline/causal_generator.h"
#include "sfs/inference/text.h"

#include <ATen/ATen.h>
#include <c10/util/StringUtil.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace {

using namespace sfs::golden;
namespace models = sfs::inference::models;
namespace pipeline = sfs::inference::pipeline;
namespace io = sfs::inference::io;

const char* const kWeightsFile = "dit_weights.safetensors";

// Tensors of pipeline files that link the run to the other components (tokenizer ids of the
// prompts, the decoded video, the pixels the initial latents were encoded from). They are
// checked through those components' code by checkPipelineLinks().
const std::set<std::string> kOtherComponents = {"prompt_ids", "prompt_mask", "video",
                                                "init_pixels"};

int64_t intOr(const json::Value* run, const char* key, int64_t fallback) {
    const json::Value* v = run != nullptr ? run->find(key) : nullptr;
    return v != nullptr && !v->isNull() ? v->asInt(key) : fallback;
}

bool boolOr(const json::Value* run, const char* key, bool fallback) {
    const json::Value* v = run != nullptr ? run->find(key) : nullptr;
    return v != nullptr && !v->isNull() ? v->asBool(key) : fallback;
}

// What every DiT case of a set shares: the model and the sampler settings.
struct DitSet {
    models::DitConfig config;
    std::shared_ptr<const models::DitModel> model;
    pipeline::FlowMatchSchedule schedule;
    std::vector<float> timesteps;
    int64_t framesPerBlock = 3;
    float contextNoise = 0.0f;
    bool independentFirstFrame = false;
    int64_t batch = -1;     // the main run's (configs.dit.batch); -1: as the noise says
    int64_t numFrames = -1; // the main run's (configs.dit.num_frames)
};

const DitSet& ditSet(const GoldenSet& set) {
    static std::map<std::string, std::unique_ptr<DitSet>> cache;
    const std::string key = set.dir.string();
    auto it = cache.find(key);
    if (it != cache.end()) {
        return *it->second;
    }
    const json::Value& dit = set.configs().at("dit");
    const json::Value& pipe = set.configs().at("pipeline");
    const models::DitConfig config =
        models::ditConfigFromJson(dit, set.path("manifest.json") + ": configs.dit");
    const double shift = pipe.at("timestep_shift").asDouble("timestep_shift");
    const pipeline::FlowMatchSchedule schedule(shift);
    std::vector<int64_t> steps;
    for (const auto& s : pipe.at("denoising_step_list").asArray("denoising_step_list")) {
        steps.push_back(s.asInt("denoising_step_list"));
    }
    std::vector<float> timesteps;
    if (pipe.at("warp_denoising_step").asBool("warp_denoising_step")) {
        timesteps = schedule.warp(steps);
    } else {
        timesteps.assign(steps.begin(), steps.end());
    }
    auto model = std::make_shared<const models::DitModel>(
        config, io::Weights::fromSafetensors(set.path(kWeightsFile), at::kFloat));
    auto s = std::unique_ptr<DitSet>(new DitSet{config, model, schedule, timesteps});
    s->framesPerBlock = pipe.at("num_frame_per_block").asInt("num_frame_per_block");
    s->contextNoise = static_cast<float>(pipe.at("context_noise").asDouble("context_noise"));
    s->independentFirstFrame = pipe.at("independent_first_frame").asBool("independent_first_frame");
    s->batch = intOr(&dit, "batch", -1);
    s->numFrames = intOr(&dit, "num_frames", -1);
    return *cache.emplace(key, std::move(s)).first->second;
}

// Names the tensors a case has used, and fails every other tensor of the file.
class Coverage {
public:
    Coverage(const GoldenSet& set, std::string file) : m_set(set), m_file(std::move(file)) {}
    bool has(const std::string& name) const { return hasTensor(m_set, m_file, name); }
    at::Tensor input(const std::string& name) {
        m_used.insert(name);
        return loadF32(m_set, m_file, name);
    }
    void compare(Report& report, const std::string& name, const at::Tensor& mine) {
        m_used.insert(name);
        report.compare(name, mine, loadF32(m_set, m_file, name));
    }
    // Marks a tensor as checked elsewhere (by another component's code in this case).
    void markUsed(const std::string& name) { m_used.insert(name); }
    void compareIfStored(Report& report, const std::string& name, const at::Tensor& mine) {
        if (has(name)) {
            compare(report, name, mine);
        }
    }
    void finish(Report& report) {
        std::vector<std::string> other;
        for (const auto& t : m_set.open(m_file)->tensors()) {
            if (m_used.count(t.name) != 0) {
                continue;
            }
            if (kOtherComponents.count(t.name) != 0) {
                other.push_back(t.name);
            } else {
                report.fail(t.name, "stored but not understood by the dit case");
            }
        }
        for (const auto& n : other) {
            report.fail(n, "stored but not checked against its component");
        }
    }

private:
    const GoldenSet& m_set;
    std::string m_file;
    std::set<std::string> m_used;
};

// One model call with fresh caches at frame 0, as WanDiffusionWrapper does it.
struct SingleCall {
    at::Tensor flow;
    at::Tensor x0;
    std::unique_ptr<pipeline::KvCache> kv;
};

SingleCall singleCall(const DitSet& d, const at::Tensor& x, const at::Tensor& t,
                      const at::Tensor& promptEmbeds) {
    const models::DitConfig& c = d.config;
    pipeline::KvCacheOptions o;
    o.layers = c.numLayers;
    o.batch = x.size(0);
    o.heads = c.numHeads;
    o.headDim = c.headDim();
    o.tokensPerFrame = c.tokensPerFrame(x.size(3), x.size(4));
    o.capacityFrames = x.size(1);
    SingleCall out;
    out.kv = std::make_unique<pipeline::KvCache>(o);
    pipeline::CrossAttnCache cross(c.numLayers, x.size(0), c.numHeads, c.textLen, c.headDim(),
                                   at::kFloat, at::kCPU);
    d.model->fillCrossAttention(promptEmbeds, cross.layers());
    const pipeline::KvStep step = out.kv->plan(0, x.size(1));
    models::DitCallCaches caches;
    caches.self = &out.kv->layers();
    caches.plan = step.plan;
    caches.cross = &cross.layers();
    out.flow = d.model->forward(x, t, 0, caches);
    out.kv->commit(step);
    out.x0 = d.schedule.flowToX0(x, out.flow, t);
    return out;
}

void compareKvCache(Coverage& cov, Report& report, const DitSet& d, const pipeline::KvCache& kv) {
    for (int64_t i = 0; i < d.config.numLayers; ++i) {
        const std::string base = "kv_cache_layer" + std::to_string(i);
        cov.compareIfStored(report, base + "_k", kv.keys(static_cast<size_t>(i)));
        cov.compareIfStored(report, base + "_v", kv.values(static_cast<size_t>(i)));
    }
}

void singleForward(const GoldenSet& set, const std::string& file, Report& report) {
    const DitSet& d = ditSet(set);
    Coverage cov(set, file);
    const at::Tensor x = cov.input("x");
    const at::Tensor promptEmbeds = cov.input("prompt_embeds");
    const SingleCall call = singleCall(d, x, cov.input("timestep"), promptEmbeds);
    cov.compare(report, "flow_pred", call.flow);
    cov.compareIfStored(report, "x0", call.x0);
    compareKvCache(cov, report, d, *call.kv);
    if (cov.has("perframe_timestep")) {
        const SingleCall perFrame = singleCall(d, x, cov.input("perframe_timestep"), promptEmbeds);
        cov.compareIfStored(report, "perframe_flow_pred", perFrame.flow);
        cov.compareIfStored(report, "perframe_x0", perFrame.x0);
    }
    cov.finish(report);
}

// The reference's randn_like draws, fed back in order; each must be the one the run asks for.
class StoredDraws final : public pipeline::NoiseSource {
public:
    StoredDraws(Coverage& cov, const GoldenSet& set, const std::string& file) {
        const std::regex pattern(R"(noise_draw(\d+)_f(\d+)_after_s(\d+))");
        std::map<int, Draw> byIndex;
        for (const auto& t : set.open(file)->tensors()) {
            std::smatch m;
            if (std::regex_match(t.name, m, pattern)) {
                byIndex[std::stoi(m[1])] = {t.name, std::stoll(m[2]), std::stoi(m[3]), {}};
            }
        }
        for (auto& [index, draw] : byIndex) {
            if (index != static_cast<int>(m_draws.size())) {
                throw std::runtime_error("noise draws are not numbered 0, 1, 2, ...: " + draw.name);
            }
            draw.value = cov.input(draw.name);
            m_draws.push_back(draw);
        }
    }

    void fill(at::Tensor& out, const pipeline::DrawRequest& request) override {
        if (m_next >= m_draws.size()) {
            throw std::runtime_error("the run asks for noise draw " + std::to_string(m_next) +
                                     " but the file holds " + std::to_string(m_draws.size()));
        }
        const Draw& d = m_draws[m_next++];
        if (d.startFrame != request.startFrame || d.step != request.step) {
            throw std::runtime_error("the run asks for a draw of frame " +
                                     std::to_string(request.startFrame) + " after step " +
                                     std::to_string(request.step) + " where the reference made " +
                                     d.name);
        }
        if (d.value.sizes() != out.sizes()) {
            throw std::runtime_error(d.name + " is " + c10::str(d.value.sizes()) +
                                     ", the run needs " + c10::str(out.sizes()));
        }
        out.copy_(d.value);
    }

    size_t used() const { return m_next; }
    size_t size() const { return m_draws.size(); }

private:
    struct Draw {
        std::string name;
        int64_t startFrame = 0;
        int step = 0;
        at::Tensor value;
    };
    std::vector<Draw> m_draws;
    size_t m_next = 0;
};

// Checks one call the pipeline made against the manifest's record of the reference's call.
void checkCall(Report& report, const json::Value& expected, const pipeline::CallRecord& r,
               int64_t tokensPerFrame) {
    const std::string name = expected.at("name").asString("call name");
    const json::Value& step = expected.at("step");
    const bool same =
        expected.at("role").asString("role") == pipeline::callRoleName(r.role) &&
        expected.at("start_frame").asInt("start_frame") == r.startFrame &&
        expected.at("num_frames").asInt("num_frames") == r.numFrames &&
        (step.isNull() ? r.step == -1 : step.asInt("step") == r.step) &&
        expected.at("current_start").asInt("current_start") == r.startFrame * tokensPerFrame &&
        static_cast<float>(expected.at("timestep").asDouble("timestep")) == r.timestep;
    if (!same) {
        std::ostringstream made;
        made << pipeline::callRoleName(r.role) << " of frames " << r.startFrame << "+"
             << r.numFrames << " step " << r.step << " t " << r.timestep;
        report.fail(name, "the pipeline made " + made.str() + " instead");
    }
}

// The run's links to the other components, replayed with their code: the prompts tokenized
// (ids exact), the initial latents encoded from init_pixels and the stored latents decoded to
// the returned video, both with this set's VAE (decode_to_pixel, then *0.5 + 0.5, clamped).
void checkPipelineLinks(const GoldenSet& set, const std::string& file, Coverage& cov,
                        Report& report) {
    if (cov.has("prompt_ids")) {
        std::string why;
        if (sfs::inference::tokenizerAvailable(&why)) {
            const json::Value& prompts = set.fileEntry(file).at("prompts");
            const at::Tensor stored = set.open(file)->load("prompt_ids");
            const int textLen = static_cast<int>(stored.size(1));
            const auto tok = sfs::inference::Tokenizer::open(set.path("tokenizer/spiece.model"));
            at::Tensor ids = at::zeros_like(stored);
            at::Tensor mask = at::zeros_like(stored);
            for (int64_t b = 0; b < stored.size(0); ++b) {
                // One prompt per batch row (the last one repeats if fewer are listed).
                const auto& list = prompts.asArray("prompts");
                const size_t i = std::min<size_t>(static_cast<size_t>(b), list.size() - 1);
                const auto out = tok->encode(list[i].asString("prompt"), textLen);
                for (int j = 0; j < textLen; ++j) {
                    ids[b][j] = out.ids[static_cast<size_t>(j)];
                    mask[b][j] = out.mask[static_cast<size_t>(j)];
                }
            }
            report.compareExact("prompt_ids (tokenized prompts)", ids, stored);
            report.compareExact("prompt_mask (tokenized prompts)", mask,
                                set.open(file)->load("prompt_mask"));
        } else {
            report.check("prompt_ids", true, "not re-tokenized in this build: " + why);
        }
        // The text encoder of this set turns the stored ids into the embeddings the run used.
        const auto t5 =
            io::Weights::fromSafetensors(set.path("t5_weights.safetensors"), at::kFloat);
        const models::UMT5Encoder encoder(t5ConfigOf(set.configs().at("t5_encoder")), t5);
        report.compare("prompt_embeds (UMT5 of prompt_ids)",
                       encoder.promptEmbeddings(set.open(file)->load("prompt_ids"),
                                                set.open(file)->load("prompt_mask")),
                       loadF32(set, file, "prompt_embeds"));
        cov.markUsed("prompt_ids");
        cov.markUsed("prompt_mask");
    }
    if (!cov.has("video") && !cov.has("init_pixels")) {
        return;
    }
    const models::WanVaeConfig cfg = vaeConfigOf(set.configs().at("vae"));
    const auto weights =
        io::Weights::fromSafetensors(set.path("vae_weights.safetensors"), at::kFloat);
    const models::WanVae vae(cfg, weights);
    if (cov.has("video")) {
        // Pipeline layout [B, T, C, h, w] -> model layout, and back for the pixels.
        const at::Tensor latents = loadF32(set, file, "latents").permute({0, 2, 1, 3, 4});
        const at::Tensor pixels = vae.decode(latents).clamp(-1, 1).permute({0, 2, 1, 3, 4});
        cov.compare(report, "video", (pixels * 0.5 + 0.5).clamp(0, 1));
    }
    if (cov.has("init_pixels")) {
        const at::Tensor encoded = vae.encode(cov.input("init_pixels")).permute({0, 2, 1, 3, 4});
        report.compare("initial_latent (VAE encode of init_pixels)", encoded,
                       loadF32(set, file, "initial_latent"));
    }
}

void pipelineRun(const GoldenSet& set, const std::string& file, Report& report) {
    const DitSet& d = ditSet(set);
    const json::Value& entry = set.fileEntry(file);
    const json::Value* run = entry.find("run");
    const json::Value& calls = entry.at("calls");
    Coverage cov(set, file);

    const at::Tensor noise = cov.input("noise");
    const int64_t batch = intOr(run, "batch", d.batch == -1 ? noise.size(0) : d.batch);
    const int64_t frames =
        intOr(run, "num_frames", d.numFrames == -1 ? noise.size(1) : d.numFrames);
    const int64_t initialFrames = intOr(run, "initial_latent_frames", 0);
    const bool independent = boolOr(run, "independent_first_frame", d.independentFirstFrame);

    const at::Tensor promptEmbeds = cov.input("prompt_embeds");
    at::Tensor initial;
    if (initialFrames > 0) {
        initial = cov.input("initial_latent");
    }
    const bool shapesOk =
        noise.dim() == 5 && noise.size(0) == batch && noise.size(1) == frames &&
        noise.size(2) == d.config.inDim &&
        (initialFrames == 0 ||
         (initial.dim() == 5 && initial.size(0) == batch && initial.size(1) == initialFrames &&
          initial.sizes().slice(2) == noise.sizes().slice(2)));
    report.check("run", shapesOk,
                 "batch " + std::to_string(batch) + ", " + std::to_string(frames) +
                     " noise frames, " + std::to_string(initialFrames) + " initial (noise " +
                     c10::str(noise.sizes()) + ")");
    if (!shapesOk) {
        return;
    }

    cov.compareIfStored(report, "denoising_step_list",
                        at::tensor(at::ArrayRef<float>(d.timesteps)));
    cov.compareIfStored(report, "scheduler_sigmas", d.schedule.sigmas());
    cov.compareIfStored(report, "scheduler_timesteps", d.schedule.timesteps());

    pipeline::GeneratorOptions o;
    o.batch = batch;
    o.latentHeight = noise.size(3);
    o.latentWidth = noise.size(4);
    o.framesPerBlock = d.framesPerBlock;
    o.capacityFrames = initialFrames + frames;
    o.localAttnFrames = intOr(run, "local_attn_size", -1);
    o.sinkFrames = intOr(run, "sink_size", 0);
    o.timesteps = d.timesteps;
    o.cacheTimestep = d.contextNoise;
    pipeline::CausalGenerator generator(d.model, d.schedule, o);
    generator.setPrompt(promptEmbeds);
    const int64_t tokensPerFrame = d.config.tokensPerFrame(o.latentHeight, o.latentWidth);

    const auto& expectedCalls = calls.asArray("calls");
    size_t callIndex = 0;
    generator.setObserver([&](const pipeline::CallRecord& r) {
        if (callIndex >= expectedCalls.size()) {
            report.fail("calls", "the pipeline made more calls than the manifest lists");
            ++callIndex;
            return;
        }
        const json::Value& expected = expectedCalls[callIndex++];
        checkCall(report, expected, r, tokensPerFrame);
        const std::string name = expected.at("name").asString();
        cov.compareIfStored(report, name + "_input", r.input);
        cov.compareIfStored(report, name + "_timestep", r.timestepTensor);
        cov.compareIfStored(report, name + "_flow_pred", r.flow);
        cov.compareIfStored(report, name + "_x0", r.x0);
    });

    StoredDraws draws(cov, set, file);
    pipeline::GenerateRequest request;
    request.noise = noise;
    request.initialLatent = initial;
    request.independentFirstFrame = independent;
    request.draws = &draws;
    const pipeline::GenerateResult result = pipeline::generate(generator, request);

    report.check("calls", callIndex == expectedCalls.size(),
                 std::to_string(callIndex) + " calls made, the manifest lists " +
                     std::to_string(expectedCalls.size()));
    report.check("noise draws", draws.used() == draws.size(),
                 std::to_string(draws.used()) + " of " + std::to_string(draws.size()) +
                     " stored draws used");
    cov.compare(report, "latents", result.latents);
    compareKvCache(cov, report, d, generator.kvCache());
    checkPipelineLinks(set, file, cov, report);
    cov.finish(report);
}

} // namespace

SFS_GOLDEN_CASE("dit", "dit_single_forward\\.safetensors", singleForward);
SFS_GOLDEN_CASE("dit", "dit_pipeline.*\\.safetensors", pipelineRun);
