// Keyframes on the built-in demo model (32 x 32, 1-4 chunks): strength 1 places the keyframe
// latent exactly (start, middle, end), strength 0 changes nothing, chunks before the approach
// are untouched, a start keyframe's first frame is the decode of its latent alone, the report,
// and bad keyframes (docs/keyframes.md).
#include "demo_engine_fixture.h"
#include "engine/keyframes.h"
#include "io/model_loader.h"
#include "models/stream_decoder.h"
#include "models/wan_vae.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/text.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <unistd.h>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;

constexpr int kSize = 32;

class KeyframeTest : public testing::DemoEngineTest {
protected:
    static GenerationRequest request(int64_t chunks) {
        GenerationRequest r;
        r.model = "demo";
        r.device = DeviceRequest{DeviceName{DeviceKind::Cpu, 0}, Precision::Float32};
        r.width = kSize;
        r.height = kSize;
        r.frames = frame_grid::framesForChunks(chunks);
        r.seed = 5;
        r.prompts = {{0, "A lighthouse at dusk."}};
        r.finalDecoder = "taehv";
        return r;
    }
    // A distinct smooth picture per `seed`.
    static KeyframeImage image(int64_t frame, int seed, float strength = 1.0f) {
        KeyframeImage k;
        k.frame = frame;
        k.width = kSize;
        k.height = kSize;
        k.strength = strength;
        k.rgb.resize(kSize * kSize * 3);
        for (int y = 0; y < kSize; ++y) {
            for (int x = 0; x < kSize; ++x) {
                for (int c = 0; c < 3; ++c) {
                    k.rgb[static_cast<size_t>((y * kSize + x) * 3 + c)] =
                        static_cast<uint8_t>((x * (seed + 3) + y * (c + 1) * 5 + seed * 40) % 256);
                }
            }
        }
        return k;
    }
};

struct Take {
    std::vector<ChunkLatents> latents;
    std::vector<RgbFrame> frames;
    GenerationResult result;
};

Take render(Engine& engine, const GenerationRequest& r) {
    Take take;
    std::mutex mutex;
    GenerationObserver o;
    o.latents = [&](const ChunkLatents& l) { take.latents.push_back(l); };
    o.frame = [&](const RgbFrame& f) {
        std::lock_guard<std::mutex> lock(mutex);
        take.frames.push_back(f);
    };
    take.result = engine.generate(r, o);
    return take;
}

// Latent frame `j` of a take, [C, h, w].
std::vector<float> latentFrame(const Take& take, int64_t j) {
    for (const ChunkLatents& c : take.latents) {
        if (j >= c.firstLatentFrame && j < c.firstLatentFrame + c.frames) {
            const size_t size = static_cast<size_t>(c.channels * c.height * c.width);
            const auto begin =
                c.values.begin() + static_cast<long>(size) * (j - c.firstLatentFrame);
            return std::vector<float>(begin, begin + static_cast<long>(size));
        }
    }
    ADD_FAILURE() << "no latent frame " << j;
    return {};
}

template <typename Error>
std::string messageOf(const std::function<void()>& run) {
    try {
        run();
    } catch (const Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

TEST_F(KeyframeTest, StrengthOnePlacesTheLatentExactlyAtStartMiddleAndEnd) {
    Engine engine(options());
    GenerationRequest r = request(4); // 45 frames, latent frames 0 .. 11
    r.keyframes = {image(0, 1), image(21, 2), image(44, 3)};
    const Take take = render(engine, r);
    ASSERT_EQ(take.latents.size(), 4u);
    const std::vector<int64_t> landing{0, 6, 11}; // ceil(f / 4)
    for (size_t i = 0; i < r.keyframes.size(); ++i) {
        const KeyframeImage& k = r.keyframes[i];
        const std::vector<float> want = engine.encodeKeyframe(
            "demo", r.device, k, k.frame == 0 ? KeyframePosition::Start : KeyframePosition::Later);
        ASSERT_EQ(want.size(), static_cast<size_t>(16 * (kSize / 8) * (kSize / 8)));
        EXPECT_EQ(latentFrame(take, landing[i]), want) << "keyframe at frame " << k.frame;
    }
    ASSERT_EQ(take.result.keyframes.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        const KeyframeReport& k = take.result.keyframes[i];
        EXPECT_EQ(k.frame, r.keyframes[i].frame);
        EXPECT_EQ(k.latentFrame, landing[i]);
        EXPECT_EQ(k.strength, 1.0f);
        EXPECT_EQ(k.relativeL2, 0.0);
        EXPECT_GT(k.snap, 0.0);
        EXPECT_GT(k.medianChange, 0.0);
    }
    // A start latent is the image alone; a later one differs (the clip's second latent frame).
    EXPECT_NE(engine.encodeKeyframe("demo", r.device, image(0, 2), KeyframePosition::Start),
              engine.encodeKeyframe("demo", r.device, image(0, 2), KeyframePosition::Later));
}

TEST_F(KeyframeTest, StrengthZeroChangesNothingBitForBit) {
    Engine engine(options());
    const GenerationRequest plain = request(3);
    GenerationRequest keyed = plain;
    keyed.keyframes = {image(0, 1, 0.0f), image(21, 2, 0.0f)};
    const Take a = render(engine, plain);
    const Take b = render(engine, keyed);
    ASSERT_EQ(a.latents.size(), b.latents.size());
    for (size_t i = 0; i < a.latents.size(); ++i) {
        EXPECT_EQ(a.latents[i].values, b.latents[i].values) << "chunk " << i;
    }
    ASSERT_EQ(a.frames.size(), b.frames.size());
    for (size_t i = 0; i < a.frames.size(); ++i) {
        EXPECT_EQ(a.frames[i].rgb, b.frames[i].rgb) << "frame " << i;
    }
    ASSERT_EQ(b.result.keyframes.size(), 2u);
    EXPECT_GT(b.result.keyframes[1].relativeL2, 0.0);
}

TEST_F(KeyframeTest, ChunksBeforeTheApproachAreUntouched) {
    Engine engine(options());
    const GenerationRequest plain = request(4);
    GenerationRequest keyed = plain;
    KeyframeImage k = image(44, 3, 0.8f); // latent frame 11, chunk 3
    k.approachChunks = 1;                 // chunk 2 is pulled, chunks 0 and 1 are not
    k.approachWeight = 0.5f;
    keyed.keyframes = {k};
    const Take a = render(engine, plain);
    const Take b = render(engine, keyed);
    ASSERT_EQ(a.latents.size(), 4u);
    ASSERT_EQ(b.latents.size(), 4u);
    EXPECT_EQ(a.latents[0].values, b.latents[0].values);
    EXPECT_EQ(a.latents[1].values, b.latents[1].values);
    EXPECT_NE(a.latents[2].values, b.latents[2].values); // the approach acts
    EXPECT_NE(a.latents[3].values, b.latents[3].values); // the landing
    ASSERT_EQ(b.result.keyframes.size(), 1u);
    EXPECT_EQ(b.result.keyframes[0].latentFrame, 11);
    EXPECT_GT(b.result.keyframes[0].relativeL2, 0.0);
}

TEST_F(KeyframeTest, AStartKeyframesFirstFrameIsTheDecodeOfItsLatentAlone) {
    Engine engine(options());
    GenerationRequest r = request(1);
    r.finalDecoder = "wan-vae";
    r.keyframes = {image(0, 4)};
    const Take take = render(engine, r);
    ASSERT_FALSE(take.frames.empty());
    const RgbFrame* first = nullptr;
    for (const RgbFrame& f : take.frames) {
        if (f.index == 0) {
            first = &f;
        }
    }
    ASSERT_NE(first, nullptr);

    std::vector<float> latent =
        engine.encodeKeyframe("demo", r.device, r.keyframes[0], KeyframePosition::Start);
    const ModelSet set = *engine.models();
    c10::InferenceMode inference;
    io::LoadOptions load;
    load.section = set.vaeFile.section;
    auto vae = std::make_shared<const models::WanVae>(
        set.vae, io::loadModelWeights(set.vaeFile.path, ModelRole::Vae, load));
    const auto decoder = models::makeStreamDecoder(models::kWanVaeDecoderName, {vae, nullptr});
    const at::Tensor z =
        at::from_blob(latent.data(), {1, 1, 16, kSize / 8, kSize / 8}, at::kFloat).clone();
    const at::Tensor rgb = models::toRgb8(decoder->decode(z)).contiguous();
    ASSERT_EQ(rgb.size(1), 1);
    const std::vector<uint8_t> alone(rgb.data_ptr<uint8_t>(),
                                     rgb.data_ptr<uint8_t>() + rgb.numel());
    EXPECT_EQ(first->rgb, alone);
}

TEST_F(KeyframeTest, BadKeyframesAreRefusedNamingTheProblem) {
    Engine engine(options());
    GenerationRequest r = request(2); // 21 frames
    r.keyframes = {image(5, 1), image(8, 2)};
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "keyframes[1]: frames 5 and 8 lie in the same latent frame (2); keep one of them");
    r.keyframes = {image(21, 1)};
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "keyframes[0]: frame 21 is not a frame of the take (0 .. 20)");
    r.keyframes = {image(4, 1, 1.5f)};
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "keyframes[0]: strength must be in [0, 1]");
    KeyframeImage small = image(4, 1);
    small.width = 16;
    r.keyframes = {small};
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "keyframes[0]: the image is 16x32; the take is 32x32 (fit it first)");
    small.rgb.resize(10);
    EXPECT_EQ(messageOf<RequestError>(
                  [&] { engine.encodeKeyframe("demo", r.device, small, KeyframePosition::Later); }),
              "image: the image holds 10 bytes; 16x32 RGB needs 1536");
    EXPECT_EQ(engine.stats().ditLoads, 0); // checked before anything loads
}

// The approach eases in toward the keyframe: nothing before it or after its steps, the full
// weight on the last frame before the landing chunk, nothing at strength 0.
TEST(KeyframeApproach, EasesInTowardTheKeyframe) {
    engine::KeyframeTarget t;
    t.latentFrame = 11; // chunk 3
    t.chunk = 3;
    t.approachChunks = 2; // latent frames 3 .. 8
    t.approachWeight = 0.5f;
    t.approachSteps = 1;
    EXPECT_EQ(engine::approachWeightOf(t, 2, 0), 0.0f);
    EXPECT_GT(engine::approachWeightOf(t, 3, 0), 0.0f);
    for (int64_t i = 3; i < 8; ++i) {
        EXPECT_LT(engine::approachWeightOf(t, i, 0), engine::approachWeightOf(t, i + 1, 0));
    }
    EXPECT_EQ(engine::approachWeightOf(t, 8, 0), 0.5f);
    EXPECT_EQ(engine::approachWeightOf(t, 9, 0), 0.0f); // the landing chunk: landing only
    EXPECT_EQ(engine::approachWeightOf(t, 8, 1), 0.0f); // past the approach steps
    t.previousAnchor = 6;                               // a keyframe at latent frame 6
    EXPECT_EQ(engine::approachWeightOf(t, 6, 0), 0.0f);
    EXPECT_GT(engine::approachWeightOf(t, 7, 0), 0.0f);
    t.strength = 0.0f;
    EXPECT_EQ(engine::approachWeightOf(t, 8, 0), 0.0f);
}

// Snap and median on latents with known changes: z_i = c_i everywhere.
TEST(KeyframeReportFigures, SnapAndMedianChange) {
    c10::InferenceMode inference;
    const std::vector<float> level{1, 2, 4, 4, 4, 8, 8, 8, 8};
    at::Tensor take = at::empty({9, 2, 1, 1});
    for (int64_t i = 0; i < 9; ++i) {
        take[i].fill_(level[static_cast<size_t>(i)]);
    }
    engine::KeyframeTarget t;
    t.frame = 28;
    t.latentFrame = 7;
    t.chunk = 2;
    t.strength = 1.0f;
    t.latent = at::full({2, 1, 1}, 10.0f);
    const auto reports = engine::keyframeReports({t}, take, 3, {true, true, true});
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].latentFrame, 7);
    EXPECT_NEAR(reports[0].relativeL2, 0.2, 1e-6);  // |8 - 10| / 10
    EXPECT_DOUBLE_EQ(reports[0].snap, 1.0);         // 4 -> 8 inside chunks 1 and 2
    EXPECT_DOUBLE_EQ(reports[0].medianChange, 1.0); // of 1, 1, 0 (chunk 0)
    // A landing chunk that was kept (not generated) or not reached has no report.
    EXPECT_TRUE(engine::keyframeReports({t}, take, 3, {true, true, false}).empty());
    EXPECT_TRUE(engine::keyframeReports({t}, take, 2, {true, true, true}).empty());
}

} // namespace
} // namespace sfs::inference
