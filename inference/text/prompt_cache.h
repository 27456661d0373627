#pragma once
// The prompt-embedding cache: encoder outputs keyed by (encoder file hash, cleaned text, text
// length, compute dtype), in memory and on disk, so regenerating or switching between known
// prompts never runs the encoder again. Both levels are bounded and evict the least recently
// used entries. Disk entries are safetensors files written atomically and checked (checksum of
// key and data) when read: a damaged entry is deleted and counts as a miss.
//
// An entry file is also the format of precomputed prompt embeddings (loadPromptEmbeddings).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sfs::inference::text {

struct PromptCacheKey {
    std::string encoderHash; // fileContentHash of the encoder weights (or another stable id)
    std::string cleanedText; // cleanPromptText of the prompt
    int64_t textLen = 512;
    std::string dtype; // compute dtype of the encoder, e.g. "BFloat16"

    // 16 hex digits over every field: the entry's file name.
    std::string id() const;
};

struct PromptCacheOptions {
    std::string directory;                  // empty: memory only
    uint64_t maxDiskBytes = 1ull << 30;     // 1 GiB
    uint64_t maxMemoryBytes = 256ull << 20; // 256 MiB
};

struct PromptCacheStats {
    int64_t memoryHits = 0;
    int64_t diskHits = 0;
    int64_t misses = 0;
    int64_t corruptEntries = 0; // disk entries found damaged (deleted, counted as misses)
    int64_t stored = 0;
    int64_t evictedFromMemory = 0;
    int64_t evictedFromDisk = 0;
    std::string lastProblem; // what was wrong with the last corrupt entry or failed write
};

class PromptCache {
public:
    explicit PromptCache(PromptCacheOptions options);

    // Embeddings [textLen, dim] (rows past the prompt zero) on the CPU, or an undefined tensor.
    at::Tensor find(const PromptCacheKey& key);
    // Stores the first `length` rows of `embeddings` ([textLen, dim]; the rest must be zero).
    // A disk write that fails leaves the entry in memory only (stats().lastProblem says why).
    void store(const PromptCacheKey& key, const at::Tensor& embeddings, int64_t length);

    PromptCacheStats stats() const;
    const PromptCacheOptions& options() const { return m_options; }
    // The file an entry has (or would have) on disk; empty without a directory.
    std::string entryPath(const PromptCacheKey& key) const;
    // Bytes of the entries on disk now.
    uint64_t diskBytes() const;

private:
    struct MemoryEntry {
        at::Tensor rows; // [length, dim]
        int64_t textLen = 0;
        uint64_t bytes = 0;
        std::list<std::string>::iterator position;
    };

    at::Tensor padded(const MemoryEntry& e) const;
    void remember(const std::string& id, at::Tensor rows, int64_t textLen);
    at::Tensor readEntry(const PromptCacheKey& key, const std::string& path);
    void writeEntry(const PromptCacheKey& key, const at::Tensor& rows, const std::string& path);
    void touch(const std::string& path);
    void evictDisk(const std::string& keep);

    PromptCacheOptions m_options;
    mutable std::mutex m_mutex;
    std::list<std::string> m_order; // most recently used first
    std::unordered_map<std::string, MemoryEntry> m_memory;
    uint64_t m_memoryBytes = 0;
    int64_t m_lastStampNs = 0;
    PromptCacheStats m_stats;
};

// Reads precomputed prompt embeddings: a safetensors file with a float tensor 'prompt_embeds'
// of [L, dim] or [1, L, dim] (such as a cache entry). Returns [textLen, dim]: rows past L are
// zero; more than textLen rows, a dim other than `dim` (when dim > 0) or a cache entry whose
// checksum fails are errors naming the file.
at::Tensor loadPromptEmbeddings(const std::string& path, int64_t textLen, int64_t dim = 0);

} // namespace sfs::inference::text
