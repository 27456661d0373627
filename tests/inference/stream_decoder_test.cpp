// The streaming-decoder contract (models/stream_decoder.h), the same for the Wan VAE and TAEHV:
// pipeline layout in, [B, T, 3, H, W] float32 in [0, 1] out, the frame grid's counts for every
// chunking, chunked == one-shot, reset == a new decoder, the factory, and the 8-bit conversion.

#include "io/safetensors.h"
#include "model_test_util.h"
#include "models/stream_decoder.h"
#include "models/taehv.h"
#include "models/wan_vae.h"
#include "sfs/inference/frame_grid.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace sfs::inference::models {
namespace {

using modeltest::chunksOf;
using modeltest::relativeError;

const DecoderModels& models() {
    static const DecoderModels m{modeltest::smallVae(), modeltest::smallTaehv()};
    return m;
}

// Pipeline-layout latents [1, frames, 16, 2, 3].
at::Tensor latents(int64_t frames, uint64_t seed = 3) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    return at::randn({1, frames, 16, 2, 3}, gen);
}

// What each decoder's model gives for the whole clip at once, in the contract's layout and range.
at::Tensor oneShot(const std::string& name, const at::Tensor& z) {
    if (name == kWanVaeDecoderName) {
        const at::Tensor raw = models().wanVae->decode(z.permute({0, 2, 1, 3, 4}));
        return (raw.clamp(-1, 1) * 0.5 + 0.5).permute({0, 2, 1, 3, 4});
    }
    return models().taehv->decode(z, /*parallel=*/false);
}

// Streams `z` in `chunks`; checks layout, range and the frame grid's count of every call.
at::Tensor streamDecode(StreamDecoder& decoder, const at::Tensor& z,
                        const std::vector<int64_t>& chunks) {
    std::vector<at::Tensor> parts;
    int64_t start = 0;
    for (const int64_t k : chunks) {
        const at::Tensor frames = decoder.decode(z.narrow(1, start, k));
        const int64_t want = start == 0 ? 1 + 4 * (k - 1) : 4 * k;
        EXPECT_EQ(frames.sizes(),
                  (std::vector<int64_t>{z.size(0), want, 3, 8 * z.size(3), 8 * z.size(4)}))
            << decoder.name() << ": chunk of " << k << " at latent frame " << start;
        EXPECT_EQ(frames.scalar_type(), at::kFloat);
        EXPECT_TRUE(frames.is_contiguous());
        EXPECT_GE(frames.min().item<float>(), 0.0f);
        EXPECT_LE(frames.max().item<float>(), 1.0f);
        start += k;
        EXPECT_EQ(decoder.latentFramesDecoded(), start);
        EXPECT_EQ(decoder.framesDecoded(), frame_grid::framesForLatentFrames(start));
        parts.push_back(frames);
    }
    return at::cat(parts, 1);
}

TEST(StreamDecoder, BothDecodersKeepOneLayoutRangeAndFrameGrid) {
    const at::Tensor z = latents(7);
    for (const std::string& name : streamDecoderNames()) {
        const at::Tensor expected = oneShot(name, z);
        ASSERT_EQ(expected.sizes(), (std::vector<int64_t>{1, 25, 3, 16, 24})) << name;
        for (const auto& chunks : {chunksOf(7, 1), chunksOf(7, 3), std::vector<int64_t>{2, 4, 1},
                                   std::vector<int64_t>{7}}) {
            const auto decoder = makeStreamDecoder(name, models());
            EXPECT_EQ(decoder->name(), name);
            const at::Tensor streamed = streamDecode(*decoder, z, chunks);
            EXPECT_LE(relativeError(streamed, expected), 1e-5)
                << name << ", chunks of " << chunks[0];
        }
    }
}

// On the golden set's weights (the real TAEHV, a small Wan VAE), against the reference's outputs:
// oracles independent of these decoders. The Wan VAE's is its one-shot decode, in the contract's
// range here (the golden runner checks the unclamped stream against it as well).
TEST(StreamDecoder, ChunkedDecodeMatchesTheReference) {
    const std::string dir = modeltest::goldenDir();
    WanVaeConfig vaeConfig;
    vaeConfig.dim = 16;
    vaeConfig.numResBlocks = 1; // manifest configs.vae
    const DecoderModels golden{
        std::make_shared<const WanVae>(
            vaeConfig, io::Weights::fromSafetensors(dir + "vae_weights.safetensors", at::kFloat)),
        std::make_shared<const Taehv>(
            TaehvConfig(),
            io::Weights::fromSafetensors(dir + "taehv_weights.safetensors", at::kFloat))};
    const auto vaeIo = io::SafetensorsFile::open(dir + "vae_io.safetensors");
    const auto taehvIo = io::SafetensorsFile::open(dir + "taehv_io.safetensors");
    const at::Tensor vaeRaw = vaeIo->load("decode_out_raw", at::kFloat);
    const std::map<std::string, std::pair<at::Tensor, at::Tensor>> cases{
        {kWanVaeDecoderName,
         {vaeIo->load("decode_in_z", at::kFloat).permute({0, 2, 1, 3, 4}),
          (vaeRaw.clamp(-1, 1) * 0.5 + 0.5).permute({0, 2, 1, 3, 4})}},
        {kTaehvDecoderName,
         {taehvIo->load("decode_in_latents", at::kFloat),
          taehvIo->load("stream_decode", at::kFloat)}}};
    for (const auto& [name, io] : cases) {
        const auto& [z, expected] = io;
        for (const int64_t size : {1, 2, 3}) {
            const auto decoder = makeStreamDecoder(name, golden);
            const at::Tensor streamed = streamDecode(*decoder, z, chunksOf(z.size(1), size));
            ASSERT_EQ(streamed.sizes(), expected.sizes()) << name;
            EXPECT_LE(relativeError(streamed, expected), 1e-4) << name << ", chunks of " << size;
        }
    }
}

TEST(StreamDecoder, ResetStartsATakeIdenticalToANewDecoder) {
    const at::Tensor first = latents(4, 11);
    const at::Tensor second = latents(5, 12);
    for (const std::string& name : streamDecoderNames()) {
        const auto used = makeStreamDecoder(name, models());
        streamDecode(*used, first, {1, 3});
        used->reset();
        EXPECT_EQ(used->latentFramesDecoded(), 0) << name;
        const at::Tensor again = streamDecode(*used, second, {1, 3, 1});
        const auto fresh = makeStreamDecoder(name, models());
        EXPECT_TRUE(at::equal(again, streamDecode(*fresh, second, {1, 3, 1}))) << name;
        // A new take may have another size; within a take it may not change.
        used->reset();
        EXPECT_EQ(used->decode(at::zeros({1, 1, 16, 4, 3})).sizes(),
                  (std::vector<int64_t>{1, 1, 3, 32, 24}))
            << name;
        EXPECT_THROW(used->decode(at::zeros({1, 1, 16, 2, 3})), std::invalid_argument) << name;
    }
}

TEST(StreamDecoder, RejectsOtherLayouts) {
    for (const std::string& name : streamDecoderNames()) {
        const auto decoder = makeStreamDecoder(name, models());
        // The Wan VAE's own layout [B, 16, F, h, w] is not the contract's.
        EXPECT_THROW(decoder->decode(at::zeros({1, 16, 3, 2, 3})), std::invalid_argument) << name;
        EXPECT_THROW(decoder->decode(at::zeros({1, 0, 16, 2, 3})), std::invalid_argument) << name;
        EXPECT_THROW(decoder->decode(at::zeros({3, 16, 2, 3})), std::invalid_argument) << name;
        EXPECT_THROW(decoder->decode(at::Tensor()), std::invalid_argument) << name;
        EXPECT_EQ(decoder->latentFramesDecoded(), 0) << name;
    }
}

TEST(StreamDecoder, FactoryNamesTheDecoders) {
    EXPECT_EQ(streamDecoderNames(), (std::vector<std::string>{"wan-vae", "taehv"}));
    try {
        makeStreamDecoder("vqgan", models());
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "decoder \"vqgan\" is not one of wan-vae, taehv");
    }
    EXPECT_THROW(makeStreamDecoder("taehv", {models().wanVae, nullptr}), std::invalid_argument);
    EXPECT_THROW(makeStreamDecoder("wan-vae", {nullptr, models().taehv}), std::invalid_argument);
    EXPECT_NE(dynamic_cast<WanVaeStreamDecoder*>(makeStreamDecoder("wan-vae", models()).get()),
              nullptr);
    EXPECT_NE(dynamic_cast<TaehvStreamDecoder*>(makeStreamDecoder("taehv", models()).get()),
              nullptr);
}

// A decoder that makes 4 frames of every latent frame, the first one included: the contract
// refuses its output (a broken decoder cannot hand out frames off the grid).
class OffGridDecoder : public StreamDecoder {
public:
    const char* name() const override { return "off-grid"; }

protected:
    at::Tensor decodeNext(const at::Tensor& latents) override {
        return at::zeros({latents.size(0), 4 * latents.size(1), 3, 8, 8});
    }
    void resetStream() override {}
};

TEST(StreamDecoder, OutputOffTheFrameGridIsRefused) {
    OffGridDecoder decoder;
    EXPECT_THROW(decoder.decode(at::zeros({1, 2, 16, 1, 1})), std::logic_error);
    EXPECT_EQ(decoder.latentFramesDecoded(), 0);
}

TEST(StreamDecoder, Rgb8RoundsToNearestAndClamps) {
    // One frame of 2 x 3 pixels; channel c of pixel (y, x) holds values[c][y * 3 + x].
    const float nan = std::nanf("");
    const std::vector<std::vector<float>> values{
        {-1.0f, 0.0f, 1.0f, 2.0f, 0.5f, 0.25f},
        {0.2f, 0.4f / 255, 0.6f / 255, 254.4f / 255, 254.6f / 255, nan},
        {-0.001f, 1.001f, 100.0f / 255, 0.75f, 0.1f, 0.8f}};
    const std::vector<std::vector<int>> expected{
        {0, 0, 255, 255, 128, 64}, {51, 0, 1, 254, 255, 0}, {0, 255, 100, 191, 26, 204}};
    at::Tensor frames = at::empty({1, 1, 3, 2, 3});
    for (int c = 0; c < 3; ++c) {
        for (int i = 0; i < 6; ++i) {
            frames[0][0][c][i / 3][i % 3] = values[c][i];
        }
    }
    const at::Tensor rgb = toRgb8(frames);
    ASSERT_EQ(rgb.sizes(), (std::vector<int64_t>{1, 1, 2, 3, 3}));
    EXPECT_EQ(rgb.scalar_type(), at::kByte);
    EXPECT_TRUE(rgb.is_contiguous());
    // Interleaved RGB, rows top to bottom: byte (y * 3 + x) * 3 + c.
    const uint8_t* bytes = rgb.data_ptr<uint8_t>();
    for (int c = 0; c < 3; ++c) {
        for (int i = 0; i < 6; ++i) {
            EXPECT_EQ(bytes[i * 3 + c], expected[c][i])
                << "channel " << c << ", value " << values[c][i];
        }
    }
    EXPECT_THROW(toRgb8(at::zeros({1, 1, 4, 2, 2})), std::invalid_argument);
    EXPECT_THROW(toRgb8(at::zeros({3, 2, 2})), std::invalid_argument);
}

// The Wan VAE's -1, 0 and 1 become 0, 128 and 255 through the contract and toRgb8.
TEST(StreamDecoder, WanVaeRangeEndsAtTheByteRangeEnds) {
    const at::Tensor raw = at::tensor({-1.0f, 0.0f, 1.0f}).view({1, 1, 3, 1, 1});
    // The contract's mapping of the VAE's range (the same expression as decodeNext).
    const at::Tensor pixels = (raw * 0.5 + 0.5).clamp(0, 1);
    const at::Tensor rgb = toRgb8(pixels);
    EXPECT_EQ(rgb[0][0][0][0][0].item<uint8_t>(), 0);
    EXPECT_EQ(rgb[0][0][0][0][1].item<uint8_t>(), 128);
    EXPECT_EQ(rgb[0][0][0][0][2].item<uint8_t>(), 255);
}

TEST(FrameGrid, CountsAddUpOverAnyChunking) {
    int64_t frames = 0;
    for (int64_t latent = 0; latent < 40; ++latent) {
        EXPECT_EQ(frame_grid::firstFrameOfLatentFrame(latent), frames);
        EXPECT_EQ(frame_grid::framesOfLatentRange(latent, int64_t{1}),
                  frame_grid::framesOfLatentFrame(latent));
        for (int64_t f = frames; f < frames + frame_grid::framesOfLatentFrame(latent); ++f) {
            EXPECT_EQ(frame_grid::latentFrameOfFrame(f), latent);
        }
        frames += frame_grid::framesOfLatentFrame(latent);
        EXPECT_EQ(frame_grid::framesForLatentFrames(latent + 1), frames);
    }
    EXPECT_EQ(frame_grid::framesOfLatentRange(2, 3) + frame_grid::framesOfLatentRange(0, 2),
              frame_grid::framesForLatentFrames(5));
    EXPECT_EQ(frame_grid::framesForChunks(3), 33);
    EXPECT_EQ(frame_grid::chunksForFrames(34), 4);
}

} // namespace
} // namespace sfs::inference::models
