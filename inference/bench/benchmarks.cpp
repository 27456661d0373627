#include "bench/benchmarks.h"

#include "sfs/inference/runtime_info.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <stdexcept>

namespace sfs::inference {

namespace bench {
namespace {

std::vector<Benchmark> table() {
    return {
        gemmBenchmark(), textBenchmark(),  loadBenchmark(),
        vaeBenchmark(),  taehvBenchmark(), ditBenchmark(),
    };
}

} // namespace

Benchmark gemmBenchmark() {
    Benchmark b;
    b.info = {"gemm",
              "Matrix-multiply throughput (GFLOP/s) at the compute dtype: the machine's baseline",
              {{"n", "N", "matrix size (N x N times N x N)", "1024"},
               {"iterations", "K", "timed multiplications", "10"}}};
    b.run = [](const BenchArgs& args, const BenchTarget& target, const BenchPrinter& print) {
        const int n = args.integer("n");
        const int iterations = args.integer("iterations");
        if (n <= 0 || iterations <= 0) {
            throw std::invalid_argument("--n and --iterations must be positive");
        }
        const auto opts = at::TensorOptions().device(target.device).dtype(target.dtype);
        const at::Tensor a = at::randn({n, n}, opts);
        const at::Tensor c = at::randn({n, n}, opts);
        at::Tensor out = at::matmul(a, c); // warm-up
        synchronize(target.device);
        Stopwatch watch;
        for (int i = 0; i < iterations; ++i) {
            out = at::matmul(a, c);
        }
        synchronize(target.device);
        const double ms = watch.elapsedMs() / iterations;
        const double gflops = 2.0 * n * n * static_cast<double>(n) / (ms * 1e6);
        char line[160];
        std::snprintf(line, sizeof line, "gemm %dx%d: %.3f ms per multiply, %.1f GFLOP/s", n, n, ms,
                      gflops);
        print(line);
        return 0;
    };
    return b;
}

} // namespace bench

std::vector<BenchOption> commonBenchOptions() {
    return {{"device", "DEV", "auto, cpu, cuda or cuda:N", "auto"},
            {"dtype", "TYPE", "auto (float32 on CPU, bfloat16 on CUDA), float32, bfloat16, float16",
             "auto"},
            {"threads", "N", "CPU threads for torch (0 = number of cores)", "0"}};
}

std::vector<BenchmarkInfo> listBenchmarks() {
    std::vector<BenchmarkInfo> out;
    for (const bench::Benchmark& b : bench::table()) {
        BenchmarkInfo info = b.info;
        for (const BenchOption& o : commonBenchOptions()) {
            info.options.push_back(o);
        }
        out.push_back(info);
    }
    return out;
}

int runBenchmark(const std::string& name, const CommandLine& options, const BenchPrinter& print) {
    for (const bench::Benchmark& b : bench::table()) {
        if (b.info.name != name) {
            continue;
        }
        // Parsed against every spec listBenchmarks() gives it; a caller parsing with other specs
        // gets a UsageError from the first option it reads that is not there.
        const bench::BenchArgs& args = options;
        setCpuThreads(args.integer("threads"));
        const bench::BenchTarget target = bench::benchTarget(args);
        print("bench " + name + " on " + target.description + " (LibTorch " + torchVersion() + ")");
        return b.run(args, target, print);
    }
    throw std::invalid_argument("no benchmark named '" + name + "'");
}

} // namespace sfs::inference
