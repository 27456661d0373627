#include "pipeline/prompt_schedule.h"

#include <ATen/ATen.h>
#include <c10/util/StringUtil.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sfs::inference::pipeline {

PromptSchedule::PromptSchedule(std::vector<PromptSegment> segments)
    : m_segments(std::move(segments)) {
    if (m_segments.empty() || m_segments.front().startChunk != 0) {
        throw std::invalid_argument("prompt schedule: the first segment must start at chunk 0");
    }
    for (size_t i = 0; i < m_segments.size(); ++i) {
        const PromptSegment& s = m_segments[i];
        const std::string name = "prompt schedule: segment " + std::to_string(i);
        if (!s.embeds.defined() || s.embeds.dim() != 3 || s.embeds.size(1) == 0) {
            throw std::invalid_argument(name + " needs embeddings [B, L, text_dim]");
        }
        if (s.embeds.size(0) != m_segments[0].embeds.size(0) ||
            s.embeds.size(2) != m_segments[0].embeds.size(2)) {
            throw std::invalid_argument(name + " has embeddings " + c10::str(s.embeds.sizes()) +
                                        ", segment 0 " + c10::str(m_segments[0].embeds.sizes()));
        }
        if (s.rampChunks < 0) {
            throw std::invalid_argument(name + ": a ramp cannot be negative");
        }
        if (i == 0) {
            continue;
        }
        const int64_t previousStart = m_segments[i - 1].startChunk;
        if (s.startChunk <= previousStart) {
            throw std::invalid_argument(name + " starts at chunk " + std::to_string(s.startChunk) +
                                        ", not after segment " + std::to_string(i - 1) +
                                        " (chunk " + std::to_string(previousStart) + ")");
        }
        if (m_segments[i - 1].rampChunks > s.startChunk - previousStart) {
            throw std::invalid_argument("prompt schedule: the ramp of segment " +
                                        std::to_string(i - 1) + " is longer than the segment");
        }
    }
}

PromptSchedule PromptSchedule::single(at::Tensor embeds) {
    PromptSegment s;
    s.embeds = std::move(embeds);
    return PromptSchedule({s});
}

ChunkPrompt PromptSchedule::promptOf(int64_t chunk) const {
    if (m_segments.empty()) {
        throw std::logic_error("prompt schedule: empty");
    }
    size_t i = 0;
    while (i + 1 < m_segments.size() && m_segments[i + 1].startChunk <= chunk) {
        ++i;
    }
    const PromptSegment& s = m_segments[i];
    const int64_t into = chunk - s.startChunk; // 0 for the segment's first chunk
    if (i == 0 || s.rampChunks <= 1 || into + 1 >= s.rampChunks) {
        return {i, 1.0};
    }
    return {i, static_cast<double>(into + 1) / static_cast<double>(s.rampChunks)};
}

int64_t PromptSchedule::segmentStartingAt(int64_t chunk) const {
    for (size_t i = 1; i < m_segments.size(); ++i) {
        if (m_segments[i].startChunk == chunk) {
            return static_cast<int64_t>(i);
        }
    }
    return -1;
}

at::Tensor PromptSchedule::embeds(const ChunkPrompt& prompt) const {
    const at::Tensor& own = m_segments.at(prompt.segment).embeds;
    if (prompt.weight == 1.0 || prompt.segment == 0) {
        return own; // exactly the prompt, not a blend that rounds to it
    }
    at::Tensor from = m_segments[prompt.segment - 1].embeds.to(own.scalar_type());
    at::Tensor to = own;
    const int64_t length = std::max(from.size(1), to.size(1));
    from = at::constant_pad_nd(from, {0, 0, 0, length - from.size(1)});
    to = at::constant_pad_nd(to, {0, 0, 0, length - to.size(1)});
    return at::lerp(from, to, prompt.weight);
}

} // namespace sfs::inference::pipeline
