// `sfstudio-cli bench NAME`: one command per benchmark of the engine (see inference/bench).

#include "commands.h"
#include "sfs/inference/bench.h"

#include <ostream>

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
    const auto benchmarks = inference::listBenchmarks();
    registry.push_back(Command{"bench",
                               "Run a benchmark of the engine (list them with 'bench')",
                               "NAME",
                               {},
                               [benchmarks](const CommandLine&, Context& ctx) {
                                   ctx.err
                                       << "Benchmarks (run 'sfstudio-cli bench NAME --help'):\n";
                                   for (const auto& b : benchmarks) {
                                       ctx.err << "  " << b.name << "  " << b.summary << "\n";
                                   }
                                   return 2;
                               }});
    for (const auto& b : benchmarks) {
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

} // namespace sfs::cli
