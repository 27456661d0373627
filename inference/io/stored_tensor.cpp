#include "io/stored_tensor.h"

#include <ATen/ATen.h>

#include <cstring>
#include <limits>

namespace sfs::inference::io {

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return out + "]";
}

std::vector<int64_t> contiguousStrides(const std::vector<int64_t>& shape) {
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t i = shape.size(); i > 1; --i) {
        strides[i - 2] = strides[i - 1] * std::max<int64_t>(shape[i - 1], 1);
    }
    return strides;
}

std::string checkViewInStorage(const std::vector<int64_t>& shape,
                               const std::vector<int64_t>& strides, int64_t offset,
                               uint64_t storageElements) {
    if (shape.size() != strides.size()) {
        return "has " + std::to_string(shape.size()) + " sizes but " +
               std::to_string(strides.size()) + " strides";
    }
    if (offset < 0) {
        return "has a negative storage offset";
    }
    bool empty = false;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] < 0 || strides[i] < 0) {
            return "has a negative size or stride";
        }
        empty = empty || shape[i] == 0;
    }
    if (empty) {
        return "";
    }
    // Last element reached: offset + sum((size - 1) * stride), computed without overflow.
    uint64_t last = static_cast<uint64_t>(offset);
    bool overflow = false;
    for (size_t i = 0; i < shape.size(); ++i) {
        uint64_t step = 0;
        overflow = overflow ||
                   __builtin_mul_overflow(static_cast<uint64_t>(shape[i] - 1),
                                          static_cast<uint64_t>(strides[i]), &step) ||
                   __builtin_add_overflow(last, step, &last);
    }
    if (overflow || last >= storageElements) {
        return "reaches " +
               (overflow ? std::string("past 2^64 elements") : "element " + std::to_string(last)) +
               " of a storage of " + std::to_string(storageElements) + " elements";
    }
    return "";
}

at::Tensor loadStoredTensor(const std::shared_ptr<const MappedFile>& file, const StoredTensor& t,
                            std::optional<at::ScalarType> dtype, c10::Device device,
                            bool* aliasesFile) {
    if (aliasesFile != nullptr) {
        *aliasesFile = false;
    }
    const at::ScalarType stored = storageScalarType(t.dtype);
    const at::ScalarType target = dtype.value_or(stored);
    const size_t elem = dtypeSize(t.dtype);
    const std::vector<int64_t> strides = t.strides.empty() ? contiguousStrides(t.shape) : t.strides;
    const bool contiguous = strides == contiguousStrides(t.shape);
    const uint8_t* storage = file->data() + t.storageBegin;
    const int64_t storageElements = static_cast<int64_t>(t.storageBytes / elem);

    int64_t numel = 1;
    for (const int64_t d : t.shape) {
        numel *= d;
    }
    // The raw element type as torch sees it: float8 payloads and booleans as bytes (a byte
    // other than 0 or 1 is no valid bool, so booleans are normalised below).
    const at::ScalarType raw = isFloat8(t.dtype) || t.dtype == DType::BOOL ? at::kByte : stored;
    const auto rawOptions = at::TensorOptions().dtype(raw);

    at::Tensor host;
    bool viewsFile = false;
    if (numel == 0) {
        host = at::empty(t.shape, rawOptions);
    } else if (reinterpret_cast<uintptr_t>(storage) % elem == 0) {
        // A view of the mapping; the deleter keeps the mapping alive.
        auto keepAlive = file;
        auto deleter = [keepAlive](void*) {};
        if (contiguous) {
            host = at::from_blob(const_cast<uint8_t*>(storage) + t.offset * elem, t.shape, deleter,
                                 rawOptions);
            viewsFile = true;
        } else {
            host =
                at::from_blob(const_cast<uint8_t*>(storage), {storageElements}, deleter, rawOptions)
                    .as_strided(t.shape, strides, t.offset)
                    .contiguous();
        }
    } else {
        // Unaligned (possible in hand-made files): copy the storage first.
        at::Tensor copy = at::empty({storageElements}, rawOptions);
        std::memcpy(copy.data_ptr(), storage, static_cast<size_t>(storageElements) * elem);
        host = copy.as_strided(t.shape, strides, t.offset).contiguous();
    }

    if (isFloat8(t.dtype)) {
        const auto& table = t.dtype == DType::F8_E4M3 ? float8E4M3Table() : float8E5M2Table();
        at::Tensor bytes = host.contiguous();
        at::Tensor decoded = at::empty(t.shape, at::TensorOptions().dtype(at::kFloat));
        const uint8_t* in = bytes.data_ptr<uint8_t>();
        float* out = decoded.data_ptr<float>();
        for (int64_t i = 0; i < numel; ++i) {
            out[i] = table[in[i]];
        }
        host = decoded;
    } else if (t.dtype == DType::BOOL) {
        host = host.ne(0);
    } else if (viewsFile && aliasesFile != nullptr && target == stored && device.is_cpu()) {
        *aliasesFile = true;
    }

    if (host.scalar_type() == target && device.is_cpu()) {
        return host;
    }
    if (device.is_cpu()) {
        return host.to(target);
    }
    // Upload in the stored type and convert on the device: no full-size converted copy on the
    // host, and half the bytes over the bus for 16-bit files.
    return host.to(device).to(target);
}

} // namespace sfs::inference::io
