#pragma once
// sfstudio-cli's subcommands. Each family registers itself in one function; main lists them.

#include "sfs/inference/command_line.h"

#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace sfs::cli {

// Every command's options are parsed by the one parser the benchmarks use too.
using inference::CommandLine;
using inference::describeOptions;
using inference::OptionSpec;
using inference::UsageError;

struct Context {
    std::ostream& out;
    std::ostream& err;
};

struct Command {
    std::string name;    // e.g. "bench" or "models inspect"
    std::string summary; // one line for the overview
    std::string usage;   // arguments after the name, e.g. "PATH"
    std::vector<OptionSpec> options;
    // Returns the process exit code: 0 success, 1 failure, 2 usage error, 3 interrupted.
    std::function<int(const CommandLine&, Context&)> run;
    // Short forms of options: {"-o", "output"} makes `-o X` mean `--output X`.
    std::vector<std::pair<std::string, std::string>> shortOptions;
};

using Registry = std::vector<Command>;

// Commands that need only LibTorch.
void registerInfoCommands(Registry& registry);
void registerBenchCommands(Registry& registry);
// `bench pipeline`: the engine end to end through its public API (commands_bench_pipeline.cpp).
void registerPipelineBenchmark(Registry& registry);
// Commands on project files (built with sfs_core only).
void registerProjectCommands(Registry& registry);
void registerTextCommands(Registry& registry);
void registerModelCommands(Registry& registry);

// `export` and `bench export` (sfs_core with media; nothing in a build without FFmpeg/OIIO).
void registerExportCommands(Registry& registry);

// `render` (the render job: sfs_core with media).
void registerRenderCommands(Registry& registry);
// `batch plan|run|submit|status|collect` (batches of renders for a render farm; with media).
void registerBatchCommands(Registry& registry);
// `encode` (a keyframe image -> its latent; sfs_core with media).
void registerEncodeCommands(Registry& registry);

// `bench` alone: lists every `bench NAME` registered before it, so it is registered last.
void registerBenchOverview(Registry& registry);

} // namespace sfs::cli
