#pragma once
// LoRA files for the DiT: reading the three published namings (PEFT, diffusers, ComfyUI/kohya)
// onto our DiT's canonical layer names, and the one place where LoRAs are merged into the
// weights (mergeLoras), on the loaded per-name weights before a model is built from them.
//
// Merge, per changed weight W (every LoRA of the list that changes it, in list order):
//   W' = cast( W32 + Σ_i (s_i · α_i / r_i) · (B_i32 · A_i32) )      (fp32, one cast back)
// with s the strength, α the LoRA's alpha (its per-layer `alpha` tensor, else adapter_config.json's
// lora_alpha beside the file, else r), r the rank (rows of A). Each term is computed as
// `at::mm(B32, A32).mul_(scale)` with scale = float(s·α/r) and added to W32 in list order.
// ComfyUI's whole-tensor differences (`diff`, `diff_b`) add s · D the same way; a diffusers
// `lora_B.bias` adds (s·α/r) · b to the bias.
// A LoRA of strength 0 is read and checked but adds nothing.
//
// Removing a LoRA is not an inverse merge: the engine reloads the base file (exact; see
// docs/architecture.md, "LoRA").

#include "io/tensor_file.h"
#include "io/weights.h"

#include <sfs/inference/lora.h>
#include <sfs/inference/model_config.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfs::inference::io {

// One low-rank change of a linear layer.
struct LoraPair {
    std::string module; // canonical DiT layer, "blocks.0.self_attn.q"
    std::string down;   // A, [r, in] (name in the file)
    std::string up;     // B, [out, r]
    std::string alpha;  // its scalar alpha tensor, or empty
    std::string upBias; // diffusers' lora_B.bias, or empty
    int64_t rank = 0;
    int64_t inputs = 0, outputs = 0; // the layer's shape [outputs, inputs] the pair implies
};

// A whole-tensor difference (ComfyUI `diff` of a weight, `diff_b` of a bias).
struct LoraDiff {
    std::string target; // canonical DiT parameter, "blocks.0.norm3.weight"
    std::string source; // name in the file
};

struct LoraLayout {
    std::string naming; // "PEFT", "diffusers", "ComfyUI", "kohya/musubi", "Wan"
    std::vector<LoraPair> pairs;
    std::vector<LoraDiff> diffs;
    // adapter_config.json beside the file (PEFT): its lora_alpha, for pairs without an alpha.
    std::optional<double> configAlpha;
    int64_t parameters = 0;

    LoraFileInfo info() const;
};

// True when the file's names look like a LoRA (a lora_A/lora_B/lora_down/lora_up tensor).
bool looksLikeLora(const TensorFile& file);

// Opens a LoRA file: a safetensors file or a checkpoint (LongLive's lora.pt keeps the adapter in
// the state dict "generator_lora", which is preferred). Throws WeightsError naming the file.
std::unique_ptr<TensorFile> openLoraFile(const std::string& path);

// Reads a LoRA's layout from its header and, for PEFT files, adapter_config.json beside it.
// Throws WeightsError naming the file and the tensor: a name that is no LoRA tensor or names
// no layer of the DiT, a half of a pair without the other, a down/up pair whose ranks differ.
LoraLayout readLoraLayout(const TensorFile& file);

// Merges `loras` into `weights` (a DiT's canonical weights, any dtype and device) by the formula
// above. Checks everything before changing anything: every layer a LoRA changes must exist with
// matching shapes, else WeightsError naming the LoRA file and the tensor (a LoRA for another
// model shape, a conv layer, a layer the DiT lacks).
void mergeLoras(Weights& weights, const std::vector<LoraChoice>& loras);

} // namespace sfs::inference::io
