#pragma once
// Model discovery: which of the user's files is which model, in what configuration, and what is
// still missing. Reads file headers only (safetensors headers, checkpoint pickles, tokenizer
// vocabularies), never tensor data, so a folder of multi-GB files is inspected in milliseconds.
// Torch-free: used by the CLI (`sfstudio-cli models inspect`) and the UI.

#include <sfs/inference/lora.h>
#include <sfs/inference/model_config.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sfs::inference {

// Lora: a LoRA file for the DiT (never a required role; a project chooses LoRAs by file).
// Vace: the VACE add-on blocks (optional; a VACE-only file, or a full Wan2.1-VACE model whose
// base blocks are not used: the Self-Forcing DiT runs instead).
enum class ModelRole { Dit, Vae, TextEncoder, Tokenizer, Taehv, Lora, Vace, Unknown };

// "dit", "vae", "text-encoder", "tokenizer", "taehv", "lora", "vace", "unknown"
const char* modelRoleName(ModelRole role);
// Required roles must all be present to generate; TAEHV (fast preview decoder) is optional.
bool modelRoleRequired(ModelRole role);
// The files a user should look for when a role is missing (exact release file names).
std::string modelRoleLookFor(ModelRole role);

struct TokenizerFileInfo {
    std::string kind;      // "SentencePiece model" or "tokenizer.json"
    std::string modelType; // "Unigram", "BPE", ... (tokenizer.json)
    int vocabSize = 0;
};

struct DiscoveredFile {
    std::string path;
    std::string format; // "safetensors", "PyTorch checkpoint", "SentencePiece model", ...
    uint64_t bytes = 0;
    ModelRole role = ModelRole::Unknown;
    std::string section; // the state dict used inside a checkpoint, e.g. "generator_ema"
    std::string naming;  // "Wan", "diffusers", "Hugging Face T5", plus stripped prefixes
    std::string dtype;   // "BF16", "F32", "F8_E4M3 (scaled) + BF16", ...
    int64_t parameters = 0;
    int tensorCount = 0;
    std::string knownAs; // the release this configuration matches, e.g. "Wan2.1 T2V 1.3B"
    // The configuration the file's shapes imply (one of them, by role); model_config.h.
    std::optional<DitConfig> dit;
    std::optional<WanVaeConfig> vae;
    std::optional<UMT5Config> t5;
    std::optional<TaehvConfig> taehv;
    std::optional<LoraFileInfo> lora; // role Lora: its naming, rank and the DiT shape it fits
    std::optional<VaceConfig> vace;
    std::string headsFrom; // DiT: how numHeads was found, "config.json" or "head dim 128"
    std::optional<TokenizerFileInfo> tokenizer;
    bool demo = false;                 // part of the built-in demo model (untrained)
    std::vector<std::string> problems; // what makes the file unusable
    std::vector<std::string> notes;    // worth knowing, harmless

    bool usable() const { return role != ModelRole::Unknown && problems.empty(); }
    // One line: "dim 1536, 30 layers, 12 heads (head dim 128), ffn 8960, ..."
    std::string configSummary() const;
};

struct MissingRole {
    ModelRole role = ModelRole::Unknown;
    bool required = true;
    std::string lookFor;
};

struct ModelInventory {
    std::string root;
    bool demo = false; // the built-in demo model's folder (untrained: say so wherever it is used)
    std::vector<DiscoveredFile> files; // every weights or tokenizer file found, sorted by path
    std::vector<MissingRole> missing;  // roles with no usable file
    bool complete() const;             // no required role is missing
    // The preferred usable file of a role (Self-Forcing's EMA weights, then its generator, then
    // a released configuration, then path order); with `accept`, only among files it accepts.
    const DiscoveredFile* best(ModelRole role,
                               const std::function<bool(const DiscoveredFile&)>& accept = {}) const;
};

// The built-in demo model, available by the name "demo": a tiny configuration of every role
// with deterministic seeded weights, so every feature runs with no download. It is UNTRAINED
// (it generates structured noise); whatever shows or uses it must say so.
inline constexpr const char* kDemoModelName = "demo";
inline constexpr const char* kDemoModelWarning =
    "built-in demo model: seeded random weights, UNTRAINED - it generates noise, not video";
bool isDemoModelName(const std::string& nameOrPath);
// The demo model's folder, written into the user cache folder on first use (and rebuilt when
// damaged). Throws std::runtime_error naming the folder when it cannot be written.
std::string demoModelFolder();
// "demo" -> demoModelFolder(); any other name or path is returned as it is.
std::string resolveModelPath(const std::string& nameOrPath);

// Inspects one file. Never throws for a bad file: the problem is in `problems`.
DiscoveredFile inspectModelFile(const std::string& path);

// Inspects a folder (recursively, a few levels deep), a single file, or "demo". Throws
// std::runtime_error when the path does not exist.
ModelInventory discoverModels(const std::string& path);

} // namespace sfs::inference
