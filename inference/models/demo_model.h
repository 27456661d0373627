#pragma once
// The built-in demo model: a tiny configuration of every role (DiT, VAE, UMT5 text encoder,
// tokenizer, TAEHV, VACE) with deterministic seeded weights, so every feature runs with no
// download. It is UNTRAINED: what it generates is structured noise, and everything that shows it
// says so.
//
// It is not a special path through the engine: on first use its files are written into the
// user cache folder (safetensors with a "sfstudio.demo" metadata entry, a config.json, the
// tokenizer and a marker file) and from then on load like any user's model folder.

#include "models/taehv.h"
#include "models/umt5.h"
#include "models/wan_dit.h"
#include "models/wan_vace.h"
#include "models/wan_vae.h"

#include <string>

namespace sfs::inference::models {

struct DemoModelConfig {
    DitConfig dit;
    WanVaeConfig vae;
    UMT5Config t5;
    TaehvConfig taehv;
    VaceConfig vace; // small random VACE blocks, so VACE keyframes run without real weights
};

// The configurations the demo files are made with.
const DemoModelConfig& demoModelConfig();

// Writes the demo model's files into `folder` (atomically: a temporary folder beside it is
// renamed into place) unless a complete, intact copy is already there. Throws std::runtime_error
// naming the folder when it cannot be written.
void materializeDemoModel(const std::string& folder);

// File names inside the demo folder.
struct DemoModelFiles {
    static constexpr const char* dit = "demo_dit.safetensors";
    static constexpr const char* vae = "demo_vae.safetensors";
    static constexpr const char* t5 = "demo_umt5.safetensors";
    static constexpr const char* taehv = "demo_taehv.safetensors";
    static constexpr const char* vace = "demo_vace.safetensors";
    static constexpr const char* tokenizer = "spiece.model";
    static constexpr const char* ditConfig = "config.json";
    static constexpr const char* marker = "sfstudio-demo.json";
};

} // namespace sfs::inference::models
