#pragma once
// Helpers the media tests share: synthetic sources, ffprobe, decoding back with libavcodec,
// PSNR; file_limit_support.h runs code in a child process under a file-size limit.

#include "file_limit_support.h"
#include "sfs/build_config.h"
#include "sfs/core/media/frame.h"
#include "sfs/core/media/test_pattern.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include <libswscale/swscale.h>
}

#include <cmath>
#include <functional>
#include <signal.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace sfs::core::testing {

inline std::vector<Frame> testFrames(int width, int height, int count, std::uint32_t seed = 1) {
    std::vector<Frame> frames;
    for (int i = 0; i < count; ++i) {
        frames.push_back(makeTestPatternFrame(width, height, i, seed));
    }
    return frames;
}

inline bool haveFfprobe() {
    return !QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty();
}

// ffprobe's JSON for a file (streams with counted frames, and the format with its tags).
inline QJsonObject ffprobe(const QString& path, const QStringList& extra = {}) {
    QProcess p;
    QStringList args = {"-v", "error", "-of", "json"};
    args += extra.isEmpty() ? QStringList{"-count_frames", "-show_streams", "-show_format"} : extra;
    args << path;
    p.start(QStringLiteral("ffprobe"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        ADD_FAILURE() << "ffprobe failed on " << path.toStdString() << ": "
                      << p.readAllStandardError().toStdString();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

inline QJsonObject firstVideoStream(const QJsonObject& probe) {
    for (const QJsonValue& s : probe.value(QStringLiteral("streams")).toArray()) {
        if (s.toObject().value(QStringLiteral("codec_type")).toString() == QLatin1String("video")) {
            return s.toObject();
        }
    }
    return {};
}

// Decodes every video frame of a file to 8-bit RGB, reading the Y'CbCr as BT.709 limited range.
inline std::vector<Frame> decodeVideo(const QString& path) {
    std::vector<Frame> out;
    AVFormatContext* fmt = nullptr;
    const QByteArray name = QFile::encodeName(path);
    if (avformat_open_input(&fmt, name.constData(), nullptr, nullptr) < 0) {
        ADD_FAILURE() << "cannot open " << path.toStdString();
        return out;
    }
    avformat_find_stream_info(fmt, nullptr);
    const AVCodec* codec = nullptr;
    const int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (index < 0 || codec == nullptr) {
        ADD_FAILURE() << "no video stream in " << path.toStdString();
        avformat_close_input(&fmt);
        return out;
    }
    AVCodecContext* dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, fmt->streams[index]->codecpar);
    avcodec_open2(dec, codec, nullptr);
    AVPacket* pkt = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();
    SwsContext* sws = nullptr;
    auto drain = [&]() {
        while (avcodec_receive_frame(dec, frame) == 0) {
            if (sws == nullptr) {
                sws = sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format),
                                     frame->width, frame->height, AV_PIX_FMT_RGB24,
                                     SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                                     nullptr, nullptr);
                const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
                sws_setColorspaceDetails(sws, bt709, 0, bt709, 1, 0, 1 << 16, 1 << 16);
            }
            Frame rgb(frame->width, frame->height);
            std::uint8_t* dst[1] = {rgb.data()};
            const int dstStride[1] = {rgb.stride()};
            sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, dstStride);
            out.push_back(rgb);
        }
    };
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == index) {
            avcodec_send_packet(dec, pkt);
            drain();
        }
        av_packet_unref(pkt);
    }
    avcodec_send_packet(dec, nullptr);
    drain();
    sws_freeContext(sws);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return out;
}

// PSNR of b against a over the w × h top-left area of both (8-bit RGB), in dB.
inline double psnr(const Frame& a, const Frame& b, int w = -1, int h = -1) {
    w = w < 0 ? a.width() : w;
    h = h < 0 ? a.height() : h;
    double sum = 0.0;
    for (int y = 0; y < h; ++y) {
        for (int i = 0; i < 3 * w; ++i) {
            const double d = double(a.constRow(y)[i]) - double(b.constRow(y)[i]);
            sum += d * d;
        }
    }
    const double mse = sum / (3.0 * w * h);
    return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

} // namespace sfs::core::testing
