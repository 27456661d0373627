#pragma once
// Element types of stored tensors (safetensors names), their sizes, and exact float8 decoding.
// LibTorch 1.13 has no float8 type, so fp8 payloads are decoded through 256-entry tables.

#include <c10/core/ScalarType.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sfs::inference::io {

enum class DType { F64, F32, F16, BF16, F8_E4M3, F8_E5M2, I64, I32, I16, I8, U8, BOOL };

size_t dtypeSize(DType t);
const char* dtypeName(DType t); // "F32", "BF16", "F8_E4M3", ...
std::optional<DType> dtypeFromName(std::string_view name);
bool isFloat8(DType t);

// The torch type that holds this dtype's values exactly (float8 -> float32).
at::ScalarType storageScalarType(DType t);
// Our dtype for a torch type (for writing files); nullopt for types safetensors lacks.
std::optional<DType> dtypeFromScalarType(at::ScalarType t);

// Exact float values of every float8 byte (NaN for NaN codes). E4M3 is the "fn" variant used
// by PyTorch and ComfyUI (no infinities, 0x7F/0xFF are NaN, max 448); E5M2 is IEEE-like.
const std::array<float, 256>& float8E4M3Table();
const std::array<float, 256>& float8E5M2Table();

} // namespace sfs::inference::io
