#pragma once
// The keyframe-latent cache: what Engine::encodeKeyframe computes, kept in memory and on disk
// ($XDG_CACHE_HOME/sfstudio/keyframes) like the prompt-embedding cache (text/prompt_cache.h), so
// a keyframe image is VAE-encoded once per image, size and position, across sessions. Disk
// entries are safetensors files written atomically and checked (checksum of key and data) when
// read: a damaged or truncated entry is deleted, counts as a miss, and is written again by the
// encode that follows. A hit returns the bytes that were stored: the latent bit for bit.
#include "sfs/inference/engine.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sfs::inference::engine {

// Everything a keyframe latent depends on. The VAE's device and precision are in it because
// the encoder's float32 result differs in the last bits between them (a hit must be exactly
// what an encode would give there); the pixels are the fitted image, so the fit mode and the
// project size are covered by them and by width x height.
struct KeyframeLatentKey {
    std::string vaeHash;    // fileContentHash of the VAE weights file
    std::string vaeSection; // the VAE's part of that file (ModelFile::section), often empty
    std::string device;     // the VAE's compute device, "cpu", "cuda:0"
    std::string precision;  // the VAE's compute precision, "float32", "bfloat16"
    int width = 0;
    int height = 0;
    KeyframePosition position = KeyframePosition::Start;
    std::string pixelsHash; // XXH64 of the fitted RGB8 pixels, 16 hex digits

    // 16 hex digits over every field: the entry's file name.
    std::string id() const;
};

struct KeyframeLatentCacheStats {
    int64_t memoryHits = 0;
    int64_t diskHits = 0;
    int64_t misses = 0;
    int64_t corruptEntries = 0; // disk entries found damaged (deleted, counted as misses)
    int64_t stored = 0;
    std::string lastProblem; // what was wrong with the last damaged entry or failed write
};

class KeyframeLatentCache {
public:
    // `directory` empty: memory only.
    explicit KeyframeLatentCache(std::string directory, uint64_t maxDiskBytes = 256ull << 20,
                                 uint64_t maxMemoryBytes = 128ull << 20);

    // The latent ([C, h, w] float32 on the CPU), or an undefined tensor.
    at::Tensor find(const KeyframeLatentKey& key);
    // Keeps `latent` ([C, h, w] float32 on the CPU); a disk write that fails leaves it in
    // memory only (stats().lastProblem says why).
    void store(const KeyframeLatentKey& key, const at::Tensor& latent);

    KeyframeLatentCacheStats stats() const;
    const std::string& directory() const { return m_directory; }
    // The file an entry has (or would have) on disk; empty without a directory.
    std::string entryPath(const KeyframeLatentKey& key) const;

private:
    struct MemoryEntry {
        at::Tensor latent;
        std::list<std::string>::iterator position;
    };
    void remember(const std::string& id, const at::Tensor& latent);
    at::Tensor readEntry(const KeyframeLatentKey& key, const std::string& path);

    std::string m_directory;
    uint64_t m_maxDiskBytes;
    uint64_t m_maxMemoryBytes;
    mutable std::mutex m_mutex;
    std::list<std::string> m_order; // most recently used first
    std::unordered_map<std::string, MemoryEntry> m_memory;
    uint64_t m_memoryBytes = 0;
    int64_t m_lastStampNs = 0;
    KeyframeLatentCacheStats m_stats;
};

} // namespace sfs::inference::engine
