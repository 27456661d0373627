#pragma once
// What each model's weights must look like: the configuration a file's tensor shapes imply,
// the full list of tensors (names and shapes) that configuration needs, and the check of a file
// against it. Used by discovery (headers only) and by the loader before any data is read.

#include "io/key_mapping.h"
#include "io/tensor_file.h"

#include <sfs/inference/model_discovery.h>

#include <optional>
#include <string>
#include <vector>

namespace sfs::inference::io {

struct ExpectedTensor {
    std::string name;
    std::vector<int64_t> shape;
};

// The released configurations (spec: DiT 1, VAE A.1, UMT5 C.1, TAEHV B.1).
DitFileConfig wan21T2V13BDit();
VaeFileConfig wan21Vae();
T5FileConfig umt5XxlEncoder();
TaehvFileConfig taew21();

// Every tensor of a configuration, in the reference state_dict order.
std::vector<ExpectedTensor> expectedTensors(const DitFileConfig& c);
std::vector<ExpectedTensor> expectedTensors(const VaeFileConfig& c);
std::vector<ExpectedTensor> expectedTensors(const T5FileConfig& c);
std::vector<ExpectedTensor> expectedTensors(const TaehvFileConfig& c);

// A file read as one role.
struct RoleCheck {
    ModelRole role = ModelRole::Unknown;
    MappedKeys keys;
    std::optional<DitFileConfig> dit;
    std::optional<VaeFileConfig> vae;
    std::optional<T5FileConfig> t5;
    std::optional<TaehvFileConfig> taehv;
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
// Reads the file as the role whose landmark tensors it has (dit, vae, text encoder, taehv);
// role Unknown (with a problem) when it has none.
RoleCheck identifyRole(const TensorFile& file);

} // namespace sfs::inference::io
