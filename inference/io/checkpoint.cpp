#include "io/checkpoint.h"

#include "io/pickle.h"
#include "io/safetensors.h"
#include "io/zip_archive.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>
#include <set>

namespace sfs::inference::io {

namespace {

constexpr size_t kMaxDepth = 32;

std::string keyText(const pickle::Node& key) {
    switch (key.kind) {
    case pickle::Kind::String:
    case pickle::Kind::Bytes:
        return key.text;
    case pickle::Kind::Int:
        return std::to_string(key.integer);
    default:
        return "?";
    }
}

struct Walker {
    const pickle::Document& doc;
    std::vector<std::pair<std::vector<std::string>, uint32_t>> found; // key path, tensor node
    std::set<uint32_t> visited;

    void walk(uint32_t id, std::vector<std::string>& path) {
        const pickle::Node& n = doc.at(id);
        if (n.kind == pickle::Kind::Tensor) {
            found.emplace_back(path, id);
            return;
        }
        const bool container = n.kind == pickle::Kind::Dict || n.kind == pickle::Kind::List ||
                               n.kind == pickle::Kind::Tuple;
        if (!container || path.size() >= kMaxDepth || !visited.insert(id).second) {
            return;
        }
        if (n.kind == pickle::Kind::Dict) {
            for (size_t i = 0; i + 1 < n.items.size(); i += 2) {
                path.push_back(keyText(doc.at(n.items[i])));
                walk(n.items[i + 1], path);
                path.pop_back();
            }
        } else {
            for (size_t i = 0; i < n.items.size(); ++i) {
                path.push_back(std::to_string(i));
                walk(n.items[i], path);
                path.pop_back();
            }
        }
    }
};

} // namespace

std::string CheckpointTensor::displayName() const {
    std::string s;
    for (const std::string& k : keyPath) {
        s += (s.empty() ? "" : "/") + k;
    }
    return s;
}

bool looksLikeLegacyTorchSave(const uint8_t* data, uint64_t size) {
    // PROTO 2, then the magic number 0x1950a86a20f9469cfc6c as a LONG1.
    static const uint8_t magic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20};
    return size >= sizeof magic && std::equal(magic, magic + sizeof magic, data);
}

bool looksLikeZip(const uint8_t* data, uint64_t size) {
    return size >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4;
}

std::shared_ptr<CheckpointFile> CheckpointFile::open(const std::string& path) {
    std::shared_ptr<CheckpointFile> f(new CheckpointFile(MappedFile::open(path)));
    f->parse();
    return f;
}

std::shared_ptr<CheckpointFile> CheckpointFile::fromBytes(const uint8_t* data, size_t size,
                                                          const std::string& name) {
    std::shared_ptr<CheckpointFile> f(new CheckpointFile(MappedFile::fromBytes(data, size, name)));
    f->parse();
    return f;
}

void CheckpointFile::parse() {
    const std::string& path = m_file->path();
    const uint8_t* data = m_file->data();
    const uint64_t size = m_file->size();
    if (looksLikeLegacyTorchSave(data, size)) {
        throw WeightsError(path, "",
                           "written in the legacy torch.save format of PyTorch < 1.6, which is "
                           "not supported; re-save it with a current PyTorch or convert it to "
                           "safetensors");
    }
    if (!looksLikeZip(data, size)) {
        throw WeightsError(path, "", "not a PyTorch checkpoint (no zip archive signature)");
    }
    const std::vector<ZipEntry> entries = readZipDirectory(data, size, path);

    // The pickle sits at "<archive>/data.pkl"; storages at "<archive>/data/<key>".
    const ZipEntry* pkl = nullptr;
    bool torchScript = false;
    std::map<std::string, const ZipEntry*> byName;
    for (const ZipEntry& e : entries) {
        byName[e.name] = &e;
        const size_t slash = e.name.find('/');
        if (slash != std::string::npos &&
            e.name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            if (pkl != nullptr) {
                throw WeightsError(path, "", "holds more than one data.pkl");
            }
            pkl = &e;
        }
        torchScript = torchScript || e.name.find("/constants.pkl") != std::string::npos;
    }
    if (pkl == nullptr) {
        throw WeightsError(path, "",
                           torchScript
                               ? "a TorchScript module, not a torch.save checkpoint"
                               : "zip archive without data.pkl: not a torch.save checkpoint");
    }
    const std::string archive =
        pkl->name.substr(0, pkl->name.size() - std::string("data.pkl").size());
    if (pkl->method != 0) {
        throw WeightsError(path, "",
                           pkl->name + " is compressed; torch.save stores entries uncompressed "
                                       "and compressed checkpoints are not supported");
    }
    if (crc32(data + pkl->dataOffset, static_cast<size_t>(pkl->size)) != pkl->crc32) {
        throw WeightsError(path, "", pkl->name + " is damaged (CRC mismatch)");
    }
    const pickle::Document doc =
        pickle::unpickle(data + pkl->dataOffset, static_cast<size_t>(pkl->size), path);

    Walker walker{doc, {}, {}};
    std::vector<std::string> keyPath;
    walker.walk(doc.root, keyPath);

    std::map<std::string, size_t> groupIndex;
    std::map<std::string, std::pair<DType, int64_t>> storages;
    for (auto& [keys, id] : walker.found) {
        const pickle::Node& t = doc.at(id);
        const pickle::Node& s = doc.at(t.items[0]);
        CheckpointTensor ct;
        ct.keyPath = keys.empty() ? std::vector<std::string>{"(root)"} : keys;
        ct.storageKey = s.text;
        const std::string name = ct.displayName();
        auto bad = [&](const std::string& problem) { return WeightsError(path, name, problem); };

        auto known = storages.emplace(s.text, std::make_pair(s.dtype, s.integer));
        if (known.first->second != std::make_pair(s.dtype, s.integer)) {
            throw bad("storage '" + s.text + "' is described with two different types or sizes");
        }
        auto rec = byName.find(archive + "data/" + s.text);
        if (rec == byName.end()) {
            throw bad("its storage record data/" + s.text + " is missing from the archive");
        }
        const ZipEntry& r = *rec->second;
        if (r.method != 0) {
            throw bad("its storage record is compressed (not supported)");
        }
        const uint64_t elem = dtypeSize(s.dtype);
        if (static_cast<uint64_t>(s.integer) > r.size / elem ||
            r.size != static_cast<uint64_t>(s.integer) * elem) {
            throw bad("storage record data/" + s.text + " has " + std::to_string(r.size) +
                      " bytes but " + std::to_string(s.integer) + " elements of " +
                      dtypeName(s.dtype) + " need " +
                      std::to_string(static_cast<uint64_t>(s.integer) * elem) + " (truncated?)");
        }
        const std::string view =
            checkViewInStorage(t.shape, t.strides, t.offset, static_cast<uint64_t>(s.integer));
        if (!view.empty()) {
            throw bad("its view (shape, strides, offset) " + view);
        }
        ct.stored.dtype = s.dtype;
        ct.stored.shape = t.shape;
        ct.stored.strides = t.strides;
        ct.stored.offset = t.offset;
        ct.stored.storageBegin = r.dataOffset;
        ct.stored.storageBytes = r.size;

        std::string group;
        for (size_t i = 0; i + 1 < ct.keyPath.size(); ++i) {
            group += (group.empty() ? "" : "/") + ct.keyPath[i];
        }
        auto g = groupIndex.find(group);
        if (g == groupIndex.end()) {
            g = groupIndex.emplace(group, m_stateDicts.size()).first;
            m_stateDicts.push_back({group, {}});
        }
        m_stateDicts[g->second].tensors.push_back(m_tensors.size());
        m_tensors.push_back(std::move(ct));
    }
}

at::Tensor CheckpointFile::load(const CheckpointTensor& t, std::optional<at::ScalarType> dtype,
                                c10::Device device, bool* aliasesFile) const {
    return loadStoredTensor(m_file, t.stored, dtype, device, aliasesFile);
}

void CheckpointFile::releasePages(const CheckpointTensor& t) const {
    m_file->releasePages(t.stored.storageBegin, t.stored.storageBytes);
}

} // namespace sfs::inference::io
