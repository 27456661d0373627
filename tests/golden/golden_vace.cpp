// VACE cases of sfs-golden (shared/golden-vace): one VaceWanModel.forward per case of
// vace_forward.safetensors (tokens, every VACE block's stream, every hint, the output) and the
// context building of vace_context.safetensors (mask, reference canvas, VAE latents, context).
// The model configuration, the cases and the VAE come from manifest.json; every tensor of a
// file is used or compared.

#include "golden.h"
#include "golden_support.h"
#include "models/config_json.h"
#include "models/vace_context.h"
#include "models/wan_dit.h"
#include "models/wan_vace.h"
#include "models/wan_vae.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <map>
#include <regex>

namespace sfs::golden {
namespace {

namespace models = inference::models;
namespace io = inference::io;

const char* const kWeightsFile = "vace_weights.safetensors";

struct VaceSet {
    std::shared_ptr<const models::DitModel> dit;
    std::unique_ptr<models::VaceModel> vace;
};

// The DiT (the file's main tensors) and the VACE blocks (its vace_* tensors) of a set.
const VaceSet& vaceSet(const GoldenSet& set) {
    static std::map<std::string, std::unique_ptr<VaceSet>> cache;
    const std::string key = set.dir.string();
    if (auto it = cache.find(key); it != cache.end()) {
        return *it->second;
    }
    const json::Value& cfg = set.configs().at("vace_model");
    const std::string origin = set.path("manifest.json") + ": configs.vace_model";
    const models::DitConfig ditConfig = models::ditConfigFromJson(cfg, origin);
    const models::VaceConfig vaceConfig = models::vaceConfigFromJson(cfg, origin, ditConfig);
    const io::Weights all = io::Weights::fromSafetensors(set.path(kWeightsFile), at::kFloat);
    const io::Weights vaceWeights = models::vaceTensorsOf(all);
    io::Weights base(all.origin());
    for (const std::string& name : all.names()) {
        if (!vaceWeights.has(name)) {
            base.insert(name, all.get(name));
        }
    }
    auto s = std::make_unique<VaceSet>();
    s->dit = std::make_shared<const models::DitModel>(ditConfig, base);
    s->vace = std::make_unique<models::VaceModel>(s->dit, vaceConfig, vaceWeights);
    return *cache.emplace(key, std::move(s)).first->second;
}

// [B, C, F, H, W] (the files) <-> [B, F, C, H, W] (our pipeline layout).
at::Tensor swapChannelsFrames(const at::Tensor& t) {
    return t.permute({0, 2, 1, 3, 4}).contiguous();
}

// Rows [L, seqLen) of zeros, as the reference pads tokens to seq_len.
at::Tensor padRows(const at::Tensor& t, int64_t seqLen, double value = 0.0) {
    const int64_t l = t.size(-2);
    if (seqLen == l) {
        return t;
    }
    return at::constant_pad_nd(t, {0, 0, 0, seqLen - l}, value);
}

void forwardCase(const GoldenSet& set, const std::string& file, const std::string& name,
                 TensorCoverage& cov, Report& report) {
    const VaceSet& v = vaceSet(set);
    const models::DitModel& dit = *v.dit;
    const at::Tensor x = swapChannelsFrames(cov.input(name + "_x"));
    const at::Tensor t = cov.input(name + "_t").unsqueeze(1); // one timestep per sample
    const at::Tensor context = swapChannelsFrames(cov.input(name + "_vace_context"));
    const auto seqLen = static_cast<int64_t>(cov.input(name + "_seq_len").item<double>());
    const double scale = cov.input(name + "_vace_context_scale").item<double>();
    const int64_t batch = x.size(0);
    // Text per sample, zero-padded to text_len as the model does, then stacked.
    std::vector<at::Tensor> texts;
    for (int64_t b = 0; b < batch; ++b) {
        const at::Tensor c = cov.input(name + "_context" + std::to_string(b));
        texts.push_back(at::constant_pad_nd(c, {0, 0, 0, dit.config().textLen - c.size(0)}));
    }
    const at::Tensor text = at::stack(texts);

    // The VACE stream with the reference's padding to seq_len: padded rows carry no RoPE
    // rotation and are masked as keys.
    models::DitCallState state = dit.callState(x, t, 0);
    const int64_t tokens = state.tokens.size(1);
    report.check(name + " seq_len", seqLen >= tokens,
                 std::to_string(seqLen) + " for " + std::to_string(tokens) + " tokens");
    if (seqLen < tokens) {
        return;
    }
    models::DitCallState padded = state;
    padded.tokens = padRows(state.tokens, seqLen);
    padded.rope = padRows(state.rope, seqLen, 1.0); // 1 + 0i: no rotation
    cov.compare(name + "_x_tokens", padded.tokens);
    const at::Tensor contextTokens = v.vace->embedContext(context);
    cov.compare(name + "_vace_tokens", padRows(contextTokens, seqLen));
    const std::vector<inference::models::LayerKv> cross = v.vace->crossAttention(text);
    std::vector<at::Tensor> streams;
    const std::vector<at::Tensor> hints =
        v.vace->hints(padded, padRows(contextTokens, seqLen), cross, tokens, &streams);
    for (size_t n = 0; n < hints.size(); ++n) {
        cov.compare(name + "_vace_block" + std::to_string(n) + "_c", streams[n]);
        cov.compare(name + "_hint" + std::to_string(n), hints[n]);
    }

    // The output through the DiT's own call with the hint hook (no padding: nothing pads).
    const models::DitConfig& c = dit.config();
    std::vector<models::LayerKv> self, crossMain;
    for (int64_t i = 0; i < c.numLayers; ++i) {
        self.push_back({at::zeros({batch, c.numHeads, tokens, c.headDim()}),
                        at::zeros({batch, c.numHeads, tokens, c.headDim()})});
        crossMain.push_back({at::zeros({batch, c.numHeads, c.textLen, c.headDim()}),
                             at::zeros({batch, c.numHeads, c.textLen, c.headDim()})});
    }
    dit.fillCrossAttention(text, crossMain);
    models::DitCallCaches caches;
    caches.self = &self;
    caches.cross = &crossMain;
    caches.plan.attendEnd = tokens;
    models::VaceHintHook hook(*v.vace, contextTokens, cross, scale);
    const at::Tensor out = dit.forward(x, t, 0, caches, models::DitOutput::Flow, &hook);
    cov.compare(name + "_out", swapChannelsFrames(out));
    (void)file;
}

void runForward(const GoldenSet& set, const std::string& file, Report& report) {
    TensorCoverage cov(set, file, report);
    for (const auto& c : set.fileEntry(file).at("cases").asArray("cases")) {
        forwardCase(set, file, c.at("name").asString("case name"), cov, report);
    }
    cov.finish();
}

// The set's VAE: configs.vae.weights names it from the shared folder ("shared/golden/..."),
// found beside this set's folder; or a file of that name inside the set.
std::string vaeWeightsPath(const GoldenSet& set) {
    namespace fs = std::filesystem;
    const std::string stated =
        set.configs().at("vae").at("weights").asString("configs.vae.weights");
    fs::path rel(stated);
    std::vector<fs::path> candidates = {set.dir / rel.filename()};
    if (rel.begin() != rel.end()) {
        fs::path rest;
        for (auto it = std::next(rel.begin()); it != rel.end(); ++it) {
            rest /= *it;
        }
        candidates.push_back(set.dir.parent_path() / rest); // "shared/" is the sets' parent
    }
    candidates.push_back(set.dir.parent_path() / rel);
    for (const fs::path& p : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            return p.string();
        }
    }
    throw std::runtime_error("the VAE weights '" + stated +
                             "' (configs.vae.weights) are not "
                             "beside " +
                             set.dir.string());
}

const models::WanVae& vaeOf(const GoldenSet& set) {
    static std::map<std::string, std::unique_ptr<models::WanVae>> cache;
    const std::string key = set.dir.string();
    if (auto it = cache.find(key); it != cache.end()) {
        return *it->second;
    }
    auto vae = std::make_unique<models::WanVae>(
        vaeConfigOf(set.configs().at("vae")),
        io::Weights::fromSafetensors(vaeWeightsPath(set), at::kFloat));
    return *cache.emplace(key, std::move(vae)).first->second;
}

void contextCase(const GoldenSet& set, const std::string& file, const std::string& name,
                 const json::Value& info, TensorCoverage& cov, Report& report) {
    const models::WanVae& vae = vaeOf(set);
    auto has = [&](const std::string& t) { return hasTensor(set, file, t); };

    // The frames and the mask: given, or built from first/last images (grey elsewhere, mask 0
    // on the kept frames), or through prepare_source's mask conversion.
    at::Tensor frames;
    at::Tensor mask;
    if (has(name + "_src_video")) {
        frames = cov.input(name + "_src_video");
    }
    if (has(name + "_first_image") || has(name + "_last_image")) {
        const std::vector<int64_t> kept = manifestInts(info.at("kept_frames"), "kept_frames");
        const at::Tensor first =
            has(name + "_first_image") ? cov.input(name + "_first_image") : at::Tensor();
        const at::Tensor last =
            has(name + "_last_image") ? cov.input(name + "_last_image") : at::Tensor();
        const at::Tensor any = first.defined() ? first : last;
        const int64_t frameCount = info.at("pixel_frames").asInt("pixel_frames");
        frames = at::zeros({3, frameCount, any.size(2), any.size(3)});
        mask = at::ones({1, frameCount, any.size(2), any.size(3)});
        for (const int64_t k : kept) {
            const at::Tensor& img = (k == 0 && first.defined()) || !last.defined() ? first : last;
            frames.narrow(1, k, 1).copy_(img);
            mask.narrow(1, k, 1).zero_();
        }
        cov.compare(name + "_frames", frames, 0.0);
        cov.compare(name + "_masks", mask, 0.0);
    } else if (has(name + "_frames")) {
        frames = cov.input(name + "_frames");
    }
    if (!frames.defined() && info.find("pixel_hw") != nullptr) {
        // No video (reference-to-video): grey frames, as prepare_source makes them.
        const std::vector<int64_t> hw = manifestInts(info.at("pixel_hw"), "pixel_hw");
        frames = at::zeros({3, info.at("pixel_frames").asInt("pixel_frames"), hw[0], hw[1]});
    }
    if (!frames.defined()) {
        report.fail(name, "no frames (" + name + "_frames or _src_video) in the file");
        return;
    }
    if (has(name + "_src_mask_video")) {
        mask = models::vaceMaskFromVideo(cov.input(name + "_src_mask_video"));
    } else if (!mask.defined() && !has(name + "_masks")) {
        // No mask: all ones (everything is generated), as prepare_source makes it.
        mask = at::ones({1, frames.size(1), frames.size(2), frames.size(3)});
    }
    if (!mask.defined()) {
        mask = cov.input(name + "_masks");
    } else if (has(name + "_masks") && !cov.used(name + "_masks")) {
        cov.compare(name + "_masks", mask, 0.0);
    }

    // Reference images: 8-bit pixels -> [-1, 1] -> fitted into the frame's canvas.
    std::vector<at::Tensor> refs;
    for (int k = 0; has(name + "_image" + std::to_string(k) + "_uint8"); ++k) {
        const std::string base = name + "_image" + std::to_string(k);
        const at::Tensor pixels = cov.input(base + "_uint8"); // [h, w, 3]
        const at::Tensor raw =
            pixels.permute({2, 0, 1}).unsqueeze(1).contiguous().div(255).sub(0.5).div(0.5);
        cov.compare(base + "_raw", raw, 0.0);
        const at::Tensor fitted = models::fitVaceReference(raw, frames.size(2), frames.size(3));
        cov.compare(base, fitted);
        refs.push_back(fitted);
    }

    const at::Tensor z0 = models::encodeVaceFrames(vae, frames, mask, refs);
    cov.compare(name + "_z0", z0);
    const at::Tensor m0 =
        models::foldVaceMask(mask, static_cast<int64_t>(refs.size()), vae.config().spaceStride(),
                             vae.config().timeStride());
    cov.compare(name + "_m0", m0, 0.0);
    cov.compare(name + "_vace_context", models::buildVaceContext(vae, frames, mask, refs));
}

void runContext(const GoldenSet& set, const std::string& file, Report& report) {
    TensorCoverage cov(set, file, report);
    for (const auto& [name, info] : set.fileEntry(file).at("context_cases").asObject()) {
        contextCase(set, file, name, info, cov, report);
    }
    cov.finish();
}

} // namespace
} // namespace sfs::golden

SFS_GOLDEN_CASE("vace", "vace_forward\\.safetensors", sfs::golden::runForward);
SFS_GOLDEN_CASE("vace", "vace_context\\.safetensors", sfs::golden::runContext);
