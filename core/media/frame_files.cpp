#include "sfs/core/frame_files.h"

#include "colour.h"

#include <OpenImageIO/imageio.h>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <vector>

namespace sfs::core {

namespace {

// Larger than any frame sfstudio handles; refuses absurd headers before allocating.
constexpr qint64 kMaxPixels = qint64(16384) * 16384;

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

Frame readFrameFile(const QString& path, QString* error) {
    const std::string name = QFile::encodeName(path).toStdString();
    auto in = OIIO::ImageInput::open(name);
    if (!in) {
        *error = QStringLiteral("%1: not a readable image (%2)")
                     .arg(path, QString::fromStdString(OIIO::geterror()).trimmed());
        return {};
    }
    const OIIO::ImageSpec& spec = in->spec();
    if (spec.width <= 0 || spec.height <= 0 || qint64(spec.width) * spec.height > kMaxPixels ||
        spec.nchannels <= 0) {
        *error = QStringLiteral("%1: the image size %2×%3 with %4 channels is not usable")
                     .arg(path)
                     .arg(spec.width)
                     .arg(spec.height)
                     .arg(spec.nchannels);
        return {};
    }
    const int w = spec.width;
    const int h = spec.height;
    // Colour channels to read: grey (+alpha) is one, anything else the first three.
    const int colour = spec.nchannels >= 3 ? 3 : 1;
    const bool isFloat = spec.format.is_floating_point();
    std::vector<float> floats;
    std::vector<std::uint8_t> bytes;
    bool ok = false;
    if (isFloat) {
        floats.resize(size_t(w) * h * colour);
        ok = in->read_image(0, 0, 0, colour, OIIO::TypeDesc::FLOAT, floats.data());
    } else {
        bytes.resize(size_t(w) * h * colour);
        ok = in->read_image(0, 0, 0, colour, OIIO::TypeDesc::UINT8, bytes.data());
    }
    if (!ok) {
        *error = QStringLiteral("%1: the pixels cannot be read (%2)")
                     .arg(path, QString::fromStdString(in->geterror()).trimmed());
        return {};
    }
    Frame frame(w, h);
    for (int y = 0; y < h; ++y) {
        std::uint8_t* dst = frame.row(y);
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < 3; ++c) {
                const size_t src = (size_t(y) * w + x) * colour + (colour == 3 ? c : 0);
                if (isFloat) {
                    const float v = media_detail::linearToSrgb(floats[src]);
                    dst[3 * x + c] = std::uint8_t(std::lround(std::min(v, 1.0f) * 255.0f));
                } else {
                    dst[3 * x + c] = bytes[src];
                }
            }
        }
    }
    return frame;
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
