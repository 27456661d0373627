// Model discovery (public API in sfs/inference/model_discovery.h): weights files are read
// through TensorFile headers and classified by model_schema; tokenizers by their content.

#include "io/json.h"
#include "io/lora.h"
#include "io/model_schema.h"
#include "io/safetensors.h"
#include "io/tensor_file.h"
#include "models/demo_model.h"
#include "runtime/cache_dir.h"

#include <sfs/inference/model_discovery.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace sfs::inference {

namespace {

namespace fs = std::filesystem;

// The roles a model folder is made of (missing ones are listed). VACE is an add-on for some
// features, not part of a model, so a folder without it misses nothing.
constexpr ModelRole kRoles[] = {ModelRole::Dit, ModelRole::Vae, ModelRole::TextEncoder,
                                ModelRole::Tokenizer, ModelRole::Taehv};

std::string readHead(const std::string& path, size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string head(n, '\0');
    in.read(head.data(), static_cast<std::streamsize>(n));
    head.resize(static_cast<size_t>(in.gcount()));
    return head;
}

// --- SentencePiece model: a protobuf ModelProto -----------------------------------------------

// Bounds-checked protobuf wire-format reading.
struct ProtoField {
    uint32_t number = 0;
    uint32_t wire = 0;
    uint64_t value = 0;            // varints
    const uint8_t* body = nullptr; // length-delimited payloads
    const uint8_t* bodyEnd = nullptr;
};

struct Proto {
    const uint8_t* p;
    const uint8_t* end;
    bool varint(uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7) {
            const uint8_t b = *p++;
            v |= uint64_t{b & 0x7Fu} << shift;
            if ((b & 0x80) == 0) {
                return true;
            }
        }
        return false;
    }
    bool next(ProtoField& f) {
        uint64_t key = 0;
        if (!varint(key) || (key >> 3) == 0 || (key >> 3) > 0x1FFFFFFF) {
            return false;
        }
        f.number = static_cast<uint32_t>(key >> 3);
        f.wire = static_cast<uint32_t>(key & 7);
        switch (f.wire) {
        case 0:
            return varint(f.value);
        case 1:
        case 5: {
            const size_t n = f.wire == 1 ? 8 : 4;
            if (static_cast<size_t>(end - p) < n) {
                return false;
            }
            p += n;
            return true;
        }
        case 2: {
            uint64_t len = 0;
            if (!varint(len) || len > static_cast<uint64_t>(end - p)) {
                return false;
            }
            f.body = p;
            f.bodyEnd = p + len;
            p += len;
            return true;
        }
        default:
            return false;
        }
    }
};

// Calls visit(field) for every field of a message; false when it is malformed or visit says so.
template <typename Visit>
bool eachField(const uint8_t* begin, const uint8_t* end, Visit&& visit) {
    Proto m{begin, end};
    ProtoField f;
    while (m.p < m.end) {
        if (!m.next(f) || !visit(f)) {
            return false;
        }
    }
    return true;
}

// Counts the pieces of a SentencePiece ModelProto; nullopt when the bytes are not one.
std::optional<TokenizerFileInfo> readSentencePiece(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size == 0 || size > (256u << 20)) {
        return std::nullopt;
    }
    const std::string bytes = readHead(path, static_cast<size_t>(size));
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    TokenizerFileInfo info;
    info.kind = "SentencePiece model";
    bool trainer = false;
    const bool valid = eachField(data, data + bytes.size(), [&](const ProtoField& f) {
        if (f.number > 5 || f.wire != 2) {
            return false; // ModelProto has only messages, numbered 1 to 5
        }
        if (f.number == 1) {
            // A SentencePiece message must carry its piece string (field 1).
            bool piece = false;
            const bool ok = eachField(f.body, f.bodyEnd, [&](const ProtoField& g) {
                piece = piece || (g.number == 1 && g.wire == 2);
                return true;
            });
            info.vocabSize += 1;
            return ok && piece;
        }
        if (f.number == 2) {
            trainer = true;
            return eachField(f.body, f.bodyEnd, [&](const ProtoField& g) {
                if (g.number == 3 && g.wire == 0) { // TrainerSpec.model_type
                    static const char* types[] = {"?", "Unigram", "BPE", "Word", "Char"};
                    info.modelType = g.value < 5 ? types[g.value] : "?";
                }
                return true;
            });
        }
        return true;
    });
    if (!valid || info.vocabSize == 0 || !trainer) {
        return std::nullopt;
    }
    return info;
}

// --- Hugging Face tokenizer.json --------------------------------------------------------------

std::optional<TokenizerFileInfo> readTokenizerJson(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > (64u << 20)) {
        return std::nullopt;
    }
    try {
        const json::Value v = json::parse(readHead(path, static_cast<size_t>(size)));
        const json::Value* model = v.find("model");
        const json::Value* vocab = model != nullptr ? model->find("vocab") : nullptr;
        if (vocab == nullptr || !(vocab->isArray() || vocab->isObject())) {
            return std::nullopt;
        }
        TokenizerFileInfo info;
        info.kind = "tokenizer.json";
        if (const json::Value* type = model->find("type"); type != nullptr && type->isString()) {
            info.modelType = type->asString();
        }
        info.vocabSize = static_cast<int>(vocab->size());
        return info;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// --- weights files --------------------------------------------------------------------------

// Self-Forcing's trainer saves the distilled DiT under these keys.
bool isSelfForcingSection(const std::string& section) {
    return section == "generator_ema" || section == "generator";
}

std::string describeDtypes(const io::TensorFile& file, const io::RoleCheck& check) {
    std::map<std::string, int64_t> params;
    auto count = [&](const io::TensorEntry& e, bool scaled) {
        params[std::string(io::dtypeName(e.dtype)) + (scaled ? " (scaled)" : "")] += e.numel();
    };
    if (check.role == ModelRole::Unknown) {
        for (const io::TensorEntry& e : file.entries()) {
            count(e, false);
        }
    } else {
        for (const auto& [canonical, source] : check.keys.tensors) {
            count(*file.find(source), check.keys.scaleOf.count(canonical) != 0);
        }
    }
    std::vector<std::pair<int64_t, std::string>> order;
    for (const auto& [name, n] : params) {
        order.emplace_back(-n, name);
    }
    std::sort(order.begin(), order.end());
    std::string out;
    for (size_t i = 0; i < order.size() && i < 2; ++i) {
        out += (out.empty() ? "" : " + ") + order[i].second;
    }
    if (order.size() > 2) {
        out += " + " + std::to_string(order.size() - 2) + " more";
    }
    return out;
}

// A LoRA for the DiT: its layout from the header (names, ranks, the DiT shape it fits).
void inspectLora(const io::TensorFile& file, DiscoveredFile& f) {
    f.role = ModelRole::Lora;
    try {
        const io::LoraLayout layout = io::readLoraLayout(file);
        f.lora = layout.info();
        f.naming = f.lora->naming + " names";
        f.parameters = layout.parameters;
    } catch (const io::WeightsError& e) {
        f.problems.push_back((e.tensor().empty() ? "" : "tensor '" + e.tensor() + "': ") +
                             e.problem());
    }
}

void inspectWeights(const std::string& path, DiscoveredFile& f) {
    try {
        auto file = io::TensorFile::open(path);
        if (io::looksLikeLora(*file)) {
            file = io::openLoraFile(path);
            f.format = file->format();
            f.section = file->section();
            f.tensorCount = static_cast<int>(file->entries().size());
            f.dtype = describeDtypes(*file, io::RoleCheck{});
            inspectLora(*file, f);
            return;
        }
        f.format = file->format();
        f.section = file->section();
        f.tensorCount = static_cast<int>(file->entries().size());
        const io::RoleCheck check = io::identifyRole(*file);
        f.role = check.role;
        f.dtype = describeDtypes(*file, check);
        f.parameters = check.parameters;
        f.knownAs = check.knownAs;
        f.dit = check.dit;
        f.vae = check.vae;
        f.t5 = check.t5;
        f.taehv = check.taehv;
        f.vace = check.vace;
        f.headsFrom = check.headsFrom;
        f.notes = check.notes;
        if (check.role == ModelRole::Unknown) {
            // A valid tensor file of no model we use (data, LoRA, another model): not an error.
            f.notes.insert(f.notes.end(), check.problems.begin(), check.problems.end());
        } else {
            f.problems = check.describeProblems();
        }
        if (check.role != ModelRole::Unknown) {
            f.naming = check.keys.describeNaming();
        }
        if (!file->otherSections().empty()) {
            std::string others;
            for (const std::string& s : file->otherSections()) {
                others += (others.empty() ? "" : ", ") + s;
            }
            f.notes.push_back("the checkpoint also holds: " + others);
        }
        if (file->metadata().count("sfstudio.demo") != 0) {
            // Ours: the demo model's files say what they are.
            f.demo = true;
            f.knownAs = "sfstudio demo (untrained)";
            f.notes.push_back(kDemoModelWarning);
            return;
        }
        if (check.role != ModelRole::Unknown && f.knownAs.empty()) {
            f.notes.push_back("not the configuration of a released model");
        }
        if (check.role == ModelRole::Dit && !isSelfForcingSection(f.section)) {
            f.notes.push_back("the weights cannot tell a Self-Forcing (distilled, few-step) DiT "
                              "from the base Wan2.1 model, which needs many more steps");
        }
    } catch (const io::WeightsError& e) {
        f.role = ModelRole::Unknown;
        f.problems.push_back((e.tensor().empty() ? "" : "tensor '" + e.tensor() + "': ") +
                             e.problem());
    }
}

bool isWeightsExtension(const std::string& ext) {
    static const char* exts[] = {".safetensors", ".sft", ".pt", ".pth", ".ckpt", ".bin"};
    return std::any_of(std::begin(exts), std::end(exts), [&](const char* e) { return ext == e; });
}

} // namespace

const char* modelRoleName(ModelRole role) {
    switch (role) {
    case ModelRole::Dit:
        return "dit";
    case ModelRole::Vae:
        return "vae";
    case ModelRole::TextEncoder:
        return "text-encoder";
    case ModelRole::Tokenizer:
        return "tokenizer";
    case ModelRole::Taehv:
        return "taehv";
    case ModelRole::Lora:
        return "lora";
    case ModelRole::Vace:
        return "vace";
    case ModelRole::Unknown:
        break;
    }
    return "unknown";
}

bool modelRoleRequired(ModelRole role) {
    return role == ModelRole::Dit || role == ModelRole::Vae || role == ModelRole::TextEncoder ||
           role == ModelRole::Tokenizer;
}

std::string modelRoleLookFor(ModelRole role) {
    switch (role) {
    case ModelRole::Dit:
        return "self_forcing_dmd.pt (Hugging Face gdhe17/Self-Forcing, checkpoints/), or Wan2.1's "
               "diffusion_pytorch_model.safetensors (Wan-AI/Wan2.1-T2V-1.3B), or ComfyUI's "
               "wan2.1_t2v_1.3B_fp16.safetensors / wan2.1_t2v_1.3B_bf16.safetensors";
    case ModelRole::Vae:
        return "Wan2.1_VAE.pth (Wan-AI/Wan2.1-T2V-1.3B) or ComfyUI's wan_2.1_vae.safetensors";
    case ModelRole::TextEncoder:
        return "models_t5_umt5-xxl-enc-bf16.pth (Wan-AI/Wan2.1-T2V-1.3B) or ComfyUI's "
               "umt5_xxl_fp16.safetensors / umt5_xxl_fp8_e4m3fn_scaled.safetensors";
    case ModelRole::Tokenizer:
        return "google/umt5-xxl/spiece.model or google/umt5-xxl/tokenizer.json "
               "(in Wan-AI/Wan2.1-T2V-1.3B)";
    case ModelRole::Taehv:
        return "taew2_1.pth (github.com/madebyollin/taehv), for fast previews";
    case ModelRole::Vace:
        return "Wan2_1-VACE_module_1_3B_bf16.safetensors (the VACE blocks alone, Kijai/"
               "WanVideo_comfy) or Wan2.1-VACE-1.3B's diffusion_pytorch_model.safetensors "
               "(Wan-AI/Wan2.1-VACE-1.3B), for keyframes and reference images steered by VACE";
    case ModelRole::Lora: // chosen per project, never looked for
    case ModelRole::Unknown:
        break;
    }
    return "";
}

std::string DiscoveredFile::configSummary() const {
    if (dit) {
        return dit->describe(headsFrom == "config.json" ? "config.json" : "assumed head dim 128");
    }
    if (vae) {
        return vae->describe();
    }
    if (t5) {
        return t5->describe();
    }
    if (taehv) {
        return taehv->describe();
    }
    if (lora) {
        return lora->describe();
    }
    if (vace) {
        return vace->describe();
    }
    if (tokenizer) {
        return tokenizer->kind + (tokenizer->modelType.empty() ? "" : " " + tokenizer->modelType) +
               ", vocab " + std::to_string(tokenizer->vocabSize);
    }
    return "";
}

bool ModelInventory::complete() const {
    return std::none_of(missing.begin(), missing.end(),
                        [](const MissingRole& m) { return m.required; });
}

const DiscoveredFile*
ModelInventory::best(ModelRole role,
                     const std::function<bool(const DiscoveredFile&)>& accept) const {
    // Usable files only; Self-Forcing's EMA weights beat its raw generator, which beats a bare
    // DiT; a released configuration beats an unknown one; then path order.
    const DiscoveredFile* best = nullptr;
    int bestScore = -1;
    for (const DiscoveredFile& f : files) {
        if (f.role != role || !f.usable() || (accept && !accept(f))) {
            continue;
        }
        const int score = (f.section == "generator_ema" ? 4 : 0) +
                          (f.section == "generator" ? 2 : 0) + (f.knownAs.empty() ? 0 : 1);
        if (score > bestScore) {
            best = &f;
            bestScore = score;
        }
    }
    return best;
}

DiscoveredFile inspectModelFile(const std::string& path) {
    DiscoveredFile f;
    f.path = path;
    std::error_code ec;
    f.bytes = fs::file_size(path, ec);
    if (ec || !fs::is_regular_file(path, ec)) {
        f.problems.push_back("cannot read the file");
        return f;
    }
    // Tokenizers are recognised by content: a SentencePiece protobuf or a tokenizer.json.
    const std::string head = readHead(path, 16);
    const size_t firstNonSpace = head.find_first_not_of(" \t\r\n");
    const bool jsonText = firstNonSpace != std::string::npos && head[firstNonSpace] == '{';
    if (jsonText) {
        if (auto tok = readTokenizerJson(path)) {
            f.format = "tokenizer.json";
            f.role = ModelRole::Tokenizer;
            f.tokenizer = tok;
            return f;
        }
    } else if (io::sniffWeightsFormat(reinterpret_cast<const uint8_t*>(head.data()), head.size()) ==
               io::WeightsFormat::Other) {
        // Neither a checkpoint nor safetensors: maybe a SentencePiece model.
        if (auto sp = readSentencePiece(path)) {
            f.format = "SentencePiece model";
            f.role = ModelRole::Tokenizer;
            f.tokenizer = sp;
            return f;
        }
    }
    inspectWeights(path, f);
    if (f.format.empty() && jsonText) {
        f.format = "JSON";
        f.problems.assign(1, "a JSON file that is not a tokenizer.json");
    }
    return f;
}

bool isDemoModelName(const std::string& nameOrPath) {
    return nameOrPath == kDemoModelName;
}

std::string demoModelFolder() {
    const std::string folder = userCacheDir("demo-model");
    models::materializeDemoModel(folder);
    return folder;
}

std::string resolveModelPath(const std::string& nameOrPath) {
    return isDemoModelName(nameOrPath) ? demoModelFolder() : nameOrPath;
}

ModelInventory discoverModels(const std::string& nameOrPath) {
    const std::string path = resolveModelPath(nameOrPath);
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        throw std::runtime_error(path + ": no such file or folder");
    }
    ModelInventory inv;
    inv.root = path;
    inv.demo = fs::is_regular_file(fs::path(path) / models::DemoModelFiles::marker, ec);
    if (!fs::is_directory(path, ec)) {
        inv.files.push_back(inspectModelFile(path));
    } else {
        constexpr int kMaxDepth = 4;
        auto it =
            fs::recursive_directory_iterator(path,
                                             fs::directory_options::follow_directory_symlink |
                                                 fs::directory_options::skip_permission_denied,
                                             ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const fs::path& p = it->path();
            const std::string name = p.filename().string();
            if (it->is_directory(ec)) {
                if (!name.empty() && name[0] == '.') {
                    it.disable_recursion_pending();
                } else if (it.depth() >= kMaxDepth) {
                    it.disable_recursion_pending();
                }
                continue;
            }
            if (!it->is_regular_file(ec) || (!name.empty() && name[0] == '.')) {
                continue;
            }
            const std::string ext = p.extension().string();
            if (ext == ".json" || ext == ".model") {
                // Many JSON files sit beside models (configs); only tokenizers are listed.
                DiscoveredFile f = inspectModelFile(p.string());
                if (f.role == ModelRole::Tokenizer) {
                    if (inv.demo) {
                        f.demo = true;
                        f.notes.push_back(kDemoModelWarning);
                    }
                    inv.files.push_back(std::move(f));
                }
            } else if (isWeightsExtension(ext)) {
                inv.files.push_back(inspectModelFile(p.string()));
            }
        }
        std::sort(inv.files.begin(), inv.files.end(),
                  [](const DiscoveredFile& a, const DiscoveredFile& b) { return a.path < b.path; });
    }
    for (const ModelRole role : kRoles) {
        if (inv.best(role) == nullptr) {
            inv.missing.push_back({role, modelRoleRequired(role), modelRoleLookFor(role)});
        }
    }
    return inv;
}

} // namespace sfs::inference
