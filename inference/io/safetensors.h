#pragma once
// safetensors: our own strict reader (memory-mapped) and writer.
//
// Format: u64 little-endian header length N, N bytes of UTF-8 JSON
//   {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value"}}
// then the data area; offsets are relative to its start.
//
// Every check names the file and, where there is one, the tensor. Tensors load one at a time
// and convert to the requested dtype and device on the way, so a model never needs a second
// full copy in host memory. Same-dtype CPU loads of aligned data are zero-copy views of the
// (copy-on-write) mapping, which stays alive as long as any tensor uses it.

#include "io/dtype.h"
#include "io/mapped_file.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfs::inference::io {

// Any problem with a weights file. The message reads "<file>: tensor '<name>': <problem>".
class WeightsError : public std::runtime_error {
public:
    WeightsError(const std::string& file, const std::string& tensor, const std::string& problem);
    const std::string& file() const { return m_file; }
    const std::string& tensor() const { return m_tensor; }
    const std::string& problem() const { return m_problem; }

private:
    std::string m_file;
    std::string m_tensor;
    std::string m_problem;
};

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0; // byte offsets into the data area
    uint64_t end = 0;

    int64_t numel() const;
    uint64_t byteSize() const { return end - begin; }
};

// The parsed, validated header of a safetensors file.
struct SafetensorsHeader {
    std::vector<TensorInfo> tensors; // in header order
    std::map<std::string, std::string> metadata;
    uint64_t dataOffset = 0; // 8 + header length
    uint64_t dataSize = 0;
};

constexpr uint64_t kMaxSafetensorsHeaderBytes = 100ull * 1000 * 1000;

// Validates the first bytes of a file (at least the 8-byte length and the header) against the
// whole file's size. Throws WeightsError naming `path`. Used by the reader and the fuzzer.
SafetensorsHeader parseSafetensorsHeader(const uint8_t* data, size_t available, uint64_t fileSize,
                                         const std::string& path);

class SafetensorsFile {
public:
    // Maps and validates the file; throws WeightsError.
    static std::shared_ptr<SafetensorsFile> open(const std::string& path);
    // The same over bytes in memory (fuzzing, tests).
    static std::shared_ptr<SafetensorsFile> fromBytes(const uint8_t* data, size_t size,
                                                      const std::string& name);

    const std::string& path() const { return m_file->path(); }
    uint64_t fileSize() const { return m_file->size(); }
    const std::vector<TensorInfo>& tensors() const { return m_header.tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_header.metadata; }
    const TensorInfo* find(const std::string& name) const;
    const TensorInfo& info(const std::string& name) const; // throws when absent

    // Raw little-endian bytes of a tensor inside the mapping.
    const uint8_t* data(const TensorInfo& t) const;

    // Loads a tensor, converted to `dtype` (default: the stored type; float8 -> float32) on
    // `device`. Float8 values are decoded exactly.
    // When aliasesFile is given it tells whether the result is a zero-copy view of the mapping.
    at::Tensor load(const std::string& name, std::optional<at::ScalarType> dtype = std::nullopt,
                    c10::Device device = c10::Device(c10::kCPU), bool* aliasesFile = nullptr) const;
    // After a load that copied: gives the tensor's pages back (see MappedFile::releasePages).
    void releasePages(const TensorInfo& t) const;

private:
    explicit SafetensorsFile(std::shared_ptr<MappedFile> file);

    std::shared_ptr<MappedFile> m_file;
    SafetensorsHeader m_header;
    std::map<std::string, size_t> m_index;
};

// Writes tensors (in the given order) and metadata atomically: a temporary file next to `path`
// is renamed over it only when complete. Tensors are written as their own dtype, contiguous.
void writeSafetensors(const std::string& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// The same for files larger than memory: the header comes from `entries`, and each tensor is
// produced (and written) one at a time; it must match its entry's dtype and shape.
struct SafetensorsEntry {
    std::string name;
    at::ScalarType dtype;
    std::vector<int64_t> shape;
};
void writeSafetensors(const std::string& path, const std::vector<SafetensorsEntry>& entries,
                      const std::function<at::Tensor(size_t index)>& produce,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace sfs::inference::io
