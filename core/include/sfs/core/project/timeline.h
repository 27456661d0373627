#pragma once
// The timeline grid, in one place: video frames, latent frames, chunks and seconds.
//
// The model runs at 16 fps and produces chunks of 3 latent frames. The first latent frame of a
// clip decodes to 1 video frame, every later one to 4, so n chunks give 12n - 3 frames
// (9, 21, 33, ... 81 = 5 s). Frame indices are 0-based. The grid itself is the inference
// side's (sfs/inference/frame_grid.h, which the decoders follow); this header gives it the int
// types of the Qt side and adds durations and seconds.

#include "sfs/inference/frame_grid.h"

namespace sfs::core::timeline {

namespace grid = inference::frame_grid;

inline constexpr int kFps = 16;
inline constexpr int kLatentFramesPerChunk = static_cast<int>(grid::kLatentFramesPerChunk);
inline constexpr int kFramesPerLatentFrame = static_cast<int>(grid::kFramesPerLatentFrame);
inline constexpr int kFramesPerChunk = static_cast<int>(grid::kFramesPerChunk); // 12
// The first chunk is short by 3 frames: its first latent frame decodes to 1 frame, not 4.
inline constexpr int kFirstChunkShortfall = static_cast<int>(grid::kFirstFrameShortfall);
// About 12.5 minutes; long enough for any storyboard, small enough to keep files sane.
inline constexpr int kMaxChunks = 1000;

// The grid's functions (frame_grid.h documents each; called with int they return int).
using grid::chunkOfFrame;
using grid::chunkOfLatentFrame;
using grid::chunksForFrames;
using grid::firstFrameOfChunk;
using grid::firstFrameOfLatentFrame;
using grid::firstLatentFrameOfChunk;
using grid::framesForChunks;
using grid::framesForLatentFrames;
using grid::framesOfLatentFrame;
using grid::latentFrameOfFrame;
using grid::latentFramesForFrames;

inline constexpr int kMinDurationFrames = framesForChunks(1);
inline constexpr int kMaxDurationFrames = framesForChunks(kMaxChunks);

// A duration the model can produce exactly: 12n - 3 frames with 1 <= n <= kMaxChunks.
constexpr bool isValidDuration(int frames) {
    return frames >= kMinDurationFrames && frames <= kMaxDurationFrames &&
           (frames + kFirstChunkShortfall) % kFramesPerChunk == 0;
}

// The grid duration nearest to `frames` (ties go to the longer one), within the allowed range.
constexpr int snapDuration(int frames) {
    if (frames <= kMinDurationFrames) {
        return kMinDurationFrames;
    }
    if (frames >= kMaxDurationFrames) {
        return kMaxDurationFrames;
    }
    const int chunks = (frames + kFirstChunkShortfall + kFramesPerChunk / 2) / kFramesPerChunk;
    return framesForChunks(chunks);
}

constexpr double secondsForFrames(int frames) {
    return static_cast<double>(frames) / kFps;
}

// The frame at `seconds`, rounded to the nearest frame.
constexpr int framesForSeconds(double seconds) {
    const double f = seconds * kFps;
    return static_cast<int>(f < 0 ? f - 0.5 : f + 0.5);
}

static_assert(framesForChunks(7) == 81 && chunksForFrames(81) == 7);
static_assert(latentFramesForFrames(81) == 21 && firstFrameOfChunk(1) == 9);
static_assert(chunkOfFrame(8) == 0 && chunkOfFrame(9) == 1 && chunkOfFrame(80) == 6);
static_assert(snapDuration(80) == 81 && snapDuration(75) == 81 && snapDuration(74) == 69);

} // namespace sfs::core::timeline
