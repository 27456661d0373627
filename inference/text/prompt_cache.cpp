#include "text/prompt_cache.h"

#include "io/dtype.h"
#include "io/safetensors.h"
#include "runtime/cache_dir.h"
#include "sfs/inference/text.h"
#include "text/content_hash.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace sfs::inference {

std::string defaultPromptCacheDir() {
    return userCacheDir("prompts");
}

namespace text {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "sfstudio.prompt_embeds.v1";
constexpr const char* kTensor = "prompt_embeds";

// The checksum of an entry: its key fields, the tensor's type and shape, and its bytes.
std::string entryChecksum(const std::map<std::string, std::string>& meta,
                          const io::TensorInfo& info, const uint8_t* data) {
    Hash64 h(0x5f5);
    for (const char* field : {"format", "encoder", "text", "text_len", "dtype", "length"}) {
        const auto it = meta.find(field);
        const std::string value = it == meta.end() ? "" : it->second;
        h.update(value.data(), value.size() + 1); // with the terminating NUL as separator
    }
    const std::string type = io::dtypeName(info.dtype);
    h.update(type);
    for (int64_t d : info.shape) {
        h.update(&d, sizeof d);
    }
    h.update(data, info.byteSize());
    return toHex(h.digest());
}

// Validates an entry file (structure, checksum) and returns its metadata and rows.
std::pair<std::map<std::string, std::string>, at::Tensor> readChecked(const std::string& path) {
    const auto file = io::SafetensorsFile::open(path);
    const auto& meta = file->metadata();
    const io::TensorInfo* info = file->find(kTensor);
    if (info == nullptr) {
        throw io::WeightsError(path, kTensor, "missing");
    }
    if (meta.count("checksum") != 0 &&
        entryChecksum(meta, *info, file->data(*info)) != meta.at("checksum")) {
        throw io::WeightsError(path, kTensor, "checksum mismatch: the file is damaged");
    }
    return {meta, file->load(kTensor).clone()};
}

} // namespace

std::string PromptCacheKey::id() const {
    Hash64 h(0x7e7);
    for (const std::string& s : {encoderHash, cleanedText, std::to_string(textLen), dtype}) {
        h.update(s.data(), s.size() + 1);
    }
    return toHex(h.digest());
}

PromptCache::PromptCache(PromptCacheOptions options) : m_options(std::move(options)) {}

std::string PromptCache::entryPath(const PromptCacheKey& key) const {
    if (m_options.directory.empty()) {
        return {};
    }
    return m_options.directory + "/" + key.id() + ".safetensors";
}

PromptCacheStats PromptCache::stats() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_stats;
}

at::Tensor PromptCache::padded(const MemoryEntry& e) const {
    const int64_t pad = e.textLen - e.rows.size(0);
    return pad > 0 ? at::constant_pad_nd(e.rows, {0, 0, 0, pad}) : e.rows.clone();
}

void PromptCache::remember(const std::string& id, at::Tensor rows, int64_t textLen) {
    if (auto it = m_memory.find(id); it != m_memory.end()) {
        m_memoryBytes -= it->second.bytes;
        m_order.erase(it->second.position);
        m_memory.erase(it);
    }
    MemoryEntry e;
    e.bytes = static_cast<uint64_t>(rows.numel()) * rows.element_size();
    e.rows = std::move(rows);
    e.textLen = textLen;
    m_order.push_front(id);
    e.position = m_order.begin();
    m_memoryBytes += e.bytes;
    m_memory.emplace(id, std::move(e));
    while (m_memoryBytes > m_options.maxMemoryBytes && !m_order.empty()) {
        const auto victim = m_memory.find(m_order.back());
        m_memoryBytes -= victim->second.bytes;
        m_memory.erase(victim);
        m_order.pop_back();
        ++m_stats.evictedFromMemory;
    }
}

at::Tensor PromptCache::find(const PromptCacheKey& key) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::string id = key.id();
    if (auto it = m_memory.find(id); it != m_memory.end()) {
        m_order.splice(m_order.begin(), m_order, it->second.position);
        ++m_stats.memoryHits;
        const std::string path = entryPath(key);
        if (!path.empty() && fs::exists(path)) {
            touch(path); // keeps the disk LRU in step
        }
        return padded(it->second);
    }
    const std::string path = entryPath(key);
    if (!path.empty() && fs::exists(path)) {
        const at::Tensor rows = readEntry(key, path);
        if (rows.defined()) {
            ++m_stats.diskHits;
            touch(path);
            remember(id, rows, key.textLen);
            return padded(m_memory.at(id));
        }
    }
    ++m_stats.misses;
    return {};
}

at::Tensor PromptCache::readEntry(const PromptCacheKey& key, const std::string& path) {
    try {
        auto [meta, rows] = readChecked(path);
        const auto field = [&meta = meta](const char* name) {
            const auto it = meta.find(name);
            return it == meta.end() ? std::string() : it->second;
        };
        std::string problem;
        if (field("format") != kFormat || field("checksum").empty()) {
            problem = "not a prompt cache entry of this version";
        } else if (field("encoder") != key.encoderHash || field("text") != key.cleanedText ||
                   field("text_len") != std::to_string(key.textLen) ||
                   field("dtype") != key.dtype) {
            problem = "written for another key";
        } else if (rows.dim() != 2 || rows.size(0) > key.textLen ||
                   field("length") != std::to_string(rows.size(0))) {
            problem = "tensor shape does not match its metadata";
        }
        if (problem.empty()) {
            return rows;
        }
        m_stats.lastProblem = path + ": " + problem;
    } catch (const std::exception& e) {
        m_stats.lastProblem = e.what();
    }
    ++m_stats.corruptEntries;
    std::error_code ec;
    fs::remove(path, ec);
    return {};
}

void PromptCache::store(const PromptCacheKey& key, const at::Tensor& embeddings, int64_t length) {
    if (embeddings.dim() != 2 || embeddings.size(0) != key.textLen || length < 0 ||
        length > key.textLen) {
        throw std::invalid_argument("prompt cache: expected embeddings [" +
                                    std::to_string(key.textLen) + ", dim] and a length up to " +
                                    std::to_string(key.textLen));
    }
    const at::Tensor rows = embeddings.narrow(0, 0, length).to(at::kCPU).contiguous().clone();
    std::lock_guard<std::mutex> lock(m_mutex);
    ++m_stats.stored;
    remember(key.id(), rows, key.textLen);
    const std::string path = entryPath(key);
    if (path.empty()) {
        return;
    }
    try {
        writeEntry(key, rows, path);
        evictDisk(path);
    } catch (const std::exception& e) {
        m_stats.lastProblem = e.what();
    }
}

void PromptCache::writeEntry(const PromptCacheKey& key, const at::Tensor& rows,
                             const std::string& path) {
    fs::create_directories(m_options.directory);
    std::map<std::string, std::string> meta = {
        {"format", kFormat},       {"encoder", key.encoderHash},
        {"text", key.cleanedText}, {"text_len", std::to_string(key.textLen)},
        {"dtype", key.dtype},      {"length", std::to_string(rows.size(0))},
    };
    const auto dt = io::dtypeFromScalarType(rows.scalar_type());
    if (!dt) {
        throw std::invalid_argument("prompt cache: cannot store " +
                                    std::string(c10::toString(rows.scalar_type())));
    }
    io::TensorInfo info;
    info.dtype = *dt;
    info.shape = rows.sizes().vec();
    info.begin = 0;
    info.end = static_cast<uint64_t>(rows.numel()) * rows.element_size();
    meta["checksum"] = entryChecksum(meta, info, static_cast<const uint8_t*>(rows.data_ptr()));
    io::writeSafetensors(path, {{kTensor, rows}}, meta);
    touch(path);
}

void PromptCache::touch(const std::string& path) {
    stampCacheEntry(path, m_lastStampNs);
}

uint64_t PromptCache::diskBytes() const {
    uint64_t total = 0;
    std::error_code ec;
    if (m_options.directory.empty() || !fs::is_directory(m_options.directory, ec)) {
        return 0;
    }
    for (const auto& entry : fs::directory_iterator(m_options.directory, ec)) {
        if (isCacheEntryName(entry.path().filename().string()) && entry.is_regular_file(ec)) {
            total += entry.file_size(ec);
        }
    }
    return total;
}

void PromptCache::evictDisk(const std::string& keep) {
    const CacheEviction e = evictCacheEntries(m_options.directory, m_options.maxDiskBytes, keep);
    m_stats.evictedFromDisk += e.evicted;
    if (e.keepTooLarge) {
        m_stats.lastProblem = keep + ": larger than the disk cache limit, kept in memory only";
    }
}

at::Tensor loadPromptEmbeddings(const std::string& path, int64_t textLen, int64_t dim) {
    auto [meta, t] = readChecked(path); // throws WeightsError naming the file
    if (t.dim() == 3 && t.size(0) == 1) {
        t = t.squeeze(0);
    }
    if (t.dim() != 2 || !at::isFloatingType(t.scalar_type())) {
        throw io::WeightsError(path, kTensor,
                               "expected floating-point [length, dim] or [1, length, dim], got " +
                                   std::string(c10::toString(t.scalar_type())) + " " +
                                   c10::str(t.sizes()));
    }
    if (t.size(0) > textLen) {
        throw io::WeightsError(path, kTensor,
                               std::to_string(t.size(0)) + " rows, more than the text length " +
                                   std::to_string(textLen));
    }
    if (dim > 0 && t.size(1) != dim) {
        throw io::WeightsError(path, kTensor,
                               "width " + std::to_string(t.size(1)) + ", the model needs " +
                                   std::to_string(dim));
    }
    return at::constant_pad_nd(t, {0, 0, 0, textLen - t.size(0)});
}

} // namespace text
} // namespace sfs::inference
