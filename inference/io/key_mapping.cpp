#include "io/key_mapping.h"

#include <algorithm>
#include <set>

namespace sfs::inference::io {

namespace {

// A rename: `from` and `to` are dotted names where '#' stands for one numeric segment (a block
// index). A `from` ending in '.' renames the start of a name, otherwise the whole name.
// An alias names a copy that real files may carry besides the main tensor (tied weights); it
// is used only when the main name is absent.
struct Rename {
    const char* from;
    const char* to;
    bool alias = false;
};

struct Dialect {
    const char* name;
    std::vector<const char*> markers; // any file name starting with one selects the dialect
    std::vector<Rename> renames;
};

struct RoleNaming {
    ModelRole role;
    // Wrapper prefixes, stripped repeatedly wherever they lead a name. No canonical name of
    // these roles starts with any of them.
    std::vector<const char*> prefixes;
    std::vector<Dialect> dialects; // the first is the canonical naming (no renames)
};

// Prefixes: Self-Forcing's wrapper ("model."), FSDP and torch.compile wrappers, DataParallel,
// ComfyUI's checkpoint prefix and its LoRA/diffusion-model prefix (spec 8.2, 8.4).
const std::vector<RoleNaming>& namingTable() {
    static const std::vector<RoleNaming> table = {
        {ModelRole::Dit,
         {"model.diffusion_model.", "diffusion_model.", "model._fsdp_wrapped_module.",
          "_fsdp_wrapped_module.", "_orig_mod.", "module.", "model."},
         {{"Wan", {}, {}},
          // diffusers' WanTransformer3DModel (spec 8.5). Its norm2 is Wan's affine norm3; its
          // norm3 (before the FFN) has no parameters, like Wan's norm2.
          {"diffusers",
           {"condition_embedder.", "blocks.0.attn1.", "proj_out."},
           {{"condition_embedder.time_embedder.linear_1.", "time_embedding.0."},
            {"condition_embedder.time_embedder.linear_2.", "time_embedding.2."},
            {"condition_embedder.text_embedder.linear_1.", "text_embedding.0."},
            {"condition_embedder.text_embedder.linear_2.", "text_embedding.2."},
            {"condition_embedder.time_proj.", "time_projection.1."},
            {"scale_shift_table", "head.modulation"},
            {"proj_out.", "head.head."},
            {"blocks.#.scale_shift_table", "blocks.#.modulation"},
            {"blocks.#.attn1.to_q.", "blocks.#.self_attn.q."},
            {"blocks.#.attn1.to_k.", "blocks.#.self_attn.k."},
            {"blocks.#.attn1.to_v.", "blocks.#.self_attn.v."},
            {"blocks.#.attn1.to_out.0.", "blocks.#.self_attn.o."},
            {"blocks.#.attn1.norm_q.", "blocks.#.self_attn.norm_q."},
            {"blocks.#.attn1.norm_k.", "blocks.#.self_attn.norm_k."},
            {"blocks.#.attn2.to_q.", "blocks.#.cross_attn.q."},
            {"blocks.#.attn2.to_k.", "blocks.#.cross_attn.k."},
            {"blocks.#.attn2.to_v.", "blocks.#.cross_attn.v."},
            {"blocks.#.attn2.to_out.0.", "blocks.#.cross_attn.o."},
            {"blocks.#.attn2.norm_q.", "blocks.#.cross_attn.norm_q."},
            {"blocks.#.attn2.norm_k.", "blocks.#.cross_attn.norm_k."},
            {"blocks.#.norm2.", "blocks.#.norm3."},
            {"blocks.#.ffn.net.0.proj.", "blocks.#.ffn.0."},
            {"blocks.#.ffn.net.2.", "blocks.#.ffn.2."}}}}},
        {ModelRole::Vae,
         {"first_stage_model.", "_orig_mod.", "module.", "model."},
         {{"Wan", {}, {}}}},
        {ModelRole::TextEncoder,
         {"_orig_mod.", "module.", "model."},
         {{"Wan", {}, {}},
          // Hugging Face / ComfyUI UMT5 encoder naming (spec C.6).
          {"Hugging Face T5",
           {"encoder.block.", "shared."},
           {{"shared.", "token_embedding."},
            {"encoder.embed_tokens.", "token_embedding.", true},
            {"encoder.block.#.layer.0.layer_norm.", "blocks.#.norm1."},
            {"encoder.block.#.layer.0.SelfAttention.q.", "blocks.#.attn.q."},
            {"encoder.block.#.layer.0.SelfAttention.k.", "blocks.#.attn.k."},
            {"encoder.block.#.layer.0.SelfAttention.v.", "blocks.#.attn.v."},
            {"encoder.block.#.layer.0.SelfAttention.o.", "blocks.#.attn.o."},
            {"encoder.block.#.layer.0.SelfAttention.relative_attention_bias.",
             "blocks.#.pos_embedding.embedding."},
            {"encoder.block.#.layer.1.layer_norm.", "blocks.#.norm2."},
            {"encoder.block.#.layer.1.DenseReluDense.wi_0.", "blocks.#.ffn.gate.0."},
            {"encoder.block.#.layer.1.DenseReluDense.wi_1.", "blocks.#.ffn.fc1."},
            {"encoder.block.#.layer.1.DenseReluDense.wo.", "blocks.#.ffn.fc2."},
            {"encoder.final_layer_norm.", "norm."}}}}},
        {ModelRole::Taehv, {"_orig_mod.", "module.", "model."}, {{"Wan", {}, {}}}},
        // VACE: the DiT's wrappers; diffusers' WanVACETransformer3DModel renames inside the
        // VACE blocks as in the main blocks, plus proj_in / proj_out (shared/spec/vace.md 2.2).
        // The main tensors of a full VACE model keep their names (they are not used).
        {ModelRole::Vace,
         {"model.diffusion_model.", "diffusion_model.", "_orig_mod.", "module.", "model."},
         {{"Wan", {}, {}},
          {"diffusers",
           {"vace_blocks.0.attn1.", "vace_blocks.0.proj_in."},
           {{"vace_blocks.#.scale_shift_table", "vace_blocks.#.modulation"},
            {"vace_blocks.#.attn1.to_q.", "vace_blocks.#.self_attn.q."},
            {"vace_blocks.#.attn1.to_k.", "vace_blocks.#.self_attn.k."},
            {"vace_blocks.#.attn1.to_v.", "vace_blocks.#.self_attn.v."},
            {"vace_blocks.#.attn1.to_out.0.", "vace_blocks.#.self_attn.o."},
            {"vace_blocks.#.attn1.norm_q.", "vace_blocks.#.self_attn.norm_q."},
            {"vace_blocks.#.attn1.norm_k.", "vace_blocks.#.self_attn.norm_k."},
            {"vace_blocks.#.attn2.to_q.", "vace_blocks.#.cross_attn.q."},
            {"vace_blocks.#.attn2.to_k.", "vace_blocks.#.cross_attn.k."},
            {"vace_blocks.#.attn2.to_v.", "vace_blocks.#.cross_attn.v."},
            {"vace_blocks.#.attn2.to_out.0.", "vace_blocks.#.cross_attn.o."},
            {"vace_blocks.#.attn2.norm_q.", "vace_blocks.#.cross_attn.norm_q."},
            {"vace_blocks.#.attn2.norm_k.", "vace_blocks.#.cross_attn.norm_k."},
            {"vace_blocks.#.norm2.", "vace_blocks.#.norm3."},
            {"vace_blocks.#.ffn.net.0.proj.", "vace_blocks.#.ffn.0."},
            {"vace_blocks.#.ffn.net.2.", "vace_blocks.#.ffn.2."},
            {"vace_blocks.#.proj_in.", "vace_blocks.#.before_proj."},
            {"vace_blocks.#.proj_out.", "vace_blocks.#.after_proj."}}}}},
    };
    return table;
}

bool startsWith(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}
bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out(1);
    for (const char c : s) {
        if (c == '.') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

bool isNumber(const std::string& s) {
    return !s.empty() && s.size() < 10 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Applies a rename to a whole name; false when it does not match.
bool applyRename(const Rename& r, const std::string& name, std::string& out) {
    const std::string from = r.from;
    const bool prefix = !from.empty() && from.back() == '.';
    const std::vector<std::string> pattern = split(prefix ? from.substr(0, from.size() - 1) : from);
    const std::vector<std::string> parts = split(name);
    if (parts.size() < pattern.size() || (!prefix && parts.size() != pattern.size()) ||
        (prefix && parts.size() == pattern.size())) {
        return false;
    }
    std::vector<std::string> numbers;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == "#") {
            if (!isNumber(parts[i])) {
                return false;
            }
            numbers.push_back(parts[i]);
        } else if (pattern[i] != parts[i]) {
            return false;
        }
    }
    out.clear();
    size_t n = 0;
    for (const char* p = r.to; *p != '\0'; ++p) {
        if (*p == '#') {
            out += n < numbers.size() ? numbers[n++] : "#";
        } else {
            out += *p;
        }
    }
    for (size_t i = pattern.size(); i < parts.size(); ++i) {
        if (!out.empty() && out.back() != '.') {
            out += '.';
        }
        out += parts[i];
    }
    return true;
}

std::string stripPrefixes(const RoleNaming& naming, std::string name,
                          std::vector<std::string>& stripped) {
    bool again = true;
    while (again) {
        again = false;
        for (const char* p : naming.prefixes) {
            if (startsWith(name, p) && name.size() > std::char_traits<char>::length(p)) {
                if (std::find(stripped.begin(), stripped.end(), p) == stripped.end()) {
                    stripped.emplace_back(p);
                }
                name.erase(0, std::char_traits<char>::length(p));
                again = true;
                break;
            }
        }
    }
    return name;
}

enum class Side { None, WeightScale, MaybeScale, Ignored, QuantConfig };

// ComfyUI's fp8 side tensors, checked against comfy/utils.py (convert_old_quants) and
// comfy/ops.py (mixed_precision_ops): legacy "scaled_fp8" files carry `<layer>.scale_weight`
// (and `.scale_input`) plus a `scaled_fp8` marker; current files carry `<layer>.weight_scale`,
// `.input_scale` and a `.comfy_quant` JSON description. The weight is fp8 value x scale.
// `<layer>.scale` counts as a weight scale only beside a float8 weight.
Side sideKind(const std::string& name, std::string& weight) {
    struct Suffix {
        const char* suffix;
        Side side;
    };
    static const Suffix suffixes[] = {
        {".scale_weight", Side::WeightScale}, {".weight_scale", Side::WeightScale},
        {".scale_input", Side::Ignored},      {".input_scale", Side::Ignored},
        {".comfy_quant", Side::QuantConfig},  {".scale", Side::MaybeScale},
    };
    if (name == "scaled_fp8" || endsWith(name, ".scaled_fp8")) {
        return Side::Ignored;
    }
    for (const Suffix& s : suffixes) {
        if (endsWith(name, s.suffix)) {
            weight =
                name.substr(0, name.size() - std::char_traits<char>::length(s.suffix)) + ".weight";
            return s.side;
        }
    }
    return Side::None;
}

} // namespace

const std::string* MappedKeys::source(const std::string& canonical) const {
    for (const auto& [name, src] : tensors) {
        if (name == canonical) {
            return &src;
        }
    }
    return nullptr;
}

std::string MappedKeys::describeNaming() const {
    std::string s = dialect + " names";
    for (size_t i = 0; i < prefixes.size(); ++i) {
        s += (i == 0 ? ", prefix " : " and ") + ("'" + prefixes[i] + "'");
    }
    if (!prefixes.empty()) {
        s += " removed";
    }
    return s;
}

std::string canonicalNameInDialect(ModelRole role, const std::string& dialect,
                                   const std::string& name) {
    for (const RoleNaming& naming : namingTable()) {
        if (naming.role != role) {
            continue;
        }
        for (const Dialect& d : naming.dialects) {
            if (dialect != d.name) {
                continue;
            }
            for (const Rename& r : d.renames) {
                std::string renamed;
                if (!r.alias && applyRename(r, name, renamed)) {
                    return renamed;
                }
            }
        }
    }
    return name;
}

MappedKeys mapKeys(ModelRole role, const std::vector<TensorEntry>& entries) {
    MappedKeys out;
    const RoleNaming* naming = nullptr;
    for (const RoleNaming& n : namingTable()) {
        if (n.role == role) {
            naming = &n;
        }
    }
    if (naming == nullptr) {
        return out;
    }
    std::map<std::string, const TensorEntry*> byName;
    for (const TensorEntry& e : entries) {
        byName[e.name] = &e;
    }

    // Side tensors first: they belong to a weight, whatever the naming.
    std::vector<const TensorEntry*> mains;
    std::map<std::string, std::string> scaleOfSource; // weight source name -> scale source name
    for (const TensorEntry& e : entries) {
        std::string weight;
        switch (sideKind(e.name, weight)) {
        case Side::WeightScale:
            if (byName.count(weight) == 0) {
                out.problems.push_back("scale '" + e.name + "' has no weight '" + weight + "'");
            } else {
                scaleOfSource[weight] = e.name;
            }
            continue;
        case Side::MaybeScale:
            if (byName.count(weight) != 0 && isFloat8(byName.at(weight)->dtype)) {
                scaleOfSource[weight] = e.name;
                continue;
            }
            break;
        case Side::Ignored:
            out.ignored.push_back(e.name);
            continue;
        case Side::QuantConfig:
            out.quantConfigs.push_back(e.name);
            continue;
        case Side::None:
            break;
        }
        mains.push_back(&e);
    }

    std::vector<std::string> stripped(mains.size());
    for (size_t i = 0; i < mains.size(); ++i) {
        stripped[i] = stripPrefixes(*naming, mains[i]->name, out.prefixes);
    }
    const Dialect* dialect = &naming->dialects.front();
    for (const Dialect& d : naming->dialects) {
        for (const std::string& name : stripped) {
            for (const char* marker : d.markers) {
                if (dialect == &naming->dialects.front() && startsWith(name, marker)) {
                    dialect = &d;
                }
            }
        }
    }
    out.dialect = dialect->name;

    std::map<std::string, std::string> mainSource;  // canonical -> source
    std::map<std::string, std::string> aliasSource; // canonical -> source of an alias
    std::vector<std::string> order;
    for (size_t i = 0; i < mains.size(); ++i) {
        std::string canonical = stripped[i];
        bool alias = false;
        for (const Rename& r : dialect->renames) {
            std::string renamed;
            if (applyRename(r, stripped[i], renamed)) {
                canonical = renamed;
                alias = r.alias;
                break;
            }
        }
        auto& slot = alias ? aliasSource : mainSource;
        auto [it, fresh] = slot.emplace(canonical, mains[i]->name);
        if (!fresh) {
            out.problems.push_back("'" + it->second + "' and '" + mains[i]->name +
                                   "' both name tensor '" + canonical + "'");
            continue;
        }
        order.push_back(canonical);
    }
    std::set<std::string> emitted;
    for (const std::string& canonical : order) {
        if (!emitted.insert(canonical).second) {
            continue;
        }
        const auto main = mainSource.find(canonical);
        const auto alias = aliasSource.find(canonical);
        const std::string& src = main != mainSource.end() ? main->second : alias->second;
        out.tensors.emplace_back(canonical, src);
        if (main != mainSource.end() && alias != aliasSource.end()) {
            out.ignored.push_back(alias->second); // a tied copy of the main tensor
        }
        auto scale = scaleOfSource.find(src);
        if (scale != scaleOfSource.end()) {
            out.scaleOf[canonical] = scale->second;
        }
    }
    return out;
}

} // namespace sfs::inference::io
