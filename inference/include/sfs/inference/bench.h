#pragma once
// Benchmarks of the engine's parts with random weights of any configuration (default: the
// real 1.3B shapes), for `sfstudio-cli bench NAME`. Torch-free interface.

#include "sfs/inference/command_line.h"

#include <functional>
#include <string>
#include <vector>

namespace sfs::inference {

// Benchmarks declare their options as data for the one option parser.
using BenchOption = OptionSpec;

struct BenchmarkInfo {
    std::string name;    // "dit", "vae", ...
    std::string summary; // one line
    std::vector<BenchOption> options;
};

// Options every benchmark accepts (device, threads).
std::vector<BenchOption> commonBenchOptions();

// Every benchmark in this build.
std::vector<BenchmarkInfo> listBenchmarks();

// Runs benchmark `name` with its options parsed against listBenchmarks()' specs for it (absent
// ones take their defaults) and prints its report line by line. Returns a process exit code;
// throws UsageError on bad option values, std::exception on other failures.
using BenchPrinter = std::function<void(const std::string& line)>;
int runBenchmark(const std::string& name, const CommandLine& options, const BenchPrinter& print);

// Writes into `folder` (unless a complete copy is there) a model folder of seeded random
// weights at the real shapes, for `bench pipeline --random-weights`: the 1.3B DiT (bfloat16,
// as released), the Wan 2.1 VAE and TAEHV, and — since the 11 GB text encoder takes no part in
// generating — a one-layer text encoder of the real width with the demo's tokenizer. It loads
// like any user's folder. Throws std::runtime_error naming the folder.
void writeRealShapedRandomModel(const std::string& folder);

} // namespace sfs::inference
