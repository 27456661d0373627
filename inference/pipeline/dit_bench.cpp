// `sfstudio-cli bench dit`: the causal DiT's block loop with seeded random weights of any
// config, timing every chunk's denoising steps and cache pass separately.

#include "bench/benchmarks.h"
#include "models/wan_dit.h"
#include "pipeline/causal_generator.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfs::inference::bench {

namespace {

models::DitConfig presetConfig(const std::string& name) {
    models::DitConfig c = models::DitConfig::wan13B();
    if (name == "1.3b") {
        return c;
    }
    if (name == "small") {
        c.dim = 384;
        c.numLayers = 6;
        c.numHeads = 6;
        c.ffnDim = 1536;
        return c;
    }
    if (name == "medium") {
        c.dim = 768;
        c.numLayers = 12;
        c.numHeads = 12;
        c.ffnDim = 3072;
        return c;
    }
    throw std::invalid_argument("--config expects small, medium or 1.3b, got '" + name + "'");
}

std::string fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, format, a, b, c, d);
    return buf;
}

struct Spread {
    double mean = 0, min = 0, max = 0;
};
Spread spread(const std::vector<double>& v, size_t from) {
    Spread s;
    if (from >= v.size()) {
        return s;
    }
    s.min = s.max = v[from];
    for (size_t i = from; i < v.size(); ++i) {
        s.mean += v[i];
        s.min = std::min(s.min, v[i]);
        s.max = std::max(s.max, v[i]);
    }
    s.mean /= static_cast<double>(v.size() - from);
    return s;
}

// Floating-point operations of the matrix products of one model call (2 per multiply-add):
// patch embedding, time MLPs, per layer q/k/v/o, self-attention over `keys` rows, the
// cross-attention's q/o and its attention over the text, the FFN, and the head. Element-wise
// work is not counted: it is what the ratio to `bench gemm` exposes.
double ditCallFlops(const models::DitConfig& c, int64_t batch, int64_t tokens, int64_t frames,
                    int64_t keys) {
    const double l = double(batch) * double(tokens), d = double(c.dim);
    const double patchIn = double(c.inDim) * c.patch[0] * c.patch[1] * c.patch[2];
    const double perLayer = 4 * l * d * d                   // q, k, v, o
                            + 2 * l * double(keys) * d      // q kᵀ and p v
                            + 2 * l * d * d                 // cross q, o
                            + 2 * l * double(c.textLen) * d // cross q kᵀ and p v
                            + 2 * l * d * double(c.ffnDim); // ffn.0, ffn.2
    const double time = double(batch) * double(frames) * (double(c.freqDim) * d + 7 * d * d);
    const double head = l * d * patchIn; // out units = outDim · patch volume = inDim · patch
    return 2 * (l * patchIn * d + time + double(c.numLayers) * perLayer + head);
}

// By-operator table of LibTorch's (legacy, CPU) profiler: per operator name the calls, the
// total time and the self time (total minus the operators it called), sorted by self time.
void printOperatorProfile(const torch::autograd::profiler::thread_event_lists& threads,
                          double wallMs, const BenchPrinter& print) {
    using torch::autograd::profiler::EventKind;
    using torch::autograd::profiler::LegacyEvent;
    struct Totals {
        int64_t calls = 0;
        double totalUs = 0, selfUs = 0;
    };
    std::map<std::string, Totals> byName;
    for (const auto& events : threads) {
        struct Open {
            const LegacyEvent* push;
            double childUs;
        };
        std::vector<Open> stack;
        for (const LegacyEvent& e : events) {
            if (e.kind() == EventKind::PushRange) {
                stack.push_back({&e, 0.0});
            } else if (e.kind() == EventKind::PopRange && !stack.empty()) {
                const Open open = stack.back();
                stack.pop_back();
                const double us = open.push->cpuElapsedUs(e);
                Totals& t = byName[open.push->name()];
                t.calls += 1;
                t.totalUs += us;
                t.selfUs += us - open.childUs;
                if (!stack.empty()) {
                    stack.back().childUs += us;
                }
            }
        }
    }
    std::vector<std::pair<std::string, Totals>> rows(byName.begin(), byName.end());
    std::sort(rows.begin(), rows.end(),
              [](const auto& a, const auto& b) { return a.second.selfUs > b.second.selfUs; });
    double selfSum = 0;
    for (const auto& r : rows) {
        selfSum += r.second.selfUs;
    }
    print(fmt("operator profile of the profiled chunk's denoising (%.1f ms wall, %.1f ms in "
              "operators, self time):",
              wallMs, selfSum / 1000.0));
    print("  operator                                   calls    self ms   share   total ms");
    for (size_t i = 0; i < rows.size() && i < 25; ++i) {
        char line[200];
        std::snprintf(line, sizeof line, "  %-40s %7lld %10.1f %6.1f%% %10.1f",
                      rows[i].first.c_str(), static_cast<long long>(rows[i].second.calls),
                      rows[i].second.selfUs / 1000.0, 100.0 * rows[i].second.selfUs / selfSum,
                      rows[i].second.totalUs / 1000.0);
        print(line);
    }
}

int runDit(const BenchArgs& args, const BenchTarget& target, const BenchPrinter& print) {
    models::DitConfig config = presetConfig(args.str("config"));
    auto override = [&](const char* option, int64_t& field) {
        if (const int v = args.integer(option); v != 0) {
            field = v;
        }
    };
    override("dim", config.dim);
    override("layers", config.numLayers);
    override("heads", config.numHeads);
    override("ffn", config.ffnDim);
    override("text-len", config.textLen);
    config.validate();

    const auto [width, height] = args.size("size");
    const int64_t latentW = width / 8, latentH = height / 8;
    if (width % 16 != 0 || height % 16 != 0 || width <= 0 || height <= 0) {
        throw std::invalid_argument("--size: width and height must be positive multiples of 16");
    }
    const int chunks = args.integer("chunks");
    const int window = args.integer("window");
    const int sink = args.integer("sink");
    const int steps = args.integer("steps");
    const int batch = args.integer("batch");
    const int framesPerBlock = 3;
    if (chunks <= 0 || batch <= 0) {
        throw std::invalid_argument("--chunks and --batch must be positive");
    }
    const int profileChunk = args.integer("profile");
    if (profileChunk < 0 || profileChunk > chunks) {
        throw std::invalid_argument("--profile expects a chunk number from 1 to --chunks (0: off)");
    }
    const uint64_t seed = static_cast<uint64_t>(args.integer("seed"));
    const std::string rope = args.str("rope");
    if (rope != "auto" && rope != "absolute" && rope != "relative") {
        throw std::invalid_argument("--rope expects auto, absolute or relative, got '" + rope +
                                    "'");
    }
    if (args.integer("rope-frames") <= 0) {
        throw std::invalid_argument("--rope-frames must be positive");
    }

    pipeline::GeneratorOptions opts;
    opts.batch = batch;
    opts.latentHeight = latentH;
    opts.latentWidth = latentW;
    opts.framesPerBlock = framesPerBlock;
    opts.capacityFrames = int64_t(chunks) * framesPerBlock;
    opts.localAttnFrames = window;
    opts.sinkFrames = sink;
    opts.ropePositions = rope == "absolute"   ? pipeline::RopePositions::Absolute
                         : rope == "relative" ? pipeline::RopePositions::CacheRelative
                                              : pipeline::RopePositions::Auto;
    opts.ropeFrames = args.integer("rope-frames");
    opts.cudaGraphs = args.flag("cuda-graphs");
    if (opts.cudaGraphs && !pipeline::StepGraphs::supported(target.device)) {
        print("--cuda-graphs: not on " + target.device.str() +
              " (CUDA graphs need a CUDA device and a LibTorch 2 build with CUDA): steps run "
              "eagerly");
    }
    const pipeline::FlowMatchSchedule schedule(5.0, 1000, target.device);
    opts.timesteps = schedule.warp(pipeline::FlowMatchSchedule::evenSteps(steps));

    const int64_t perFrame = config.tokensPerFrame(latentH, latentW);
    const int64_t elem = static_cast<int64_t>(c10::elementSize(target.dtype));
    const int64_t params = config.parameterCount();
    const int64_t cacheFrames = window == -1 ? opts.capacityFrames : window;
    const int64_t kvBytes =
        2 * config.numLayers * batch * cacheFrames * perFrame * config.dim * elem;
    print("model: " + config.describe() + ", " + fmt("%.3f", params / 1e9) + " B parameters (" +
          formatBytes(static_cast<uint64_t>(params * elem)) + ")");
    print(fmt("latents %.0fx%.0f (%.0f tokens per frame), ", double(latentW), double(latentH),
              double(perFrame)) +
          std::to_string(chunks) + " chunks of " + std::to_string(framesPerBlock) +
          " frames, batch " + std::to_string(batch) + ", " + std::to_string(steps) +
          " steps, attention " +
          (window == -1
               ? "global (" + std::to_string(opts.capacityFrames) + " frames)"
               : "window " + std::to_string(window) + " frames, sink " + std::to_string(sink)) +
          ", RoPE " + rope + " (table " + std::to_string(opts.ropeFrames) + ")");
    print("expected KV cache: " + formatBytes(static_cast<uint64_t>(kvBytes)));

    Stopwatch build;
    auto model = std::make_shared<const models::DitModel>(
        config, models::makeRandomDitWeights(config, seed, target.dtype, target.device));
    pipeline::CausalGenerator generator(model, schedule, opts);
    synchronize(target.device);
    print(fmt("random weights and caches ready in %.0f ms; KV cache ", build.elapsedMs()) +
          formatBytes(generator.kvCache().bytes()) + ", cross-attention cache " +
          formatBytes(generator.crossCache().bytes()) + ", RSS " + formatBytes(currentRssBytes()));

    c10::InferenceMode guard;
    auto cpuGen = at::make_generator<at::CPUGeneratorImpl>(seed + 1);
    const at::Tensor prompt =
        at::randn({batch, config.textLen, config.textDim}, cpuGen, at::TensorOptions())
            .to(target.device, target.dtype);
    pipeline::SeededNoise noise(seed);
    resetPeakDeviceBytes(target.device);

    Stopwatch total;
    generator.reset();
    generator.setPrompt(prompt);
    synchronize(target.device);
    const double promptMs = total.elapsedMs();

    print("chunk  frames    denoise ms  per step   cache ms   chunk ms   kv rows        RoPE  RSS");
    std::vector<double> denoiseMs, cacheMs, chunkMs;
    double firstChunkLatency = 0;
    for (int i = 0; i < chunks; ++i) {
        const int64_t start = generator.currentFrame();
        const bool profiled = i + 1 == profileChunk;
        if (profiled) {
            torch::autograd::profiler::enableProfilerLegacy(
                torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
        }
        Stopwatch chunk;
        const at::Tensor blockNoise = generator.drawBlockNoise(framesPerBlock, noise);
        const at::Tensor x0 = generator.denoiseBlock(blockNoise, noise);
        synchronize(target.device);
        const double d = chunk.elapsedMs();
        if (profiled) {
            printOperatorProfile(torch::autograd::profiler::disableProfilerLegacy(), d, print);
        }
        if (i == 0) {
            firstChunkLatency = total.elapsedMs();
        }
        Stopwatch pass;
        generator.pushClean(x0, pipeline::CallRole::CacheUpdate);
        synchronize(target.device);
        const double p = pass.elapsedMs();
        denoiseMs.push_back(d);
        cacheMs.push_back(p);
        chunkMs.push_back(d + p);
        const auto& kv = generator.kvCache();
        char line[200];
        std::snprintf(
            line, sizeof line,
            "%5d  %3lld-%-3lld  %10.1f  %8.1f  %9.1f  %9.1f   %6lld/%-6lld  %s  %s", i + 1,
            static_cast<long long>(start), static_cast<long long>(start + framesPerBlock - 1), d,
            d / steps, p, d + p, static_cast<long long>(kv.indices().localEnd),
            static_cast<long long>(kv.geometry().capacity), kv.indices().relative ? "rel" : "abs",
            formatBytes(currentRssBytes()).c_str());
        print(line);
    }
    const double totalMs = total.elapsedMs();

    print(fmt("first-chunk latency: %.1f ms (prompt cross-attention %.1f ms, then %.0f steps)",
              firstChunkLatency, promptMs, steps));
    // The first chunk's denoising attends over its own rows only, whatever the window.
    const double firstFlops = steps * ditCallFlops(config, batch, framesPerBlock * perFrame,
                                                   framesPerBlock, framesPerBlock * perFrame);
    print(fmt("first chunk denoise: %.1f GFLOP of matrix products in %.1f ms = %.1f GFLOP/s",
              firstFlops / 1e9, denoiseMs.front(), firstFlops / (denoiseMs.front() * 1e6)));
    if (chunks >= 10) {
        // Flatness over a long run: the chunks just after the window filled against the last.
        const size_t n = 5, firstSteady = std::min<size_t>(denoiseMs.size() - 2 * n, 5);
        double early = 0, late = 0;
        for (size_t k = 0; k < n; ++k) {
            early += chunkMs[firstSteady + k] / n;
            late += chunkMs[chunkMs.size() - n + k] / n;
        }
        print(
            fmt("chunk time: chunks %.0f-%.0f mean %.1f ms, ", double(firstSteady + 1),
                double(firstSteady + n), early) +
            fmt("last %.0f chunks mean %.1f ms (last/early %.2f)", double(n), late, late / early));
    }
    const size_t from = chunks > 1 ? 1 : 0;
    const Spread sd = spread(denoiseMs, from), sc = spread(cacheMs, from),
                 sk = spread(chunkMs, from);
    print(std::string(from ? "chunks 2.." : "chunk 1: ") + (from ? std::to_string(chunks) : "") +
          fmt(": denoise mean %.1f ms (min %.1f, max %.1f), cache pass mean %.1f ms", sd.mean,
              sd.min, sd.max, sc.mean) +
          fmt(", chunk mean %.1f ms (min %.1f, max %.1f)", sk.mean, sk.min, sk.max));
    const double latentFps = framesPerBlock * 1000.0 / sk.mean;
    print(fmt("throughput: %.2f latent frames/s, %.2f video frames/s (4 per latent frame); "
              "whole run %.1f s for %.0f video frames",
              latentFps, latentFps * 4, totalMs / 1000.0, double(chunks * framesPerBlock * 4 - 3)));
    std::string memory = "memory: KV cache " + formatBytes(generator.kvCache().bytes()) +
                         " (constant), cross-attention cache " +
                         formatBytes(generator.crossCache().bytes()) + ", peak RSS " +
                         formatBytes(peakRssBytes());
    if (const pipeline::StepGraphs* graphs = generator.stepGraphs()) {
        print(fmt("CUDA graphs: %.0f captured, %.0f denoising steps replayed",
                  double(graphs->captures()), double(graphs->replays())));
    }
    if (target.device.is_cuda()) {
        memory += ", peak CUDA allocated " + formatBytes(peakDeviceBytes(target.device));
    }
    print(memory);
    return 0;
}

} // namespace

Benchmark ditBenchmark() {
    Benchmark b;
    b.info = {"dit",
              "Causal DiT block loop with random weights: per-chunk denoise and cache-pass ms, "
              "frames/s, first-chunk latency, memory",
              {{"config", "NAME", "small (dim 384, 6 layers), medium (dim 768, 12 layers) or 1.3b",
                "1.3b"},
               {"dim", "N", "model width (0 = the preset's)", "0"},
               {"layers", "N", "transformer blocks (0 = the preset's)", "0"},
               {"heads", "N", "attention heads (0 = the preset's)", "0"},
               {"ffn", "N", "FFN hidden size (0 = the preset's)", "0"},
               {"text-len", "N", "prompt tokens (0 = the preset's 512)", "0"},
               {"size", "WxH", "video size in pixels (latents are 1/8)", "832x480"},
               {"chunks", "N", "blocks of 3 latent frames to generate", "7"},
               {"window", "N", "local attention window in latent frames (-1 = global)", "-1"},
               {"sink", "N", "frames at the start of the window never evicted", "0"},
               {"steps", "N", "denoising steps per chunk", "4"},
               {"batch", "N", "videos generated together", "1"},
               {"seed", "N", "seed of the random weights and noise", "0"},
               {"rope", "RULE",
                "RoPE positions: auto (absolute inside the table, then cache-relative), "
                "absolute (the reference; stops at the table) or relative",
                "auto"},
               {"rope-frames", "N", "positions of the RoPE table", "1024"},
               {"profile", "N",
                "print LibTorch's by-operator profile of chunk N's denoising (0 = off)", "0"},
               {"cuda-graphs", "",
                "replay the denoising steps from CUDA graphs (CUDA with LibTorch 2 only)", ""}}};
    b.run = runDit;
    return b;
}

} // namespace sfs::inference::bench
