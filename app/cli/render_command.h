#pragma once
// The one render path of sfstudio-cli: `render` runs it for its command line, `batch run` for a
// batch item, so that an item renders exactly what `render` would for the same project, seed
// and settings. A new render setting belongs in core::RenderOverrides (render_job.h), which both
// fill.

#include "commands.h"
#include "sfs/core/media/export_options.h"
#include "sfs/core/render/render_job.h"

#include <QString>

#include <cstdint>
#include <string>

namespace sfs::cli {

inline constexpr int kExitInterrupted = 3;

struct RenderJob {
    std::string command = "render"; // names the command in messages
    QString project;                // absolute path of the project file
    core::RenderOverrides overrides;
    // A bad override is a usage error (exit 2) when it came from options; else a failure.
    bool overridesAreOptions = true;
    QString output;        // the writer's path (renderOutputPath); empty: none
    QString outputShownAs; // how "Wrote …" names the output when not by `output` (a staged one)
    core::ImageSequenceOptions sequence; // the image format when output is a sequence
    // Stopped (Ctrl-C, SIGTERM): the output keeps the whole chunks so far, or is removed.
    bool keepPartialOutput = true;
    QString latentsFile;     // also write the take's latents here; empty: not
    bool saveProject = true; // false: --no-save (the take's files are still written)
    QString takeFolder;      // where the take's files go; empty: the project's assets folder
    bool keyframeReport = false;
    int threads = 0;         // torch's CPU threads; 0: every core
    bool cudaGraphs = false; // inference::EngineOptions::cudaGraphs
    bool dryRun = false;
    uint64_t assumeFreeMemory = 0; // dry run: bytes of free memory to check against; 0: ask
};

// `render -o OUT` as a writer path: a video file (or a %04d / #### pattern) as it is; a folder
// gets frame_%04d.<ext> (png unless the format is known).
QString renderOutputPath(const QString& out, core::ImageFormat format, bool formatKnown);

// Plans and runs `job` (progress on ctx.err, the result on ctx.out). Exit status: 0 done, 1
// failure, 3 interrupted; throws UsageError for a bad override when overridesAreOptions.
int runRenderJob(const RenderJob& job, Context& ctx);

} // namespace sfs::cli
