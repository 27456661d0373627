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

// The functions work in any integer type (int on the Qt side, int64_t in the tensors' code).

// How many video frames latent frame `latentFrame` decodes to: 1 for the first, 4 after.
template <typename Int>
constexpr Int framesOfLatentFrame(Int latentFrame) {
    return static_cast<Int>(latentFrame == 0 ? 1 : kFramesPerLatentFrame);
}

// Video frames of the first `latentFrames` latent frames: 4n - 3 (0 for none).
template <typename Int>
constexpr Int framesForLatentFrames(Int latentFrames) {
    return latentFrames <= 0
               ? Int{0}
               : static_cast<Int>(kFramesPerLatentFrame * latentFrames - kFirstFrameShortfall);
}

// Video frames that latent frames [first, first + count) decode to: what a stream decoder
// returns for a chunk of `count` latent frames after `first` already decoded.
template <typename Int>
constexpr Int framesOfLatentRange(Int first, Int count) {
    return count <= 0 ? Int{0}
                      : framesForLatentFrames<Int>(first + count) - framesForLatentFrames(first);
}

// The first video frame that latent frame `latentFrame` decodes to.
template <typename Int>
constexpr Int firstFrameOfLatentFrame(Int latentFrame) {
    return framesForLatentFrames(latentFrame);
}

// The latent frame that decodes to video frame `frame` (frame >= 0).
template <typename Int>
constexpr Int latentFrameOfFrame(Int frame) {
    return frame <= 0 ? Int{0} : static_cast<Int>((frame - 1) / kFramesPerLatentFrame + 1);
}

// Latent frames needed to cover `frames` video frames.
template <typename Int>
constexpr Int latentFramesForFrames(Int frames) {
    return frames <= 0 ? Int{0} : static_cast<Int>(latentFrameOfFrame<Int>(frames - 1) + 1);
}

// Video frames of the first `chunks` chunks: 12n - 3 (0 for none).
template <typename Int>
constexpr Int framesForChunks(Int chunks) {
    return framesForLatentFrames(static_cast<Int>(chunks * kLatentFramesPerChunk));
}

template <typename Int>
constexpr Int chunkOfLatentFrame(Int latentFrame) {
    return latentFrame <= 0 ? Int{0} : static_cast<Int>(latentFrame / kLatentFramesPerChunk);
}

template <typename Int>
constexpr Int firstLatentFrameOfChunk(Int chunk) {
    return chunk <= 0 ? Int{0} : static_cast<Int>(chunk * kLatentFramesPerChunk);
}

template <typename Int>
constexpr Int chunkOfFrame(Int frame) {
    return chunkOfLatentFrame(latentFrameOfFrame(frame));
}

template <typename Int>
constexpr Int firstFrameOfChunk(Int chunk) {
    return framesForChunks(chunk);
}

// Chunks needed to cover `frames` video frames.
template <typename Int>
constexpr Int chunksForFrames(Int frames) {
    return frames <= 0 ? Int{0} : static_cast<Int>(chunkOfFrame<Int>(frames - 1) + 1);
}

// The chunk a prompt segment starting at video frame `frame` takes effect from: the chunk that
// starts there, or else the next one (a chunk runs under one prompt, so a segment starting
// inside a chunk waits for the next chunk boundary).
template <typename Int>
constexpr Int firstChunkAtOrAfterFrame(Int frame) {
    const Int chunk = chunkOfFrame(frame);
    return firstFrameOfChunk(chunk) == frame ? chunk : static_cast<Int>(chunk + 1);
}

static_assert(framesForChunks(7) == 81 && chunksForFrames(81) == 7);
static_assert(framesForLatentFrames(21) == 81 && latentFramesForFrames(81) == 21);
static_assert(framesOfLatentRange(0, 3) == 9 && framesOfLatentRange(3, 3) == 12);
static_assert(firstFrameOfChunk(1) == 9 && chunkOfFrame(8) == 0 && chunkOfFrame(9) == 1);
static_assert(firstChunkAtOrAfterFrame(0) == 0 && firstChunkAtOrAfterFrame(1) == 1 &&
              firstChunkAtOrAfterFrame(9) == 1 && firstChunkAtOrAfterFrame(10) == 2);

} // namespace sfs::inference::frame_grid
