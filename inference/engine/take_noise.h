#pragma once
// Where the engine gets the noise of a take: the one place that picks the noise source, so
// switching every generation to keyed noise (a pure function of seed, row, frame and step) is a
// change of this factory alone.
#include "pipeline/noise.h"

#include <cstdint>
#include <functional>
#include <memory>

namespace sfs::inference::engine {

using NoiseFactory = std::function<std::unique_ptr<pipeline::NoiseSource>(uint64_t seed)>;

// Today: pipeline::SeededNoise(seed), drawn in the order the chunks ask for it.
std::unique_ptr<pipeline::NoiseSource> makeTakeNoise(uint64_t seed);

} // namespace sfs::inference::engine
