#pragma once
// `render --keyframe-report`: what a take did with each keyframe, as an aligned table
// (std only; the figures come from the engine, inference::KeyframeReport).

#include "sfs/inference/engine.h"

#include <string>
#include <vector>

namespace sfs::cli {

// What the columns mean, for the command's help and README's render section.
inline constexpr const char* kKeyframeReportColumns =
    "frame: the keyframe's video frame; latent: its latent frame (0 for frame 0, else "
    "ceil(frame / 4)); strength: its landing strength; rel-L2: |generated - keyframe| / "
    "|keyframe| of that latent frame (0: landed exactly); snap: the largest relative change "
    "between consecutive latent frames in the landing chunk and the chunk before it; median: the "
    "median such change elsewhere in the take (a snap far above it is a visible jump)";

// A header line and one row per report, columns right-aligned; "" for no reports.
std::string formatKeyframeReport(const std::vector<inference::KeyframeReport>& reports);

} // namespace sfs::cli
