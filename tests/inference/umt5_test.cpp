// The UMT5 encoder beyond the golden parity case (tests/golden/golden_t5.cpp): position
// buckets, prompt embeddings, weight checking, dtypes, random weights.

#include "io/model_schema.h"
#include "io/safetensors.h"
#include "models/umt5.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace {

using sfs::inference::io::Weights;
using sfs::inference::io::WeightsError;
using namespace sfs::inference::models;

// The configuration discovery and the loader read from a file's shapes.
UMT5Config configOf(const Weights& w) {
    const auto check = sfs::inference::io::checkShapes(sfs::inference::ModelRole::TextEncoder,
                                                       sfs::inference::io::shapesOf(w));
    EXPECT_TRUE(check.ok());
    return check.t5.value();
}

UMT5Config tiny(bool sharedPos = false) {
    UMT5Config c;
    c.vocab = 64;
    c.dim = 16;
    c.dimAttn = 16;
    c.dimFfn = 24;
    c.numHeads = 2;
    c.numLayers = 2;
    c.numBuckets = 32;
    c.sharedPos = sharedPos;
    return c;
}

TEST(UMT5, PositionBucketsMatchTheSpecTable) {
    const at::Tensor b = relativePositionBuckets(600, 600, 32, 128);
    // Row 300 sees keys at d = j - 300.
    const auto bucket = [&](int64_t d) { return b[300][300 + d].item<int64_t>(); };
    EXPECT_EQ(bucket(0), 0);
    for (int64_t d = 1; d <= 7; ++d) {
        EXPECT_EQ(bucket(-d), d);
        EXPECT_EQ(bucket(d), 16 + d);
    }
    const std::vector<std::tuple<int64_t, int64_t, int64_t>> ranges = {
        {8, 11, 8},   {12, 15, 9},  {16, 22, 10}, {23, 31, 11},
        {32, 45, 12}, {46, 63, 13}, {64, 90, 14}, {91, 299, 15}};
    for (const auto& [lo, hi, want] : ranges) {
        for (int64_t n = lo; n <= hi; ++n) {
            ASSERT_EQ(bucket(-n), want) << "d = -" << n;
            ASSERT_EQ(bucket(n), 16 + want) << "d = " << n;
        }
    }
}

TEST(UMT5, PromptEmbeddingsZeroThePaddingAndMatchTheFullPass) {
    at::manual_seed(1);
    const UMT5Config c = tiny();
    const UMT5Encoder enc(c, makeRandomT5Weights(c, 3, at::kFloat));
    const at::Tensor ids = at::randint(3, 64, {2, 12}, at::kLong);
    at::Tensor mask = at::zeros({2, 12}, at::kLong);
    mask[0].narrow(0, 0, 5).fill_(1);
    mask[1].narrow(0, 0, 9).fill_(1);
    const at::Tensor full = enc.forward(ids, mask);
    const at::Tensor emb = enc.promptEmbeddings(ids, mask);
    ASSERT_EQ(emb.sizes(), full.sizes());
    EXPECT_TRUE(emb[0].narrow(0, 5, 7).eq(0).all().item<bool>());
    EXPECT_TRUE(emb[1].narrow(0, 9, 3).eq(0).all().item<bool>());
    EXPECT_TRUE(at::allclose(emb[0].narrow(0, 0, 5), full[0].narrow(0, 0, 5), 1e-5, 1e-5));
    EXPECT_TRUE(at::allclose(emb[1].narrow(0, 0, 9), full[1].narrow(0, 0, 9), 1e-5, 1e-5));
    // Padded rows of the full pass are computed (not zero), as in the reference.
    EXPECT_GT(full[0].narrow(0, 5, 7).abs().sum().item<float>(), 0.0f);
    // A prompt alone, without padding, gives the same rows as inside the padded batch.
    const at::Tensor alone =
        enc.forward(ids[1].narrow(0, 0, 9).unsqueeze(0), at::ones({1, 9}, at::kLong));
    EXPECT_TRUE(at::allclose(alone[0], full[1].narrow(0, 0, 9), 1e-5, 1e-5));
}

TEST(UMT5, MasksThatAreNotPrefixesRunTheFullLength) {
    at::manual_seed(1);
    const UMT5Config c = tiny();
    const UMT5Encoder enc(c, makeRandomT5Weights(c, 4, at::kFloat));
    const at::Tensor ids = at::randint(3, 64, {1, 6}, at::kLong);
    const at::Tensor mask = at::tensor(std::vector<int64_t>{1, 0, 1, 1, 0, 0}).view({1, 6});
    const at::Tensor full = enc.forward(ids, mask);
    const at::Tensor emb = enc.promptEmbeddings(ids, mask);
    // Rows below the mask's sum (3) are kept as computed over all 6 keys; the rest are zero.
    EXPECT_TRUE(at::allclose(emb[0].narrow(0, 0, 3), full[0].narrow(0, 0, 3), 1e-6, 1e-6));
    EXPECT_TRUE(emb[0].narrow(0, 3, 3).eq(0).all().item<bool>());
}

TEST(UMT5, EveryLayerUsesItsOwnPositionTable) {
    at::manual_seed(1);
    const UMT5Config c = tiny();
    Weights w = makeRandomT5Weights(c, 5, at::kFloat);
    const at::Tensor ids = at::randint(3, 64, {1, 7}, at::kLong);
    const at::Tensor mask = at::ones({1, 7}, at::kLong);
    const at::Tensor before = UMT5Encoder(c, w).forward(ids, mask);
    // Bucket 0 (a token attending to itself): a shift of one bucket, not of all (softmax
    // ignores a uniform shift).
    at::Tensor table = w.get("blocks.1.pos_embedding.embedding.weight").clone();
    table[0] += 2.0;
    w.insert("blocks.1.pos_embedding.embedding.weight", table);
    const at::Tensor after = UMT5Encoder(c, w).forward(ids, mask);
    EXPECT_GT((before - after).abs().max().item<float>(), 1e-3f);
}

TEST(UMT5, SharedPositionTablesAreSupported) {
    at::manual_seed(1);
    const UMT5Config c = tiny(true);
    const Weights w = makeRandomT5Weights(c, 6, at::kFloat);
    EXPECT_TRUE(w.has("pos_embedding.embedding.weight"));
    EXPECT_FALSE(w.has("blocks.0.pos_embedding.embedding.weight"));
    const UMT5Config inferred = configOf(w);
    EXPECT_TRUE(inferred.sharedPos);
    EXPECT_EQ(inferred.numLayers, 2);
    const UMT5Encoder enc(inferred, w);
    const at::Tensor out = enc.forward(at::randint(64, {1, 5}, at::kLong), at::ones({1, 5}));
    EXPECT_EQ(out.sizes(), (std::vector<int64_t>{1, 5, 16}));
}

TEST(UMT5, ConfigFromWeightsReadsEverySize) {
    const UMT5Config c = tiny();
    const UMT5Config got = configOf(makeRandomT5Weights(c, 1, at::kFloat));
    EXPECT_EQ(got.vocab, c.vocab);
    EXPECT_EQ(got.dim, c.dim);
    EXPECT_EQ(got.dimAttn, c.dimAttn);
    EXPECT_EQ(got.dimFfn, c.dimFfn);
    EXPECT_EQ(got.numHeads, c.numHeads);
    EXPECT_EQ(got.numLayers, c.numLayers);
    EXPECT_EQ(got.numBuckets, c.numBuckets);
    EXPECT_FALSE(got.sharedPos);
    EXPECT_EQ(UMT5Config::xxl().parameterCount(), 5680910336LL); // spec C.5
}

TEST(UMT5, BadWeightsNameTheTensor) {
    const UMT5Config c = tiny();
    Weights w = makeRandomT5Weights(c, 2, at::kFloat);
    Weights missing("test weights");
    for (const auto& name : w.names()) {
        if (name != "blocks.1.ffn.fc2.weight") {
            missing.insert(name, w.get(name));
        }
    }
    try {
        UMT5Encoder(c, missing);
        FAIL() << "no error";
    } catch (const WeightsError& e) {
        EXPECT_EQ(e.tensor(), "blocks.1.ffn.fc2.weight");
    }
    Weights wrong = w;
    wrong.insert("blocks.0.attn.k.weight", at::zeros({16, 8}));
    try {
        UMT5Encoder(c, wrong);
        FAIL() << "no error";
    } catch (const WeightsError& e) {
        EXPECT_EQ(e.tensor(), "blocks.0.attn.k.weight");
    }
    Weights mixed = w;
    mixed.insert("norm.weight", w.get("norm.weight").to(at::kDouble));
    EXPECT_THROW(UMT5Encoder(c, mixed), WeightsError);
    EXPECT_FALSE(sfs::inference::io::checkShapes(sfs::inference::ModelRole::TextEncoder, {}).ok());
}

TEST(UMT5, BadInputsAreRefused) {
    const UMT5Config c = tiny();
    const UMT5Encoder enc(c, makeRandomT5Weights(c, 2, at::kFloat));
    EXPECT_THROW(enc.forward(at::full({1, 4}, 64, at::kLong), at::ones({1, 4})),
                 std::invalid_argument);
    EXPECT_THROW(enc.forward(at::zeros({1, 4}, at::kLong), at::ones({1, 5})),
                 std::invalid_argument);
    EXPECT_THROW(enc.forward(at::zeros({4}, at::kLong), at::ones({4})), std::invalid_argument);
}

TEST(UMT5, HalfPrecisionRunsFollowFloat32) {
    at::manual_seed(1);
    const UMT5Config c = tiny();
    const at::Tensor ids = at::randint(3, 64, {1, 10}, at::kLong);
    const at::Tensor mask = at::ones({1, 10}, at::kLong);
    const at::Tensor ref = UMT5Encoder(c, makeRandomT5Weights(c, 9, at::kFloat)).forward(ids, mask);
    const UMT5Encoder bf16(c, makeRandomT5Weights(c, 9, at::kBFloat16));
    EXPECT_EQ(bf16.dtype(), at::kBFloat16);
    const at::Tensor out = bf16.promptEmbeddings(ids, mask);
    EXPECT_EQ(out.scalar_type(), at::kBFloat16);
    const double err = (out.to(at::kFloat) - ref).abs().max().item<double>();
    EXPECT_LT(err, 0.1 * ref.abs().max().item<double>());
}

TEST(UMT5, RandomWeightsAreSeededAndDtypeIndependent) {
    const UMT5Config c = tiny();
    const Weights a = makeRandomT5Weights(c, 11, at::kFloat);
    const Weights b = makeRandomT5Weights(c, 11, at::kFloat);
    const Weights h = makeRandomT5Weights(c, 11, at::kBFloat16);
    const Weights other = makeRandomT5Weights(c, 12, at::kFloat);
    for (const auto& name : a.names()) {
        EXPECT_TRUE(at::equal(a.get(name), b.get(name))) << name;
        EXPECT_TRUE(at::equal(a.get(name).to(at::kBFloat16), h.get(name))) << name;
    }
    EXPECT_FALSE(at::equal(a.get("norm.weight"), other.get("norm.weight")));
    const at::Tensor fc1 = a.get("blocks.0.ffn.fc1.weight");
    EXPECT_NEAR(fc1.std().item<double>(), 1.0 / 4.0, 0.05); // 1/sqrt(fan_in 16)
    EXPECT_NEAR(a.get("norm.weight").mean().item<double>(), 1.0, 0.1);
}

} // namespace
