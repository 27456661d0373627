#pragma once
// A take's latents on disk: safetensors, float32, one tensor `latents` [F, C, H, W] per file
// (C = 16 latent channels, H and W = the pixel size / 8). Torch-free.
//
// A take streams to a chunk folder, one file per chunk:
//   <folder>/chunk-00000.safetensors, chunk-00001.safetensors, ...
// Why one file per chunk and not one growing file: a safetensors header sits in front of the
// data and states the shape, so a growing file would be rewritten whole for every chunk
// (quadratic I/O: 1000 latent frames at 832x480 are 400 MB). A chunk file is written once,
// atomically (temporary file, fsync, rename, fsync of the folder), so after a crash or kill
// the folder holds exactly the completed chunks: the reader ignores leftover temporary files.
// readTakeLatents() concatenates the chunks; writeLatentsFile() writes a whole take as one
// file (the CLI's --latents FILE.safetensors), and readTakeLatents() reads that form too.
//
// Metadata (safetensors __metadata__, all values strings):
//   every file:  format = "sfstudio.latents", format_version = "1", frames = F,
//                latent_size = "CxHxW"
//   chunk file:  chunk_index = k, first_frame = the chunk's first latent frame in the take,
//                seed = the chunk's noise seed
//   whole file:  chunk_boundaries = "0,f1,f2,...,F" (chunk k is frames [b_k, b_k+1)),
//                chunk_seeds = "s0,s1,..." (empty entries where unknown)
// A whole file without this metadata (written by another tool) reads as one chunk of unknown
// seed; a chunk file must have it.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfs::inference {

constexpr int kLatentsFormatVersion = 1;

// One latent frame's size: [channels, height, width].
struct LatentFrameSize {
    int64_t channels = 16;
    int64_t height = 0;
    int64_t width = 0;
    int64_t numel() const { return channels * height * width; }
    bool operator==(const LatentFrameSize& o) const {
        return channels == o.channels && height == o.height && width == o.width;
    }
    bool operator!=(const LatentFrameSize& o) const { return !(*this == o); }
};

struct LatentChunk {
    int64_t firstFrame = 0; // latent frame in the take
    int64_t frames = 0;
    std::optional<uint64_t> seed; // the noise seed it was generated with, when known
};

// What a take's latents hold, without the values.
struct TakeLatentsInfo {
    LatentFrameSize frameSize;
    std::vector<LatentChunk> chunks; // consecutive, from frame 0
    int64_t frames() const {
        return chunks.empty() ? 0 : chunks.back().firstFrame + chunks.back().frames;
    }
};

struct TakeLatents {
    TakeLatentsInfo info;
    std::vector<float> values; // [frames, C, H, W], row-major
};

// Any problem with a latents file or folder. The message reads "<path>: <problem>".
class LatentsFileError : public std::runtime_error {
public:
    LatentsFileError(const std::string& path, const std::string& problem)
        : std::runtime_error(path + ": " + problem), m_path(path), m_problem(problem) {}
    const std::string& path() const { return m_path; }
    const std::string& problem() const { return m_problem; }

private:
    std::string m_path;
    std::string m_problem;
};

// Reads a chunk folder (the completed chunks, in order) or a whole file. Throws
// LatentsFileError naming the file: unreadable, truncated, not float32, wrong shape, chunks
// that disagree in size, a missing chunk before a present one, a newer format version.
TakeLatents readTakeLatents(const std::string& path);
// The same, headers only (each file's header is still validated against its size).
TakeLatentsInfo readTakeLatentsInfo(const std::string& path);

// Writes a whole take as one file, atomically. `take.values` must hold frames * C * H * W
// values and the chunks must be consecutive from frame 0 (an empty chunk list means one chunk
// of unknown seed covering every frame, which needs at least one frame: F > 0).
void writeLatentsFile(const std::string& path, const TakeLatents& take);

// Writes one keyframe latent (what `sfstudio-cli encode` produces and the engine uses) as one
// file, atomically: tensor `latent` [C, H, W] float32, `values` holding C * H * W values.
// Throws LatentsFileError naming the file.
void writeKeyframeLatentFile(const std::string& path, const LatentFrameSize& size,
                             const std::vector<float>& values);

// Streams a take's latents into a chunk folder, one chunk at a time.
class TakeLatentsWriter {
public:
    // Opens `folder` (created if missing) for a take of `frameSize` frames. The first
    // `keepChunks` chunks already there stay (continue, or regenerate from chunk keepChunks);
    // they must exist and have this frame size. Every later chunk file and leftover temporary
    // file is removed, the last first, so a kill part-way leaves a consecutive prefix.
    // Throws LatentsFileError.
    TakeLatentsWriter(std::string folder, LatentFrameSize frameSize, int64_t keepChunks = 0);

    // Writes the next chunk: `frames` latent frames [frames, C, H, W], float32, row-major at
    // `values`, generated with `seed`. Returns only once the chunk is durably on disk.
    void append(const float* values, int64_t frames, uint64_t seed);

    const std::string& folder() const { return m_folder; }
    const TakeLatentsInfo& info() const { return m_info; } // the chunks on disk

    // The file that holds chunk `index` in `folder`.
    static std::string chunkPath(const std::string& folder, int64_t index);

private:
    std::string m_folder;
    TakeLatentsInfo m_info;
};

} // namespace sfs::inference
