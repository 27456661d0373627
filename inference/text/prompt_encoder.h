#pragma once
// Prompt text -> the embeddings the DiT receives: cleaning, the prompt cache, and on a miss the
// tokenizer and the UMT5 encoder, loaded on the device the placement picks and (by default)
// freed again after each batch of prompts. The umt5-xxl encoder is ~11 GB in bf16 and runs
// once per distinct prompt, so on cards below 24 GB it runs on the CPU by default (the device
// policy's rule for the text encoder).

#include "sfs/inference/device_policy.h"
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

struct PromptEncoderOptions {
    std::string encoderPath;   // safetensors with the reference T5Encoder names
    std::string tokenizerPath; // spiece.model
    int textLen = 512;
    // Device and compute dtype, decided by the device policy (sfs/inference/device_policy.h):
    // "auto" is the GPU only with at least 24 GB, and bfloat16 as Self-Forcing runs it.
    DeviceRequest device;
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
    // Where the encoder runs and why (decided at construction).
    const Placement& placement() const { return m_placement; }
    PromptCacheStats cacheStats() const { return m_cache.stats(); }
    // Prompts that went through the encoder since construction.
    int64_t encoderRuns() const { return m_encoderRuns; }
    // The content hash of the encoder file (computed once, then remembered in the cache dir).
    const std::string& encoderHash();

private:
    void ensureLoaded();
    PromptCacheKey keyFor(const std::string& cleaned);

    PromptEncoderOptions m_options;
    Placement m_placement;
    c10::Device m_device;
    at::ScalarType m_dtype;
    PromptCache m_cache;
    std::string m_encoderHash;
    std::shared_ptr<const Tokenizer> m_tokenizer;
    std::unique_ptr<models::UMT5Encoder> m_encoder;
    int64_t m_dim = 0; // known after the first load
    int64_t m_encoderRuns = 0;
};

} // namespace sfs::inference::text
