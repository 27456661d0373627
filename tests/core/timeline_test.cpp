// The timeline grid: frames, latent frames, chunks and seconds.

#include "sfs/core/project/timeline.h"

#include <gtest/gtest.h>

namespace tl = sfs::core::timeline;

TEST(Timeline, ChunksGiveTwelveNMinusThreeFrames) {
    const int expected[] = {0, 9, 21, 33, 45, 57, 69, 81};
    for (int n = 0; n <= 7; ++n) {
        EXPECT_EQ(tl::framesForChunks(n), expected[n]) << n;
        EXPECT_EQ(tl::chunksForFrames(expected[n]), n) << n;
        EXPECT_EQ(tl::latentFramesForFrames(expected[n]), 3 * n) << n;
        EXPECT_EQ(tl::framesForLatentFrames(3 * n), expected[n]) << n;
    }
    EXPECT_EQ(tl::framesForChunks(7), 81);
    EXPECT_NEAR(tl::secondsForFrames(81), 5.0625, 1e-12);
}

TEST(Timeline, EveryFrameMapsToTheLatentFrameAndChunkThatDecodeIt) {
    // Walk the decoder's output order: latent 0 gives 1 frame, every later latent 4 frames.
    int frame = 0;
    for (int latent = 0; latent < 21; ++latent) {
        EXPECT_EQ(tl::firstFrameOfLatentFrame(latent), frame);
        for (int k = 0; k < tl::framesOfLatentFrame(latent); ++k, ++frame) {
            EXPECT_EQ(tl::latentFrameOfFrame(frame), latent) << "frame " << frame;
            EXPECT_EQ(tl::chunkOfFrame(frame), latent / 3) << "frame " << frame;
        }
        EXPECT_EQ(tl::chunkOfLatentFrame(latent), latent / 3);
    }
    EXPECT_EQ(frame, 81);
    for (int chunk = 0; chunk < 7; ++chunk) {
        EXPECT_EQ(tl::firstFrameOfChunk(chunk), tl::framesForChunks(chunk));
        EXPECT_EQ(tl::chunkOfFrame(tl::firstFrameOfChunk(chunk)), chunk);
        EXPECT_EQ(tl::firstLatentFrameOfChunk(chunk), 3 * chunk);
        if (chunk > 0) {
            EXPECT_EQ(tl::chunkOfFrame(tl::firstFrameOfChunk(chunk) - 1), chunk - 1);
        }
    }
}

TEST(Timeline, DurationsSnapToTheChunkGrid) {
    EXPECT_TRUE(tl::isValidDuration(9));
    EXPECT_TRUE(tl::isValidDuration(81));
    EXPECT_FALSE(tl::isValidDuration(80));
    EXPECT_FALSE(tl::isValidDuration(0));
    EXPECT_FALSE(tl::isValidDuration(-3));
    EXPECT_FALSE(tl::isValidDuration(tl::kMaxDurationFrames + 12));
    EXPECT_EQ(tl::snapDuration(1), 9);
    EXPECT_EQ(tl::snapDuration(14), 9);
    EXPECT_EQ(tl::snapDuration(15), 21); // halfway: the longer one
    EXPECT_EQ(tl::snapDuration(80), 81);
    EXPECT_EQ(tl::snapDuration(86), 81);
    EXPECT_EQ(tl::snapDuration(88), 93);
    EXPECT_EQ(tl::snapDuration(1 << 30), tl::kMaxDurationFrames);
    for (int f = -5; f < 400; ++f) {
        EXPECT_TRUE(tl::isValidDuration(tl::snapDuration(f))) << f;
    }
}

TEST(Timeline, SecondsRoundToTheNearestFrame) {
    EXPECT_EQ(tl::framesForSeconds(0.0), 0);
    EXPECT_EQ(tl::framesForSeconds(1.0), 16);
    EXPECT_EQ(tl::framesForSeconds(5.0), 80);
    EXPECT_EQ(tl::framesForSeconds(0.03), 0);
    EXPECT_EQ(tl::framesForSeconds(0.04), 1);
    EXPECT_EQ(tl::framesForSeconds(-1.0), -16);
    EXPECT_DOUBLE_EQ(tl::secondsForFrames(16), 1.0);
}
