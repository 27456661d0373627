// The generation engine on the built-in demo model (tiny DiT, 64 x 64 video, 2-3 chunks):
// determinism, the frame grid, the observer's stages, cancel, warm reuse, pipelined decode with
// a dropping preview, the prompt schedule, request and model errors, the memory check.
#include "demo_engine_fixture.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/latents_file.h"
#include "sfs/inference/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <unistd.h>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;

// Chunks of the long-take test: past latent frame 1024 (345 chunks = 1035 latent frames).
constexpr int64_t kLongTakeChunks = 345;

// Every test process shares one demo model folder under the temp directory (materialised
// atomically, so parallel test processes agree); prompt embeddings stay in memory.
class EngineTest : public testing::DemoEngineTest {
protected:
    static GenerationRequest request(int64_t chunks, uint64_t seed = 7) {
        GenerationRequest r;
        r.model = "demo";
        r.device = DeviceRequest{DeviceName{DeviceKind::Cpu, 0}, Precision::Auto};
        r.width = 64;
        r.height = 64;
        r.frames = frame_grid::framesForChunks(chunks);
        r.seed = seed;
        r.prompts = {{0, "A paper boat drifts down a rainy street."}};
        // The demo VAE takes ~0.6 s a chunk on this CPU, TAEHV ~0.03 s: tests that are not
        // about the Wan VAE decode with TAEHV to stay fast.
        r.finalDecoder = "taehv";
        return r;
    }
};

// What an observer saw, safe to fill from the engine's threads.
struct Recorder {
    std::mutex mutex;
    std::vector<Stage> stages;
    std::vector<RgbFrame> frames;
    std::vector<RgbFrame> previews;
    std::vector<ChunkLatents> latents;
    std::vector<GenerationProgress> progress;

    GenerationObserver observer() {
        GenerationObserver o;
        o.stage = [this](Stage s) {
            auto held = lock();
            stages.push_back(s);
        };
        o.frame = [this](const RgbFrame& f) {
            auto held = lock();
            frames.push_back(f);
        };
        o.previewFrame = [this](const RgbFrame& f) {
            auto held = lock();
            previews.push_back(f);
        };
        o.latents = [this](const ChunkLatents& l) {
            auto held = lock();
            latents.push_back(l);
        };
        o.progress = [this](const GenerationProgress& p) {
            auto held = lock();
            progress.push_back(p);
        };
        return o;
    }
    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex); }
};

std::vector<uint8_t> allBytes(const std::vector<RgbFrame>& frames) {
    std::vector<uint8_t> all;
    for (const RgbFrame& f : frames) {
        all.insert(all.end(), f.rgb.begin(), f.rgb.end());
    }
    return all;
}

TEST_F(EngineTest, SameSeedGivesIdenticalFramesAndTheModelsStayWarm) {
    Engine engine(options());
    GenerationRequest r = request(2);
    r.finalDecoder = "wan-vae";
    r.width = 32; // the Wan VAE's time goes with the pixels
    r.height = 32;
    Recorder a, b, c;
    EXPECT_EQ(engine.generate(r, a.observer()).status, GenerationStatus::Done);
    const EngineStats afterFirst = engine.stats();
    EXPECT_EQ(afterFirst.ditLoads, 1);
    EXPECT_EQ(afterFirst.vaeLoads, 1);
    EXPECT_EQ(afterFirst.taehvLoads, 0); // not named by any request yet
    EXPECT_EQ(afterFirst.textEncoderRuns, 1);

    engine.generate(r, b.observer());
    ASSERT_EQ(a.frames.size(), 21u);
    ASSERT_EQ(b.frames.size(), 21u);
    EXPECT_EQ(allBytes(a.frames), allBytes(b.frames)); // bit for bit
    // Warm: nothing loaded again, the prompt came from the cache.
    const EngineStats afterSecond = engine.stats();
    EXPECT_EQ(afterSecond.ditLoads, 1);
    EXPECT_EQ(afterSecond.vaeLoads, 1);
    EXPECT_EQ(afterSecond.textEncoderRuns, 1);
    EXPECT_EQ(afterSecond.generations, 2);

    // Another seed: other latents from the first chunk on, and other frames.
    GenerationRequest other = request(2, /*seed=*/8);
    Recorder d;
    engine.generate(request(2), c.observer());
    engine.generate(other, d.observer());
    ASSERT_EQ(c.latents.size(), 2u);
    ASSERT_EQ(d.latents.size(), 2u);
    EXPECT_NE(c.latents[0].values, d.latents[0].values);
    EXPECT_NE(allBytes(c.frames), allBytes(d.frames));
}

TEST_F(EngineTest, ReloadsOnlyWhatTheRequestChanges) {
    Engine engine(options());
    int filesReported = 0;
    GenerationObserver watch;
    watch.loading = [&](const LoadStep& step) {
        EXPECT_EQ(step.index, ++filesReported);
        EXPECT_EQ(step.count, 2);
        EXPECT_TRUE(fs::exists(step.file)) << step.file;
    };
    engine.load("demo", request(1).device, watch);
    EXPECT_EQ(filesReported, 2); // the DiT and the Wan VAE
    EXPECT_EQ(engine.stats().ditLoads, 1);
    EXPECT_EQ(engine.stats().vaeLoads, 1);
    ASSERT_TRUE(engine.models().has_value());
    EXPECT_TRUE(engine.models()->demo);

    // float32 is what "auto" means on the CPU: the same placement, nothing reloaded.
    GenerationRequest r = request(1);
    r.device.precision = Precision::Float32;
    r.finalDecoder = "taehv"; // a decoder not loaded yet: loaded now, alone
    engine.generate(r);
    EngineStats s = engine.stats();
    EXPECT_EQ(s.ditLoads, 1);
    EXPECT_EQ(s.vaeLoads, 1);
    EXPECT_EQ(s.taehvLoads, 1);
    engine.generate(r);
    s = engine.stats();
    EXPECT_EQ(s.ditLoads, 1);
    EXPECT_EQ(s.taehvLoads, 1);

    // "auto" is the CPU here: still nothing. Another precision reloads every loaded model.
    engine.load("demo", DeviceRequest{});
    EXPECT_EQ(engine.stats().ditLoads, 1);
    engine.load("demo", DeviceRequest{DeviceName{DeviceKind::Cpu, 0}, Precision::BFloat16});
    s = engine.stats();
    EXPECT_EQ(s.ditLoads, 2);
    EXPECT_EQ(s.vaeLoads, 2);
    EXPECT_EQ(s.taehvLoads, 2);
}

TEST_F(EngineTest, FramesLatentsAndProgressFollowTheFrameGrid) {
    Engine engine(options());
    Recorder rec;
    const GenerationResult result = engine.generate(request(3), rec.observer());
    EXPECT_EQ(result.status, GenerationStatus::Done);
    EXPECT_EQ(result.chunksCompleted, 3);
    EXPECT_EQ(result.framesDelivered, 33);
    ASSERT_EQ(rec.frames.size(), 33u);
    for (size_t i = 0; i < rec.frames.size(); ++i) {
        EXPECT_EQ(rec.frames[i].index, static_cast<int64_t>(i));
        EXPECT_EQ(rec.frames[i].width, 64);
        EXPECT_EQ(rec.frames[i].height, 64);
        EXPECT_EQ(rec.frames[i].rgb.size(), 64u * 64u * 3u);
    }
    ASSERT_EQ(rec.latents.size(), 3u);
    for (int64_t k = 0; k < 3; ++k) {
        const ChunkLatents& l = rec.latents[static_cast<size_t>(k)];
        EXPECT_EQ(l.chunk, k);
        EXPECT_EQ(l.firstLatentFrame, 3 * k);
        EXPECT_EQ(l.frames, 3);
        EXPECT_EQ(l.channels, 16);
        EXPECT_EQ(l.height, 8);
        EXPECT_EQ(l.width, 8);
        EXPECT_EQ(l.values.size(), 3u * 16u * 8u * 8u);
    }
    // 9 frames for the first chunk, 12 for each later one.
    ASSERT_EQ(rec.progress.size(), 3u);
    const int64_t framesDone[] = {9, 21, 33};
    for (size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(rec.progress[k].chunksDone, static_cast<int64_t>(k + 1));
        EXPECT_EQ(rec.progress[k].chunksTotal, 3);
        EXPECT_EQ(rec.progress[k].framesDone, framesDone[k]);
        EXPECT_EQ(rec.progress[k].framesTotal, 33);
        EXPECT_GT(rec.progress[k].framesPerSecond, 0.0);
    }
    EXPECT_EQ(rec.progress.back().etaSeconds, 0.0);
    EXPECT_EQ(rec.stages, (std::vector<Stage>{Stage::Loading, Stage::EncodingPrompts,
                                              Stage::Generating, Stage::Decoding, Stage::Done}));
}

TEST_F(EngineTest, CancelIsAskedBeforeEveryModelCall) {
    Engine engine(options());
    // Two chunks of four steps and the cache pass between them: nine model calls.
    int asked = 0;
    engine.generate(request(2), {}, [&] { return ++asked, false; });
    EXPECT_EQ(asked, 4 + 1 + 4);

    // Stop at the second step of the second chunk: the engine does not ask again, and the
    // first chunk is complete.
    asked = 0;
    Recorder rec;
    const GenerationResult result =
        engine.generate(request(3), rec.observer(), [&] { return ++asked == 7; });
    EXPECT_EQ(asked, 7);
    EXPECT_EQ(result.status, GenerationStatus::Stopped);
    EXPECT_EQ(result.chunksCompleted, 1);
    EXPECT_EQ(rec.frames.size(), 9u);
    EXPECT_EQ(rec.latents.size(), 1u);
    EXPECT_EQ(rec.stages.back(), Stage::Done);
}

TEST_F(EngineTest, CancelFromTheFirstChunksLatentsKeepsThatChunkOnly) {
    Engine engine(options());
    std::atomic<bool> stop{false};
    int askedAfterStop = 0;
    Recorder rec;
    GenerationObserver o = rec.observer();
    o.latents = [&](const ChunkLatents& l) {
        rec.latents.push_back(l);
        stop = true;
    };
    const GenerationResult result = engine.generate(request(3), o, [&] {
        askedAfterStop += stop ? 1 : 0;
        return stop.load();
    });
    EXPECT_EQ(askedAfterStop, 1); // stopped at the first question, before any further call
    EXPECT_EQ(result.status, GenerationStatus::Stopped);
    EXPECT_EQ(result.chunksCompleted, 1);
    EXPECT_EQ(result.framesDelivered, 9);
    ASSERT_EQ(rec.frames.size(), 9u);
    EXPECT_EQ(rec.frames.back().index, 8);
    EXPECT_EQ(rec.latents.size(), 1u);

    // The stopped chunk equals the same chunk of an uninterrupted run.
    Recorder full;
    engine.generate(request(3), full.observer());
    ASSERT_EQ(full.frames.size(), 33u);
    EXPECT_EQ(allBytes(rec.frames),
              allBytes(std::vector<RgbFrame>(full.frames.begin(), full.frames.begin() + 9)));
}

// The preview consumer is held until the final decoder has delivered every frame: meanwhile
// the later chunks queue up behind the first preview chunk shown, so the chunk after it is
// dropped (a newer one waits); the final frames are all there.
TEST_F(EngineTest, ASlowPreviewDropsFramesTheFinalNever) {
    Engine engine(options());
    std::mutex mutex;
    std::condition_variable allFinal;
    int64_t finalFrames = 0;
    std::vector<int64_t> previewIndices;
    GenerationObserver o;
    o.frame = [&](const RgbFrame&) {
        std::lock_guard<std::mutex> lock(mutex);
        if (++finalFrames == 33) {
            allFinal.notify_all();
        }
    };
    o.previewFrame = [&](const RgbFrame& f) {
        std::unique_lock<std::mutex> lock(mutex);
        allFinal.wait_for(lock, std::chrono::seconds(20), [&] { return finalFrames == 33; });
        previewIndices.push_back(f.index);
    };
    GenerationRequest r = request(3);
    r.previewDecoder = "taehv";
    const GenerationResult result = engine.generate(r, o);
    EXPECT_EQ(result.status, GenerationStatus::Done);
    EXPECT_EQ(finalFrames, 33);
    EXPECT_EQ(result.framesDelivered, 33);
    // Which earlier chunk drops depends on timing; some chunk always does, the last never.
    EXPECT_GT(result.previewFramesDropped, 0);
    EXPECT_EQ(result.previewFramesDelivered + result.previewFramesDropped, 33);
    ASSERT_EQ(static_cast<int64_t>(previewIndices.size()), result.previewFramesDelivered);
    ASSERT_GE(previewIndices.size(), 12u);
    for (size_t i = 1; i < previewIndices.size(); ++i) {
        EXPECT_LT(previewIndices[i - 1], previewIndices[i]);
    }
    EXPECT_EQ(previewIndices[previewIndices.size() - 12], 21); // chunk 2 whole
    EXPECT_EQ(previewIndices.back(), 32);
}

// While the decoder holds chunk 0 (its first frame's consumer waits), the denoiser goes on: it
// finishes chunk 1, which waits in the queue (capacity 1), and chunk 2, whose push then waits,
// so chunk 3 is not started until the decoder moves on.
TEST_F(EngineTest, DecodingOverlapsDenoisingThroughABoundedQueue) {
    Engine engine(options());
    std::mutex mutex;
    std::condition_variable changed;
    size_t latentsSeen = 0;
    size_t latentsWhileHeld = 0;
    bool overlapped = false;
    GenerationObserver o;
    o.latents = [&](const ChunkLatents&) {
        std::lock_guard<std::mutex> lock(mutex);
        ++latentsSeen;
        changed.notify_all();
    };
    o.frame = [&](const RgbFrame& f) {
        if (f.index != 0) {
            return;
        }
        std::unique_lock<std::mutex> lock(mutex);
        overlapped =
            changed.wait_for(lock, std::chrono::seconds(20), [&] { return latentsSeen >= 3; });
        // Give a denoiser that ignored the bound time to show it.
        changed.wait_for(lock, std::chrono::milliseconds(300), [&] { return latentsSeen > 3; });
        latentsWhileHeld = latentsSeen;
    };
    GenerationRequest r = request(4);
    r.decodeQueueChunks = 1;
    const GenerationResult result = engine.generate(r, o);
    EXPECT_TRUE(overlapped);
    EXPECT_EQ(latentsWhileHeld, 3u);
    EXPECT_EQ(result.framesDelivered, 45);
}

TEST_F(EngineTest, APromptSegmentTakesEffectAtTheNextChunkBoundary) {
    // Frames 0-8 are chunk 0, 9-20 chunk 1, 21-32 chunk 2.
    const std::vector<PromptSegment> segments{{0, "a"}, {10, "b"}};
    EXPECT_EQ(promptSegmentOfChunk(segments, 0), 0u);
    EXPECT_EQ(promptSegmentOfChunk(segments, 1), 0u); // starts inside chunk 1
    EXPECT_EQ(promptSegmentOfChunk(segments, 2), 1u);
    EXPECT_EQ(promptSegmentOfChunk({{0, "a"}, {9, "b"}}, 1), 1u); // on the boundary

    Engine engine(options());
    Recorder one, two;
    engine.generate(request(3), one.observer());
    GenerationRequest r = request(3);
    r.prompts.push_back({10, "A lighthouse at night, waves crashing."});
    engine.generate(r, two.observer());
    ASSERT_EQ(one.latents.size(), 3u);
    ASSERT_EQ(two.latents.size(), 3u);
    EXPECT_EQ(one.latents[0].values, two.latents[0].values);
    EXPECT_EQ(one.latents[1].values, two.latents[1].values);
    EXPECT_NE(one.latents[2].values, two.latents[2].values);
}

// A callback that throws (a full disk while writing a frame) stops the generation with its
// error, from either thread, and the engine stays usable.
TEST_F(EngineTest, AnErrorInACallbackStopsTheGeneration) {
    Engine engine(options());
    GenerationObserver o;
    o.frame = [](const RgbFrame& f) {
        if (f.index == 3) {
            throw std::runtime_error("frame 3: disk full");
        }
    };
    try {
        engine.generate(request(3), o);
        ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "frame 3: disk full");
    }
    GenerationObserver p;
    p.latents = [](const ChunkLatents& l) {
        if (l.chunk == 1) {
            throw std::runtime_error("latents of chunk 1 not stored");
        }
    };
    EXPECT_THROW(engine.generate(request(3), p), std::runtime_error);
    Recorder rec;
    EXPECT_EQ(engine.generate(request(2), rec.observer()).framesDelivered, 21);
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

TEST_F(EngineTest, BadRequestsNameTheSetting) {
    Engine engine(options());
    GenerationRequest r = request(1);
    r.width = 100;
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "width: 100 is not a positive multiple of 16");
    r = request(1);
    r.height = 8;
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "height: 8 is not a positive multiple of 16");
    r = request(1);
    r.frames = 20;
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "frames: 20 is not a whole number of chunks (12n - 3: 9, 21, 33, ...); the nearest "
              "are 9 and 21");
    r = request(2);
    r.windowLatentFrames = 4;
    r.sinkLatentFrames = 3;
    EXPECT_NE(messageOf<RequestError>([&] { engine.generate(r); }).find("windowLatentFrames: 4"),
              std::string::npos);
    r = request(1);
    r.previewDecoder = "vqgan";
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "previewDecoder: \"vqgan\" is not one of wan-vae, taehv");
    r = request(1);
    r.prompts.push_back({0, "again"});
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "prompts[1]: segments must start at increasing frames");
    r = request(1);
    r.keyframes.push_back({9, 64, 64, std::vector<uint8_t>(64 * 64 * 3), 1.0f});
    EXPECT_EQ(messageOf<RequestError>([&] { engine.generate(r); }),
              "keyframes[0]: frame 9 is not a frame of the take (0 .. 8)");
    EXPECT_EQ(engine.stats().ditLoads, 0); // checked before anything loads
}

TEST_F(EngineTest, AMissingModelFolderIsNamed) {
    Engine engine(options());
    GenerationRequest r = request(1);
    r.model = (fs::temp_directory_path() / "sfs-engine-no-such-models").string();
    const std::string message = messageOf<EngineError>([&] { engine.generate(r); });
    EXPECT_NE(message.find(r.model), std::string::npos) << message;
    EXPECT_FALSE(engine.models().has_value());

    // The models loaded before stay warm.
    engine.generate(request(1));
    EXPECT_THROW(engine.generate(r), EngineError);
    engine.generate(request(1));
    EXPECT_EQ(engine.stats().ditLoads, 1);
}

// A truncated DiT file: discovery does not take it for a DiT, so the folder is refused with the
// role and the files to look for.
TEST_F(EngineTest, AFolderWithADamagedDitIsNamed) {
    Engine engine(options());
    engine.load("demo", request(1).device);
    const fs::path demo = fs::path(engine.models()->ditFile.path).parent_path();
    const fs::path copy =
        fs::temp_directory_path() / ("sfs-engine-damaged-" + std::to_string(::getpid()));
    fs::remove_all(copy);
    fs::copy(demo, copy);
    const fs::path dit = copy / fs::path(engine.models()->ditFile.path).filename();
    fs::resize_file(dit, fs::file_size(dit) / 2);
    GenerationRequest r = request(1);
    r.model = copy.string();
    const std::string message = messageOf<EngineError>([&] { engine.generate(r); });
    EXPECT_EQ(message.rfind("cannot use the model folder: " + copy.string() + ": ", 0), 0u)
        << message;
    EXPECT_NE(message.find("dit: missing (look for "), std::string::npos) << message;
    fs::remove_all(copy);
}

TEST_F(EngineTest, WindowedRunsGenerateEveryChunk) {
    Engine engine(options());
    GenerationRequest r = request(3);
    r.windowLatentFrames = 6;
    r.sinkLatentFrames = 3;
    Recorder rec;
    EXPECT_EQ(engine.generate(r, rec.observer()).framesDelivered, 33);
}

TEST(EngineMemory, TheEstimateCountsTheWeightsAndTheCacheOfTheWindow) {
    ModelSet set;
    set.dit = DitConfig::wan13B();
    set.vae = WanVaeConfig::wan21();
    set.textEncoder = UMT5Config::xxl();
    GenerationRequest r;
    r.width = 832;
    r.height = 480;
    r.frames = 81;
    const MemoryEstimate need = estimateMemory(set, r, Precision::BFloat16, false);
    // 1.4 billion bf16 weights, and a KV cache of 21 frames x 1560 tokens x 30 layers x 2.
    EXPECT_NEAR(static_cast<double>(need.ditWeights) / 1e9, 2.8, 0.1);
    EXPECT_EQ(need.kvCache, 2ull * 30 * 1536 * (21 * 1560 + 512) * 2);
    EXPECT_GT(need.decoders, 0u);
    EXPECT_EQ(need.textEncoder, 0u);
    // A window keeps the cache at its size whatever the length.
    r.windowLatentFrames = 12;
    r.frames = frame_grid::framesForChunks(int64_t{40});
    EXPECT_EQ(estimateMemory(set, r, Precision::BFloat16, false).kvCache,
              2ull * 30 * 1536 * (12 * 1560 + 512) * 2);
}

// The guardrail (checkMemory, shared by `render --dry-run` and the studio) on a simulated device
// memory: the real 1.3B shapes at 832x480, 81 frames, on a 16 GiB GPU.
ModelSet realShapes() {
    ModelSet set;
    set.dit = DitConfig::wan13B();
    set.vae = WanVaeConfig::wan21();
    set.textEncoder = UMT5Config::xxl();
    set.taehv = TaehvConfig::taew21();
    return set;
}

RuntimeInfo oneGpu(uint64_t bytes) {
    RuntimeInfo machine;
    machine.cudaBuild = machine.cudaAvailable = true;
    machine.cudaDeviceCount = 1;
    machine.gpus = {{"Simulated GPU", bytes}};
    return machine;
}

TEST(EngineMemory, ARequestThatDoesNotFitIsRefusedWithTheSettingsThatFit) {
    const ModelSet set = realShapes();
    GenerationRequest r;
    r.frames = 81;
    r.finalDecoder = "wan-vae";
    const RuntimeInfo machine = oneGpu(16ull << 30);
    const MemoryCheck roomy = checkMemory(set, r, machine, 15ull << 30);
    EXPECT_TRUE(roomy.fits()) << roomy.report();
    EXPECT_TRUE(roomy.suggestions.empty());
    EXPECT_EQ(roomy.precision, Precision::BFloat16);
    EXPECT_FALSE(roomy.textEncoderOnDevice); // a 16 GiB card: the encoder runs on the CPU
    EXPECT_EQ(roomy.deviceLabel, "cuda:0 (Simulated GPU)");

    const uint64_t free = 8ull << 30;
    const MemoryCheck tight = checkMemory(set, r, machine, free);
    ASSERT_FALSE(tight.fits()) << tight.report();
    EXPECT_EQ(tight.shortBy(), tight.need.total() - free);
    ASSERT_FALSE(tight.suggestions.empty()) << tight.report();
    bool window = false;
    for (const MemorySuggestion& s : tight.suggestions) {
        EXPECT_LE(s.need.total(), free) << s.description;
        if (s.change == MemorySuggestion::Change::SmallerWindow) {
            window = true;
            // The largest window that fits: one chunk more would not.
            GenerationRequest larger = r;
            larger.windowLatentFrames = s.windowLatentFrames + frame_grid::kLatentFramesPerChunk;
            larger.sinkLatentFrames = s.sinkLatentFrames;
            EXPECT_GT(checkMemory(set, larger, machine, free).need.total(), free);
            EXPECT_LT(s.windowLatentFrames, 21);
        }
    }
    EXPECT_TRUE(window) << tight.report();
    const std::string report = tight.report();
    EXPECT_NE(report.find("DOES NOT FIT: " + formatBytes(tight.shortBy()) + " short"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("would fit: a rolling window of "), std::string::npos) << report;

    // A 48 GiB card holds the text encoder: moving it to the CPU is then a way to fit.
    const RuntimeInfo big = oneGpu(48ull << 30);
    const MemoryCheck shared = checkMemory(set, r, big, 14ull << 30);
    EXPECT_TRUE(shared.textEncoderOnDevice);
    ASSERT_FALSE(shared.fits()) << shared.report();
    EXPECT_TRUE(std::any_of(shared.suggestions.begin(), shared.suggestions.end(), [](auto& s) {
        return s.change == MemorySuggestion::Change::TextEncoderOnCpu && s.textEncoderOnCpu;
    })) << shared.report();

    // The CPU in float32: half precision is offered.
    GenerationRequest cpu = r;
    cpu.device.device = {DeviceKind::Cpu, 0};
    const MemoryCheck host = checkMemory(set, cpu, RuntimeInfo{}, 20ull << 30);
    EXPECT_EQ(host.deviceLabel, "the CPU");
    ASSERT_FALSE(host.fits()) << host.report();
    EXPECT_TRUE(std::any_of(host.suggestions.begin(), host.suggestions.end(), [](auto& s) {
        return s.change == MemorySuggestion::Change::LowerPrecision &&
               s.precision == Precision::BFloat16;
    })) << host.report();

    // Nothing fits in 1 GiB (the weights alone are larger): refused without suggestions.
    const MemoryCheck hopeless = checkMemory(set, r, machine, 1ull << 30);
    EXPECT_FALSE(hopeless.fits());
    EXPECT_TRUE(hopeless.suggestions.empty());
    EXPECT_NE(hopeless.report().find("no setting change fits"), std::string::npos);
    // Unknown free memory is never a refusal.
    EXPECT_TRUE(checkMemory(set, r, machine, 0).fits());
}

TEST(EngineMemory, TheTextEncoderAndTheGenerationDoNotPeakTogether) {
    MemoryEstimate m;
    m.ditWeights = 10;
    m.decoders = 5;
    m.kvCache = 20;
    m.ditActivations = 7;
    m.textEncoder = 100; // freed after encoding, before the caches fill
    EXPECT_EQ(m.total(), 115u);
    m.textEncoder = 3;
    EXPECT_EQ(m.total(), 42u);
}

TEST(EngineMemory, FreeMemoryOfThisMachine) {
    EXPECT_GT(freeMemoryBytes({DeviceKind::Cpu, 0}), 0u); // /proc/meminfo's MemAvailable
    EXPECT_LE(freeMemoryBytes({DeviceKind::Cpu, 0}), hostMemoryBytes());
}

TEST(EngineMemory, ASimulatedFreeMemoryReplacesTheDevices) {
    const uint64_t real = freeMemoryBytes({DeviceKind::Cpu, 0});
    ::setenv("SFS_SIMULATED_FREE_MEMORY", "6G", 1);
    EXPECT_EQ(freeMemoryBytes({DeviceKind::Cpu, 0}), 6ull << 30);
    EXPECT_EQ(freeMemoryBytes({DeviceKind::Cuda, 0}), 6ull << 30);
    ::setenv("SFS_SIMULATED_FREE_MEMORY", "1536M", 1);
    EXPECT_EQ(freeMemoryBytes({DeviceKind::Cpu, 0}), 1536ull << 20);
    ::setenv("SFS_SIMULATED_FREE_MEMORY", "123456", 1);
    EXPECT_EQ(freeMemoryBytes({DeviceKind::Cpu, 0}), 123456u);
    ::setenv("SFS_SIMULATED_FREE_MEMORY", "lots", 1); // not a size: the device is asked
    EXPECT_GT(freeMemoryBytes({DeviceKind::Cpu, 0}), 0u);
    ::unsetenv("SFS_SIMULATED_FREE_MEMORY");
    EXPECT_GT(real, 0u);
}

// The engine refuses by the device's FREE memory (Engine::checkMemory, before loading), says by
// how much, and names the settings that would fit; what a warm engine holds counts as its own.
TEST_F(EngineTest, TooLittleFreeMemoryIsRefusedWithTheSettingsThatFit) {
    auto free = std::make_shared<std::atomic<uint64_t>>(64ull << 30);
    EngineOptions o = options();
    o.machine = RuntimeInfo{}; // a CPU only
    o.freeMemory = [free](const DeviceName&) { return free->load(); };
    Engine engine(o);
    GenerationRequest r = request(4); // 45 frames
    const MemoryCheck roomy = engine.checkMemory(r);
    ASSERT_TRUE(roomy.fits()) << roomy.report();
    EXPECT_EQ(roomy.deviceLabel, "the CPU");
    EXPECT_EQ(roomy.precision, Precision::Float32);

    free->store(roomy.need.total() * 3 / 4);
    const MemoryCheck tight = engine.checkMemory(r);
    ASSERT_FALSE(tight.fits()) << tight.report();
    ASSERT_FALSE(tight.suggestions.empty()) << tight.report();
    Recorder rec;
    const std::string message = messageOf<EngineError>([&] { engine.generate(r, rec.observer()); });
    EXPECT_EQ(message.rfind("the generation needs about ", 0), 0u) << message;
    EXPECT_NE(message.find("on the CPU, which has " + formatBytes(free->load()) + " free (" +
                           formatBytes(tight.shortBy()) + " short); it would fit with "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("bfloat16 instead of float32"), std::string::npos) << message;
    EXPECT_EQ(engine.stats().ditLoads, 0) << "refused before loading";
    // A suggestion applied fits.
    GenerationRequest lower = r;
    lower.device.precision = Precision::BFloat16;
    EXPECT_TRUE(engine.checkMemory(lower).fits()) << engine.checkMemory(lower).report();

    // Loaded, the engine's models count as available: the same free memory still fits.
    free->store(64ull << 30);
    engine.generate(r, rec.observer());
    free->store(1ull << 30);
    const uint64_t available = engine.availableMemory({DeviceKind::Cpu, 0});
    ASSERT_GT(available, free->load()) << "the loaded DiT and the generator's caches";
    const uint64_t held = available - free->load();
    free->store(roomy.need.total() - held / 2);
    EXPECT_TRUE(engine.checkMemory(r).fits()) << engine.checkMemory(r).report();
}

TEST_F(EngineTest, AMachineTooSmallIsRefusedBeforeGenerating) {
    EngineOptions o = options();
    o.machine = RuntimeInfo{}; // a CPU only
    o.hostMemoryBytes = 1ull << 20;
    Engine engine(o);
    Recorder rec;
    const std::string message =
        messageOf<EngineError>([&] { engine.generate(request(1), rec.observer()); });
    EXPECT_EQ(message.rfind("the generation needs about ", 0), 0u) << message;
    EXPECT_NE(message.find("on the CPU, which has 1 MiB"), std::string::npos) << message;
    EXPECT_EQ(rec.stages, std::vector<Stage>{Stage::Loading});
}

// --- prompt edits, continue / regenerate, long takes ------------------------------------------

namespace take_tests {

const char* const kBoat = "A paper boat drifts down a rainy street.";
const char* const kLighthouse = "A lighthouse at night, waves crashing.";

// A fresh temporary folder, removed with its contents at the end of the test.
struct TempFolder {
    fs::path path;
    explicit TempFolder(const std::string& name)
        : path(fs::temp_directory_path() /
               ("sfs-engine-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path);
    }
    ~TempFolder() { fs::remove_all(path); }
};

// Streams a run's generated chunks into a take folder (as the render job does).
GenerationObserver writingTo(Recorder& rec, TakeLatentsWriter& writer, uint64_t seed) {
    GenerationObserver o = rec.observer();
    o.latents = [&rec, &writer, seed](const ChunkLatents& l) {
        if (!l.kept) {
            writer.append(l.values.data(), l.frames, seed);
        }
        auto held = rec.lock();
        rec.latents.push_back(l);
    };
    return o;
}

// Frames [first, end) of a run's frames, in order.
std::vector<uint8_t> bytesOfFrames(const std::vector<RgbFrame>& frames, int64_t first,
                                   int64_t end) {
    std::vector<RgbFrame> part;
    for (const RgbFrame& f : frames) {
        if (f.index >= first && f.index < end) {
            part.push_back(f);
        }
    }
    return allBytes(part);
}

} // namespace take_tests

TEST_F(EngineTest, APromptEditDuringChunkOneAppliesFromChunkTwo) {
    using namespace take_tests;
    Engine engine(options());
    Recorder plain, edited, scheduled;
    engine.generate(request(3), plain.observer());

    // The edit arrives while chunk 1 denoises (the cancel check runs before every model call:
    // chunk 0's four steps, its cache pass, then chunk 1).
    int calls = 0;
    const GenerationResult result = engine.generate(request(3), edited.observer(), [&] {
        if (++calls == 7) {
            engine.setPrompts({{0, kLighthouse}});
        }
        return false;
    });
    // As if scheduled from the start: the new prompt from chunk 2's first frame.
    const int64_t chunk2 = frame_grid::firstFrameOfChunk<int64_t>(2);
    ASSERT_EQ(result.prompts.size(), 2u);
    EXPECT_EQ(result.prompts[0].startFrame, 0);
    EXPECT_EQ(result.prompts[0].text, kBoat);
    EXPECT_EQ(result.prompts[1].startFrame, chunk2);
    EXPECT_EQ(result.prompts[1].text, kLighthouse);

    GenerationRequest r = request(3);
    r.prompts = {{0, kBoat}, {chunk2, kLighthouse}};
    engine.generate(r, scheduled.observer());
    ASSERT_EQ(edited.latents.size(), 3u);
    ASSERT_EQ(scheduled.latents.size(), 3u);
    for (size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(edited.latents[k].values, scheduled.latents[k].values) << "chunk " << k;
    }
    EXPECT_EQ(allBytes(edited.frames), allBytes(scheduled.frames));
    EXPECT_EQ(edited.latents[1].values, plain.latents[1].values);
    EXPECT_NE(edited.latents[2].values, plain.latents[2].values);

    // An edit while nothing generates is dropped; a bad edit is refused where it is made.
    engine.setPrompts({{0, kLighthouse}});
    Recorder again;
    engine.generate(request(3), again.observer());
    EXPECT_EQ(again.latents[2].values, plain.latents[2].values);
    EXPECT_THROW(engine.setPrompts({{5, kLighthouse}}), RequestError);
}

// An edit during a ramp waits for the ramp's end, and then equals that schedule from the start.
TEST_F(EngineTest, APromptEditDuringARampWaitsForItsEnd) {
    using namespace take_tests;
    const char* const kForest = "A forest path in morning fog.";
    Engine engine(options());
    GenerationRequest r = request(4);
    r.prompts = {{0, kBoat}, {9, kLighthouse}}; // chunk 1 on, ramping over chunks 1-2
    r.promptRampChunks = 2;
    // Calls: chunk 0 (4 steps, cache pass), the re-cache at chunk 1 (one block), chunk 1.
    int calls = 0;
    Recorder edited, scheduled;
    const GenerationResult result = engine.generate(r, edited.observer(), [&] {
        if (++calls == 8) {
            engine.setPrompts({{0, kForest}});
        }
        return false;
    });
    const int64_t chunk3 = frame_grid::firstFrameOfChunk<int64_t>(3);
    ASSERT_EQ(result.prompts.size(), 3u);
    EXPECT_EQ(result.prompts[1].text, kLighthouse);
    EXPECT_EQ(result.prompts[2].startFrame, chunk3);
    EXPECT_EQ(result.prompts[2].text, kForest);

    GenerationRequest again = r;
    again.prompts = result.prompts;
    engine.generate(again, scheduled.observer());
    ASSERT_EQ(edited.latents.size(), 4u);
    ASSERT_EQ(scheduled.latents.size(), 4u);
    for (size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(edited.latents[k].values, scheduled.latents[k].values) << "chunk " << k;
    }
}

// The request's switch options reach the schedule: without the re-cache, or with a ramp, the
// switch chunk comes out otherwise; the chunk before it never changes.
TEST_F(EngineTest, RecacheAndRampChangeTheSwitchChunkOnly) {
    using namespace take_tests;
    Engine engine(options());
    GenerationRequest r = request(3);
    r.prompts = {{0, kBoat}, {9, kLighthouse}}; // the switch is at chunk 1
    Recorder recached, plain, ramped;
    engine.generate(r, recached.observer());
    GenerationRequest noRecache = r;
    noRecache.recacheOnPromptSwitch = false;
    engine.generate(noRecache, plain.observer());
    GenerationRequest ramp = r;
    ramp.promptRampChunks = 2;
    const GenerationResult rampResult = engine.generate(ramp, ramped.observer());
    for (const Recorder* other : {&plain, &ramped}) {
        ASSERT_EQ(other->latents.size(), 3u);
        EXPECT_EQ(other->latents[0].values, recached.latents[0].values);
        EXPECT_NE(other->latents[1].values, recached.latents[1].values);
    }
    ASSERT_EQ(rampResult.prompts.size(), 2u);
    EXPECT_EQ(rampResult.prompts[1].startFrame, 9);
}

TEST_F(EngineTest, ContinueAfterStopEqualsTheUninterruptedRun) {
    using namespace take_tests;
    Engine engine(options());
    GenerationRequest r = request(4);
    r.finalDecoder = "wan-vae"; // the decoder with the deepest causal state
    r.width = 32;
    r.height = 32;
    r.prompts = {{0, kBoat}, {9, kLighthouse}}; // a switch (and re-cache) in the replay
    Recorder whole;
    ASSERT_EQ(engine.generate(r, whole.observer()).status, GenerationStatus::Done);

    TempFolder take("continue");
    Recorder first;
    GenerationResult stopped;
    {
        TakeLatentsWriter writer(take.path.string(), {16, 4, 4});
        int calls = 0; // chunk 0: 4 steps + cache pass, chunk 1: 5 more; stop in chunk 2
        stopped =
            engine.generate(r, writingTo(first, writer, r.seed), [&] { return ++calls == 12; });
    }
    ASSERT_EQ(stopped.status, GenerationStatus::Stopped);
    ASSERT_EQ(stopped.chunksCompleted, 2);

    GenerationRequest resume = r;
    resume.prompts = stopped.prompts;
    resume.start = {stopped.chunksCompleted, take.path.string()};
    Recorder rest;
    const GenerationResult done = engine.generate(resume, rest.observer());
    EXPECT_EQ(done.status, GenerationStatus::Done);
    EXPECT_EQ(done.chunksCompleted, 4);
    ASSERT_EQ(rest.latents.size(), 4u);
    for (size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(rest.latents[k].kept, k < 2) << "chunk " << k;
        EXPECT_EQ(rest.latents[k].values, whole.latents[k].values) << "chunk " << k;
    }
    ASSERT_EQ(rest.frames.size(), whole.frames.size());
    EXPECT_EQ(allBytes(rest.frames), allBytes(whole.frames)); // bit for bit
    const int64_t keptFrames = frame_grid::framesForChunks<int64_t>(2);
    for (const RgbFrame& f : rest.frames) {
        EXPECT_EQ(f.kept, f.index < keptFrames) << "frame " << f.index;
    }
}

TEST_F(EngineTest, RegenerateFromAChunkKeepsTheChunksBeforeIt) {
    using namespace take_tests;
    Engine engine(options());
    GenerationRequest r = request(4);
    r.width = 32;
    r.height = 32;
    TempFolder take("regenerate");
    Recorder fresh;
    {
        TakeLatentsWriter writer(take.path.string(), {16, 4, 4});
        engine.generate(r, writingTo(fresh, writer, r.seed));
    }
    ASSERT_EQ(fresh.latents.size(), 4u);
    const int64_t keptFrames = frame_grid::framesForChunks<int64_t>(2);

    // The same seed from chunk 2: the fresh run again, bit for bit.
    GenerationRequest same = r;
    same.start = {2, take.path.string()};
    Recorder again;
    engine.generate(same, again.observer());
    ASSERT_EQ(again.latents.size(), 4u);
    for (size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(again.latents[k].values, fresh.latents[k].values) << "chunk " << k;
    }
    EXPECT_EQ(allBytes(again.frames), allBytes(fresh.frames));

    // Cancel is honoured during the replay of the kept chunks too (asked before chunk 0's
    // cache pass): what was delivered is a whole kept chunk.
    Recorder cut;
    const GenerationResult stopped = engine.generate(same, cut.observer(), [] { return true; });
    EXPECT_EQ(stopped.status, GenerationStatus::Stopped);
    EXPECT_EQ(stopped.chunksCompleted, 1);
    ASSERT_EQ(cut.frames.size(), 9u);
    EXPECT_TRUE(cut.frames.back().kept);

    // A new seed: chunks 0-1 unchanged, chunks 2-3 new.
    GenerationRequest reseeded = same;
    reseeded.seed = r.seed + 1;
    Recorder other;
    engine.generate(reseeded, other.observer());
    ASSERT_EQ(other.latents.size(), 4u);
    EXPECT_EQ(other.latents[0].values, fresh.latents[0].values);
    EXPECT_EQ(other.latents[1].values, fresh.latents[1].values);
    EXPECT_NE(other.latents[2].values, fresh.latents[2].values);
    EXPECT_NE(other.latents[3].values, fresh.latents[3].values);
    EXPECT_EQ(bytesOfFrames(other.frames, 0, keptFrames),
              bytesOfFrames(fresh.frames, 0, keptFrames));
    EXPECT_NE(bytesOfFrames(other.frames, keptFrames, r.frames),
              bytesOfFrames(fresh.frames, keptFrames, r.frames));
}

TEST_F(EngineTest, KeptLatentsThatDoNotFitNameTheSetting) {
    using namespace take_tests;
    Engine engine(options());
    GenerationRequest r = request(3);
    r.width = 32;
    r.height = 32;
    TempFolder take("kept");
    {
        TakeLatentsWriter writer(take.path.string(), {16, 4, 4});
        Recorder rec;
        int calls = 0; // stops in chunk 1: one chunk stored
        engine.generate(r, writingTo(rec, writer, r.seed), [&] { return ++calls == 7; });
    }
    const auto settingOf = [&](const GenerationRequest& bad) {
        try {
            engine.generate(bad);
        } catch (const RequestError& e) {
            return e.setting() + " | " + e.what();
        }
        return std::string("no error");
    };
    GenerationRequest missing = r;
    missing.start = {1, (take.path / "nothing-here").string()};
    EXPECT_EQ(settingOf(missing).rfind("start.keptLatents | ", 0), 0u) << settingOf(missing);
    GenerationRequest tooFew = r;
    tooFew.start = {2, take.path.string()};
    EXPECT_NE(settingOf(tooFew).find("holds 3 latent frames"), std::string::npos)
        << settingOf(tooFew);
    GenerationRequest otherSize = r;
    otherSize.width = otherSize.height = 64;
    otherSize.start = {1, take.path.string()};
    EXPECT_NE(settingOf(otherSize).find("16x4x4"), std::string::npos) << settingOf(otherSize);
    GenerationRequest pastTheEnd = r;
    pastTheEnd.start = {4, take.path.string()};
    EXPECT_EQ(settingOf(pastTheEnd).rfind("start.fromChunk", 0), 0u);
}

// Past latent frame 1024 with a window and a sink, at the smallest size (16 x 16 pixels, 2 x 2
// latents): the caches keep their size, which is what the estimate says.
TEST_F(EngineTest, LongTakeKeepsTheCacheSizeFlatPastFrame1024) {
    Engine engine(options());
    GenerationRequest r = request(kLongTakeChunks);
    r.width = 16;
    r.height = 16;
    r.windowLatentFrames = 6;
    r.sinkLatentFrames = 3;
    std::vector<uint64_t> bytes;
    int64_t lastFirstFrame = 0;
    GenerationObserver o;
    o.progress = [&](const GenerationProgress& p) { bytes.push_back(p.kvCacheBytes); };
    o.latents = [&](const ChunkLatents& l) { lastFirstFrame = l.firstLatentFrame; };
    EXPECT_EQ(engine.generate(r, o).status, GenerationStatus::Done);
    EXPECT_GT(lastFirstFrame, 1024);
    ASSERT_EQ(bytes.size(), static_cast<size_t>(kLongTakeChunks));
    EXPECT_GT(bytes.front(), 0u);
    EXPECT_EQ(std::count(bytes.begin(), bytes.end(), bytes.front()),
              static_cast<std::ptrdiff_t>(bytes.size()));
    EXPECT_EQ(bytes.front(),
              estimateMemory(*engine.models(), r, Precision::Float32, false).kvCache);
}

TEST_F(EngineTest, LongTakeFullContextPastTheTrainedRangeWarnsAndRunsAsAWindow) {
    Engine engine(options());
    GenerationRequest r = request(8); // 24 latent frames > 21
    r.width = 16;
    r.height = 16;
    std::vector<std::string> warnings;
    GenerationObserver o;
    o.warning = [&](const std::string& w) { warnings.push_back(w); };
    EXPECT_EQ(engine.generate(r, o).chunksCompleted, 8);
    EXPECT_EQ(std::count_if(warnings.begin(), warnings.end(),
                            [](const std::string& w) {
                                return w.find("longer than the model's trained context of 21") !=
                                       std::string::npos;
                            }),
              1);
}
} // namespace
} // namespace sfs::inference
