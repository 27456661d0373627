// The torch-free half of the engine's API: checking a request, mapping prompt segments to
// chunks, and the memory estimate.
#include "sfs/inference/engine.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/model_set.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <unistd.h>

namespace sfs::inference {

namespace {

std::string num(int64_t v) {
    return std::to_string(v);
}

std::string gibOf(uint64_t bytes) {
    char text[32];
    if (bytes < (1ull << 30)) {
        std::snprintf(text, sizeof text, "%.0f MiB", static_cast<double>(bytes) / (1ull << 20));
    } else {
        std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1ull << 30));
    }
    return text;
}

uint64_t bytesOf(Precision precision) {
    return precision == Precision::Float32 ? 4 : 2;
}

} // namespace

void checkKeyframeImage(const KeyframeImage& k, const std::string& where) {
    if (k.width <= 0 || k.height <= 0 || k.width % 16 != 0 || k.height % 16 != 0) {
        throw RequestError(where, "the image size " + num(k.width) + "x" + num(k.height) +
                                      " is not a positive multiple of 16");
    }
    const size_t bytes = static_cast<size_t>(k.width) * static_cast<size_t>(k.height) * 3;
    if (k.rgb.size() != bytes) {
        throw RequestError(where, "the image holds " + num(static_cast<int64_t>(k.rgb.size())) +
                                      " bytes; " + num(k.width) + "x" + num(k.height) +
                                      " RGB needs " + num(static_cast<int64_t>(bytes)));
    }
}

const char* stageName(Stage stage) {
    switch (stage) {
    case Stage::Loading:
        return "loading";
    case Stage::EncodingPrompts:
        return "encoding prompts";
    case Stage::Generating:
        return "generating";
    case Stage::Decoding:
        return "decoding";
    case Stage::Done:
        return "done";
    }
    return "?";
}

int64_t chunksOf(const GenerationRequest& request) {
    return frame_grid::chunksForFrames(request.frames);
}

void validatePrompts(const std::vector<PromptSegment>& prompts, int64_t frames) {
    if (prompts.empty()) {
        throw RequestError("prompts", "at least one prompt segment is needed");
    }
    for (size_t i = 0; i < prompts.size(); ++i) {
        const PromptSegment& s = prompts[i];
        const std::string where = "prompts[" + std::to_string(i) + "]";
        if (i == 0 && s.startFrame != 0) {
            throw RequestError(where,
                               "the first segment must start at frame 0, not " + num(s.startFrame));
        }
        if (i > 0 && s.startFrame <= prompts[i - 1].startFrame) {
            throw RequestError(where, "segments must start at increasing frames");
        }
        if (frames >= 0 && s.startFrame >= frames) {
            throw RequestError(where, "starts at frame " + num(s.startFrame) +
                                          ", past the take's " + num(frames) + " frames");
        }
        if (s.text.find_first_not_of(" \t\r\n") == std::string::npos) {
            throw RequestError(where, "the prompt text is empty");
        }
    }
}

void validateRequest(const GenerationRequest& r) {
    for (const auto& [setting, value] : {std::pair{"width", r.width}, {"height", r.height}}) {
        if (value <= 0 || value % 16 != 0) {
            throw RequestError(setting, num(value) + " is not a positive multiple of 16");
        }
    }
    const int64_t chunks = chunksOf(r);
    if (r.frames <= 0 || frame_grid::framesForChunks(chunks) != r.frames) {
        const int64_t below = frame_grid::framesForChunks(std::max<int64_t>(chunks - 1, 1));
        const int64_t above = frame_grid::framesForChunks(std::max<int64_t>(chunks, 1));
        throw RequestError(
            "frames",
            num(r.frames) +
                " is not a whole number of chunks (12n - 3: 9, 21, 33, "
                "...); the nearest " +
                (below == above ? "is " + num(above) : "are " + num(below) + " and " + num(above)));
    }
    for (size_t i = 0; i < r.steps.size(); ++i) {
        if (r.steps[i] < 1 || r.steps[i] > 1000 || (i > 0 && r.steps[i] >= r.steps[i - 1])) {
            throw RequestError("steps", "must be strictly decreasing timesteps in [1, 1000]");
        }
    }
    validatePrompts(r.prompts, r.frames);
    for (size_t i = 0; i < r.loras.size(); ++i) {
        const std::string at = "loras[" + std::to_string(i) + "]";
        if (r.loras[i].path.empty()) {
            throw RequestError(at, "names no file");
        }
        if (!std::isfinite(r.loras[i].strength)) {
            throw RequestError(at, r.loras[i].path + ": the strength is not a finite number");
        }
    }
    if (r.promptRampChunks < 0) {
        throw RequestError("promptRampChunks", "must not be negative");
    }
    if (r.start.fromChunk < 0 || r.start.fromChunk > chunks) {
        throw RequestError("start.fromChunk", num(r.start.fromChunk) + " is not a chunk of the " +
                                                  num(chunks) + " of the take (0 .. " +
                                                  num(chunks) + ")");
    }
    if (r.start.fromChunk > 0 && r.start.keptLatents.empty()) {
        throw RequestError("start.keptLatents", "continuing from chunk " + num(r.start.fromChunk) +
                                                    " needs the take's stored latents");
    }
    for (size_t i = 0; i < r.keyframes.size(); ++i) {
        const KeyframeImage& k = r.keyframes[i];
        const std::string where = "keyframes[" + std::to_string(i) + "]";
        if (k.frame < 0 || k.frame >= r.frames) {
            throw RequestError(where, "frame " + num(k.frame) +
                                          " is not a frame of the take (0 .. " + num(r.frames - 1) +
                                          ")");
        }
        if (k.width != r.width || k.height != r.height) {
            throw RequestError(where, "the image is " + num(k.width) + "x" + num(k.height) +
                                          "; the take is " + num(r.width) + "x" + num(r.height) +
                                          " (fit it first)");
        }
        checkKeyframeImage(k, where);
        if (k.startMode == StartMode::Context && k.frame != 0) {
            throw RequestError(where, "frame " + num(k.frame) +
                                          ": only a start keyframe (frame 0) can be the context "
                                          "the take starts from");
        }
        if (k.startMode == StartMode::Context && r.start.fromChunk > 0) {
            throw RequestError("start.fromChunk",
                               "a take that starts from a context keyframe cannot be continued "
                               "from chunk " +
                                   num(r.start.fromChunk) +
                                   " (its generation blocks straddle the chunks); regenerate "
                                   "it from chunk 0");
        }
        if (!(k.strength >= 0.0f && k.strength <= 1.0f)) {
            throw RequestError(where, "strength must be in [0, 1]");
        }
        if (!(k.approachWeight >= 0.0f && k.approachWeight <= 1.0f)) {
            throw RequestError(where, "approachWeight must be in [0, 1]");
        }
        if (!(k.vaceScale >= 0.0f && k.vaceScale <= 2.0f)) {
            throw RequestError(where, "vaceScale must be in [0, 2]");
        }
        if (k.approachChunks < 0 || k.approachSteps < 0) {
            throw RequestError(where, "approachChunks and approachSteps must not be negative");
        }
        for (size_t j = 0; j < i; ++j) {
            const int64_t other = r.keyframes[j].frame;
            if (frame_grid::latentFrameOfFrame(other) == frame_grid::latentFrameOfFrame(k.frame)) {
                throw RequestError(where, "frames " + num(other) + " and " + num(k.frame) +
                                              " lie in the same latent frame (" +
                                              num(frame_grid::latentFrameOfFrame(k.frame)) +
                                              "); keep one of them");
            }
        }
    }
    if (!r.reference.empty()) {
        if (r.reference.width != r.width || r.reference.height != r.height) {
            throw RequestError("reference", "the image is " + num(r.reference.width) + "x" +
                                                num(r.reference.height) + "; the take is " +
                                                num(r.width) + "x" + num(r.height) +
                                                " (fit it first)");
        }
        KeyframeImage asImage;
        asImage.width = r.reference.width;
        asImage.height = r.reference.height;
        asImage.rgb = r.reference.rgb;
        checkKeyframeImage(asImage, "reference");
        if (!(r.reference.scale >= 0.0f && r.reference.scale <= 2.0f)) {
            throw RequestError("reference", "scale must be in [0, 2]");
        }
    }
    if (r.windowLatentFrames == -1) {
        if (r.sinkLatentFrames != 0) {
            throw RequestError("sinkLatentFrames", "sink frames need a rolling window "
                                                   "(windowLatentFrames)");
        }
    } else {
        if (r.sinkLatentFrames < 0) {
            throw RequestError("sinkLatentFrames", "must not be negative");
        }
        const int64_t least = r.sinkLatentFrames + frame_grid::kLatentFramesPerChunk;
        if (r.windowLatentFrames < least) {
            throw RequestError("windowLatentFrames",
                               num(r.windowLatentFrames) + " latent frames cannot hold the sink (" +
                                   num(r.sinkLatentFrames) + ") and a chunk (" +
                                   num(frame_grid::kLatentFramesPerChunk) + "); use at least " +
                                   num(least) + ", or -1 for the whole take");
        }
    }
    if (r.finalDecoder.empty()) {
        throw RequestError("finalDecoder", "a final decoder is needed (wan-vae or taehv)");
    }
    if (r.decodeQueueChunks < 1) {
        throw RequestError("decodeQueueChunks", "must be at least 1");
    }
}

size_t promptSegmentOfChunk(const std::vector<PromptSegment>& prompts, int64_t chunk) {
    const int64_t first = frame_grid::firstFrameOfChunk(chunk);
    size_t segment = 0;
    for (size_t i = 0; i < prompts.size() && prompts[i].startFrame <= first; ++i) {
        segment = i;
    }
    return segment;
}

std::string MemoryEstimate::describe() const {
    std::string text = gibOf(total()) + " (DiT weights " + gibOf(ditWeights) + ", KV cache " +
                       gibOf(kvCache) + ", DiT activations " + gibOf(ditActivations) +
                       ", decoders " + gibOf(decoders);
    if (textEncoder > 0) {
        text += ", text encoder " + gibOf(textEncoder) + " while encoding, freed before the caches";
    }
    return text + ")";
}

MemoryEstimate estimateMemory(const ModelSet& models, const GenerationRequest& request,
                              Precision precision, bool textEncoderOnSameDevice) {
    const uint64_t elem = bytesOf(precision);
    const DitConfig& dit = models.dit;
    const int64_t latentH = request.height / 8, latentW = request.width / 8;
    const int64_t tokensPerFrame = dit.tokensPerFrame(latentH, latentW);
    const int64_t latentFrames = chunksOf(request) * frame_grid::kLatentFramesPerChunk;
    const int64_t cacheFrames =
        request.windowLatentFrames == -1 ? latentFrames : request.windowLatentFrames;
    const int64_t chunkTokens = tokensPerFrame * frame_grid::kLatentFramesPerChunk;

    MemoryEstimate m;
    m.ditWeights = static_cast<uint64_t>(dit.parameterCount()) * elem;
    // VACE's blocks sit beside the DiT when the request uses them (counted with its weights).
    const bool usesVace = !request.reference.empty() ||
                          std::any_of(request.keyframes.begin(), request.keyframes.end(),
                                      [](const KeyframeImage& k) { return k.vace; });
    if (usesVace && models.vace) {
        m.ditWeights += static_cast<uint64_t>(models.vace->parameterCount()) * elem;
    }
    // K and V per layer: [B, heads, rows, head_dim] = rows x dim; the prompt's the same way.
    m.kvCache = static_cast<uint64_t>(2 * dit.numLayers * dit.dim *
                                      (cacheFrames * tokensPerFrame + dit.textLen)) *
                elem;
    // One call: the FFN's hidden state and a handful of dim-wide tensors per token, plus the
    // attention scores of one head over the cache (float32) when attention runs unfused.
    m.ditActivations =
        static_cast<uint64_t>(chunkTokens * (dit.ffnDim + 8 * dit.dim)) * elem +
        static_cast<uint64_t>(chunkTokens * (cacheFrames * tokensPerFrame + chunkTokens)) * 4;
    // The Wan VAE keeps a two-frame history per causal layer and works one frame at a time:
    // a few dozen full-resolution feature maps of its widest stage (44 of `dim` channels,
    // measured with `bench pipeline`, docs/benchmarks.md). TAEHV decodes a chunk's frames (4 per
    // latent frame) at once: at full resolution its last stage's width, plus a quarter for the
    // tensors around it (measured the same way).
    const auto decoderOf = [&](const std::string& name) -> uint64_t {
        const uint64_t pixels = static_cast<uint64_t>(request.width) * request.height;
        if (name == "wan-vae") {
            return static_cast<uint64_t>(models.vae.parameterCount()) * elem +
                   pixels * static_cast<uint64_t>(models.vae.dim) * 44 * elem;
        }
        if (name == "taehv" && models.taehv) {
            const auto width = static_cast<uint64_t>(models.taehv->decoderWidths.back());
            const auto chunkFrames = static_cast<uint64_t>(4 * frame_grid::kLatentFramesPerChunk);
            return static_cast<uint64_t>(models.taehv->parameterCount()) * elem +
                   pixels * chunkFrames * (width + width / 4) * elem;
        }
        return 0;
    };
    m.decoders = decoderOf(request.finalDecoder);
    if (!request.previewDecoder.empty() && request.previewDecoder != request.finalDecoder) {
        m.decoders += decoderOf(request.previewDecoder);
    }
    if (textEncoderOnSameDevice) {
        m.textEncoder = static_cast<uint64_t>(models.textEncoder.parameterCount()) * 2; // bf16
    }
    return m;
}

uint64_t hostMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? static_cast<uint64_t>(pages) * pageSize : 0;
}

} // namespace sfs::inference

namespace sfs::inference {

std::string formatBytes(uint64_t bytes) {
    return gibOf(bytes);
}

namespace {

// SFS_SIMULATED_FREE_MEMORY: "6442450944", "6144M", "6G" (binary units); nullopt when unset or
// not a size (then the device is asked).
std::optional<uint64_t> simulatedFreeMemory() {
    const char* value = std::getenv("SFS_SIMULATED_FREE_MEMORY");
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    char* end = nullptr;
    const double number = std::strtod(value, &end);
    double unit = 1;
    switch (*end) {
    case 'K':
    case 'k':
        unit = 1024.0;
        ++end;
        break;
    case 'M':
    case 'm':
        unit = 1024.0 * 1024;
        ++end;
        break;
    case 'G':
    case 'g':
        unit = 1024.0 * 1024 * 1024;
        ++end;
        break;
    default:
        break;
    }
    if (end == value || *end != '\0' || !(number > 0)) {
        return std::nullopt;
    }
    return static_cast<uint64_t>(number * unit);
}

} // namespace

uint64_t freeMemoryBytes(const DeviceName& device) {
    if (const std::optional<uint64_t> simulated = simulatedFreeMemory()) {
        return *simulated;
    }
    if (device.kind == DeviceKind::Cuda) {
        return cudaFreeMemoryBytes(device.index);
    }
    // MemAvailable: what the kernel can give without swapping (free pages plus reclaimable
    // caches), the honest "free" of a Linux machine; MemFree alone ignores the page cache.
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);) {
        if (line.rfind("MemAvailable:", 0) == 0) {
            std::istringstream fields(line.substr(13));
            uint64_t kib = 0;
            fields >> kib;
            return kib * 1024;
        }
    }
    return 0;
}

namespace {

MemoryEstimate estimateOn(const ModelSet& models, const GenerationRequest& request,
                          Precision precision, bool textOnDevice) {
    return estimateMemory(models, withPlannedAttention(request), precision, textOnDevice);
}

std::string windowText(int64_t window, int64_t sink) {
    return "a rolling window of " + std::to_string(window) + " latent frames (sink " +
           std::to_string(sink) + ")";
}

} // namespace

MemoryCheck checkMemory(const ModelSet& models, const GenerationRequest& request,
                        const RuntimeInfo& machine, uint64_t availableBytes) {
    const Placement dit = choosePlacement(ComputeRole::Dit, request.device, machine);
    const Placement text = choosePlacement(ComputeRole::TextEncoder, request.device, machine);
    MemoryCheck check;
    check.device = dit.device;
    check.precision = dit.precision;
    check.textEncoderOnDevice = text.device == dit.device;
    check.available = availableBytes;
    if (dit.device.kind == DeviceKind::Cuda) {
        const auto i = static_cast<size_t>(dit.device.index);
        check.deviceLabel =
            dit.device.text() + (i < machine.gpus.size() ? " (" + machine.gpus[i].name + ")" : "");
    } else {
        check.deviceLabel = "the CPU";
    }
    check.need = estimateOn(models, request, dit.precision, check.textEncoderOnDevice);
    if (check.fits()) {
        return check;
    }

    const GenerationRequest planned = withPlannedAttention(request);
    std::vector<MemorySuggestion> candidates;
    const auto candidate = [&](MemorySuggestion s, const GenerationRequest& changed,
                               Precision precision, bool textOnDevice) {
        s.windowLatentFrames = changed.windowLatentFrames;
        s.sinkLatentFrames = changed.sinkLatentFrames;
        s.finalDecoder = changed.finalDecoder;
        s.previewDecoder = changed.previewDecoder;
        s.textEncoderOnCpu = !textOnDevice && check.textEncoderOnDevice;
        s.precision = precision;
        s.need = estimateOn(models, changed, precision, textOnDevice);
        return s;
    };
    // The largest window that fits: the window trades context for memory, so keep what fits.
    const int64_t latentFrames = chunksOf(request) * frame_grid::kLatentFramesPerChunk;
    const int64_t current =
        planned.windowLatentFrames == -1 ? latentFrames : planned.windowLatentFrames;
    const int64_t sink = planned.windowLatentFrames == -1 ? 0 : planned.sinkLatentFrames;
    std::optional<MemorySuggestion> window;
    for (int64_t w = current - frame_grid::kLatentFramesPerChunk;
         w >= sink + frame_grid::kLatentFramesPerChunk; w -= frame_grid::kLatentFramesPerChunk) {
        GenerationRequest changed = request;
        changed.windowLatentFrames = w;
        changed.sinkLatentFrames = sink;
        MemorySuggestion s{MemorySuggestion::Change::SmallerWindow, windowText(w, sink)};
        s = candidate(s, changed, check.precision, check.textEncoderOnDevice);
        window = s;
        if (s.need.total() <= availableBytes) {
            break;
        }
    }
    if (window) {
        candidates.push_back(*window);
    }
    if (models.taehv && request.finalDecoder != "taehv") {
        GenerationRequest changed = request;
        changed.finalDecoder = "taehv";
        changed.previewDecoder.clear();
        candidates.push_back(candidate({MemorySuggestion::Change::TaehvDecoder,
                                        "TAEHV as the decoder (a fast preview quality; decode "
                                        "the final video with the Wan VAE later)"},
                                       changed, check.precision, check.textEncoderOnDevice));
    }
    if (check.textEncoderOnDevice && check.device.kind != DeviceKind::Cpu) {
        candidates.push_back(
            candidate({MemorySuggestion::Change::TextEncoderOnCpu, "the text encoder on the CPU"},
                      request, check.precision, false));
    }
    if (check.precision == Precision::Float32) {
        candidates.push_back(candidate({MemorySuggestion::Change::LowerPrecision,
                                        "bfloat16 instead of float32 (half the weights and "
                                        "caches)"},
                                       request, Precision::BFloat16, check.textEncoderOnDevice));
    }
    for (const MemorySuggestion& s : candidates) {
        if (s.need.total() <= availableBytes) {
            check.suggestions.push_back(s);
        }
    }
    if (check.suggestions.empty() && !candidates.empty()) {
        // No single change is enough: all of them together, if that fits.
        GenerationRequest all = request;
        Precision precision = check.precision;
        bool textOnDevice = check.textEncoderOnDevice;
        std::string description;
        for (const MemorySuggestion& s : candidates) {
            all.windowLatentFrames = s.change == MemorySuggestion::Change::SmallerWindow
                                         ? s.windowLatentFrames
                                         : all.windowLatentFrames;
            all.sinkLatentFrames = s.change == MemorySuggestion::Change::SmallerWindow
                                       ? s.sinkLatentFrames
                                       : all.sinkLatentFrames;
            if (s.change == MemorySuggestion::Change::TaehvDecoder) {
                all.finalDecoder = "taehv";
                all.previewDecoder.clear();
            }
            textOnDevice = textOnDevice && !s.textEncoderOnCpu;
            if (s.change == MemorySuggestion::Change::LowerPrecision) {
                precision = s.precision;
            }
            description += (description.empty() ? "" : " + ") + s.description;
        }
        MemorySuggestion combined =
            candidate({MemorySuggestion::Change::Combined, "all together: " + description}, all,
                      precision, textOnDevice);
        if (combined.need.total() <= availableBytes) {
            check.suggestions.push_back(combined);
        }
    }
    return check;
}

std::string MemoryCheck::report() const {
    std::ostringstream out;
    out << "memory estimate: " << need.describe() << "\n"
        << "  DiT on " << deviceLabel << " in " << precisionName(precision)
        << (textEncoderOnDevice ? ", text encoder on the same device (freed after encoding)"
                                : ", text encoder on another device (not counted)")
        << "\n"
        << "  free on " << deviceLabel << ": "
        << (available == 0 ? std::string("unknown") : formatBytes(available)) << "\n";
    if (fits()) {
        out << "fits" << (available == 0 ? " (free memory unknown: not checked)" : "") << "\n";
        return out.str();
    }
    out << "DOES NOT FIT: " << formatBytes(shortBy()) << " short\n";
    if (suggestions.empty()) {
        out << "  no setting change fits; use a smaller size, fewer frames or another device\n";
    }
    for (const MemorySuggestion& s : suggestions) {
        out << "  would fit: " << s.description << " -> " << formatBytes(s.need.total()) << "\n";
    }
    return out.str();
}

} // namespace sfs::inference
