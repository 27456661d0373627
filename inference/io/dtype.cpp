#include "io/dtype.h"

#include <cmath>
#include <limits>

namespace sfs::inference::io {

namespace {
struct DTypeRow {
    DType type;
    const char* name;
    size_t size;
};

constexpr DTypeRow kRows[] = {
    {DType::F64, "F64", 8},   {DType::F32, "F32", 4},         {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
    {DType::I64, "I64", 8},   {DType::I32, "I32", 4},         {DType::I16, "I16", 2},
    {DType::I8, "I8", 1},     {DType::U8, "U8", 1},           {DType::BOOL, "BOOL", 1},
};

const DTypeRow& row(DType t) {
    for (const DTypeRow& r : kRows) {
        if (r.type == t) {
            return r;
        }
    }
    return kRows[0]; // unreachable: every enumerator has a row
}

// value = (-1)^s * 2^(e - bias) * (1 + m / 2^mbits), subnormal when e == 0.
float decodeFloat8(uint8_t byte, int expBits, int mantBits, int bias, bool ieeeSpecials) {
    const int sign = (byte >> 7) & 1;
    const int exp = (byte >> mantBits) & ((1 << expBits) - 1);
    const int mant = byte & ((1 << mantBits) - 1);
    const int maxExp = (1 << expBits) - 1;
    float value = 0.0f;
    if (ieeeSpecials && exp == maxExp) {
        value = mant == 0 ? std::numeric_limits<float>::infinity()
                          : std::numeric_limits<float>::quiet_NaN();
    } else if (!ieeeSpecials && exp == maxExp && mant == (1 << mantBits) - 1) {
        value = std::numeric_limits<float>::quiet_NaN(); // e4m3fn: only S.1111.111 is NaN
    } else if (exp == 0) {
        value = std::ldexp(static_cast<float>(mant), 1 - bias - mantBits);
    } else {
        value = std::ldexp(static_cast<float>((1 << mantBits) + mant), exp - bias - mantBits);
    }
    return sign != 0 ? -value : value;
}

std::array<float, 256> makeTable(int expBits, int mantBits, int bias, bool ieeeSpecials) {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) {
        t[static_cast<size_t>(i)] =
            decodeFloat8(static_cast<uint8_t>(i), expBits, mantBits, bias, ieeeSpecials);
    }
    return t;
}
} // namespace

size_t dtypeSize(DType t) {
    return row(t).size;
}
const char* dtypeName(DType t) {
    return row(t).name;
}
bool isFloat8(DType t) {
    return t == DType::F8_E4M3 || t == DType::F8_E5M2;
}

std::optional<DType> dtypeFromName(std::string_view name) {
    for (const DTypeRow& r : kRows) {
        if (name == r.name) {
            return r.type;
        }
    }
    return std::nullopt;
}

at::ScalarType storageScalarType(DType t) {
    switch (t) {
    case DType::F64:
        return at::kDouble;
    case DType::F32:
        return at::kFloat;
    case DType::F16:
        return at::kHalf;
    case DType::BF16:
        return at::kBFloat16;
    case DType::F8_E4M3:
    case DType::F8_E5M2:
        return at::kFloat;
    case DType::I64:
        return at::kLong;
    case DType::I32:
        return at::kInt;
    case DType::I16:
        return at::kShort;
    case DType::I8:
        return at::kChar;
    case DType::U8:
        return at::kByte;
    case DType::BOOL:
        return at::kBool;
    }
    return at::kFloat;
}

std::optional<DType> dtypeFromScalarType(at::ScalarType t) {
    switch (t) {
    case at::kDouble:
        return DType::F64;
    case at::kFloat:
        return DType::F32;
    case at::kHalf:
        return DType::F16;
    case at::kBFloat16:
        return DType::BF16;
    case at::kLong:
        return DType::I64;
    case at::kInt:
        return DType::I32;
    case at::kShort:
        return DType::I16;
    case at::kChar:
        return DType::I8;
    case at::kByte:
        return DType::U8;
    case at::kBool:
        return DType::BOOL;
    default:
        return std::nullopt;
    }
}

const std::array<float, 256>& float8E4M3Table() {
    static const std::array<float, 256> table = makeTable(4, 3, 7, false);
    return table;
}

const std::array<float, 256>& float8E5M2Table() {
    static const std::array<float, 256> table = makeTable(5, 2, 15, true);
    return table;
}

} // namespace sfs::inference::io
