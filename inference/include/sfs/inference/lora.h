#pragma once
// LoRA files for the DiT (torch-free): what discovery says about one, and a LoRA chosen for a
// generation with its strength. Reading and merging them is inference/io/lora.h.

#include <cstdint>
#include <string>

namespace sfs::inference {

// What a LoRA file's header says (DiscoveredFile::lora, `models inspect`).
struct LoraFileInfo {
    std::string naming; // "PEFT", "diffusers", "ComfyUI", "kohya/musubi"
    int modules = 0;    // linear layers it changes (low-rank pairs)
    int diffs = 0;      // tensors it adds as whole differences (ComfyUI diff / diff_b)
    int64_t rank = 0;   // the largest rank of its pairs
    bool mixedRanks = false;
    std::string alphaFrom; // "per layer", "adapter_config.json", "alpha = rank"
    // The DiT it fits, from its shapes: the model width (input size of the attention layers,
    // 0 when it changes none) and the highest block it touches + 1 (a LoRA may skip blocks, so
    // this is the least number of layers the DiT must have).
    int64_t dim = 0;
    int64_t layers = 0;

    // "rank 16 (alpha per layer) on 240 linear layers, for a DiT of dim 1536 with >= 30 layers"
    std::string describe() const;
};

// A LoRA chosen for a generation: its file and how strongly it applies (1 = as trained,
// 0 = not at all; negative values subtract it).
struct LoraChoice {
    std::string path;
    double strength = 1.0;
    bool operator==(const LoraChoice& o) const { return path == o.path && strength == o.strength; }
    bool operator!=(const LoraChoice& o) const { return !(*this == o); }
};

// Parses the command line's "FILE[:STRENGTH]" (the strength after the last ':' when that parses
// as a number, else the whole text is the file and the strength 1). Throws
// std::invalid_argument for an empty file name or a strength that is not finite.
LoraChoice parseLoraChoice(const std::string& text);

} // namespace sfs::inference
