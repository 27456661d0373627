#pragma once
// Where the engine gets the noise of a take: the one place that picks the noise source.
#include "pipeline/noise.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace sfs::inference::engine {

using NoiseFactory = std::function<std::unique_ptr<pipeline::NoiseSource>(uint64_t seed)>;

// Keyed noise (pipeline::makeKeyedNoise): each draw is a pure function of (seed, batch row,
// latent frame, step), so a chunk's noise does not depend on cancel points, continue or the
// order chunks run in. (SeededNoise, the reference's draw order, stays for the golden runs.)
std::unique_ptr<pipeline::NoiseSource> makeTakeNoise(uint64_t seed);

} // namespace sfs::inference::engine
