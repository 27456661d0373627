// LoRA files (io/lora.h): the namings onto canonical DiT layers, and the merge.

#include "io/lora.h"

#include "io/json.h"
#include "io/key_mapping.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace sfs::inference {

std::string LoraFileInfo::describe() const {
    std::ostringstream s;
    s << "LoRA rank " << rank << (mixedRanks ? " (largest; ranks differ)" : "") << " (alpha "
      << alphaFrom << ") on " << modules << " linear layer" << (modules == 1 ? "" : "s");
    if (diffs > 0) {
        s << " + " << diffs << " whole-tensor difference" << (diffs == 1 ? "" : "s");
    }
    if (dim > 0) {
        s << ", for a DiT of dim " << dim;
    }
    if (layers > 0) {
        s << (dim > 0 ? " with" : ", for a DiT with") << " at least " << layers << " layers";
    }
    return s.str();
}

LoraChoice parseLoraChoice(const std::string& text) {
    LoraChoice c;
    c.path = text;
    const size_t colon = text.rfind(':');
    if (colon != std::string::npos) {
        const std::string number = text.substr(colon + 1);
        char* end = nullptr;
        const double value = std::strtod(number.c_str(), &end);
        if (!number.empty() && end == number.c_str() + number.size()) {
            if (!std::isfinite(value)) {
                throw std::invalid_argument("the strength of LoRA '" + text.substr(0, colon) +
                                            "' is not a finite number");
            }
            c.path = text.substr(0, colon);
            c.strength = value;
        }
    }
    if (c.path.empty()) {
        throw std::invalid_argument("'" + text + "' names no LoRA file (FILE[:STRENGTH])");
    }
    return c;
}

} // namespace sfs::inference

namespace sfs::inference::io {

namespace {

namespace fs = std::filesystem;

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

std::string shapeOf(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        s += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return s + "]";
}

enum class Part { Down, Up, UpBias, Alpha, Diff, DiffBias };

// The tensor-kind suffixes of the namings: PEFT and diffusers lora_A/lora_B (with PEFT's
// adapter name "default" when a state dict was taken without removing it), older diffusers
// lora.down/lora.up, ComfyUI/kohya lora_down/lora_up with alpha, ComfyUI whole differences.
struct Suffix {
    const char* text;
    Part part;
};
constexpr Suffix kSuffixes[] = {
    {".lora_A.weight", Part::Down},    {".lora_A.default.weight", Part::Down},
    {".lora_down.weight", Part::Down}, {".lora.down.weight", Part::Down},
    {".lora_B.weight", Part::Up},      {".lora_B.default.weight", Part::Up},
    {".lora_up.weight", Part::Up},     {".lora.up.weight", Part::Up},
    {".lora_B.bias", Part::UpBias},    {".alpha", Part::Alpha},
    {".diff_b", Part::DiffBias},       {".diff", Part::Diff},
};

// Wrapper prefixes and the naming they stand for.
struct Prefix {
    const char* text;
    const char* naming;
};
constexpr Prefix kPrefixes[] = {
    {"base_model.model.", "PEFT"},         {"transformer.", "diffusers"},
    {"model.diffusion_model.", "ComfyUI"}, {"diffusion_model.", "ComfyUI"},
    {"lora_unet_", "kohya/musubi"},
};

// The DiT's layers by name, from its one parameter list (a one-layer configuration): module
// names at the top ("head.head") and inside a block ("self_attn.q"), each with its kohya form
// ("self_attn_q").
struct DitModules {
    std::set<std::string> top, block;
    std::map<std::string, std::string> topKohya, blockKohya;
};

std::string moduleOfParameter(const std::string& name) {
    for (const char* s : {".weight", ".bias"}) {
        if (endsWith(name, s)) {
            return name.substr(0, name.size() - std::char_traits<char>::length(s));
        }
    }
    return name;
}

std::string underscored(std::string s) {
    std::replace(s.begin(), s.end(), '.', '_');
    return s;
}

const DitModules& ditModules() {
    static const DitModules modules = [] {
        DitModules m;
        DitConfig one;
        one.numLayers = 1;
        for (const ParamSpec& p : one.parameters()) {
            const std::string module = moduleOfParameter(p.name);
            if (startsWith(module, "blocks.0.")) {
                const std::string sub = module.substr(9);
                m.block.insert(sub);
                m.blockKohya[underscored(sub)] = sub;
            } else {
                m.top.insert(module);
                m.topKohya[underscored(module)] = module;
            }
        }
        return m;
    }();
    return modules;
}

bool isNumber(const std::string& s) {
    return !s.empty() && s.size() < 10 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "blocks.12.self_attn.q" -> 12; -1 for a top-level module or a name that is no DiT layer.
int64_t blockOf(const std::string& module) {
    if (!startsWith(module, "blocks.")) {
        return -1;
    }
    const size_t dot = module.find('.', 7);
    const std::string n = module.substr(7, dot == std::string::npos ? std::string::npos : dot - 7);
    return isNumber(n) && dot != std::string::npos ? std::stoll(n) : -1;
}

bool isDitModule(const std::string& module) {
    const DitModules& m = ditModules();
    if (m.top.count(module) != 0) {
        return true;
    }
    const int64_t block = blockOf(module);
    if (block < 0) {
        return false;
    }
    return m.block.count(module.substr(module.find('.', 7) + 1)) != 0;
}

// kohya's "blocks_3_self_attn_q" -> "blocks.3.self_attn.q"; empty when it names no DiT layer.
std::string fromKohya(const std::string& name) {
    const DitModules& m = ditModules();
    if (auto it = m.topKohya.find(name); it != m.topKohya.end()) {
        return it->second;
    }
    if (!startsWith(name, "blocks_")) {
        return {};
    }
    const size_t sep = name.find('_', 7);
    if (sep == std::string::npos || !isNumber(name.substr(7, sep - 7))) {
        return {};
    }
    auto it = m.blockKohya.find(name.substr(sep + 1));
    return it == m.blockKohya.end() ? std::string()
                                    : "blocks." + name.substr(7, sep - 7) + "." + it->second;
}

// Layer names diffusers uses and Wan does not: such a file gets diffusers' renames.
bool hasDiffusersLayerNames(const std::string& module) {
    for (const char* marker :
         {".attn1.", ".attn2.", "condition_embedder.", "proj_out", ".ffn.net."}) {
        if (module.find(marker) != std::string::npos) {
            return true;
        }
    }
    return false;
}

struct ParsedName {
    std::string prefixNaming; // naming of the stripped prefix, or empty
    std::string module;       // still in the file's naming
    Part part = Part::Down;
};

bool parseName(const std::string& name, ParsedName& out) {
    const Suffix* suffix = nullptr;
    for (const Suffix& s : kSuffixes) {
        if (endsWith(name, s.text)) {
            suffix = &s;
            break;
        }
    }
    if (suffix == nullptr) {
        return false;
    }
    out.part = suffix->part;
    out.module = name.substr(0, name.size() - std::char_traits<char>::length(suffix->text));
    out.prefixNaming.clear();
    for (const Prefix& p : kPrefixes) {
        if (startsWith(out.module, p.text)) {
            out.module.erase(0, std::char_traits<char>::length(p.text));
            out.prefixNaming = p.naming;
            break;
        }
    }
    return true;
}

std::optional<double> readAdapterConfigAlpha(const std::string& path) {
    const fs::path config = fs::path(path).parent_path() / "adapter_config.json";
    std::error_code ec;
    if (!fs::is_regular_file(config, ec)) {
        return std::nullopt;
    }
    std::ifstream in(config, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string where = config.string();
    json::Value v;
    try {
        v = json::parse(bytes.str());
    } catch (const std::exception& e) {
        throw WeightsError(path, "", where + " is not valid JSON: " + e.what());
    }
    if (const json::Value* rs = v.find("use_rslora");
        rs != nullptr && rs->isBool() && rs->asBool()) {
        throw WeightsError(path, "",
                           where + " asks for rsLoRA scaling (alpha / sqrt(rank)), which is not "
                                   "supported");
    }
    if (const json::Value* pattern = v.find("alpha_pattern");
        pattern != nullptr && pattern->isObject() && pattern->size() > 0) {
        throw WeightsError(path, "",
                           where + " sets per-layer alphas (alpha_pattern), which are not "
                                   "supported");
    }
    if (const json::Value* alpha = v.find("lora_alpha")) {
        return alpha->asDouble(where + ": lora_alpha");
    }
    return std::nullopt;
}

} // namespace

LoraFileInfo LoraLayout::info() const {
    LoraFileInfo info;
    info.naming = naming;
    info.modules = static_cast<int>(pairs.size());
    info.diffs = static_cast<int>(diffs.size());
    bool perLayer = false;
    for (const LoraPair& p : pairs) {
        info.mixedRanks = info.mixedRanks || (info.rank != 0 && p.rank != info.rank);
        info.rank = std::max(info.rank, p.rank);
        perLayer = perLayer || !p.alpha.empty();
        info.layers = std::max(info.layers, blockOf(p.module) + 1);
        // The model width: what the attention layers and ffn.0 take, what ffn.2 gives.
        const bool attention = p.module.find("_attn.") != std::string::npos;
        if (info.dim == 0 && (attention || endsWith(p.module, ".ffn.0"))) {
            info.dim = p.inputs;
        } else if (info.dim == 0 && endsWith(p.module, ".ffn.2")) {
            info.dim = p.outputs;
        }
    }
    for (const LoraDiff& d : diffs) {
        info.layers = std::max(info.layers, blockOf(d.target) + 1);
    }
    info.alphaFrom = perLayer ? "per layer" : configAlpha ? "from adapter_config.json" : "= rank";
    return info;
}

bool looksLikeLora(const TensorFile& file) {
    ParsedName parsed;
    return std::any_of(file.entries().begin(), file.entries().end(), [&](const TensorEntry& e) {
        return parseName(e.name, parsed) && (parsed.part == Part::Down || parsed.part == Part::Up);
    });
}

std::unique_ptr<TensorFile> openLoraFile(const std::string& path) {
    std::unique_ptr<TensorFile> file = TensorFile::open(path);
    const auto& others = file->otherSections();
    if (file->section() != "generator_lora" &&
        std::find(others.begin(), others.end(), "generator_lora") != others.end()) {
        file = TensorFile::open(path, "generator_lora"); // LongLive's lora.pt
    }
    return file;
}

LoraLayout readLoraLayout(const TensorFile& file) {
    const std::string& path = file.path();
    LoraLayout layout;
    std::vector<ParsedName> parsed(file.entries().size());
    bool diffusersNames = false;
    std::set<std::string> namings;
    for (size_t i = 0; i < file.entries().size(); ++i) {
        const TensorEntry& e = file.entries()[i];
        if (!parseName(e.name, parsed[i])) {
            throw WeightsError(path, e.name,
                               "is not a LoRA tensor (expected lora_A/lora_B, lora_down/lora_up, "
                               "alpha, diff or diff_b names)");
        }
        diffusersNames = diffusersNames || hasDiffusersLayerNames(parsed[i].module);
        namings.insert(parsed[i].prefixNaming.empty() ? "Wan" : parsed[i].prefixNaming);
    }
    for (const std::string& n : namings) {
        layout.naming += (layout.naming.empty() ? "" : " + ") + n;
    }
    if (diffusersNames && namings.count("diffusers") == 0) {
        layout.naming += " (diffusers layer names)";
    }

    std::map<std::string, LoraPair> pairs; // by canonical module
    std::vector<std::string> order;
    for (size_t i = 0; i < file.entries().size(); ++i) {
        const TensorEntry& e = file.entries()[i];
        const ParsedName& p = parsed[i];
        std::string module = p.module;
        if (p.prefixNaming == std::string("kohya/musubi")) {
            module = fromKohya(module);
        } else if (diffusersNames) {
            module = moduleOfParameter(
                canonicalNameInDialect(ModelRole::Dit, "diffusers", module + ".weight"));
        }
        if (module.empty() || !isDitModule(module)) {
            throw WeightsError(path, e.name,
                               "names no layer of the Wan DiT ('" + p.module +
                                   "'): the LoRA is for another model");
        }
        layout.parameters += e.numel();
        if (p.part == Part::Diff || p.part == Part::DiffBias) {
            const bool bias = p.part == Part::DiffBias;
            layout.diffs.push_back({module + (bias ? ".bias" : ".weight"), e.name});
            continue;
        }
        auto [it, fresh] = pairs.try_emplace(module);
        if (fresh) {
            it->second.module = module;
            order.push_back(module);
        }
        LoraPair& pair = it->second;
        std::string& slot = p.part == Part::Down     ? pair.down
                            : p.part == Part::Up     ? pair.up
                            : p.part == Part::UpBias ? pair.upBias
                                                     : pair.alpha;
        if (!slot.empty()) {
            throw WeightsError(path, e.name,
                               "and '" + slot + "' both belong to layer '" + module + "'");
        }
        slot = e.name;
        if (p.part == Part::Alpha && e.numel() != 1) {
            throw WeightsError(path, e.name,
                               "an alpha must be one number, got shape " + shapeOf(e.shape));
        }
    }
    for (const std::string& module : order) {
        LoraPair& pair = pairs.at(module);
        if (pair.down.empty() || pair.up.empty()) {
            const std::string& have =
                pair.down.empty()
                    ? (pair.up.empty() ? (pair.alpha.empty() ? pair.upBias : pair.alpha) : pair.up)
                    : pair.down;
            throw WeightsError(path, have,
                               std::string("has no ") +
                                   (pair.down.empty() ? "down (A)" : "up (B)") +
                                   " matrix beside it for layer '" + module + "'");
        }
        const std::vector<int64_t>& down = file.find(pair.down)->shape;
        const std::vector<int64_t>& up = file.find(pair.up)->shape;
        if (down.size() != 2 || up.size() != 2) {
            throw WeightsError(path, down.size() != 2 ? pair.down : pair.up,
                               "has shape " + shapeOf(down.size() != 2 ? down : up) +
                                   ": only LoRAs of linear layers (2-D matrices) are supported");
        }
        if (up[1] != down[0]) {
            throw WeightsError(path, pair.up,
                               "has shape " + shapeOf(up) +
                                   ", which does not fit its down matrix " + shapeOf(down) +
                                   " (rank " + std::to_string(down[0]) + ")");
        }
        pair.rank = down[0];
        pair.inputs = down[1];
        pair.outputs = up[0];
        if (pair.rank <= 0) {
            throw WeightsError(path, pair.down, "has rank 0");
        }
        layout.pairs.push_back(std::move(pair));
    }
    if (layout.pairs.empty() && layout.diffs.empty()) {
        throw WeightsError(path, "", "holds no LoRA tensors");
    }
    layout.configAlpha = readAdapterConfigAlpha(path);
    return layout;
}

namespace {

// "dim 1536, 30 layers" of loaded DiT weights, for messages.
std::string describeDit(const Weights& weights) {
    int64_t layers = 0;
    while (weights.has("blocks." + std::to_string(layers) + ".modulation")) {
        ++layers;
    }
    std::string dim = "?";
    if (weights.has("blocks.0.self_attn.q.weight")) {
        dim = std::to_string(weights.get("blocks.0.self_attn.q.weight").size(0));
    }
    return "dim " + dim + ", " + std::to_string(layers) + " layers";
}

// One term of the merge of one parameter.
struct Term {
    const TensorFile* file = nullptr;
    std::string a, b; // a pair: down and up; a difference or bias: b alone
    float scale = 1.0f;
};

} // namespace

void mergeLoras(Weights& weights, const std::vector<LoraChoice>& loras) {
    std::vector<std::unique_ptr<TensorFile>> files;
    std::map<std::string, std::vector<Term>> terms; // target parameter -> terms in list order
    for (const LoraChoice& choice : loras) {
        if (!std::isfinite(choice.strength)) {
            throw WeightsError(choice.path, "", "the strength is not a finite number");
        }
        files.push_back(openLoraFile(choice.path));
        const TensorFile& file = *files.back();
        const LoraLayout layout = readLoraLayout(file);
        const std::string& path = file.path();
        const auto target = [&](const std::string& name, const std::string& tensor) {
            if (!weights.has(name)) {
                throw WeightsError(path, tensor,
                                   "changes '" + name + "', which this DiT (" +
                                       describeDit(weights) +
                                       ") does not have: the LoRA is for another model");
            }
            return weights.get(name);
        };
        for (const LoraPair& pair : layout.pairs) {
            const at::Tensor& w = target(pair.module + ".weight", pair.down);
            const std::vector<int64_t> down = file.find(pair.down)->shape;
            const std::vector<int64_t> up = file.find(pair.up)->shape;
            const std::vector<int64_t> have = w.sizes().vec();
            if (have.size() != 2) {
                throw WeightsError(path, pair.down,
                                   "changes '" + pair.module + "', which is not a linear layer (" +
                                       shapeOf(have) + "); only linear layers take a LoRA");
            }
            if (down[1] != have[1] || up[0] != have[0]) {
                const bool inputs = down[1] != have[1];
                throw WeightsError(path, inputs ? pair.down : pair.up,
                                   "has shape " + shapeOf(inputs ? down : up) + ", but layer '" +
                                       pair.module + "' of this DiT (" + describeDit(weights) +
                                       ") is " + shapeOf(have) + " (" +
                                       std::to_string(inputs ? have[1] : have[0]) +
                                       (inputs ? " inputs" : " outputs") +
                                       "): the LoRA is for another model shape");
            }
            double alpha = static_cast<double>(pair.rank);
            if (!pair.alpha.empty()) {
                alpha = file.load(pair.alpha, at::kDouble).reshape({-1})[0].item<double>();
            } else if (layout.configAlpha) {
                alpha = *layout.configAlpha;
            }
            if (!std::isfinite(alpha)) {
                throw WeightsError(path, pair.alpha, "alpha is not a finite number");
            }
            const auto scale =
                static_cast<float>(choice.strength * alpha / static_cast<double>(pair.rank));
            if (!pair.upBias.empty()) {
                const at::Tensor& bias = target(pair.module + ".bias", pair.upBias);
                if (file.find(pair.upBias)->shape != bias.sizes().vec()) {
                    throw WeightsError(path, pair.upBias,
                                       "has shape " + shapeOf(file.find(pair.upBias)->shape) +
                                           ", but '" + pair.module + ".bias' is " +
                                           shapeOf(bias.sizes().vec()));
                }
            }
            if (choice.strength != 0.0) {
                terms[pair.module + ".weight"].push_back({&file, pair.down, pair.up, scale});
                if (!pair.upBias.empty()) {
                    terms[pair.module + ".bias"].push_back({&file, "", pair.upBias, scale});
                }
            }
        }
        for (const LoraDiff& diff : layout.diffs) {
            const at::Tensor& w = target(diff.target, diff.source);
            if (file.find(diff.source)->shape != w.sizes().vec()) {
                throw WeightsError(path, diff.source,
                                   "has shape " + shapeOf(file.find(diff.source)->shape) +
                                       ", but '" + diff.target + "' of this DiT (" +
                                       describeDit(weights) + ") is " + shapeOf(w.sizes().vec()) +
                                       ": the LoRA is for another model shape");
            }
            if (choice.strength != 0.0) {
                terms[diff.target].push_back(
                    {&file, "", diff.source, static_cast<float>(choice.strength)});
            }
        }
    }
    // Everything fits: merge, one parameter at a time (one fp32 copy alive at once).
    for (const auto& [name, list] : terms) {
        if (list.empty()) {
            continue;
        }
        const at::Tensor& w = weights.get(name);
        at::Tensor sum = w.to(at::kFloat, /*non_blocking=*/false, /*copy=*/true);
        for (const Term& t : list) {
            const at::Tensor b = t.file->load(t.b, at::kFloat, w.device());
            if (t.a.empty()) {
                sum.add_(b.mul(t.scale));
            } else {
                const at::Tensor a = t.file->load(t.a, at::kFloat, w.device());
                sum.add_(at::mm(b, a).mul_(t.scale));
            }
        }
        weights.insert(name, sum.to(w.scalar_type()));
    }
}

} // namespace sfs::inference::io
