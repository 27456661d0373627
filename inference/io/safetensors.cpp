#include "io/safetensors.h"

#include "io/json.h"
#include "io/stored_tensor.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace sfs::inference::io {

namespace {

uint64_t readU64LE(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) {
        v = (v << 8) | p[i];
    }
    return v;
}

std::string jsonEscape(const std::string& in) {
    std::string out;
    out.reserve(in.size() + 2);
    for (const char c : in) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

TensorInfo parseTensorEntry(const std::string& name, const json::Value& v, uint64_t dataSize,
                            const std::string& path) {
    auto bad = [&](const std::string& problem) { return WeightsError(path, name, problem); };
    if (!v.isObject()) {
        throw bad("header entry is not an object");
    }
    TensorInfo t;
    t.name = name;
    const json::Value* dtype = v.find("dtype");
    if (dtype == nullptr || !dtype->isString()) {
        throw bad("missing or non-string \"dtype\"");
    }
    const auto parsed = dtypeFromName(dtype->asString());
    if (!parsed) {
        throw bad("unknown dtype \"" + dtype->asString() + "\"");
    }
    t.dtype = *parsed;

    const json::Value* shape = v.find("shape");
    if (shape == nullptr || !shape->isArray()) {
        throw bad("missing or non-array \"shape\"");
    }
    for (const json::Value& d : shape->asArray()) {
        if (!d.isInteger() || d.asInt() < 0) {
            throw bad("shape entries must be non-negative integers");
        }
        t.shape.push_back(d.asInt());
    }

    const json::Value* offsets = v.find("data_offsets");
    if (offsets == nullptr || !offsets->isArray() || offsets->size() != 2) {
        throw bad("\"data_offsets\" must be an array [begin, end]");
    }
    const auto& o = offsets->asArray();
    if (!o[0].isInteger() || !o[1].isInteger() || o[0].asInt() < 0 || o[1].asInt() < 0) {
        throw bad("\"data_offsets\" must hold non-negative integers");
    }
    t.begin = static_cast<uint64_t>(o[0].asInt());
    t.end = static_cast<uint64_t>(o[1].asInt());
    if (t.begin > t.end) {
        throw bad("data_offsets begin " + std::to_string(t.begin) + " > end " +
                  std::to_string(t.end));
    }
    if (t.end > dataSize) {
        throw bad("data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                  "] run past the data area of " + std::to_string(dataSize) +
                  " bytes (truncated file?)");
    }
    // numel * element size must equal the span, without overflow.
    uint64_t expected = dtypeSize(t.dtype);
    for (const int64_t d : t.shape) {
        const auto ud = static_cast<uint64_t>(d);
        if (ud != 0 && expected > std::numeric_limits<uint64_t>::max() / ud) {
            throw bad("shape " + shapeText(t.shape) + " is too large");
        }
        expected *= ud;
    }
    if (expected != t.byteSize()) {
        throw bad("shape " + shapeText(t.shape) + " of " + dtypeName(t.dtype) + " needs " +
                  std::to_string(expected) + " bytes but data_offsets span " +
                  std::to_string(t.byteSize()));
    }
    return t;
}

} // namespace

WeightsError::WeightsError(const std::string& file, const std::string& tensor,
                           const std::string& problem)
    : std::runtime_error(file + ": " + (tensor.empty() ? "" : "tensor '" + tensor + "': ") +
                         problem),
      m_file(file), m_tensor(tensor), m_problem(problem) {}

int64_t TensorInfo::numel() const {
    int64_t n = 1;
    for (const int64_t d : shape) {
        n *= d;
    }
    return n;
}

SafetensorsHeader parseSafetensorsHeader(const uint8_t* data, size_t available, uint64_t fileSize,
                                         const std::string& path) {
    if (fileSize < 8 || available < 8) {
        throw WeightsError(path, "",
                           "not a safetensors file: shorter than the 8-byte header length");
    }
    const uint64_t headerLen = readU64LE(data);
    if (headerLen > kMaxSafetensorsHeaderBytes) {
        throw WeightsError(path, "",
                           "header length " + std::to_string(headerLen) +
                               " exceeds the 100 MB limit (not a safetensors file?)");
    }
    if (headerLen > fileSize - 8) {
        throw WeightsError(path, "",
                           "header length " + std::to_string(headerLen) +
                               " runs past the end of the file (" + std::to_string(fileSize) +
                               " bytes; truncated?)");
    }
    if (headerLen > available - 8) {
        throw WeightsError(path, "", "header not fully available");
    }
    const std::string_view text(reinterpret_cast<const char*>(data + 8),
                                static_cast<size_t>(headerLen));
    size_t badUtf8 = 0;
    if (!json::isValidUtf8(text, &badUtf8)) {
        throw WeightsError(path, "",
                           "header is not valid UTF-8 (byte " + std::to_string(8 + badUtf8) + ")");
    }
    json::Value root;
    try {
        root = json::parse(text);
    } catch (const json::ParseError& e) {
        throw WeightsError(path, "", std::string("header is not valid JSON: ") + e.what());
    }
    if (!root.isObject()) {
        throw WeightsError(path, "", "header is not a JSON object");
    }

    SafetensorsHeader header;
    header.dataOffset = 8 + headerLen;
    header.dataSize = fileSize - header.dataOffset;
    for (const auto& [name, value] : root.asObject()) {
        if (name == "__metadata__") {
            if (!value.isObject()) {
                throw WeightsError(path, "", "__metadata__ is not an object");
            }
            for (const auto& [k, v] : value.asObject()) {
                if (!v.isString()) {
                    throw WeightsError(path, "",
                                       "__metadata__ value of \"" + k + "\" is not a string");
                }
                header.metadata[k] = v.asString();
            }
            continue;
        }
        header.tensors.push_back(parseTensorEntry(name, value, header.dataSize, path));
    }

    // Spans may not overlap (zero-sized tensors occupy nothing).
    std::vector<const TensorInfo*> byOffset;
    for (const TensorInfo& t : header.tensors) {
        if (t.byteSize() > 0) {
            byOffset.push_back(&t);
        }
    }
    std::sort(byOffset.begin(), byOffset.end(),
              [](const TensorInfo* a, const TensorInfo* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        if (byOffset[i]->begin < byOffset[i - 1]->end) {
            throw WeightsError(path, byOffset[i]->name,
                               "data overlaps tensor '" + byOffset[i - 1]->name + "'");
        }
    }
    return header;
}

SafetensorsFile::SafetensorsFile(std::shared_ptr<MappedFile> file) : m_file(std::move(file)) {
    const uint64_t size = m_file->size();
    if (size < 8) {
        throw WeightsError(m_file->path(), "",
                           "not a safetensors file: shorter than the 8-byte header length");
    }
    m_header =
        parseSafetensorsHeader(m_file->data(), static_cast<size_t>(size), size, m_file->path());
    for (size_t i = 0; i < m_header.tensors.size(); ++i) {
        m_index[m_header.tensors[i].name] = i;
    }
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    return std::shared_ptr<SafetensorsFile>(new SafetensorsFile(MappedFile::open(path)));
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::fromBytes(const uint8_t* data, size_t size,
                                                            const std::string& name) {
    return std::shared_ptr<SafetensorsFile>(
        new SafetensorsFile(MappedFile::fromBytes(data, size, name)));
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_header.tensors[it->second];
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
    if (const TensorInfo* t = find(name)) {
        return *t;
    }
    throw WeightsError(path(), name, "no such tensor in the file");
}

const uint8_t* SafetensorsFile::data(const TensorInfo& t) const {
    return m_file->data() + m_header.dataOffset + t.begin;
}

at::Tensor SafetensorsFile::load(const std::string& name, std::optional<at::ScalarType> dtype,
                                 c10::Device device, bool* aliasesFile) const {
    const TensorInfo& t = info(name);
    StoredTensor stored;
    stored.dtype = t.dtype;
    stored.shape = t.shape;
    stored.storageBegin = m_header.dataOffset + t.begin;
    stored.storageBytes = t.byteSize();
    return loadStoredTensor(m_file, stored, dtype, device, aliasesFile);
}

void SafetensorsFile::releasePages(const TensorInfo& t) const {
    m_file->releasePages(m_header.dataOffset + t.begin, t.byteSize());
}

void writeSafetensors(const std::string& path, const std::vector<SafetensorsEntry>& entries,
                      const std::function<at::Tensor(size_t)>& produce,
                      const std::map<std::string, std::string>& metadata) {
    std::ostringstream header;
    header << "{";
    bool first = true;
    if (!metadata.empty()) {
        header << "\"__metadata__\":{";
        bool firstMeta = true;
        for (const auto& [k, v] : metadata) {
            header << (firstMeta ? "" : ",") << "\"" << jsonEscape(k) << "\":\"" << jsonEscape(v)
                   << "\"";
            firstMeta = false;
        }
        header << "}";
        first = false;
    }
    uint64_t offset = 0;
    std::vector<uint64_t> sizes;
    for (const SafetensorsEntry& e : entries) {
        const auto dt = dtypeFromScalarType(e.dtype);
        if (!dt) {
            throw WeightsError(path, e.name, "cannot store this tensor type in safetensors");
        }
        uint64_t bytes = dtypeSize(*dt);
        for (const int64_t d : e.shape) {
            bytes *= static_cast<uint64_t>(d);
        }
        header << (first ? "" : ",") << "\"" << jsonEscape(e.name) << "\":{\"dtype\":\""
               << dtypeName(*dt) << "\",\"shape\":" << shapeText(e.shape) << ",\"data_offsets\":["
               << offset << "," << offset + bytes << "]}";
        first = false;
        offset += bytes;
        sizes.push_back(bytes);
    }
    header << "}";
    std::string text = header.str();
    while ((8 + text.size()) % 8 != 0) {
        text += ' '; // the data area starts 8-byte aligned
    }

    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        throw WeightsError(path, "", std::string("cannot write: ") + std::strerror(errno));
    }
    bool ok = true;
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) {
        len[i] = static_cast<uint8_t>((static_cast<uint64_t>(text.size()) >> (8 * i)) & 0xFF);
    }
    ok = ok && std::fwrite(len, 1, 8, f) == 8;
    ok = ok && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    try {
        for (size_t i = 0; i < entries.size() && ok; ++i) {
            const at::Tensor c = produce(i).detach().to(at::kCPU).contiguous();
            if (c.scalar_type() != entries[i].dtype ||
                c.sizes() != at::IntArrayRef(entries[i].shape)) {
                throw WeightsError(path, entries[i].name,
                                   "produced tensor does not match its declared type and shape");
            }
            ok = sizes[i] == 0 || std::fwrite(c.data_ptr(), 1, sizes[i], f) == sizes[i];
        }
    } catch (...) {
        std::fclose(f);
        std::remove(tmp.c_str());
        throw;
    }
    const int savedErrno = errno;
    ok = (std::fflush(f) == 0) && ok;
    ok = (::fsync(fileno(f)) == 0) && ok;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno != 0 ? errno : savedErrno;
        std::remove(tmp.c_str());
        throw WeightsError(path, "", std::string("write failed: ") + std::strerror(e));
    }
}

void writeSafetensors(const std::string& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<SafetensorsEntry> entries;
    for (const auto& [name, tensor] : tensors) {
        entries.push_back({name, tensor.scalar_type(), tensor.sizes().vec()});
    }
    writeSafetensors(
        path, entries, [&tensors](size_t i) { return tensors[i].second; }, metadata);
}

} // namespace sfs::inference::io
