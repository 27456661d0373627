#pragma once
// The video encoders an export can use, as far as this machine's FFmpeg build has them.

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace sfs::core {

struct VideoEncoderInfo {
    QString name;           // FFmpeg's encoder name, e.g. "libx264"
    QString label;          // for menus, e.g. "H.264 (x264)"
    QString codec;          // "h264", "hevc", "prores", "av1", "vp9"
    QString pixelFormat;    // what frames are converted to, e.g. "yuv420p"
    QStringList containers; // file extensions it can be written into: "mp4", "mov"
    // Constant-quality factor (lower = better, bigger); hasCrf false for encoders without one.
    bool hasCrf = false;
    int minCrf = 0;
    int maxCrf = 0;
    int defaultCrf = 0;
    // Speed/size trade-off (x264/x265 presets, ProRes profiles, AV1/VP9 speed levels).
    QStringList presets;
    QString defaultPreset;
};

// Encoders sfstudio knows how to drive that this FFmpeg build provides, best-known first:
// libx264, libx265, prores_ks, libsvtav1, libvpx-vp9. Software encoders only: hardware ones
// depend on a device and driver the export cannot count on.
QList<VideoEncoderInfo> availableVideoEncoders();

// The encoder of that name if it is available.
std::optional<VideoEncoderInfo> findVideoEncoder(const QString& name);

// "libx264, libx265, …" for messages.
QString availableVideoEncoderNames();

// "libx264 CRF 23, preset medium": the settings an export with `crf` (-1: the default) and
// `preset` (empty: the default) runs the encoder at, for reports.
QString describeEncoderSettings(const VideoEncoderInfo& encoder, int crf, const QString& preset);

} // namespace sfs::core
