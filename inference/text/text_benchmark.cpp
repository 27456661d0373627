// `sfstudio-cli bench text`: the UMT5-XXL encoder per prompt, real shapes, random weights.
// All 24 layers in float32 are 23 GB (11 GB in bf16), more than many machines can spare, so
// --layers builds fewer and the report extrapolates to 24 (the layers are identical in cost).

#include "bench/benchmarks.h"
#include "models/umt5.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace sfs::inference::bench {

namespace {

std::string fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, format, a, b, c, d);
    return buf;
}

// Milliseconds per call over `runs` calls after one warm-up: the best (the least disturbed by
// other work on the machine) and the mean.
struct Timing {
    double best = 0;
    double mean = 0;
};

template <typename F>
Timing timeMs(int runs, const c10::Device& device, double perCall, F&& f) {
    f();
    synchronize(device);
    Timing t;
    for (int i = 0; i < runs; ++i) {
        Stopwatch watch;
        f();
        synchronize(device);
        const double ms = watch.elapsedMs() / perCall;
        t.best = i == 0 ? ms : std::min(t.best, ms);
        t.mean += ms / runs;
    }
    return t;
}

} // namespace

Benchmark textBenchmark() {
    Benchmark b;
    b.info = {
        "text",
        "UMT5-XXL text encoder: ms per prompt (real shapes, random weights)",
        {{"layers", "N", "encoder layers to build and run (of 24; the rest extrapolated)", "24"},
         {"tokens", "N", "prompt length in tokens, </s> included", "32"},
         {"text-len", "N", "padded encoder input length (Wan: 512)", "512"},
         {"full", "0|1", "also time the reference's way: all text-len rows with a mask", "1"},
         {"vocab", "N", "embedding rows (umt5-xxl: 256384)", "256384"},
         {"batch", "N", "prompts encoded together (the runner batches up to 8)", "1"},
         {"prompts", "N", "timed calls (after one warm-up); best and mean are shown", "3"},
         {"seed", "N", "seed of the random weights and ids", "1"}}};
    b.run = [](const BenchArgs& args, const BenchTarget& target, const BenchPrinter& print) {
        models::UMT5Config c = models::UMT5Config::xxl();
        const int64_t realLayers = c.numLayers;
        c.numLayers = args.integer("layers");
        c.vocab = args.integer("vocab");
        const int tokens = args.integer("tokens");
        const int textLen = args.integer("text-len");
        const int prompts = args.integer("prompts");
        const bool full = args.integer("full") != 0;
        const int batch = args.integer("batch");
        if (c.numLayers <= 0 || c.vocab < 4 || tokens <= 0 || textLen < tokens || prompts <= 0 ||
            batch <= 0) {
            throw std::invalid_argument("need --layers > 0, --vocab >= 4, --prompts > 0, "
                                        "--batch > 0 and 0 < --tokens <= --text-len");
        }
        print(fmt("UMT5 encoder: %.0f of %.0f layers built, dim 4096, 64 heads, ffn 10240, "
                  "vocab %.0f: %.2f G parameters",
                  static_cast<double>(c.numLayers), static_cast<double>(realLayers),
                  static_cast<double>(c.vocab), static_cast<double>(c.parameterCount()) / 1e9));

        Stopwatch build;
        const uint64_t seed = static_cast<uint64_t>(args.integer("seed"));
        const models::UMT5Encoder enc(
            c, models::makeRandomT5Weights(c, seed, target.dtype, target.device));
        const double weightBytes = static_cast<double>(c.parameterCount()) *
                                   static_cast<double>(c10::elementSize(target.dtype));
        print(fmt("random weights: %.2f GiB, made in %.1f s", weightBytes / (1ull << 30),
                  build.elapsedMs() / 1000.0));

        at::manual_seed(static_cast<uint64_t>(args.integer("seed")));
        const at::Tensor ids = at::randint(3, c.vocab, {batch, textLen}, at::kLong);
        at::Tensor mask = at::zeros({batch, textLen}, at::kLong);
        mask.narrow(1, 0, tokens).fill_(1);
        const double scale = static_cast<double>(realLayers) / static_cast<double>(c.numLayers);
        const char* extrapolated = c.numLayers == realLayers ? "measured" : "extrapolated";

        resetPeakDeviceBytes(target.device);
        if (batch > 1) {
            print(fmt("%.0f prompts per call; times are per prompt", batch));
        }
        const double layers = static_cast<double>(c.numLayers);
        const Timing shortMs =
            timeMs(prompts, target.device, batch, [&] { enc.promptEmbeddings(ids, mask); });
        print(fmt("prompt of %.0f tokens (its %.0f rows run, zero-padded to %.0f):", tokens, tokens,
                  textLen) +
              fmt(" best %.1f ms, mean %.1f ms for %.0f layers = %.1f ms per layer", shortMs.best,
                  shortMs.mean, layers, shortMs.best / layers));
        print(fmt("  -> 24 layers: %.0f ms per prompt (", shortMs.best * scale) + extrapolated +
              ")");
        if (full) {
            const Timing fullMs =
                timeMs(prompts, target.device, batch, [&] { enc.forward(ids, mask); });
            print(fmt("all %.0f rows with the mask (the reference's way):", textLen) +
                  fmt(" best %.1f ms, mean %.1f ms for %.0f layers", fullMs.best, fullMs.mean,
                      layers));
            print(fmt("  -> 24 layers: %.0f ms per prompt (", fullMs.best * scale) + extrapolated +
                  ")");
        }
        print("peak memory: " + formatBytes(peakRssBytes()) + " resident" +
              (target.device.is_cuda()
                   ? ", " + formatBytes(peakDeviceBytes(target.device)) + " on the GPU"
                   : std::string()));
        return 0;
    };
    return b;
}

} // namespace sfs::inference::bench
