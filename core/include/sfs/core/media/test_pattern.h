#pragma once
// Synthetic frames that look enough like video to measure codecs: smooth gradients, soft moving
// shapes and mild grain. For benchmarks, tests and trying out encoders without a model.

#include "sfs/core/media/frame.h"

#include <cstdint>

namespace sfs::core {

// Frame `index` of a moving test pattern; the same arguments always give the same pixels.
Frame makeTestPatternFrame(int width, int height, int index, std::uint32_t seed = 1);

} // namespace sfs::core
