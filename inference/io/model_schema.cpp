#include "io/model_schema.h"

#include "io/json.h"
#include "io/stored_tensor.h"
#include "models/config_json.h"

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

// --- shape lookups ---------------------------------------------------------------------------

const Shape* find(const Shapes& s, const std::string& name) {
    auto it = s.find(name);
    return it == s.end() ? nullptr : &it->second;
}
// Dimension `i` of a tensor, 0 when the tensor or the dimension is absent.
int64_t dimOf(const Shapes& s, const std::string& name, size_t i) {
    const Shape* shape = find(s, name);
    return shape != nullptr && i < shape->size() ? (*shape)[i] : 0;
}
// The same for the first block that has `suffix` ("blocks.N.<suffix>").
int64_t blockDim(const Shapes& s, const std::string& suffix, size_t i, int64_t layers) {
    for (int64_t b = 0; b < layers; ++b) {
        if (const int64_t d = dimOf(s, "blocks." + std::to_string(b) + "." + suffix, i); d > 0) {
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

// A tensor of the VACE part (the rest of a full VACE model is its base DiT).
bool isVaceName(const std::string& name) {
    return name.rfind("vace_blocks.", 0) == 0 || name.rfind("vace_patch_embedding.", 0) == 0;
}

bool sameShapes(const ParamList& a, const ParamList& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const ParamSpec& x, const ParamSpec& y) {
                          return x.name == y.name && x.shape == y.shape;
                      });
}

// --- configuration from shapes ----------------------------------------------------------------

// Wan's config.json beside a DiT file gives what the weights do not store: num_heads,
// text_len, eps. Returns whether it named the head count. A config.json of another model, or
// one that cannot be read, is not used.
bool readConfigJson(const std::string& weightsPath, DitConfig& c, RoleCheck& r) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (weightsPath.empty()) {
        return false;
    }
    const fs::path config = fs::path(weightsPath).parent_path() / "config.json";
    if (!fs::is_regular_file(config, ec) || fs::file_size(config, ec) > (1u << 20)) {
        return false;
    }
    std::ifstream in(config, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    DitConfig stated = c;
    json::Value v;
    try {
        v = json::parse(text.str());
        models::readDitJson(v, config.string(), stated);
    } catch (const std::exception&) {
        return false; // not a DiT config of ours
    }
    DitConfig shapesOnly = stated;
    shapesOnly.numHeads = c.numHeads;
    shapesOnly.textLen = c.textLen;
    shapesOnly.eps = c.eps;
    if (shapesOnly != c) {
        r.notes.push_back(config.string() + " describes another DiT (" + stated.describe() +
                          "); it is not used");
        return false;
    }
    c.textLen = stated.textLen;
    c.eps = stated.eps;
    const json::Value* heads = v.find("num_heads");
    if (heads != nullptr && stated.numHeads > 0) {
        c.numHeads = stated.numHeads;
        return true;
    }
    return false;
}

// Every field is set from the shapes (0 or false when they do not tell), never left at the
// 1.3B defaults; text_len, eps and num_heads (not in the weights) come from a config.json.
DitConfig inferDit(const Shapes& s, const std::string& path, RoleCheck& r) {
    DitConfig c;
    c.inDim = c.outDim = c.dim = c.ffnDim = c.freqDim = c.textDim = c.numLayers = 0;
    c.numHeads = 0;
    const Shape* pe = find(s, "patch_embedding.weight");
    if (pe == nullptr || pe->size() != 5) {
        r.problems.push_back("patch_embedding.weight (a 5-D Conv3d weight) is missing, so the "
                             "configuration cannot be read");
        return c;
    }
    c.dim = (*pe)[0];
    c.inDim = (*pe)[1];
    c.patch = {(*pe)[2], (*pe)[3], (*pe)[4]};
    c.numLayers = countNumbered(s, "blocks.");
    c.ffnDim = blockDim(s, "ffn.0.weight", 0, c.numLayers);
    c.textDim = dimOf(s, "text_embedding.0.weight", 1);
    c.freqDim = dimOf(s, "time_embedding.0.weight", 1);
    const int64_t patchVolume = c.patchVolume();
    const int64_t headOut = dimOf(s, "head.head.weight", 0);
    c.outDim = patchVolume > 0 && headOut % patchVolume == 0 ? headOut / patchVolume : 0;
    c.qkNorm = blockDim(s, "self_attn.norm_q.weight", 0, c.numLayers) > 0;
    c.crossAttnNorm = blockDim(s, "norm3.weight", 0, c.numLayers) > 0;
    const bool imageToVideo = s.lower_bound("img_emb.") != s.end() &&
                              s.lower_bound("img_emb.")->first.rfind("img_emb.", 0) == 0;
    if (readConfigJson(path, c, r)) {
        r.headsFrom = "config.json";
    } else if (c.dim % 128 == 0) {
        // Every released Wan2.1 DiT uses head dim 128 (1.3B: 1536 / 12, 14B: 5120 / 40).
        c.numHeads = c.dim / 128;
        r.headsFrom = "head dim 128";
    } else {
        r.notes.push_back("the number of attention heads is not stored in the weights and dim " +
                          std::to_string(c.dim) +
                          " is not a multiple of Wan's head dim 128; give num_heads in a "
                          "config.json next to the file");
    }
    for (const auto& [what, value] : {std::pair<const char*, int64_t>{"ffn_dim", c.ffnDim},
                                      {"text_dim", c.textDim},
                                      {"freq_dim", c.freqDim},
                                      {"out_dim", c.outDim},
                                      {"num_layers", c.numLayers}}) {
        if (value <= 0) {
            r.problems.push_back(std::string("cannot tell ") + what + " from the weights");
        }
    }
    if (imageToVideo) {
        r.problems.push_back("an image-to-video DiT (it has img_emb); Self-Forcing needs the "
                             "text-to-video model");
    }
    if (sameShapes(c.parameters(), DitConfig::wan13B().parameters()) && !imageToVideo) {
        r.knownAs = "Wan2.1 T2V 1.3B";
    } else if (c.dim == 5120 && c.numLayers == 40) {
        r.knownAs = "Wan2.1 14B";
        r.notes.push_back("a 14B model; Self-Forcing is distilled from and runs the 1.3B model");
    }
    return c;
}

// The VACE tensors' configuration. The weights store neither the head count nor vace_layers:
// a config.json beside the file gives them (num_heads, vace_layers); else head dim 128 and
// the layers that fit the block count (VaceConfig::defaultLayers) over the file's own main
// blocks, or over every 2nd layer for a VACE-only file.
VaceConfig inferVace(const Shapes& s, const std::string& path, RoleCheck& r) {
    VaceConfig c;
    c.layers.clear();
    const Shape* pe = find(s, "vace_patch_embedding.weight");
    if (pe == nullptr || pe->size() != 5) {
        r.problems.push_back("vace_patch_embedding.weight (a 5-D Conv3d weight) is missing, so "
                             "the configuration cannot be read");
        return c;
    }
    c.dim = (*pe)[0];
    c.inDim = (*pe)[1];
    c.patch = {(*pe)[2], (*pe)[3], (*pe)[4]};
    const int blocks = countNumbered(s, "vace_blocks.");
    c.ffnDim = dimOf(s, "vace_blocks.0.ffn.0.weight", 0);
    c.qkNorm = find(s, "vace_blocks.0.self_attn.norm_q.weight") != nullptr;
    c.crossAttnNorm = find(s, "vace_blocks.0.norm3.weight") != nullptr;
    c.numHeads = c.dim % 128 == 0 ? c.dim / 128 : 0;
    const int mainLayers = countNumbered(s, "blocks.");
    c.layers = VaceConfig::defaultLayers(blocks, mainLayers > 0 ? mainLayers : 2 * blocks);
    if (!path.empty()) {
        namespace fs = std::filesystem;
        std::error_code ec;
        const fs::path config = fs::path(path).parent_path() / "config.json";
        if (fs::is_regular_file(config, ec) && fs::file_size(config, ec) < (1u << 20)) {
            std::ifstream in(config, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            try {
                const json::Value v = json::parse(text.str());
                if (const auto* h = v.find("num_heads"); h != nullptr && h->isNumber()) {
                    c.numHeads = h->asInt();
                    r.headsFrom = "config.json";
                }
                if (const auto* l = v.find("vace_layers"); l != nullptr && l->isArray()) {
                    c.layers.clear();
                    for (const auto& e : l->asArray()) {
                        c.layers.push_back(e.asInt());
                    }
                }
            } catch (const std::exception&) {
                r.notes.push_back(config.string() + " cannot be read; it is not used");
            }
        }
    }
    if (blocks == 0 || c.ffnDim <= 0) {
        r.problems.push_back("no VACE blocks (vace_blocks.N.*) in the file");
    } else if (static_cast<int>(c.layers.size()) != blocks) {
        r.problems.push_back("cannot tell which main layers the " + std::to_string(blocks) +
                             " VACE blocks feed; give vace_layers in a config.json next to the "
                             "file");
    }
    if (c.numHeads <= 0) {
        r.notes.push_back("the number of attention heads is not stored in the weights; give "
                          "num_heads in a config.json next to the file");
    }
    if (mainLayers > 0) {
        r.notes.push_back("a full VACE model: only its VACE blocks are used, its " +
                          std::to_string(mainLayers) +
                          " main blocks are not (the Self-Forcing "
                          "DiT runs instead)");
    }
    if (sameShapes(c.parameters(), VaceConfig::wan13B().parameters())) {
        r.knownAs = "Wan2.1-VACE 1.3B";
    }
    return c;
}

WanVaeConfig inferVae(const Shapes& s, RoleCheck& r) {
    WanVaeConfig c;
    c.dimMult.clear();
    c.temporalDownsample.clear();
    c.numResBlocks = 0;
    c.zDim = dimOf(s, "conv2.weight", 0);
    if (c.zDim == 0) {
        c.zDim = dimOf(s, "decoder.conv1.weight", 1);
    }
    // Walk a side's blocks: residual blocks form stages, resamples close them.
    struct Stage {
        std::vector<int64_t> outs;
        bool temporal = false;
        bool closed = false;
    };
    auto walk = [&](const std::string& prefix) {
        std::vector<Stage> stages(1);
        for (int i = 0;; ++i) {
            const std::string block = prefix + std::to_string(i);
            if (const int64_t out = dimOf(s, block + ".residual.2.weight", 0); out > 0) {
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
    int64_t resPerStage = 0;
    c.dim = 0;
    if (const int64_t dim = dimOf(s, "encoder.conv1.weight", 0); dim > 0) {
        c.dim = dim;
        stages = walk("encoder.downsamples.");
        resPerStage =
            stages.front().outs.empty() ? 0 : static_cast<int64_t>(stages.front().outs.size());
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
            stages.front().outs.empty() ? 0 : static_cast<int64_t>(stages.front().outs.size());
        c.numResBlocks = resPerStage - 1;
    }
    if (c.dim <= 0 || stages.front().outs.empty()) {
        r.problems.push_back("neither encoder.conv1 nor the decoder's residual blocks are there, "
                             "so the configuration cannot be read");
        return c;
    }
    for (size_t i = 0; i < stages.size(); ++i) {
        const int64_t out = stages[i].outs.empty() ? 0 : stages[i].outs.back();
        if (out % c.dim != 0 || static_cast<int64_t>(stages[i].outs.size()) != resPerStage) {
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
    if (sameShapes(c.parameters(), WanVaeConfig::wan21().parameters())) {
        r.knownAs = "Wan2.1 VAE";
    }
    return c;
}

UMT5Config inferT5(const Shapes& s, RoleCheck& r) {
    UMT5Config c;
    c.vocab = dimOf(s, "token_embedding.weight", 0);
    c.dim = dimOf(s, "token_embedding.weight", 1);
    c.numLayers = countNumbered(s, "blocks.");
    c.dimAttn = blockDim(s, "attn.q.weight", 0, c.numLayers);
    c.dimFfn = blockDim(s, "ffn.fc1.weight", 0, c.numLayers);
    c.sharedPos = find(s, "pos_embedding.embedding.weight") != nullptr;
    const std::string table =
        c.sharedPos ? "pos_embedding.embedding.weight" : "blocks.0.pos_embedding.embedding.weight";
    c.numBuckets = dimOf(s, table, 0);
    c.numHeads = dimOf(s, table, 1);
    for (const auto& [what, value] : {std::pair<const char*, int64_t>{"vocab and dim", c.dim},
                                      {"the number of heads", c.numHeads},
                                      {"dim_attn", c.dimAttn},
                                      {"dim_ffn", c.dimFfn},
                                      {"num_layers", c.numLayers}}) {
        if (value <= 0) {
            r.problems.push_back(std::string("cannot tell ") + what + " from the weights");
        }
    }
    if (sameShapes(c.parameters(), UMT5Config::xxl().parameters())) {
        r.knownAs = "UMT5-XXL encoder";
    }
    return c;
}

TaehvConfig inferTaehv(const Shapes& s, RoleCheck& r) {
    TaehvConfig c;
    c.encoderWidth = dimOf(s, "encoder.0.weight", 0);
    const int64_t inChannels = dimOf(s, "encoder.0.weight", 1);
    c.patchSize = 0;
    c.imageChannels = 0;
    for (int64_t p = 1; p <= 8; ++p) {
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
    for (size_t i = 0; i < 4; ++i) {
        c.decoderWidths[i] = dimOf(s, "decoder." + std::to_string(decoderConvs[i]) + ".weight", 0);
    }
    // TPool and TGrow strides: the ratio of a 1x1 convolution's channels, 1 or 2.
    auto stride = [&](const std::string& name, int64_t wide, int64_t narrow) {
        if (narrow <= 0 || wide <= 0) {
            return false; // the tensor is missing: the check names it
        }
        if (wide != narrow && wide != 2 * narrow) {
            r.problems.push_back(name + ": a time stride of " + std::to_string(wide) + "/" +
                                 std::to_string(narrow) + "; TAEHV strides are 1 or 2");
        }
        return wide == 2 * narrow;
    };
    const int pools[3] = {2, 7, 12};
    const int grows[3] = {7, 13, 19};
    for (size_t i = 0; i < 3; ++i) {
        const std::string pool = "encoder." + std::to_string(pools[i]) + ".conv.weight";
        const std::string grow = "decoder." + std::to_string(grows[i]) + ".conv.weight";
        c.encoderTimeDownscale[i] = stride(pool, dimOf(s, pool, 1), dimOf(s, pool, 0));
        c.decoderTimeUpscale[i] = stride(grow, dimOf(s, grow, 0), dimOf(s, grow, 1));
    }
    if (c.encoderWidth <= 0 || c.patchSize <= 0 || c.latentChannels <= 0 ||
        *std::min_element(c.decoderWidths.begin(), c.decoderWidths.end()) <= 0) {
        r.problems.push_back("the TAEHV encoder/decoder convolutions needed to read the "
                             "configuration are missing");
    }
    if (sameShapes(c.parameters(), TaehvConfig::taew21().parameters())) {
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
        {ModelRole::Vace,
         {"vace_patch_embedding.weight", "vace_blocks.0.before_proj.weight",
          "vace_blocks.0.after_proj.weight", "vace_blocks.0.self_attn.q.weight"}},
    };
    static const std::vector<std::string> none;
    auto it = table.find(role);
    return it == table.end() ? none : it->second;
}

} // namespace

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

namespace {

// Reads the configuration of `shapes` as r.role and checks the shapes against its parameter
// list; returns the canonical names the list claims.
std::set<std::string> checkAgainstConfig(RoleCheck& r, const Shapes& shapes,
                                         const std::string& path) {
    for (const std::string& name : landmarks(r.role)) {
        r.markers += shapes.count(name) != 0 ? 1 : 0;
    }
    ParamList expected;
    switch (r.role) {
    case ModelRole::Dit:
        r.dit = inferDit(shapes, path, r);
        expected = r.dit->parameters();
        break;
    case ModelRole::Vae:
        r.vae = inferVae(shapes, r);
        expected = r.vae->parameters();
        break;
    case ModelRole::TextEncoder:
        r.t5 = inferT5(shapes, r);
        expected = r.t5->parameters();
        break;
    case ModelRole::Taehv:
        r.taehv = inferTaehv(shapes, r);
        expected = r.taehv->parameters();
        break;
    case ModelRole::Vace:
        r.vace = inferVace(shapes, path, r);
        expected = r.vace->parameters();
        break;
    default:
        r.problems.push_back("not a model role");
        return {};
    }
    std::set<std::string> wanted;
    for (const ParamSpec& e : expected) {
        wanted.insert(e.name);
        const Shape* have = find(shapes, e.name);
        if (have == nullptr) {
            r.missing.push_back(e.name);
            continue;
        }
        if (!e.accepts(*have)) {
            r.wrongShapes.push_back(e.name + ": shape " + shapeText(*have) +
                                    ", the configuration needs " + shapeText(e.shape));
        }
        int64_t n = 1;
        for (const int64_t d : *have) {
            n *= d;
        }
        r.parameters += n;
    }
    return wanted;
}

} // namespace

RoleCheck checkRole(ModelRole role, const TensorFile& file) {
    RoleCheck r;
    r.role = role;
    r.keys = mapKeys(role, file.entries());
    r.problems = r.keys.problems;
    Shapes shapes;
    for (const auto& [canonical, source] : r.keys.tensors) {
        shapes[canonical] = file.find(source)->shape;
    }
    const std::set<std::string> wanted = checkAgainstConfig(r, shapes, file.path());
    if (!r.dit && !r.vae && !r.t5 && !r.taehv && !r.vace) {
        return r;
    }
    std::vector<std::pair<std::string, std::string>> used;
    for (const auto& [canonical, source] : r.keys.tensors) {
        if (wanted.count(canonical) != 0) {
            used.emplace_back(canonical, source);
        } else if (role == ModelRole::Vace && !isVaceName(canonical)) {
            r.keys.ignored.push_back(source); // a full VACE model's main blocks
        } else {
            r.unknown.push_back(source);
        }
    }
    r.keys.tensors = std::move(used);
    return r;
}

RoleCheck checkShapes(ModelRole role, const TensorShapes& shapes, const std::string& path) {
    RoleCheck r;
    r.role = role;
    const std::set<std::string> wanted = checkAgainstConfig(r, shapes, path);
    if (!r.dit && !r.vae && !r.t5 && !r.taehv && !r.vace) {
        return r;
    }
    for (const auto& [name, shape] : shapes) {
        if (wanted.count(name) == 0 && !(role == ModelRole::Vace && !isVaceName(name))) {
            r.unknown.push_back(name);
        }
    }
    return r;
}

TensorShapes shapesOf(const Weights& weights) {
    TensorShapes shapes;
    for (const std::string& name : weights.names()) {
        shapes[name] = weights.get(name).sizes().vec();
    }
    return shapes;
}

RoleCheck identifyRole(const TensorFile& file) {
    RoleCheck best;
    for (const ModelRole role : {ModelRole::Vace, ModelRole::Dit, ModelRole::Vae,
                                 ModelRole::TextEncoder, ModelRole::Taehv}) {
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
        unknown.problems.push_back("not the weights of a model sfstudio uses (DiT, VAE, UMT5 text "
                                   "encoder, TAEHV, VACE): " +
                                   std::to_string(file.entries().size()) + " tensors" +
                                   (first.empty() ? "" : " such as " + first));
        return unknown;
    }
    return checkRole(best.role, file);
}

} // namespace sfs::inference::io
