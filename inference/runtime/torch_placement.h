#pragma once
// A decided Placement (sfs/inference/device_policy.h) in torch's terms.

#include "sfs/inference/device_policy.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <stdexcept>

namespace sfs::inference {

inline c10::Device torchDevice(const Placement& placement) {
    return placement.onCuda()
               ? c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(placement.device.index))
               : c10::Device(c10::kCPU);
}

// A decided precision (Auto has no dtype: choosePlacement decides it; std::logic_error here).
inline c10::ScalarType torchDtype(Precision precision) {
    switch (precision) {
    case Precision::BFloat16:
        return c10::kBFloat16;
    case Precision::Float16:
        return c10::kHalf;
    case Precision::Float32:
        return c10::kFloat;
    case Precision::Auto:
        break;
    }
    throw std::logic_error("precision auto has no dtype before choosePlacement decides it");
}

} // namespace sfs::inference
