#include "sfs/core/media/image_file.h"

#include "colour.h"
#include "sfs/build_config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#if SFS_WITH_MEDIA
#include <OpenImageIO/imageio.h>
#endif

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace sfs::core {

namespace {

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

Frame applyOrientation(Frame stored, int orientation) {
    if (orientation < 2 || orientation > 8) {
        return stored;
    }
    const bool swap = orientation >= 5;
    Frame out(swap ? stored.height() : stored.width(), swap ? stored.width() : stored.height());
    for (int y = 0; y < out.height(); ++y) {
        std::uint8_t* row = out.row(y);
        for (int x = 0; x < out.width(); ++x) {
            const auto [sx, sy] = storedPixel(orientation, x, y, stored.width(), stored.height());
            std::copy_n(stored.constRow(sy) + 3 * sx, 3, row + 3 * x);
        }
    }
    return out;
}

QString oiioError(const std::string& text) {
    QString s = QString::fromStdString(text).trimmed();
    return s.isEmpty() ? QStringLiteral("unknown decoder error") : s;
}

#else

const char* const kNoMedia = "image import needs a build with SFS_WITH_MEDIA";

#endif // SFS_WITH_MEDIA

// "f2" < "f10": digit runs compare as numbers, everything else case-insensitively.
bool naturalLess(const QString& a, const QString& b) {
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            int ie = i;
            int je = j;
            while (ie < a.size() && a[ie].isDigit()) {
                ++ie;
            }
            while (je < b.size() && b[je].isDigit()) {
                ++je;
            }
            // Compare without leading zeros: longer is larger, then digit by digit.
            QStringView da = QStringView(a).mid(i, ie - i);
            QStringView db = QStringView(b).mid(j, je - j);
            while (da.size() > 1 && da.front() == QLatin1Char('0')) {
                da = da.mid(1);
            }
            while (db.size() > 1 && db.front() == QLatin1Char('0')) {
                db = db.mid(1);
            }
            if (da.size() != db.size()) {
                return da.size() < db.size();
            }
            if (const int c = da.compare(db); c != 0) {
                return c < 0;
            }
            i = ie;
            j = je;
            continue;
        }
        const QChar ca = a[i].toLower();
        const QChar cb = b[j].toLower();
        if (ca != cb) {
            return ca < cb;
        }
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j)) {
        return (a.size() - i) < (b.size() - j);
    }
    return a < b; // same up to case and zeros: keep a stable, total order
}

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

Frame readImageFile(const QString& path, QString* error, ImageFormats formats) {
#if SFS_WITH_MEDIA
    auto fail = [&](const QString& problem) {
        *error = QStringLiteral("%1: %2").arg(path, problem);
        return Frame();
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
    if (formats == ImageFormats::Importable && importableFormat(in->format_name()) == nullptr) {
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
    Frame stored;
    try {
        if (count > kMaxImagePixels) {
            throw std::invalid_argument("too many pixels");
        }
        stored = Frame(spec.width, spec.height);
    } catch (const std::invalid_argument&) {
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
    for (int y = 0; y < spec.height; ++y) {
        std::uint8_t* row = stored.row(y);
        for (int x = 0; x < spec.width; ++x) {
            const float* px = &data[(static_cast<size_t>(y) * spec.width + x) * nch];
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
                    v = media_detail::linearToSrgb(v);
                }
                row[3 * x + c] =
                    static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
            }
        }
    }
    return applyOrientation(std::move(stored), spec.get_int_attribute("Orientation", 1));
#else
    Q_UNUSED(formats);
    *error = QStringLiteral("%1: %2").arg(path, QString::fromLatin1(kNoMedia));
    return {};
#endif
}

QStringList listFrameFiles(const QString& folder, QString* error) {
    const QDir dir(folder);
    if (!QFileInfo(folder).isDir()) {
        *error = QStringLiteral("%1: no such folder").arg(folder);
        return {};
    }
    const QStringList filters = {"*.png", "*.jpg", "*.jpeg", "*.tif", "*.tiff",
                                 "*.exr", "*.bmp", "*.tga",  "*.webp"};
    QStringList names = dir.entryList(filters, QDir::Files | QDir::Readable, QDir::NoSort);
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const QString& n) { return n.startsWith(QLatin1Char('.')); }),
                names.end());
    std::sort(names.begin(), names.end(), naturalLess);
    QStringList paths;
    for (const QString& n : names) {
        paths.append(dir.filePath(n));
    }
    return paths;
}

} // namespace sfs::core
