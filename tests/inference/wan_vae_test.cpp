// Wan VAE on small random configurations: streaming decode equals one-shot decode for every
// chunking, frame counts, encode shapes and causality, the demo compatibility mode, and bad
// weights and inputs. Parity with the reference is the golden runner's job (golden.vae).

#include "io/safetensors.h"
#include "model_test_util.h"
#include "models/wan_vae.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

namespace sfs::inference::models {
namespace {

using modeltest::chunksOf;
using modeltest::relativeError;
using modeltest::smallVae;
using modeltest::smallVaeConfig;

at::Tensor latents(int64_t frames, uint64_t seed = 3) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return at::randn({1, 16, frames, 2, 3}, gen);
}

// Streams `z` through a decoder in the given chunks; checks the frames of every call.
at::Tensor streamDecode(const std::shared_ptr<const WanVae>& vae, const at::Tensor& z,
                        const std::vector<int64_t>& chunks,
                        WanVaeStreamDecoder::Mode mode = WanVaeStreamDecoder::Mode::Exact) {
    WanVaeStreamDecoder decoder(vae, mode);
    std::vector<at::Tensor> parts;
    int64_t start = 0;
    for (const int64_t k : chunks) {
        parts.push_back(decoder.decodeRaw(z.narrow(2, start, k)));
        EXPECT_EQ(parts.back().size(2), start == 0 ? 1 + 4 * (k - 1) : 4 * k)
            << "chunk of " << k << " at latent frame " << start;
        start += k;
    }
    return at::cat(parts, 2);
}

TEST(WanVae, ChunkedStreamDecodeEqualsOneShot) {
    const auto vae = smallVae();
    const at::Tensor z = latents(7);
    const at::Tensor oneShot = vae->decode(z);
    ASSERT_EQ(oneShot.sizes(), (std::vector<int64_t>{1, 3, 25, 16, 24}));
    for (const auto& chunks : {chunksOf(7, 1), chunksOf(7, 2), chunksOf(7, 3),
                               std::vector<int64_t>{3, 1, 2, 1}, std::vector<int64_t>{7}}) {
        const at::Tensor streamed = streamDecode(vae, z, chunks);
        ASSERT_EQ(streamed.sizes(), oneShot.sizes());
        EXPECT_LE(relativeError(streamed, oneShot), 1e-6) << "chunks of " << chunks[0];
    }
}

TEST(WanVae, ResetStartsANewStream) {
    const auto vae = smallVae();
    const at::Tensor z = latents(3);
    WanVaeStreamDecoder decoder(vae);
    const at::Tensor first = decoder.decodeRaw(z);
    decoder.reset();
    const at::Tensor again = decoder.decodeRaw(z);
    EXPECT_TRUE(at::equal(first, again));
    // Within a stream the batch and latent size are fixed.
    EXPECT_THROW(decoder.decodeRaw(at::zeros({1, 16, 1, 4, 3})), std::invalid_argument);
}

TEST(WanVae, FrameCounts) {
    const auto vae = smallVae();
    for (const int64_t t : {1, 2, 5}) {
        EXPECT_EQ(vae->decode(latents(t)).size(2), 1 + 4 * (t - 1));
        EXPECT_EQ(vae->config().videoFrames(t), 1 + 4 * (t - 1));
    }
    EXPECT_EQ(WanVaeConfig().timeStride(), 4);
    EXPECT_EQ(WanVaeConfig().spaceStride(), 8);
}

TEST(WanVae, EncodeShapesAndCausality) {
    const auto vae = smallVae();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
    const at::Tensor clip = at::rand({1, 3, 9, 16, 24}, gen) * 2 - 1;
    const at::Tensor image = clip.narrow(2, 0, 1);

    const at::Tensor zImage = vae->encode(image);
    EXPECT_EQ(zImage.sizes(), (std::vector<int64_t>{1, 16, 1, 2, 3}));
    EXPECT_EQ(zImage.scalar_type(), at::kFloat);
    const at::Tensor zClip = vae->encode(clip);
    EXPECT_EQ(zClip.sizes(), (std::vector<int64_t>{1, 16, 3, 2, 3}));
    // The encoder is causal: latent 0 depends on frame 0 only.
    EXPECT_LE(relativeError(zClip.narrow(2, 0, 1), zImage), 1e-6);

    // Normalisation: (mu - mean) / std per channel.
    const at::Tensor mu = vae->encodeRawMean(image);
    const at::Tensor mean = at::tensor(wanLatentMean()).view({1, 16, 1, 1, 1});
    const at::Tensor stdv = at::tensor(wanLatentStd()).view({1, 16, 1, 1, 1});
    EXPECT_LE(relativeError((mu - mean) / stdv, zImage), 1e-6);

    // A batch of two encodes each clip as alone.
    const at::Tensor pair = vae->encode(at::cat({image, image.flip(3)}, 0));
    EXPECT_LE(relativeError(pair.narrow(0, 0, 1), zImage), 1e-6);
}

TEST(WanVae, RejectsBadInputs) {
    const auto vae = smallVae();
    // Clips need 1 + 4k frames, 3 channels, sizes a multiple of 8.
    EXPECT_THROW(vae->encode(at::zeros({1, 3, 8, 16, 24})), std::invalid_argument);
    EXPECT_THROW(vae->encode(at::zeros({1, 4, 1, 16, 24})), std::invalid_argument);
    EXPECT_THROW(vae->encode(at::zeros({1, 3, 1, 12, 24})), std::invalid_argument);
    EXPECT_THROW(vae->encode(at::zeros({3, 1, 16, 24})), std::invalid_argument);
    EXPECT_THROW(vae->decode(at::zeros({1, 15, 2, 2, 3})), std::invalid_argument);
    EXPECT_THROW(vae->decode(at::Tensor()), std::invalid_argument);
}

TEST(WanVae, DemoZeroCacheModeIsTheDemosApproximation) {
    const auto vae = smallVae();
    const at::Tensor z = latents(5);
    // Same frame counts as the exact decoder (the first latent's 4 frames lose 3) ...
    const at::Tensor demo = streamDecode(vae, z, {3, 2}, WanVaeStreamDecoder::Mode::DemoZeroCache);
    const at::Tensor exact = vae->decode(z);
    ASSERT_EQ(demo.sizes(), exact.sizes());
    // ... but other values: the temporal upsampling sees zero history from the first frame.
    EXPECT_GT(relativeError(demo, exact), 1e-3);
    // Chunking does not matter in this mode either.
    const at::Tensor demoOnes =
        streamDecode(vae, z, chunksOf(5, 1), WanVaeStreamDecoder::Mode::DemoZeroCache);
    EXPECT_LE(relativeError(demoOnes, demo), 1e-6);
}

std::string errorOf(const WanVaeConfig& c, const io::Weights& w) {
    try {
        WanVae vae(c, w);
    } catch (const io::WeightsError& e) {
        return e.tensor() + " | " + e.what();
    }
    return "no error";
}

TEST(WanVae, BadWeightsNameTheTensor) {
    const WanVaeConfig c = smallVaeConfig();
    const io::Weights good = makeRandomVaeWeights(c, 1, at::kFloat, at::kCPU);
    const std::string victim = "decoder.upsamples.2.time_conv.weight";
    ASSERT_TRUE(good.has(victim));

    io::Weights missing("missing.safetensors");
    for (const auto& n : good.names()) {
        if (n != victim) {
            missing.insert(n, good.get(n));
        }
    }
    std::string e = errorOf(c, missing);
    EXPECT_EQ(e.rfind(victim + " | ", 0), 0u) << e;
    EXPECT_NE(e.find("missing.safetensors"), std::string::npos) << e;

    io::Weights wrongShape = good;
    wrongShape.insert(victim, at::zeros({8, 16, 3, 1, 1}));
    e = errorOf(c, wrongShape);
    EXPECT_EQ(e.rfind(victim + " | ", 0), 0u) << e;
    EXPECT_NE(e.find("shape"), std::string::npos) << e;

    io::Weights extra = good;
    extra.insert("blocks.0.self_attn.q.weight", at::zeros({2, 2}));
    e = errorOf(c, extra);
    EXPECT_EQ(e.rfind("blocks.0.self_attn.q.weight | ", 0), 0u) << e;

    io::Weights mixed = good;
    mixed.insert(victim, good.get(victim).to(at::kDouble));
    e = errorOf(c, mixed);
    EXPECT_EQ(e.rfind(victim + " | ", 0), 0u) << e;

    // Weights of another configuration fail on the first tensor that differs.
    WanVaeConfig wider = c;
    wider.dim = 8;
    e = errorOf(wider, good);
    EXPECT_EQ(e.rfind("encoder.conv1.weight | ", 0), 0u) << e;
}

TEST(WanVae, RandomWeightsAreSeededAndComplete) {
    const io::Weights a = makeRandomVaeWeights(smallVaeConfig(), 5, at::kFloat, at::kCPU);
    const io::Weights b = makeRandomVaeWeights(smallVaeConfig(), 5, at::kFloat, at::kCPU);
    const io::Weights other = makeRandomVaeWeights(smallVaeConfig(), 6, at::kFloat, at::kCPU);
    EXPECT_EQ(a.size(), 146u); // the golden set's key count (num_res_blocks 1)
    for (const auto& n : a.names()) {
        EXPECT_TRUE(at::equal(a.get(n), b.get(n))) << n;
    }
    EXPECT_FALSE(at::equal(a.get("decoder.conv1.weight"), other.get("decoder.conv1.weight")));
    WanVaeConfig twoBlocks = smallVaeConfig();
    twoBlocks.numResBlocks = 2;
    // The real checkpoint's key count (spec appendix 1).
    EXPECT_EQ(makeRandomVaeWeights(twoBlocks, 5, at::kFloat, at::kCPU).size(), 194u);
}

TEST(WanVae, ConfigValidation) {
    WanVaeConfig c;
    c.temporalDownsample = {false, true};
    EXPECT_THROW(c.validate(), std::invalid_argument);
    c = WanVaeConfig();
    c.zDim = 8;
    EXPECT_THROW(c.validate(), std::invalid_argument);
    c = WanVaeConfig();
    c.numResBlocks = 0;
    EXPECT_THROW(c.validate(), std::invalid_argument);
    EXPECT_NO_THROW(WanVaeConfig().validate());
}

} // namespace
} // namespace sfs::inference::models
