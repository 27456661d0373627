// The causal DiT's config, weight checks and call-level properties (the numbers themselves are
// checked against the reference by sfs-golden).

#include "io/json.h"
#include "io/safetensors.h"
#include "models/config_json.h"
#include "models/wan_dit.h"
#include "pipeline/kv_cache.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <functional>

namespace sfs::inference::models {
namespace {

using testing::errorOf;
using testing::randn;
using testing::tinyDit;
using testing::tinyDitConfig;

TEST(DitConfig, PublishedShapesAndParameterCount) {
    const DitConfig c = DitConfig::wan13B();
    EXPECT_EQ(c.headDim(), 128);
    EXPECT_EQ(c.tokensPerFrame(60, 104), 1560);
    EXPECT_EQ(c.parameters().size(), 825u);
    EXPECT_EQ(c.parameterCount(), 1418996800);
}

TEST(DitConfig, FromJson) {
    const json::Value v = json::parse(
        R"({"model_type": "t2v", "patch_size": [1, 2, 2], "text_len": 16, "in_dim": 16,
            "dim": 64, "ffn_dim": 128, "freq_dim": 32, "text_dim": 32, "out_dim": 16,
            "num_heads": 4, "num_layers": 2, "qk_norm": true, "cross_attn_norm": true,
            "eps": 1e-06, "head_dim": 16, "rope": {"head_dim": 16}})");
    const DitConfig c = ditConfigFromJson(v, "test");
    EXPECT_EQ(c.dim, 64);
    EXPECT_EQ(c.numHeads, 4);
    EXPECT_EQ(c.textLen, 16);
    EXPECT_EQ(c.freqDim, 32);
    EXPECT_EQ(c.ffnDim, 128);
    // Absent fields keep the 1.3B defaults (a Wan config.json has no text_dim).
    EXPECT_EQ(ditConfigFromJson(json::parse(R"({"dim": 1536})"), "x").textDim, 4096);

    EXPECT_NE(errorOf([] {
                  ditConfigFromJson(json::parse(R"({"model_type": "i2v"})"), "cfg");
              }).find("cfg: model_type 'i2v'"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  ditConfigFromJson(json::parse(R"({"dim": 60, "num_heads": 7})"), "c");
              }).find("not divisible by num_heads"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  ditConfigFromJson(json::parse(R"({"dim": 64, "num_heads": 4, "head_dim": 8})"),
                                    "c");
              }).find("head_dim 8 contradicts"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  ditConfigFromJson(json::parse(R"({"patch_size": [2, 2, 2]})"), "c");
              }).find("temporal"),
              std::string::npos);
}

TEST(DitWeights, RandomWeightsAreSeededAndFollowTheConfig) {
    const DitConfig c = tinyDitConfig();
    const io::Weights a = makeRandomDitWeights(c, 5, at::kFloat);
    const io::Weights b = makeRandomDitWeights(c, 5, at::kFloat);
    const io::Weights other = makeRandomDitWeights(c, 6, at::kFloat);
    ASSERT_EQ(a.size(), c.parameters().size());
    for (const ParamSpec& p : c.parameters()) {
        const std::string& name = p.name;
        const std::vector<int64_t>& shape = p.shape;
        EXPECT_EQ(a.get(name).sizes(), at::IntArrayRef(shape)) << name;
        EXPECT_TRUE(at::equal(a.get(name), b.get(name))) << name;
        EXPECT_FALSE(at::equal(a.get(name), other.get(name))) << name;
    }
    // The law of the golden fixtures: norm weights near 1, weights with std 1/sqrt(fan_in).
    EXPECT_NEAR(a.get("blocks.0.self_attn.norm_q.weight").mean().item<double>(), 1.0, 0.1);
    EXPECT_NEAR(a.get("blocks.1.ffn.2.weight").std().item<double>(), 1.0 / std::sqrt(64.0), 0.02);
    const io::Weights bf = makeRandomDitWeights(c, 5, at::kBFloat16);
    EXPECT_EQ(bf.get("head.head.weight").scalar_type(), at::kBFloat16);
    EXPECT_TRUE(at::equal(bf.get("head.head.weight"), a.get("head.head.weight").to(at::kBFloat16)));
}

TEST(DitWeights, ModelNamesTheBadWeight) {
    const DitConfig c = tinyDitConfig();
    auto load = [&](io::Weights w) { DitModel m(c, w); };
    {
        io::Weights w = makeRandomDitWeights(c, 1, at::kFloat);
        io::Weights missing("file.safetensors");
        for (const std::string& n : w.names()) {
            if (n != "blocks.1.norm3.bias") {
                missing.insert(n, w.get(n));
            }
        }
        const std::string e = errorOf([&] { load(missing); });
        EXPECT_NE(e.find("file.safetensors"), std::string::npos) << e;
        EXPECT_NE(e.find("blocks.1.norm3.bias"), std::string::npos) << e;
    }
    {
        io::Weights w = makeRandomDitWeights(c, 1, at::kFloat);
        w.insert("blocks.0.ffn.0.weight", at::zeros({65, 32}));
        const std::string e = errorOf([&] { load(w); });
        EXPECT_NE(e.find("blocks.0.ffn.0.weight"), std::string::npos) << e;
        EXPECT_NE(e.find("[65, 32]"), std::string::npos) << e;
    }
    {
        io::Weights w = makeRandomDitWeights(c, 1, at::kFloat);
        w.insert("blocks.2.modulation", at::zeros({1, 6, 32})); // a third block: wrong config
        const std::string e = errorOf([&] { load(w); });
        EXPECT_NE(e.find("blocks.2.modulation"), std::string::npos) << e;
        EXPECT_NE(e.find("not a weight"), std::string::npos) << e;
    }
}

// A fresh pair of caches for one call of `frames` frames at `start`.
struct Caches {
    pipeline::KvCache kv;
    pipeline::CrossAttnCache cross;
    DitCallCaches call;

    Caches(const DitModel& m, int64_t batch, int64_t frames, int64_t h = 4, int64_t w = 6)
        : kv(options(m, batch, frames, h, w)),
          cross(m.config().numLayers, batch, m.config().numHeads, m.config().textLen,
                m.config().headDim(), m.dtype(), m.device()) {}
    static pipeline::KvCacheOptions options(const DitModel& m, int64_t batch, int64_t frames,
                                            int64_t h, int64_t w) {
        pipeline::KvCacheOptions o;
        o.layers = m.config().numLayers;
        o.batch = batch;
        o.heads = m.config().numHeads;
        o.headDim = m.config().headDim();
        o.tokensPerFrame = m.config().tokensPerFrame(h, w);
        o.capacityFrames = frames;
        o.dtype = m.dtype();
        o.device = m.device();
        return o;
    }
    at::Tensor run(const DitModel& m, const at::Tensor& x, const at::Tensor& t,
                   const at::Tensor& prompt, DitOutput out = DitOutput::Flow) {
        m.fillCrossAttention(prompt, cross.layers());
        const pipeline::KvStep step = kv.plan(0, x.size(1));
        call.self = &kv.layers();
        call.cross = &cross.layers();
        call.plan = step.plan;
        at::Tensor flow = m.forward(x, t, 0, call, out);
        kv.commit(step);
        return flow;
    }
};

TEST(DitModel, KvOnlyWritesTheSameCache) {
    auto m = tinyDit();
    const at::Tensor x = randn({1, 3, 16, 4, 6}, 1);
    const at::Tensor prompt = randn({1, 8, 12}, 2);
    const at::Tensor t = at::zeros({1, 3});
    Caches full(*m, 1, 3), kvOnly(*m, 1, 3);
    const at::Tensor flow = full.run(*m, x, t, prompt);
    EXPECT_EQ(flow.sizes(), x.sizes());
    EXPECT_FALSE(kvOnly.run(*m, x, t, prompt, DitOutput::KvOnly).defined());
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(at::equal(full.kv.keys(i), kvOnly.kv.keys(i))) << i;
        EXPECT_TRUE(at::equal(full.kv.values(i), kvOnly.kv.values(i))) << i;
    }
}

TEST(DitModel, BatchItemsAreIndependent) {
    auto m = tinyDit();
    const at::Tensor x = randn({2, 3, 16, 4, 6}, 1);
    const at::Tensor prompt = randn({2, 8, 12}, 2);
    const at::Tensor t = at::tensor({900.0f, 900.0f, 900.0f, 300.0f, 300.0f, 300.0f}).view({2, 3});
    Caches both(*m, 2, 3);
    const at::Tensor flow = both.run(*m, x, t, prompt);
    for (int64_t b = 0; b < 2; ++b) {
        Caches one(*m, 1, 3);
        const at::Tensor single =
            one.run(*m, x.narrow(0, b, 1), t.narrow(0, b, 1), prompt.narrow(0, b, 1));
        EXPECT_TRUE(at::allclose(flow.narrow(0, b, 1), single, 1e-5, 1e-5)) << b;
    }
}

TEST(DitModel, OneTimestepForTheCallEqualsOnePerFrame) {
    auto m = tinyDit();
    const at::Tensor x = randn({1, 3, 16, 4, 6}, 3);
    const at::Tensor prompt = randn({1, 5, 12}, 4); // shorter than text_len: zero-padded
    Caches a(*m, 1, 3), b(*m, 1, 3);
    const at::Tensor perCall = a.run(*m, x, at::full({1, 1}, 250.0f), prompt);
    const at::Tensor perFrame = b.run(*m, x, at::full({1, 3}, 250.0f), prompt);
    EXPECT_TRUE(at::allclose(perCall, perFrame, 1e-5, 1e-5));
}

TEST(DitModel, NonSquareLatentsAndBadInputs) {
    auto m = tinyDit();
    const at::Tensor prompt = randn({1, 8, 12}, 2);
    Caches c(*m, 1, 2, 6, 10);
    const at::Tensor x = randn({1, 2, 16, 6, 10}, 5);
    EXPECT_EQ(c.run(*m, x, at::full({1, 2}, 500.0f), prompt).sizes(), x.sizes());

    Caches d(*m, 1, 3);
    EXPECT_NE(errorOf([&] {
                  d.run(*m, randn({1, 3, 15, 4, 6}, 1), at::zeros({1, 3}), prompt);
              }).find("latents must be"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  d.run(*m, randn({1, 3, 16, 4, 6}, 1), at::zeros({1, 2}), prompt);
              }).find("timestep must be"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  d.run(*m, randn({1, 3, 16, 4, 6}, 1), at::zeros({1, 3}), randn({1, 9, 12}, 1));
              }).find("prompt embeddings"),
              std::string::npos);
}

TEST(DitModel, ExactAttentionInPiecesMatchesTheMath) {
    const at::Tensor q = randn({2, 3, 37, 8}, 1);
    const at::Tensor k = randn({2, 3, 29, 8}, 2);
    const at::Tensor v = randn({2, 3, 29, 8}, 3);
    const at::Tensor q64 = q.to(at::kDouble), k64 = k.to(at::kDouble), v64 = v.to(at::kDouble);
    const at::Tensor want =
        at::matmul(at::softmax(at::matmul(q64, k64.transpose(-2, -1)) / std::sqrt(8.0), -1), v64);
    const at::Tensor whole = exactAttention(q, k, v);
    const int64_t row = 29 * 4; // score bytes of one query row of one head
    const at::Tensor headGroups = exactAttention(q, k, v, 37 * row * 4); // 4 heads a piece
    const at::Tensor rowPieces = exactAttention(q, k, v, 5 * row);       // 5 rows of one head
    EXPECT_TRUE(at::allclose(whole.to(at::kDouble), want, 1e-5, 1e-6));
    EXPECT_TRUE(at::allclose(whole, headGroups, 1e-6, 1e-7));
    EXPECT_TRUE(at::allclose(whole, rowPieces, 1e-6, 1e-7));
    // The GPU's loop (all heads in one batched product), whole and in pieces of rows.
    for (const int64_t budget : {int64_t(16) << 20, 6 * 5 * row}) {
        const at::Tensor batched = exactAttention(q, k, v, budget, 0, AttentionLoop::Batched);
        EXPECT_TRUE(at::allclose(batched.to(at::kDouble), want, 1e-5, 1e-6));
    }
    EXPECT_TRUE(at::allclose(attention(q, k, v).to(at::kDouble), want, 1e-5, 1e-6));
    // Reduced precision: products in bf16 (float32 accumulation), the softmax in float32
    // inside its kernel: bf16's softmax equals float32's rounded once.
    const at::Tensor scores = randn({5, 29}, 4).mul(4).to(at::kBFloat16);
    EXPECT_TRUE(at::equal(at::_softmax(scores, -1, false),
                          at::softmax(scores.to(at::kFloat), -1).to(at::kBFloat16)));
    const at::Tensor bf =
        exactAttention(q.to(at::kBFloat16), k.to(at::kBFloat16), v.to(at::kBFloat16));
    EXPECT_EQ(bf.scalar_type(), at::kBFloat16);
    EXPECT_TRUE(at::allclose(bf.to(at::kDouble), want, 0.05, 0.05));
}

TEST(DitModel, RunsInBfloat16) {
    const DitConfig c = tinyDitConfig();
    const DitModel m32(c, makeRandomDitWeights(c, 1, at::kFloat));
    const DitModel m16(c, makeRandomDitWeights(c, 1, at::kBFloat16));
    const at::Tensor x = randn({1, 3, 16, 4, 6}, 1);
    const at::Tensor prompt = randn({1, 8, 12}, 2);
    Caches a(m32, 1, 3), b(m16, 1, 3);
    const at::Tensor f32 = a.run(m32, x, at::full({1, 3}, 700.0f), prompt);
    const at::Tensor f16 = b.run(m16, x.to(at::kBFloat16), at::full({1, 3}, 700.0f), prompt);
    EXPECT_EQ(f16.scalar_type(), at::kBFloat16);
    const double rel =
        (f16.to(at::kFloat) - f32).abs().max().item<double>() / f32.abs().max().item<double>();
    EXPECT_LT(rel, 0.05);

    // Caches of another dtype are refused with a message, not converted silently.
    Caches wrong(m32, 1, 3);
    EXPECT_NE(errorOf([&] {
                  wrong.run(m16, x.to(at::kBFloat16), at::full({1, 3}, 700.0f), prompt);
              }).find("cache"),
              std::string::npos);
}

} // namespace
} // namespace sfs::inference::models
