#include "sfs/core/image_import.h"

#include "sfs/build_config.h"
#include "sfs/core/project_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#if SFS_WITH_MEDIA
#include <OpenImageIO/imageio.h>
#endif

#include <algorithm>
#include <cmath>

namespace sfs::core {

namespace {

#if !SFS_WITH_MEDIA
const char* const kNoMedia = "image import needs a build with SFS_WITH_MEDIA";
#endif

// One axis of a resampling: for each output pixel, the source pixels and their weights.
struct AxisWeights {
    std::vector<int> first;    // first source index per output pixel
    std::vector<int> count;    // number of taps per output pixel
    std::vector<float> weight; // count[i] weights per output pixel, concatenated
    std::vector<int> offset;   // start of pixel i's weights in `weight`
};

// Output pixels 0..outLen-1 sample the source interval [start, start + length) of a source axis
// with inLen pixels. A triangle filter, widened to the source footprint when shrinking.
AxisWeights axisWeights(int inLen, double start, double length, int outLen) {
    AxisWeights w;
    const double scale = length / outLen; // source pixels per output pixel
    const double radius = std::max(1.0, scale);
    const int lo = std::clamp(static_cast<int>(std::floor(start)), 0, inLen - 1);
    const int hi = std::clamp(static_cast<int>(std::ceil(start + length)) - 1, lo, inLen - 1);
    for (int i = 0; i < outLen; ++i) {
        const double centre = start + (i + 0.5) * scale;
        const int from = std::clamp(static_cast<int>(std::floor(centre - radius)), lo, hi);
        const int to = std::clamp(static_cast<int>(std::ceil(centre + radius)), lo, hi);
        std::vector<float> taps(static_cast<size_t>(to - from + 1), 0.0f);
        double sum = 0.0;
        // Taps beyond the source rectangle repeat its edge pixels.
        for (int j = static_cast<int>(std::floor(centre - radius));
             j <= static_cast<int>(std::ceil(centre + radius)); ++j) {
            const double d = std::abs((j + 0.5 - centre) / radius);
            if (d >= 1.0) {
                continue;
            }
            const double tap = 1.0 - d;
            taps[static_cast<size_t>(std::clamp(j, lo, hi) - from)] += static_cast<float>(tap);
            sum += tap;
        }
        int first = -1;
        int last = -1;
        for (size_t k = 0; k < taps.size(); ++k) {
            if (taps[k] != 0.0f) {
                first = first < 0 ? static_cast<int>(k) : first;
                last = static_cast<int>(k);
            }
        }
        if (first < 0) { // cannot happen with radius >= 1; keep the nearest pixel regardless
            first = last = 0;
            taps[0] = 1.0f;
            sum = 1.0;
        }
        w.first.push_back(from + first);
        w.count.push_back(last - first + 1);
        w.offset.push_back(static_cast<int>(w.weight.size()));
        for (int k = first; k <= last; ++k) {
            w.weight.push_back(static_cast<float>(taps[static_cast<size_t>(k)] / sum));
        }
    }
    return w;
}

// Resamples the source rectangle (x0, y0, sw, sh) of `image` into an outW × outH float image.
std::vector<float> resample(const RgbImage& image, double x0, double y0, double sw, double sh,
                            int outW, int outH) {
    const AxisWeights wx = axisWeights(image.width, x0, sw, outW);
    const AxisWeights wy = axisWeights(image.height, y0, sh, outH);
    // Horizontal pass: image.height rows of outW pixels.
    std::vector<float> rows(static_cast<size_t>(image.height) * outW * 3);
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < outW; ++x) {
            float acc[3] = {0, 0, 0};
            for (int k = 0; k < wx.count[x]; ++k) {
                const float wt = wx.weight[static_cast<size_t>(wx.offset[x] + k)];
                const uint8_t* p = image.pixel(wx.first[x] + k, y);
                for (int c = 0; c < 3; ++c) {
                    acc[c] += wt * p[c];
                }
            }
            float* out = &rows[(static_cast<size_t>(y) * outW + x) * 3];
            std::copy(acc, acc + 3, out);
        }
    }
    // Vertical pass.
    std::vector<float> result(static_cast<size_t>(outH) * outW * 3);
    for (int y = 0; y < outH; ++y) {
        for (int x = 0; x < outW; ++x) {
            float acc[3] = {0, 0, 0};
            for (int k = 0; k < wy.count[y]; ++k) {
                const float wt = wy.weight[static_cast<size_t>(wy.offset[y] + k)];
                const float* p = &rows[(static_cast<size_t>(wy.first[y] + k) * outW + x) * 3];
                for (int c = 0; c < 3; ++c) {
                    acc[c] += wt * p[c];
                }
            }
            std::copy(acc, acc + 3, &result[(static_cast<size_t>(y) * outW + x) * 3]);
        }
    }
    return result;
}

uint8_t toByte(float v) {
    return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

#if SFS_WITH_MEDIA

// OpenImageIO's names for the formats we import, and what users call them.
struct Format {
    const char* oiioName;
    const char* suffixes;
};
const Format kFormats[] = {{"png", "png"},     {"jpeg", "jpg jpeg jpe"}, {"tiff", "tif tiff"},
                           {"openexr", "exr"}, {"webp", "webp"},         {"bmp", "bmp"}};

bool oiioHasFormat(const char* name) {
    const std::string list = OIIO::get_string_attribute("extension_list");
    const std::string key = std::string(name) + ":";
    return list.rfind(key, 0) == 0 || list.find(";" + key) != std::string::npos;
}

const Format* importableFormat(const std::string& oiioName) {
    for (const Format& f : kFormats) {
        if (oiioName == f.oiioName && oiioHasFormat(f.oiioName)) {
            return &f;
        }
    }
    return nullptr;
}

float srgbEncode(float linear) {
    const float v = std::clamp(linear, 0.0f, 1.0f);
    return v <= 0.0031308f ? 12.92f * v : 1.055f * std::pow(v, 1.0f / 2.4f) - 0.055f;
}

// The display pixel (x, y) of an image stored w × h with EXIF orientation `o` comes from the
// stored pixel returned here. Orientations 5..8 swap width and height.
std::pair<int, int> storedPixel(int o, int x, int y, int w, int h) {
    switch (o) {
    case 2:
        return {w - 1 - x, y}; // mirrored horizontally
    case 3:
        return {w - 1 - x, h - 1 - y}; // rotated 180°
    case 4:
        return {x, h - 1 - y}; // mirrored vertically
    case 5:
        return {y, x}; // transposed
    case 6:
        return {y, h - 1 - x}; // needs a 90° clockwise turn
    case 7:
        return {w - 1 - y, h - 1 - x}; // transversed
    case 8:
        return {w - 1 - y, x}; // needs a 90° counter-clockwise turn
    default:
        return {x, y};
    }
}

RgbImage applyOrientation(RgbImage stored, int orientation) {
    if (orientation < 2 || orientation > 8) {
        return stored;
    }
    const bool swap = orientation >= 5;
    RgbImage out;
    out.width = swap ? stored.height : stored.width;
    out.height = swap ? stored.width : stored.height;
    out.pixels.resize(stored.pixels.size());
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            const auto [sx, sy] = storedPixel(orientation, x, y, stored.width, stored.height);
            std::copy_n(stored.pixel(sx, sy), 3, out.pixel(x, y));
        }
    }
    return out;
}

QString oiioError(const std::string& text) {
    QString s = QString::fromStdString(text).trimmed();
    return s.isEmpty() ? QStringLiteral("unknown decoder error") : s;
}

#endif // SFS_WITH_MEDIA

} // namespace

bool imageSupportAvailable() {
    return SFS_WITH_MEDIA != 0;
}

QStringList importableImageSuffixes() {
    QStringList suffixes;
#if SFS_WITH_MEDIA
    for (const Format& f : kFormats) {
        if (oiioHasFormat(f.oiioName)) {
            suffixes << QString::fromLatin1(f.suffixes).split(QLatin1Char(' '));
        }
    }
#endif
    return suffixes;
}

QString imageFileDialogFilter(const QString& label) {
    QStringList patterns;
    for (const QString& s : importableImageSuffixes()) {
        patterns << QStringLiteral("*.") + s;
    }
    return QStringLiteral("%1 (%2)").arg(label, patterns.join(QLatin1Char(' ')));
}

bool decodeImage(const QString& path, RgbImage& out, QString& error) {
#if SFS_WITH_MEDIA
    auto fail = [&](const QString& problem) {
        error = QStringLiteral("%1: %2").arg(path, problem);
        return false;
    };
    if (!QFileInfo(path).isFile()) {
        return fail(QStringLiteral("no such file"));
    }
    OIIO::ImageSpec config;
    // We composite ourselves, in the file's own encoding: ask for the alpha as stored.
    config.attribute("oiio:UnassociatedAlpha", 1);
    auto in = OIIO::ImageInput::open(QFile::encodeName(path).toStdString(), &config);
    if (!in) {
        return fail(QStringLiteral("cannot read the image: ") + oiioError(OIIO::geterror()));
    }
    if (importableFormat(in->format_name()) == nullptr) {
        return fail(QStringLiteral("%1 images cannot be imported (supported: %2)")
                        .arg(QString::fromLatin1(in->format_name()),
                             importableImageSuffixes().join(QStringLiteral(", "))));
    }
    const OIIO::ImageSpec spec = in->spec();
    if (spec.deep || spec.depth > 1) {
        return fail(QStringLiteral("deep and volume images cannot be imported"));
    }
    if (spec.width <= 0 || spec.height <= 0 || spec.nchannels <= 0 || spec.nchannels > 64) {
        return fail(QStringLiteral("the image has an invalid size (%1 × %2, %3 channels)")
                        .arg(spec.width)
                        .arg(spec.height)
                        .arg(spec.nchannels));
    }
    const qint64 count = qint64(spec.width) * spec.height;
    if (count > kMaxImagePixels) {
        return fail(QStringLiteral("the image is too large (%1 × %2 pixels)")
                        .arg(spec.width)
                        .arg(spec.height));
    }
    const int nch = spec.nchannels;
    std::vector<float> data(static_cast<size_t>(count) * nch);
    if (!in->read_image(0, 0, 0, nch, OIIO::TypeDesc::FLOAT, data.data())) {
        return fail(QStringLiteral("cannot decode the image: ") + oiioError(in->geterror()));
    }
    const auto base = spec.format.basetype;
    const bool linear = base == OIIO::TypeDesc::FLOAT || base == OIIO::TypeDesc::HALF ||
                        base == OIIO::TypeDesc::DOUBLE;
    const int alpha = spec.alpha_channel >= 0 && spec.alpha_channel < nch ? spec.alpha_channel : -1;
    const bool unassociated = spec.get_int_attribute("oiio:UnassociatedAlpha", 0) != 0;
    // The colour channels: the first three that are not alpha; a grey image repeats its one.
    int colour[3] = {0, 0, 0};
    {
        int found = 0;
        for (int c = 0; c < nch && found < 3; ++c) {
            if (c != alpha) {
                colour[found++] = c;
            }
        }
        if (found < 3) {
            colour[1] = colour[2] = colour[0];
        }
    }

    RgbImage stored;
    stored.width = spec.width;
    stored.height = spec.height;
    stored.pixels.resize(static_cast<size_t>(count) * 3);
    for (qint64 i = 0; i < count; ++i) {
        const float* px = &data[static_cast<size_t>(i) * nch];
        const float a = alpha >= 0 ? std::clamp(px[alpha], 0.0f, 1.0f) : 1.0f;
        for (int c = 0; c < 3; ++c) {
            float v = px[colour[c]];
            if (!std::isfinite(v)) {
                v = v > 0 ? 1.0f : 0.0f; // +inf is brightest; NaN and -inf are black
            }
            if (unassociated) {
                v *= a; // composite on black; associated alpha already is
            }
            if (linear) {
                v = srgbEncode(v);
            }
            stored.pixels[static_cast<size_t>(i) * 3 + c] =
                toByte(std::clamp(v, 0.0f, 1.0f) * 255.0f);
        }
    }
    out = applyOrientation(std::move(stored), spec.get_int_attribute("Orientation", 1));
    return true;
#else
    Q_UNUSED(out);
    error = QStringLiteral("%1: %2").arg(path, QString::fromLatin1(kNoMedia));
    return false;
#endif
}

bool importImage(const QString& sourceFile, const QString& assetsDir, ImportedImage& out,
                 QString& error) {
#if SFS_WITH_MEDIA
    const QFileInfo source(sourceFile);
    QFile file(sourceFile);
    if (!source.isFile() || !file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: cannot open the file: %2")
                    .arg(sourceFile,
                         source.exists() ? file.errorString() : QStringLiteral("no such file"));
        return false;
    }
    if (file.size() > kMaxImageFileBytes) {
        error = QStringLiteral("%1: the file is larger than %2 MB")
                    .arg(sourceFile)
                    .arg(kMaxImageFileBytes >> 20);
        return false;
    }
    const QByteArray bytes = file.readAll();
    file.close();

    QString suffix = source.suffix().toLower();
    if (!importableImageSuffixes().contains(suffix)) {
        suffix = QStringLiteral("img"); // OpenImageIO finds the format from the content
    }
    const QString hash = contentHash(bytes);
    const QString relative = QStringLiteral("images/%1.%2").arg(hash, suffix);
    const QDir dir(assetsDir);
    const QString target = dir.filePath(relative);
    if (!dir.mkpath(QStringLiteral("images"))) {
        error = QStringLiteral("%1: cannot create the assets folder")
                    .arg(dir.filePath(QStringLiteral("images")));
        return false;
    }

    // Decode a private copy, then give it its final name: nothing undecodable lands in assets,
    // and the stored bytes are exactly the ones checked.
    const QString staging =
        dir.filePath(QStringLiteral("images/.%1.importing.%2").arg(hash, suffix));
    {
        QFile tmp(staging);
        if (!tmp.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            tmp.write(bytes) != bytes.size() || !tmp.flush()) {
            error = QStringLiteral("%1: cannot write: %2").arg(staging, tmp.errorString());
            tmp.remove();
            return false;
        }
    }
    RgbImage decoded;
    QString decodeError;
    if (!decodeImage(staging, decoded, decodeError)) {
        QFile::remove(staging);
        error = decodeError.replace(staging, sourceFile);
        return false;
    }
    if (QFileInfo(target).size() == bytes.size()) {
        QFile::remove(staging); // the same content is already there
    } else {
        QFile::remove(target);
        if (!QFile::rename(staging, target)) {
            QFile::remove(staging);
            error = QStringLiteral("%1: cannot store the image in the assets folder").arg(target);
            return false;
        }
    }
    out.assetPath = relative;
    out.sourceName = source.fileName();
    out.width = decoded.width;
    out.height = decoded.height;
    return true;
#else
    Q_UNUSED(assetsDir);
    Q_UNUSED(out);
    error = QStringLiteral("%1: %2").arg(sourceFile, QString::fromLatin1(kNoMedia));
    return false;
#endif
}

RgbImage fitImage(const RgbImage& image, int width, int height, FitMode mode) {
    RgbImage out;
    if (image.isNull() || width <= 0 || height <= 0) {
        return out;
    }
    out.width = width;
    out.height = height;
    out.pixels.assign(static_cast<size_t>(width) * height * 3, 0); // black bars for Fit

    double x0 = 0, y0 = 0, sw = image.width, sh = image.height; // source rectangle
    int dx = 0, dy = 0, dw = width, dh = height;                // destination rectangle
    const double sx = static_cast<double>(width) / image.width;
    const double sy = static_cast<double>(height) / image.height;
    if (mode == FitMode::Cover) {
        const double s = std::max(sx, sy);
        sw = width / s;
        sh = height / s;
        x0 = (image.width - sw) / 2;
        y0 = (image.height - sh) / 2;
    } else if (mode == FitMode::Fit) {
        const double s = std::min(sx, sy);
        dw = std::clamp(static_cast<int>(std::lround(image.width * s)), 1, width);
        dh = std::clamp(static_cast<int>(std::lround(image.height * s)), 1, height);
        dx = (width - dw) / 2;
        dy = (height - dh) / 2;
    }
    const std::vector<float> r = resample(image, x0, y0, sw, sh, dw, dh);
    for (int y = 0; y < dh; ++y) {
        for (int x = 0; x < dw; ++x) {
            const float* p = &r[(static_cast<size_t>(y) * dw + x) * 3];
            uint8_t* q = out.pixel(dx + x, dy + y);
            for (int c = 0; c < 3; ++c) {
                q[c] = toByte(p[c]);
            }
        }
    }
    return out;
}

bool loadFittedImage(const QString& path, int width, int height, FitMode mode, RgbImage& out,
                     QString& error) {
    RgbImage decoded;
    if (!decodeImage(path, decoded, error)) {
        return false;
    }
    out = fitImage(decoded, width, height, mode);
    return true;
}

} // namespace sfs::core
