#include "io/model_schema.h"

#include "io/json.h"
#include "io/stored_tensor.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sfs::inference::io {

namespace {

using Shape = std::vector<int64_t>;
using Shapes = std::map<std::string, Shape>;
using List = std::vector<ExpectedTensor>;

// --- shape lookups ---------------------------------------------------------------------------

const Shape* find(const Shapes& s, const std::string& name) {
    auto it = s.find(name);
    return it == s.end() ? nullptr : &it->second;
}
// Dimension `i` of a tensor, 0 when the tensor or the dimension is absent.
int dimOf(const Shapes& s, const std::string& name, size_t i) {
    const Shape* shape = find(s, name);
    return shape != nullptr && i < shape->size() ? static_cast<int>((*shape)[i]) : 0;
}
// The same for the first block that has `suffix` ("blocks.N.<suffix>").
int blockDim(const Shapes& s, const std::string& suffix, size_t i, int layers) {
    for (int b = 0; b < layers; ++b) {
        if (const int d = dimOf(s, "blocks." + std::to_string(b) + "." + suffix, i); d > 0) {
            return d;
        }
    }
    return 0;
}
// Number of numbered children "<prefix>N." (highest N + 1).
int countNumbered(const Shapes& s, const std::string& prefix) {
    int count = 0;
    for (auto it = s.lower_bound(prefix); it != s.end() && it->first.rfind(prefix, 0) == 0; ++it) {
        const std::string rest = it->first.substr(prefix.size());
        const size_t dot = rest.find('.');
        const std::string index = rest.substr(0, dot);
        if (!index.empty() && index.size() < 6 &&
            std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            count = std::max(count, std::stoi(index) + 1);
        }
    }
    return count;
}

// --- expected tensor lists -------------------------------------------------------------------

void linear(List& l, const std::string& name, int64_t out, int64_t in, bool bias = true) {
    l.push_back({name + ".weight", {out, in}});
    if (bias) {
        l.push_back({name + ".bias", {out}});
    }
}

void conv(List& l, const std::string& name, int64_t out, int64_t in, const Shape& kernel,
          bool bias = true) {
    Shape shape = {out, in};
    shape.insert(shape.end(), kernel.begin(), kernel.end());
    l.push_back({name + ".weight", shape});
    if (bias) {
        l.push_back({name + ".bias", {out}});
    }
}

// Wan VAE pieces (wan/modules/vae.py): RMS_norm gammas, ResidualBlock, the middle block.
void gamma(List& l, const std::string& name, int64_t c, size_t ones = 3) {
    Shape shape = {c};
    shape.insert(shape.end(), ones, 1);
    l.push_back({name + ".gamma", shape});
}
void vaeResidual(List& l, const std::string& name, int64_t in, int64_t out) {
    gamma(l, name + ".residual.0", in);
    conv(l, name + ".residual.2", out, in, {3, 3, 3});
    gamma(l, name + ".residual.3", out);
    conv(l, name + ".residual.6", out, out, {3, 3, 3});
    if (in != out) {
        conv(l, name + ".shortcut", out, in, {1, 1, 1});
    }
}
void vaeMiddle(List& l, const std::string& name, int64_t c) {
    vaeResidual(l, name + ".0", c, c);
    gamma(l, name + ".1.norm", c, 2);
    conv(l, name + ".1.to_qkv", 3 * c, c, {1, 1});
    conv(l, name + ".1.proj", c, c, {1, 1});
    vaeResidual(l, name + ".2", c, c);
}

// TAEHV MemBlock: conv.0 (2C -> C), conv.2, conv.4 (C -> C), 3x3 with bias.
void memBlock(List& l, const std::string& name, int64_t c) {
    conv(l, name + ".conv.0", c, 2 * c, {3, 3});
    conv(l, name + ".conv.2", c, c, {3, 3});
    conv(l, name + ".conv.4", c, c, {3, 3});
}

bool sameShapes(const List& a, const List& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const ExpectedTensor& x, const ExpectedTensor& y) {
                          return x.name == y.name && x.shape == y.shape;
                      });
}

// --- configuration from shapes ----------------------------------------------------------------

// Wan's config.json beside a DiT file gives the head count, which the weights do not store.
int headsFromConfigJson(const std::string& weightsPath, int dim) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path config = fs::path(weightsPath).parent_path() / "config.json";
    if (!fs::is_regular_file(config, ec) || fs::file_size(config, ec) > (1u << 20)) {
        return 0;
    }
    std::ifstream in(config, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    try {
        const json::Value v = json::parse(text.str());
        const json::Value* heads = v.find("num_heads");
        const json::Value* d = v.find("dim");
        if (heads != nullptr && heads->isInteger() && heads->asInt() > 0 &&
            (d == nullptr || (d->isInteger() && d->asInt() == dim))) {
            return static_cast<int>(heads->asInt());
        }
    } catch (const std::exception&) {
        // Not a config of ours: ignore it.
    }
    return 0;
}

DitFileConfig inferDit(const Shapes& s, const std::string& path, RoleCheck& r) {
    DitFileConfig c;
    const Shape* pe = find(s, "patch_embedding.weight");
    if (pe == nullptr || pe->size() != 5) {
        r.problems.push_back("patch_embedding.weight (a 5-D Conv3d weight) is missing, so the "
                             "configuration cannot be read");
        return c;
    }
    c.dim = static_cast<int>((*pe)[0]);
    c.inDim = static_cast<int>((*pe)[1]);
    c.patch = {static_cast<int>((*pe)[2]), static_cast<int>((*pe)[3]), static_cast<int>((*pe)[4])};
    c.numLayers = countNumbered(s, "blocks.");
    c.ffnDim = blockDim(s, "ffn.0.weight", 0, c.numLayers);
    c.textDim = dimOf(s, "text_embedding.0.weight", 1);
    c.freqDim = dimOf(s, "time_embedding.0.weight", 1);
    const int patchVolume = c.patch[0] * c.patch[1] * c.patch[2];
    const int headOut = dimOf(s, "head.head.weight", 0);
    if (patchVolume > 0 && headOut % patchVolume == 0) {
        c.outDim = headOut / patchVolume;
    }
    c.qkNorm = blockDim(s, "self_attn.norm_q.weight", 0, c.numLayers) > 0;
    c.crossAttnNorm = blockDim(s, "norm3.weight", 0, c.numLayers) > 0;
    c.imageToVideo = s.lower_bound("img_emb.") != s.end() &&
                     s.lower_bound("img_emb.")->first.rfind("img_emb.", 0) == 0;
    if (const int heads = headsFromConfigJson(path, c.dim); heads > 0) {
        c.numHeads = heads;
        c.headsFrom = "config.json";
    } else if (c.dim % 128 == 0) {
        // Every released Wan2.1 DiT uses head dim 128 (1.3B: 1536 / 12, 14B: 5120 / 40).
        c.numHeads = c.dim / 128;
        c.headsFrom = "head dim 128";
    } else {
        r.notes.push_back("the number of attention heads is not stored in the weights and dim " +
                          std::to_string(c.dim) +
                          " is not a multiple of Wan's head dim 128; give num_heads in a "
                          "config.json next to the file");
    }
    for (const auto& [what, value] : {std::pair<const char*, int>{"ffn_dim", c.ffnDim},
                                      {"text_dim", c.textDim},
                                      {"freq_dim", c.freqDim},
                                      {"out_dim", c.outDim},
                                      {"num_layers", c.numLayers}}) {
        if (value <= 0) {
            r.problems.push_back(std::string("cannot tell ") + what + " from the weights");
        }
    }
    if (c.imageToVideo) {
        r.problems.push_back("an image-to-video DiT (it has img_emb); Self-Forcing needs the "
                             "text-to-video model");
    }
    if (sameShapes(expectedTensors(c), expectedTensors(wan21T2V13BDit())) && !c.imageToVideo) {
        r.knownAs = "Wan2.1 T2V 1.3B";
    } else if (c.dim == 5120 && c.numLayers == 40) {
        r.knownAs = "Wan2.1 14B";
        r.notes.push_back("a 14B model; Self-Forcing is distilled from and runs the 1.3B model");
    }
    return c;
}

VaeFileConfig inferVae(const Shapes& s, RoleCheck& r) {
    VaeFileConfig c;
    c.zDim = dimOf(s, "conv2.weight", 0);
    if (c.zDim == 0) {
        c.zDim = dimOf(s, "decoder.conv1.weight", 1);
    }
    // Walk a side's blocks: residual blocks form stages, resamples close them.
    struct Stage {
        std::vector<int> outs;
        bool temporal = false;
        bool closed = false;
    };
    auto walk = [&](const std::string& prefix) {
        std::vector<Stage> stages(1);
        for (int i = 0;; ++i) {
            const std::string block = prefix + std::to_string(i);
            if (const int out = dimOf(s, block + ".residual.2.weight", 0); out > 0) {
                stages.back().outs.push_back(out);
            } else if (find(s, block + ".resample.1.weight") != nullptr) {
                stages.back().closed = true;
                stages.back().temporal = find(s, block + ".time_conv.weight") != nullptr;
                stages.emplace_back();
            } else {
                break;
            }
        }
        return stages;
    };
    std::vector<Stage> stages;
    int resPerStage = 0;
    if (const int dim = dimOf(s, "encoder.conv1.weight", 0); dim > 0) {
        c.dim = dim;
        stages = walk("encoder.downsamples.");
        resPerStage =
            stages.front().outs.empty() ? 0 : static_cast<int>(stages.front().outs.size());
        c.numResBlocks = resPerStage;
    } else {
        stages = walk("decoder.upsamples.");
        std::reverse(stages.begin(), stages.end());
        // Decoder stages run from the deepest; its resamples sit after a stage.
        for (size_t i = 0; i + 1 < stages.size(); ++i) {
            stages[i].temporal = stages[i + 1].temporal;
        }
        c.dim = stages.front().outs.empty() ? 0 : stages.front().outs.back();
        resPerStage =
            stages.front().outs.empty() ? 0 : static_cast<int>(stages.front().outs.size());
        c.numResBlocks = resPerStage - 1;
    }
    if (c.dim <= 0 || stages.front().outs.empty()) {
        r.problems.push_back("neither encoder.conv1 nor the decoder's residual blocks are there, "
                             "so the configuration cannot be read");
        return c;
    }
    for (size_t i = 0; i < stages.size(); ++i) {
        const int out = stages[i].outs.empty() ? 0 : stages[i].outs.back();
        if (out % c.dim != 0 || static_cast<int>(stages[i].outs.size()) != resPerStage) {
            r.problems.push_back("stage " + std::to_string(i) +
                                 " does not follow the Wan VAE layout (channels or block count)");
        }
        c.dimMult.push_back(out / c.dim);
        if (i + 1 < stages.size()) {
            c.temporalDownsample.push_back(stages[i].temporal);
        }
    }
    if (c.zDim <= 0) {
        r.problems.push_back("cannot tell z_dim (conv2 and decoder.conv1 are missing)");
    }
    if (sameShapes(expectedTensors(c), expectedTensors(wan21Vae()))) {
        r.knownAs = "Wan2.1 VAE";
    }
    return c;
}

T5FileConfig inferT5(const Shapes& s, RoleCheck& r) {
    T5FileConfig c;
    c.vocab = dimOf(s, "token_embedding.weight", 0);
    c.dim = dimOf(s, "token_embedding.weight", 1);
    c.numLayers = countNumbered(s, "blocks.");
    c.dimAttn = blockDim(s, "attn.q.weight", 0, c.numLayers);
    c.ffnDim = blockDim(s, "ffn.fc1.weight", 0, c.numLayers);
    c.sharedPos = find(s, "pos_embedding.embedding.weight") != nullptr;
    const std::string table =
        c.sharedPos ? "pos_embedding.embedding.weight" : "blocks.0.pos_embedding.embedding.weight";
    c.numBuckets = dimOf(s, table, 0);
    c.numHeads = dimOf(s, table, 1);
    for (const auto& [what, value] : {std::pair<const char*, int>{"vocab and dim", c.dim},
                                      {"the number of heads", c.numHeads},
                                      {"dim_attn", c.dimAttn},
                                      {"ffn_dim", c.ffnDim},
                                      {"num_layers", c.numLayers}}) {
        if (value <= 0) {
            r.problems.push_back(std::string("cannot tell ") + what + " from the weights");
        }
    }
    if (sameShapes(expectedTensors(c), expectedTensors(umt5XxlEncoder()))) {
        r.knownAs = "UMT5-XXL encoder";
    }
    return c;
}

TaehvFileConfig inferTaehv(const Shapes& s, RoleCheck& r) {
    TaehvFileConfig c;
    c.encoderWidth = dimOf(s, "encoder.0.weight", 0);
    const int inChannels = dimOf(s, "encoder.0.weight", 1);
    for (int p = 1; p <= 8; ++p) {
        if (3 * p * p == inChannels) {
            c.patchSize = p;
            c.imageChannels = 3;
        }
    }
    c.latentChannels = dimOf(s, "encoder.17.weight", 0);
    if (c.latentChannels == 0) {
        c.latentChannels = dimOf(s, "decoder.1.weight", 1);
    }
    const int decoderConvs[4] = {1, 8, 14, 20};
    for (int i = 0; i < 4; ++i) {
        c.decoderWidths[static_cast<size_t>(i)] =
            dimOf(s, "decoder." + std::to_string(decoderConvs[i]) + ".weight", 0);
    }
    const int pools[3] = {2, 7, 12};
    const int grows[3] = {7, 13, 19};
    for (size_t i = 0; i < 3; ++i) {
        const std::string pool = "encoder." + std::to_string(pools[i]) + ".conv.weight";
        const std::string grow = "decoder." + std::to_string(grows[i]) + ".conv.weight";
        if (dimOf(s, pool, 0) > 0) {
            c.encoderTimeDownscale[i] = dimOf(s, pool, 1) / dimOf(s, pool, 0);
        }
        if (dimOf(s, grow, 1) > 0) {
            c.decoderTimeUpscale[i] = dimOf(s, grow, 0) / dimOf(s, grow, 1);
        }
    }
    if (c.encoderWidth <= 0 || c.patchSize <= 0 || c.latentChannels <= 0 ||
        *std::min_element(c.decoderWidths.begin(), c.decoderWidths.end()) <= 0) {
        r.problems.push_back("the TAEHV encoder/decoder convolutions needed to read the "
                             "configuration are missing");
    }
    if (sameShapes(expectedTensors(c), expectedTensors(taew21()))) {
        r.knownAs = "TAEHV taew2_1";
    }
    return c;
}

// Landmark tensors that identify a role.
const std::vector<std::string>& landmarks(ModelRole role) {
    static const std::map<ModelRole, std::vector<std::string>> table = {
        {ModelRole::Dit,
         {"patch_embedding.weight", "head.head.weight", "blocks.0.self_attn.q.weight",
          "time_embedding.0.weight"}},
        {ModelRole::Vae,
         {"encoder.conv1.weight", "decoder.conv1.weight", "conv1.weight", "conv2.weight"}},
        {ModelRole::TextEncoder,
         {"token_embedding.weight", "blocks.0.attn.q.weight", "blocks.0.ffn.fc1.weight",
          "norm.weight"}},
        {ModelRole::Taehv,
         {"encoder.0.weight", "decoder.1.weight", "decoder.3.conv.0.weight", "decoder.22.weight"}},
    };
    static const std::vector<std::string> none;
    auto it = table.find(role);
    return it == table.end() ? none : it->second;
}

} // namespace

// --- released configurations ----------------------------------------------------------------

DitFileConfig wan21T2V13BDit() {
    DitFileConfig c;
    c.dim = 1536;
    c.inDim = 16;
    c.outDim = 16;
    c.ffnDim = 8960;
    c.freqDim = 256;
    c.textDim = 4096;
    c.numLayers = 30;
    c.numHeads = 12;
    c.headsFrom = "config.json";
    c.patch = {1, 2, 2};
    c.qkNorm = true;
    c.crossAttnNorm = true;
    return c;
}

VaeFileConfig wan21Vae() {
    return {96, 16, {1, 2, 4, 4}, 2, {false, true, true}};
}

T5FileConfig umt5XxlEncoder() {
    return {256384, 4096, 4096, 10240, 64, 24, 32, false};
}

TaehvFileConfig taew21() {
    return {3, 1, 16, 64, {256, 128, 64, 64}, {2, 2, 1}, {1, 2, 2}};
}

// --- expected tensors ------------------------------------------------------------------------

std::vector<ExpectedTensor> expectedTensors(const DitFileConfig& c) {
    List l;
    const int64_t d = c.dim;
    conv(l, "patch_embedding", d, c.inDim, {c.patch[0], c.patch[1], c.patch[2]});
    linear(l, "text_embedding.0", d, c.textDim);
    linear(l, "text_embedding.2", d, d);
    linear(l, "time_embedding.0", d, c.freqDim);
    linear(l, "time_embedding.2", d, d);
    linear(l, "time_projection.1", 6 * d, d);
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string b = "blocks." + std::to_string(i) + ".";
        l.push_back({b + "modulation", {1, 6, d}});
        for (const char* attn : {"self_attn", "cross_attn"}) {
            if (std::string(attn) == "cross_attn" && c.crossAttnNorm) {
                l.push_back({b + "norm3.weight", {d}});
                l.push_back({b + "norm3.bias", {d}});
            }
            for (const char* p : {"q", "k", "v", "o"}) {
                linear(l, b + attn + "." + p, d, d);
            }
            if (c.qkNorm) {
                l.push_back({b + attn + ".norm_q.weight", {d}});
                l.push_back({b + attn + ".norm_k.weight", {d}});
            }
        }
        linear(l, b + "ffn.0", c.ffnDim, d);
        linear(l, b + "ffn.2", d, c.ffnDim);
    }
    l.push_back({"head.modulation", {1, 2, d}});
    linear(l, "head.head", int64_t{c.outDim} * c.patch[0] * c.patch[1] * c.patch[2], d);
    return l;
}

std::vector<ExpectedTensor> expectedTensors(const VaeFileConfig& c) {
    List l;
    const size_t stages = c.dimMult.size();
    auto temporal = [&](size_t s) {
        return s < c.temporalDownsample.size() && c.temporalDownsample[s];
    };
    std::vector<int64_t> dims = {c.dim};
    for (const int m : c.dimMult) {
        dims.push_back(int64_t{c.dim} * m);
    }
    conv(l, "encoder.conv1", dims[0], 3, {3, 3, 3});
    int i = 0;
    for (size_t s = 0; s < stages; ++s) {
        int64_t in = dims[s];
        for (int r = 0; r < c.numResBlocks; ++r) {
            vaeResidual(l, "encoder.downsamples." + std::to_string(i++), in, dims[s + 1]);
            in = dims[s + 1];
        }
        if (s + 1 != stages) {
            const std::string b = "encoder.downsamples." + std::to_string(i++);
            conv(l, b + ".resample.1", dims[s + 1], dims[s + 1], {3, 3});
            if (temporal(s)) {
                conv(l, b + ".time_conv", dims[s + 1], dims[s + 1], {3, 1, 1});
            }
        }
    }
    vaeMiddle(l, "encoder.middle", dims.back());
    gamma(l, "encoder.head.0", dims.back());
    conv(l, "encoder.head.2", 2 * int64_t{c.zDim}, dims.back(), {3, 3, 3});
    conv(l, "conv1", 2 * int64_t{c.zDim}, 2 * int64_t{c.zDim}, {1, 1, 1});
    conv(l, "conv2", c.zDim, c.zDim, {1, 1, 1});

    // The decoder mirrors the encoder: 1 + num_res_blocks blocks per stage, upsamples that
    // halve the channels, time upsampling where the encoder downsampled in time.
    std::vector<int64_t> ddims = {int64_t{c.dim} * (stages ? c.dimMult.back() : 1)};
    for (size_t s = stages; s > 0; --s) {
        ddims.push_back(int64_t{c.dim} * c.dimMult[s - 1]);
    }
    conv(l, "decoder.conv1", ddims[0], c.zDim, {3, 3, 3});
    vaeMiddle(l, "decoder.middle", ddims[0]);
    i = 0;
    for (size_t s = 0; s < stages; ++s) {
        // Wan's decoder: stages 1-3 take the halved channels of the upsample before them.
        int64_t in = (s == 1 || s == 2 || s == 3) ? ddims[s] / 2 : ddims[s];
        for (int r = 0; r < c.numResBlocks + 1; ++r) {
            vaeResidual(l, "decoder.upsamples." + std::to_string(i++), in, ddims[s + 1]);
            in = ddims[s + 1];
        }
        if (s + 1 != stages) {
            const std::string b = "decoder.upsamples." + std::to_string(i++);
            conv(l, b + ".resample.1", ddims[s + 1] / 2, ddims[s + 1], {3, 3});
            if (temporal(stages - 2 - s)) {
                conv(l, b + ".time_conv", ddims[s + 1] * 2, ddims[s + 1], {3, 1, 1});
            }
        }
    }
    gamma(l, "decoder.head.0", ddims.back());
    conv(l, "decoder.head.2", 3, ddims.back(), {3, 3, 3});
    return l;
}

std::vector<ExpectedTensor> expectedTensors(const T5FileConfig& c) {
    List l;
    l.push_back({"token_embedding.weight", {c.vocab, c.dim}});
    if (c.sharedPos) {
        l.push_back({"pos_embedding.embedding.weight", {c.numBuckets, c.numHeads}});
    }
    for (int i = 0; i < c.numLayers; ++i) {
        const std::string b = "blocks." + std::to_string(i) + ".";
        l.push_back({b + "norm1.weight", {c.dim}});
        for (const char* p : {"q", "k", "v"}) {
            linear(l, b + "attn." + p, c.dimAttn, c.dim, false);
        }
        linear(l, b + "attn.o", c.dim, c.dimAttn, false);
        l.push_back({b + "norm2.weight", {c.dim}});
        linear(l, b + "ffn.gate.0", c.ffnDim, c.dim, false);
        linear(l, b + "ffn.fc1", c.ffnDim, c.dim, false);
        linear(l, b + "ffn.fc2", c.dim, c.ffnDim, false);
        if (!c.sharedPos) {
            l.push_back({b + "pos_embedding.embedding.weight", {c.numBuckets, c.numHeads}});
        }
    }
    l.push_back({"norm.weight", {c.dim}});
    return l;
}

std::vector<ExpectedTensor> expectedTensors(const TaehvFileConfig& c) {
    List l;
    const int64_t e = c.encoderWidth;
    const int64_t pixels = int64_t{c.imageChannels} * c.patchSize * c.patchSize;
    const auto& dec = c.decoderWidths;
    conv(l, "encoder.0", e, pixels, {3, 3});
    const int pools[3] = {2, 7, 12};
    for (size_t s = 0; s < 3; ++s) {
        const int first = pools[s];
        conv(l, "encoder." + std::to_string(first) + ".conv", e, e * c.encoderTimeDownscale[s],
             {1, 1}, false);
        conv(l, "encoder." + std::to_string(first + 1), e, e, {3, 3}, false);
        for (int j = 0; j < 3; ++j) {
            memBlock(l, "encoder." + std::to_string(first + 2 + j), e);
        }
    }
    conv(l, "encoder.17", c.latentChannels, e, {3, 3});
    conv(l, "decoder.1", dec[0], c.latentChannels, {3, 3});
    for (int j = 3; j <= 5; ++j) {
        memBlock(l, "decoder." + std::to_string(j), dec[0]);
    }
    const int grows[3] = {7, 13, 19};
    for (size_t s = 0; s < 3; ++s) {
        const int idx = grows[s];
        conv(l, "decoder." + std::to_string(idx) + ".conv",
             int64_t{dec[s]} * c.decoderTimeUpscale[s], dec[s], {1, 1}, false);
        conv(l, "decoder." + std::to_string(idx + 1), dec[s + 1], dec[s], {3, 3}, false);
        if (s < 2) {
            for (int j = 0; j < 3; ++j) {
                memBlock(l, "decoder." + std::to_string(idx + 2 + j), dec[s + 1]);
            }
        }
    }
    conv(l, "decoder.22", pixels, dec[3], {3, 3});
    return l;
}

// --- checks ----------------------------------------------------------------------------------

std::vector<std::string> RoleCheck::describeProblems(size_t maxNames) const {
    std::vector<std::string> out = problems;
    auto list = [&](const std::vector<std::string>& names, const std::string& what) {
        if (names.empty()) {
            return;
        }
        std::string line = std::to_string(names.size()) + " " + what + ": ";
        for (size_t i = 0; i < names.size() && i < maxNames; ++i) {
            line += (i ? ", " : "") + names[i];
        }
        if (names.size() > maxNames) {
            line += ", ...";
        }
        out.push_back(line);
    };
    list(missing, "missing tensor(s)");
    list(wrongShapes, "tensor(s) with a shape the configuration does not allow");
    list(unknown, "unknown tensor(s)");
    return out;
}

RoleCheck checkRole(ModelRole role, const TensorFile& file) {
    RoleCheck r;
    r.role = role;
    r.keys = mapKeys(role, file.entries());
    r.problems = r.keys.problems;
    Shapes shapes;
    for (const auto& [canonical, source] : r.keys.tensors) {
        shapes[canonical] = file.find(source)->shape;
    }
    for (const std::string& name : landmarks(role)) {
        r.markers += shapes.count(name) != 0 ? 1 : 0;
    }

    List expected;
    switch (role) {
    case ModelRole::Dit:
        r.dit = inferDit(shapes, file.path(), r);
        expected = expectedTensors(*r.dit);
        break;
    case ModelRole::Vae:
        r.vae = inferVae(shapes, r);
        expected = expectedTensors(*r.vae);
        break;
    case ModelRole::TextEncoder:
        r.t5 = inferT5(shapes, r);
        expected = expectedTensors(*r.t5);
        break;
    case ModelRole::Taehv:
        r.taehv = inferTaehv(shapes, r);
        expected = expectedTensors(*r.taehv);
        break;
    default:
        r.problems.push_back("not a model role");
        return r;
    }

    std::set<std::string> wanted;
    for (const ExpectedTensor& e : expected) {
        wanted.insert(e.name);
        const Shape* have = find(shapes, e.name);
        if (have == nullptr) {
            r.missing.push_back(e.name);
            continue;
        }
        if (*have != e.shape) {
            r.wrongShapes.push_back(e.name + ": shape " + shapeText(*have) +
                                    ", the configuration needs " + shapeText(e.shape));
        }
        int64_t n = 1;
        for (const int64_t d : *have) {
            n *= d;
        }
        r.parameters += n;
    }
    for (const auto& [canonical, source] : r.keys.tensors) {
        if (wanted.count(canonical) == 0) {
            r.unknown.push_back(source);
        }
    }
    return r;
}

RoleCheck identifyRole(const TensorFile& file) {
    RoleCheck best;
    for (const ModelRole role :
         {ModelRole::Dit, ModelRole::Vae, ModelRole::TextEncoder, ModelRole::Taehv}) {
        // Landmarks first (cheap), the full check only for the winner.
        const MappedKeys keys = mapKeys(role, file.entries());
        int markers = 0;
        for (const std::string& name : landmarks(role)) {
            markers += keys.source(name) != nullptr ? 1 : 0;
        }
        if (markers >= 2 && markers > best.markers) {
            best.role = role;
            best.markers = markers;
        }
    }
    if (best.role == ModelRole::Unknown) {
        RoleCheck unknown;
        std::string first;
        for (size_t i = 0; i < file.entries().size() && i < 3; ++i) {
            first += (i ? ", " : "") + file.entries()[i].name;
        }
        unknown.problems.push_back(
            "not the weights of a model sfstudio uses (DiT, VAE, UMT5 text encoder, TAEHV): " +
            std::to_string(file.entries().size()) + " tensors" +
            (first.empty() ? "" : " such as " + first));
        return unknown;
    }
    return checkRole(best.role, file);
}

} // namespace sfs::inference::io
