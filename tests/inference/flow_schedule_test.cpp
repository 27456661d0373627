// The flow-matching schedule against the values of spec §5.2 and the conversions of §5.3
// recomputed element by element.

#include "pipeline/flow_schedule.h"
#include "tiny_dit.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>

namespace sfs::inference::pipeline {
namespace {

TEST(FlowSchedule, WarpedStepsShift5) {
    const FlowMatchSchedule s(5.0);
    const std::vector<float> t = s.warp(FlowMatchSchedule::defaultSteps());
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0], 1000.0f);
    EXPECT_EQ(t[1], 937.5f);
    EXPECT_EQ(t[2], 833.3333129882812f);
    EXPECT_EQ(t[3], 625.0f);
    EXPECT_EQ(s.sigmaAt(t[1]), 0.9375f);
    EXPECT_EQ(s.sigmaAt(t[2]), 0.8333333134651184f);
    EXPECT_EQ(s.sigmaAt(t[3]), 0.625f);
}

TEST(FlowSchedule, WarpedStepsShift8) {
    const FlowMatchSchedule s(8.0);
    const std::vector<float> t = s.warp(FlowMatchSchedule::defaultSteps());
    EXPECT_EQ(t[0], 1000.0f);
    EXPECT_EQ(t[1], 960.0f);
    EXPECT_EQ(t[2], 888.888916015625f);
    EXPECT_EQ(t[3], 727.2727661132812f);
    EXPECT_EQ(s.sigmaAt(t[1]), 0.9599999785423279f);
    EXPECT_EQ(s.sigmaAt(t[2]), 0.8888888955116272f);
    EXPECT_EQ(s.sigmaAt(t[3]), 0.7272727489471436f);
}

TEST(FlowSchedule, TableEnds) {
    const FlowMatchSchedule s(5.0);
    ASSERT_EQ(s.sigmas().numel(), 1000);
    const float* sig = s.sigmas().data_ptr<float>();
    const float* t = s.timesteps().data_ptr<float>();
    EXPECT_EQ(sig[0], 1.0f);
    EXPECT_EQ(t[0], 1000.0f);
    // t_999 = 1000·σ(0.001) = 1000·0.005/1.004 ≈ 4.98
    EXPECT_NEAR(t[999], 1000.0 * 0.005 / 1.004, 1e-4);
    for (int i = 1; i < 1000; ++i) {
        ASSERT_LT(t[i], t[i - 1]) << i;
    }
    // Step 0 of the step list warps to 0 (the end of t_ext).
    EXPECT_EQ(s.warp({0}).at(0), 0.0f);
    EXPECT_THROW(s.warp({1001}), std::invalid_argument);
}

TEST(FlowSchedule, EvenSteps) {
    EXPECT_EQ(FlowMatchSchedule::evenSteps(4), FlowMatchSchedule::defaultSteps());
    EXPECT_EQ(FlowMatchSchedule::evenSteps(2), (std::vector<int64_t>{1000, 500}));
    EXPECT_THROW(FlowMatchSchedule::evenSteps(0), std::invalid_argument);
}

TEST(FlowSchedule, NearestTimestepFirstOnTies) {
    const FlowMatchSchedule s(5.0);
    const float* t = s.timesteps().data_ptr<float>();
    EXPECT_EQ(s.indexOf(937.5f), 250);
    EXPECT_EQ(s.indexOf(0.0f), 999);
    EXPECT_EQ(s.indexOf(5000.0f), 0);
    int ties = 0;
    for (int i = 0; i + 1 < 1000; ++i) {
        const float mid = static_cast<float>((double(t[i]) + double(t[i + 1])) / 2.0);
        if (std::fabs(t[i] - mid) == std::fabs(t[i + 1] - mid)) {
            ++ties;
            EXPECT_EQ(s.indexOf(mid), i);
        } else {
            const int nearer = std::fabs(t[i] - mid) < std::fabs(t[i + 1] - mid) ? i : i + 1;
            EXPECT_EQ(s.indexOf(mid), nearer);
        }
    }
    EXPECT_GT(ties, 0);
}

TEST(FlowSchedule, FlowToX0InFloat64PerFrame) {
    const FlowMatchSchedule s(5.0);
    const at::Tensor xt = testing::randn({2, 3, 2, 2, 2}, 1);
    const at::Tensor flow = testing::randn({2, 3, 2, 2, 2}, 2);
    const at::Tensor t =
        at::tensor({1000.0f, 937.5f, 625.0f, 833.3333129882812f, 4.98f, 300.0f}).view({2, 3});
    const at::Tensor x0 = s.flowToX0(xt, flow, t);
    ASSERT_EQ(x0.scalar_type(), at::kFloat);
    for (int b = 0; b < 2; ++b) {
        for (int f = 0; f < 3; ++f) {
            const double sigma = s.sigmaAt(t[b][f].item<float>());
            const at::Tensor want =
                (xt[b][f].to(at::kDouble) - sigma * flow[b][f].to(at::kDouble)).to(at::kFloat);
            EXPECT_TRUE(at::equal(x0[b][f], want)) << b << " " << f;
        }
    }
    // One timestep for the whole call ([B, 1]) applies to every frame.
    const at::Tensor one = at::full({2, 1}, 937.5f);
    EXPECT_TRUE(
        at::equal(s.flowToX0(xt, flow, one), s.flowToX0(xt, flow, at::full({2, 3}, 937.5f))));
    EXPECT_THROW(s.flowToX0(xt, flow, at::full({2, 2}, 1.0f)), std::invalid_argument);
}

TEST(FlowSchedule, AddNoiseInFloat32) {
    const FlowMatchSchedule s(5.0);
    const at::Tensor x0 = testing::randn({3, 2, 4, 4}, 3);
    const at::Tensor eps = testing::randn({3, 2, 4, 4}, 4);
    const float t = 833.3333129882812f;
    const at::Tensor out = s.addNoise(x0, eps, t);
    const float sigma = s.sigmaAt(t);
    const float* a = x0.data_ptr<float>();
    const float* e = eps.data_ptr<float>();
    const float* o = out.data_ptr<float>();
    for (int64_t i = 0; i < x0.numel(); ++i) {
        const float keep = 1.0f - sigma;
        volatile float prodA = keep * a[i]; // volatile: no fused multiply-add
        volatile float prodB = sigma * e[i];
        ASSERT_EQ(o[i], prodA + prodB) << i;
    }
    // The result takes ε's dtype (the compute dtype), the arithmetic stays float32.
    EXPECT_EQ(s.addNoise(x0, eps.to(at::kBFloat16), t).scalar_type(), at::kBFloat16);
}

} // namespace
} // namespace sfs::inference::pipeline
