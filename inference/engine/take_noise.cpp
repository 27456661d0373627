#include "engine/take_noise.h"

namespace sfs::inference::engine {

std::unique_ptr<pipeline::NoiseSource> makeTakeNoise(uint64_t seed) {
    return std::make_unique<pipeline::SeededNoise>(seed);
}

} // namespace sfs::inference::engine
