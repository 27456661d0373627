// Prompt schedules (switch chunk, re-cache, ramp), the per-step hook, and continuing or
// regenerating a run from any chunk, on the tiny DiT.

#include "pipeline/causal_generator.h"
#include "pipeline/prompt_schedule.h"
#include "sfs/inference/frame_grid.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace sfs::inference::pipeline {
namespace {

using testing::randn;
using testing::tinyDit;
using testing::tinyOptions;

// Draws that depend only on (seed, first frame of the block, step): the order of calls,
// cancel points and skipped blocks do not change them.
class FrameStepNoise final : public NoiseSource {
public:
    explicit FrameStepNoise(uint64_t seed = 7) : m_seed(seed) {}
    void fill(at::Tensor& out, const DrawRequest& r) override {
        out.copy_(randn(out.sizes(), m_seed * 100003 + static_cast<uint64_t>(r.startFrame) * 10 +
                                         static_cast<uint64_t>(r.step + 1)));
    }

private:
    uint64_t m_seed;
};

const at::Tensor& promptA() {
    static const at::Tensor t = randn({1, 8, 12}, 101);
    return t;
}
const at::Tensor& promptB() {
    static const at::Tensor t = randn({1, 5, 12}, 102);
    return t;
}
const at::Tensor& promptC() {
    static const at::Tensor t = randn({1, 7, 12}, 103);
    return t;
}

PromptSegment segment(int64_t start, const at::Tensor& embeds, bool recache = true,
                      int64_t ramp = 0) {
    PromptSegment s;
    s.startChunk = start;
    s.embeds = embeds;
    s.recache = recache;
    s.rampChunks = ramp;
    return s;
}

GeneratorOptions windowOptions(int64_t window, int64_t sink) {
    GeneratorOptions o = tinyOptions(18);
    o.localAttnFrames = window;
    o.sinkFrames = sink;
    o.cacheTimestep = 12.0f; // a non-zero context timestep, so its shape and value matter
    return o;
}

// The cross-attention keys a generator holds after setPrompt(embeds).
at::Tensor crossKeysOf(const at::Tensor& embeds) {
    CausalGenerator g(tinyDit(), FlowMatchSchedule(), tinyOptions());
    g.setPrompt(embeds);
    return g.crossCache().layers()[1].k.clone();
}

struct Snapshot {
    at::Tensor keys, values; // every layer's filled rows, stacked
};
Snapshot snapshot(const CausalGenerator& g) {
    std::vector<at::Tensor> k, v;
    for (size_t i = 0; i < 2; ++i) {
        k.push_back(g.kvCache().keys(i).clone());
        v.push_back(g.kvCache().values(i).clone());
    }
    return {at::stack(k), at::stack(v)};
}

TEST(PromptSchedule, SegmentsStartAtTheNextChunkBoundary) {
    using frame_grid::firstChunkAtOrAfterFrame;
    EXPECT_EQ(firstChunkAtOrAfterFrame<int64_t>(0), 0);
    EXPECT_EQ(firstChunkAtOrAfterFrame<int64_t>(1), 1); // inside chunk 0 (frames 0-8)
    EXPECT_EQ(firstChunkAtOrAfterFrame<int64_t>(8), 1);
    EXPECT_EQ(firstChunkAtOrAfterFrame<int64_t>(9), 1);  // chunk 1 starts at frame 9
    EXPECT_EQ(firstChunkAtOrAfterFrame<int64_t>(21), 2); // chunk 2 starts at 21
    EXPECT_EQ(firstChunkAtOrAfterFrame<int64_t>(22), 3);
}

TEST(KvCacheRewrite, PlansTheRowsOfHeldFramesOutsideTheSink) {
    KvCacheOptions o;
    o.layers = 1;
    o.heads = 1;
    o.headDim = 2;
    o.tokensPerFrame = 2;
    o.localAttnFrames = 4;
    o.sinkFrames = 1;
    KvCache kv(o);
    kv.commit(kv.plan(0, 2)); // frames 0-1
    EXPECT_EQ(kv.firstRewritableFrame(), 1);
    KvStep s = kv.planRewrite(1, 1);
    EXPECT_EQ(s.plan.writeBegin, 2);
    EXPECT_EQ(s.plan.attendBegin, 0);
    EXPECT_EQ(s.plan.attendEnd, 4);
    EXPECT_EQ(s.plan.moveCount, 0);
    EXPECT_THROW(kv.planRewrite(0, 1), std::invalid_argument); // the sink
    kv.commit(kv.plan(2, 2));                                  // frames 2-3: full
    kv.commit(kv.plan(4, 2));                                  // evicts frames 1-2
    // Rows: sink frame 0, then frames 3, 4, 5.
    EXPECT_EQ(kv.firstRewritableFrame(), 3);
    s = kv.planRewrite(3, 2);
    EXPECT_EQ(s.plan.writeBegin, 2);
    EXPECT_EQ(s.plan.attendEnd, 6);
    kv.commit(s);
    EXPECT_EQ(kv.indices().globalEnd, 12);
    EXPECT_EQ(kv.indices().localEnd, 8);
    EXPECT_THROW(kv.planRewrite(2, 1), std::invalid_argument); // evicted
    EXPECT_THROW(kv.planRewrite(5, 2), std::invalid_argument); // not written yet

    o.localAttnFrames = -1;
    o.capacityFrames = 4;
    KvCache global(o);
    global.commit(global.plan(0, 3));
    EXPECT_EQ(global.firstRewritableFrame(), 0); // no sink without a window
    EXPECT_EQ(global.planRewrite(0, 3).plan.attendEnd, 6);
}

TEST(PromptSchedule, RejectsBadSchedules) {
    EXPECT_THROW(PromptSchedule(std::vector<PromptSegment>{}), std::invalid_argument);
    EXPECT_THROW(PromptSchedule({segment(1, promptA())}), std::invalid_argument);
    EXPECT_THROW(PromptSchedule({segment(0, promptA()), segment(0, promptB())}),
                 std::invalid_argument);
    EXPECT_THROW(PromptSchedule({segment(0, promptA()), segment(2, randn({1, 5, 11}, 1))}),
                 std::invalid_argument);
    EXPECT_THROW(PromptSchedule({segment(0, promptA()), segment(2, promptB(), true, 3),
                                 segment(4, promptC())}),
                 std::invalid_argument); // a ramp of 3 in a segment of 2 chunks
    EXPECT_NO_THROW(PromptSchedule(
        {segment(0, promptA()), segment(2, promptB(), true, 2), segment(4, promptC(), true, 9)}));
}

TEST(PromptSchedule, RampEndpointsAreTheTwoPrompts) {
    const PromptSchedule s({segment(0, promptA()), segment(3, promptB(), true, 3)});
    EXPECT_EQ(s.promptOf(2), (ChunkPrompt{0, 1.0}));
    EXPECT_EQ(s.promptOf(3), (ChunkPrompt{1, 1.0 / 3}));
    EXPECT_EQ(s.promptOf(4), (ChunkPrompt{1, 2.0 / 3}));
    EXPECT_EQ(s.promptOf(5), (ChunkPrompt{1, 1.0}));
    EXPECT_EQ(s.promptOf(50), (ChunkPrompt{1, 1.0}));
    EXPECT_EQ(s.segmentStartingAt(3), 1);
    EXPECT_EQ(s.segmentStartingAt(4), -1);
    EXPECT_EQ(s.segmentStartingAt(0), -1); // the first segment is not a switch

    EXPECT_TRUE(at::equal(s.embeds(s.promptOf(2)), promptA()));
    EXPECT_TRUE(at::equal(s.embeds(s.promptOf(5)), promptB()));
    // Between them: the two padded to 8 rows, blended.
    const at::Tensor padded = at::constant_pad_nd(promptB(), {0, 0, 0, 3});
    const at::Tensor third = s.embeds(s.promptOf(3));
    EXPECT_EQ(third.sizes(), promptA().sizes());
    EXPECT_TRUE(at::allclose(third, promptA() + (padded - promptA()) / 3, 1e-6, 1e-6));
}

// The cross-attention keys and self-attention rows at every ask of the cancel check (the
// state right before each model call), and the calls with the self-attention rows after each.
struct Trace {
    std::vector<CallRecord> calls;
    std::vector<Snapshot> afterCall;
    std::vector<size_t> askedAfter; // calls.size() at each ask
    std::vector<at::Tensor> cross;  // layer 1 cross-attention keys at each ask
    std::vector<Snapshot> self;
};

GenerateResult tracedRun(CausalGenerator& g, const PromptSchedule& s, int64_t frames,
                         Trace& trace) {
    g.setObserver([&](const CallRecord& r) {
        trace.calls.push_back(r);
        trace.afterCall.push_back(snapshot(g));
    });
    FrameStepNoise noise;
    GenerateRequest req;
    req.frames = frames;
    req.draws = &noise;
    req.prompts = &s;
    req.cancel = [&] {
        trace.askedAfter.push_back(trace.calls.size());
        trace.cross.push_back(g.crossCache().layers()[1].k.clone());
        trace.self.push_back(snapshot(g));
        return false;
    };
    GenerateResult r = generate(g, req);
    g.setObserver({});
    return r;
}

// The ask right before the first call of `role` at `frame`.
size_t askBefore(const Trace& t, CallRole role, int64_t frame) {
    for (size_t a = 0; a < t.askedAfter.size(); ++a) {
        const size_t next = t.askedAfter[a];
        if (next < t.calls.size() && t.calls[next].role == role &&
            t.calls[next].startFrame == frame && t.calls[next].step <= 0) {
            return a;
        }
    }
    ADD_FAILURE() << "no ask before a call at frame " << frame;
    return 0;
}

size_t askBeforeBlock(const Trace& t, int64_t frame) {
    return askBefore(t, CallRole::Denoise, frame);
}

TEST(PromptSchedule, SwitchChangesCrossAttentionFromItsChunkAndRecacheOffKeepsTheCache) {
    CausalGenerator g(tinyDit(), FlowMatchSchedule(), windowOptions(6, 1));
    const PromptSchedule s({segment(0, promptA()), segment(2, promptB(), false)});
    Trace t;
    tracedRun(g, s, 12, t);
    const at::Tensor a = crossKeysOf(promptA()), b = crossKeysOf(promptB());
    for (int64_t chunk = 0; chunk < 4; ++chunk) {
        const size_t ask = askBeforeBlock(t, chunk * 3);
        EXPECT_TRUE(at::equal(t.cross[ask], chunk < 2 ? a : b)) << "chunk " << chunk;
    }
    // Recache off: no replay, and between the cache pass of chunk 1 and the first step of
    // chunk 2 nothing touched the self-attention cache.
    for (const CallRecord& c : t.calls) {
        EXPECT_NE(c.role, CallRole::Recache);
    }
    const size_t ask = askBeforeBlock(t, 6);
    const size_t pass = t.askedAfter[ask] - 1;
    ASSERT_EQ(t.calls[pass].role, CallRole::CacheUpdate);
    EXPECT_EQ(t.calls[pass].startFrame, 3);
    EXPECT_TRUE(at::equal(t.self[ask].keys, t.afterCall[pass].keys));
    EXPECT_TRUE(at::equal(t.self[ask].values, t.afterCall[pass].values));
}

TEST(PromptSchedule, RecacheRewritesTheWindowAndKeepsTheSink) {
    // Window 6 frames with 1 sink frame, 6 tokens a frame. At chunk 3 (frame 9) the cache holds
    // the sink (frame 0) and frames 4-8: block 1 lost frame 3, block 2 is whole.
    CausalGenerator g(tinyDit(), FlowMatchSchedule(), windowOptions(6, 1));
    const PromptSchedule s({segment(0, promptA()), segment(3, promptB())});
    Trace t;
    tracedRun(g, s, 12, t);

    std::vector<const CallRecord*> recache;
    for (const CallRecord& c : t.calls) {
        if (c.role == CallRole::Recache) {
            recache.push_back(&c);
        }
    }
    ASSERT_EQ(recache.size(), 2u);
    EXPECT_EQ(recache[0]->startFrame, 4);
    EXPECT_EQ(recache[0]->numFrames, 2);
    EXPECT_EQ(recache[1]->startFrame, 6);
    EXPECT_EQ(recache[1]->numFrames, 3);
    EXPECT_EQ(recache[1]->timestepTensor.sizes(), at::IntArrayRef({1, 3}));
    EXPECT_TRUE(at::equal(recache[1]->timestepTensor, at::full({1, 3}, 12.0f)));

    // Replayed from the clean latents that the cache passes pushed.
    std::vector<const CallRecord*> passes;
    for (const CallRecord& c : t.calls) {
        if (c.role == CallRole::CacheUpdate) {
            passes.push_back(&c);
        }
    }
    EXPECT_TRUE(at::equal(recache[0]->input, passes[1]->input.narrow(1, 1, 2)));
    EXPECT_TRUE(at::equal(recache[1]->input, passes[2]->input));

    const size_t after = askBeforeBlock(t, 9);
    const size_t before = askBefore(t, CallRole::Recache, 4);
    const Snapshot& x = t.self[before];
    const Snapshot& y = t.self[after];
    ASSERT_EQ(x.keys.size(2), 36); // [layers, B, rows, heads, head_dim]
    EXPECT_TRUE(at::equal(x.keys.narrow(2, 0, 6), y.keys.narrow(2, 0, 6)));
    EXPECT_TRUE(at::equal(x.values.narrow(2, 0, 6), y.values.narrow(2, 0, 6)));
    for (int64_t frame = 1; frame < 6; ++frame) {
        EXPECT_FALSE(at::allclose(x.keys.narrow(2, frame * 6, 6), y.keys.narrow(2, frame * 6, 6)))
            << "window row frame " << frame;
    }
    // The cross-attention cache switched too, and the run goes on at frame 12.
    EXPECT_TRUE(at::equal(t.cross[after], crossKeysOf(promptB())));
    EXPECT_EQ(g.currentFrame(), 12);

    // A re-cache depends only on the kept latents, the sink and the prompt: doing it again
    // (as after a cancel inside one) gives the same rows.
    const Snapshot done = snapshot(g);
    ASSERT_TRUE(g.recache());
    const Snapshot once = snapshot(g);
    ASSERT_TRUE(g.recache());
    const Snapshot twice = snapshot(g);
    EXPECT_TRUE(at::equal(twice.keys, once.keys));
    EXPECT_TRUE(at::equal(twice.values, once.values));
    EXPECT_TRUE(at::equal(once.keys.narrow(2, 0, 6), done.keys.narrow(2, 0, 6)));
}

TEST(PromptSchedule, RampMovesTheCrossAttentionOverItsChunks) {
    CausalGenerator g(tinyDit(), FlowMatchSchedule(), windowOptions(-1, 0));
    const PromptSchedule s({segment(0, promptA()), segment(1, promptB(), false, 3)});
    Trace t;
    tracedRun(g, s, 15, t);
    const at::Tensor a = crossKeysOf(promptA()), b = crossKeysOf(promptB());
    const at::Tensor mid = crossKeysOf(s.embeds(s.promptOf(2)));
    EXPECT_TRUE(at::equal(t.cross[askBeforeBlock(t, 0)], a));
    for (int64_t chunk = 1; chunk < 3; ++chunk) {
        const at::Tensor k = t.cross[askBeforeBlock(t, chunk * 3)];
        EXPECT_FALSE(at::allclose(k, a));
        EXPECT_FALSE(at::allclose(k, b));
    }
    EXPECT_TRUE(at::equal(t.cross[askBeforeBlock(t, 6)], mid));
    EXPECT_TRUE(at::equal(t.cross[askBeforeBlock(t, 9)], b));
    EXPECT_TRUE(at::equal(t.cross[askBeforeBlock(t, 12)], b));
}

TEST(PromptSchedule, AnEditWhileGeneratingAppliesFromTheNextChunk) {
    auto run = [](const PromptSchedule& start, const PromptSchedule* edit, int64_t at) {
        CausalGenerator g(tinyDit(), FlowMatchSchedule(), windowOptions(6, 1));
        PromptSchedule live = start;
        FrameStepNoise noise;
        GenerateRequest req;
        req.frames = 15;
        req.draws = &noise;
        req.prompts = &live;
        req.beforeChunk = [&](int64_t chunk) {
            if (edit != nullptr && chunk == at) {
                live = *edit;
            }
        };
        return generate(g, req).latents;
    };
    const PromptSchedule a({segment(0, promptA())});
    const PromptSchedule ab({segment(0, promptA()), segment(2, promptB())});
    const PromptSchedule ac({segment(0, promptA()), segment(2, promptC())});
    // A new segment added when chunk 2 is next: as if it had been there from the start.
    const at::Tensor planned = run(ab, nullptr, 0);
    EXPECT_TRUE(at::equal(run(a, &ab, 2), planned));
    EXPECT_FALSE(at::allclose(run(a, nullptr, 0).narrow(1, 6, 9), planned.narrow(1, 6, 9)));
    // The embeddings of the segment about to start replaced (same place in the schedule).
    EXPECT_TRUE(at::equal(run(ab, &ac, 2), run(ac, nullptr, 0)));
    // A schedule rebuilt with copies of the started segments' embeddings is the same schedule.
    const PromptSchedule rebuilt({segment(0, promptA().clone()), segment(2, promptC())});
    EXPECT_TRUE(at::equal(run(ab, &rebuilt, 2), run(ac, nullptr, 0)));
    // Changing a segment that has started would make the chunks already made disagree with
    // the schedule: refused.
    const PromptSchedule cb({segment(0, promptC()), segment(2, promptB())});
    EXPECT_THROW(run(ab, &cb, 2), std::logic_error);
    EXPECT_THROW(run(ab, &ac, 3), std::logic_error);
}

TEST(StepHook, NullAndIdleHooksChangeNothingAndAHookLandsAFrame) {
    const GeneratorOptions o = windowOptions(6, 1);
    auto run = [&](StepHook hook, std::vector<StepContext>* seen = nullptr) {
        CausalGenerator g(tinyDit(), FlowMatchSchedule(), o);
        g.setPrompt(promptA());
        FrameStepNoise noise;
        GenerateRequest req;
        req.frames = 9;
        req.draws = &noise;
        req.onStep = [&](const StepContext& c, at::Tensor& x0) {
            if (seen != nullptr) {
                seen->push_back(c);
            }
            if (hook) {
                hook(c, x0);
            }
        };
        if (!hook && seen == nullptr) {
            req.onStep = {};
        }
        return generate(g, req).latents;
    };
    const at::Tensor plain = run({});
    std::vector<StepContext> seen;
    EXPECT_TRUE(at::equal(plain, run({}, &seen)));
    ASSERT_EQ(seen.size(), 12u);
    EXPECT_EQ(seen[5].startFrame, 3);
    EXPECT_EQ(seen[5].frames, 3);
    EXPECT_EQ(seen[5].step, 1);
    EXPECT_EQ(seen[5].steps, 4);
    EXPECT_EQ(seen[5].timestep, 937.5f);
    EXPECT_FALSE(seen[6].final);
    EXPECT_TRUE(seen[7].final);

    // Land frame 4 (block 1, index 1) on a target at every step: exact in the final latents,
    // earlier blocks untouched, later ones see the landed frame.
    const at::Tensor target = randn({1, 16, 4, 6}, 55);
    const at::Tensor landed = run([&](const StepContext& c, at::Tensor& x0) {
        if (c.startFrame == 3) {
            x0.select(1, 1).copy_(target);
        }
    });
    EXPECT_TRUE(at::equal(landed.select(1, 4), target));
    EXPECT_TRUE(at::equal(landed.narrow(1, 0, 3), plain.narrow(1, 0, 3)));
    EXPECT_FALSE(at::allclose(landed.narrow(1, 6, 3), plain.narrow(1, 6, 3)));
    EXPECT_THROW(run([](const StepContext&, at::Tensor& x0) { x0 = x0.narrow(1, 0, 1); }),
                 std::invalid_argument);
}

// One run of 6 chunks with a window and sink (or global attention), a switch with re-cache at
// chunk 2 and a ramped switch with re-cache at chunk 4.
struct LongRun {
    GeneratorOptions options;
    PromptSchedule schedule{
        {segment(0, promptA()), segment(2, promptB()), segment(4, promptC(), true, 2)}};
    static constexpr int64_t kFrames = 18;

    GenerateRequest request(NoiseSource& noise) const {
        GenerateRequest r;
        r.frames = kFrames;
        r.draws = &noise;
        r.prompts = &schedule;
        return r;
    }
};

void expectSameCaches(const CausalGenerator& x, const CausalGenerator& y) {
    const Snapshot a = snapshot(x), b = snapshot(y);
    EXPECT_TRUE(at::equal(a.keys, b.keys));
    EXPECT_TRUE(at::equal(a.values, b.values));
    EXPECT_EQ(x.kvCache().indices().globalEnd, y.kvCache().indices().globalEnd);
    EXPECT_EQ(x.kvCache().indices().localEnd, y.kvCache().indices().localEnd);
    EXPECT_TRUE(at::equal(x.crossCache().layers()[0].k, y.crossCache().layers()[0].k));
}

class ContinueTest : public ::testing::TestWithParam<std::pair<int64_t, int64_t>> {};

TEST_P(ContinueTest, ContinueAfterStopEqualsTheUninterruptedRun) {
    LongRun run{windowOptions(GetParam().first, GetParam().second)};
    CausalGenerator whole(tinyDit(), FlowMatchSchedule(), run.options);
    FrameStepNoise noise;
    int asks = 0;
    GenerateRequest full = run.request(noise);
    full.cancel = [&] { return ++asks < 0; };
    const GenerateResult reference = generate(whole, full);
    ASSERT_EQ(reference.chunksDone, 6);

    CausalGenerator g(tinyDit(), FlowMatchSchedule(), run.options);
    // Stops mid-block (inside a step loop), at block ends, inside the re-caches; each run
    // continued on the same generator, the last ones twice over.
    for (int stopAt : {3, 5, 6, 12, 13, 14, 19, 22, 23, 24, 31, asks - 2}) {
        FrameStepNoise draws;
        GenerateRequest first = run.request(draws);
        int asked = 0;
        first.cancel = [&] { return ++asked == stopAt; };
        GenerateResult stopped = generate(g, first);
        ASSERT_TRUE(stopped.cancelled) << stopAt;
        EXPECT_TRUE(at::equal(stopped.latents.narrow(1, 0, stopped.framesDone),
                              reference.latents.narrow(1, 0, stopped.framesDone)));
        EXPECT_EQ(stopped.framesDone, stopped.chunksDone * 3);

        GenerateRequest more = run.request(draws);
        more.fromChunk = stopped.chunksDone;
        more.keptLatents = stopped.latents;
        const GenerateResult continued = generate(g, more);
        EXPECT_FALSE(continued.cancelled);
        EXPECT_EQ(continued.chunksDone, 6);
        EXPECT_TRUE(at::equal(continued.latents, reference.latents)) << "stopped at " << stopAt;
        expectSameCaches(g, whole);
    }
}

TEST_P(ContinueTest, RegenerateFromAChunkReplaysTheSameCallsAndKeepsEarlierChunks) {
    LongRun run{windowOptions(GetParam().first, GetParam().second)};
    CausalGenerator whole(tinyDit(), FlowMatchSchedule(), run.options);
    std::vector<CallRecord> original;
    whole.setObserver([&](const CallRecord& r) { original.push_back(r); });
    FrameStepNoise noise;
    const GenerateResult reference = generate(whole, run.request(noise));

    for (int64_t k : {1, 3, 5}) {
        CausalGenerator g(tinyDit(), FlowMatchSchedule(), run.options);
        std::vector<CallRecord> rebuilt;
        g.setObserver([&](const CallRecord& r) { rebuilt.push_back(r); });
        FrameStepNoise same;
        GenerateRequest req = run.request(same);
        req.fromChunk = k;
        req.keptLatents = reference.latents;
        const GenerateResult again = generate(g, req);
        EXPECT_TRUE(at::equal(again.latents, reference.latents)) << "from chunk " << k;
        expectSameCaches(g, whole);

        // The rebuild made the original's calls up to chunk k, less the denoising steps.
        std::vector<const CallRecord*> want;
        for (const CallRecord& c : original) {
            if (c.role == CallRole::Denoise && c.startFrame == k * 3) {
                break;
            }
            if (c.role != CallRole::Denoise) {
                want.push_back(&c);
            }
        }
        ASSERT_LE(want.size(), rebuilt.size());
        for (size_t i = 0; i < want.size(); ++i) {
            EXPECT_EQ(rebuilt[i].role, want[i]->role);
            EXPECT_EQ(rebuilt[i].startFrame, want[i]->startFrame);
            EXPECT_TRUE(at::equal(rebuilt[i].timestepTensor, want[i]->timestepTensor));
            EXPECT_TRUE(at::equal(rebuilt[i].input, want[i]->input));
            EXPECT_TRUE(at::equal(rebuilt[i].flow, want[i]->flow)); // the same cache state
        }
        EXPECT_EQ(rebuilt[want.size()].role, CallRole::Denoise);

        // New noise from chunk k: earlier chunks kept bit for bit, later ones new.
        CausalGenerator h(tinyDit(), FlowMatchSchedule(), run.options);
        FrameStepNoise other(8);
        GenerateRequest reseeded = run.request(other);
        reseeded.fromChunk = k;
        reseeded.keptLatents = reference.latents;
        const at::Tensor changed = generate(h, reseeded).latents;
        EXPECT_TRUE(at::equal(changed.narrow(1, 0, k * 3), reference.latents.narrow(1, 0, k * 3)));
        EXPECT_FALSE(
            at::allclose(changed.narrow(1, k * 3, 3), reference.latents.narrow(1, k * 3, 3)));
    }
}

INSTANTIATE_TEST_SUITE_P(WindowAndGlobal, ContinueTest,
                         ::testing::Values(std::make_pair<int64_t, int64_t>(6, 1),
                                           std::make_pair<int64_t, int64_t>(-1, 0)));

// A re-cache rewrites rows with the positions they were written with: under cache-relative
// positions that is the row's frame, not the absolute one. Before any eviction the two rules
// give the same positions, so a run with switches and re-caches must match bit for bit.
TEST(PromptSchedule, RecacheUnderCacheRelativePositionsEqualsAbsoluteBeforeEviction) {
    LongRun absolute{windowOptions(18, 3)}; // 18 frames held: nothing is evicted in 6 chunks
    LongRun relative{windowOptions(18, 3)};
    relative.options.ropePositions = RopePositions::CacheRelative;
    CausalGenerator a(tinyDit(), FlowMatchSchedule(), absolute.options);
    CausalGenerator r(tinyDit(), FlowMatchSchedule(), relative.options);
    FrameStepNoise na, nr;
    const GenerateResult ra = generate(a, absolute.request(na));
    const GenerateResult rr = generate(r, relative.request(nr));
    EXPECT_TRUE(at::equal(ra.latents, rr.latents));
    expectSameCaches(a, r);
}

// Re-caching under the prompt the rows were made with rewrites them to the same values, which
// holds only when every replayed call sits at the position its block was written with (checked
// under both position rules, before any eviction).
TEST(PromptSchedule, RecacheUnderTheSamePromptChangesNothing) {
    for (RopePositions positions : {RopePositions::Absolute, RopePositions::CacheRelative}) {
        GeneratorOptions o = windowOptions(18, 3);
        o.ropePositions = positions;
        const PromptSchedule plain{{segment(0, promptA())}};
        const PromptSchedule same{{segment(0, promptA()), segment(2, promptA())}};
        CausalGenerator a(tinyDit(), FlowMatchSchedule(), o);
        CausalGenerator b(tinyDit(), FlowMatchSchedule(), o);
        FrameStepNoise na, nb;
        GenerateRequest ra, rb;
        ra.frames = rb.frames = 18;
        ra.draws = &na;
        rb.draws = &nb;
        ra.prompts = &plain;
        rb.prompts = &same;
        const GenerateResult x = generate(a, ra);
        const GenerateResult y = generate(b, rb);
        EXPECT_TRUE(at::equal(x.latents, y.latents)) << int(positions);
        expectSameCaches(a, b);
    }
}

// Continue after a stop under cache-relative positions with evictions (a window of 6 with a
// sink of 1 over 18 frames) equals the uninterrupted run.
TEST(Continue, CacheRelativePositionsContinueExactly) {
    LongRun run{windowOptions(6, 1)};
    run.options.ropePositions = RopePositions::CacheRelative;
    CausalGenerator whole(tinyDit(), FlowMatchSchedule(), run.options);
    FrameStepNoise noise;
    const GenerateResult reference = generate(whole, run.request(noise));
    for (int stopAt : {6, 14, 23}) {
        CausalGenerator g(tinyDit(), FlowMatchSchedule(), run.options);
        FrameStepNoise draws;
        GenerateRequest first = run.request(draws);
        int asked = 0;
        first.cancel = [&] { return ++asked == stopAt; };
        const GenerateResult stopped = generate(g, first);
        ASSERT_TRUE(stopped.cancelled) << stopAt;
        GenerateRequest more = run.request(draws);
        more.fromChunk = stopped.chunksDone;
        more.keptLatents = stopped.latents;
        const GenerateResult continued = generate(g, more);
        EXPECT_TRUE(at::equal(continued.latents, reference.latents)) << "stopped at " << stopAt;
        expectSameCaches(g, whole);
    }
}

TEST(Continue, RejectsMissingKeptLatents) {
    CausalGenerator g(tinyDit(), FlowMatchSchedule(), tinyOptions());
    g.setPrompt(promptA());
    FrameStepNoise noise;
    GenerateRequest req;
    req.frames = 9;
    req.draws = &noise;
    req.fromChunk = 2;
    EXPECT_THROW(generate(g, req), std::invalid_argument);
    req.keptLatents = randn({1, 5, 16, 4, 6}, 1); // chunks 0-1 need 6 frames
    EXPECT_THROW(generate(g, req), std::invalid_argument);
    req.fromChunk = 4;
    EXPECT_THROW(generate(g, req), std::invalid_argument);
}

} // namespace
} // namespace sfs::inference::pipeline
