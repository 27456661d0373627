#pragma once
// PyTorch checkpoints (.pt / .pth / .ckpt written by torch.save since PyTorch 1.6): a zip
// archive holding data.pkl (the pickled object) and one record per tensor storage.
//
// LibTorch 1.13's pickle_load cannot read real state dicts, so this is our own reader: the zip
// directory and data.pkl are parsed on open (restricted unpickler, nothing executed), every
// tensor view is validated against its storage record, and tensor data is read only when a
// tensor is loaded, one at a time, from the memory-mapped file.

#include "io/mapped_file.h"
#include "io/stored_tensor.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfs::inference::io {

struct CheckpointTensor {
    std::vector<std::string> keyPath; // dict keys from the root, e.g. {"generator_ema", "model.x"}
    std::string storageKey;
    StoredTensor stored;

    const std::string& key() const { return keyPath.back(); }
    std::string displayName() const; // keys joined with '/'
};

// A dict holding tensors: a state dict, named by the keys leading to it ("" is the root).
struct CheckpointStateDict {
    std::string name;
    std::vector<size_t> tensors; // indices into CheckpointFile::tensors()
};

class CheckpointFile {
public:
    // Throws WeightsError naming the file (and the tensor where there is one).
    static std::shared_ptr<CheckpointFile> open(const std::string& path);
    static std::shared_ptr<CheckpointFile> fromBytes(const uint8_t* data, size_t size,
                                                     const std::string& name);

    const std::string& path() const { return m_file->path(); }
    uint64_t fileSize() const { return m_file->size(); }
    const std::vector<CheckpointTensor>& tensors() const { return m_tensors; }
    const std::vector<CheckpointStateDict>& stateDicts() const { return m_stateDicts; }

    at::Tensor load(const CheckpointTensor& t, std::optional<at::ScalarType> dtype = std::nullopt,
                    c10::Device device = c10::Device(c10::kCPU), bool* aliasesFile = nullptr) const;
    // After a load that copied: gives the storage's pages back (see MappedFile::releasePages).
    void releasePages(const CheckpointTensor& t) const;

private:
    explicit CheckpointFile(std::shared_ptr<MappedFile> file) : m_file(std::move(file)) {}
    void parse();

    std::shared_ptr<MappedFile> m_file;
    std::vector<CheckpointTensor> m_tensors;
    std::vector<CheckpointStateDict> m_stateDicts;
};

// True when the bytes start like a zip archive (what torch.save writes).
bool looksLikeZip(const uint8_t* data, uint64_t size);
// True for the bare pickle stream of torch.save before PyTorch 1.6 (not supported).
bool looksLikeLegacyTorchSave(const uint8_t* data, uint64_t size);

} // namespace sfs::inference::io
