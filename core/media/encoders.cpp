#include "sfs/core/media/encoders.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace sfs::core {

namespace {

QStringList numbers(int from, int to) {
    QStringList out;
    for (int i = from; i <= to; ++i) {
        out.append(QString::number(i));
    }
    return out;
}

// Encoders sfstudio knows how to set up, with the settings it drives them by. Defaults aim at
// "visually lossless" for editing rather than at the smallest file.
QList<VideoEncoderInfo> knownEncoders() {
    const QStringList x26xPresets = {"ultrafast", "superfast", "veryfast", "faster",  "fast",
                                     "medium",    "slow",      "slower",   "veryslow"};
    const QStringList mp4mov = {"mp4", "mov"};
    return {
        {"libx264", "H.264 (x264)", "h264", "yuv420p", mp4mov, true, 0, 51, 18, x26xPresets,
         "medium"},
        {"libx265", "H.265 / HEVC (x265)", "hevc", "yuv420p", mp4mov, true, 0, 51, 20, x26xPresets,
         "medium"},
        // ProRes has no CRF; its profiles set the data rate. QuickTime only.
        {"prores_ks",
         "Apple ProRes 422 (prores_ks)",
         "prores",
         "yuv422p10le",
         {"mov"},
         false,
         0,
         0,
         0,
         {"proxy", "lt", "standard", "hq"},
         "hq"},
        // SVT-AV1 presets are speed levels: 0 slowest/best … 13 fastest.
        {"libsvtav1", "AV1 (SVT-AV1)", "av1", "yuv420p", mp4mov, true, 0, 63, 30, numbers(0, 13),
         "8"},
        // libvpx speed levels (cpu-used): 0 slowest/best … 8 fastest.
        {"libvpx-vp9", "VP9 (libvpx)", "vp9", "yuv420p", mp4mov, true, 0, 63, 31, numbers(0, 8),
         "4"},
    };
}

} // namespace

QList<VideoEncoderInfo> availableVideoEncoders() {
    QList<VideoEncoderInfo> out;
    for (const VideoEncoderInfo& e : knownEncoders()) {
        if (avcodec_find_encoder_by_name(e.name.toLatin1().constData()) != nullptr) {
            out.append(e);
        }
    }
    return out;
}

std::optional<VideoEncoderInfo> findVideoEncoder(const QString& name) {
    for (const VideoEncoderInfo& e : availableVideoEncoders()) {
        if (e.name == name) {
            return e;
        }
    }
    return std::nullopt;
}

QString availableVideoEncoderNames() {
    QStringList names;
    for (const VideoEncoderInfo& e : availableVideoEncoders()) {
        names.append(e.name);
    }
    return names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "));
}

QString describeEncoderSettings(const VideoEncoderInfo& encoder, int crf, const QString& preset) {
    QString out = encoder.name;
    if (encoder.hasCrf) {
        out += QStringLiteral(" CRF %1").arg(crf >= 0 ? crf : encoder.defaultCrf);
    }
    return out +
           QStringLiteral(", preset %1").arg(preset.isEmpty() ? encoder.defaultPreset : preset);
}

} // namespace sfs::core
