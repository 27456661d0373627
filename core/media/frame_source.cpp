#include "sfs/core/media/frame_source.h"

#include "ffmpeg_util.h"
#include "sfs/core/media/image_file.h"

#include <QFile>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>

#include <libswscale/swscale.h>
}

namespace sfs::core {

// ---- ImageFolderSource ------------------------------------------------------------------------

bool ImageFolderSource::open(const QString& folder, QString* error) {
    m_files = listFrameFiles(folder, error);
    if (m_files.isEmpty()) {
        if (error->isEmpty()) {
            *error = QStringLiteral("%1: the folder holds no image files (png, jpg, tif, exr, …)")
                         .arg(folder);
        }
        return false;
    }
    const Frame first = readImageFile(m_files.first(), error);
    if (first.isNull()) {
        return false;
    }
    m_size = first.size();
    return true;
}

Frame ImageFolderSource::frame(int index, QString* error) {
    if (index < 0 || index >= m_files.size()) {
        *error = QStringLiteral("frame %1 is outside the folder's %2 frames")
                     .arg(index)
                     .arg(m_files.size());
        return {};
    }
    Frame f = readImageFile(m_files[index], error);
    if (!f.isNull() && f.size() != m_size) {
        *error = QStringLiteral("%1: the image is %2×%3, but the sequence's first frame is %4×%5")
                     .arg(m_files[index])
                     .arg(f.width())
                     .arg(f.height())
                     .arg(m_size.width())
                     .arg(m_size.height());
        return {};
    }
    return f;
}

// ---- VideoFileSource ---------------------------------------------------------------------------

struct VideoFileSource::State {
    QString path;
    int frameCount = 0;
    QSize size;
    AVFormatContext* format = nullptr;
    AVCodecContext* decoder = nullptr;
    SwsContext* sws = nullptr;
    AVPacket* packet = nullptr;
    AVFrame* decoded = nullptr;
    int stream = -1;
    int next = 0; // the index the next decoded frame gets
    bool flushed = false;

    ~State() { close(); }

    void close() {
        sws_freeContext(sws);
        sws = nullptr;
        av_frame_free(&decoded);
        av_packet_free(&packet);
        avcodec_free_context(&decoder);
        avformat_close_input(&format);
        next = 0;
        flushed = false;
    }

    bool fail(int err, const QString& what, QString* error) {
        *error = QStringLiteral("%1: %2 (%3)").arg(path, what, media_detail::ffmpegErrorText(err));
        close();
        return false;
    }

    // Opens the file for decoding from its start.
    bool reopen(QString* error) {
        close();
        media_detail::initFfmpegLogging();
        const QByteArray name = QFile::encodeName(path);
        if (const int err = avformat_open_input(&format, name.constData(), nullptr, nullptr);
            err < 0) {
            return fail(err, QStringLiteral("not a readable video file"), error);
        }
        if (const int err = avformat_find_stream_info(format, nullptr); err < 0) {
            return fail(err, QStringLiteral("its streams cannot be read"), error);
        }
        const AVCodec* codec = nullptr;
        stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
        if (stream < 0 || codec == nullptr) {
            return fail(stream < 0 ? stream : AVERROR_DECODER_NOT_FOUND,
                        QStringLiteral("no video stream this build can decode"), error);
        }
        decoder = avcodec_alloc_context3(codec);
        packet = av_packet_alloc();
        decoded = av_frame_alloc();
        if (decoder == nullptr || packet == nullptr || decoded == nullptr) {
            return fail(AVERROR(ENOMEM), QStringLiteral("cannot decode"), error);
        }
        avcodec_parameters_to_context(decoder, format->streams[stream]->codecpar);
        if (const int err = avcodec_open2(decoder, codec, nullptr); err < 0) {
            return fail(err, QStringLiteral("the decoder cannot be opened"), error);
        }
        size = QSize(decoder->width, decoder->height);
        return true;
    }

    // Counts packets of the video stream: one per frame for the codecs we write and read.
    bool count(QString* error) {
        frameCount = 0;
        int err = 0;
        while ((err = av_read_frame(format, packet)) >= 0) {
            frameCount += packet->stream_index == stream ? 1 : 0;
            av_packet_unref(packet);
        }
        if (err != AVERROR_EOF) {
            return fail(err, QStringLiteral("the file is damaged"), error);
        }
        return reopen(error);
    }

    Frame toRgb(QString* error) {
        if (sws == nullptr) {
            sws = sws_getContext(decoded->width, decoded->height, AVPixelFormat(decoded->format),
                                 decoded->width, decoded->height, AV_PIX_FMT_RGB24,
                                 SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                                 nullptr, nullptr);
            if (sws == nullptr) {
                *error = QStringLiteral("%1: cannot convert its pixel format %2 to RGB")
                             .arg(path, QString::fromLatin1(
                                            av_get_pix_fmt_name(AVPixelFormat(decoded->format))));
                return {};
            }
            // The stream's matrix and range; unspecified ones read as our exports are made
            // (BT.709, limited range). RGB formats ignore this.
            const int space = decoded->colorspace == AVCOL_SPC_UNSPECIFIED
                                  ? SWS_CS_ITU709
                                  : int(decoded->colorspace);
            const int* coefficients = sws_getCoefficients(space);
            const int fullRange = decoded->color_range == AVCOL_RANGE_JPEG ? 1 : 0;
            sws_setColorspaceDetails(sws, coefficients, fullRange, coefficients, 1, 0, 1 << 16,
                                     1 << 16);
        }
        if (decoded->width != size.width() || decoded->height != size.height()) {
            *error = QStringLiteral("%1: the frame size changes within the file").arg(path);
            return {};
        }
        Frame rgb(decoded->width, decoded->height);
        std::uint8_t* dst[1] = {rgb.data()};
        const int dstStride[1] = {rgb.stride()};
        sws_scale(sws, decoded->data, decoded->linesize, 0, decoded->height, dst, dstStride);
        return rgb;
    }

    // The next frame in presentation order, or a null frame at the end or on an error.
    Frame decodeNext(QString* error) {
        while (true) {
            const int got = avcodec_receive_frame(decoder, decoded);
            if (got == 0) {
                Frame f = toRgb(error);
                av_frame_unref(decoded);
                ++next;
                return f;
            }
            if (got == AVERROR_EOF) {
                *error = QStringLiteral("%1: the file ends after %2 frames").arg(path).arg(next);
                return {};
            }
            if (got != AVERROR(EAGAIN)) {
                *error = QStringLiteral("%1: frame %2 cannot be decoded (%3)")
                             .arg(path)
                             .arg(next)
                             .arg(media_detail::ffmpegErrorText(got));
                return {};
            }
            if (flushed) {
                *error = QStringLiteral("%1: the file ends after %2 frames").arg(path).arg(next);
                return {};
            }
            const int read = av_read_frame(format, packet);
            if (read == AVERROR_EOF) {
                avcodec_send_packet(decoder, nullptr);
                flushed = true;
                continue;
            }
            if (read < 0) {
                *error = QStringLiteral("%1: reading frame %2 failed (%3)")
                             .arg(path)
                             .arg(next)
                             .arg(media_detail::ffmpegErrorText(read));
                return {};
            }
            if (packet->stream_index == stream) {
                const int sent = avcodec_send_packet(decoder, packet);
                if (sent < 0 && sent != AVERROR(EAGAIN)) {
                    av_packet_unref(packet);
                    *error = QStringLiteral("%1: frame %2 cannot be decoded (%3)")
                                 .arg(path)
                                 .arg(next)
                                 .arg(media_detail::ffmpegErrorText(sent));
                    return {};
                }
            }
            av_packet_unref(packet);
        }
    }
};

VideoFileSource::VideoFileSource() : d(std::make_unique<State>()) {}
VideoFileSource::~VideoFileSource() = default;

bool VideoFileSource::open(const QString& path, QString* error) {
    d->path = path;
    if (!d->reopen(error) || !d->count(error)) {
        return false;
    }
    if (d->frameCount == 0) {
        *error = QStringLiteral("%1: the video holds no frames").arg(path);
        return false;
    }
    return true;
}

int VideoFileSource::frameCount() const {
    return d->frameCount;
}

QSize VideoFileSource::frameSize() const {
    return d->size;
}

Frame VideoFileSource::frame(int index, QString* error) {
    if (index < 0 || index >= d->frameCount) {
        *error = QStringLiteral("frame %1 is outside the video's %2 frames")
                     .arg(index)
                     .arg(d->frameCount);
        return {};
    }
    if (d->format == nullptr || index < d->next) {
        if (!d->reopen(error)) {
            return {};
        }
    }
    Frame f;
    while (d->next <= index) {
        f = d->decodeNext(error);
        if (f.isNull()) {
            return {};
        }
    }
    return f;
}

} // namespace sfs::core
