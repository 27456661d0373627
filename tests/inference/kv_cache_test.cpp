// The KV cache's index arithmetic and in-place writes against a direct model of what the
// cache must hold: everything written so far, and once a rolling window is full, the first
// `sink` frames plus the most recent (window - sink) frames, oldest first.

#include "models/wan_dit.h"
#include "pipeline/kv_cache.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace sfs::inference::pipeline {
namespace {

constexpr int64_t kTokensPerFrame = 2;

// The frames a cache must hold after a sequence of calls, in row order.
class FrameModel {
public:
    FrameModel(int64_t window, int64_t sink) : m_window(window), m_sink(sink) {}
    void call(int64_t start, int64_t count) {
        for (int64_t f = start; f < start + count; ++f) {
            if (std::find(m_frames.begin(), m_frames.end(), f) == m_frames.end()) {
                m_frames.push_back(f);
            }
        }
        if (m_window != -1 && static_cast<int64_t>(m_frames.size()) > m_window) {
            std::vector<int64_t> kept(m_frames.begin(), m_frames.begin() + m_sink);
            kept.insert(kept.end(), m_frames.end() - (m_window - m_sink), m_frames.end());
            m_frames = kept;
        }
    }
    std::vector<int64_t> tokens() const {
        std::vector<int64_t> t;
        for (int64_t f : m_frames) {
            for (int64_t i = 0; i < kTokensPerFrame; ++i) {
                t.push_back(f * kTokensPerFrame + i);
            }
        }
        return t;
    }
    std::vector<int64_t> frames() const { return m_frames; }

private:
    int64_t m_window;
    int64_t m_sink;
    std::vector<int64_t> m_frames;
};

KvCache labelCache(int64_t window, int64_t sink, int64_t capacityFrames = 64) {
    KvCacheOptions o;
    o.layers = 1;
    o.heads = 1;
    o.headDim = 1;
    o.tokensPerFrame = kTokensPerFrame;
    o.capacityFrames = capacityFrames;
    o.localAttnFrames = window;
    o.sinkFrames = sink;
    return KvCache(o);
}

// One call: every key is its absolute token index, every value its negative.
models::KvWritePlan callWithLabels(KvCache& cache, int64_t startFrame, int64_t frames) {
    const KvStep step = cache.plan(startFrame, frames);
    const at::Tensor k = at::arange(startFrame * kTokensPerFrame,
                                    (startFrame + frames) * kTokensPerFrame, at::kFloat)
                             .view({1, 1, -1, 1});
    models::writeKv(cache.layers()[0], step.plan, k, k.neg());
    cache.commit(step);
    return step.plan;
}

std::vector<int64_t> heldTokens(const KvCache& cache) {
    const at::Tensor k = cache.keys(0).flatten().to(at::kLong).contiguous();
    const at::Tensor v = cache.values(0).flatten().to(at::kLong).contiguous();
    EXPECT_TRUE(at::equal(v, k.neg()));
    return std::vector<int64_t>(k.data_ptr<int64_t>(), k.data_ptr<int64_t>() + k.numel());
}

std::vector<int64_t> heldFrames(const KvCache& cache) {
    std::vector<int64_t> frames;
    for (int64_t t : heldTokens(cache)) {
        if (t % kTokensPerFrame == 0) {
            frames.push_back(t / kTokensPerFrame);
        }
    }
    return frames;
}

TEST(KvCache, GlobalRowsAreAbsoluteTokens) {
    KvCache cache = labelCache(-1, 0, 9);
    for (int64_t block = 0; block < 3; ++block) {
        for (int repeat = 0; repeat < 5; ++repeat) { // 4 denoising steps + the cache pass
            const models::KvWritePlan plan = callWithLabels(cache, block * 3, 3);
            EXPECT_EQ(plan.writeBegin, block * 3 * kTokensPerFrame);
            EXPECT_EQ(plan.attendBegin, 0);
            EXPECT_EQ(plan.attendEnd, (block + 1) * 3 * kTokensPerFrame);
            EXPECT_EQ(plan.moveCount, 0);
        }
    }
    EXPECT_EQ(cache.indices().globalEnd, 18);
    EXPECT_EQ(cache.indices().localEnd, 18);
    EXPECT_EQ(heldFrames(cache), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
    // A tenth frame does not fit the global cache of nine.
    EXPECT_THROW(cache.plan(9, 3), std::invalid_argument);
    cache.reset();
    EXPECT_EQ(cache.indices().localEnd, 0);
    EXPECT_EQ(cache.bytes(), 2u * 9 * kTokensPerFrame * sizeof(float));
}

// The rolling example of the golden set: window 8, sink 2, blocks of 3.
TEST(KvCache, RollingWindowKeepsSinkFrames) {
    KvCache cache = labelCache(8, 2);
    const std::vector<std::vector<int64_t>> attended = {
        {0, 1, 2}, {0, 1, 2, 3, 4, 5}, {0, 1, 3, 4, 5, 6, 7, 8}, {0, 1, 6, 7, 8, 9, 10, 11}};
    for (int64_t block = 0; block < 4; ++block) {
        for (int repeat = 0; repeat < 5; ++repeat) {
            const models::KvWritePlan plan = callWithLabels(cache, block * 3, 3);
            // Only the first call of a block may roll; the rest overwrite the same rows.
            if (repeat > 0) {
                EXPECT_EQ(plan.moveCount, 0);
            }
            EXPECT_EQ(plan.attendBegin, 0);
            EXPECT_EQ(plan.attendEnd, cache.indices().localEnd);
            EXPECT_EQ(heldFrames(cache), attended[static_cast<size_t>(block)]) << block;
        }
    }
    EXPECT_EQ(cache.indices().globalEnd, 12 * kTokensPerFrame);
    EXPECT_EQ(cache.indices().localEnd, 8 * kTokensPerFrame);
}

TEST(KvCache, RandomSequencesMatchTheFrameModel) {
    std::mt19937 rng(1234);
    for (int trial = 0; trial < 300; ++trial) {
        const int64_t window = std::uniform_int_distribution<int64_t>(-1, 10)(rng);
        if (window == 0) {
            continue;
        }
        const int64_t sink =
            window == -1 ? 0 : std::uniform_int_distribution<int64_t>(0, window - 1)(rng);
        KvCache cache = labelCache(window, sink, 40);
        FrameModel model(window, sink);
        int64_t frame = 0;
        while (frame < 30) {
            const int64_t count = std::uniform_int_distribution<int64_t>(1, 3)(rng);
            const int repeats = std::uniform_int_distribution<int>(1, 5)(rng);
            const bool fits = window == -1 || count <= window - sink ||
                              (frame + count) <= window; // no eviction needed yet
            if (!fits) {
                EXPECT_THROW(cache.plan(frame, count), std::invalid_argument)
                    << "window " << window << " sink " << sink << " count " << count;
                break;
            }
            for (int r = 0; r < repeats; ++r) {
                callWithLabels(cache, frame, count);
                model.call(frame, count);
                ASSERT_EQ(heldTokens(cache), model.tokens())
                    << "trial " << trial << " window " << window << " sink " << sink << " frame "
                    << frame << " count " << count << " repeat " << r;
            }
            frame += count;
        }
    }
}

TEST(KvCache, RejectsImpossibleGeometry) {
    EXPECT_THROW(labelCache(4, 4), std::invalid_argument);     // sink fills the window
    EXPECT_THROW(labelCache(0, 0), std::invalid_argument);     // empty window
    EXPECT_THROW(labelCache(-1, 0, 0), std::invalid_argument); // empty global cache
    // A window of 4 frames with 2 sink frames cannot take a block of 3 once full.
    KvCache cache = labelCache(4, 2);
    callWithLabels(cache, 0, 3);
    try {
        cache.plan(3, 3);
        FAIL() << "expected a throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("sink"), std::string::npos) << e.what();
    }
}

TEST(KvCache, CrossAttentionCacheShape) {
    CrossAttnCache cross(3, 2, 4, 8, 16, at::kFloat, at::kCPU);
    ASSERT_EQ(cross.layers().size(), 3u);
    EXPECT_EQ(cross.layers()[0].k.sizes(), at::IntArrayRef({2, 4, 8, 16}));
    EXPECT_FALSE(cross.valid());
    EXPECT_EQ(cross.bytes(), 3u * 2 * 2 * 4 * 8 * 16 * sizeof(float));
}

} // namespace
} // namespace sfs::inference::pipeline
