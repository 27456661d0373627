#pragma once
// `sfstudio-cli bench export`: MP4 encode throughput of the exporter (Mp4Writer) on test-pattern
// frames, and of the ffmpeg command-line tool with the same settings when it is installed.
// Beside the writers it measures; the CLI only parses the options.

#include "sfs/core/media/export_options.h"
#include "sfs/core/media/frame_sink.h"

#include <QSize>
#include <QString>

#include <functional>

namespace sfs::core {

struct ExportBenchmarkOptions {
    QSize size{832, 480};
    int frames = 160; // per run
    int repeats = 3;  // runs of each; the median counts
    FrameRate rate;
    VideoOptions video; // encoder, crf, preset
    bool compareWithFfmpegTool = true;
};

// Runs the benchmark and prints its report line by line. Returns false with *error set (the
// encoder is missing, a file cannot be written, ffmpeg failed).
bool runExportBenchmark(const ExportBenchmarkOptions& options,
                        const std::function<void(const QString& line)>& print, QString* error);

} // namespace sfs::core
