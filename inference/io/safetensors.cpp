#include "io/safetensors.h"

#include "io/json.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
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

std::string shapeString(const std::vector<int64_t>& shape) {
    std::ostringstream s;
    s << "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        s << (i ? ", " : "") << shape[i];
    }
    s << "]";
    return s.str();
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
            throw bad("shape " + shapeString(t.shape) + " is too large");
        }
        expected *= ud;
    }
    if (expected != t.byteSize()) {
        throw bad("shape " + shapeString(t.shape) + " of " + dtypeName(t.dtype) + " needs " +
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

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw WeightsError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw WeightsError(path, "", "not a regular file");
    }
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size < 8) {
        ::close(fd);
        throw WeightsError(path, "",
                           "not a safetensors file: shorter than the 8-byte header length");
    }
    // Private, writable mapping: tensors that view it may be modified in place without ever
    // touching the file (copy-on-write).
    void* map = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
        throw WeightsError(path, "", std::string("cannot map: ") + std::strerror(errno));
    }
    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->m_path = path;
    file->m_size = size;
    file->m_map = map;
    file->m_header = parseSafetensorsHeader(static_cast<const uint8_t*>(map),
                                            static_cast<size_t>(size), size, path);
    for (size_t i = 0; i < file->m_header.tensors.size(); ++i) {
        file->m_index[file->m_header.tensors[i].name] = i;
    }
    return file;
}

SafetensorsFile::~SafetensorsFile() {
    if (m_map != nullptr) {
        ::munmap(m_map, m_size);
    }
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_header.tensors[it->second];
}

const TensorInfo& SafetensorsFile::info(const std::string& name) const {
    if (const TensorInfo* t = find(name)) {
        return *t;
    }
    throw WeightsError(m_path, name, "no such tensor in the file");
}

const uint8_t* SafetensorsFile::data(const TensorInfo& t) const {
    return static_cast<const uint8_t*>(m_map) + m_header.dataOffset + t.begin;
}

at::Tensor SafetensorsFile::load(const std::string& name, std::optional<at::ScalarType> dtype,
                                 c10::Device device) const {
    const TensorInfo& t = info(name);
    const at::ScalarType stored = storageScalarType(t.dtype);
    const at::ScalarType target = dtype.value_or(stored);
    const uint8_t* src = data(t);

    at::Tensor host;
    if (isFloat8(t.dtype)) {
        const auto& table = t.dtype == DType::F8_E4M3 ? float8E4M3Table() : float8E5M2Table();
        host = at::empty(t.shape, at::TensorOptions().dtype(at::kFloat));
        float* out = host.data_ptr<float>();
        const int64_t n = t.numel();
        for (int64_t i = 0; i < n; ++i) {
            out[i] = table[src[i]];
        }
    } else if (t.numel() == 0) {
        host = at::empty(t.shape, at::TensorOptions().dtype(stored));
    } else if (reinterpret_cast<uintptr_t>(src) % dtypeSize(t.dtype) == 0) {
        // Zero-copy view of the mapping; the deleter keeps the mapping alive.
        auto keepAlive = shared_from_this();
        host = at::from_blob(
            const_cast<uint8_t*>(src), t.shape, [keepAlive](void*) {},
            at::TensorOptions().dtype(stored));
    } else {
        host = at::empty(t.shape, at::TensorOptions().dtype(stored));
        std::memcpy(host.data_ptr(), src, t.byteSize());
    }
    if (host.scalar_type() == target && device.is_cpu()) {
        return host;
    }
    return host.to(device, target);
}

void writeSafetensors(const std::string& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<at::Tensor> payloads;
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
    for (const auto& [name, tensor] : tensors) {
        const auto dt = dtypeFromScalarType(tensor.scalar_type());
        if (!dt) {
            throw WeightsError(path, name, "cannot store this tensor type in safetensors");
        }
        at::Tensor c = tensor.detach().to(at::kCPU).contiguous();
        const uint64_t bytes = static_cast<uint64_t>(c.numel()) * dtypeSize(*dt);
        header << (first ? "" : ",") << "\"" << jsonEscape(name) << "\":{\"dtype\":\""
               << dtypeName(*dt) << "\",\"shape\":" << shapeString(c.sizes().vec())
               << ",\"data_offsets\":[" << offset << "," << offset + bytes << "]}";
        first = false;
        offset += bytes;
        payloads.push_back(c);
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
    for (const at::Tensor& c : payloads) {
        const size_t bytes = static_cast<size_t>(c.numel()) * c.element_size();
        ok = ok && (bytes == 0 || std::fwrite(c.data_ptr(), 1, bytes, f) == bytes);
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

} // namespace sfs::inference::io
