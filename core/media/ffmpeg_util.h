#pragma once
// Small helpers around the FFmpeg C API: error text, log capture, and the sRGB→RGB scaler the
// image-sequence writer uses.

#include "sfs/core/media/frame.h"

#include <QSize>
#include <QString>

struct SwsContext;

namespace sfs::core::media_detail {

// Routes FFmpeg's log through sfstudio once per process: messages at error level are kept per
// thread (see takeFfmpegLogErrors()), and, while nobody else has set a log level, FFmpeg's own
// console output is limited to fatal errors (encoder statistics would otherwise clutter it).
void initFfmpegLogging();

// The error lines FFmpeg logged on this thread since the last call, joined ("x264 [error]: …").
QString takeFfmpegLogErrors();

// An AVERROR code in words (disk full, size limit, …), with logged details when there are any.
QString ffmpegErrorText(int averror);

// Scales 8-bit RGB frames from one size to another (Lanczos).
class RgbScaler {
public:
    RgbScaler(QSize from, QSize to);
    ~RgbScaler();
    RgbScaler(const RgbScaler&) = delete;
    RgbScaler& operator=(const RgbScaler&) = delete;

    Frame scale(const Frame& frame) const;

private:
    QSize m_from;
    QSize m_to;
    SwsContext* m_sws = nullptr;
};

} // namespace sfs::core::media_detail
