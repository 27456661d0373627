#pragma once
// Turning stored bytes into a tensor of the requested dtype on the requested device: the one
// conversion path of every weight reader (safetensors, PyTorch checkpoints).

#include "io/dtype.h"
#include "io/mapped_file.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfs::inference::io {

// Where a tensor's values live in a file: a storage (a byte range) and a strided view of it,
// as PyTorch describes tensors. Readers validate the view against the storage before use.
struct StoredTensor {
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<int64_t> strides; // in elements; empty means contiguous
    int64_t offset = 0;           // in elements, from the storage start
    uint64_t storageBegin = 0;    // byte offset of the storage in the file
    uint64_t storageBytes = 0;
};

// The host tensor for `t` converted to `dtype` (default: the stored type, float8 -> float32)
// on `device`. Contiguous, aligned CPU loads of the stored type are zero-copy views of the
// mapping; then *aliasesFile is set. Float8 values are decoded exactly.
at::Tensor loadStoredTensor(const std::shared_ptr<const MappedFile>& file, const StoredTensor& t,
                            std::optional<at::ScalarType> dtype, c10::Device device,
                            bool* aliasesFile = nullptr);

// A shape as messages and safetensors headers write it: "[1, 16, 3]".
std::string shapeText(const std::vector<int64_t>& shape);

// Contiguous strides of a shape (in elements).
std::vector<int64_t> contiguousStrides(const std::vector<int64_t>& shape);

// Checks that a strided view stays inside a storage of `storageElements` elements (no overflow,
// no negative sizes or strides). Returns an empty string when fine, else the problem.
std::string checkViewInStorage(const std::vector<int64_t>& shape,
                               const std::vector<int64_t>& strides, int64_t offset,
                               uint64_t storageElements);

} // namespace sfs::inference::io
