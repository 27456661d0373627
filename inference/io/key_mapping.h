#pragma once
// Tensor names: from what a file calls a tensor to the canonical name (the reference
// state_dict names of the original Wan / Self-Forcing / TAEHV code, as the golden weight files
// use them). One table per role in key_mapping.cpp: wrapper prefixes to strip, naming dialects
// (diffusers, Hugging Face T5) to rename, and the quantisation side tensors ComfyUI adds.

#include "io/tensor_file.h"

#include <sfs/inference/model_discovery.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sfs::inference::io {

struct MappedKeys {
    std::string dialect;               // "Wan", "diffusers", "Hugging Face T5"
    std::vector<std::string> prefixes; // wrapper prefixes that were stripped
    // (canonical name, name in the file), in file order.
    std::vector<std::pair<std::string, std::string>> tensors;
    // canonical weight name -> name of its per-tensor scale in the file (fp8 "scaled" files).
    std::map<std::string, std::string> scaleOf;
    std::vector<std::string> quantConfigs; // ComfyUI per-layer "comfy_quant" descriptions
    std::vector<std::string> ignored;      // side tensors not needed: input scales, markers
    std::vector<std::string> problems;     // two names for one tensor, scales without weights

    const std::string* source(const std::string& canonical) const;
    std::string describeNaming() const; // "diffusers names, prefix 'model.' removed"
};

MappedKeys mapKeys(ModelRole role, const std::vector<TensorEntry>& entries);

// One name in a role's naming dialect (e.g. "diffusers") renamed to its canonical name, with the
// same table mapKeys uses ("blocks.0.attn1.to_q.weight" -> "blocks.0.self_attn.q.weight"); the
// name itself when no rename matches. LoRA files name the layers they change this way.
std::string canonicalNameInDialect(ModelRole role, const std::string& dialect,
                                   const std::string& name);

} // namespace sfs::inference::io
