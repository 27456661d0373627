// `sfstudio-cli bench NAME`: one command per benchmark of the engine (see inference/bench).

#include "commands.h"
#include "sfs/inference/bench.h"

#include <algorithm>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace sfs::cli {

void registerBenchCommands(Registry& registry) {
    for (const auto& b : inference::listBenchmarks()) {
        // The benchmark's own specs: main parses them and the benchmark reads the result.
        registry.push_back(Command{"bench " + b.name, b.summary, "", b.options,
                                   [name = b.name](const CommandLine& cmd, Context& ctx) {
                                       return inference::runBenchmark(
                                           name, cmd, [&ctx](const std::string& line) {
                                               ctx.out << line << std::endl;
                                           });
                                   }});
    }
    registerPipelineBenchmark(registry);
}

void registerBenchOverview(Registry& registry) {
    // Every `bench NAME` registered so far, the engine's and those of other families (export).
    std::vector<std::pair<std::string, std::string>> benchmarks;
    const std::string prefix = "bench ";
    for (const Command& c : registry) {
        if (c.name.compare(0, prefix.size(), prefix) == 0) {
            benchmarks.emplace_back(c.name.substr(prefix.size()), c.summary);
        }
    }
    registry.push_back(Command{"bench",
                               "Run a benchmark (list them with 'bench')",
                               "NAME",
                               {},
                               [benchmarks](const CommandLine&, Context& ctx) {
                                   ctx.err
                                       << "Benchmarks (run 'sfstudio-cli bench NAME --help'):\n";
                                   size_t width = 0;
                                   for (const auto& b : benchmarks) {
                                       width = std::max(width, b.first.size());
                                   }
                                   for (const auto& [name, summary] : benchmarks) {
                                       ctx.err << "  " << name
                                               << std::string(width + 2 - name.size(), ' ')
                                               << summary << "\n";
                                   }
                                   return 2;
                               }});
}

} // namespace sfs::cli
