#include "sfs/core/media/mp4_writer.h"

#include "ffmpeg_util.h"
#include "frame_encoder.h"
#include "output_files.h"
#include "sfs/core/media/encoders.h"
#include "sfs/core/media/provenance_metadata.h"

#include <QDateTime>
#include <QFileInfo>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>

#include <libswscale/swscale.h>
}

#include <cmath>
#include <cstring>

namespace sfs::core {

namespace {

using media_detail::MediaError;
using media_detail::sizeText;

// The muxer for a file name: MP4 for .mp4/.m4v, QuickTime for .mov.
QString containerFor(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("mp4") || ext == QLatin1String("m4v")) {
        return QStringLiteral("mp4");
    }
    if (ext == QLatin1String("mov")) {
        return QStringLiteral("mov");
    }
    return {};
}

class Mp4Encoder final : public media_detail::FrameEncoder {
public:
    Mp4Encoder(const QString& path, const VideoOptions& options)
        : m_path(path), m_options(options) {}
    ~Mp4Encoder() override { release(); }

    QString outputPath() const override { return m_path; }

    void open(const StreamFormat& format, QStringList& notices) override {
        media_detail::initFfmpegLogging();
        try {
            checkOptions();
            planSizes(format.frameSize, notices);
            openOutput(format.rate);
        } catch (...) {
            discard();
            throw;
        }
    }

    void encode(const Frame& frame) override {
        const std::uint8_t* src = frame.constData();
        int srcStride = frame.stride();
        if (m_padded != m_input) {
            padInto(frame);
            src = m_padBuffer.constData();
            srcStride = m_padBuffer.stride();
        }
        if (const int err = av_frame_make_writable(m_frame); err < 0) {
            fail(QStringLiteral("out of memory for a frame"), err);
        }
        sws_scale(m_sws, &src, &srcStride, 0, m_padded.height(), m_frame->data, m_frame->linesize);
        m_frame->pts = m_nextPts++;
        send(m_frame);
    }

    void complete() override {
        send(nullptr); // drain the encoder's delayed frames
        if (const int err = av_write_trailer(m_format); err < 0) {
            fail(QStringLiteral("writing failed"), err);
        }
        if (m_format->pb->error < 0) {
            fail(QStringLiteral("writing failed"), m_format->pb->error);
        }
        if (const int err = avio_closep(&m_format->pb); err < 0) {
            fail(QStringLiteral("writing failed"), err);
        }
        release();
        media_detail::replaceFile(m_tempPath, m_path);
        m_tempPath.clear();
    }

    void discard() noexcept override {
        release();
        if (!m_tempPath.isEmpty()) {
            media_detail::removeQuietly(m_tempPath);
            m_tempPath.clear();
        }
        m_folders.removeEmpty();
    }

private:
    [[noreturn]] void fail(const QString& what, int averror) const {
        throw MediaError(
            QStringLiteral("%1: %2: %3").arg(m_path, what, media_detail::ffmpegErrorText(averror)));
    }
    [[noreturn]] void reject(const QString& problem) const {
        throw MediaError(QStringLiteral("%1: %2").arg(m_path, problem));
    }

    void checkOptions() {
        m_container = containerFor(m_path);
        if (m_container.isEmpty()) {
            reject(
                QStringLiteral("'.%1' is not a video file type sfstudio writes; use .mp4 or .mov")
                    .arg(QFileInfo(m_path).suffix()));
        }
        const std::optional<VideoEncoderInfo> info = findVideoEncoder(m_options.encoder);
        if (!info) {
            reject(QStringLiteral("the encoder '%1' is not available in this FFmpeg build "
                                  "(available: %2)")
                       .arg(m_options.encoder, availableVideoEncoderNames()));
        }
        m_info = *info;
        if (!m_info.containers.contains(m_container)) {
            reject(QStringLiteral("%1 cannot be stored in a .%2 file; use .%3")
                       .arg(m_info.label, QFileInfo(m_path).suffix(), m_info.containers.first()));
        }
        if (m_options.crf >= 0 && !m_info.hasCrf) {
            reject(QStringLiteral("%1 has no CRF quality setting; choose a profile with the preset "
                                  "(%2)")
                       .arg(m_info.name, m_info.presets.join(QStringLiteral(", "))));
        }
        if (m_info.hasCrf && m_options.crf >= 0 &&
            (m_options.crf < m_info.minCrf || m_options.crf > m_info.maxCrf)) {
            reject(QStringLiteral("CRF %1 is outside %2's range %3–%4")
                       .arg(m_options.crf)
                       .arg(m_info.name)
                       .arg(m_info.minCrf)
                       .arg(m_info.maxCrf));
        }
        if (m_options.crf < -1) {
            reject(QStringLiteral("CRF %1 is not a valid quality").arg(m_options.crf));
        }
        if (!m_options.preset.isEmpty() && !m_info.presets.contains(m_options.preset)) {
            reject(
                QStringLiteral("'%1' is not a preset of %2 (choose one of: %3)")
                    .arg(m_options.preset, m_info.name, m_info.presets.join(QStringLiteral(", "))));
        }
        media_detail::parseProvenanceOption(m_options.provenanceJson, m_path);
        if (!(m_options.keyframeInterval > 0.0)) {
            reject(QStringLiteral("the keyframe interval must be positive"));
        }
        if (QFileInfo(m_path).isDir()) {
            reject(QStringLiteral("a folder of that name exists"));
        }
    }

    void planSizes(QSize input, QStringList& notices) {
        m_input = input;
        const QSize scaled = media_detail::checkedScaledSize(input, m_options, m_path);
        if (scaled == input) {
            // Exported at its own size: pad odd sides by one edge-repeating column/row, so
            // pixels are never resampled.
            m_padded =
                QSize(input.width() + (input.width() & 1), input.height() + (input.height() & 1));
            m_output = m_padded;
            if (m_padded != input) {
                notices.append(
                    QStringLiteral("%1: the frame size %2 is odd, which %3 cannot "
                                   "encode; padded to %4 by repeating the last "
                                   "column/row")
                        .arg(m_path, sizeText(input), m_info.pixelFormat, sizeText(m_padded)));
            }
        } else {
            m_padded = input;
            m_output = QSize(std::max(2, scaled.width() & ~1), std::max(2, scaled.height() & ~1));
            if (m_output != scaled) {
                notices.append(
                    QStringLiteral("%1: the scaled size %2 was rounded down to %3: "
                                   "%4 needs even sizes")
                        .arg(m_path, sizeText(scaled), sizeText(m_output), m_info.pixelFormat));
            }
        }
    }

    void openOutput(FrameRate rate) {
        const QFileInfo target(m_path);
        m_folders.ensure(target.absolutePath(), m_path);
        m_tempPath = media_detail::hiddenTemporaryPath(target.absolutePath(), target.fileName(),
                                                       QStringLiteral(".") + target.suffix());
        const QByteArray tempName = QFile::encodeName(m_tempPath);

        int err = avformat_alloc_output_context2(
            &m_format, nullptr, m_container.toLatin1().constData(), tempName.constData());
        if (err < 0 || m_format == nullptr) {
            fail(QStringLiteral("cannot set up the %1 muxer").arg(m_container), err);
        }
        const AVCodec* codec = avcodec_find_encoder_by_name(m_info.name.toLatin1().constData());
        m_codec = avcodec_alloc_context3(codec);
        m_frame = av_frame_alloc();
        m_packet = av_packet_alloc();
        if (m_codec == nullptr || m_frame == nullptr || m_packet == nullptr) {
            reject(QStringLiteral("out of memory"));
        }
        const AVPixelFormat pixFmt = av_get_pix_fmt(m_info.pixelFormat.toLatin1().constData());
        m_codec->width = m_output.width();
        m_codec->height = m_output.height();
        m_codec->pix_fmt = pixFmt;
        m_codec->time_base = AVRational{rate.den, rate.num};
        m_codec->framerate = AVRational{rate.num, rate.den};
        m_codec->sample_aspect_ratio = AVRational{1, 1};
        m_codec->gop_size =
            std::max(1, int(std::lround(m_options.keyframeInterval * rate.value())));
        m_codec->color_primaries = AVCOL_PRI_BT709;
        m_codec->color_trc = AVCOL_TRC_BT709;
        m_codec->colorspace = AVCOL_SPC_BT709;
        m_codec->color_range = AVCOL_RANGE_MPEG;
        m_codec->thread_count = 0; // the encoder picks (one per core)
        if (m_format->oformat->flags & AVFMT_GLOBALHEADER) {
            m_codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        }
        AVDictionary* codecOptions = nullptr;
        setEncoderOptions(&codecOptions);
        err = avcodec_open2(m_codec, codec, &codecOptions);
        av_dict_free(&codecOptions);
        if (err < 0) {
            fail(QStringLiteral("cannot open the encoder %1 at %2")
                     .arg(m_info.name, sizeText(m_output)),
                 err);
        }

        m_stream = avformat_new_stream(m_format, nullptr);
        if (m_stream == nullptr) {
            reject(QStringLiteral("out of memory"));
        }
        avcodec_parameters_from_context(m_stream->codecpar, m_codec);
        m_stream->time_base = m_codec->time_base;
        m_stream->avg_frame_rate = m_codec->framerate;
        m_stream->r_frame_rate = m_codec->framerate;
        if (m_info.codec == QLatin1String("hevc")) {
            m_stream->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1'); // what Apple players expect
        }
        writeMetadata();

        m_frame->format = pixFmt;
        m_frame->width = m_output.width();
        m_frame->height = m_output.height();
        m_frame->color_primaries = m_codec->color_primaries;
        m_frame->color_trc = m_codec->color_trc;
        m_frame->colorspace = m_codec->colorspace;
        m_frame->color_range = m_codec->color_range;
        if ((err = av_frame_get_buffer(m_frame, 0)) < 0) {
            fail(QStringLiteral("out of memory for a frame"), err);
        }
        createScaler();

        if ((err = avio_open(&m_format->pb, tempName.constData(), AVIO_FLAG_WRITE)) < 0) {
            throw MediaError(QStringLiteral("Cannot create %1: %2")
                                 .arg(m_path, media_detail::ffmpegErrorText(err)));
        }
        AVDictionary* muxOptions = nullptr;
        // faststart: the index goes to the front when the file is complete, so players start
        // before it has loaded. use_metadata_tags keeps every key (not just iTunes' fixed set).
        av_dict_set(&muxOptions, "movflags", "+faststart+use_metadata_tags", 0);
        err = avformat_write_header(m_format, &muxOptions);
        av_dict_free(&muxOptions);
        if (err < 0) {
            fail(QStringLiteral("cannot start the file"), err);
        }
    }

    void setEncoderOptions(AVDictionary** opts) const {
        const QString preset = m_options.preset.isEmpty() ? m_info.defaultPreset : m_options.preset;
        const int crf = m_options.crf >= 0 ? m_options.crf : m_info.defaultCrf;
        const QByteArray crfText = QByteArray::number(crf);
        const QByteArray presetText = preset.toLatin1();
        if (m_info.name == QLatin1String("libx264")) {
            av_dict_set(opts, "preset", presetText.constData(), 0);
            av_dict_set(opts, "crf", crfText.constData(), 0);
        } else if (m_info.name == QLatin1String("libx265")) {
            av_dict_set(opts, "preset", presetText.constData(), 0);
            av_dict_set(opts, "crf", crfText.constData(), 0);
            av_dict_set(opts, "x265-params", "log-level=error", 0);
        } else if (m_info.name == QLatin1String("prores_ks")) {
            av_dict_set(opts, "profile", presetText.constData(), 0);
            av_dict_set(opts, "vendor", "apl0", 0); // what Apple's own encoder writes
        } else if (m_info.name == QLatin1String("libsvtav1")) {
            av_dict_set(opts, "preset", presetText.constData(), 0);
            av_dict_set(opts, "crf", crfText.constData(), 0);
        } else if (m_info.name == QLatin1String("libvpx-vp9")) {
            av_dict_set(opts, "cpu-used", presetText.constData(), 0);
            av_dict_set(opts, "crf", crfText.constData(), 0);
            av_dict_set(opts, "b", "0", 0); // constant quality, no bitrate cap
            av_dict_set(opts, "row-mt", "1", 0);
        }
    }

    void writeMetadata() {
        for (const auto& [key, value] : m_options.metadata) {
            av_dict_set(&m_format->metadata, key.toUtf8().constData(), value.toUtf8().constData(),
                        0);
        }
        if (!m_options.provenanceJson.isEmpty()) {
            av_dict_set(&m_format->metadata, kProvenanceMetadataKey,
                        m_options.provenanceJson.constData(), 0);
        }
        if (av_dict_get(m_format->metadata, "creation_time", nullptr, 0) == nullptr) {
            const QByteArray now =
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
            av_dict_set(&m_format->metadata, "creation_time", now.constData(), 0);
        }
    }

    void createScaler() {
        // Lanczos when resizing; otherwise the filter only shapes the chroma subsampling.
        const int flags = (m_padded == m_output ? SWS_BICUBIC : SWS_LANCZOS) | SWS_ACCURATE_RND |
                          SWS_FULL_CHR_H_INP;
        m_sws =
            sws_getContext(m_padded.width(), m_padded.height(), AV_PIX_FMT_RGB24, m_output.width(),
                           m_output.height(), m_codec->pix_fmt, flags, nullptr, nullptr, nullptr);
        if (m_sws == nullptr) {
            reject(QStringLiteral("cannot convert RGB to %1").arg(m_info.pixelFormat));
        }
        // Full-range RGB in, BT.709 limited-range Y'CbCr out.
        const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
        sws_setColorspaceDetails(m_sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    }

    void padInto(const Frame& frame) {
        if (m_padBuffer.isNull()) {
            m_padBuffer = Frame(m_padded.width(), m_padded.height());
        }
        const int w = frame.width();
        const int h = frame.height();
        for (int y = 0; y < m_padded.height(); ++y) {
            const std::uint8_t* src = frame.constRow(std::min(y, h - 1));
            std::uint8_t* dst = m_padBuffer.row(y);
            std::memcpy(dst, src, size_t(3) * w);
            if (m_padded.width() > w) {
                std::memcpy(dst + 3 * w, src + 3 * (w - 1), 3);
            }
        }
    }

    // Sends a frame (nullptr: end of stream) and writes every packet the encoder gives back.
    void send(AVFrame* frame) {
        int err = avcodec_send_frame(m_codec, frame);
        if (err < 0) {
            fail(QStringLiteral("encoding failed"), err);
        }
        for (;;) {
            err = avcodec_receive_packet(m_codec, m_packet);
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) {
                return;
            }
            if (err < 0) {
                fail(QStringLiteral("encoding failed"), err);
            }
            if (m_packet->duration == 0) {
                m_packet->duration = 1; // one frame, in the encoder's time base
            }
            av_packet_rescale_ts(m_packet, m_codec->time_base, m_stream->time_base);
            m_packet->stream_index = m_stream->index;
            err = av_interleaved_write_frame(m_format, m_packet);
            if (err < 0) {
                fail(QStringLiteral("writing failed"), err);
            }
        }
    }

    void release() noexcept {
        sws_freeContext(m_sws);
        m_sws = nullptr;
        av_frame_free(&m_frame);
        av_packet_free(&m_packet);
        avcodec_free_context(&m_codec);
        if (m_format != nullptr) {
            if (m_format->pb != nullptr) {
                avio_closep(&m_format->pb);
            }
            avformat_free_context(m_format);
            m_format = nullptr;
        }
        m_stream = nullptr;
    }

    QString m_path;
    VideoOptions m_options;
    VideoEncoderInfo m_info;
    QString m_container;
    QString m_tempPath;
    media_detail::CreatedFolders m_folders;
    QSize m_input;  // frames as they arrive
    QSize m_padded; // after padding odd sides (= m_input when scaling)
    QSize m_output; // as encoded
    Frame m_padBuffer;
    std::int64_t m_nextPts = 0;

    AVFormatContext* m_format = nullptr;
    AVCodecContext* m_codec = nullptr;
    AVStream* m_stream = nullptr;
    AVFrame* m_frame = nullptr;
    AVPacket* m_packet = nullptr;
    SwsContext* m_sws = nullptr;
};

} // namespace

Mp4Writer::Mp4Writer(const QString& path, const VideoOptions& options)
    : QueuedFrameWriter(std::make_unique<Mp4Encoder>(path, options), options.queueCapacity,
                        options.onCancel) {}

} // namespace sfs::core
