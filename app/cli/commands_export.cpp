// `sfstudio-cli export`: re-encode a take of a project, or a folder of frames, to MP4/MOV or an
// image sequence, and
// `sfstudio-cli bench export`: encode throughput against the ffmpeg command-line tool (the
// benchmark itself lives beside the writers, in core/media/export_benchmark.cpp).

#include "commands.h"
#include "sfs/build_config.h"
#include "stop_signals.h"

#if SFS_WITH_MEDIA

#include "sfs/core/media/encoders.h"
#include "sfs/core/media/export_benchmark.h"
#include "sfs/core/media/export_job.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/media/test_pattern.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/render/take_export.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <optional>
#include <ostream>

namespace sfs::cli {

namespace {

using core::FrameRate;

std::string text(const QString& s) {
    return s.toStdString();
}

// "640x360", "640x0" (height from the aspect), "0x360".
QSize parseSize(const std::string& value) {
    const QString v = QString::fromStdString(value).toLower();
    const QStringList parts = v.split(QLatin1Char('x'));
    bool okW = false;
    bool okH = false;
    const int w = parts.size() == 2 ? parts[0].toInt(&okW) : 0;
    const int h = parts.size() == 2 ? parts[1].toInt(&okH) : 0;
    if (!okW || !okH || w < 0 || h < 0 || (w == 0 && h == 0)) {
        throw UsageError("option --size expects WIDTHxHEIGHT (e.g. 640x360, or 640x0 to keep "
                         "the aspect), got '" +
                         value + "'");
    }
    return {w, h};
}

FrameRate parseRate(const CommandLine& cmd) {
    const FrameRate rate = FrameRate::parse(QString::fromStdString(cmd.str("fps")));
    if (!rate.isValid()) {
        throw UsageError("option --fps expects a rate such as 16, 24000/1001 or 29.97, got '" +
                         cmd.str("fps") + "'");
    }
    return rate;
}

void printEncoders(std::ostream& out) {
    out << "Video encoders in this build (FFmpeg):\n";
    for (const core::VideoEncoderInfo& e : core::availableVideoEncoders()) {
        out << "  " << text(e.name) << std::string(e.name.size() < 12 ? 12 - e.name.size() : 1, ' ')
            << text(e.label) << "; " << text(e.pixelFormat) << "; ."
            << text(e.containers.join(QStringLiteral(", .")));
        if (e.hasCrf) {
            out << "; CRF " << e.minCrf << "-" << e.maxCrf << " (default " << e.defaultCrf << ")";
        }
        out << "; presets " << text(e.presets.join(QStringLiteral(" "))) << " (default "
            << text(e.defaultPreset) << ")\n";
    }
    out << "Image sequences (OpenImageIO): png8 png16 tiff8 tiff16 exr jpeg\n";
}

// The image format a sequence was written in: the chosen one, else the extension's.
core::ImageFormat writtenFormat(core::ImageFormat chosen, const QString& pattern) {
    bool ok = false;
    return chosen != core::ImageFormat::Auto
               ? chosen
               : core::parseImageFormat(QFileInfo(pattern).suffix(), &ok);
}

// OUTPUT as a writer path: a video file, a pattern, or a folder that gets --pattern.
QString outputPath(const std::string& output, const CommandLine& cmd) {
    const QString out = QString::fromStdString(output);
    if (core::isVideoPath(out)) {
        return out;
    }
    const QFileInfo info(out);
    const bool isFolder = info.isDir() || out.endsWith(QLatin1Char('/')) ||
                          (info.suffix().isEmpty() && !out.contains(QLatin1Char('%')) &&
                           !out.contains(QLatin1Char('#')));
    if (!isFolder) {
        return out;
    }
    QString pattern = QString::fromStdString(cmd.str("pattern"));
    bool known = false;
    const core::ImageFormat format =
        core::parseImageFormat(QString::fromStdString(cmd.str("format")), &known);
    if (!cmd.has("pattern") && known) {
        // The default pattern takes the extension of the chosen format.
        pattern = QFileInfo(pattern).completeBaseName() + QLatin1Char('.') +
                  core::imageFormatExtension(format);
    }
    return QDir(out).filePath(pattern);
}

int runExport(const CommandLine& cmd, Context& ctx) {
    if (cmd.flag("list-encoders")) {
        printEncoders(ctx.out);
        return 0;
    }
    if (cmd.positional().size() != 2) {
        throw UsageError("expects INPUT (a project file or a folder of frames) and OUTPUT (a "
                         ".mp4/.mov file, a pattern such as out/frame_%04d.png, or a folder)");
    }
    const QString input = QString::fromStdString(cmd.positional()[0]);
    const bool fromProject = QFileInfo(input).suffix() == QLatin1String(core::kProjectSuffix) ||
                             QFileInfo(input).isFile();
    if (!fromProject && (cmd.has("take") || cmd.flag("no-provenance"))) {
        throw UsageError("--take and --no-provenance apply to a project, not a folder of frames");
    }
    if (fromProject && cmd.has("provenance")) {
        throw UsageError("--provenance applies to a folder of frames: a take's export carries "
                         "its project");
    }
    const QString output = outputPath(cmd.positional()[1], cmd);
    const FrameRate rate = parseRate(cmd);
    const core::FrameRange range{cmd.integer("in"), cmd.integer("out")};

    core::WriterOptions common;
    if (cmd.has("size")) {
        common.size = parseSize(cmd.str("size"));
    }
    common.keepAspect = !cmd.flag("stretch");
    common.onCancel =
        cmd.flag("keep-partial") ? core::PartialOutput::Keep : core::PartialOutput::Remove;
    if (cmd.has("provenance")) {
        QFile file(QString::fromStdString(cmd.str("provenance")));
        if (!file.open(QIODevice::ReadOnly)) {
            ctx.err << "sfstudio-cli export: " << cmd.str("provenance") << ": cannot be read ("
                    << text(file.errorString()) << ")\n";
            return 1;
        }
        common.provenanceJson = file.readAll();
    }

    core::VideoOptions video;
    static_cast<core::WriterOptions&>(video) = common;
    video.encoder = QString::fromStdString(cmd.str("codec"));
    video.crf = cmd.integer("crf");
    video.preset = QString::fromStdString(cmd.str("preset"));
    if (cmd.has("title")) {
        video.metadata.append({QStringLiteral("title"), QString::fromStdString(cmd.str("title"))});
    }
    if (cmd.has("comment")) {
        video.metadata.append(
            {QStringLiteral("comment"), QString::fromStdString(cmd.str("comment"))});
    }

    core::ImageSequenceOptions sequence;
    static_cast<core::WriterOptions&>(sequence) = common;
    if (cmd.has("format")) {
        bool ok = false;
        sequence.format = core::parseImageFormat(QString::fromStdString(cmd.str("format")), &ok);
        if (!ok) {
            throw UsageError("option --format expects png8, png16, tiff8, tiff16, exr or jpeg, "
                             "got '" +
                             cmd.str("format") + "'");
        }
    }
    sequence.jpegQuality = cmd.integer("quality");
    sequence.firstNumber = cmd.has("start-number") ? cmd.integer("start-number") : range.first;

    // Ctrl-C stops the export cleanly: the partial output is kept or removed (--keep-partial).
    // The handlers are ours until the export is over (returns and exceptions alike).
    std::optional<ScopedStopSignals> stopSignals(std::in_place);
    const auto keepGoing = [](int, int) { return !ScopedStopSignals::stopRequested(); };
    QElapsedTimer timer;
    timer.start();
    core::ExportResult result;
    QStringList notices;
    QString takeId;
    if (fromProject) {
        // A take of a project: its stored frames, with the project as provenance.
        core::LoadedProject loaded;
        core::FileError loadError;
        core::LoadOptions load;
        load.assets = core::AssetCheck::Exists;
        if (!core::loadProject(input, load, loaded, loadError)) {
            ctx.err << "sfstudio-cli export: " << text(loadError.toString()) << "\n";
            return 1;
        }
        core::TakeExportRequest request;
        request.takeId = QString::fromStdString(cmd.str("take"));
        request.output = output;
        request.video = video;
        request.sequence = sequence;
        request.range = range;
        request.rate = rate;
        request.withProvenance = !cmd.flag("no-provenance");
        const core::TakeExportResult taken = core::exportTake(
            loaded.project, QFileInfo(input).absoluteFilePath(),
            core::assetsDirFor(QFileInfo(input).absoluteFilePath()), request, keepGoing);
        result = taken;
        notices = taken.notices;
        takeId = taken.takeId;
        // Problems with the take name the project; the writers' name the output already.
        if (!result.ok && !result.error.contains(output)) {
            result.error = QStringLiteral("%1: %2").arg(input, result.error);
        }
    } else {
        core::ImageFolderSource source;
        QString error;
        if (!source.open(input, &error)) {
            ctx.err << "sfstudio-cli export: " << text(error) << "\n";
            return 1;
        }
        auto writer = core::createWriter(output, video, sequence);
        result = core::exportFrames(source, *writer, range, rate, keepGoing);
        notices = writer->notices();
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    stopSignals.reset(); // Ctrl-C from here on ends the process as usual

    for (const QString& notice : notices) {
        ctx.err << "note: " << text(notice) << "\n";
    }
    if (!result.ok) {
        ctx.err << "sfstudio-cli export: " << text(result.error) << "\n";
        return 1;
    }
    if (result.cancelled) {
        const bool kept = common.onCancel == core::PartialOutput::Keep && result.framesWritten > 0;
        ctx.err << "Stopped after " << result.framesWritten << " frames: "
                << (kept ? "kept them in " + text(output) : std::string("nothing was written"))
                << "\n";
        return 1;
    }
    const QString what =
        core::isVideoPath(output)
            ? core::describeEncoderSettings(core::findVideoEncoder(video.encoder).value(),
                                            video.crf, video.preset)
            : core::imageFormatName(writtenFormat(sequence.format, output)) +
                  QStringLiteral(" images");
    char timing[96];
    std::snprintf(timing, sizeof timing, " in %.2f s (%.1f frames/s)", seconds,
                  seconds > 0 ? result.framesWritten / seconds : 0.0);
    ctx.out << "Wrote " << result.framesWritten << " frames ";
    if (!takeId.isEmpty()) {
        ctx.out << "of take " << text(takeId) << " ";
    }
    ctx.out << "(" << text(what) << ", " << text(rate.toString()) << " fps) to " << text(output)
            << timing << "\n";
    return 0;
}

int runBenchExport(const CommandLine& cmd, Context& ctx) {
    core::ExportBenchmarkOptions options;
    options.size = parseSize(cmd.str("size"));
    if (options.size.width() <= 0 || options.size.height() <= 0) {
        throw UsageError("option --size needs both sides for the benchmark");
    }
    options.frames = cmd.integer("frames");
    options.repeats = cmd.integer("repeat");
    if (options.frames < 1 || options.repeats < 1) {
        throw UsageError("--frames and --repeat must be at least 1");
    }
    options.rate = parseRate(cmd);
    options.video.encoder = QString::fromStdString(cmd.str("codec"));
    options.video.crf = cmd.integer("crf");
    options.video.preset = QString::fromStdString(cmd.str("preset"));
    options.compareWithFfmpegTool = !cmd.flag("no-ffmpeg");
    QString error;
    if (!core::runExportBenchmark(
            options, [&ctx](const QString& line) { ctx.out << text(line) << "\n"; }, &error)) {
        ctx.err << "sfstudio-cli bench export: " << text(error) << "\n";
        return 1;
    }
    return 0;
}

} // namespace

void registerExportCommands(Registry& registry) {
    registry.push_back(Command{
        "export",
        "Encode a project's take, or a folder of frames, to MP4/MOV or an image sequence "
        "(PNG, TIFF, EXR, JPEG)",
        "INPUT OUTPUT",
        {{"take", "ID", "with a project: the take to export (default: the newest)", ""},
         {"no-provenance", "", "with a project: do not embed the project in the export", ""},
         {"codec", "NAME", "video encoder (see --list-encoders)", "libx264"},
         {"crf", "N", "constant quality, lower is better (-1: the encoder's default)", "-1"},
         {"preset", "NAME", "encoder speed preset or ProRes profile (empty: the default)", ""},
         {"fps", "RATE", "frame rate: 16, 24, 24000/1001, 29.97, …", "16"},
         {"in", "N", "first frame to export (0-based; a folder's frames in name order)", "0"},
         {"out", "N", "last frame to export (-1: the last one)", "-1"},
         {"size", "WxH", "scale to fit WxH keeping the aspect (640x0: height from the aspect)", ""},
         {"stretch", "", "with --size: stretch to exactly WxH", ""},
         {"format", "NAME", "image format: png8 png16 tiff8 tiff16 exr jpeg (default: extension)",
          ""},
         {"quality", "N", "JPEG quality 1-100", "95"},
         {"pattern", "NAME", "file names when OUTPUT is a folder", "frame_%04d.png"},
         {"start-number", "N", "number of the first image file (default: --in)", ""},
         {"title", "TEXT", "video title metadata", ""},
         {"comment", "TEXT", "video comment metadata", ""},
         {"provenance", "FILE", "JSON object to embed (video metadata or sequence sidecar)", ""},
         {"keep-partial", "", "when stopped (Ctrl-C), keep the frames written so far", ""},
         {"list-encoders", "", "list the encoders and image formats this build can write", ""}},
        runExport});
    registry.push_back(
        Command{"bench export",
                "Measure MP4 encode throughput, and the ffmpeg tool's with the same settings",
                "",
                {{"size", "WxH", "frame size", "832x480"},
                 {"frames", "N", "frames per run", "160"},
                 {"repeat", "N", "runs of each (the median counts)", "3"},
                 {"fps", "RATE", "frame rate", "16"},
                 {"codec", "NAME", "video encoder", "libx264"},
                 {"crf", "N", "constant quality (-1: the encoder's default)", "-1"},
                 {"preset", "NAME", "encoder preset (empty: the default)", ""},
                 {"no-ffmpeg", "", "skip the ffmpeg command-line comparison", ""}},
                runBenchExport});
}

} // namespace sfs::cli

#else // no media in this build: the export commands are absent

namespace sfs::cli {
void registerExportCommands(Registry&) {}
} // namespace sfs::cli

#endif
