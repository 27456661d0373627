#pragma once
// A model folder (or the built-in "demo") turned into what the engine loads: for every role the
// file and the configuration to build its model with. The one step from discovery to loading.
// Torch-free.

#include <sfs/inference/model_config.h>
#include <sfs/inference/model_discovery.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfs::inference {

// One file to load (io::loadModelWeights): its path and the state dict inside a checkpoint
// ("" = the file's only or preferred one).
struct ModelFile {
    std::string path;
    std::string section;
};

struct ModelSet {
    std::string root;  // the folder (or single file) the models were found in
    bool demo = false; // the built-in demo model: untrained, say so (kDemoModelWarning)
    DitConfig dit;
    ModelFile ditFile;
    WanVaeConfig vae;
    ModelFile vaeFile;
    UMT5Config textEncoder;
    ModelFile textEncoderFile;
    std::string tokenizerPath;
    std::optional<TaehvConfig> taehv; // the optional fast preview decoder
    ModelFile taehvFile;
    std::optional<VaceConfig> vace; // the optional VACE blocks (keyframes, reference images)
    ModelFile vaceFile;
    std::vector<std::string> notes; // worth telling the user (demo, no TAEHV, ...)
};

// Why a role cannot be loaded.
struct RoleProblem {
    ModelRole role = ModelRole::Unknown;
    std::string file;    // the unusable file; empty when the role has no file at all
    std::string problem; // "missing", or what makes the file unusable
    std::string lookFor; // the release files that fill the role (modelRoleLookFor)
};

// Thrown by resolveModelSet: what() names the folder and every role that cannot be loaded,
// one line each, with the files to look for.
class ModelSetError : public std::runtime_error {
public:
    ModelSetError(std::string root, std::vector<RoleProblem> problems);
    const std::string& root() const { return m_root; }
    const std::vector<RoleProblem>& problems() const { return m_problems; }

private:
    std::string m_root;
    std::vector<RoleProblem> m_problems;
};

// Picks for every role the best file (ModelInventory::best's order) whose configuration can
// build a model, and checks that the roles fit together (the DiT's text_dim is the encoder's
// dim, the latent channels agree, the tokenizer's pieces fit the encoder's vocabulary). Throws
// ModelSetError for every required role that is missing or unusable; a missing or unusable
// TAEHV only leaves `taehv` empty, with a note.
ModelSet resolveModelSet(const ModelInventory& inventory);
// discoverModels(nameOrPath), then the above; "demo" is the built-in demo model. Throws
// std::runtime_error when the path does not exist.
ModelSet resolveModelSet(const std::string& nameOrPath);

} // namespace sfs::inference
