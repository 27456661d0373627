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
// UMT5-XXL text encoder per prompt (inference/text/text_benchmark.cpp).
Benchmark textBenchmark();

// Loading a 1.3B-shaped bf16 DiT safetensors file (inference/io/load_benchmark.cpp).
Benchmark loadBenchmark();
// Streaming decode of the Wan VAE and of TAEHV, per chunk of latents (models/vae_bench.cpp).
Benchmark vaeBenchmark();
Benchmark taehvBenchmark();
// The causal DiT's block loop with random weights (inference/pipeline/dit_bench.cpp).
Benchmark ditBenchmark();

} // namespace sfs::inference::bench
