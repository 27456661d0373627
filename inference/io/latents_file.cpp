// A take's latents on disk (sfs/inference/latents_file.h), through the one safetensors reader
// and writer (io/safetensors.h).

#include "sfs/inference/latents_file.h"

#include "io/safetensors.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <limits>
#include <map>
#include <regex>
#include <unistd.h>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFormatName = "sfstudio.latents";
constexpr const char* kTensorName = "latents";

std::string sizeText(const LatentFrameSize& s) {
    return std::to_string(s.channels) + "x" + std::to_string(s.height) + "x" +
           std::to_string(s.width);
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        s += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return s + "]";
}

// A whole decimal number, no sign, no spaces.
std::optional<uint64_t> parseUnsigned(const std::string& text) {
    if (text.empty() || text.size() > 20 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
    if (errno == ERANGE) {
        return std::nullopt;
    }
    return static_cast<uint64_t>(v);
}

uint64_t metadataUnsigned(const std::map<std::string, std::string>& meta, const std::string& key,
                          const std::string& path) {
    const auto it = meta.find(key);
    if (it == meta.end()) {
        throw LatentsFileError(path, "metadata '" + key + "' is missing");
    }
    const std::optional<uint64_t> v = parseUnsigned(it->second);
    if (!v) {
        throw LatentsFileError(path, "metadata '" + key + "' is not a whole number: '" +
                                         it->second + "'");
    }
    return *v;
}

int64_t metadataInt(const std::map<std::string, std::string>& meta, const std::string& key,
                    const std::string& path) {
    const uint64_t v = metadataUnsigned(meta, key, path);
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        throw LatentsFileError(path, "metadata '" + key + "' is out of range");
    }
    return static_cast<int64_t>(v);
}

// "a,,b" -> {"a", "", "b"}; "" -> {""}.
std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts(1);
    for (const char c : text) {
        if (c == sep) {
            parts.emplace_back();
        } else {
            parts.back() += c;
        }
    }
    return parts;
}

LatentsFileError fromWeightsError(const std::string& path, const io::WeightsError& e) {
    return LatentsFileError(
        path, e.tensor().empty() ? e.problem() : "tensor '" + e.tensor() + "': " + e.problem());
}

// One opened and checked file: its frame count, frame size and metadata.
struct CheckedFile {
    std::shared_ptr<io::SafetensorsFile> file;
    int64_t frames = 0;
    LatentFrameSize frameSize;
};

CheckedFile openChecked(const std::string& path, bool requireFormat) {
    CheckedFile c;
    try {
        c.file = io::SafetensorsFile::open(path);
    } catch (const io::WeightsError& e) {
        throw fromWeightsError(path, e);
    }
    const auto& meta = c.file->metadata();
    const auto format = meta.find("format");
    if (format == meta.end()) {
        if (requireFormat) {
            throw LatentsFileError(path, "not a latents file (no format metadata)");
        }
    } else {
        if (format->second != kFormatName) {
            throw LatentsFileError(path, "not a latents file (format '" + format->second + "')");
        }
        const int64_t version = metadataInt(meta, "format_version", path);
        if (version > kLatentsFormatVersion) {
            throw LatentsFileError(path, "format version " + std::to_string(version) +
                                             " is newer than this build reads (" +
                                             std::to_string(kLatentsFormatVersion) + ")");
        }
    }
    const io::TensorInfo* t = c.file->find(kTensorName);
    if (t == nullptr) {
        throw LatentsFileError(path, "no tensor 'latents'");
    }
    if (t->dtype != io::DType::F32) {
        throw LatentsFileError(path, std::string("wrong dtype: tensor 'latents' is ") +
                                         io::dtypeName(t->dtype) + ", expected F32 (float32)");
    }
    if (t->shape.size() != 4 || t->shape[0] < 1 || t->shape[1] < 1 || t->shape[2] < 1 ||
        t->shape[3] < 1) {
        throw LatentsFileError(path, "wrong shape: tensor 'latents' is " + shapeText(t->shape) +
                                         ", expected [frames, channels, height, width]");
    }
    c.frames = t->shape[0];
    c.frameSize = {t->shape[1], t->shape[2], t->shape[3]};
    if (format != meta.end()) {
        if (metadataInt(meta, "frames", path) != c.frames) {
            throw LatentsFileError(path, "metadata 'frames' says " + meta.at("frames") +
                                             " but tensor 'latents' has " +
                                             std::to_string(c.frames));
        }
        const auto size = meta.find("latent_size");
        if (size == meta.end() || size->second != sizeText(c.frameSize)) {
            throw LatentsFileError(path, "metadata 'latent_size' does not match tensor 'latents' " +
                                             shapeText(t->shape));
        }
    }
    return c;
}

void checkFrameSize(const std::string& path, const LatentFrameSize& got,
                    const LatentFrameSize& want, const std::string& whose) {
    if (got != want) {
        throw LatentsFileError(path, "wrong shape: latent frames are " + sizeText(got) + ", " +
                                         whose + " are " + sizeText(want));
    }
}

// The chunk files of a folder by index (temporary and other files ignored).
std::map<int64_t, std::string> listChunks(const std::string& folder) {
    static const std::regex pattern(R"(chunk-(\d{1,18})\.safetensors)");
    std::map<int64_t, std::string> chunks;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        std::smatch m;
        if (std::regex_match(name, m, pattern)) {
            chunks[std::stoll(m[1])] = entry.path().string();
        }
    }
    if (ec) {
        throw LatentsFileError(folder, "cannot list the folder: " + ec.message());
    }
    return chunks;
}

struct ChunkFile {
    std::string path;
    CheckedFile checked;
};

// Chunks 0 .. limit-1 of a folder, checked and consecutive.
std::vector<ChunkFile> openChunks(const std::string& folder, TakeLatentsInfo& info, int64_t limit) {
    const std::map<int64_t, std::string> listed = listChunks(folder);
    std::vector<ChunkFile> files;
    for (const auto& [index, path] : listed) {
        if (index >= limit) {
            break;
        }
        if (index != static_cast<int64_t>(files.size())) {
            throw LatentsFileError(folder, "chunk " + std::to_string(files.size()) +
                                               " is missing but " +
                                               fs::path(path).filename().string() + " exists");
        }
        CheckedFile c = openChecked(path, true);
        const auto& meta = c.file->metadata();
        if (metadataInt(meta, "chunk_index", path) != index) {
            throw LatentsFileError(path, "metadata 'chunk_index' says " + meta.at("chunk_index") +
                                             ", the file name " + std::to_string(index));
        }
        const int64_t first = metadataInt(meta, "first_frame", path);
        if (first != info.frames()) {
            throw LatentsFileError(path, "chunk starts at latent frame " + std::to_string(first) +
                                             " but the chunks before it end at " +
                                             std::to_string(info.frames()));
        }
        if (files.empty()) {
            info.frameSize = c.frameSize;
        } else {
            checkFrameSize(path, c.frameSize, info.frameSize, "chunk 0's");
        }
        info.chunks.push_back({first, c.frames, metadataUnsigned(meta, "seed", path)});
        files.push_back({path, std::move(c)});
    }
    return files;
}

// A whole file's chunk list from its metadata (one chunk of unknown seed without it).
std::vector<LatentChunk> wholeFileChunks(const CheckedFile& c, const std::string& path) {
    const auto& meta = c.file->metadata();
    const auto bounds = meta.find("chunk_boundaries");
    if (bounds == meta.end()) {
        return {{0, c.frames, std::nullopt}};
    }
    std::vector<int64_t> b;
    for (const std::string& part : split(bounds->second, ',')) {
        const std::optional<uint64_t> v = parseUnsigned(part);
        if (!v || (!b.empty() && static_cast<int64_t>(*v) <= b.back())) {
            throw LatentsFileError(path, "metadata 'chunk_boundaries' is not an increasing list "
                                         "of frames: '" +
                                             bounds->second + "'");
        }
        b.push_back(static_cast<int64_t>(*v));
    }
    if (b.size() < 2 || b.front() != 0 || b.back() != c.frames) {
        throw LatentsFileError(path, "metadata 'chunk_boundaries' does not run from 0 to the " +
                                         std::to_string(c.frames) + " frames: '" + bounds->second +
                                         "'");
    }
    const auto seedsIt = meta.find("chunk_seeds");
    const std::vector<std::string> seeds = seedsIt == meta.end()
                                               ? std::vector<std::string>(b.size() - 1)
                                               : split(seedsIt->second, ',');
    if (seeds.size() != b.size() - 1) {
        throw LatentsFileError(path, "metadata 'chunk_seeds' has " + std::to_string(seeds.size()) +
                                         " entries for " + std::to_string(b.size() - 1) +
                                         " chunks");
    }
    std::vector<LatentChunk> chunks;
    for (size_t k = 0; k + 1 < b.size(); ++k) {
        std::optional<uint64_t> seed;
        if (!seeds[k].empty()) {
            seed = parseUnsigned(seeds[k]);
            if (!seed) {
                throw LatentsFileError(path, "metadata 'chunk_seeds' entry " + std::to_string(k) +
                                                 " is not a seed: '" + seeds[k] + "'");
            }
        }
        chunks.push_back({b[k], b[k + 1] - b[k], seed});
    }
    return chunks;
}

void copyValues(const CheckedFile& c, const std::string& path, float* dst) {
    try {
        const at::Tensor t = c.file->load(kTensorName, at::kFloat).contiguous();
        std::memcpy(dst, t.data_ptr<float>(), static_cast<size_t>(t.numel()) * sizeof(float));
    } catch (const io::WeightsError& e) {
        throw fromWeightsError(path, e);
    }
}

void syncFolder(const std::string& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int e = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        throw LatentsFileError(folder, std::string("cannot sync the folder: ") + std::strerror(e));
    }
    ::close(fd);
}

std::map<std::string, std::string> commonMetadata(int64_t frames, const LatentFrameSize& size) {
    return {{"format", kFormatName},
            {"format_version", std::to_string(kLatentsFormatVersion)},
            {"frames", std::to_string(frames)},
            {"latent_size", sizeText(size)}};
}

void writeTensor(const std::string& path, const float* values, int64_t frames,
                 const LatentFrameSize& size, const std::map<std::string, std::string>& meta) {
    const at::Tensor t =
        at::from_blob(const_cast<float*>(values), {frames, size.channels, size.height, size.width},
                      at::TensorOptions().dtype(at::kFloat));
    try {
        io::writeSafetensors(path, {{kTensorName, t}}, meta);
    } catch (const io::WeightsError& e) {
        throw fromWeightsError(path, e);
    }
    const fs::path parent = fs::absolute(fs::path(path)).parent_path();
    syncFolder(parent.string());
}

void checkFrameSizeValid(const std::string& path, const LatentFrameSize& size) {
    if (size.channels < 1 || size.height < 1 || size.width < 1) {
        throw LatentsFileError(path, "latent frame size " + sizeText(size) + " is empty");
    }
}

TakeLatents readTake(const std::string& path, bool withValues) {
    TakeLatents take;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const std::vector<ChunkFile> files =
            openChunks(path, take.info, std::numeric_limits<int64_t>::max());
        if (withValues) {
            take.values.resize(
                static_cast<size_t>(take.info.frames() * take.info.frameSize.numel()));
            for (size_t k = 0; k < files.size(); ++k) {
                copyValues(files[k].checked, files[k].path,
                           take.values.data() +
                               take.info.chunks[k].firstFrame * take.info.frameSize.numel());
            }
        }
        return take;
    }
    const CheckedFile c = openChecked(path, false);
    take.info.frameSize = c.frameSize;
    take.info.chunks = wholeFileChunks(c, path);
    if (withValues) {
        take.values.resize(static_cast<size_t>(c.frames * c.frameSize.numel()));
        copyValues(c, path, take.values.data());
    }
    return take;
}

} // namespace

TakeLatents readTakeLatents(const std::string& path) {
    return readTake(path, true);
}

TakeLatentsInfo readTakeLatentsInfo(const std::string& path) {
    return readTake(path, false).info;
}

void writeLatentsFile(const std::string& path, const TakeLatents& take) {
    const TakeLatentsInfo& info = take.info;
    checkFrameSizeValid(path, info.frameSize);
    std::vector<LatentChunk> chunks = info.chunks;
    const int64_t frames = chunks.empty()
                               ? static_cast<int64_t>(take.values.size()) / info.frameSize.numel()
                               : info.frames();
    if (chunks.empty()) {
        chunks.push_back({0, frames, std::nullopt});
    }
    if (frames < 1 || static_cast<int64_t>(take.values.size()) != frames * info.frameSize.numel()) {
        throw LatentsFileError(path, "cannot write " + std::to_string(take.values.size()) +
                                         " values as whole latent frames of " +
                                         sizeText(info.frameSize));
    }
    std::string bounds = "0", seeds;
    int64_t next = 0;
    for (size_t k = 0; k < chunks.size(); ++k) {
        if (chunks[k].firstFrame != next || chunks[k].frames < 1) {
            throw LatentsFileError(path, "chunk " + std::to_string(k) +
                                             " does not follow the chunks before it");
        }
        next += chunks[k].frames;
        bounds += "," + std::to_string(next);
        seeds += (k ? "," : "") + (chunks[k].seed ? std::to_string(*chunks[k].seed) : "");
    }
    std::map<std::string, std::string> meta = commonMetadata(frames, info.frameSize);
    meta["chunk_boundaries"] = bounds;
    meta["chunk_seeds"] = seeds;
    writeTensor(path, take.values.data(), frames, info.frameSize, meta);
}

void writeKeyframeLatentFile(const std::string& path, const LatentFrameSize& size,
                             const std::vector<float>& values) {
    checkFrameSizeValid(path, size);
    if (static_cast<int64_t>(values.size()) != size.numel()) {
        throw LatentsFileError(path, "cannot write " + std::to_string(values.size()) +
                                         " values as one latent of " + sizeText(size));
    }
    const at::Tensor t =
        at::from_blob(const_cast<float*>(values.data()), {size.channels, size.height, size.width},
                      at::TensorOptions().dtype(at::kFloat));
    try {
        io::writeSafetensors(path, {{"latent", t}}, {{"format", "sfstudio-keyframe-latent"}});
    } catch (const io::WeightsError& e) {
        throw fromWeightsError(path, e);
    }
    syncFolder(fs::absolute(fs::path(path)).parent_path().string());
}

std::string TakeLatentsWriter::chunkPath(const std::string& folder, int64_t index) {
    char name[48];
    std::snprintf(name, sizeof name, "chunk-%05lld.safetensors", static_cast<long long>(index));
    return (fs::path(folder) / name).string();
}

TakeLatentsWriter::TakeLatentsWriter(std::string folder, LatentFrameSize frameSize,
                                     int64_t keepChunks)
    : m_folder(std::move(folder)) {
    checkFrameSizeValid(m_folder, frameSize);
    std::error_code ec;
    fs::create_directories(m_folder, ec);
    if (ec || !fs::is_directory(m_folder)) {
        throw LatentsFileError(m_folder, "cannot create the latents folder" +
                                             (ec ? ": " + ec.message() : std::string()));
    }
    openChunks(m_folder, m_info, keepChunks);
    if (static_cast<int64_t>(m_info.chunks.size()) < keepChunks) {
        throw LatentsFileError(m_folder, "holds " + std::to_string(m_info.chunks.size()) +
                                             " chunks, " + std::to_string(keepChunks) +
                                             " were to be kept");
    }
    if (!m_info.chunks.empty()) {
        checkFrameSize(m_folder, frameSize, m_info.frameSize, "the kept chunks'");
    }
    m_info.frameSize = frameSize;

    // Later chunks go, the last first; then leftovers of interrupted writes.
    const std::map<int64_t, std::string> listed = listChunks(m_folder);
    for (auto it = listed.rbegin(); it != listed.rend() && it->first >= keepChunks; ++it) {
        if (!fs::remove(it->second, ec) && ec) {
            throw LatentsFileError(it->second, "cannot remove: " + ec.message());
        }
    }
    static const std::regex temporary(R"(chunk-\d+\.safetensors\.tmp-.*)");
    for (const auto& entry : fs::directory_iterator(m_folder, ec)) {
        if (std::regex_match(entry.path().filename().string(), temporary)) {
            fs::remove(entry.path(), ec);
        }
    }
    syncFolder(m_folder);
}

void TakeLatentsWriter::append(const float* values, int64_t frames, uint64_t seed) {
    const int64_t index = static_cast<int64_t>(m_info.chunks.size());
    const std::string path = chunkPath(m_folder, index);
    if (values == nullptr || frames < 1) {
        throw LatentsFileError(path, "a chunk needs at least one latent frame");
    }
    std::map<std::string, std::string> meta = commonMetadata(frames, m_info.frameSize);
    meta["chunk_index"] = std::to_string(index);
    meta["first_frame"] = std::to_string(m_info.frames());
    meta["seed"] = std::to_string(seed);
    writeTensor(path, values, frames, m_info.frameSize, meta);
    m_info.chunks.push_back({m_info.frames(), frames, seed});
}

} // namespace sfs::inference
