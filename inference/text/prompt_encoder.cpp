#include "text/prompt_encoder.h"

#include "io/model_loader.h"
#include "io/safetensors.h"
#include "io/weights.h"
#include "models/umt5.h"
#include "runtime/torch_placement.h"
#include "sfs/build_config.h"
#include "text/content_hash.h"

#include <ATen/ATen.h>

#if SFS_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <map>
#include <stdexcept>

namespace sfs::inference::text {

PromptEncoder::PromptEncoder(PromptEncoderOptions options)
    : m_options(std::move(options)),
      m_placement(choosePlacement(ComputeRole::TextEncoder, m_options.device)),
      m_device(torchDevice(m_placement)), m_dtype(torchDtype(m_placement.precision)),
      m_cache(PromptCacheOptions{m_options.cacheDir, m_options.cacheMaxDiskBytes,
                                 m_options.cacheMaxMemoryBytes}) {
    if (m_options.textLen < 1) {
        throw std::invalid_argument("prompt encoder: text length must be at least 1");
    }
}

PromptEncoder::~PromptEncoder() = default;

const std::string& PromptEncoder::encoderHash() {
    if (m_encoderHash.empty()) {
        m_encoderHash = fileContentHash(m_options.encoderPath, m_options.cacheDir);
    }
    return m_encoderHash;
}

PromptCacheKey PromptEncoder::keyFor(const std::string& cleaned) {
    return PromptCacheKey{encoderHash(), cleaned, m_options.textLen,
                          std::string(c10::toString(m_dtype))};
}

void PromptEncoder::ensureLoaded() {
    if (m_encoder) {
        return;
    }
    // Any supported file of the encoder; its configuration is read from the shapes.
    io::LoadOptions load;
    load.dtype = m_dtype;
    load.device = m_device;
    io::RoleCheck check;
    const io::Weights weights =
        io::loadModelWeights(m_options.encoderPath, ModelRole::TextEncoder, load, &check);
    m_encoder = std::make_unique<models::UMT5Encoder>(*check.t5, weights);
    m_dim = check.t5->dim;
}

void PromptEncoder::release() {
    if (!m_encoder) {
        return;
    }
    const bool cuda = m_encoder->device().is_cuda();
    m_encoder.reset();
#if SFS_TORCH_CUDA
    if (cuda) {
        c10::cuda::CUDACachingAllocator::emptyCache();
    }
#else
    (void)cuda;
#endif
}

std::vector<at::Tensor> PromptEncoder::encode(const std::vector<std::string>& prompts) {
    std::vector<at::Tensor> out(prompts.size());
    // Cleaned text -> the prompts that clean to it (cleaning is not idempotent: the first one
    // is what gets tokenized).
    std::map<std::string, std::vector<size_t>> missing;
    for (size_t i = 0; i < prompts.size(); ++i) {
        const std::string cleaned = cleanPromptText(prompts[i]);
        out[i] = m_cache.find(keyFor(cleaned));
        if (!out[i].defined()) {
            missing[cleaned].push_back(i);
        }
    }
    if (missing.empty()) {
        return out;
    }
    if (!m_tokenizer) {
        m_tokenizer = Tokenizer::open(m_options.tokenizerPath);
    }
    ensureLoaded();
    try {
        // Misses go through in batches: each batch reads the weights once, which is most of
        // what a short prompt costs on the CPU. Keys past each prompt's length are masked, so
        // every prompt gets the rows it would get alone.
        std::vector<TokenizedText> tokens;
        std::vector<at::Tensor> ids;
        std::vector<at::Tensor> masks;
        for (const auto& [cleaned, indices] : missing) {
            tokens.push_back(m_tokenizer->encode(prompts[indices.front()], m_options.textLen));
            ids.push_back(at::tensor(tokens.back().ids, at::kLong));
            masks.push_back(at::tensor(tokens.back().mask, at::kLong));
        }
        // Batches of at most 8 bound the attention scores' memory ([B, heads, L, L]).
        constexpr int64_t kMaxBatch = 8;
        std::vector<at::Tensor> parts;
        for (int64_t start = 0; start < static_cast<int64_t>(ids.size()); start += kMaxBatch) {
            const int64_t n =
                std::min<int64_t>(kMaxBatch, static_cast<int64_t>(ids.size()) - start);
            const at::Tensor batchIds = at::stack(at::TensorList(ids).slice(start, n));
            const at::Tensor batchMask = at::stack(at::TensorList(masks).slice(start, n));
            parts.push_back(m_encoder->promptEmbeddings(batchIds, batchMask).to(at::kCPU));
        }
        const at::Tensor emb = at::cat(parts);
        m_encoderRuns += static_cast<int64_t>(tokens.size());
        size_t row = 0;
        for (const auto& [cleaned, indices] : missing) {
            const at::Tensor e = emb[static_cast<int64_t>(row)].clone();
            m_cache.store(keyFor(cleaned), e, tokens[row].length);
            for (size_t i : indices) {
                out[i] = e;
            }
            ++row;
        }
    } catch (...) {
        if (!m_options.keepLoaded) {
            release();
        }
        throw;
    }
    if (!m_options.keepLoaded) {
        release();
    }
    return out;
}

at::Tensor PromptEncoder::encode(const std::string& prompt) {
    return encode(std::vector<std::string>{prompt}).front();
}

at::Tensor PromptEncoder::loadEmbeddings(const std::string& path) const {
    int64_t dim = m_dim;
    if (dim == 0 && !m_options.encoderPath.empty()) {
        // The width the DiT expects is the encoder's; its header says so without loading it.
        try {
            const auto file = io::SafetensorsFile::open(m_options.encoderPath);
            if (const auto* info = file->find("token_embedding.weight");
                info != nullptr && info->shape.size() == 2) {
                dim = info->shape[1];
            }
        } catch (const io::WeightsError&) {
            // No usable encoder file: the embeddings are checked without it.
        }
    }
    return loadPromptEmbeddings(path, m_options.textLen, dim).to(m_dtype);
}

} // namespace sfs::inference::text
