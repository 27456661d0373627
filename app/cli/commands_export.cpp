// `sfstudio-cli export`: re-encode a take of a project, or a folder of frames, to MP4/MOV or an
// image sequence, and
// `sfstudio-cli bench export`: encode throughput against the ffmpeg command-line tool.

#include "commands.h"
#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "sfs/core/media/encoders.h"
#include "sfs/core/media/export_job.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/media/test_pattern.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/render/take_export.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ostream>
#include <vector>

namespace sfs::cli {

namespace {

using core::FrameRate;

std::atomic<bool> g_stopRequested{false};

extern "C" void requestStop(int) {
    g_stopRequested = true;
}

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
    const FrameRate rate = FrameRate::parse(QString::fromStdString(cmd.value("fps")));
    if (!rate.isValid()) {
        throw UsageError("option --fps expects a rate such as 16, 24000/1001 or 29.97, got '" +
                         cmd.value("fps") + "'");
    }
    return rate;
}

QString describeQuality(const core::VideoEncoderInfo& e, int crf, const QString& preset) {
    QString out = e.name;
    if (e.hasCrf) {
        out += QStringLiteral(" CRF %1").arg(crf >= 0 ? crf : e.defaultCrf);
    }
    return out + QStringLiteral(", preset %1").arg(preset.isEmpty() ? e.defaultPreset : preset);
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
    QString pattern = QString::fromStdString(cmd.value("pattern"));
    bool known = false;
    const core::ImageFormat format =
        core::parseImageFormat(QString::fromStdString(cmd.value("format")), &known);
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
    const core::FrameRange range{cmd.intValue("in"), cmd.intValue("out")};

    core::WriterOptions common;
    if (cmd.has("size")) {
        common.size = parseSize(cmd.value("size"));
    }
    common.keepAspect = !cmd.flag("stretch");
    common.onCancel =
        cmd.flag("keep-partial") ? core::PartialOutput::Keep : core::PartialOutput::Remove;
    if (cmd.has("provenance")) {
        QFile file(QString::fromStdString(cmd.value("provenance")));
        if (!file.open(QIODevice::ReadOnly)) {
            ctx.err << "sfstudio-cli export: " << cmd.value("provenance") << ": cannot be read ("
                    << text(file.errorString()) << ")\n";
            return 1;
        }
        common.provenanceJson = file.readAll();
    }

    core::VideoOptions video;
    static_cast<core::WriterOptions&>(video) = common;
    video.encoder = QString::fromStdString(cmd.value("codec"));
    video.crf = cmd.intValue("crf");
    video.preset = QString::fromStdString(cmd.value("preset"));
    if (cmd.has("title")) {
        video.metadata.append(
            {QStringLiteral("title"), QString::fromStdString(cmd.value("title"))});
    }
    if (cmd.has("comment")) {
        video.metadata.append(
            {QStringLiteral("comment"), QString::fromStdString(cmd.value("comment"))});
    }

    core::ImageSequenceOptions sequence;
    static_cast<core::WriterOptions&>(sequence) = common;
    if (cmd.has("format")) {
        bool ok = false;
        sequence.format = core::parseImageFormat(QString::fromStdString(cmd.value("format")), &ok);
        if (!ok) {
            throw UsageError("option --format expects png8, png16, tiff8, tiff16, exr or jpeg, "
                             "got '" +
                             cmd.value("format") + "'");
        }
    }
    sequence.jpegQuality = cmd.intValue("quality");
    sequence.firstNumber = cmd.has("start-number") ? cmd.intValue("start-number") : range.first;

    // Ctrl-C stops the export cleanly: the partial output is kept or removed (--keep-partial).
    g_stopRequested = false;
    auto previousInt = std::signal(SIGINT, requestStop);
    auto previousTerm = std::signal(SIGTERM, requestStop);
    const auto keepGoing = [](int, int) { return !g_stopRequested; };
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
        request.takeId = QString::fromStdString(cmd.value("take"));
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
            std::signal(SIGINT, previousInt);
            std::signal(SIGTERM, previousTerm);
            ctx.err << "sfstudio-cli export: " << text(error) << "\n";
            return 1;
        }
        auto writer = core::createWriter(output, video, sequence);
        result = core::exportFrames(source, *writer, range, rate, keepGoing);
        notices = writer->notices();
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);

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
    const QString what = core::isVideoPath(output)
                             ? describeQuality(core::findVideoEncoder(video.encoder).value(),
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

// Median of a few timings: one slow outlier (another process, a cold cache) does not count.
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int runBenchExport(const CommandLine& cmd, Context& ctx) {
    const QSize size = parseSize(cmd.value("size"));
    if (size.width() <= 0 || size.height() <= 0) {
        throw UsageError("option --size needs both sides for the benchmark");
    }
    const int frameCount = cmd.intValue("frames");
    const int repeats = cmd.intValue("repeat");
    if (frameCount < 1 || repeats < 1) {
        throw UsageError("--frames and --repeat must be at least 1");
    }
    const FrameRate rate = parseRate(cmd);
    core::VideoOptions options;
    options.encoder = QString::fromStdString(cmd.value("codec"));
    options.crf = cmd.intValue("crf");
    options.preset = QString::fromStdString(cmd.value("preset"));
    const std::optional<core::VideoEncoderInfo> encoder = core::findVideoEncoder(options.encoder);
    if (!encoder) {
        ctx.err << "sfstudio-cli bench export: the encoder '" << text(options.encoder)
                << "' is not available (available: " << text(core::availableVideoEncoderNames())
                << ")\n";
        return 1;
    }
    const int crf = options.crf >= 0 ? options.crf : encoder->defaultCrf;
    const QString preset = options.preset.isEmpty() ? encoder->defaultPreset : options.preset;

    QTemporaryDir dir;
    if (!dir.isValid()) {
        ctx.err << "sfstudio-cli bench export: cannot make a temporary folder\n";
        return 1;
    }
    ctx.out << "Encode benchmark: " << frameCount << " frames " << size.width() << "x"
            << size.height() << " at " << text(rate.toString()) << " fps, "
            << text(describeQuality(*encoder, crf, preset)) << ", " << QThread::idealThreadCount()
            << " CPU threads\n";
    std::vector<core::Frame> frames;
    for (int i = 0; i < frameCount; ++i) {
        frames.push_back(core::makeTestPatternFrame(size.width(), size.height(), i));
    }

    // The same frames as raw RGB for the ffmpeg tool.
    const QString ffmpeg = cmd.flag("no-ffmpeg")
                               ? QString()
                               : QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    const QString raw = dir.filePath(QStringLiteral("frames.rgb"));
    QStringList ffmpegArgs;
    if (!ffmpeg.isEmpty()) {
        QFile file(raw);
        if (!file.open(QIODevice::WriteOnly)) {
            ctx.err << "sfstudio-cli bench export: cannot write " << text(raw) << "\n";
            return 1;
        }
        for (const core::Frame& f : frames) {
            file.write(reinterpret_cast<const char*>(f.constData()),
                       qint64(f.stride()) * f.height());
        }
        file.close();
        const QString gop = QString::number(std::max(1, int(std::lround(2.0 * rate.value()))));
        ffmpegArgs = {"-v",
                      "error",
                      "-y",
                      "-f",
                      "rawvideo",
                      "-pix_fmt",
                      "rgb24",
                      "-s",
                      QStringLiteral("%1x%2").arg(size.width()).arg(size.height()),
                      "-framerate",
                      rate.toString(),
                      "-i",
                      raw,
                      "-vf",
                      "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+"
                      "full_chroma_inp",
                      "-c:v",
                      encoder->name,
                      "-pix_fmt",
                      encoder->pixelFormat,
                      "-g",
                      gop,
                      "-color_primaries",
                      "bt709",
                      "-color_trc",
                      "bt709",
                      "-colorspace",
                      "bt709",
                      "-color_range",
                      "tv",
                      "-movflags",
                      "+faststart"};
        if (encoder->name == QLatin1String("libx264") ||
            encoder->name == QLatin1String("libx265")) {
            ffmpegArgs << "-preset" << preset << "-crf" << QString::number(crf);
        } else {
            ctx.out << "(the ffmpeg comparison is set up for libx264/libx265 only)\n";
            ffmpegArgs.clear();
        }
    }

    std::vector<double> ours;
    std::vector<double> theirs;
    qint64 ourBytes = 0;
    qint64 theirBytes = 0;
    for (int run = 0; run < repeats; ++run) {
        const QString ourFile = dir.filePath(QStringLiteral("sfstudio.mp4"));
        core::Mp4Writer writer(ourFile, options);
        QElapsedTimer timer;
        timer.start();
        bool ok = writer.begin({size, rate});
        for (const core::Frame& f : frames) {
            ok = ok && writer.write(f);
        }
        ok = ok && writer.finish();
        if (!ok) {
            ctx.err << "sfstudio-cli bench export: " << text(writer.errorString()) << "\n";
            return 1;
        }
        ours.push_back(double(timer.nsecsElapsed()) / 1e9);
        ourBytes = QFileInfo(ourFile).size();

        if (!ffmpegArgs.isEmpty()) {
            const QString theirFile = dir.filePath(QStringLiteral("ffmpeg.mp4"));
            QProcess process;
            timer.restart();
            process.start(ffmpeg, ffmpegArgs + QStringList{theirFile});
            if (!process.waitForFinished(-1) || process.exitCode() != 0) {
                ctx.err << "sfstudio-cli bench export: ffmpeg failed: "
                        << process.readAllStandardError().toStdString() << "\n";
                return 1;
            }
            theirs.push_back(double(timer.nsecsElapsed()) / 1e9);
            theirBytes = QFileInfo(theirFile).size();
        }
    }
    const double ourSeconds = median(ours);
    char line[256];
    std::snprintf(line, sizeof line,
                  "sfstudio Mp4Writer: %7.2f frames/s  (%.3f s median of %d, %lld bytes)\n",
                  frameCount / ourSeconds, ourSeconds, repeats, static_cast<long long>(ourBytes));
    ctx.out << line;
    if (theirs.empty()) {
        ctx.out << (ffmpeg.isEmpty() ? "ffmpeg tool: not run (not found, or --no-ffmpeg)\n"
                                     : "ffmpeg tool: not run\n");
        return 0;
    }
    const double theirSeconds = median(theirs);
    std::snprintf(line, sizeof line,
                  "ffmpeg tool:        %7.2f frames/s  (%.3f s median of %d, %lld bytes)\n",
                  frameCount / theirSeconds, theirSeconds, repeats,
                  static_cast<long long>(theirBytes));
    ctx.out << line;
    std::snprintf(line, sizeof line, "ratio sfstudio/ffmpeg throughput: %.2f\n",
                  theirSeconds / ourSeconds);
    ctx.out << line;
    ctx.out << "ffmpeg command (run through QProcess, input read from a raw RGB file):\n  "
            << text(ffmpeg) << " " << text(ffmpegArgs.join(QLatin1Char(' '))) << " OUT.mp4\n";
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
