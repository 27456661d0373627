// VACE on the causal DiT: configuration, binding to a DiT, the hint hook's arithmetic and the
// context's mask folding (the numbers themselves are checked against the reference by
// sfs-golden on shared/golden-vace).

#include "models/vace_context.h"
#include "models/wan_vace.h"
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

VaceConfig tinyVaceConfig() {
    const DitConfig d = tinyDitConfig();
    VaceConfig c;
    c.dim = d.dim;
    c.ffnDim = d.ffnDim;
    c.numHeads = d.numHeads;
    c.layers = {0, 1};
    return c;
}

TEST(VaceConfig, PublishedShapesAndDefaultLayers) {
    const VaceConfig c = VaceConfig::wan13B();
    EXPECT_EQ(c.numBlocks(), 15);
    EXPECT_EQ(c.parameters().size(), 439u);
    EXPECT_EQ(c.parameterCount(), 734975232);
    EXPECT_NO_THROW(c.checkFits(DitConfig::wan13B()));
    EXPECT_EQ(VaceConfig::defaultLayers(15, 30), c.layers);
    EXPECT_EQ(VaceConfig::defaultLayers(8, 40),
              (std::vector<int64_t>{0, 5, 10, 15, 20, 25, 30, 35}));
    EXPECT_EQ(VaceConfig::defaultLayers(2, 4), (std::vector<int64_t>{0, 2}));
    EXPECT_TRUE(VaceConfig::defaultLayers(7, 30).empty());
}

TEST(VaceConfig, BlocksThatDoNotFitTheDitAreRefused) {
    VaceConfig c = tinyVaceConfig();
    c.layers = {0, 2};
    EXPECT_NE(errorOf([&] {
                  c.checkFits(tinyDitConfig());
              }).find("vace_layers names layer 2, the DiT has 2 layers"),
              std::string::npos);
    c = tinyVaceConfig();
    c.dim = 64;
    EXPECT_NE(errorOf([&] { c.checkFits(tinyDitConfig()); }).find("dim 64, the DiT 32"),
              std::string::npos);
    c = tinyVaceConfig();
    c.layers = {1};
    EXPECT_NE(errorOf([&] { c.validate(); }).find("must start with layer 0"), std::string::npos);
    // Weights of another shape name the tensor.
    VaceConfig wide = tinyVaceConfig();
    wide.ffnDim = 48;
    const io::Weights w = makeRandomVaceWeights(wide, 3, at::kFloat);
    EXPECT_NE(errorOf([&] { VaceModel(tinyDit(), tinyVaceConfig(), w); }).find("ffn.0.weight"),
              std::string::npos);
}

// The hook adds scale x hint after the hinted blocks: scale 0 is the plain DiT, and the output
// moves with the scale.
TEST(VaceModel, HintsAddScaledAfterTheBlocks) {
    const auto dit = tinyDit(5);
    const DitConfig& c = dit->config();
    const VaceModel vace(dit, tinyVaceConfig(),
                         makeRandomVaceWeights(tinyVaceConfig(), 7, at::kFloat));
    const at::Tensor x = randn({1, 2, c.inDim, 4, 6}, 11);
    const at::Tensor t = at::full({1, 1}, 500.0f);
    const at::Tensor context = randn({1, 2, 96, 4, 6}, 12);
    const at::Tensor text = randn({1, 5, c.textDim}, 13);
    const int64_t tokens = 2 * c.tokensPerFrame(4, 6);
    auto run = [&](double scale, bool hooked) {
        std::vector<LayerKv> self, cross;
        for (int64_t i = 0; i < c.numLayers; ++i) {
            self.push_back({at::zeros({1, c.numHeads, tokens, c.headDim()}),
                            at::zeros({1, c.numHeads, tokens, c.headDim()})});
            cross.push_back({at::zeros({1, c.numHeads, c.textLen, c.headDim()}),
                             at::zeros({1, c.numHeads, c.textLen, c.headDim()})});
        }
        dit->fillCrossAttention(text, cross);
        DitCallCaches caches;
        caches.self = &self;
        caches.cross = &cross;
        caches.plan.attendEnd = tokens;
        const std::vector<LayerKv> vaceCross = vace.crossAttention(text);
        VaceHintHook hook(vace, vace.embedContext(context), vaceCross, scale);
        return dit->forward(x, t, 0, caches, DitOutput::Flow, hooked ? &hook : nullptr);
    };
    const at::Tensor plain = run(0.0, false);
    EXPECT_TRUE(at::equal(run(0.0, true), plain));
    const at::Tensor half = run(0.5, true);
    const at::Tensor full = run(1.0, true);
    EXPECT_GT((half - plain).abs().max().item<double>(), 1e-3);
    EXPECT_GT((full - half).abs().max().item<double>(), 1e-3);

    // A context of other frames than the latents is refused, saying so.
    EXPECT_NE(errorOf([&] {
                  const std::vector<LayerKv> vc = vace.crossAttention(text);
                  const DitCallState s = dit->callState(x, t, 0);
                  vace.hints(s, vace.embedContext(randn({1, 3, 96, 4, 6}, 1)), vc);
              }).find("the same frames and size"),
              std::string::npos);
}

TEST(VaceContext, MaskFoldsCellsAndPicksFramesNearestExact) {
    // Pixel value = 1000 * frame + 8 * row-in-cell + column-in-cell in every 8x8 cell.
    const int64_t t = 9;
    at::Tensor mask = at::zeros({1, t, 16, 32});
    for (int64_t f = 0; f < t; ++f) {
        for (int64_t y = 0; y < 16; ++y) {
            for (int64_t x = 0; x < 32; ++x) {
                mask[0][f][y][x] = static_cast<float>(1000 * f + 8 * (y % 8) + (x % 8));
            }
        }
    }
    const at::Tensor m = foldVaceMask(mask, 1);
    ASSERT_EQ(m.sizes(), (std::vector<int64_t>{64, 4, 2, 4}));
    EXPECT_EQ(m.select(1, 0).abs().max().item<float>(), 0.0f); // the reference's zero frame
    // Frames 9 -> 3 take pixel frames 1, 4, 7 (nearest would take 0, 3, 6).
    for (int64_t d = 0; d < 3; ++d) {
        for (int64_t ch = 0; ch < 64; ++ch) {
            EXPECT_EQ(m[ch][d + 1][1][2].item<float>(),
                      static_cast<float>(1000 * (1 + 3 * d) + ch));
        }
    }
    EXPECT_NE(errorOf([&] {
                  foldVaceMask(at::zeros({1, 5, 8, 16}), 0);
              }).find("multiple of 16"),
              std::string::npos);
}

TEST(VaceContext, ReferenceIsFittedIntoAWhiteCanvas) {
    const at::Tensor img = at::full({3, 1, 8, 8}, -1.0f);
    const at::Tensor canvas = fitVaceReference(img, 16, 32);
    ASSERT_EQ(canvas.sizes(), (std::vector<int64_t>{3, 1, 16, 32}));
    // Scaled by 2 to 16 x 16, centred: columns 8..23 dark, the rest white.
    EXPECT_EQ(canvas.narrow(3, 8, 16).max().item<float>(), -1.0f);
    EXPECT_EQ(canvas.narrow(3, 0, 8).min().item<float>(), 1.0f);
    EXPECT_EQ(canvas.narrow(3, 24, 8).min().item<float>(), 1.0f);
    EXPECT_TRUE(at::equal(fitVaceReference(canvas, 16, 32), canvas));
}

} // namespace
} // namespace sfs::inference::models
