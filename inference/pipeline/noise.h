#pragma once
// Where the sampler's Gaussian noise comes from: keyed draws (PhiloxNoise, what a take uses), a
// seeded generator (SeededNoise, kept for the golden runs' stream order), or draws supplied from
// outside (the golden runs feed the reference's stored draws).

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

namespace sfs::inference::pipeline {

// Which draw the sampler asks for.
struct DrawRequest {
    int64_t startFrame = 0; // the block's first latent frame
    int step = -1;          // -1: the block's initial noise; k: re-noise after denoising step k
    // Latent frames per batch row in the draw; 0 reads it from a 5-D `out` ([B, F, C, H, W]).
    int64_t frames = 0;
    int64_t firstRow = 0; // batch row of out's first row (a single row of a larger batch)
};

class NoiseSource {
public:
    virtual ~NoiseSource() = default;
    // Fills `out` with standard-normal values. `out`'s last three dimensions are one latent
    // frame [C, H, W]; the leading ones flatten, row-major, to (batch row, frame): [B, F, C, H,
    // W] or [B * F, C, H, W] (then request.frames says F). Any dtype and device.
    virtual void fill(at::Tensor& out, const DrawRequest& request) = 0;
};

// Standard-normal draws from a CPU generator seeded once, in float32, converted on the way
// to the target: the same seed gives the same noise on every device and dtype. Each block
// draws its initial noise and then one tensor per re-noise, so the first N blocks of a take
// do not depend on how many blocks follow. Draws depend on the order they are asked for, so a
// take that is continued or regenerated from a later chunk must use PhiloxNoise instead.
class SeededNoise final : public NoiseSource {
public:
    explicit SeededNoise(uint64_t seed);
    void fill(at::Tensor& out, const DrawRequest& request) override;

private:
    at::Generator m_generator;
    at::Tensor m_buffer; // float32 CPU, reused across draws of the same size
};

// Keyed noise: element e of the [C, H, W] frame f of batch row b at step s (s = -1 for the
// block's initial noise, k for the re-noise after step k) is a pure function of
// (seed, b, f, s, e). It does not depend on block sizes, batch size, the order chunks run in,
// cancel points or continue, so a chunk regenerated or continued alone gets the same noise.
//
// The function (docs/architecture.md, "Keyed noise"):
//   Philox4x32-10 (Salmon et al., SC'11; Random123's philox4x32_R with R = 10):
//     key     = (seed mod 2^32, seed >> 32)
//     counter = (e >> 2, f mod 2^32, (s + 1) mod 2^32, b mod 2^32)
//     -> four 32-bit words x0..x3; element e takes lane e & 3 of its counter's result.
//   Box-Muller, the basic (trigonometric) form, two normals per pair of words:
//     u = (x0 + 1) / 2^32 in (0, 1],  theta = 2 pi x1 / 2^32,  r = sqrt(-2 ln u)
//     lane 0 = r cos(theta), lane 1 = r sin(theta); lanes 2 and 3 the same from (x2, x3).
//   Rounded to float32, then converted to out's dtype.
// Everything runs as ATen tensor operations on out's device (no host synchronisation): the
// 32-bit words as int64 with masks, the transform in float64 from exactly rounded operations
// only (+, -, *, /, sqrt, frexp; ln, sin and cos as fixed polynomials of them), so CPU and
// CUDA give bit-identical values and no element depends on where a vectorised loop splits.
// The device must support int64 and float64 (CPU and CUDA do; MPS has no float64).
class PhiloxNoise final : public NoiseSource {
public:
    explicit PhiloxNoise(uint64_t seed) : m_seed(seed) {}
    void fill(at::Tensor& out, const DrawRequest& request) override;
    uint64_t seed() const { return m_seed; }

private:
    uint64_t m_seed;
};

std::unique_ptr<NoiseSource> makeKeyedNoise(uint64_t seed);

// The keyed function itself: float32 [rows, frames, C, H, W] on `device` for batch rows
// firstRow.. and latent frames firstFrame.. at `step`.
at::Tensor keyedNormal(uint64_t seed, int64_t firstRow, int64_t rows, int64_t firstFrame,
                       int64_t frames, int step, at::IntArrayRef frameShape, c10::Device device);

// Philox4x32-10 of counters given as int64 tensors holding 32-bit values (broadcastable to
// one shape); returns the four output words the same way. Exposed for the known-answer test.
struct PhiloxWords {
    at::Tensor x0, x1, x2, x3;
};
PhiloxWords philox4x32(const PhiloxWords& counter, uint32_t key0, uint32_t key1);

} // namespace sfs::inference::pipeline
