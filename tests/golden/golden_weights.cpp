// Weight files of the set: checked against the manifest by the runner itself; the cases that
// use them load them. Claimed here so that a run with --only COMPONENT covers them too.

#include "golden.h"

namespace {
void weightsFile(const sfs::golden::GoldenSet&, const std::string&, sfs::golden::Report&) {}
} // namespace

SFS_GOLDEN_CASE("dit", "dit_weights\\.safetensors", weightsFile);
SFS_GOLDEN_CASE("vae", "vae_weights\\.safetensors", weightsFile);
SFS_GOLDEN_CASE("t5", "t5_weights\\.safetensors", weightsFile);
SFS_GOLDEN_CASE("taehv", "taehv_weights\\.safetensors", weightsFile);
SFS_GOLDEN_CASE("vace", "vace_weights\\.safetensors", weightsFile);
