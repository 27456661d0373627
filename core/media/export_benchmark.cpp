#include "sfs/core/media/export_benchmark.h"

#include "sfs/core/media/encoders.h"
#include "sfs/core/media/frame.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/media/test_pattern.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace sfs::core {

namespace {

// Median of a few timings: one slow outlier (another process, a cold cache) does not count.
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

bool runExportBenchmark(const ExportBenchmarkOptions& opts,
                        const std::function<void(const QString& line)>& print, QString* error) {
    const auto fail = [error](const QString& message) {
        if (error != nullptr) {
            *error = message;
        }
        return false;
    };
    const QSize size = opts.size;
    const int frameCount = opts.frames;
    const int repeats = opts.repeats;
    const FrameRate rate = opts.rate;
    const VideoOptions& options = opts.video;
    if (size.width() <= 0 || size.height() <= 0 || frameCount < 1 || repeats < 1) {
        return fail(QStringLiteral("the benchmark needs a frame size and at least one frame and "
                                   "one run"));
    }
    const std::optional<VideoEncoderInfo> encoder = findVideoEncoder(options.encoder);
    if (!encoder) {
        return fail(QStringLiteral("the encoder '%1' is not available (available: %2)")
                        .arg(options.encoder, availableVideoEncoderNames()));
    }
    const int crf = options.crf >= 0 ? options.crf : encoder->defaultCrf;
    const QString preset = options.preset.isEmpty() ? encoder->defaultPreset : options.preset;

    QTemporaryDir dir;
    if (!dir.isValid()) {
        return fail(QStringLiteral("cannot make a temporary folder"));
    }
    print(QStringLiteral("Encode benchmark: %1 frames %2x%3 at %4 fps, %5, %6 CPU threads")
              .arg(frameCount)
              .arg(size.width())
              .arg(size.height())
              .arg(rate.toString(), describeEncoderSettings(*encoder, crf, preset))
              .arg(QThread::idealThreadCount()));
    std::vector<Frame> frames;
    for (int i = 0; i < frameCount; ++i) {
        frames.push_back(makeTestPatternFrame(size.width(), size.height(), i));
    }

    // The same frames as raw RGB for the ffmpeg tool.
    const QString ffmpeg = opts.compareWithFfmpegTool
                               ? QStandardPaths::findExecutable(QStringLiteral("ffmpeg"))
                               : QString();
    const QString raw = dir.filePath(QStringLiteral("frames.rgb"));
    QStringList ffmpegArgs;
    if (!ffmpeg.isEmpty()) {
        QFile file(raw);
        if (!file.open(QIODevice::WriteOnly)) {
            return fail(QStringLiteral("cannot write %1").arg(raw));
        }
        for (const Frame& f : frames) {
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
            print(QStringLiteral("(the ffmpeg comparison is set up for libx264/libx265 only)"));
            ffmpegArgs.clear();
        }
    }

    std::vector<double> ours;
    std::vector<double> theirs;
    qint64 ourBytes = 0;
    qint64 theirBytes = 0;
    for (int run = 0; run < repeats; ++run) {
        const QString ourFile = dir.filePath(QStringLiteral("sfstudio.mp4"));
        Mp4Writer writer(ourFile, options);
        QElapsedTimer timer;
        timer.start();
        bool ok = writer.begin({size, rate});
        for (const Frame& f : frames) {
            ok = ok && writer.write(f);
        }
        ok = ok && writer.finish();
        if (!ok) {
            return fail(writer.errorString());
        }
        ours.push_back(double(timer.nsecsElapsed()) / 1e9);
        ourBytes = QFileInfo(ourFile).size();

        if (!ffmpegArgs.isEmpty()) {
            const QString theirFile = dir.filePath(QStringLiteral("ffmpeg.mp4"));
            QProcess process;
            timer.restart();
            process.start(ffmpeg, ffmpegArgs + QStringList{theirFile});
            if (!process.waitForFinished(-1) || process.exitCode() != 0) {
                return fail(QStringLiteral("ffmpeg failed: %1")
                                .arg(QString::fromLocal8Bit(process.readAllStandardError())));
            }
            theirs.push_back(double(timer.nsecsElapsed()) / 1e9);
            theirBytes = QFileInfo(theirFile).size();
        }
    }
    const double ourSeconds = median(ours);
    char line[256];
    std::snprintf(line, sizeof line,
                  "sfstudio Mp4Writer: %7.2f frames/s  (%.3f s median of %d, %lld bytes)",
                  frameCount / ourSeconds, ourSeconds, repeats, static_cast<long long>(ourBytes));
    print(QString::fromLatin1(line));
    if (theirs.empty()) {
        print(ffmpeg.isEmpty() ? QStringLiteral("ffmpeg tool: not run (not found, or --no-ffmpeg)")
                               : QStringLiteral("ffmpeg tool: not run"));
        return true;
    }
    const double theirSeconds = median(theirs);
    std::snprintf(
        line, sizeof line, "ffmpeg tool:        %7.2f frames/s  (%.3f s median of %d, %lld bytes)",
        frameCount / theirSeconds, theirSeconds, repeats, static_cast<long long>(theirBytes));
    print(QString::fromLatin1(line));
    std::snprintf(line, sizeof line, "ratio sfstudio/ffmpeg throughput: %.2f",
                  theirSeconds / ourSeconds);
    print(QString::fromLatin1(line));
    print(QStringLiteral("ffmpeg command (run through QProcess, input read from a raw RGB file):"));
    print(QStringLiteral("  %1 %2 OUT.mp4").arg(ffmpeg, ffmpegArgs.join(QLatin1Char(' '))));
    return true;
}

} // namespace sfs::core
