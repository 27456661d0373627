// `sfstudio-cli bench vae` and `bench taehv`: streaming decode of latent chunks, as the engine
// runs it (one chunk of DiT output per call, history kept), with random weights of the real
// shapes at a chosen resolution. Per chunk: milliseconds, frames per second and the peak memory
// of that chunk alone.

#include "bench/benchmarks.h"
#include "models/stream_decoder.h"
#include "models/taehv.h"
#include "models/wan_vae.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace sfs::inference::bench {
namespace {

using models::Taehv;
using models::TaehvConfig;
using models::WanVae;
using models::WanVaeConfig;

std::vector<BenchOption> streamOptions(const std::string& chunks) {
    return {
        {"size", "WxH", "video size in pixels (multiples of 8)", "832x480"},
        {"chunks", "N", "chunks to decode (the first is special: latent 0 makes 1 frame)", chunks},
        {"chunk-latents", "K", "latent frames per chunk (Self-Forcing blocks: 3)", "3"},
        {"seed", "S", "seed of the random weights and latents", "1"}};
}

struct StreamPlan {
    int width = 0;
    int height = 0;
    int chunks = 0;
    int chunkLatents = 0;
    uint64_t seed = 0;
};

StreamPlan streamPlan(const BenchArgs& args) {
    StreamPlan p;
    std::tie(p.width, p.height) = args.size("size");
    p.chunks = args.integer("chunks");
    p.chunkLatents = args.integer("chunk-latents");
    p.seed = static_cast<uint64_t>(args.integer("seed"));
    if (p.width <= 0 || p.height <= 0 || p.width % 8 != 0 || p.height % 8 != 0) {
        throw std::invalid_argument("--size needs positive multiples of 8, e.g. 832x480");
    }
    if (p.chunks <= 0 || p.chunkLatents <= 0) {
        throw std::invalid_argument("--chunks and --chunk-latents must be positive");
    }
    return p;
}

std::string planLine(const StreamPlan& p, at::IntArrayRef chunkShape, const std::string& how) {
    std::ostringstream s;
    s << "decoding " << p.chunks << " chunks of latents " << chunkShape << " at " << p.width << "x"
      << p.height << ", " << how;
    return s.str();
}

std::string weightsLine(const io::Weights& w) {
    int64_t params = 0;
    int64_t bytes = 0;
    for (const auto& n : w.names()) {
        params += w.get(n).numel();
        bytes += w.get(n).numel() * static_cast<int64_t>(w.get(n).element_size());
    }
    char line[160];
    std::snprintf(line, sizeof line, "weights: %zu tensors, %.2f M parameters, %s (random)",
                  w.size(), static_cast<double>(params) / 1e6,
                  formatBytes(static_cast<uint64_t>(bytes)).c_str());
    return line;
}

std::string memoryText(const BenchTarget& target, bool peakReset) {
    std::string s = "peak RSS " + formatBytes(peakRssBytes()) + (peakReset ? "" : " (process)");
    if (target.device.is_cuda()) {
        s += ", peak device " + formatBytes(peakDeviceBytes(target.device));
    }
    return s;
}

// Runs `decodeChunk(index)` for every chunk, printing one line each, then the steady state
// (every chunk after the first). decodeChunk returns the number of frames it produced.
void runChunks(const StreamPlan& plan, const BenchTarget& target, const BenchPrinter& print,
               const std::function<int64_t(int)>& decodeChunk) {
    double laterMs = 0.0;
    int64_t laterFrames = 0;
    for (int i = 0; i < plan.chunks; ++i) {
        synchronize(target.device);
        const bool peakReset = resetPeakRss();
        resetPeakDeviceBytes(target.device);
        Stopwatch watch;
        const int64_t frames = decodeChunk(i);
        synchronize(target.device);
        const double ms = watch.elapsedMs();
        if (i > 0) {
            laterMs += ms;
            laterFrames += frames;
        }
        char line[256];
        std::snprintf(line, sizeof line,
                      "chunk %d: %d latent frames -> %lld frames, %.0f ms (%.2f frames/s), %s", i,
                      plan.chunkLatents, static_cast<long long>(frames), ms, frames * 1000.0 / ms,
                      memoryText(target, peakReset).c_str());
        print(line);
    }
    if (laterFrames > 0) {
        char line[200];
        std::snprintf(line, sizeof line,
                      "steady state (chunks after the first): %.0f ms per chunk, %.2f frames/s",
                      laterMs / (plan.chunks - 1), laterFrames * 1000.0 / laterMs);
        print(line);
    }
}

at::Tensor randomLatents(at::IntArrayRef shape, uint64_t seed, const BenchTarget& target) {
    at::manual_seed(seed);
    return at::randn(shape).to(target.device, target.dtype);
}

// The model of decoder `name` with random weights of the real shapes (Wan 2.1 VAE, taew2_1).
models::DecoderModels randomDecoderModel(const std::string& name, uint64_t seed,
                                         const BenchTarget& target, const BenchPrinter& print) {
    models::DecoderModels loaded;
    if (name == models::kWanVaeDecoderName) {
        const io::Weights w =
            models::makeRandomVaeWeights(WanVaeConfig(), seed, target.dtype, target.device);
        print(weightsLine(w));
        loaded.wanVae = std::make_shared<const WanVae>(WanVaeConfig(), w);
    } else {
        const io::Weights w =
            models::makeRandomTaehvWeights(TaehvConfig(), seed, target.dtype, target.device);
        print(weightsLine(w));
        loaded.taehv = std::make_shared<const Taehv>(TaehvConfig(), w);
    }
    return loaded;
}

// Decodes the plan's chunks of random latents through decoder `name`, as the engine calls it.
void benchStreamDecode(const StreamPlan& plan, const BenchTarget& target, const BenchPrinter& print,
                       const std::string& name, const models::DecoderModels& loaded,
                       const std::string& how) {
    const auto decoder = models::makeStreamDecoder(name, loaded);
    const std::vector<int64_t> shape{1, plan.chunkLatents, 16, plan.height / 8, plan.width / 8};
    print(planLine(plan, shape, how));
    runChunks(plan, target, print, [&](int i) {
        const at::Tensor z = randomLatents(shape, plan.seed + static_cast<uint64_t>(i), target);
        return decoder->decode(z).size(1);
    });
}

} // namespace

Benchmark vaeBenchmark() {
    Benchmark b;
    b.info = {"vae", "Wan VAE streaming decode per chunk of latents (and one keyframe encode)",
              streamOptions("2")};
    b.info.options.push_back({"encode", "0|1", "also time the encode of one keyframe image", "1"});
    b.run = [](const BenchArgs& args, const BenchTarget& target, const BenchPrinter& print) {
        const StreamPlan plan = streamPlan(args);
        const auto loaded =
            randomDecoderModel(models::kWanVaeDecoderName, plan.seed, target, print);
        benchStreamDecode(plan, target, print, models::kWanVaeDecoderName, loaded,
                          "exact streaming decoder, one frame at a time inside a chunk");
        const WanVae* vae = loaded.wanVae.get();
        if (args.integer("encode") != 0) {
            const at::Tensor image =
                randomLatents({1, 3, 1, plan.height, plan.width}, plan.seed, target).clamp(-1, 1);
            synchronize(target.device);
            const bool peakReset = resetPeakRss();
            resetPeakDeviceBytes(target.device);
            Stopwatch watch;
            const at::Tensor z = vae->encode(image);
            synchronize(target.device);
            char line[200];
            std::snprintf(line, sizeof line, "keyframe encode: 1 image -> 1 latent, %.0f ms, %s",
                          watch.elapsedMs(), memoryText(target, peakReset).c_str());
            print(line);
        }
        return 0;
    };
    return b;
}

Benchmark taehvBenchmark() {
    Benchmark b;
    b.info = {"taehv", "TAEHV (taew2_1) streaming decode per chunk of latents", streamOptions("3")};
    b.run = [](const BenchArgs& args, const BenchTarget& target, const BenchPrinter& print) {
        const StreamPlan plan = streamPlan(args);
        const auto loaded = randomDecoderModel(models::kTaehvDecoderName, plan.seed, target, print);
        benchStreamDecode(plan, target, print, models::kTaehvDecoderName, loaded,
                          "streaming decoder, frame by frame with its memory kept");
        return 0;
    };
    return b;
}

} // namespace sfs::inference::bench
