// The autoregressive block loop: call order, cancel between steps, seeded determinism, prompt
// changes refreshing the cross-attention cache, rolling windows.

#include "pipeline/causal_generator.h"
#include "pipeline/step_graphs.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace sfs::inference::pipeline {
namespace {

using testing::randn;
using testing::tinyDit;
using testing::tinyOptions;

// Noise that depends only on what is asked for, so an interrupted block can be redone with
// the same draws.
class KeyedNoise final : public NoiseSource {
public:
    void fill(at::Tensor& out, const DrawRequest& r) override {
        ++draws;
        out.copy_(randn(out.sizes(), static_cast<uint64_t>(1000 + r.startFrame * 10 + r.step)));
    }
    int draws = 0;
};

struct TinyRun {
    std::shared_ptr<const models::DitModel> model = tinyDit();
    FlowMatchSchedule schedule;
    CausalGenerator generator;
    explicit TinyRun(GeneratorOptions o = tinyOptions())
        : generator(model, schedule, std::move(o)) {
        generator.setPrompt(randn({1, 8, 12}, 42));
    }
};

TEST(CausalGenerator, BlockSizes) {
    EXPECT_EQ(blockSizes(9, 3, false), (std::vector<int64_t>{3, 3, 3}));
    EXPECT_EQ(blockSizes(7, 3, true), (std::vector<int64_t>{1, 3, 3}));
    EXPECT_EQ(blockSizes(1, 3, true), (std::vector<int64_t>{1}));
    EXPECT_THROW(blockSizes(7, 3, false), std::invalid_argument);
    EXPECT_THROW(blockSizes(6, 3, true), std::invalid_argument);
    EXPECT_THROW(blockSizes(0, 3, false), std::invalid_argument);
}

TEST(CausalGenerator, CallsFollowTheReferenceOrder) {
    TinyRun run;
    std::vector<CallRecord> calls;
    run.generator.setObserver([&](const CallRecord& r) { calls.push_back(r); });
    SeededNoise noise(3);
    GenerateRequest req;
    req.noise = randn({1, 6, 16, 4, 6}, 7);
    req.initialLatent = randn({1, 4, 16, 4, 6}, 8);
    req.independentFirstFrame = true;
    req.draws = &noise;
    std::vector<ChunkResult> chunks;
    req.onChunk = [&](const ChunkResult& c) { chunks.push_back(c); };
    const GenerateResult result = generate(run.generator, req);

    // Context: frame 0 alone, then frames 1-3; then two blocks of 4 steps + a cache pass.
    ASSERT_EQ(calls.size(), 2u + 2 * 5);
    EXPECT_EQ(calls[0].role, CallRole::Context);
    EXPECT_EQ(calls[0].startFrame, 0);
    EXPECT_EQ(calls[0].numFrames, 1);
    EXPECT_EQ(calls[0].timestepTensor.sizes(), at::IntArrayRef({1, 1}));
    EXPECT_EQ(calls[1].startFrame, 1);
    EXPECT_EQ(calls[1].numFrames, 3);
    const std::vector<float> steps = {1000.0f, 937.5f, 833.3333129882812f, 625.0f};
    for (int block = 0; block < 2; ++block) {
        for (int k = 0; k < 5; ++k) {
            const CallRecord& c = calls[2 + size_t(block) * 5 + size_t(k)];
            EXPECT_EQ(c.startFrame, 4 + block * 3);
            EXPECT_EQ(c.role, k < 4 ? CallRole::Denoise : CallRole::CacheUpdate);
            EXPECT_EQ(c.timestep, k < 4 ? steps[size_t(k)] : 0.0f);
            EXPECT_EQ(c.timestepTensor.sizes(), at::IntArrayRef({1, 3}));
            if (k == 4) { // the cache pass sees the block's final x0
                EXPECT_TRUE(at::equal(c.input, calls[2 + size_t(block) * 5 + 3].x0));
            }
        }
    }
    // Each re-noised input is (1 - σ)·x0 + σ·ε of the step before (ε not visible here, but
    // the first step's input is the block's noise).
    EXPECT_TRUE(at::equal(calls[2].input, req.noise.narrow(1, 0, 3)));

    EXPECT_FALSE(result.cancelled);
    EXPECT_EQ(result.framesDone, 10);
    EXPECT_TRUE(at::equal(result.latents.narrow(1, 0, 4), req.initialLatent));
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[1].startFrame, 7);
    EXPECT_TRUE(at::equal(result.latents.narrow(1, 7, 3), chunks[1].x0));
    EXPECT_EQ(run.generator.currentFrame(), 10);
    EXPECT_EQ(run.generator.kvCache().indices().localEnd, 10 * 6);
}

TEST(CausalGenerator, CancelBetweenStepsAndRedoTheBlock) {
    TinyRun run;
    KeyedNoise noise;
    GenerateRequest req;
    req.frames = 6;
    req.draws = &noise;
    int calls = 0;
    run.generator.setObserver([&](const CallRecord&) { ++calls; });
    int asked = 0;
    req.cancel = [&] { return ++asked == 8; }; // block 0 done (5 calls), stop in block 1
    const GenerateResult stopped = generate(run.generator, req);
    EXPECT_TRUE(stopped.cancelled);
    EXPECT_EQ(stopped.framesDone, 3);
    EXPECT_EQ(calls, 5 + 2); // no model call after the cancel was seen
    EXPECT_TRUE(at::equal(stopped.latents.narrow(1, 3, 3), at::zeros({1, 3, 16, 4, 6})));
    EXPECT_EQ(run.generator.currentFrame(), 3);

    // The interrupted block runs again from its noise and overwrites its own rows.
    const at::Tensor blockNoise = run.generator.drawBlockNoise(3, noise);
    const at::Tensor redone = run.generator.denoiseBlock(blockNoise, noise);
    run.generator.pushClean(redone, CallRole::CacheUpdate);

    TinyRun clean;
    KeyedNoise noise2;
    GenerateRequest full;
    full.frames = 6;
    full.draws = &noise2;
    const GenerateResult whole = generate(clean.generator, full);
    EXPECT_TRUE(at::equal(redone, whole.latents.narrow(1, 3, 3)));
    EXPECT_TRUE(at::equal(run.generator.kvCache().keys(1), clean.generator.kvCache().keys(1)));
}

TEST(CausalGenerator, SeededRunsAreDeterministic) {
    auto latents = [](uint64_t seed, int64_t frames) {
        TinyRun run;
        SeededNoise noise(seed);
        GenerateRequest req;
        req.frames = frames;
        req.draws = &noise;
        return generate(run.generator, req).latents;
    };
    const at::Tensor a = latents(11, 6);
    EXPECT_TRUE(at::equal(a, latents(11, 6)));
    EXPECT_FALSE(at::allclose(a, latents(12, 6)));
    // Per-block draws: the first blocks of a longer take are the same video.
    EXPECT_TRUE(at::equal(a, latents(11, 9).narrow(1, 0, 6)));
}

TEST(CausalGenerator, PromptChangeRefreshesCrossAttention) {
    const at::Tensor promptA = randn({1, 8, 12}, 1);
    const at::Tensor promptB = randn({1, 6, 12}, 2);
    auto firstBlock = [](CausalGenerator& g) {
        KeyedNoise noise;
        g.reset();
        return g.denoiseBlock(g.drawBlockNoise(3, noise), noise);
    };
    TinyRun run;
    run.generator.setPrompt(promptA);
    const at::Tensor withA = firstBlock(run.generator);
    run.generator.setPrompt(promptB);
    const at::Tensor withB = firstBlock(run.generator);
    EXPECT_FALSE(at::allclose(withA, withB));

    TinyRun fresh;
    fresh.generator.setPrompt(promptB);
    EXPECT_TRUE(at::equal(withB, firstBlock(fresh.generator)));
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(at::equal(run.generator.crossCache().layers()[i].k,
                              fresh.generator.crossCache().layers()[i].k));
    }

    // Between blocks, a new prompt leaves the self-attention cache alone.
    KeyedNoise noise;
    run.generator.reset();
    run.generator.pushClean(withA, CallRole::CacheUpdate);
    const at::Tensor keys = run.generator.kvCache().keys(0).clone();
    run.generator.setPrompt(promptA);
    EXPECT_EQ(run.generator.currentFrame(), 3);
    EXPECT_TRUE(at::equal(keys, run.generator.kvCache().keys(0)));
}

TEST(CausalGenerator, WideWindowEqualsGlobalAttention) {
    auto latents = [](int64_t window, int64_t sink) {
        GeneratorOptions o = tinyOptions(9);
        o.localAttnFrames = window;
        o.sinkFrames = sink;
        TinyRun run(o);
        KeyedNoise noise;
        GenerateRequest req;
        req.frames = 9;
        req.draws = &noise;
        return generate(run.generator, req).latents;
    };
    const at::Tensor global = latents(-1, 0);
    EXPECT_TRUE(at::equal(global, latents(9, 0)));
    EXPECT_TRUE(at::equal(global, latents(9, 2)));
    // A window that has to evict sees less context and changes the last block.
    const at::Tensor rolled = latents(6, 1);
    EXPECT_TRUE(at::equal(global.narrow(1, 0, 6), rolled.narrow(1, 0, 6)));
    EXPECT_FALSE(at::allclose(global.narrow(1, 6, 3), rolled.narrow(1, 6, 3)));
}

TEST(CausalGenerator, RollingWindowRunsPastTheGlobalCapacity) {
    GeneratorOptions o = tinyOptions(3);
    o.localAttnFrames = 6;
    o.sinkFrames = 3;
    TinyRun run(o);
    SeededNoise noise(1);
    GenerateRequest req;
    req.frames = 30;
    req.draws = &noise;
    const GenerateResult r = generate(run.generator, req);
    EXPECT_EQ(r.framesDone, 30);
    EXPECT_TRUE(at::isfinite(r.latents).all().item<bool>());
    EXPECT_EQ(run.generator.kvCache().indices().localEnd, 6 * 6);
    EXPECT_EQ(run.generator.kvCache().indices().globalEnd, 30 * 6);

    TinyRun global(tinyOptions(9));
    req.frames = 12;
    EXPECT_THROW(generate(global.generator, req), std::invalid_argument);
}

// CUDA-graph mode where graphs cannot be captured (the CPU; a build without CUDA): no graphs
// are made and the run is the eager one, bit for bit.
TEST(CausalGenerator, CudaGraphModeRunsEagerlyWhereItCannotCapture) {
    auto run = [](bool graphs) {
        GeneratorOptions o = tinyOptions(3);
        o.localAttnFrames = 6;
        o.sinkFrames = 3;
        o.cudaGraphs = graphs;
        TinyRun tiny(o);
        EXPECT_EQ(tiny.generator.stepGraphs(), nullptr);
        KeyedNoise noise;
        GenerateRequest req;
        req.frames = 12;
        req.draws = &noise;
        return generate(tiny.generator, req).latents;
    };
    EXPECT_FALSE(StepGraphs::supported(c10::Device(c10::kCPU)));
    EXPECT_TRUE(at::equal(run(false), run(true)));
}

// A graph is reused only for a call that reads and writes the same memory: every field of the
// plan, the RoPE position and table, the frames tell keys apart.
TEST(StepGraphs, KeysDifferInEveryFieldOfTheCall) {
    StepGraphKey base;
    base.plan = {3, 1, 4, 10, 2, 16, 5, 2, 1};
    base.ropeFrame = 7;
    base.frames = 3;
    int table = 0;
    base.ropeTable = &table;
    EXPECT_TRUE(base == base);
    const std::vector<std::function<void(StepGraphKey&)>> changes = {
        [](StepGraphKey& k) { ++k.plan.moveFrom; },
        [](StepGraphKey& k) { ++k.plan.moveTo; },
        [](StepGraphKey& k) { ++k.plan.moveCount; },
        [](StepGraphKey& k) { ++k.plan.writeBegin; },
        [](StepGraphKey& k) { ++k.plan.attendBegin; },
        [](StepGraphKey& k) { ++k.plan.attendEnd; },
        [](StepGraphKey& k) { ++k.plan.rebaseBegin; },
        [](StepGraphKey& k) { ++k.plan.rebaseCount; },
        [](StepGraphKey& k) { ++k.plan.rebaseFrames; },
        [](StepGraphKey& k) { ++k.ropeFrame; },
        [](StepGraphKey& k) { ++k.frames; },
        [](StepGraphKey& k) { k.ropeTable = nullptr; }};
    for (size_t i = 0; i < changes.size(); ++i) {
        StepGraphKey other = base;
        changes[i](other);
        EXPECT_FALSE(base == other) << "field " << i;
    }
}

// On a CUDA device (a LibTorch 2 build with CUDA): a rolling-window run with cache-relative
// RoPE replays its denoising steps from graphs, a few captures serve every chunk once the
// window is full, and the latents equal the eager run's.
TEST(CausalGenerator, CudaGraphsReplayTheEagerSteps) {
    const c10::Device cuda(c10::kCUDA, 0);
    if (!StepGraphs::supported(cuda) || !at::hasCUDA()) {
        GTEST_SKIP() << "needs a CUDA device and a LibTorch 2 build with CUDA";
    }
    const models::DitConfig config = testing::tinyDitConfig();
    const auto model = std::make_shared<const models::DitModel>(
        config, models::makeRandomDitWeights(config, 1, at::kFloat, cuda));
    auto run = [&](bool graphs, int64_t* captures, int64_t* replays) {
        GeneratorOptions o = tinyOptions(3);
        o.localAttnFrames = 6;
        o.sinkFrames = 3;
        o.ropePositions = RopePositions::CacheRelative;
        o.cudaGraphs = graphs;
        CausalGenerator generator(model, FlowMatchSchedule(), o);
        generator.setPrompt(randn({1, 8, 12}, 42).to(cuda));
        KeyedNoise noise;
        GenerateRequest req;
        req.frames = 30;
        req.draws = &noise;
        const at::Tensor latents = generate(generator, req).latents.cpu();
        if (captures != nullptr && generator.stepGraphs() != nullptr) {
            *captures = generator.stepGraphs()->captures();
            *replays = generator.stepGraphs()->replays();
        }
        return latents;
    };
    int64_t captures = 0, replays = 0;
    const at::Tensor eager = run(false, nullptr, nullptr);
    const at::Tensor graphed = run(true, &captures, &replays);
    EXPECT_TRUE(at::allclose(graphed, eager, 1e-5, 1e-6))
        << (graphed - eager).abs().max().item<double>();
    EXPECT_GE(captures, 1);
    EXPECT_LE(captures, 6); // the blocks before the window filled, then its two layouts
    EXPECT_GE(replays, 20); // 10 blocks of 4 steps, the first of each new layout eager
}

TEST(CausalGenerator, RejectsMisuse) {
    auto model = tinyDit();
    CausalGenerator g(model, FlowMatchSchedule(), tinyOptions());
    KeyedNoise noise;
    EXPECT_THROW(g.denoiseBlock(randn({1, 3, 16, 4, 6}, 1), noise), std::logic_error); // no prompt
    g.setPrompt(randn({1, 8, 12}, 1));
    EXPECT_THROW(g.denoiseBlock(randn({1, 3, 16, 4, 8}, 1), noise), std::invalid_argument);
    EXPECT_THROW(g.setPrompt(randn({2, 8, 12}, 1)), std::invalid_argument);
    GenerateRequest req;
    req.frames = 3;
    EXPECT_THROW(generate(g, req), std::invalid_argument); // no noise source
}

} // namespace
} // namespace sfs::inference::pipeline
