#pragma once
// Where sfstudio keeps files it can always recreate (prompt embeddings, keyframe latents, the
// demo model): $XDG_CACHE_HOME/sfstudio/<sub>, else ~/.cache/sfstudio/<sub>, else a temp
// folder. And the disk side of its content-keyed caches: entries are files named
// <16 hex digits>.safetensors whose modification time orders a least-recently-used eviction.

#include <cstdint>
#include <string>

namespace sfs::inference {

std::string userCacheDir(const std::string& sub);

// True for a cache entry's file name: 16 lower-case hex digits + ".safetensors".
bool isCacheEntryName(const std::string& name);

// Marks a cache entry as just used (its modification time: the disk LRU order). `lastStampNs`
// belongs to one cache: stamps within it strictly increase, so that entries written in quick
// succession keep their order.
void stampCacheEntry(const std::string& path, int64_t& lastStampNs);

struct CacheEviction {
    int64_t evicted = 0;       // entries deleted
    bool keepTooLarge = false; // `keep` alone exceeded the budget and was deleted too
};

// Deletes the least recently stamped entries of `directory` until they take at most
// `maxBytes`, never `keep` unless it alone is over the budget; temporary files a dead writer
// left (".safetensors.tmp-*", an hour old or more) go too.
CacheEviction evictCacheEntries(const std::string& directory, uint64_t maxBytes,
                                const std::string& keep);

} // namespace sfs::inference
