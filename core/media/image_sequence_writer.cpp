#include "sfs/core/media/image_sequence_writer.h"

#include "colour.h"
#include "ffmpeg_util.h"
#include "frame_encoder.h"
#include "output_files.h"
#include "sequence_pattern.h"
#include "sfs/version.h"

#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>
#include <optional>
#include <vector>

namespace sfs::core {

namespace {

using media_detail::MediaError;

// The format a file extension stands for (the 8-bit one where there are two); Auto if none.
ImageFormat formatForExtension(const QString& ext) {
    bool ok = false;
    return parseImageFormat(ext, &ok);
}

// The format family a file extension stands for (8 and 16 bits share one).
bool extensionFits(ImageFormat format, const QString& ext) {
    const ImageFormat family = formatForExtension(ext);
    switch (format) {
    case ImageFormat::Png8:
    case ImageFormat::Png16:
        return family == ImageFormat::Png8;
    case ImageFormat::Tiff8:
    case ImageFormat::Tiff16:
        return family == ImageFormat::Tiff8;
    case ImageFormat::ExrHalf:
    case ImageFormat::Jpeg:
        return family == format;
    case ImageFormat::Auto:
        break;
    }
    return false;
}

QString colourDescription(ImageFormat format) {
    switch (format) {
    case ImageFormat::Png16:
    case ImageFormat::Tiff16:
        return QStringLiteral("sRGB, 16-bit (the 8-bit values × 257)");
    case ImageFormat::ExrHalf:
        return QStringLiteral("linear light (sRGB transfer decoded), Rec.709 primaries, D65 white, "
                              "half float");
    default:
        return QStringLiteral("sRGB, 8-bit");
    }
}

class SequenceEncoder final : public media_detail::FrameEncoder {
public:
    SequenceEncoder(const QString& pattern, const ImageSequenceOptions& options)
        : m_patternPath(pattern), m_options(options) {}
    ~SequenceEncoder() override = default;

    QString outputPath() const override { return m_patternPath; }

    void open(const StreamFormat& format, QStringList& notices) override {
        Q_UNUSED(notices);
        try {
            checkOptions();
            m_rate = format.rate;
            m_input = format.frameSize;
            m_output = media_detail::checkedScaledSize(m_input, m_options, m_patternPath);
            if (m_output != m_input) {
                media_detail::initFfmpegLogging();
                m_scaler = std::make_unique<media_detail::RgbScaler>(m_input, m_output);
            }
            m_folders.ensure(m_pattern.folder(), m_patternPath);
            m_tempFolder = media_detail::hiddenTemporaryPath(
                m_pattern.folder(), m_pattern.sidecarName().section(QLatin1Char('.'), 0, 0),
                QString());
            m_folders.ensure(m_tempFolder, m_patternPath);
        } catch (...) {
            discard();
            throw;
        }
    }

    void encode(const Frame& input) override {
        const Frame frame = m_scaler ? m_scaler->scale(input) : input;
        const QString name = m_pattern.fileName(m_options.firstNumber + m_count);
        const std::vector<unsigned char> bytes = encodeImage(frame, name);
        media_detail::writeNewFile(QDir(m_tempFolder).filePath(name),
                                   reinterpret_cast<const char*>(bytes.data()), bytes.size(),
                                   QDir(m_pattern.folder()).filePath(name));
        m_names.append(name);
        ++m_count;
    }

    void complete() override {
        const QByteArray sidecar = sidecarJson();
        const QString sidecarName = m_pattern.sidecarName();
        media_detail::writeNewFile(QDir(m_tempFolder).filePath(sidecarName), sidecar.constData(),
                                   size_t(sidecar.size()),
                                   QDir(m_pattern.folder()).filePath(sidecarName));
        m_names.append(sidecarName);
        for (const QString& name : m_names) {
            media_detail::syncFile(QDir(m_tempFolder).filePath(name));
        }
        install();
        media_detail::removeQuietly(m_tempFolder);
        m_tempFolder.clear();
    }

    void discard() noexcept override {
        if (!m_tempFolder.isEmpty()) {
            media_detail::removeQuietly(m_tempFolder);
            m_tempFolder.clear();
        }
        m_folders.removeEmpty();
    }

private:
    [[noreturn]] void reject(const QString& problem) const {
        throw MediaError(QStringLiteral("%1: %2").arg(m_patternPath, problem));
    }

    void checkOptions() {
        QString error;
        if (!m_pattern.parse(m_patternPath, &error)) {
            throw MediaError(error);
        }
        const QString ext = m_pattern.extension();
        m_format = m_options.format;
        if (m_format == ImageFormat::Auto) {
            m_format = formatForExtension(ext);
            if (m_format == ImageFormat::Auto) {
                reject(QStringLiteral("'.%1' is not an image type sfstudio writes; use .png, .tif, "
                                      ".exr or .jpg")
                           .arg(ext));
            }
        } else if (!extensionFits(m_format, ext)) {
            reject(QStringLiteral("the extension '.%1' does not fit the format %2")
                       .arg(ext, imageFormatName(m_format)));
        }
        if (m_options.jpegQuality < 1 || m_options.jpegQuality > 100) {
            reject(QStringLiteral("JPEG quality %1 is outside 1–100").arg(m_options.jpegQuality));
        }
        if (m_options.firstNumber < 0) {
            reject(
                QStringLiteral("the first frame number %1 is negative").arg(m_options.firstNumber));
        }
        m_provenance = media_detail::parseProvenanceOption(m_options.provenanceJson, m_patternPath);
        if (!OIIO::ImageOutput::create(m_pattern.fileName(0).toStdString())) {
            reject(QStringLiteral("this OpenImageIO build cannot write .%1 files").arg(ext));
        }
    }

    // The image file's bytes, encoded in memory so that every write to the disk is checked here.
    std::vector<unsigned char> encodeImage(const Frame& frame, const QString& name) const {
        const int w = frame.width();
        const int h = frame.height();
        OIIO::Filesystem::IOVecOutput memory;
        const std::string fileName = name.toStdString();
        auto out = OIIO::ImageOutput::create(fileName);
        if (!out || !out->set_ioproxy(&memory)) {
            throw MediaError(QStringLiteral("%1: OpenImageIO cannot write this format to memory")
                                 .arg(QDir(m_pattern.folder()).filePath(name)));
        }
        OIIO::TypeDesc type = OIIO::TypeDesc::UINT8;
        if (m_format == ImageFormat::Png16 || m_format == ImageFormat::Tiff16) {
            type = OIIO::TypeDesc::UINT16;
        } else if (m_format == ImageFormat::ExrHalf) {
            type = OIIO::TypeDesc::HALF;
        }
        OIIO::ImageSpec spec(w, h, 3, type);
        spec.attribute("Software", "sfstudio " SFS_VERSION_STRING);
        switch (m_format) {
        case ImageFormat::ExrHalf: {
            spec.attribute("oiio:ColorSpace", "Linear");
            spec.attribute("compression", "zip");
            static const float rec709[8] = {0.64f, 0.33f, 0.30f,   0.60f,
                                            0.15f, 0.06f, 0.3127f, 0.3290f};
            spec.attribute("chromaticities", OIIO::TypeDesc(OIIO::TypeDesc::FLOAT, 8), rec709);
            break;
        }
        case ImageFormat::Jpeg:
            spec.attribute("oiio:ColorSpace", "sRGB");
            spec.attribute("Compression", "jpeg:" + std::to_string(m_options.jpegQuality));
            spec.attribute("CompressionQuality", m_options.jpegQuality);
            // Full-resolution colour at high quality, as stills tools do; 4:2:0 below.
            spec.attribute("jpeg:subsampling", m_options.jpegQuality >= 90 ? "4:4:4" : "4:2:0");
            break;
        case ImageFormat::Tiff8:
        case ImageFormat::Tiff16:
            // No colour-space tag: TIFF has no standard one (readers assume sRGB), and OIIO's
            // Exif substitute corrupts a TIFF written to memory.
            spec.attribute("compression", "zip");
            break;
        default:
            spec.attribute("oiio:ColorSpace", "sRGB");
            break;
        }
        bool ok = out->open(fileName, spec);
        if (ok) {
            if (type == OIIO::TypeDesc::UINT8) {
                ok = out->write_image(OIIO::TypeDesc::UINT8, frame.constData(), 3, frame.stride());
            } else if (type == OIIO::TypeDesc::UINT16) {
                std::vector<std::uint16_t> wide(size_t(w) * h * 3);
                for (int y = 0; y < h; ++y) {
                    const std::uint8_t* src = frame.constRow(y);
                    std::uint16_t* dst = wide.data() + size_t(y) * w * 3;
                    for (int i = 0; i < 3 * w; ++i) {
                        dst[i] = std::uint16_t(src[i] * 257);
                    }
                }
                ok = out->write_image(OIIO::TypeDesc::UINT16, wide.data());
            } else {
                const auto& lut = media_detail::srgbToLinearTable();
                std::vector<float> linear(size_t(w) * h * 3);
                for (int y = 0; y < h; ++y) {
                    const std::uint8_t* src = frame.constRow(y);
                    float* dst = linear.data() + size_t(y) * w * 3;
                    for (int i = 0; i < 3 * w; ++i) {
                        dst[i] = lut[src[i]];
                    }
                }
                ok = out->write_image(OIIO::TypeDesc::FLOAT, linear.data());
            }
            ok = out->close() && ok;
        }
        if (!ok) {
            throw MediaError(QStringLiteral("%1: OpenImageIO could not encode the image: %2")
                                 .arg(QDir(m_pattern.folder()).filePath(name),
                                      QString::fromStdString(out->geterror())));
        }
        return memory.buffer();
    }

    QByteArray sidecarJson() const {
        QJsonObject about{
            {QStringLiteral("kind"), QStringLiteral("image-sequence")},
            {QStringLiteral("version"), QStringLiteral(SFS_VERSION_STRING)},
            {QStringLiteral("pattern"), m_pattern.namePattern()},
            {QStringLiteral("firstNumber"), m_options.firstNumber},
            {QStringLiteral("frameCount"), m_count},
            {QStringLiteral("frameRate"), m_rate.toString()},
            {QStringLiteral("width"), m_output.width()},
            {QStringLiteral("height"), m_output.height()},
            {QStringLiteral("format"), imageFormatName(m_format)},
            {QStringLiteral("colour"), colourDescription(m_format)},
        };
        QJsonObject root{{QStringLiteral("sfstudio"), about}};
        if (!m_options.provenanceJson.isEmpty()) {
            root.insert(QStringLiteral("provenance"), m_provenance);
        }
        return QJsonDocument(root).toJson(QJsonDocument::Indented);
    }

    // Replaces the earlier sequence (every file the pattern matches, and its sidecar) with the
    // new files. Old files are moved aside first and put back if any move fails.
    void install() {
        const QDir target(m_pattern.folder());
        const QDir temp(m_tempFolder);
        const QString aside = temp.filePath(QStringLiteral(".replaced"));
        m_folders.ensure(aside, m_patternPath);
        const QString sidecarName = m_pattern.sidecarName();
        QStringList old;
        for (const QFileInfo& fi :
             target.entryInfoList(QDir::Files | QDir::Hidden | QDir::System)) {
            if (m_pattern.matches(fi.fileName()) || fi.fileName() == sidecarName) {
                old.append(fi.fileName());
            }
        }
        QStringList movedAside;
        QStringList movedIn;
        try {
            for (const QString& name : old) {
                media_detail::replaceFile(target.filePath(name), QDir(aside).filePath(name));
                movedAside.append(name);
            }
            for (const QString& name : m_names) {
                media_detail::replaceFile(temp.filePath(name), target.filePath(name));
                movedIn.append(name);
            }
        } catch (const MediaError& e) {
            for (const QString& name : movedIn) {
                media_detail::removeQuietly(target.filePath(name));
            }
            for (const QString& name : movedAside) {
                try {
                    media_detail::replaceFile(QDir(aside).filePath(name), target.filePath(name));
                } catch (const MediaError&) {
                    // Still in the export's temporary folder; discard() would remove it, so
                    // leave the folder in place and say where the file is.
                    m_tempFolder.clear();
                    throw MediaError(QStringLiteral("%1 (the earlier frame %2 was kept in %3)")
                                         .arg(e.message(), name, aside));
                }
            }
            throw;
        }
    }

    QString m_patternPath;
    ImageSequenceOptions m_options;
    media_detail::SequencePattern m_pattern;
    ImageFormat m_format = ImageFormat::Png8;
    QJsonObject m_provenance;
    FrameRate m_rate;
    QSize m_input;
    QSize m_output;
    std::unique_ptr<media_detail::RgbScaler> m_scaler;
    media_detail::CreatedFolders m_folders;
    QString m_tempFolder;
    QStringList m_names; // written to the temporary folder, in order
    int m_count = 0;
};

} // namespace

ImageSequenceWriter::ImageSequenceWriter(const QString& pattern,
                                         const ImageSequenceOptions& options)
    : QueuedFrameWriter(std::make_unique<SequenceEncoder>(pattern, options), options.queueCapacity,
                        options.onCancel) {}

} // namespace sfs::core
