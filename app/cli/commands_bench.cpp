// `sfstudio-cli bench NAME`: one command per benchmark of the engine (see inference/bench).

#include "commands.h"
#include "sfs/inference/bench.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace sfs::cli {

namespace {
std::vector<OptionSpec> toSpecs(const std::vector<inference::BenchOption>& options) {
    std::vector<OptionSpec> specs;
    for (const auto& o : options) {
        specs.push_back({o.name, o.valueName, o.help, o.defaultValue});
    }
    return specs;
}
} // namespace

void registerBenchCommands(Registry& registry) {
    for (const auto& b : inference::listBenchmarks()) {
        std::vector<OptionSpec> specs = toSpecs(b.options);
        registry.push_back(Command{"bench " + b.name, b.summary, "", specs,
                                   [name = b.name, specs](const CommandLine& cmd, Context& ctx) {
                                       std::map<std::string, std::string> values;
                                       for (const OptionSpec& s : specs) {
                                           if (cmd.has(s.name)) {
                                               values[s.name] = cmd.value(s.name);
                                           }
                                       }
                                       return inference::runBenchmark(
                                           name, values, [&ctx](const std::string& line) {
                                               ctx.out << line << std::endl;
                                           });
                                   }});
    }
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
