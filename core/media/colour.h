#pragma once
// The sRGB transfer function (IEC 61966-2-1), used where frames meet linear-light files (EXR).

#include <array>
#include <cmath>
#include <cstdint>

namespace sfs::core::media_detail {

inline float srgbToLinear(float v) {
    return v <= 0.04045f ? v / 12.92f : std::pow((v + 0.055f) / 1.055f, 2.4f);
}

inline float linearToSrgb(float v) {
    if (!(v > 0.0f)) {
        return 0.0f; // also NaN
    }
    return v <= 0.0031308f ? v * 12.92f : 1.055f * std::pow(v, 1.0f / 2.4f) - 0.055f;
}

// Linear value of each 8-bit sRGB code.
inline const std::array<float, 256>& srgbToLinearTable() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) {
            t[size_t(i)] = srgbToLinear(float(i) / 255.0f);
        }
        return t;
    }();
    return table;
}

} // namespace sfs::core::media_detail
