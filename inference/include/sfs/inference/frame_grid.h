#pragma once
// The frame grid of the model, in one place: latent frames <-> video frames <-> chunks.
//
// The DiT produces chunks of 3 latent frames. Every decoder (Wan VAE, TAEHV, any later one)
// turns the first latent frame of a take into 1 video frame and every later latent frame into
// 4, so n latent frames make 4n - 3 video frames and n chunks make 12n - 3 (9, 21, ... 81).
// Indices are 0-based. Torch-free and constexpr: core's timeline (core/timeline.h) is built on
// it, and the stream decoders check their output against it.

#include <cstdint>

namespace sfs::inference::frame_grid {

inline constexpr int64_t kLatentFramesPerChunk = 3;
inline constexpr int64_t kFramesPerLatentFrame = 4; // every latent frame after the first
inline constexpr int64_t kFramesPerChunk = kLatentFramesPerChunk * kFramesPerLatentFrame; // 12
// The first latent frame decodes to 1 frame, not 4: the first chunk is short by 3 frames.
inline constexpr int64_t kFirstFrameShortfall = kFramesPerLatentFrame - 1;

// How many video frames latent frame `latentFrame` decodes to: 1 for the first, 4 after.
constexpr int64_t framesOfLatentFrame(int64_t latentFrame) {
    return latentFrame == 0 ? 1 : kFramesPerLatentFrame;
}

// Video frames of the first `latentFrames` latent frames: 4n - 3 (0 for none).
constexpr int64_t framesForLatentFrames(int64_t latentFrames) {
    return latentFrames <= 0 ? 0 : kFramesPerLatentFrame * latentFrames - kFirstFrameShortfall;
}

// Video frames that latent frames [first, first + count) decode to: what a stream decoder
// returns for a chunk of `count` latent frames after `first` already decoded.
constexpr int64_t framesOfLatentRange(int64_t first, int64_t count) {
    return count <= 0 ? 0 : framesForLatentFrames(first + count) - framesForLatentFrames(first);
}

// The first video frame that latent frame `latentFrame` decodes to.
constexpr int64_t firstFrameOfLatentFrame(int64_t latentFrame) {
    return framesForLatentFrames(latentFrame);
}

// The latent frame that decodes to video frame `frame` (frame >= 0).
constexpr int64_t latentFrameOfFrame(int64_t frame) {
    return frame <= 0 ? 0 : (frame - 1) / kFramesPerLatentFrame + 1;
}

// Latent frames needed to cover `frames` video frames.
constexpr int64_t latentFramesForFrames(int64_t frames) {
    return frames <= 0 ? 0 : latentFrameOfFrame(frames - 1) + 1;
}

// Video frames of the first `chunks` chunks: 12n - 3 (0 for none).
constexpr int64_t framesForChunks(int64_t chunks) {
    return framesForLatentFrames(chunks * kLatentFramesPerChunk);
}

constexpr int64_t chunkOfLatentFrame(int64_t latentFrame) {
    return latentFrame <= 0 ? 0 : latentFrame / kLatentFramesPerChunk;
}

constexpr int64_t firstLatentFrameOfChunk(int64_t chunk) {
    return chunk <= 0 ? 0 : chunk * kLatentFramesPerChunk;
}

constexpr int64_t chunkOfFrame(int64_t frame) {
    return chunkOfLatentFrame(latentFrameOfFrame(frame));
}

constexpr int64_t firstFrameOfChunk(int64_t chunk) {
    return framesForChunks(chunk);
}

// Chunks needed to cover `frames` video frames.
constexpr int64_t chunksForFrames(int64_t frames) {
    return frames <= 0 ? 0 : chunkOfFrame(frames - 1) + 1;
}

static_assert(framesForChunks(7) == 81 && chunksForFrames(81) == 7);
static_assert(framesForLatentFrames(21) == 81 && latentFramesForFrames(81) == 21);
static_assert(framesOfLatentRange(0, 3) == 9 && framesOfLatentRange(3, 3) == 12);
static_assert(firstFrameOfChunk(1) == 9 && chunkOfFrame(8) == 0 && chunkOfFrame(9) == 1);

} // namespace sfs::inference::frame_grid
