#pragma once
// Prompt text -> the embeddings the DiT receives: cleaning, the prompt cache, and on a miss the
// tokenizer and the UMT5 encoder, loaded on the device the placement picks and (by default)
// freed again after each batch of prompts. The umt5-xxl encoder is ~11 GB in bf16 and runs
// once per distinct prompt, so on cards below 24 GB it runs on the CPU by default.

#include "sfs/inference/text.h"
#include "text/prompt_cache.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <memory>
#include <string>
#include <vector>

namespace sfs::inference::models {
class UMT5Encoder;
}

namespace sfs::inference::text {

enum class TextEncoderPlacement {
    Auto, // the GPU when it has at least kTextEncoderGpuMinBytes, else the CPU
    Cpu,
    Gpu, // CUDA device 0; an error when there is none
};

// GPU memory from which Auto places the encoder on the GPU.
constexpr uint64_t kTextEncoderGpuMinBytes = 24ull << 30;

struct TextEncoderDevice {
    c10::Device device = c10::Device(c10::kCPU);
    std::string reason; // one line for logs and the UI
};

// Where a placement puts the encoder on this machine. Throws std::runtime_error for Gpu
// without a usable CUDA device.
TextEncoderDevice chooseTextEncoderDevice(TextEncoderPlacement placement);

struct PromptEncoderOptions {
    std::string encoderPath;   // safetensors with the reference T5Encoder names
    std::string tokenizerPath; // spiece.model
    int textLen = 512;
    at::ScalarType dtype = at::kBFloat16; // compute dtype (Self-Forcing runs the encoder in bf16)
    TextEncoderPlacement placement = TextEncoderPlacement::Auto;
    bool keepLoaded = false; // keep the encoder between calls instead of freeing it
    std::string cacheDir = defaultPromptCacheDir(); // empty: memory only
    uint64_t cacheMaxDiskBytes = 1ull << 30;
    uint64_t cacheMaxMemoryBytes = 256ull << 20;
};

class PromptEncoder {
public:
    explicit PromptEncoder(PromptEncoderOptions options);
    ~PromptEncoder();

    // The embeddings of each prompt, [textLen, dim] on the CPU in the compute dtype, rows past
    // the prompt zero. Known prompts come from the cache; the others are encoded in one load of
    // the encoder. Throws TokenizerError (Unavailable: use loadEmbeddings), io::WeightsError.
    std::vector<at::Tensor> encode(const std::vector<std::string>& prompts);
    at::Tensor encode(const std::string& prompt);

    // Precomputed embeddings for a prompt (see loadPromptEmbeddings), checked against the
    // encoder's width when it is known.
    at::Tensor loadEmbeddings(const std::string& path) const;

    // Frees the encoder now (and returns cached CUDA memory).
    void release();
    bool loaded() const { return m_encoder != nullptr; }

    const PromptEncoderOptions& options() const { return m_options; }
    const TextEncoderDevice& device() const { return m_device; }
    PromptCacheStats cacheStats() const { return m_cache.stats(); }
    // Prompts that went through the encoder since construction.
    int64_t encoderRuns() const { return m_encoderRuns; }
    // The content hash of the encoder file (computed once, then remembered in the cache dir).
    const std::string& encoderHash();

private:
    void ensureLoaded();
    PromptCacheKey keyFor(const std::string& cleaned);

    PromptEncoderOptions m_options;
    TextEncoderDevice m_device;
    PromptCache m_cache;
    std::string m_encoderHash;
    std::shared_ptr<const Tokenizer> m_tokenizer;
    std::unique_ptr<models::UMT5Encoder> m_encoder;
    int64_t m_dim = 0; // known after the first load
    int64_t m_encoderRuns = 0;
};

} // namespace sfs::inference::text
