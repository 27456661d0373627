#pragma once
// Benchmarks of the engine's parts with random weights of any configuration (default: the
// real 1.3B shapes), for `sfstudio-cli bench NAME`. Torch-free interface.

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sfs::inference {

struct BenchOption {
    std::string name;      // CLI option name, without dashes
    std::string valueName; // e.g. "N", "WxH"
    std::string help;
    std::string defaultValue;
};

struct BenchmarkInfo {
    std::string name;    // "dit", "vae", ...
    std::string summary; // one line
    std::vector<BenchOption> options;
};

// Options every benchmark accepts (device, threads).
std::vector<BenchOption> commonBenchOptions();

// Every benchmark in this build.
std::vector<BenchmarkInfo> listBenchmarks();

// Runs benchmark `name` with option values (missing ones take their defaults) and prints its
// report line by line. Returns a process exit code; throws std::exception on bad options.
using BenchPrinter = std::function<void(const std::string& line)>;
int runBenchmark(const std::string& name, const std::map<std::string, std::string>& options,
                 const BenchPrinter& print);

} // namespace sfs::inference
