// Keyframes on the built-in demo model (32 x 32, 1-4 chunks): strength 1 places the keyframe
// latent exactly (start, middle, end), strength 0 changes nothing, chunks before the approach
// are untouched, a start keyframe's first frame is the decode of its latent alone, the report,
// and bad keyframes; the keyframe-latent cache on disk; the context start (the reference's
// initial-latent route); and on the tiny DiT, that the cache after a landing already holds the
// landed latents (docs/keyframes.md).
#include "demo_engine_fixture.h"
#include "engine/keyframe_cache.h"
#include "engine/keyframes.h"
#include "engine/take_noise.h"
#include "engine/vace_conditioning.h"
#include "io/model_loader.h"
#include "model_test_util.h"
#include "models/stream_decoder.h"
#include "models/wan_dit.h"
#include "models/wan_vae.h"
#include "pipeline/causal_generator.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/text.h"
#include "text/prompt_encoder.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
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

// The video frame the Wan VAE makes of a start keyframe's latent decoded alone.
std::vector<uint8_t> decodedAlone(Engine& engine, const KeyframeImage& k,
                                  const DeviceRequest& device) {
    std::vector<float> latent = engine.encodeKeyframe("demo", device, k, KeyframePosition::Start);
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
    EXPECT_EQ(rgb.size(1), 1);
    return std::vector<uint8_t>(rgb.data_ptr<uint8_t>(), rgb.data_ptr<uint8_t>() + rgb.numel());
}

const RgbFrame* frameAt(const Take& take, int64_t index) {
    for (const RgbFrame& f : take.frames) {
        if (f.index == index) {
            return &f;
        }
    }
    return nullptr;
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
    const RgbFrame* first = frameAt(take, 0);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->rgb, decodedAlone(engine, r.keyframes[0], r.device));
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

// --- the keyframe-latent cache on disk ----------------------------------------------------------

// The cache's entry files in `dir` (beside them: the VAE file's remembered hash).
std::vector<fs::path> entriesIn(const std::string& dir) {
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".safetensors") {
            entries.push_back(e.path());
        }
    }
    return entries;
}

TEST_F(KeyframeTest, KeyframeLatentsAreCachedOnDiskAndAHitIsBitIdentical) {
    modeltest::TempDir dir;
    EngineOptions o = options();
    o.keyframeCacheDir = dir.path();
    const DeviceRequest cpu = request(1).device;
    const KeyframeImage k = image(0, 6);
    std::vector<float> encoded;
    {
        Engine engine(o);
        encoded = engine.encodeKeyframe("demo", cpu, k, KeyframePosition::Later);
        EXPECT_EQ(engine.stats().keyframeEncodes, 1);
        EXPECT_EQ(engine.stats().keyframeCacheHits, 0);
        // Again in the same engine: from memory.
        EXPECT_EQ(engine.encodeKeyframe("demo", cpu, k, KeyframePosition::Later), encoded);
        EXPECT_EQ(engine.stats().keyframeEncodes, 1);
        EXPECT_EQ(engine.stats().keyframeCacheHits, 1);
    }
    ASSERT_EQ(entriesIn(dir.path()).size(), 1u);
    {
        Engine engine(o); // a new session: from the disk entry, no VAE pass
        EXPECT_EQ(engine.encodeKeyframe("demo", cpu, k, KeyframePosition::Later), encoded);
        EXPECT_EQ(engine.stats().keyframeEncodes, 0);
        EXPECT_EQ(engine.stats().keyframeDiskHits, 1);
        // A generation takes it from the cache too.
        GenerationRequest r = request(2);
        KeyframeImage later = k;
        later.frame = 12;
        r.keyframes = {later};
        const Take take = render(engine, r);
        EXPECT_EQ(engine.stats().keyframeEncodes, 0);
        EXPECT_EQ(latentFrame(take, 3), encoded);
    }
}

TEST_F(KeyframeTest, ADamagedCacheEntryIsEncodedAgainAndRewritten) {
    modeltest::TempDir dir;
    EngineOptions o = options();
    o.keyframeCacheDir = dir.path();
    const DeviceRequest cpu = request(1).device;
    const KeyframeImage k = image(0, 7);
    std::vector<float> encoded;
    {
        Engine engine(o);
        encoded = engine.encodeKeyframe("demo", cpu, k, KeyframePosition::Start);
    }
    ASSERT_EQ(entriesIn(dir.path()).size(), 1u);
    const fs::path entry = entriesIn(dir.path())[0];
    const auto size = fs::file_size(entry);
    const auto damage = [&](bool truncate) {
        if (truncate) {
            fs::resize_file(entry, size / 2);
            return;
        }
        std::fstream f(entry, std::ios::in | std::ios::out | std::ios::binary);
        const auto at = static_cast<std::streamoff>(size - 5); // a byte of the latent's data
        f.seekg(at);
        const char byte = static_cast<char>(f.get());
        f.seekp(at);
        f.put(static_cast<char>(~byte));
    };
    for (bool truncate : {true, false}) {
        damage(truncate);
        {
            Engine engine(o);
            EXPECT_EQ(engine.encodeKeyframe("demo", cpu, k, KeyframePosition::Start), encoded);
            EXPECT_EQ(engine.stats().keyframeDamagedEntries, 1) << truncate;
            EXPECT_EQ(engine.stats().keyframeEncodes, 1) << truncate;
        }
        EXPECT_EQ(fs::file_size(entry), size) << "rewritten whole";
        Engine engine(o);
        EXPECT_EQ(engine.encodeKeyframe("demo", cpu, k, KeyframePosition::Start), encoded);
        EXPECT_EQ(engine.stats().keyframeDiskHits, 1) << truncate;
    }
}

TEST_F(KeyframeTest, AnotherFitSizeOrPositionIsAnotherCacheEntry) {
    modeltest::TempDir dir;
    EngineOptions o = options();
    o.keyframeCacheDir = dir.path();
    Engine engine(o);
    const DeviceRequest cpu = request(1).device;
    const KeyframeImage covered = image(0, 8);
    // The same picture fitted inside instead: black bars top and bottom.
    KeyframeImage fitted = covered;
    std::fill(fitted.rgb.begin(), fitted.rgb.begin() + kSize * 4 * 3, uint8_t{0});
    std::fill(fitted.rgb.end() - kSize * 4 * 3, fitted.rgb.end(), uint8_t{0});
    // Another project size.
    KeyframeImage wide = covered;
    wide.width = 2 * kSize;
    wide.rgb.resize(static_cast<size_t>(wide.width * wide.height * 3), 100);
    const auto a = engine.encodeKeyframe("demo", cpu, covered, KeyframePosition::Start);
    const auto b = engine.encodeKeyframe("demo", cpu, fitted, KeyframePosition::Start);
    const auto c = engine.encodeKeyframe("demo", cpu, covered, KeyframePosition::Later);
    const auto d = engine.encodeKeyframe("demo", cpu, wide, KeyframePosition::Start);
    EXPECT_NE(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(d.size(), a.size() * 2);
    EXPECT_EQ(engine.stats().keyframeEncodes, 4);
    EXPECT_EQ(engine.stats().keyframeCacheHits, 0);
    EXPECT_EQ(entriesIn(dir.path()).size(), 4u);
}

TEST(KeyframeLatentCache, TheKeyCoversEveryField) {
    engine::KeyframeLatentKey base;
    base.vaeHash = "0123456789abcdef";
    base.device = "cpu";
    base.precision = "float32";
    base.width = 32;
    base.height = 32;
    base.pixelsHash = "fedcba9876543210";
    std::vector<engine::KeyframeLatentKey> keys(8, base);
    keys[1].vaeHash = "0123456789abcdee";
    keys[2].vaeSection = "vae";
    keys[3].device = "cuda:0";
    keys[4].precision = "bfloat16";
    keys[5].width = 48;
    keys[6].position = KeyframePosition::Later;
    keys[7].pixelsHash = "fedcba9876543211";
    for (size_t i = 0; i < keys.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            EXPECT_NE(keys[i].id(), keys[j].id()) << i << " " << j;
        }
    }
    EXPECT_EQ(base.id(), engine::KeyframeLatentKey(base).id());
}

// --- the context start: the reference's initial-latent route ------------------------------------

KeyframeImage contextStart(const KeyframeImage& k) {
    KeyframeImage out = k;
    out.startMode = StartMode::Context;
    return out;
}

TEST_F(KeyframeTest, AContextStartIsLatentFrameZeroAndItsDecodeIsTheFirstFrame) {
    Engine engine(options());
    GenerationRequest r = request(2); // 21 frames, latent frames 0 .. 5
    r.finalDecoder = "wan-vae";
    r.keyframes = {contextStart(image(0, 4)), image(21 - 1, 5)}; // frame 20: latent frame 5
    const Take take = render(engine, r);
    ASSERT_EQ(take.latents.size(), 2u); // the chunk grid is kept: chunk 1 = latent frames 3 .. 5
    EXPECT_EQ(take.latents[1].firstLatentFrame, 3);
    EXPECT_EQ(take.result.framesDelivered, 21);
    EXPECT_EQ(take.frames.size(), 21u);
    EXPECT_EQ(latentFrame(take, 0),
              engine.encodeKeyframe("demo", r.device, r.keyframes[0], KeyframePosition::Start));
    EXPECT_EQ(latentFrame(take, 5),
              engine.encodeKeyframe("demo", r.device, r.keyframes[1], KeyframePosition::Later));
    const RgbFrame* first = frameAt(take, 0);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->rgb, decodedAlone(engine, r.keyframes[0], r.device));
    ASSERT_EQ(take.result.keyframes.size(), 2u);
    EXPECT_EQ(take.result.keyframes[0].latentFrame, 0);
    EXPECT_EQ(take.result.keyframes[0].relativeL2, 0.0);
    EXPECT_EQ(take.result.keyframes[1].latentFrame, 5);
    EXPECT_EQ(take.result.keyframes[1].relativeL2, 0.0);

    // It is not the landing: the generated frames differ.
    GenerationRequest landed = r;
    landed.keyframes[0].startMode = StartMode::Land;
    const Take other = render(engine, landed);
    EXPECT_EQ(latentFrame(other, 0), latentFrame(take, 0));
    EXPECT_NE(latentFrame(other, 1), latentFrame(take, 1));
}

// The engine's context start is pipeline::generate with the start latent as initial latent
// (the path the golden i2v run checks against the reference), its first 3n latent frames.
TEST_F(KeyframeTest, AContextStartIsTheGeneratorsInitialLatentRoute) {
    Engine engine(options());
    const int64_t chunks = 3;
    GenerationRequest r = request(chunks);
    r.keyframes = {contextStart(image(0, 9))};
    const Take take = render(engine, r);
    ASSERT_EQ(take.latents.size(), static_cast<size_t>(chunks));

    const ModelSet set = *engine.models();
    const std::vector<float> start =
        engine.encodeKeyframe("demo", r.device, r.keyframes[0], KeyframePosition::Start);
    c10::InferenceMode inference;
    text::PromptEncoderOptions po;
    po.encoderPath = set.textEncoderFile.path;
    po.tokenizerPath = set.tokenizerPath;
    po.textLen = static_cast<int>(set.dit.textLen);
    po.device = r.device;
    po.cacheDir.clear();
    text::PromptEncoder prompts(po);
    const at::Tensor embeds = prompts.encode(r.prompts[0].text).to(at::kFloat).unsqueeze(0);
    io::LoadOptions load;
    load.section = set.ditFile.section;
    auto dit = std::make_shared<const models::DitModel>(
        set.dit, io::loadModelWeights(set.ditFile.path, ModelRole::Dit, load));
    const int64_t frames = chunks * 3;
    pipeline::GeneratorOptions o;
    o.latentHeight = kSize / 8;
    o.latentWidth = kSize / 8;
    o.capacityFrames = frames + 1;
    pipeline::CausalGenerator generator(dit, pipeline::FlowMatchSchedule(), o);
    generator.setPrompt(embeds);
    const auto noise = engine::makeTakeNoise(r.seed);
    pipeline::GenerateRequest run;
    run.frames = frames;
    run.draws = noise.get();
    run.initialLatent = at::from_blob(const_cast<float*>(start.data()),
                                      {1, 1, 16, kSize / 8, kSize / 8}, at::kFloat)
                            .clone();
    run.independentFirstFrame = true;
    run.refreshLastBlock = false;
    const pipeline::GenerateResult want = pipeline::generate(generator, run);
    ASSERT_EQ(want.latents.size(1), frames + 1);
    for (int64_t j = 0; j < frames; ++j) { // latent frame 3n is generated and dropped
        const at::Tensor z = want.latents[0][j].contiguous();
        EXPECT_EQ(latentFrame(take, j),
                  std::vector<float>(z.data_ptr<float>(), z.data_ptr<float>() + z.numel()))
            << "latent frame " << j;
    }
}

// 7 chunks after a context frame are 22 latent frames, one more than the trained context: the
// take runs in a rolling window of 21 (with the plan's warning) and keeps its 81 frames.
TEST_F(KeyframeTest, AContextStartOfSevenChunksRunsInAWindow) {
    Engine engine(options());
    GenerationRequest r = request(7);
    r.keyframes = {contextStart(image(0, 3))};
    std::vector<std::string> warnings;
    GenerationObserver o;
    o.warning = [&](const std::string& w) { warnings.push_back(w); };
    const GenerationResult result = engine.generate(r, o);
    EXPECT_EQ(result.framesDelivered, 81);
    EXPECT_EQ(result.chunksCompleted, 7);
    bool windowed = false;
    for (const std::string& w : warnings) {
        windowed = windowed || w.find("a take of 22 latent frames is longer than the model's "
                                      "trained context of 21") != std::string::npos;
    }
    EXPECT_TRUE(windowed);
}

TEST_F(KeyframeTest, AContextStartIsRefusedWhereItCannotRun) {
    Engine engine(options());
    GenerationRequest r = request(2);
    r.keyframes = {contextStart(image(4, 1))};
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "keyframes[0]: frame 4: only a start keyframe (frame 0) can be the context the "
              "take starts from");
    r.keyframes = {contextStart(image(0, 1))};
    r.start.fromChunk = 1;
    r.start.keptLatents = "/nonexistent/latents.safetensors";
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "start.fromChunk: a take that starts from a context keyframe cannot be continued "
              "from chunk 1 (its generation blocks straddle the chunks); regenerate it from "
              "chunk 0");
}

// --- after landing: the cache already holds the landed keyframe ---------------------------------

// The landing chunk's cache pass (pushClean of its final latents, which took the blend) writes
// the self-attention rows the next chunks attend to. Re-caching the window from the landed
// latents (the engine's prompt-switch re-cache, under the same prompt) into a wiped cache gives
// the same cache bit for bit, at strength 1 and below: no extra pass is needed after a landing.
TEST(KeyframeLanding, TheCacheAfterTheLandingIsARecacheOfTheLandedLatents) {
    c10::InferenceMode inference;
    const auto model = testing::tinyDit(3);
    const at::Tensor target = testing::randn({16, 4, 6}, 77);
    const auto cacheOf = [](const pipeline::CausalGenerator& g) {
        std::vector<at::Tensor> rows;
        for (const models::LayerKv& l : g.kvCache().layers()) {
            rows.push_back(l.k.clone());
            rows.push_back(l.v.clone());
        }
        return rows;
    };
    const auto same = [](const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
        bool equal = a.size() == b.size();
        for (size_t i = 0; equal && i < a.size(); ++i) {
            equal = at::equal(a[i], b[i]);
        }
        return equal;
    };
    std::vector<at::Tensor> unlanded;
    for (float strength : {0.0f, 1.0f, 0.6f}) {
        pipeline::CausalGenerator g(model, pipeline::FlowMatchSchedule(), testing::tinyOptions());
        g.setPrompt(testing::randn({1, 8, 12}, 42));
        KeyframeImage k;
        k.frame = 17; // latent frame 5: the last of chunk 1
        k.strength = strength;
        k.approachChunks = 1;
        const auto targets = engine::keyframeTargets({k}, {target});
        pipeline::SeededNoise draws(11);
        pipeline::GenerateRequest run;
        run.frames = 6;
        run.draws = &draws;
        run.refreshLastBlock = true; // the landing chunk's cache pass
        run.onStep = [&](const pipeline::StepContext& step, at::Tensor& x0) {
            engine::applyKeyframes(targets, step, x0);
        };
        const pipeline::GenerateResult result = pipeline::generate(g, run);
        if (strength == 1.0f) {
            EXPECT_TRUE(at::equal(result.latents[0][5], target));
        }
        const std::vector<at::Tensor> after = cacheOf(g);
        // Wiped, the rows come back from the re-cache alone: they are a function of the
        // landed latents (the generator's clean frames), not left over.
        for (const models::LayerKv& l : g.kvCache().layers()) {
            l.k.fill_(0);
            l.v.fill_(0);
        }
        ASSERT_FALSE(same(cacheOf(g), after));
        ASSERT_TRUE(g.recache());
        EXPECT_TRUE(same(cacheOf(g), after)) << "strength " << strength;
        if (strength == 0.0f) {
            unlanded = after;
        } else {
            EXPECT_FALSE(same(after, unlanded)) << "the landing is in the cache: " << strength;
        }
    }
}

} // namespace
} // namespace sfs::inference

namespace sfs::inference {
namespace {

// Keyframes with VACE (docs/keyframes.md): the landing chunk takes the keyframe as a VACE
// context and the approach chunks as a reference at a rising scale; chunks before are
// untouched, and the exact landing still places the latent.
TEST_F(KeyframeTest, VaceKeyframesSteerTheApproachAndTheLanding) {
    Engine engine(options());
    GenerationRequest keyed = request(4);
    KeyframeImage k = image(44, 3); // latent frame 11, chunk 3, strength 1
    k.approachChunks = 1;           // chunk 2
    keyed.keyframes = {k};
    GenerationRequest steered = keyed;
    steered.keyframes[0].vace = true;
    const Take a = render(engine, keyed);
    const Take b = render(engine, steered);
    ASSERT_EQ(b.latents.size(), 4u);
    EXPECT_EQ(a.latents[0].values, b.latents[0].values);
    EXPECT_EQ(a.latents[1].values, b.latents[1].values);
    EXPECT_NE(a.latents[2].values, b.latents[2].values); // the reference in the approach
    EXPECT_NE(a.latents[3].values, b.latents[3].values); // the VACE context of the landing
    ASSERT_EQ(b.result.keyframes.size(), 1u);
    EXPECT_EQ(b.result.keyframes[0].relativeL2, 0.0); // still exactly on the keyframe
    // vaceScale 0 is the keyframe without VACE, bit for bit.
    steered.keyframes[0].vaceScale = 0.0f;
    EXPECT_EQ(render(engine, steered).latents[2].values, a.latents[2].values);
}

TEST_F(KeyframeTest, AReferenceImageConditionsEveryChunk) {
    Engine engine(options());
    const GenerationRequest plain = request(2);
    GenerationRequest referenced = plain;
    const KeyframeImage picture = image(0, 9);
    referenced.reference.width = picture.width;
    referenced.reference.height = picture.height;
    referenced.reference.rgb = picture.rgb;
    const Take a = render(engine, plain);
    const Take b = render(engine, referenced);
    ASSERT_EQ(b.latents.size(), 2u);
    EXPECT_NE(a.latents[0].values, b.latents[0].values);
    EXPECT_NE(a.latents[1].values, b.latents[1].values);
    referenced.reference.scale = 3.0f;
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(referenced); }),
              "reference: scale must be in [0, 2]");
}

TEST(VaceBlockPlan, LandingBeatsApproachBeatsReference) {
    KeyframeImage k;
    k.frame = 44; // latent frame 11: block 3
    k.vace = true;
    k.vaceScale = 1.5f;
    k.approachChunks = 2;
    engine::KeyframeTarget t;
    t.frame = 44;
    t.latentFrame = 11;
    t.chunk = 3;
    t.approachChunks = 2;
    ReferenceImage reference;
    reference.rgb = {1, 2, 3};
    reference.scale = 0.25f;
    using Kind = engine::VaceBlockPlan::Kind;
    const auto plan = [&](int64_t block) {
        return engine::planVaceBlock({k}, {t}, reference, block, 3 * block, 3);
    };
    EXPECT_TRUE(plan(0).kind == Kind::Reference);
    EXPECT_EQ(plan(0).scale, 0.25f);
    EXPECT_TRUE(plan(1).kind == Kind::Approach);
    EXPECT_FLOAT_EQ(plan(1).scale, 0.5f); // 1.5 x 1/3
    EXPECT_TRUE(plan(2).kind == Kind::Approach);
    EXPECT_FLOAT_EQ(plan(2).scale, 1.0f); // 1.5 x 2/3: rising
    EXPECT_TRUE(plan(3).kind == Kind::Landing);
    EXPECT_EQ(plan(3).position, 2); // latent frame 11 is the block's third
    EXPECT_EQ(plan(3).scale, 1.5f);
    EXPECT_TRUE(plan(4).kind == Kind::Reference);
    k.vace = false;
    EXPECT_TRUE(plan(3).kind == Kind::Reference);
}

} // namespace
} // namespace sfs::inference
