#pragma once
// Where the sampler's Gaussian noise comes from: a seeded generator, or draws supplied from
// outside (the golden runs feed the reference's stored draws).

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <cstdint>

namespace sfs::inference::pipeline {

// Which draw the sampler asks for.
struct DrawRequest {
    int64_t startFrame = 0; // the block's first latent frame
    int step = -1;          // -1: the block's initial noise; k: re-noise after denoising step k
};

class NoiseSource {
public:
    virtual ~NoiseSource() = default;
    // Fills `out` (any shape, dtype and device) with standard-normal values.
    virtual void fill(at::Tensor& out, const DrawRequest& request) = 0;
};

// Standard-normal draws from a CPU generator seeded once, in float32, converted on the way
// to the target: the same seed gives the same noise on every device and dtype. Each block
// draws its initial noise and then one tensor per re-noise, so the first N blocks of a take
// do not depend on how many blocks follow.
class SeededNoise final : public NoiseSource {
public:
    explicit SeededNoise(uint64_t seed);
    void fill(at::Tensor& out, const DrawRequest& request) override;

private:
    at::Generator m_generator;
    at::Tensor m_buffer; // float32 CPU, reused across draws of the same size
};

} // namespace sfs::inference::pipeline
