#pragma once
// The DiT configuration in JSON: Wan's config.json beside a DiT file, and a golden manifest's
// configs.dit, use the same field names (dim, num_heads, text_len, ...).

#include "io/json.h"

#include <sfs/inference/model_config.h>

#include <string>

namespace sfs::inference::models {

// Reads the fields present in `v` into `c` (absent fields keep their value). A field of the
// wrong type, or a model_type other than "t2v", throws std::invalid_argument naming `origin`
// and the field. Does not validate (discovery overlays a file's config.json on the shapes).
void readDitJson(const json::Value& v, const std::string& origin, DitConfig& c);
// readDitJson over the 1.3B defaults, then validated; a head_dim that contradicts
// dim / num_heads is an error. Errors name `origin`.
DitConfig ditConfigFromJson(const json::Value& v, const std::string& origin);
// The VACE part of a VaceWanModel config (config.json, a golden manifest's configs): vace_in_dim
// and vace_layers over the DiT's block shapes `dit`; vace_layers absent or null is the
// reference default range(0, num_layers, 2). Validated; errors name `origin`.
VaceConfig vaceConfigFromJson(const json::Value& v, const std::string& origin,
                              const DitConfig& dit);
// A Wan config.json of `c` (what the demo model writes beside its DiT).
std::string ditConfigJson(const DitConfig& c);

} // namespace sfs::inference::models
