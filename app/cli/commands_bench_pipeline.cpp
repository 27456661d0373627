// `sfstudio-cli bench pipeline`: the whole generation end to end through the engine's public API
// (sfs/inference/engine.h), once per decoder: time to first frame, per-chunk time over a long
// run with a window, frames per second, peak memory, and what overlapping decode with denoising
// gains (the same run again with the denoiser held until each chunk is decoded).

#include "commands.h"
#include "sfs/inference/bench.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/runtime_info.h"
#include "sfs/inference/text.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace sfs::cli {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"; the kernel reports kB); 0 when
// unknown.
uint64_t procStatusBytes(const std::string& field) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind(field + ":", 0) == 0) {
            std::istringstream value(line.substr(field.size() + 1));
            uint64_t kib = 0;
            value >> kib;
            return kib * 1024;
        }
    }
    return 0;
}

// The measured peak: the process's resident-memory high-water mark (VmHWM), reset before the
// measured runs (writing 5 to /proc/self/clear_refs, Linux 4.0+), minus the resident memory
// before the models were loaded. So it counts what the generation holds on the host (weights,
// caches, activations, decoders; the allocator's retained free blocks too), not the libraries
// or a transient of loading. Where the reset is refused the mark includes the load (said).
class PeakMemory {
public:
    void beforeLoad() { m_base = procStatusBytes("VmRSS"); }
    bool resetMark() {
        std::ofstream clear("/proc/self/clear_refs");
        clear << "5";
        clear.flush();
        m_reset = static_cast<bool>(clear);
        return m_reset;
    }
    uint64_t growth() const {
        const uint64_t hwm = procStatusBytes("VmHWM");
        return hwm > m_base ? hwm - m_base : 0;
    }
    bool reset() const { return m_reset; }

private:
    uint64_t m_base = 0;
    bool m_reset = false;
};

double mib(uint64_t bytes) {
    return static_cast<double>(bytes) / (1 << 20);
}

struct RunTimes {
    double firstFrame = 0; // from generate() to the first final frame (models already warm)
    double total = 0;
    std::vector<double> chunkTimes; // between consecutive chunks' last frames
    int64_t frames = 0;
};

// One generation. `serial`: the denoiser waits (in the cancel check, asked before every model
// call) until every chunk it has handed over is decoded, so nothing overlaps.
RunTimes runOnce(inference::Engine& engine, const inference::GenerationRequest& request,
                 bool serial) {
    RunTimes times;
    std::mutex mutex;
    std::condition_variable decoded;
    int64_t framesOut = 0;
    int64_t chunksHandedOver = 0;
    std::vector<double> chunkDone;
    const auto start = Clock::now();

    inference::GenerationObserver observer;
    observer.frame = [&](const inference::RgbFrame&) {
        std::lock_guard lock(mutex);
        if (framesOut == 0) {
            times.firstFrame = secondsSince(start);
        }
        ++framesOut;
        decoded.notify_all();
    };
    observer.progress = [&](const inference::GenerationProgress& p) {
        std::lock_guard lock(mutex);
        while (static_cast<int64_t>(chunkDone.size()) < p.chunksDone) {
            chunkDone.push_back(secondsSince(start));
        }
    };
    observer.latents = [&](const inference::ChunkLatents&) {
        std::lock_guard lock(mutex);
        ++chunksHandedOver;
    };
    inference::CancelCheck hold;
    if (serial) {
        hold = [&] {
            std::unique_lock lock(mutex);
            decoded.wait(lock, [&] {
                return framesOut >= inference::frame_grid::framesForChunks(chunksHandedOver);
            });
            return false;
        };
    }
    engine.generate(request, observer, hold);
    times.total = secondsSince(start);
    times.frames = framesOut;
    for (size_t i = 1; i < chunkDone.size(); ++i) {
        times.chunkTimes.push_back(chunkDone[i] - chunkDone[i - 1]);
    }
    return times;
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

std::string fixed(double value, int decimals) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string padLeft(const std::string& s, size_t width) {
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

int runPipelineBench(const CommandLine& cmd, Context& ctx) {
    inference::setCpuThreads(cmd.integer("threads"));
    const auto [width, height] = cmd.size("size");
    const int chunks = cmd.integer("chunks");
    const int repeats = cmd.integer("repeat");
    if (repeats < 1) {
        throw UsageError("--repeat must be at least 1");
    }
    if (chunks < 2) {
        throw UsageError("--chunks must be at least 2 (per-chunk times need two)");
    }
    inference::GenerationRequest request;
    request.model = cmd.str("model");
    if (cmd.has("random-weights")) {
        if (cmd.has("model")) {
            throw UsageError("--random-weights DIR is the model: leave out --model");
        }
        request.model = cmd.str("random-weights");
        const auto start = Clock::now();
        inference::writeRealShapedRandomModel(request.model);
        ctx.out << "random weights of the real shapes in " << request.model << " ("
                << fixed(secondsSince(start), 1) << " s to make or find)\n";
    }
    try {
        request.device.device = inference::parseDevice(cmd.str("device"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("option --device: ") + e.what());
    }
    request.width = width;
    request.height = height;
    request.frames = inference::frame_grid::framesForChunks(int64_t{chunks});
    request.seed = 1;
    request.prompts = {{0, "A paper boat drifts down a rainy street."}};
    request.windowLatentFrames = cmd.integer("window");
    request.sinkLatentFrames = cmd.integer("sink");
    std::vector<std::string> decoders;
    std::istringstream list(cmd.str("decoders"));
    for (std::string name; std::getline(list, name, ',');) {
        if (name != "wan-vae" && name != "taehv") {
            throw UsageError("--decoders expects wan-vae and/or taehv, got '" + name + "'");
        }
        decoders.push_back(name);
    }

    // Without the tokenizer (a torch-only build, a machine without SentencePiece) the prompt
    // becomes random embeddings of the real shape: the generation costs the same.
    std::string noTokenizer;
    const bool randomPrompt =
        cmd.flag("random-prompt") || !inference::tokenizerAvailable(&noTokenizer);
    inference::EngineOptions engineOptions;
    engineOptions.randomPromptEmbeddings = randomPrompt;
    engineOptions.cudaGraphs = cmd.flag("cuda-graphs");
    inference::Engine engine(engineOptions);
    PeakMemory peak;
    try {
        request.finalDecoder = decoders.front();
        inference::validateRequest(request);
        peak.beforeLoad();
        const auto loadStart = Clock::now();
        engine.load(request.model, request.device);
        const inference::ModelSet models = *engine.models();
        const inference::RuntimeInfo machine = inference::queryRuntime();
        ctx.out << "pipeline: model " << request.model << ", " << width << "x" << height << ", "
                << chunks << " chunks (" << request.frames << " frames), window "
                << request.windowLatentFrames << " sink " << request.sinkLatentFrames << ", "
                << inference::describeRuntime(machine) << "\n";
        if (randomPrompt) {
            ctx.out << "prompt: random embeddings of the real shape (" << models.dit.textLen
                    << " x " << models.dit.textDim << ")"
                    << (noTokenizer.empty() ? std::string(": --random-prompt") : ": " + noTokenizer)
                    << "\n";
        }
        ctx.out << "load " << fixed(secondsSince(loadStart), 2) << " s\n"
                << "decoder   first frame   chunk (median, max)   frames/s   serial frames/s"
                   "   overlap gain   peak (measured)   estimate   est/measured\n";
        // --vace: every chunk also runs the VACE blocks (a reference image conditions every
        // chunk), measured beside the plain run of the same decoder.
        inference::ReferenceImage reference;
        if (cmd.flag("vace")) {
            reference.width = width;
            reference.height = height;
            reference.scale = 1.0f;
            reference.rgb.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
            for (size_t i = 0; i < reference.rgb.size(); ++i) {
                reference.rgb[i] = static_cast<uint8_t>((i * 7) % 251); // a fixed pattern
            }
        }
        for (const std::string& decoder : decoders) {
            double plainChunk = 0;
            for (const bool vace : {false, true}) {
                if (vace && reference.empty()) {
                    break;
                }
                request.finalDecoder = decoder;
                request.reference = vace ? reference : inference::ReferenceImage{};
                const std::string label = decoder + (vace ? "+vace" : "");
                runOnce(
                    engine,
                    [&] { // a short warm-up: the decoder loaded, prompts cached
                        inference::GenerationRequest warm = request;
                        warm.frames = inference::frame_grid::framesForChunks(int64_t{1});
                        return warm;
                    }(),
                    false);
                // The prompt is encoded (or cached) now; the measured runs are generation only.
                peak.resetMark();
                // Alternating runs, the fastest of each kind: the least disturbed by other load.
                RunTimes serial;
                RunTimes piped;
                for (int i = 0; i < repeats; ++i) {
                    const RunTimes s = runOnce(engine, request, true);
                    const RunTimes p = runOnce(engine, request, false);
                    if (i == 0 || s.total < serial.total) {
                        serial = s;
                    }
                    if (i == 0 || p.total < piped.total) {
                        piped = p;
                    }
                }
                const double fps = piped.total > 0 ? double(piped.frames) / piped.total : 0;
                const double serialFps =
                    serial.total > 0 ? double(serial.frames) / serial.total : 0;
                const double maxChunk =
                    piped.chunkTimes.empty()
                        ? 0
                        : *std::max_element(piped.chunkTimes.begin(), piped.chunkTimes.end());
                ctx.out << label << std::string(label.size() < 10 ? 10 - label.size() : 1, ' ')
                        << padLeft(fixed(piped.firstFrame, 3) + " s", 11)
                        << padLeft(fixed(median(piped.chunkTimes), 3) + " s, " +
                                       fixed(maxChunk, 3) + " s",
                                   22)
                        << padLeft(fixed(fps, 2), 11) << padLeft(fixed(serialFps, 2), 18)
                        << padLeft(fixed(serial.total / piped.total, 2) + "x", 15);
                // The engine's estimate of the same runs, on the DiT's device, without the text
                // encoder (it ran in the warm-up, before the mark was reset, or not at all).
                const inference::Placement dit = inference::choosePlacement(
                    inference::ComputeRole::Dit, request.device, machine);
                const uint64_t estimate =
                    inference::estimateMemory(models, inference::withPlannedAttention(request),
                                              dit.precision, false)
                        .total();
                const uint64_t measured = peak.growth();
                ctx.out << padLeft(fixed(mib(measured), 0) + " MiB", 18)
                        << padLeft(fixed(mib(estimate), 0) + " MiB", 11)
                        << padLeft(measured > 0 ? fixed(double(estimate) / double(measured), 2)
                                                : std::string("-"),
                                   15)
                        << "\n";
                if (dit.onCuda()) {
                    ctx.out << "(the DiT runs on " << dit.device.text()
                            << ": the measured peak is host memory; compare on the device with "
                               "nvidia-smi)\n";
                }
                if (!vace) {
                    plainChunk = median(piped.chunkTimes);
                } else {
                    ctx.out << "VACE cost per chunk (" << decoder
                            << "): " << fixed(median(piped.chunkTimes) - plainChunk, 3) << " s ("
                            << fixed(plainChunk > 0
                                         ? 100.0 * (median(piped.chunkTimes) / plainChunk - 1.0)
                                         : 0.0,
                                     0)
                            << " % over " << fixed(plainChunk, 3) << " s)\n";
                }
            }
        }
    } catch (const inference::RequestError& e) {
        ctx.err << "sfstudio-cli bench pipeline: " << e.what() << "\n";
        return 1;
    }
    ctx.out << "(the fastest of --repeat runs each; serial: the denoiser waits for each chunk's "
               "decode; overlap gain: serial time / pipelined time; peak (measured): the "
               "resident-memory high-water mark of the measured runs (reset after the warm-up) "
               "above the process's memory before loading; estimate: the engine's "
               "estimateMemory for the same request, text encoder not counted"
            << (peak.reset() ? "" : "; the mark could not be reset: it includes the load") << ")\n";
    return 0;
}

} // namespace

void registerPipelineBenchmark(Registry& registry) {
    registry.push_back(Command{
        "bench pipeline",
        "Whole generation end to end per decoder: first frame, per-chunk time, frames/s, peak "
        "memory, overlap gain",
        "",
        {{"model", "DIR", "model folder, or demo", "demo"},
         {"size", "WxH", "video size (multiples of 16)", "64x64"},
         {"chunks", "N", "chunks per run (12N - 3 frames)", "12"},
         {"window", "N", "rolling window in latent frames (-1: full context)", "9"},
         {"sink", "N", "sink latent frames of the window", "3"},
         {"decoders", "LIST", "final decoders to measure, comma-separated", "wan-vae,taehv"},
         {"repeat", "N", "runs of each kind per decoder (the fastest counts)", "3"},
         {"device", "NAME", "auto, cpu, cuda or cuda:N", "auto"},
         {"random-weights", "DIR",
          "seeded random weights of the real 1.3B shapes (made once in DIR) as the model", ""},
         {"random-prompt", "",
          "random prompt embeddings of the real shape instead of encoding the prompt (automatic "
          "without the tokenizer)",
          ""},
         {"vace", "",
          "also measure each decoder with VACE on every chunk (a reference image; needs VACE "
          "weights, the demo model has them) and print the VACE cost per chunk",
          ""},
         {"cuda-graphs", "",
          "replay each chunk's denoising steps from a CUDA graph (CUDA with LibTorch 2 only)", ""},
         {"threads", "N", "CPU threads for torch (0 = number of cores)", "0"}},
        runPipelineBench});
}

} // namespace sfs::cli
