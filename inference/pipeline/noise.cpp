#include "pipeline/noise.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sfs::inference::pipeline {

SeededNoise::SeededNoise(uint64_t seed)
    : m_generator(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

void SeededNoise::fill(at::Tensor& out, const DrawRequest&) {
    c10::InferenceMode guard;
    if (!m_buffer.defined() || m_buffer.sizes() != out.sizes()) {
        m_buffer = at::empty(out.sizes(), at::TensorOptions().dtype(at::kFloat));
    }
    m_buffer.normal_(0.0, 1.0, m_generator);
    out.copy_(m_buffer);
}

namespace {

// ATen has no uint32: each 32-bit word lives in an int64 tensor, kept in [0, 2^32) by masks.
constexpr int64_t kMask32 = 0xFFFFFFFFLL;
constexpr uint32_t kPhiloxM0 = 0xD2511F53u;
constexpr uint32_t kPhiloxM1 = 0xCD9E8D57u;
constexpr uint32_t kPhiloxW0 = 0x9E3779B9u; // key bumps (golden ratio, sqrt(3) - 1)
constexpr uint32_t kPhiloxW1 = 0xBB67AE85u;
constexpr int kPhiloxRounds = 10;

struct HiLo {
    at::Tensor hi, lo;
};

// The 64-bit product m * c split into 32-bit halves. The full product does not fit an int64, so
// c is split into 16-bit halves: every partial product stays below 2^49.
HiLo mulhilo(uint32_t m, const at::Tensor& c) {
    const auto mul = static_cast<int64_t>(m);
    const at::Tensor low = c.bitwise_and(0xFFFF).mul_(mul);           // < 2^48
    const at::Tensor high = at::bitwise_right_shift(c, 16).mul_(mul); // < 2^48, weight 2^16
    at::Tensor mid = high.bitwise_and(0xFFFF).bitwise_left_shift_(16).add_(low); // < 2^49
    at::Tensor hi = at::bitwise_right_shift(high, 16).add_(at::bitwise_right_shift(mid, 32));
    return {std::move(hi), mid.bitwise_and_(kMask32)};
}

// ln((x + 1) / 2^32) for x in [0, 2^32), float64. ln of m = x + 1 = mant * 2^e (mant moved into
// [sqrt(1/2), sqrt(2))) is e ln 2 + 2 atanh(z), z = (mant - 1) / (mant + 1), |z| <= 0.1716,
// with the atanh series to z^15 (error below 1e-13, far under float32's rounding).
at::Tensor logUnit(const at::Tensor& x) {
    const at::Tensor m = (x + 1).to(at::kDouble); // exact: below 2^53
    auto [mant, exponent] = at::frexp(m);         // mant in [0.5, 1)
    const at::Tensor small = mant.lt(M_SQRT1_2);
    mant = at::where(small, mant * 2.0, mant);
    const at::Tensor e = at::where(small, exponent - 1, exponent).to(at::kDouble);
    const at::Tensor z = (mant - 1.0) / (mant + 1.0);
    const at::Tensor w = z * z;
    constexpr int kTerms = 8;
    at::Tensor p = at::full_like(w, 1.0 / (2 * (kTerms - 1) + 1));
    for (int k = kTerms - 2; k >= 0; --k) {
        p = (p * w) + 1.0 / (2 * k + 1);
    }
    return (e - 32.0) * M_LN2 + (z * 2.0) * p;
}

// cos and sin of 2 pi x / 2^32 for x in [0, 2^32), float64. The top two bits pick the quadrant;
// the rest gives phi in [-pi/4, pi/4) around the quadrant's middle, where Taylor series to
// phi^13 and phi^12 are exact to 1e-12; the angle-sum rule with pi/4 costs one rounded multiply
// and the quadrant's rotation is exact (sign changes).
std::pair<at::Tensor, at::Tensor> cosSinTurn(const at::Tensor& x) {
    const at::Tensor quadrant = at::bitwise_right_shift(x, 30);
    const at::Tensor t = x.bitwise_and(0x3FFFFFFF).to(at::kDouble) * (1.0 / 1073741824.0);
    const at::Tensor phi = (t * M_PI_2) - M_PI_4;
    const at::Tensor phi2 = phi * phi;
    constexpr int kTerms = 7;
    std::array<double, 2 * kTerms + 1> inverseFactorial{};
    inverseFactorial[0] = 1.0;
    for (size_t n = 1; n < inverseFactorial.size(); ++n) {
        inverseFactorial[n] = inverseFactorial[n - 1] / static_cast<double>(n);
    }
    const auto sign = [](int k) { return k % 2 == 0 ? 1.0 : -1.0; };
    at::Tensor sinPoly = at::full_like(phi2, sign(kTerms - 1) * inverseFactorial[2 * kTerms - 1]);
    at::Tensor cosPoly = at::full_like(phi2, sign(kTerms - 1) * inverseFactorial[2 * kTerms - 2]);
    for (int k = kTerms - 2; k >= 0; --k) {
        sinPoly = (sinPoly * phi2) + sign(k) * inverseFactorial[2 * k + 1];
        cosPoly = (cosPoly * phi2) + sign(k) * inverseFactorial[2 * k];
    }
    const at::Tensor s = phi * sinPoly;
    const at::Tensor c = cosPoly;
    const at::Tensor cosMid = (c - s) * M_SQRT1_2; // cos(phi + pi/4)
    const at::Tensor sinMid = (c + s) * M_SQRT1_2; // sin(phi + pi/4)
    const at::Tensor q1 = quadrant.eq(1), q2 = quadrant.eq(2), q3 = quadrant.eq(3);
    // Quadrant q adds q * pi/2: (cos, sin) -> (-sin, cos) per quarter turn.
    at::Tensor cosT = at::where(q1, -sinMid, at::where(q2, -cosMid, at::where(q3, sinMid, cosMid)));
    at::Tensor sinT = at::where(q1, cosMid, at::where(q2, -sinMid, at::where(q3, -cosMid, sinMid)));
    return {std::move(cosT), std::move(sinT)};
}

} // namespace

PhiloxWords philox4x32(const PhiloxWords& counter, uint32_t key0, uint32_t key1) {
    // Broadcast once: every round's results then have the full shape and can be updated in
    // place (the inputs themselves are only read).
    std::vector<at::Tensor> c =
        at::broadcast_tensors({counter.x0.to(at::kLong), counter.x1.to(at::kLong),
                               counter.x2.to(at::kLong), counter.x3.to(at::kLong)});
    uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < kPhiloxRounds; ++round) {
        if (round > 0) {
            k0 += kPhiloxW0; // wraps mod 2^32
            k1 += kPhiloxW1;
        }
        HiLo a = mulhilo(kPhiloxM0, c[0]);
        HiLo b = mulhilo(kPhiloxM1, c[2]);
        c = {b.hi.bitwise_xor_(c[1]).bitwise_xor_(static_cast<int64_t>(k0)), std::move(b.lo),
             a.hi.bitwise_xor_(c[3]).bitwise_xor_(static_cast<int64_t>(k1)), std::move(a.lo)};
    }
    return {c[0], c[1], c[2], c[3]};
}

at::Tensor keyedNormal(uint64_t seed, int64_t firstRow, int64_t rows, int64_t firstFrame,
                       int64_t frames, int step, at::IntArrayRef frameShape, c10::Device device) {
    if (rows < 0 || frames < 0 || frameShape.size() != 3) {
        throw std::invalid_argument("keyed noise: needs rows, frames >= 0 and a [C, H, W] frame");
    }
    c10::InferenceMode guard;
    const int64_t perFrame = frameShape[0] * frameShape[1] * frameShape[2];
    const int64_t groups = (perFrame + 3) / 4; // one Philox counter per four elements
    const auto longs = at::TensorOptions().dtype(at::kLong).device(device);
    // Counter (e >> 2, f, s + 1, b), each word mod 2^32.
    PhiloxWords counter;
    counter.x0 = at::arange(groups, longs).view({1, 1, groups});
    counter.x1 = at::arange(firstFrame, firstFrame + frames, longs)
                     .bitwise_and_(kMask32)
                     .view({1, frames, 1});
    counter.x2 = at::full({1, 1, 1}, (static_cast<int64_t>(step) + 1) & kMask32, longs);
    counter.x3 =
        at::arange(firstRow, firstRow + rows, longs).bitwise_and_(kMask32).view({rows, 1, 1});
    const PhiloxWords x = philox4x32(counter, static_cast<uint32_t>(seed & kMask32),
                                     static_cast<uint32_t>(seed >> 32));

    const at::Tensor radius01 = (logUnit(x.x0) * -2.0).clamp_min_(0.0).sqrt_();
    const at::Tensor radius23 = (logUnit(x.x2) * -2.0).clamp_min_(0.0).sqrt_();
    const auto [cos1, sin1] = cosSinTurn(x.x1);
    const auto [cos3, sin3] = cosSinTurn(x.x3);
    const at::Tensor lanes =
        at::stack({radius01 * cos1, radius01 * sin1, radius23 * cos3, radius23 * sin3}, -1);
    return lanes.reshape({rows, frames, groups * 4})
        .narrow(2, 0, perFrame)
        .to(at::kFloat)
        .reshape({rows, frames, frameShape[0], frameShape[1], frameShape[2]});
}

void PhiloxNoise::fill(at::Tensor& out, const DrawRequest& request) {
    if (out.dim() < 4) {
        throw std::invalid_argument("keyed noise: the draw must end in a [C, H, W] latent frame");
    }
    const at::IntArrayRef frameShape = out.sizes().slice(out.dim() - 3);
    const int64_t frames =
        request.frames > 0 ? request.frames : (out.dim() == 5 ? out.size(1) : int64_t{0});
    const int64_t perRow = frames * frameShape[0] * frameShape[1] * frameShape[2];
    if (frames <= 0 || perRow == 0 || out.numel() % perRow != 0 ||
        (out.dim() == 5 && out.size(1) != frames)) {
        throw std::invalid_argument("keyed noise: a draw of shape " + c10::str(out.sizes()) +
                                    " is not whole rows of " + std::to_string(frames) +
                                    " latent frames");
    }
    c10::InferenceMode guard;
    const at::Tensor values =
        keyedNormal(m_seed, request.firstRow, out.numel() / perRow, request.startFrame, frames,
                    request.step, frameShape, out.device());
    out.copy_(values.view(out.sizes()));
}

std::unique_ptr<NoiseSource> makeKeyedNoise(uint64_t seed) {
    return std::make_unique<PhiloxNoise>(seed);
}

} // namespace sfs::inference::pipeline
