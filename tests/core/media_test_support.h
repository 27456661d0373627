#pragma once
// Helpers the media tests share: synthetic sources, ffprobe, decoding back with libavcodec,
// PSNR, and running code in a child process under a file-size limit.

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

// Every entry of a folder, hidden ones included (to show that nothing was left behind).
inline QStringList allEntries(const QString& folder) {
    return QDir(folder).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

// Runs `body` in a child process whose files may not grow beyond `limitBytes` (RLIMIT_FSIZE,
// with SIGXFSZ ignored so that writes fail with EFBIG instead of killing it). Returns the
// string `body` returned; a child that crashes or hangs fails the test.
inline std::string runWithFileSizeLimit(rlim_t limitBytes,
                                        const std::function<std::string()>& body) {
    int fds[2];
    if (pipe(fds) != 0) {
        ADD_FAILURE() << "pipe failed";
        return {};
    }
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        alarm(120); // a hang becomes a failed test, not a stuck suite
        signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{limitBytes, limitBytes};
        setrlimit(RLIMIT_FSIZE, &limit);
        const std::string result = body();
        size_t done = 0;
        while (done < result.size()) {
            const ssize_t n = ::write(fds[1], result.data() + done, result.size() - done);
            if (n <= 0) {
                break;
            }
            done += size_t(n);
        }
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    std::string result;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) {
        result.append(buf, size_t(n));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the child process did not exit cleanly (status " << status << ")";
    return result;
}

} // namespace sfs::core::testing
