// Keyed (Philox4x32-10 + Box-Muller) noise: Random123's known answers, the emulated 32-bit
// arithmetic against plain uint32 code, independence from block sizes, batch and order, and
// the distribution.

#include "pipeline/causal_generator.h"
#include "pipeline/noise.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace sfs::inference::pipeline {
namespace {

// Plain uint32 Philox4x32-10, written from the paper's definition, as the independent check.
std::array<uint32_t, 4> philoxReference(std::array<uint32_t, 4> c, uint32_t k0, uint32_t k1) {
    for (int round = 0; round < 10; ++round) {
        const uint64_t p0 = uint64_t{0xD2511F53u} * c[0];
        const uint64_t p1 = uint64_t{0xCD9E8D57u} * c[2];
        c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k0, static_cast<uint32_t>(p1),
             static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k1, static_cast<uint32_t>(p0)};
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return c;
}

std::array<uint32_t, 4> philoxTensors(const std::array<uint32_t, 4>& c, uint32_t k0, uint32_t k1) {
    const auto word = [](uint32_t v) { return at::full({1}, static_cast<int64_t>(v), at::kLong); };
    const PhiloxWords x = philox4x32({word(c[0]), word(c[1]), word(c[2]), word(c[3])}, k0, k1);
    return {
        static_cast<uint32_t>(x.x0.item<int64_t>()), static_cast<uint32_t>(x.x1.item<int64_t>()),
        static_cast<uint32_t>(x.x2.item<int64_t>()), static_cast<uint32_t>(x.x3.item<int64_t>())};
}

using Words = std::array<uint32_t, 4>;

TEST(KeyedNoise, PhiloxKnownAnswers) {
    // Random123 kat_vectors, philox4x32 10 rounds.
    EXPECT_EQ(philoxTensors({0, 0, 0, 0}, 0, 0),
              (Words{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
    EXPECT_EQ(philoxTensors({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, 0xffffffffu,
                            0xffffffffu),
              (Words{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
    EXPECT_EQ(philoxTensors({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, 0xa4093822u,
                            0x299f31d0u),
              (Words{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
    EXPECT_EQ(philoxReference({0, 0, 0, 0}, 0, 0),
              (Words{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
}

TEST(KeyedNoise, EmulatedWordsMatchPlainUint32Code) {
    std::mt19937 rng(7);
    constexpr int kCount = 2000;
    std::vector<Words> counters(kCount);
    std::vector<int64_t> flat[4];
    for (Words& c : counters) {
        for (int i = 0; i < 4; ++i) {
            c[i] = rng();
            flat[i].push_back(c[i]);
        }
    }
    const auto tensor = [](const std::vector<int64_t>& v) {
        return at::tensor(at::ArrayRef<int64_t>(v), at::kLong);
    };
    const uint32_t k0 = 0x12345678u, k1 = 0xfedcba98u;
    const PhiloxWords x =
        philox4x32({tensor(flat[0]), tensor(flat[1]), tensor(flat[2]), tensor(flat[3])}, k0, k1);
    for (int i = 0; i < kCount; ++i) {
        const Words want = philoxReference(counters[i], k0, k1);
        const Words got{static_cast<uint32_t>(x.x0[i].item<int64_t>()),
                        static_cast<uint32_t>(x.x1[i].item<int64_t>()),
                        static_cast<uint32_t>(x.x2[i].item<int64_t>()),
                        static_cast<uint32_t>(x.x3[i].item<int64_t>())};
        ASSERT_EQ(got, want) << "counter " << i;
    }
}

TEST(KeyedNoise, ValuesFollowTheDocumentedFunction) {
    // Element e of frame f, row b, step s: lane e & 3 of Philox((e >> 2, f, s + 1, b), seed),
    // through Box-Muller. The polynomial ln / sin / cos agree with libm to float32 rounding.
    const uint64_t seed = 0x0123456789abcdefULL;
    const int64_t c = 3, h = 5, w = 7; // 105 elements: the last counter's lanes are cut
    const at::Tensor v = keyedNormal(seed, 1, 1, 4, 1, 2, {c, h, w}, at::kCPU).flatten();
    double worst = 0;
    for (int64_t e = 0; e < c * h * w; ++e) {
        const Words x =
            philoxReference({static_cast<uint32_t>(e >> 2), 4, 3, 1}, static_cast<uint32_t>(seed),
                            static_cast<uint32_t>(seed >> 32));
        const int lane = static_cast<int>(e & 3);
        const uint32_t a = lane < 2 ? x[0] : x[2], b = lane < 2 ? x[1] : x[3];
        const double r = std::sqrt(-2.0 * std::log((a + 1.0) / 4294967296.0));
        const double theta = 2.0 * M_PI * (b / 4294967296.0);
        const double want = (lane % 2 == 0) ? r * std::cos(theta) : r * std::sin(theta);
        worst = std::max(worst, std::abs(static_cast<double>(v[e].item<float>()) - want));
    }
    EXPECT_LT(worst, 2e-6);
}

at::Tensor draw(uint64_t seed, int64_t rows, int64_t firstFrame, int64_t frames, int step,
                int64_t firstRow = 0) {
    PhiloxNoise noise(seed);
    at::Tensor out = at::empty({rows, frames, 16, 4, 6}, at::kFloat);
    DrawRequest r;
    r.startFrame = firstFrame;
    r.step = step;
    r.firstRow = firstRow;
    noise.fill(out, r);
    return out;
}

TEST(KeyedNoise, IndependentOfBlockSizesBatchAndOrder) {
    const at::Tensor whole = draw(42, 1, 0, 6, -1);
    const at::Tensor late = draw(42, 1, 3, 3, -1); // the later block first
    const at::Tensor early = draw(42, 1, 0, 3, -1);
    EXPECT_TRUE(at::equal(at::cat({early, late}, 1), whole));
    EXPECT_TRUE(at::equal(draw(42, 1, 2, 1, -1), whole.narrow(1, 2, 1)));

    const at::Tensor pair = draw(42, 2, 0, 6, -1);
    EXPECT_TRUE(at::equal(pair.narrow(0, 0, 1), whole));
    EXPECT_TRUE(at::equal(pair.narrow(0, 1, 1), draw(42, 1, 0, 6, -1, 1)));

    // The re-noise form [B * F, C, H, W] with the frame count in the request.
    PhiloxNoise noise(42);
    at::Tensor flat = at::empty({12, 16, 4, 6}, at::kFloat);
    DrawRequest r;
    r.startFrame = 3;
    r.step = 1;
    r.frames = 6;
    noise.fill(flat, r);
    EXPECT_TRUE(at::equal(flat.view({2, 6, 16, 4, 6}), draw(42, 2, 3, 6, 1)));
    // A second fill of the same request repeats it: no state moves between draws.
    at::Tensor again = at::empty_like(flat);
    noise.fill(again, r);
    EXPECT_TRUE(at::equal(again, flat));

    // A draw whose frames cannot be told, or do not divide it, is refused.
    at::Tensor unknown = at::empty({12, 16, 4, 6}, at::kFloat);
    EXPECT_THROW(noise.fill(unknown, {0, 1}), std::invalid_argument);
    r.frames = 5;
    EXPECT_THROW(noise.fill(flat, r), std::invalid_argument);
    r.frames = 3; // divides [2, 6, ...] but is not its frame count
    at::Tensor fiveD = at::empty({2, 6, 16, 4, 6}, at::kFloat);
    EXPECT_THROW(noise.fill(fiveD, r), std::invalid_argument);

    // Other dtypes get the float32 values converted.
    at::Tensor half = at::empty({1, 6, 16, 4, 6}, at::kBFloat16);
    noise.fill(half, {0, -1});
    EXPECT_TRUE(at::equal(half, whole.to(at::kBFloat16)));
}

TEST(KeyedNoise, EveryKeyPartChangesTheValues) {
    const at::Tensor base = draw(42, 2, 0, 3, -1);
    const auto differs = [&base](const at::Tensor& other) {
        return !at::equal(base, other) && at::abs(base - other).mean().item<float>() > 0.5f;
    };
    EXPECT_TRUE(differs(draw(43, 2, 0, 3, -1)));
    EXPECT_TRUE(differs(draw(42, 2, 0, 3, 0)));
    EXPECT_TRUE(differs(draw(42, 2, 1, 3, -1)));
    EXPECT_TRUE(differs(draw(42, 2, 0, 3, -1, 1)));
    EXPECT_TRUE(differs(draw(42ULL | (1ULL << 40), 2, 0, 3, -1))); // the seed's high word
    // Frames and rows within one draw differ from each other.
    EXPECT_FALSE(at::equal(base.select(1, 0), base.select(1, 1)));
    EXPECT_FALSE(at::equal(base.select(0, 0), base.select(0, 1)));
}

TEST(KeyedNoise, StandardNormalDistribution) {
    const at::Tensor v = keyedNormal(5, 0, 2, 0, 8, -1, {16, 32, 32}, at::kCPU).to(at::kDouble);
    ASSERT_EQ(v.numel(), 262144);
    const double mean = v.mean().item<double>();
    const double sd = v.std().item<double>();
    EXPECT_NEAR(mean, 0.0, 0.01);
    EXPECT_NEAR(sd, 1.0, 0.01);
    EXPECT_NEAR(v.pow(4).mean().item<double>(), 3.0, 0.05); // kurtosis of a normal
    const double inside = v.abs().lt(1.0).to(at::kDouble).mean().item<double>();
    EXPECT_NEAR(inside, 0.682689, 0.005);
    EXPECT_TRUE(at::isfinite(v).all().item<bool>());
    // Neighbouring elements are uncorrelated (lanes of one counter included).
    const at::Tensor flat = v.flatten();
    const at::Tensor a = flat.narrow(0, 0, flat.numel() - 1),
                     b = flat.narrow(0, 1, flat.numel() - 1);
    EXPECT_NEAR((a * b).mean().item<double>(), 0.0, 0.01);
}

TEST(KeyedNoise, SameOnCudaAsOnCpu) {
    if (!at::hasCUDA()) {
        GTEST_SKIP() << "no CUDA device in this build or machine";
    }
    const at::Tensor cpu = keyedNormal(9, 0, 2, 17, 3, 2, {16, 30, 52}, at::kCPU);
    const at::Tensor cuda = keyedNormal(9, 0, 2, 17, 3, 2, {16, 30, 52}, at::Device(at::kCUDA));
    EXPECT_TRUE(at::equal(cpu, cuda.cpu()));
}

TEST(KeyedNoise, DrivesTheGeneratorAndRepeats) {
    // Through the block loop: the re-noise draws ([B * F, C, H, W]) carry their frame count,
    // and two runs with the same seed agree bit for bit.
    const auto run = [] {
        auto model = testing::tinyDit();
        CausalGenerator generator(model, FlowMatchSchedule{}, testing::tinyOptions());
        generator.setPrompt(testing::randn({1, 8, 12}, 42));
        const std::unique_ptr<NoiseSource> noise = makeKeyedNoise(11);
        GenerateRequest req;
        req.frames = 6;
        req.draws = noise.get();
        return generate(generator, req).latents;
    };
    const at::Tensor first = run();
    EXPECT_EQ(first.size(1), 6);
    EXPECT_TRUE(at::equal(first, run()));
}

} // namespace
} // namespace sfs::inference::pipeline
