#include "ffmpeg_util.h"

#include "frame_encoder.h"
#include "output_files.h"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>

#include <libswscale/swscale.h>
}

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace sfs::core::media_detail {

namespace {

thread_local QString t_loggedErrors;

void logCallback(void* avcl, int level, const char* fmt, va_list args) {
    if (level <= AV_LOG_ERROR) {
        va_list copy;
        va_copy(copy, args);
        char line[1024];
        int printPrefix = 1;
        av_log_format_line2(avcl, level, fmt, copy, line, sizeof line, &printPrefix);
        va_end(copy);
        QString text = QString::fromUtf8(line).trimmed();
        if (!text.isEmpty() && t_loggedErrors.size() < 4000) {
            if (!t_loggedErrors.isEmpty()) {
                t_loggedErrors += QStringLiteral("; ");
            }
            t_loggedErrors += text;
        }
    }
    av_log_default_callback(avcl, level, fmt, args);
}

} // namespace

void initFfmpegLogging() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (av_log_get_level() == AV_LOG_INFO) { // FFmpeg's default: nobody chose a level
            av_log_set_level(AV_LOG_FATAL);
        }
        av_log_set_callback(logCallback);
        // SVT-AV1 prints its banner straight to stderr unless told otherwise (1 = errors).
        qputenv("SVT_LOG", qEnvironmentVariable("SVT_LOG", QStringLiteral("1")).toLatin1());
    });
}

QString takeFfmpegLogErrors() {
    QString out;
    out.swap(t_loggedErrors);
    return out;
}

QString ffmpegErrorText(int averror) {
    QString text;
    const int errnum = AVUNERROR(averror);
    if (averror < 0 && errnum > 0 && errnum < 4096) {
        text = writeErrorText(errnum);
    } else {
        char buf[AV_ERROR_MAX_STRING_SIZE] = {};
        av_strerror(averror, buf, sizeof buf);
        text = QString::fromUtf8(buf);
    }
    const QString logged = takeFfmpegLogErrors();
    return logged.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, logged);
}

RgbScaler::RgbScaler(QSize from, QSize to) : m_from(from), m_to(to) {
    m_sws =
        sws_getContext(from.width(), from.height(), AV_PIX_FMT_RGB24, to.width(), to.height(),
                       AV_PIX_FMT_RGB24, SWS_LANCZOS | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
    if (m_sws == nullptr) {
        throw MediaError(QStringLiteral("cannot scale %1×%2 to %3×%4")
                             .arg(from.width())
                             .arg(from.height())
                             .arg(to.width())
                             .arg(to.height()));
    }
}

RgbScaler::~RgbScaler() {
    sws_freeContext(m_sws);
}

Frame RgbScaler::scale(const Frame& frame) const {
    Frame out(m_to.width(), m_to.height());
    const std::uint8_t* src[1] = {frame.constData()};
    const int srcStride[1] = {frame.stride()};
    std::uint8_t* dst[1] = {out.data()};
    const int dstStride[1] = {out.stride()};
    sws_scale(m_sws, src, srcStride, 0, frame.height(), dst, dstStride);
    return out;
}

} // namespace sfs::core::media_detail
