#include "engine/keyframe_cache.h"

#include "io/dtype.h"
#include "io/safetensors.h"
#include "runtime/cache_dir.h"
#include "text/content_hash.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <map>

namespace sfs::inference {

std::string defaultKeyframeCacheDir() {
    return userCacheDir("keyframes");
}

namespace engine {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "sfstudio.keyframe_latent.v1";
constexpr const char* kTensor = "latent";

const char* positionName(KeyframePosition p) {
    return p == KeyframePosition::Start ? "start" : "later";
}

std::map<std::string, std::string> metadataOf(const KeyframeLatentKey& k) {
    return {{"format", kFormat},
            {"vae", k.vaeHash},
            {"vae_section", k.vaeSection},
            {"device", k.device},
            {"precision", k.precision},
            {"width", std::to_string(k.width)},
            {"height", std::to_string(k.height)},
            {"position", positionName(k.position)},
            {"pixels", k.pixelsHash}};
}

// The checksum of an entry: its key fields, the tensor's type and shape, and its bytes.
std::string entryChecksum(const std::map<std::string, std::string>& meta,
                          const io::TensorInfo& info, const uint8_t* data) {
    text::Hash64 h(0x6b66);
    for (const auto& [field, value] : meta) {
        if (field != "checksum") {
            h.update(field.data(), field.size() + 1); // with the NUL as separator
            h.update(value.data(), value.size() + 1);
        }
    }
    h.update(io::dtypeName(info.dtype));
    for (int64_t d : info.shape) {
        h.update(&d, sizeof d);
    }
    h.update(data, info.byteSize());
    return text::toHex(h.digest());
}

} // namespace

std::string KeyframeLatentKey::id() const {
    text::Hash64 h(0x6b6c);
    for (const auto& [field, value] : metadataOf(*this)) {
        h.update(field.data(), field.size() + 1);
        h.update(value.data(), value.size() + 1);
    }
    return text::toHex(h.digest());
}

KeyframeLatentCache::KeyframeLatentCache(std::string directory, uint64_t maxDiskBytes,
                                         uint64_t maxMemoryBytes)
    : m_directory(std::move(directory)), m_maxDiskBytes(maxDiskBytes),
      m_maxMemoryBytes(maxMemoryBytes) {}

std::string KeyframeLatentCache::entryPath(const KeyframeLatentKey& key) const {
    return m_directory.empty() ? std::string() : m_directory + "/" + key.id() + ".safetensors";
}

KeyframeLatentCacheStats KeyframeLatentCache::stats() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_stats;
}

void KeyframeLatentCache::remember(const std::string& id, const at::Tensor& latent) {
    if (auto it = m_memory.find(id); it != m_memory.end()) {
        m_memoryBytes -= static_cast<uint64_t>(it->second.latent.nbytes());
        m_order.erase(it->second.position);
        m_memory.erase(it);
    }
    m_order.push_front(id);
    m_memory.emplace(id, MemoryEntry{latent, m_order.begin()});
    m_memoryBytes += static_cast<uint64_t>(latent.nbytes());
    while (m_memoryBytes > m_maxMemoryBytes && m_order.size() > 1) {
        const auto victim = m_memory.find(m_order.back());
        m_memoryBytes -= static_cast<uint64_t>(victim->second.latent.nbytes());
        m_memory.erase(victim);
        m_order.pop_back();
    }
}

at::Tensor KeyframeLatentCache::find(const KeyframeLatentKey& key) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::string id = key.id();
    const std::string path = entryPath(key);
    std::error_code ec;
    if (auto it = m_memory.find(id); it != m_memory.end()) {
        m_order.splice(m_order.begin(), m_order, it->second.position);
        ++m_stats.memoryHits;
        if (!path.empty() && fs::exists(path, ec)) {
            stampCacheEntry(path, m_lastStampNs); // keeps the disk LRU in step
        }
        return it->second.latent;
    }
    if (!path.empty() && fs::exists(path, ec)) {
        const at::Tensor latent = readEntry(key, path);
        if (latent.defined()) {
            ++m_stats.diskHits;
            stampCacheEntry(path, m_lastStampNs);
            remember(id, latent);
            return latent;
        }
    }
    ++m_stats.misses;
    return {};
}

at::Tensor KeyframeLatentCache::readEntry(const KeyframeLatentKey& key, const std::string& path) {
    std::string problem;
    try {
        const auto file = io::SafetensorsFile::open(path);
        std::map<std::string, std::string> meta = file->metadata();
        const io::TensorInfo* info = file->find(kTensor);
        const auto checksum = meta.find("checksum");
        if (info == nullptr || checksum == meta.end()) {
            problem = "not a keyframe latent entry of this version";
        } else if (entryChecksum(meta, *info, file->data(*info)) != checksum->second) {
            problem = "checksum mismatch: the file is damaged";
        } else {
            meta.erase("checksum");
            if (meta != metadataOf(key)) {
                problem = "written for another key";
            } else {
                at::Tensor latent = file->load(kTensor).clone();
                if (latent.scalar_type() != at::kFloat || latent.dim() != 3 ||
                    latent.size(1) * 8 != key.height || latent.size(2) * 8 != key.width) {
                    problem = "the tensor is not a float32 latent of the key's size";
                } else {
                    return latent;
                }
            }
        }
        problem = path + ": " + problem;
    } catch (const std::exception& e) {
        problem = e.what(); // a truncated or unreadable file
    }
    m_stats.lastProblem = problem;
    ++m_stats.corruptEntries;
    std::error_code ec;
    fs::remove(path, ec);
    return {};
}

void KeyframeLatentCache::store(const KeyframeLatentKey& key, const at::Tensor& latent) {
    if (latent.scalar_type() != at::kFloat || latent.dim() != 3 || !latent.device().is_cpu()) {
        throw std::invalid_argument("keyframe cache: expected a float32 [C, h, w] CPU latent");
    }
    const at::Tensor kept = latent.contiguous().clone();
    std::lock_guard<std::mutex> lock(m_mutex);
    ++m_stats.stored;
    remember(key.id(), kept);
    const std::string path = entryPath(key);
    if (path.empty()) {
        return;
    }
    try {
        fs::create_directories(m_directory);
        std::map<std::string, std::string> meta = metadataOf(key);
        io::TensorInfo info;
        info.dtype = io::DType::F32;
        info.shape = kept.sizes().vec();
        info.begin = 0;
        info.end = static_cast<uint64_t>(kept.nbytes());
        meta["checksum"] = entryChecksum(meta, info, static_cast<const uint8_t*>(kept.data_ptr()));
        io::writeSafetensors(path, {{kTensor, kept}}, meta); // a temp file, then rename
        stampCacheEntry(path, m_lastStampNs);
        const CacheEviction e = evictCacheEntries(m_directory, m_maxDiskBytes, path);
        if (e.keepTooLarge) {
            m_stats.lastProblem = path + ": larger than the disk cache limit, kept in memory only";
        }
    } catch (const std::exception& e) {
        m_stats.lastProblem = e.what();
    }
}

} // namespace engine
} // namespace sfs::inference
