// The --keyframe-report table: aligned columns, one row per keyframe, nothing for none.
#include "keyframe_report.h"

#include <gtest/gtest.h>

namespace sfs::cli {
namespace {

TEST(KeyframeReport, OneAlignedRowPerKeyframeUnderAHeader) {
    inference::KeyframeReport start;
    start.frame = 0;
    start.latentFrame = 0;
    start.strength = 1.0f;
    start.relativeL2 = 0.0;
    start.snap = 0.01234;
    start.medianChange = 0.05;
    inference::KeyframeReport end;
    end.frame = 80;
    end.latentFrame = 20;
    end.strength = 0.5f;
    end.relativeL2 = 0.123456;
    end.snap = 12.5;
    end.medianChange = 0.0421;
    EXPECT_EQ(formatKeyframeReport({start, end}),
              "frame  latent  strength  rel-L2     snap  median\n"
              "    0       0      1.00  0.0000   0.0123  0.0500\n"
              "   80      20      0.50  0.1235  12.5000  0.0421\n");
}

TEST(KeyframeReport, NoKeyframesPrintNothing) {
    EXPECT_EQ(formatKeyframeReport({}), "");
}

} // namespace
} // namespace sfs::cli
