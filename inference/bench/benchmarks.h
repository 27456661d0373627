#pragma once
// The benchmark table. Each benchmark is defined beside the code it measures and listed once
// in benchmarks.cpp.

#include "bench/bench_util.h"

#include <functional>
#include <vector>

namespace sfs::inference::bench {

struct Benchmark {
    BenchmarkInfo info; // options exclude the common ones (device, dtype, threads)
    std::function<int(const BenchArgs& args, const BenchTarget& target, const BenchPrinter&)> run;
};

// Matrix-multiply throughput of the device at the compute dtype: the machine's baseline.
Benchmark gemmBenchmark();
// The causal DiT's block loop with random weights (inference/pipeline/dit_bench.cpp).
Benchmark ditBenchmark();

} // namespace sfs::inference::bench
