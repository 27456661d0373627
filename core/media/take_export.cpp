#include "sfs/core/take_export.h"

#include "ffmpeg_util.h"
#include "sfs/core/provenance.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>

#include <libswscale/swscale.h>
}

namespace sfs::core {

const Take* findTake(const Project& project, const QString& id, QString* error) {
    if (project.takes.empty()) {
        *error = QStringLiteral("the project has no takes yet: generate one first");
        return nullptr;
    }
    if (id.isEmpty()) {
        // Takes are kept oldest first, but a hand-edited file may list them in any order.
        const Take* newest = &project.takes.front();
        for (const Take& t : project.takes) {
            if (t.created > newest->created) {
                newest = &t;
            }
        }
        return newest;
    }
    if (const Take* take = project.take(id)) {
        return take;
    }
    QStringList ids;
    for (const Take& t : project.takes) {
        ids << t.id;
    }
    *error = QStringLiteral("the project has no take \"%1\" (its takes: %2)")
                 .arg(id, ids.join(QStringLiteral(", ")));
    return nullptr;
}

// ---- VideoFileSource -------------------------------------------------------------------------

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

// ---- Takes -------------------------------------------------------------------------------------

std::unique_ptr<FrameSource> openTakeFrames(const Take& take, const QString& assetsDir,
                                            QString* error) {
    if (take.framesPath.isEmpty()) {
        *error = take.latentsPath.isEmpty()
                     ? QStringLiteral("take %1 stored no frames").arg(take.id)
                     : QStringLiteral("take %1 stored only latents (%2); exporting it needs its "
                                      "frames, which the generator decodes and stores")
                           .arg(take.id, take.latentsPath);
        return nullptr;
    }
    const QString path = QDir(assetsDir).filePath(take.framesPath);
    const QFileInfo info(path);
    QString problem;
    if (info.isDir()) {
        auto folder = std::make_unique<ImageFolderSource>();
        if (folder->open(path, &problem)) {
            return folder;
        }
    } else if (info.isFile()) {
        auto video = std::make_unique<VideoFileSource>();
        if (video->open(path, &problem)) {
            return video;
        }
    } else {
        problem = QStringLiteral("%1 is missing").arg(path);
    }
    *error = QStringLiteral("take %1: its frames cannot be read: %2").arg(take.id, problem);
    return nullptr;
}

TakeExportResult exportTake(const Project& project, const QString& projectPath,
                            const QString& assetsDir, const TakeExportRequest& request,
                            const std::function<bool(int, int)>& keepGoing) {
    TakeExportResult result;
    result.output = request.output;
    const Take* take = findTake(project, request.takeId, &result.error);
    if (take == nullptr) {
        return result;
    }
    result.takeId = take->id;
    std::unique_ptr<FrameSource> source = openTakeFrames(*take, assetsDir, &result.error);
    if (!source) {
        return result;
    }
    int first = 0;
    int last = 0;
    if (!request.range.resolve(source->frameCount(), &first, &last, &result.error)) {
        result.error = QStringLiteral("take %1: %2").arg(take->id, result.error);
        return result;
    }
    VideoOptions video = request.video;
    ImageSequenceOptions sequence = request.sequence;
    if (request.withProvenance) {
        const QByteArray json =
            QJsonDocument(makeTakeProvenance(project, *take, projectPath, assetsDir, first, last,
                                             request.rate, &result.notices))
                .toJson(QJsonDocument::Compact);
        video.provenanceJson = json;
        sequence.provenanceJson = json;
    }
    std::unique_ptr<QueuedFrameWriter> writer = createWriter(request.output, video, sequence);
    static_cast<ExportResult&>(result) =
        exportFrames(*source, *writer, request.range, request.rate, keepGoing);
    result.notices += writer->notices();
    return result;
}

} // namespace sfs::core
