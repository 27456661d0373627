#pragma once
// Each model sfstudio runs, described once: its configuration and the one list of parameters
// (name, shape, kind) that configuration has, in the reference state_dict order. Discovery and
// `sfstudio-cli models inspect`, the loader's checks, the random/demo weights and the model
// constructors all read these structs and lists. Torch-free.
//
// Where each list is written: DiT models/wan_dit_config.cpp, Wan VAE models/wan_vae_config.cpp,
// UMT5 models/umt5_config.cpp, TAEHV models/taehv_config.cpp. Field names follow the reference
// code (wan/modules/model.py, vae.py, t5.py; madebyollin/taehv).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sfs::inference {

// How seeded random weights draw a parameter (models/parameters.cpp; the golden harness's law).
enum class ParamKind {
    Weight,       // N(0, 1/fan_in), fan_in = numel / shape[0]
    Bias,         // N(0, 0.1^2)
    Gain,         // 1 + N(0, 0.1^2): norm weights
    Modulation,   // N(0, 1/dim), dim = the last dimension: DiT modulation tables
    Embedding,    // N(0, 1): token embeddings
    PositionBias, // N(0, 0.5^2): T5 relative-position tables
};

struct ParamSpec {
    std::string name;
    std::vector<int64_t> shape;
    ParamKind kind = ParamKind::Weight;
    // A stored tensor may have more rows (dim 0) than the model uses; the last shape[0] rows
    // are kept (TAEHV TGrow weights of checkpoints trained with more temporal upscaling).
    bool trailingRows = false;

    int64_t numel() const;
    // Whether a stored tensor of this shape can supply the parameter.
    bool accepts(const std::vector<int64_t>& stored) const;
};
using ParamList = std::vector<ParamSpec>;

int64_t parameterCount(const ParamList& list);

// --- the causal Wan2.1 text-to-video DiT ------------------------------------------------------

struct DitConfig {
    int64_t inDim = 16;
    int64_t outDim = 16;
    int64_t dim = 1536;
    int64_t ffnDim = 8960;
    int64_t freqDim = 256;
    int64_t textDim = 4096;
    int64_t textLen = 512; // prompt rows the cross-attention sees (not stored in the weights)
    int64_t numHeads = 12; // not stored in the weights; 0 when unknown
    int64_t numLayers = 30;
    std::array<int64_t, 3> patch{1, 2, 2}; // (t, h, w)
    double eps = 1e-6;
    bool qkNorm = true;
    bool crossAttnNorm = true;

    // Wan2.1 T2V 1.3B, the model Self-Forcing distils (the defaults above).
    static DitConfig wan13B() { return {}; }

    int64_t headDim() const { return numHeads > 0 ? dim / numHeads : 0; }
    int64_t patchVolume() const { return patch[0] * patch[1] * patch[2]; }
    // Tokens per latent frame for a latent grid of h x w.
    int64_t tokensPerFrame(int64_t latentH, int64_t latentW) const {
        return (latentH / patch[1]) * (latentW / patch[2]);
    }

    // Throws std::invalid_argument naming the field and the problem.
    void validate() const;
    // "dim 1536, 30 layers, 12 heads, ffn 8960, text 4096, freq 256, in/out 16/16, patch 1x2x2";
    // `headsFrom`, when given, follows the head count in brackets ("12 heads (config.json)").
    std::string describe(const std::string& headsFrom = {}) const;
    ParamList parameters() const;
    int64_t parameterCount() const { return inference::parameterCount(parameters()); }

    bool operator==(const DitConfig& o) const;
    bool operator!=(const DitConfig& o) const { return !(*this == o); }
};

// --- VACE (Wan2.1-VACE): blocks beside the DiT that add hints ----------------------------------

// The VACE add-on of a Wan DiT (shared/spec/vace.md §1): a patch embedding of the context
// (inDim channels: 16 inactive + 16 reactive latent + 64 mask) and one DiT block per hinted
// main layer, plus before_proj (block 0) and after_proj. The block shapes are the DiT's.
struct VaceConfig {
    int64_t inDim = 96;
    int64_t dim = 1536;
    int64_t ffnDim = 8960;
    int64_t numHeads = 12; // not stored in the weights; taken from the DiT
    std::array<int64_t, 3> patch{1, 2, 2};
    bool qkNorm = true;
    bool crossAttnNorm = true;
    // Main layer that receives hint n (vace_layers): 0, 2, ..., 28 for the 1.3B model.
    std::vector<int64_t> layers{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28};

    // Wan2.1-VACE-1.3B (the defaults above).
    static VaceConfig wan13B() { return {}; }
    // vace_layers when a checkpoint does not list them: the reference default (every 2nd main
    // layer from 0) when the block count fits it, else evenly spaced from 0 (the 14B model's
    // 8 blocks over 40 layers: 0, 5, ..., 35); empty when neither fits.
    static std::vector<int64_t> defaultLayers(int64_t vaceBlocks, int64_t mainLayers);

    int64_t numBlocks() const { return static_cast<int64_t>(layers.size()); }
    // Throws std::invalid_argument naming the field.
    void validate() const;
    // Throws std::invalid_argument saying why these blocks cannot run beside `dit`.
    void checkFits(const DitConfig& dit) const;
    // "15 blocks for layers 0, 2, ..., 28, context 96 channels, dim 1536, ffn 8960"
    std::string describe() const;
    ParamList parameters() const;
    int64_t parameterCount() const { return inference::parameterCount(parameters()); }

    bool operator==(const VaceConfig& o) const;
    bool operator!=(const VaceConfig& o) const { return !(*this == o); }
};

// --- the Wan2.1 video VAE ----------------------------------------------------------------------

struct WanVaeConfig {
    int64_t dim = 96;                         // base channels
    int64_t zDim = 16;                        // latent channels
    std::vector<int64_t> dimMult{1, 2, 4, 4}; // channel multipliers per stage
    int64_t numResBlocks = 2;                 // per encoder stage; the decoder uses one more
    // Per stage transition of the encoder (one fewer than stages): whether it also halves time.
    // The decoder upsamples in the reverse order.
    std::vector<bool> temporalDownsample{false, true, true};

    // Wan2.1_VAE.pth (the defaults above).
    static WanVaeConfig wan21() { return {}; }

    // Throws std::invalid_argument naming the field.
    void validate() const;
    int64_t spaceStride() const; // 8 for the real configuration
    int64_t timeStride() const;  // 4 for the real configuration
    // Video frames of T latent frames: 1 + timeStride (T - 1).
    int64_t videoFrames(int64_t latentFrames) const;
    // "dim 96, z 16, mult 1,2,4,4, res blocks 2, temporal downsample F,T,T"
    std::string describe() const;
    ParamList parameters() const;
    int64_t parameterCount() const { return inference::parameterCount(parameters()); }

    bool operator==(const WanVaeConfig& o) const;
    bool operator!=(const WanVaeConfig& o) const { return !(*this == o); }
};

// --- the UMT5 text encoder ---------------------------------------------------------------------

struct UMT5Config {
    int64_t vocab = 256384;
    int64_t dim = 4096;
    int64_t dimAttn = 4096; // numHeads * head dim
    int64_t dimFfn = 10240;
    int64_t numHeads = 64;
    int64_t numLayers = 24;
    int64_t numBuckets = 32;
    int64_t maxDistance = 128; // not stored in the weights
    bool sharedPos = false;    // umT5: false, every layer has its own position table
    double eps = 1e-6;

    // umt5-xxl's encoder as Wan uses it (the defaults above).
    static UMT5Config xxl() { return {}; }

    int64_t headDim() const { return numHeads > 0 ? dimAttn / numHeads : 0; }
    // Throws std::invalid_argument naming the first inconsistent field.
    void validate() const;
    // "vocab 256384, dim 4096, 24 layers, 64 heads, ffn 10240, 32 buckets"
    std::string describe() const;
    ParamList parameters() const;
    int64_t parameterCount() const { return inference::parameterCount(parameters()); }

    bool operator==(const UMT5Config& o) const;
    bool operator!=(const UMT5Config& o) const { return !(*this == o); }
};

// --- TAEHV, the tiny preview decoder -----------------------------------------------------------

struct TaehvConfig {
    int64_t latentChannels = 16;
    int64_t imageChannels = 3;
    int64_t patchSize = 1; // pixel (un)shuffle factor around the networks
    int64_t encoderWidth = 64;
    std::vector<int64_t> decoderWidths{256, 128, 64, 64};
    // Per stage (3): TPool stride 2 when true, else 1.
    std::vector<bool> encoderTimeDownscale{true, true, false};
    // Per stage (3): TGrow stride 2 when true, else 1.
    std::vector<bool> decoderTimeUpscale{false, true, true};
    // Per stage (3): nearest x2 in space (no weights: never read from a file).
    std::vector<bool> decoderSpaceUpscale{true, true, true};

    // taew2_1.pth (the defaults above).
    static TaehvConfig taew21() { return {}; }

    void validate() const; // throws std::invalid_argument naming the field
    int64_t timeDownscale() const;
    int64_t timeUpscale() const;
    int64_t framesToTrim() const { return timeUpscale() - 1; }
    int64_t spaceScale() const; // 8 for taew2_1
    // Output frames of T latents: timeUpscale * T - framesToTrim.
    int64_t videoFrames(int64_t latentFrames) const;
    // "encoder 64, decoder 256,128,64,64, latent 16, patch 1, time strides 1,2,2"
    std::string describe() const;
    ParamList parameters() const;
    int64_t parameterCount() const { return inference::parameterCount(parameters()); }

    bool operator==(const TaehvConfig& o) const;
    bool operator!=(const TaehvConfig& o) const { return !(*this == o); }
};

} // namespace sfs::inference
