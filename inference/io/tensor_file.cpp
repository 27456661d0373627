#include "io/tensor_file.h"

#include "io/checkpoint.h"
#include "io/mapped_file.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace sfs::inference::io {

namespace {

// Where training code and converters put the weights worth loading, best first.
constexpr const char* kPreferredSections[] = {"generator_ema", "generator", "state_dict", "model",
                                              "module"};

class SafetensorsTensorFile : public TensorFile {
public:
    explicit SafetensorsTensorFile(std::shared_ptr<SafetensorsFile> file)
        : m_file(std::move(file)) {
        m_path = m_file->path();
        m_fileSize = m_file->fileSize();
        m_metadata = m_file->metadata();
        for (const TensorInfo& t : m_file->tensors()) {
            m_entries.push_back({t.name, t.dtype, t.shape});
        }
        index();
    }
    const char* format() const override { return "safetensors"; }
    at::Tensor load(const std::string& name, std::optional<at::ScalarType> dtype,
                    c10::Device device, bool* aliasesFile) const override {
        return m_file->load(name, dtype, device, aliasesFile);
    }
    void releasePages(const std::string& name) const override {
        m_file->releasePages(m_file->info(name));
    }

private:
    std::shared_ptr<SafetensorsFile> m_file;
};

class CheckpointTensorFile : public TensorFile {
public:
    CheckpointTensorFile(std::shared_ptr<CheckpointFile> file, const std::string& wanted)
        : m_file(std::move(file)) {
        m_path = m_file->path();
        m_fileSize = m_file->fileSize();
        const auto& dicts = m_file->stateDicts();
        if (dicts.empty()) {
            throw WeightsError(m_path, "", "the checkpoint holds no tensors");
        }
        const CheckpointStateDict* chosen = nullptr;
        auto named = [&](const std::string& name) -> const CheckpointStateDict* {
            for (const auto& d : dicts) {
                if (d.name == name) {
                    return &d;
                }
            }
            return nullptr;
        };
        if (!wanted.empty()) {
            chosen = named(wanted);
            if (chosen == nullptr) {
                std::string all;
                for (const auto& d : dicts) {
                    all += (all.empty() ? "" : ", ") + (d.name.empty() ? "(root)" : d.name);
                }
                throw WeightsError(m_path, "",
                                   "no state dict '" + wanted +
                                       "' in the checkpoint (it has: " + all + ")");
            }
        }
        if (chosen == nullptr) {
            chosen = named("");
        }
        for (const char* name : kPreferredSections) {
            if (chosen == nullptr) {
                chosen = named(name);
            }
        }
        if (chosen == nullptr) {
            int64_t most = -1;
            for (const auto& d : dicts) {
                int64_t params = 0;
                for (const size_t i : d.tensors) {
                    params += TensorEntry{"", m_file->tensors()[i].stored.dtype,
                                          m_file->tensors()[i].stored.shape}
                                  .numel();
                }
                if (params > most) {
                    most = params;
                    chosen = &d;
                }
            }
        }
        m_section = chosen->name;
        for (const auto& d : dicts) {
            if (&d != chosen) {
                m_otherSections.push_back(d.name.empty() ? "(root)" : d.name);
            }
        }
        for (const size_t i : chosen->tensors) {
            const CheckpointTensor& t = m_file->tensors()[i];
            if (m_index.count(t.key()) != 0) {
                continue; // the same key twice cannot happen in a dict
            }
            m_entries.push_back({t.key(), t.stored.dtype, t.stored.shape});
            m_index[t.key()] = m_entries.size() - 1;
            m_tensorOf[t.key()] = i;
        }
    }
    const char* format() const override { return "PyTorch checkpoint"; }
    at::Tensor load(const std::string& name, std::optional<at::ScalarType> dtype,
                    c10::Device device, bool* aliasesFile) const override {
        return m_file->load(tensor(name), dtype, device, aliasesFile);
    }
    void releasePages(const std::string& name) const override {
        m_file->releasePages(tensor(name));
    }

private:
    const CheckpointTensor& tensor(const std::string& name) const {
        auto it = m_tensorOf.find(name);
        if (it == m_tensorOf.end()) {
            throw WeightsError(m_path, name, "no such tensor in the checkpoint");
        }
        return m_file->tensors()[it->second];
    }
    std::shared_ptr<CheckpointFile> m_file;
    std::map<std::string, size_t> m_tensorOf;
};

} // namespace

int64_t TensorEntry::numel() const {
    int64_t n = 1;
    for (const int64_t d : shape) {
        n *= d;
    }
    return n;
}

void TensorFile::index() {
    m_index.clear();
    for (size_t i = 0; i < m_entries.size(); ++i) {
        m_index[m_entries[i].name] = i;
    }
}

const TensorEntry* TensorFile::find(const std::string& name) const {
    auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_entries[it->second];
}

WeightsFormat sniffWeightsFormat(const uint8_t* head, uint64_t size) {
    if (looksLikeZip(head, size) || looksLikeLegacyTorchSave(head, size)) {
        return WeightsFormat::Checkpoint; // legacy ones get their own message from the reader
    }
    // safetensors: an 8-byte little-endian header length, then a JSON object.
    return size >= 9 && head[8] == '{' ? WeightsFormat::Safetensors : WeightsFormat::Other;
}

std::unique_ptr<TensorFile> TensorFile::open(const std::string& path, const std::string& section) {
    auto mapped = MappedFile::open(path);
    const WeightsFormat format = sniffWeightsFormat(mapped->data(), mapped->size());
    mapped.reset();
    if (format == WeightsFormat::Checkpoint) {
        return std::make_unique<CheckpointTensorFile>(CheckpointFile::open(path), section);
    }
    if (format != WeightsFormat::Safetensors) {
        throw WeightsError(path, "",
                           "not a weights file (neither safetensors nor a PyTorch checkpoint)");
    }
    if (!section.empty()) {
        throw WeightsError(path, "", "a safetensors file has no state dict '" + section + "'");
    }
    return std::make_unique<SafetensorsTensorFile>(SafetensorsFile::open(path));
}

} // namespace sfs::inference::io
