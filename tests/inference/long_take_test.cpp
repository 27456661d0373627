// Long takes with a rolling window: RoPE positions that stay inside the table (cache-relative
// positions, re-based keys), caches that keep their size and storage for any length, sink rows
// that are never rewritten, the reference's absolute positions wherever both rules are
// defined, and the rule that bounds full context by the trained context.

#include "models/wan_dit.h"
#include "pipeline/causal_generator.h"
#include "pipeline/kv_cache.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sfs::inference::pipeline {
namespace {

using testing::randn;
using testing::tinyDit;

// --- the plan alone: every stored key's RoPE position, tracked as a number --------------------

// A cache whose "keys" are their RoPE positions: a call writes ropeFrame + i, a re-base
// subtracts rebaseFrames, exactly what rotating a key does to its position.
struct PositionCache {
    KvCache cache;
    explicit PositionCache(RopePositions positions, int64_t window = 8, int64_t sink = 2,
                           int64_t ropeFrames = 32)
        : cache([&] {
              KvCacheOptions o;
              o.layers = 1;
              o.heads = 1;
              o.headDim = 1;
              o.tokensPerFrame = 1;
              o.localAttnFrames = window;
              o.sinkFrames = sink;
              o.positions = positions;
              o.ropeFrames = ropeFrames;
              o.dtype = at::kDouble;
              return KvCacheOptions(o);
          }()) {}

    KvStep call(int64_t start, int64_t frames) {
        const KvStep step = cache.plan(start, frames);
        const at::Tensor k =
            at::arange(step.ropeFrame, step.ropeFrame + frames, at::kDouble).view({1, 1, -1, 1});
        models::LayerKv& layer = cache.layers()[0];
        models::writeKv(layer, step.plan, k, k);
        if (step.plan.rebaseCount > 0) {
            layer.k.narrow(2, step.plan.rebaseBegin, step.plan.rebaseCount)
                .sub_(static_cast<double>(step.plan.rebaseFrames));
        }
        cache.commit(step);
        return step;
    }
    std::vector<int64_t> positions() const {
        const at::Tensor k = cache.keys(0).flatten().to(at::kLong).contiguous();
        return std::vector<int64_t>(k.data_ptr<int64_t>(), k.data_ptr<int64_t>() + k.numel());
    }
};

std::vector<int64_t> range(int64_t from, int64_t to) {
    std::vector<int64_t> v;
    for (int64_t i = from; i < to; ++i) {
        v.push_back(i);
    }
    return v;
}

TEST(LongTake, CacheRelativeKeysSitAtTheirRowsFrames) {
    // Window 8, sink 2, blocks of 3 as 4 calls each, table of 32: 60 blocks = 180 frames.
    PositionCache c(RopePositions::CacheRelative);
    for (int64_t block = 0; block < 60; ++block) {
        for (int repeat = 0; repeat < 4; ++repeat) {
            const KvStep step = c.call(block * 3, 3);
            EXPECT_EQ(step.ropeFrame, step.plan.writeBegin);
            EXPECT_LE(step.ropeFrame + 3, 8);
            ASSERT_EQ(c.positions(), range(0, c.cache.indices().localEnd)) << block;
        }
    }
}

TEST(LongTake, AutoIsAbsoluteUntilTheTableEndsThenRelative) {
    PositionCache c(RopePositions::Auto);
    PositionCache absolute(RopePositions::Absolute);
    for (int64_t block = 0; block < 60; ++block) {
        const int64_t start = block * 3;
        for (int repeat = 0; repeat < 4; ++repeat) {
            const KvStep step = c.call(start, 3);
            if (start + 3 <= 32) {
                const KvStep ref = absolute.call(start, 3);
                EXPECT_EQ(step.ropeFrame, start);
                EXPECT_EQ(step.plan.rebaseCount, 0);
                EXPECT_FALSE(c.cache.indices().relative);
                // What the reference holds: sink frames 0, 1, then the newest frames.
                ASSERT_EQ(c.positions(), absolute.positions()) << block;
                EXPECT_EQ(step.plan.writeBegin, ref.plan.writeBegin);
            } else {
                EXPECT_TRUE(c.cache.indices().relative);
                EXPECT_LE(step.ropeFrame + 3, 32);
                ASSERT_EQ(c.positions(), range(0, c.cache.indices().localEnd)) << block;
            }
        }
    }
    // The reference rule refuses the first block past the table, naming it.
    try {
        absolute.cache.plan(30, 3);
        FAIL() << "expected a throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("RoPE table of 32"), std::string::npos) << e.what();
    }
}

TEST(LongTake, GlobalCacheIsTheSameUnderEveryRule) {
    for (RopePositions rule : {RopePositions::CacheRelative, RopePositions::Auto}) {
        KvCacheOptions o;
        o.layers = o.heads = o.headDim = o.tokensPerFrame = 1;
        o.capacityFrames = 12;
        o.positions = rule;
        KvCache relative(o);
        o.positions = RopePositions::Absolute;
        KvCache absolute(o);
        for (int64_t start = 0; start < 12; start += 3) {
            const KvStep a = absolute.plan(start, 3), r = relative.plan(start, 3);
            EXPECT_EQ(r.ropeFrame, a.ropeFrame);
            EXPECT_EQ(r.plan.rebaseCount, 0);
            absolute.commit(a);
            relative.commit(r);
        }
    }
}

// --- the rotation ------------------------------------------------------------------------------

TEST(LongTake, RotatingKeysByFramesMovesTheirPosition) {
    auto m = tinyDit();
    const models::DitConfig& cfg = m->config();
    const at::Tensor x = randn({1, 3, 16, 2, 2}, 5);
    const at::Tensor t = at::full({1, 3}, 500.0f);
    const at::Tensor prompt = randn({1, 8, 12}, 6);
    // The keys the model writes for the same latents at frames 7.. and at frames 700..
    auto keysAt = [&](int64_t ropeFrame) {
        KvCacheOptions o;
        o.layers = cfg.numLayers;
        o.heads = cfg.numHeads;
        o.headDim = cfg.headDim();
        o.tokensPerFrame = 1;
        o.capacityFrames = 3;
        KvCache kv(o);
        CrossAttnCache cross(cfg.numLayers, 1, cfg.numHeads, cfg.textLen, cfg.headDim(), at::kFloat,
                             at::kCPU);
        m->fillCrossAttention(prompt, cross.layers());
        const KvStep step = kv.plan(0, 3);
        models::DitCallCaches caches{&kv.layers(), step.plan, &cross.layers()};
        m->forward(x, t, ropeFrame, caches, models::DitOutput::KvOnly);
        return kv.layers()[0].k.clone();
    };
    const at::Tensor near = keysAt(7), far = keysAt(700);
    at::Tensor moved = far.clone();
    models::rotateKeyFrames(moved, -693);
    EXPECT_FALSE(at::equal(near, far));
    EXPECT_TRUE(at::allclose(moved, near, 0, 1e-5)) << (moved - near).abs().max().item<float>();
    // Only the frame axis turns: with head dim 16 that is the first 8 channels.
    EXPECT_TRUE(at::equal(moved.narrow(3, 8, 8), far.narrow(3, 8, 8)));
    at::Tensor back = moved.clone();
    models::rotateKeyFrames(back, 693);
    EXPECT_TRUE(at::allclose(back, far, 0, 1e-5));
}

// --- the generator over long takes ---------------------------------------------------------------

GeneratorOptions longOptions(RopePositions rule, int64_t window, int64_t sink, int64_t ropeFrames,
                             int steps = 2) {
    GeneratorOptions o;
    o.latentHeight = 2; // one token per frame
    o.latentWidth = 2;
    o.localAttnFrames = window;
    o.sinkFrames = sink;
    o.ropePositions = rule;
    o.ropeFrames = ropeFrames;
    const FlowMatchSchedule schedule;
    o.timesteps = steps == 1 ? std::vector<float>{1000.0f}
                             : schedule.warp(FlowMatchSchedule::evenSteps(steps));
    return o;
}

struct LongRun {
    std::shared_ptr<const models::DitModel> model = tinyDit(3);
    CausalGenerator generator;
    SeededNoise draws{11};
    explicit LongRun(GeneratorOptions o) : generator(model, FlowMatchSchedule(), std::move(o)) {
        generator.setPrompt(randn({1, 8, 12}, 42));
    }
    // One chunk of 3 frames with noise keyed by its start frame; returns its x0.
    at::Tensor chunk() {
        const at::Tensor noise =
            randn({1, 3, 16, 2, 2}, static_cast<uint64_t>(7000 + generator.currentFrame()));
        const at::Tensor x0 = generator.denoiseBlock(noise, draws);
        generator.pushClean(x0, CallRole::CacheUpdate);
        return x0;
    }
};

TEST(LongTake, CacheRelativeEqualsAbsoluteUntilTheFirstEviction) {
    LongRun absolute(longOptions(RopePositions::Absolute, 9, 3, 1024));
    LongRun relative(longOptions(RopePositions::CacheRelative, 9, 3, 1024));
    for (int chunk = 0; chunk < 3; ++chunk) { // frames 0..8 fill the window of 9
        EXPECT_TRUE(at::equal(absolute.chunk(), relative.chunk())) << chunk;
    }
    // From the first eviction on the sink sits next to the window: a different attention.
    EXPECT_FALSE(at::equal(absolute.chunk(), relative.chunk()));
}

TEST(LongTake, WithoutSinkCacheRelativeMatchesAbsoluteUpToRounding) {
    // Attention sees only position differences, and without sink frames both rules give the
    // same differences: the outputs agree to float32 rounding over many evictions.
    LongRun absolute(longOptions(RopePositions::Absolute, 6, 0, 1024));
    LongRun relative(longOptions(RopePositions::CacheRelative, 6, 0, 1024));
    for (int chunk = 0; chunk < 20; ++chunk) {
        const at::Tensor a = absolute.chunk(), r = relative.chunk();
        ASSERT_TRUE(at::allclose(r, a, 1e-4, 1e-4))
            << chunk << ": " << (r - a).abs().max().item<float>();
    }
}

// Sizes, storage and sink rows of every layer of the KV cache.
struct CacheSnapshot {
    std::vector<const void*> storage;
    std::vector<int64_t> numel;
    std::vector<at::Tensor> sinkRows;
    uint64_t bytes = 0;
    CacheSnapshot(const KvCache& kv, int64_t sinkRows_) : bytes(kv.bytes()) {
        for (const models::LayerKv& l : kv.layers()) {
            storage.push_back(l.k.data_ptr());
            storage.push_back(l.v.data_ptr());
            numel.push_back(l.k.numel());
            numel.push_back(l.v.numel());
            sinkRows.push_back(l.k.narrow(2, 0, sinkRows_).clone());
            sinkRows.push_back(l.v.narrow(2, 0, sinkRows_).clone());
        }
    }
};

void expectFlatPastTheTable(RopePositions rule, int64_t ropeFrames, int chunks, int steps) {
    const int64_t window = 6, sink = 3;
    LongRun run(longOptions(rule, window, sink, ropeFrames, steps));
    run.chunk(); // frames 0..2: the sink frames, final after their cache pass
    const CacheSnapshot first(run.generator.kvCache(), sink);
    for (int chunk = 1; chunk < chunks; ++chunk) {
        const at::Tensor x0 = run.chunk();
        ASSERT_TRUE(at::isfinite(x0).all().item<bool>()) << chunk;
        const KvCache& kv = run.generator.kvCache();
        const CacheSnapshot now(kv, sink);
        ASSERT_EQ(now.storage, first.storage) << chunk;
        ASSERT_EQ(now.numel, first.numel) << chunk;
        ASSERT_EQ(now.bytes, first.bytes) << chunk;
        for (size_t i = 0; i < now.sinkRows.size(); ++i) {
            ASSERT_TRUE(at::equal(now.sinkRows[i], first.sinkRows[i])) << chunk << " " << i;
        }
        EXPECT_LE(kv.indices().localEnd, window);
    }
    EXPECT_GT(run.generator.currentFrame(), ropeFrames);
    EXPECT_TRUE(run.generator.kvCache().indices().relative);
}

TEST(LongTake, FlatCacheAndSinkRowsPastASmallTable) {
    // A table of 48 positions, crossed after 16 of 60 chunks.
    expectFlatPastTheTable(RopePositions::Auto, 48, 60, 2);
    expectFlatPastTheTable(RopePositions::CacheRelative, 48, 60, 2);
}

TEST(LongTake, AutoEqualsAbsoluteInsideTheTable) {
    LongRun absolute(longOptions(RopePositions::Absolute, 6, 3, 30));
    LongRun automatic(longOptions(RopePositions::Auto, 6, 3, 30));
    for (int chunk = 0; chunk < 10; ++chunk) { // frames 0..29: the whole table
        ASSERT_TRUE(at::equal(absolute.chunk(), automatic.chunk())) << chunk;
    }
    EXPECT_FALSE(automatic.generator.kvCache().indices().relative);
    EXPECT_THROW(absolute.chunk(), std::invalid_argument);
    const at::Tensor x0 = automatic.chunk(); // frames 30..32: re-based, relative from here
    EXPECT_TRUE(at::isfinite(x0).all().item<bool>());
    EXPECT_TRUE(automatic.generator.kvCache().indices().relative);
}

TEST(LongTake, CrossesTheRealTableOf1024Frames) {
    // 345 chunks of 3 frames with one step each: frame 1035, the switch at the block 1023..1025.
    LongRun run(longOptions(RopePositions::Auto, 6, 3, 1024, 1));
    EXPECT_EQ(run.generator.options().ropeFrames, 1024);
    run.chunk();
    const CacheSnapshot first(run.generator.kvCache(), 3);
    for (int chunk = 1; chunk < 345; ++chunk) {
        const at::Tensor x0 = run.chunk();
        ASSERT_TRUE(at::isfinite(x0).all().item<bool>()) << chunk;
        EXPECT_EQ(run.generator.kvCache().indices().relative, chunk >= 341) << chunk;
        const CacheSnapshot now(run.generator.kvCache(), 3);
        ASSERT_EQ(now.storage, first.storage);
        for (size_t i = 0; i < now.sinkRows.size(); ++i) {
            ASSERT_TRUE(at::equal(now.sinkRows[i], first.sinkRows[i])) << chunk << " " << i;
        }
    }
    EXPECT_EQ(run.generator.currentFrame(), 1035);
}

// --- full context bounded by the trained context ------------------------------------------------

TEST(LongTake, PlanAttention) {
    // A take inside the trained context: full context as asked.
    AttentionPlan p = planAttention(21, -1, 3, 21, 3);
    EXPECT_EQ(p.windowFrames, -1);
    EXPECT_EQ(p.sinkFrames, 0);
    EXPECT_EQ(p.capacityFrames, 21);
    EXPECT_TRUE(p.warning.empty());
    // Longer: a window of the trained context, with a warning that says so.
    p = planAttention(120, -1, 3, 21, 3);
    EXPECT_EQ(p.windowFrames, 21);
    EXPECT_EQ(p.sinkFrames, 3);
    EXPECT_EQ(p.capacityFrames, 21);
    EXPECT_EQ(p.positions, RopePositions::Auto);
    EXPECT_NE(p.warning.find("120 latent frames"), std::string::npos) << p.warning;
    EXPECT_NE(p.warning.find("rolling window of 21"), std::string::npos) << p.warning;
    // A window as asked, or narrowed to the trained context.
    p = planAttention(3000, 12, 3, 21, 3);
    EXPECT_EQ(p.windowFrames, 12);
    EXPECT_TRUE(p.warning.empty());
    p = planAttention(30, 30, 0, 21, 3);
    EXPECT_EQ(p.windowFrames, 21);
    EXPECT_NE(p.warning.find("wider than"), std::string::npos) << p.warning;
    // Impossible settings name themselves.
    EXPECT_THROW(planAttention(60, 6, 4, 21, 3), std::invalid_argument); // sink + block > 6
    EXPECT_THROW(planAttention(60, 0, 0, 21, 3), std::invalid_argument);
    EXPECT_THROW(planAttention(0, -1, 0, 21, 3), std::invalid_argument);
    EXPECT_THROW(planAttention(60, -1, -1, 21, 3), std::invalid_argument);
    EXPECT_THROW(planAttention(60, -1, 0, 2000, 3), std::invalid_argument); // past the table
}

TEST(LongTake, PlannedFullContextRunsAsAWindow) {
    // 30 frames of "full context" with a trained context of 12: the plan's window runs, and
    // its first 12 frames equal the full-context run.
    const AttentionPlan plan = planAttention(30, -1, 3, 12, 3);
    GeneratorOptions windowed =
        longOptions(plan.positions, plan.windowFrames, plan.sinkFrames, 1024);
    GeneratorOptions full = longOptions(RopePositions::Absolute, -1, 0, 1024);
    full.capacityFrames = 30;
    LongRun a(windowed), b(full);
    for (int chunk = 0; chunk < 10; ++chunk) {
        const at::Tensor x = a.chunk(), y = b.chunk();
        EXPECT_EQ(at::equal(x, y), chunk < 4) << chunk;
    }
    EXPECT_EQ(a.generator.kvCache().geometry().capacity, 12);
}

} // namespace
} // namespace sfs::inference::pipeline
