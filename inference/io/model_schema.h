#pragma once
// What each model's weights must look like: the configuration a file's tensor shapes imply,
// and the check of the file against that configuration's parameter list
// (sfs/inference/model_config.h). Used by discovery (headers only) and by the loader before any
// data is read.

#include "io/key_mapping.h"
#include "io/tensor_file.h"
#include "io/weights.h"

#include <sfs/inference/model_config.h>
#include <sfs/inference/model_discovery.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sfs::inference::io {

// Canonical tensor names and their shapes.
using TensorShapes = std::map<std::string, std::vector<int64_t>>;

// A file read as one role.
struct RoleCheck {
    ModelRole role = ModelRole::Unknown;
    MappedKeys keys;
    // The configuration the shapes imply (sfs/inference/model_config.h). Shape-consistent does
    // not mean runnable: validate() says whether a model can be built from it.
    std::optional<DitConfig> dit;
    std::optional<WanVaeConfig> vae;
    std::optional<UMT5Config> t5;
    std::optional<TaehvConfig> taehv;
    std::optional<VaceConfig> vace;
    std::string headsFrom; // DiT: how numHeads was found, "config.json" or "head dim 128"
    std::vector<std::string> missing;     // canonical names the configuration needs
    std::vector<std::string> unknown;     // names in the file that no model tensor claims
    std::vector<std::string> wrongShapes; // "name: shape [..], the configuration needs [..]"
    std::vector<std::string> problems;    // configuration that cannot be read, naming clashes
    std::vector<std::string> notes;
    std::string knownAs;
    int64_t parameters = 0;
    int markers = 0; // how many of the role's landmark tensors are present

    bool ok() const {
        return role != ModelRole::Unknown && missing.empty() && unknown.empty() &&
               wrongShapes.empty() && problems.empty();
    }
    // Every problem as readable lines, listing at most `maxNames` names per kind.
    std::vector<std::string> describeProblems(size_t maxNames = 5) const;
};

// Reads the file as `role`.
RoleCheck checkRole(ModelRole role, const TensorFile& file);
// Reads canonical-named shapes as `role` (`path`: where a DiT's config.json would sit beside
// the weights; empty for none).
RoleCheck checkShapes(ModelRole role, const TensorShapes& shapes, const std::string& path = "");
// The shapes of loaded weights, for checkShapes.
TensorShapes shapesOf(const Weights& weights);
// Reads the file as the role whose landmark tensors it has (vace - before dit, since a full
// VACE model also holds a DiT's -, dit, vae, text encoder, taehv);
// role Unknown (with a problem) when it has none.
RoleCheck identifyRole(const TensorFile& file);

} // namespace sfs::inference::io
