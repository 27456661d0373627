#pragma once
// Which prompt each chunk of a run is generated under. A schedule is a list of segments, each
// from a start chunk on; a segment given by its first video frame starts at the first chunk
// boundary at or after it (frame_grid::firstChunkAtOrAfterFrame), because a chunk is denoised
// under one prompt. At a switch the generator refills the cross-attention cache and, with
// `recache`, replays the window's clean latents under the new prompt (CausalGenerator::recache).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace sfs::inference::pipeline {

struct PromptSegment {
    int64_t startChunk = 0;
    at::Tensor embeds;      // [B, L <= textLen, textDim]
    int64_t rampChunks = 0; // > 1: the embeddings move linearly from the previous segment's to
                            // these over this many chunks (the last of them is exactly these)
    bool recache = true;    // at the switch, replay the window under the new prompt (LongLive)
};

// What one chunk runs under: segment `segment` at `weight` (1: its own embeddings; below 1,
// during its ramp: previous + weight · (own − previous)).
struct ChunkPrompt {
    size_t segment = 0;
    double weight = 1.0;
    bool operator==(const ChunkPrompt& o) const {
        return segment == o.segment && weight == o.weight;
    }
    bool operator!=(const ChunkPrompt& o) const { return !(*this == o); }
};

class PromptSchedule {
public:
    PromptSchedule() = default;
    // Throws std::invalid_argument unless the first segment starts at chunk 0, starts strictly
    // increase, every segment has embeddings of one batch and text width, and no ramp is longer
    // than its segment.
    explicit PromptSchedule(std::vector<PromptSegment> segments);
    // One prompt for the whole run.
    static PromptSchedule single(at::Tensor embeds);

    bool empty() const { return m_segments.empty(); }
    const std::vector<PromptSegment>& segments() const { return m_segments; }

    ChunkPrompt promptOf(int64_t chunk) const;
    // The first chunk of a segment after the first: where the cross-attention cache switches
    // and, with the segment's `recache`, the window is replayed. Returns the segment or -1.
    int64_t segmentStartingAt(int64_t chunk) const;
    // The embeddings of `prompt` (a blend during a ramp: both padded with zeros to the longer,
    // as the model pads them to its text length anyway).
    at::Tensor embeds(const ChunkPrompt& prompt) const;

private:
    std::vector<PromptSegment> m_segments;
};

} // namespace sfs::inference::pipeline
