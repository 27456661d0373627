#include "engine/take_noise.h"

namespace sfs::inference::engine {

std::unique_ptr<pipeline::NoiseSource> makeTakeNoise(uint64_t seed) {
    return pipeline::makeKeyedNoise(seed);
}

} // namespace sfs::inference::engine
