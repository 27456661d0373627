// `sfstudio-cli render PROJECT [-o OUT]`: generate a take of a project (the render job,
// sfs/core/render/render_job.h), saved into the project and optionally written straight to a
// clip or an image sequence while it is generated.

#include "commands.h"
#include "keyframe_report.h"
#include "render_command.h"
#include "sfs/build_config.h"
#include "stop_signals.h"

#if SFS_WITH_MEDIA

#include "sfs/core/media/export_job.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/render/provenance.h"
#include "sfs/core/render/render_job.h"
#include "sfs/core/render/take_recorder.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/model_set.h"
#include "sfs/inference/runtime_info.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>
#include <mutex>
#include <optional>
#include <ostream>
#include <unistd.h>

namespace sfs::cli {

QString renderOutputPath(const QString& out, core::ImageFormat format, bool formatKnown) {
    if (core::isVideoPath(out) || out.contains(QLatin1Char('%')) ||
        out.contains(QLatin1Char('#'))) {
        return out;
    }
    const QString extension =
        formatKnown ? core::imageFormatExtension(format) : QStringLiteral("png");
    return QDir(out).filePath(QStringLiteral("frame_%04d.") + extension);
}

namespace {

std::string text(const QString& s) {
    return s.toStdString();
}

std::string duration(double seconds) {
    char buffer[32];
    const int s = static_cast<int>(seconds + 0.5);
    if (s >= 3600) {
        std::snprintf(buffer, sizeof buffer, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    } else {
        std::snprintf(buffer, sizeof buffer, "%d:%02d", s / 60, s % 60);
    }
    return buffer;
}

// Progress on stderr: a bar redrawn in place on a terminal, one line per chunk otherwise.
class ProgressPrinter {
public:
    explicit ProgressPrinter(std::ostream& err) : m_err(err), m_terminal(isatty(STDERR_FILENO)) {}

    void stage(inference::Stage stage) {
        std::lock_guard lock(m_mutex);
        if (stage == inference::Stage::Done) {
            return;
        }
        endBar();
        m_err << inference::stageName(stage) << "…\n";
    }
    void progress(const inference::GenerationProgress& p) {
        std::lock_guard lock(m_mutex);
        char numbers[160];
        std::snprintf(numbers, sizeof numbers,
                      "chunk %lld/%lld, frames %lld/%lld, %.2f frames/s, ETA %s",
                      static_cast<long long>(p.chunksDone), static_cast<long long>(p.chunksTotal),
                      static_cast<long long>(p.framesDone), static_cast<long long>(p.framesTotal),
                      p.framesPerSecond, duration(p.etaSeconds).c_str());
        if (!m_terminal) {
            m_err << numbers << "\n";
            return;
        }
        constexpr int kWidth = 30;
        const int filled = p.chunksTotal > 0 ? int(kWidth * p.chunksDone / p.chunksTotal) : 0;
        m_err << "\r[" << std::string(size_t(filled), '#')
              << std::string(size_t(kWidth - filled), '-') << "] " << numbers << "\x1b[K"
              << std::flush;
        m_barOpen = true;
    }
    void line(const std::string& message) {
        std::lock_guard lock(m_mutex);
        endBar();
        m_err << message << "\n";
    }
    void finish() {
        std::lock_guard lock(m_mutex);
        endBar();
    }

private:
    void endBar() {
        if (m_barOpen) {
            m_err << "\n";
            m_barOpen = false;
        }
    }
    std::ostream& m_err;
    const bool m_terminal;
    bool m_barOpen = false;
    std::mutex m_mutex;
};

// --keyframe-report: the table, or a line saying there is nothing to report.
void printKeyframeReport(std::ostream& out, const core::RenderResult& result) {
    if (result.keyframes.empty()) {
        out << "Keyframe report: no keyframe in the generated chunks.\n";
        return;
    }
    out << "Keyframe report:\n" << formatKeyframeReport(result.keyframes);
}

// --dry-run: the plan and its memory against the device, nothing generated or written (the
// built-in demo model's files may be written into the user cache, as any use of it does). Exit
// status 1 when it does not fit.
int printDryRun(const RenderJob& job, const core::RenderPlan& plan, Context& ctx) {
    const inference::GenerationRequest& r = plan.request;
    inference::ModelSet models;
    try {
        models = inference::resolveModelSet(r.model);
    } catch (const std::exception& e) {
        ctx.err << "sfstudio-cli render: " << e.what() << "\n";
        return 1;
    }
    const uint64_t assumed = job.assumeFreeMemory;
    const inference::RuntimeInfo machine = inference::queryRuntime();
    inference::GenerationRequest planned;
    inference::MemoryCheck check;
    try {
        planned = inference::withPlannedAttention(r);
        const inference::Placement dit =
            inference::choosePlacement(inference::ComputeRole::Dit, r.device, machine);
        const uint64_t available = assumed > 0 ? assumed : inference::freeMemoryBytes(dit.device);
        check = inference::checkMemory(models, r, machine, available);
    } catch (const inference::DeviceUnavailable& e) {
        ctx.err << "sfstudio-cli render: " << e.what() << "\n";
        return 1;
    } catch (const inference::RequestError& e) {
        ctx.err << "sfstudio-cli render: " << e.what() << "\n";
        return 1;
    }
    ctx.out << "Dry run (nothing generated, nothing written): model " << r.model
            << (models.demo ? " (built-in demo, untrained)" : "") << ", " << r.width << "x"
            << r.height << ", " << r.frames << " frames (" << inference::chunksOf(r)
            << " chunks), window "
            << (planned.windowLatentFrames == -1
                    ? std::string("full context")
                    : std::to_string(planned.windowLatentFrames) + " latent frames (sink " +
                          std::to_string(planned.sinkLatentFrames) + ")")
            << ", decoder " << r.finalDecoder
            << (r.previewDecoder.empty() ? "" : " (preview " + r.previewDecoder + ")")
            << ", device " << r.device.device.text() << "\n"
            << check.report()
            << (assumed > 0 ? "(free memory as given by --assume-free-memory)\n" : "");
    return check.fits() ? 0 : 1;
}

core::RenderOverrides overridesFrom(const CommandLine& cmd) {
    core::RenderOverrides o;
    if (cmd.has("model")) {
        o.model = QString::fromStdString(cmd.str("model"));
    }
    if (cmd.has("seed")) {
        bool ok = false;
        const qint64 seed = QString::fromStdString(cmd.str("seed")).toLongLong(&ok);
        if (!ok || seed < 0 || seed > core::RenderSettings::kMaxSeed) {
            throw UsageError("option --seed expects an integer from 0 to 2^53 - 1, got '" +
                             cmd.str("seed") + "'");
        }
        o.seed = seed;
    }
    if (cmd.has("frames")) {
        o.frames = cmd.integer("frames");
    }
    if (cmd.has("decoder")) {
        o.decoder = core::decoderFromString(QString::fromStdString(cmd.str("decoder")));
        if (!o.decoder) {
            throw UsageError("option --decoder expects wan-vae or taehv, got '" +
                             cmd.str("decoder") + "'");
        }
    }
    if (cmd.has("device")) {
        if (const std::string problem = inference::deviceNameProblem(cmd.str("device"));
            !problem.empty()) {
            throw UsageError("option --device: " + problem);
        }
        o.device = QString::fromStdString(cmd.str("device"));
    }
    if (cmd.has("precision")) {
        if (!inference::tryParsePrecision(cmd.str("precision"))) {
            throw UsageError(std::string("option --precision expects one of ") +
                             inference::kPrecisionChoices + ", got '" + cmd.str("precision") + "'");
        }
        o.precision = QString::fromStdString(cmd.str("precision"));
    }
    if (cmd.has("text-encoder")) {
        if (!inference::tryParseTextEncoderDevice(cmd.str("text-encoder"))) {
            throw UsageError(std::string("option --text-encoder expects one of ") +
                             inference::kTextEncoderDeviceChoices + ", got '" +
                             cmd.str("text-encoder") + "'");
        }
        o.textEncoderDevice = QString::fromStdString(cmd.str("text-encoder"));
    }
    if (cmd.has("lora")) {
        o.loras.emplace();
        for (const std::string& value : cmd.all("lora")) {
            if (value == "none") {
                continue; // renders without the project's LoRAs
            }
            try {
                const inference::LoraChoice choice = inference::parseLoraChoice(value);
                o.loras->push_back({QString::fromStdString(choice.path), choice.strength});
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("option --lora: ") + e.what());
            }
        }
    }
    if (cmd.has("start")) {
        o.start = core::startModeFromString(QString::fromStdString(cmd.str("start")));
        if (!o.start) {
            throw UsageError("option --start expects land or context, got '" + cmd.str("start") +
                             "'");
        }
    }
    if (cmd.flag("vace")) {
        o.keyframeVace = true;
    }
    const auto scaleOption = [&](const char* name) {
        bool ok = false;
        const double v = QString::fromStdString(cmd.str(name)).toDouble(&ok);
        if (!ok || !(v >= 0.0 && v <= 2.0)) {
            throw UsageError(std::string("option --") + name +
                             " expects a number from 0 to 2, got '" + cmd.str(name) + "'");
        }
        return v;
    };
    if (cmd.has("vace-scale")) {
        o.vaceScale = scaleOption("vace-scale");
    }
    if (cmd.has("reference")) {
        o.referenceImage = QString::fromStdString(cmd.str("reference"));
    }
    if (cmd.has("reference-scale")) {
        o.referenceScale = scaleOption("reference-scale");
    }
    if (cmd.has("take") != cmd.has("from-chunk")) {
        throw UsageError("--take ID and --from-chunk K go together (regenerate take ID from "
                         "chunk K into a new take)");
    }
    if (cmd.has("take")) {
        o.fromTake = QString::fromStdString(cmd.str("take"));
        o.fromChunk = cmd.integer("from-chunk");
    }
    if (cmd.has("size")) {
        const auto [width, height] = cmd.size("size");
        for (const int pixels : {width, height}) {
            if (const QString problem = core::rules::checkSize(pixels); !problem.isEmpty()) {
                throw UsageError("option --size: " + text(problem));
            }
        }
        o.width = width;
        o.height = height;
    }
    return o;
}

int runRender(const CommandLine& cmd, Context& ctx) {
    if (cmd.positional().size() != 1) {
        throw UsageError("expects one PROJECT file (and -o OUT for a clip or an image sequence)");
    }
    RenderJob job;
    job.overrides = overridesFrom(cmd);
    bool formatKnown = false;
    if (cmd.has("format")) {
        job.sequence.format =
            core::parseImageFormat(QString::fromStdString(cmd.str("format")), &formatKnown);
        if (!formatKnown) {
            throw UsageError(
                "option --format expects png, png16, tiff, tiff16, exr or jpeg, got '" +
                cmd.str("format") + "'");
        }
    }
    if (cmd.has("assume-free-memory")) {
        const double mib = cmd.number("assume-free-memory");
        if (!(mib > 0)) {
            throw UsageError("--assume-free-memory expects a positive number of MiB");
        }
        job.assumeFreeMemory = static_cast<uint64_t>(mib * (1 << 20));
    }
    job.threads = int(cmd.integer("threads"));
    job.cudaGraphs = cmd.flag("cuda-graphs");
    job.project = QFileInfo(QString::fromStdString(cmd.positional()[0])).absoluteFilePath();
    if (cmd.has("output")) {
        job.output = renderOutputPath(QString::fromStdString(cmd.str("output")),
                                      job.sequence.format, formatKnown);
    }
    job.latentsFile = QString::fromStdString(cmd.str("latents"));
    job.saveProject = !cmd.flag("no-save");
    job.keyframeReport = cmd.flag("keyframe-report");
    job.dryRun = cmd.flag("dry-run");
    return runRenderJob(job, ctx);
}

} // namespace

int runRenderJob(const RenderJob& job, Context& ctx) {
    const std::string name = "sfstudio-cli " + job.command + ": ";
    inference::setCpuThreads(job.threads);
    const QString& projectPath = job.project;
    const QString assets = core::assetsDirFor(projectPath);

    core::LoadedProject loaded;
    core::FileError loadError;
    if (!core::loadProject(projectPath, core::LoadOptions{core::AssetCheck::Exists}, loaded,
                           loadError)) {
        ctx.err << name << text(loadError.toString()) << "\n";
        return 1;
    }
    for (const QString& warning : loaded.warnings) {
        ctx.err << "warning: " << text(warning) << "\n";
    }
    core::RenderPlan plan;
    try {
        plan = core::planRender(loaded.project, job.overrides, assets);
        inference::validateRequest(plan.request);
    } catch (const core::RenderSetupError& e) {
        std::string problem = e.what();
        if (problem.rfind("--", 0) == 0) {
            if (job.overridesAreOptions) {
                throw UsageError(problem); // an option's value: usage
            }
            problem.erase(0, 2); // a setting of the job's own ("frames: …")
        }
        ctx.err << name << text(projectPath) << ": " << problem << "\n";
        return 1;
    } catch (const inference::RequestError& e) {
        ctx.err << name << text(projectPath) << ": " << e.what() << "\n";
        return 1;
    }

    ProgressPrinter printer(ctx.err);
    for (const QString& warning : plan.warnings) {
        printer.line("warning: " + text(warning));
    }
    if (job.dryRun) {
        return printDryRun(job, plan, ctx);
    }

    auto ledger =
        std::make_unique<core::ProjectFileTakeLedger>(projectPath, loaded.project, job.saveProject);
    // The take's id is chosen now, so that the clip can carry its provenance from the start.
    plan.take.id = ledger->newTakeId();

    std::unique_ptr<core::QueuedFrameWriter> exporter;
    const QString& output = job.output;
    if (!output.isEmpty()) {
        core::ImageSequenceOptions sequence = job.sequence;
        core::VideoOptions video;
        // Like an exported take, the clip carries the project it came from (as planned: the
        // take's settings, complete).
        core::Take planned;
        planned.id = plan.take.id;
        planned.created = QDateTime::currentDateTimeUtc();
        planned.settings = plan.take.settings;
        planned.durationFrames = plan.take.durationFrames;
        planned.chunksCompleted = planned.chunksPlanned();
        QStringList notices;
        video.provenanceJson =
            QJsonDocument(core::makeTakeProvenance(loaded.project, planned, projectPath, assets, 0,
                                                   planned.durationFrames - 1, core::FrameRate{},
                                                   &notices))
                .toJson(QJsonDocument::Compact);
        sequence.provenanceJson = video.provenanceJson;
        for (const QString& notice : notices) {
            printer.line("note: " + text(notice));
        }
        // Ctrl-C keeps the whole chunks written so far, as the take does (unless the job says
        // a partial output is worth nothing: a batch item).
        const core::PartialOutput onStop =
            job.keepPartialOutput ? core::PartialOutput::Keep : core::PartialOutput::Remove;
        video.onCancel = onStop;
        sequence.onCancel = onStop;
        exporter = core::createWriter(output, video, sequence);
    }
    core::RenderOutputs outputs;
    outputs.exporter = exporter.get();
    outputs.latentsFile = job.latentsFile;

    core::TakeRecorder recorder(std::move(ledger),
                                job.takeFolder.isEmpty() ? assets : job.takeFolder);
    core::RenderCallbacks callbacks;
    callbacks.stage = [&](inference::Stage s) { printer.stage(s); };
    callbacks.progress = [&](const inference::GenerationProgress& p) { printer.progress(p); };
    callbacks.warning = [&](const QString& w) { printer.line("warning: " + text(w)); };

    inference::EngineOptions engineOptions;
    engineOptions.cudaGraphs = job.cudaGraphs;
    inference::Engine engine(engineOptions);
    core::RenderResult result;
    {
        // Ctrl-C stops at the next denoising step: the take keeps its whole chunks.
        ScopedStopSignals stopSignals;
        result = core::runRender(engine, plan, recorder, outputs, callbacks,
                                 [] { return ScopedStopSignals::stopRequested(); });
    }
    printer.finish();
    if (exporter) {
        for (const QString& notice : exporter->notices()) {
            ctx.err << "note: " << text(notice) << "\n";
        }
    }
    if (!result.ok) {
        ctx.err << name << text(result.error) << "\n";
        if (!result.takeId.isEmpty() && recorder.take().status == core::TakeStatus::Complete) {
            // Only an output failed (the clip or --latents at the end): the take itself is whole.
            ctx.err << "Take " << text(result.takeId) << " is complete with its "
                    << result.chunksCompleted << " chunks.\n";
        } else if (!result.takeId.isEmpty()) {
            ctx.err << "Take " << text(result.takeId) << " keeps its " << result.chunksCompleted
                    << " whole chunks (stopped).\n";
        }
        return 1;
    }
    const std::string where = job.saveProject ? "" : " (project not saved: --no-save)";
    if (result.stopped) {
        ctx.err << "Stopped";
        if (!result.takeId.isEmpty()) {
            ctx.err << ": take " << text(result.takeId) << " keeps " << result.chunksCompleted
                    << " whole chunks" << where;
        }
        if (exporter && !job.keepPartialOutput) {
            ctx.err << "; no output written";
        } else if (exporter && result.chunksCompleted > 0) {
            ctx.err << "; " << text(output) << " holds their frames";
        }
        ctx.err << "\n";
        if (job.keyframeReport) {
            printKeyframeReport(ctx.out, result);
        }
        return kExitInterrupted;
    }
    char timing[96];
    std::snprintf(timing, sizeof timing, " in %.2f s (%.2f frames/s)", result.seconds,
                  result.seconds > 0 ? result.framesWritten / result.seconds : 0.0);
    ctx.out << "Rendered take " << text(result.takeId) << ": " << result.framesWritten
            << " frames, " << result.chunksCompleted << " chunks, complete" << timing << where
            << "\n";
    if (exporter) {
        ctx.out << "Wrote " << text(job.outputShownAs.isEmpty() ? output : job.outputShownAs)
                << "\n";
    }
    if (!outputs.latentsFile.isEmpty()) {
        ctx.out << "Wrote latents to " << text(outputs.latentsFile) << "\n";
    }
    if (job.keyframeReport) {
        printKeyframeReport(ctx.out, result);
    }
    return 0;
}

void registerRenderCommands(Registry& registry) {
    registry.push_back(Command{
        "render",
        "Generate a take of a project (saved in the project; -o also writes a clip or an image "
        "sequence)",
        "PROJECT [-o OUT]",
        {{"output", "OUT", "(-o) also write the take to OUT: .mp4/.mov, or a folder of images", ""},
         {"format", "NAME", "image format when OUT is a folder: png png16 tiff tiff16 exr jpeg",
          "png"},
         {"model", "DIR", "model folder, or demo for the built-in one (default: the project's)",
          ""},
         {"seed", "N", "noise seed (default: the project's)", ""},
         {"lora", "FILE[:S]",
          "merge the LoRA FILE into the DiT with strength S (default 1); repeat for several, in "
          "order; replaces the project's LoRAs for this render (--lora none: no LoRA)",
          ""},
         {"frames", "N", "render only the first N frames, whole chunks: 9, 21, 33, …", ""},
         {"take", "ID", "with --from-chunk: regenerate take ID into a new take", ""},
         {"from-chunk", "K", "keep chunks 0 … K-1 of --take, generate from chunk K on", ""},
         {"decoder", "NAME", "final decoder: wan-vae or taehv (default: the project's)", ""},
         {"start", "MODE",
          "the keyframe at frame 0: land (generated, lands on it) or context (the take starts "
          "from its latent, the reference's image-to-video) (default: the keyframe's)",
          ""},
         {"vace", "",
          "also steer every keyframe by VACE (needs VACE weights; the demo model has them): "
          "its landing chunk as a VACE context, its approach as a reference image",
          ""},
         {"vace-scale", "S",
          "the keyframes' VACE context scale, 0 to 2 (default: the "
          "keyframe's, 1)",
          ""},
         {"reference", "IMAGE",
          "a reference image (style, identity) every chunk sees through VACE (default: the "
          "project's)",
          ""},
         {"reference-scale", "S",
          "the reference image's VACE scale, 0 to 2 (default: the "
          "project's, 0.5)",
          ""},
         {"latents", "FILE", "also write the take's latents to FILE.safetensors", ""},
         {"no-save", "", "leave the project file untouched (the take's files are still written)",
          ""},
         {"keyframe-report", "",
          std::string("print per keyframe how the take met it. Columns: ") + kKeyframeReportColumns,
          ""},
         {"size", "WxH", "video size, e.g. 416x240: multiples of 16 (default: the project's)", ""},
         {"device", "NAME", "auto, cpu, cuda or cuda:N (default: the project's)", ""},
         {"precision", "NAME",
          "auto, float32, bfloat16 or float16 (float16 on CUDA only) (default: the project's)", ""},
         {"text-encoder", "WHERE",
          "where the text encoder runs: auto, cpu, or gpu (the DiT's device, freed after "
          "encoding) (default: the project's)",
          ""},
         {"dry-run", "",
          "plan only: print the memory estimate against the device's free memory and the "
          "settings that would fit; generate and write nothing (exit 1: does not fit)",
          ""},
         {"assume-free-memory", "MIB",
          "with --dry-run: check against this much free memory instead of the device's", ""},
         {"cuda-graphs", "",
          "on a CUDA device: replay each chunk's denoising steps from a CUDA graph (LibTorch 2 "
          "builds; elsewhere ignored)",
          ""},
         {"threads", "N", "CPU threads for torch (0 = number of cores)", "0"}},
        runRender,
        {{"-o", "output"}}});
}

} // namespace sfs::cli

#else // no media in this build: no render command (its outputs and takes need media)

namespace sfs::cli {
void registerRenderCommands(Registry&) {}
} // namespace sfs::cli

#endif
