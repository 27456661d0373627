// TAEHV on small random configurations and the golden weights: streaming decode equals the
// parallel and sequential decode for every chunking, frame counts, the encoder's padding and
// streaming, the TGrow row rule of the loader, and bad weights and inputs. Parity with the
// reference is the golden runner's job (golden.taehv).

#include "io/safetensors.h"
#include "model_test_util.h"
#include "models/taehv.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

namespace sfs::inference::models {
namespace {

using modeltest::chunksOf;
using modeltest::relativeError;
using modeltest::smallTaehv;
using modeltest::smallTaehvConfig;

at::Tensor latents(int64_t frames, uint64_t seed = 3) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return at::randn({1, frames, 16, 2, 3}, gen);
}

// Streams `z` through a decoder in the given chunks; checks the frames of every call.
at::Tensor streamDecode(const std::shared_ptr<const Taehv>& taehv, const at::Tensor& z,
                        const std::vector<int64_t>& chunks) {
    TaehvStreamDecoder decoder(taehv);
    std::vector<at::Tensor> parts;
    int64_t start = 0;
    for (const int64_t k : chunks) {
        parts.push_back(decoder.decode(z.narrow(1, start, k)));
        EXPECT_EQ(parts.back().size(1), start == 0 ? 4 * k - 3 : 4 * k)
            << "chunk of " << k << " at latent frame " << start;
        start += k;
    }
    return at::cat(parts, 1);
}

TEST(Taehv, ChunkedStreamDecodeEqualsParallelAndSequential) {
    const auto taehv = smallTaehv();
    const at::Tensor z = latents(7);
    const at::Tensor parallel = taehv->decode(z, true);
    const at::Tensor sequential = taehv->decode(z, false);
    ASSERT_EQ(parallel.sizes(), (std::vector<int64_t>{1, 25, 3, 16, 24}));
    EXPECT_LE(relativeError(sequential, parallel), 1e-5);
    for (const auto& chunks : {chunksOf(7, 1), chunksOf(7, 2), chunksOf(7, 3),
                               std::vector<int64_t>{3, 1, 2, 1}, std::vector<int64_t>{7}}) {
        const at::Tensor streamed = streamDecode(taehv, z, chunks);
        ASSERT_EQ(streamed.sizes(), parallel.sizes());
        // The stream is the sequential traversal: the same per-frame convolutions.
        EXPECT_TRUE(at::equal(streamed, sequential)) << "chunks of " << chunks[0];
        EXPECT_LE(relativeError(streamed, parallel), 1e-5) << "chunks of " << chunks[0];
    }
}

TEST(Taehv, FrameCountsAndRange) {
    const auto taehv = smallTaehv();
    for (const int64_t t : {1, 2, 5}) {
        const at::Tensor raw = taehv->decodeRaw(latents(t), true);
        EXPECT_EQ(raw.sizes(), (std::vector<int64_t>{1, 4 * t, 3, 16, 24}));
        const at::Tensor rgb = taehv->decode(latents(t), true);
        EXPECT_EQ(rgb.size(1), 4 * t - 3);
        EXPECT_EQ(taehv->config().videoFrames(t), 4 * t - 3);
        // decode = the raw output without its first 3 frames, clamped to [0, 1].
        EXPECT_TRUE(at::equal(rgb, raw.narrow(1, 3, 4 * t - 3).clamp(0, 1)));
    }
    EXPECT_EQ(TaehvConfig().framesToTrim(), 3);
    EXPECT_EQ(TaehvConfig().timeDownscale(), 4);
}

TEST(Taehv, EncodePadsAndStreams) {
    const auto taehv = smallTaehv();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(5);
    const at::Tensor frames = at::rand({1, 9, 3, 16, 24}, gen);
    const at::Tensor z = taehv->encode(frames, true);
    EXPECT_EQ(z.sizes(), (std::vector<int64_t>{1, 3, 16, 2, 3}));
    EXPECT_EQ(taehv->encode(frames.narrow(1, 0, 8), true).size(1), 2);
    EXPECT_LE(relativeError(taehv->encode(frames, false), z), 1e-5);
    // 9 frames are padded with 3 copies of the last one.
    const at::Tensor padded =
        at::cat({frames, frames.narrow(1, 8, 1).expand({1, 3, 3, 16, 24})}, 1);
    EXPECT_TRUE(at::equal(taehv->encode(padded, true), z));

    // Streaming, in uneven chunks: a latent after every 4 frames, the rest on flush.
    TaehvStreamEncoder encoder(taehv);
    std::vector<at::Tensor> out;
    std::vector<int64_t> counts;
    int64_t start = 0;
    for (const int64_t k : {3, 2, 4}) {
        out.push_back(encoder.encode(frames.narrow(1, start, k)));
        counts.push_back(out.back().size(1));
        start += k;
    }
    out.push_back(encoder.flush());
    counts.push_back(out.back().size(1));
    EXPECT_EQ(counts, (std::vector<int64_t>{0, 1, 1, 1}));
    EXPECT_LE(relativeError(at::cat(out, 1), z), 1e-5);
    // Nothing left after a flush.
    EXPECT_EQ(encoder.flush().size(1), 0);
}

TEST(Taehv, TGrowKeepsTheLastRowsOfALargerWeight) {
    const TaehvConfig c = smallTaehvConfig();
    const io::Weights good = makeRandomTaehvWeights(c, 3, at::kFloat, at::kCPU);
    // decoder.7 is the stride-1 TGrow of the first stage (taew2_1): a checkpoint trained with
    // time upscaling there has twice the rows; the model uses the last ones.
    const std::string name = "decoder.7.conv.weight";
    const at::Tensor w = good.get(name);
    ASSERT_EQ(w.sizes(), (std::vector<int64_t>{16, 16, 1, 1}));
    io::Weights larger = good;
    larger.insert(name, at::cat({at::randn_like(w), w}, 0));
    const at::Tensor z = latents(2);
    EXPECT_TRUE(at::equal(Taehv(c, larger).decodeRaw(z, true), Taehv(c, good).decodeRaw(z, true)));
}

std::string errorOf(const TaehvConfig& c, const io::Weights& w) {
    try {
        Taehv taehv(c, w);
    } catch (const io::WeightsError& e) {
        return e.tensor() + " | " + e.what();
    }
    return "no error";
}

TEST(Taehv, BadWeightsNameTheTensor) {
    const TaehvConfig c = smallTaehvConfig();
    const io::Weights good = makeRandomTaehvWeights(c, 1, at::kFloat, at::kCPU);
    EXPECT_EQ(errorOf(c, good), "no error");
    const std::string victim = "decoder.10.conv.2.weight";
    ASSERT_TRUE(good.has(victim));

    io::Weights missing("taew2_1.safetensors");
    for (const auto& n : good.names()) {
        if (n != victim) {
            missing.insert(n, good.get(n));
        }
    }
    std::string e = errorOf(c, missing);
    EXPECT_EQ(e.rfind(victim + " | taew2_1.safetensors", 0), 0u) << e;

    io::Weights wrongShape = good;
    wrongShape.insert(victim, at::zeros({8, 8, 1, 1}));
    e = errorOf(c, wrongShape);
    EXPECT_EQ(e.rfind(victim + " | ", 0), 0u) << e;
    EXPECT_NE(e.find("shape"), std::string::npos) << e;

    io::Weights extra = good;
    extra.insert("decoder.23.weight", at::zeros({3}));
    e = errorOf(c, extra);
    EXPECT_EQ(e.rfind("decoder.23.weight | ", 0), 0u) << e;
}

TEST(Taehv, RandomWeightsOfTheRealShapes) {
    const io::Weights w = makeRandomTaehvWeights(TaehvConfig(), 1, at::kFloat, at::kCPU);
    EXPECT_EQ(w.size(), 128u); // spec appendix 2
    int64_t params = 0;
    for (const auto& n : w.names()) {
        params += w.get(n).numel();
    }
    EXPECT_EQ(params, 11315539);
}

TEST(Taehv, RejectsBadInputs) {
    const auto taehv = smallTaehv();
    EXPECT_THROW(taehv->decode(at::zeros({1, 2, 15, 2, 3})), std::invalid_argument);
    EXPECT_THROW(taehv->decode(at::zeros({2, 16, 2, 3})), std::invalid_argument);
    EXPECT_THROW(taehv->encode(at::zeros({1, 4, 3, 12, 24})), std::invalid_argument);
    EXPECT_THROW(taehv->encode(at::zeros({1, 4, 4, 16, 24})), std::invalid_argument);
    TaehvStreamDecoder decoder(taehv);
    decoder.decode(latents(1));
    EXPECT_THROW(decoder.decode(at::zeros({1, 1, 16, 4, 3})), std::invalid_argument);
    decoder.reset();
    EXPECT_EQ(decoder.decode(at::zeros({1, 1, 16, 4, 3})).size(3), 32);
    TaehvConfig c;
    c.decoderWidths = {1, 2};
    EXPECT_THROW(c.validate(), std::invalid_argument);
}

} // namespace
} // namespace sfs::inference::models
