#include "sfs/core/media/export_options.h"

#include <cmath>
#include <numeric>

namespace sfs::core {

FrameRate FrameRate::parse(const QString& text) {
    const QString t = text.trimmed();
    if (const int slash = t.indexOf(QLatin1Char('/')); slash >= 0) {
        bool okNum = false;
        bool okDen = false;
        const int num = t.left(slash).toInt(&okNum);
        const int den = t.mid(slash + 1).toInt(&okDen);
        if (okNum && okDen && num > 0 && den > 0) {
            const int g = std::gcd(num, den);
            return {num / g, den / g};
        }
        return {0, 0};
    }
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !(v > 0.0) || v > 1000.0) {
        return {0, 0};
    }
    // The NTSC-family rates people type as decimals.
    for (const int base : {24, 30, 48, 60, 120}) {
        if (std::abs(v - base * 1000.0 / 1001.0) < 0.005) {
            return {base * 1000, 1001};
        }
    }
    const int num = int(std::lround(v * 1000.0));
    const int g = std::gcd(num, 1000);
    return {num / g, 1000 / g};
}

QString FrameRate::toString() const {
    return den == 1 ? QString::number(num) : QStringLiteral("%1/%2").arg(num).arg(den);
}

ImageFormat parseImageFormat(const QString& name, bool* ok) {
    const QString n = name.trimmed().toLower();
    *ok = true;
    if (n == QLatin1String("png8") || n == QLatin1String("png")) {
        return ImageFormat::Png8;
    }
    if (n == QLatin1String("png16")) {
        return ImageFormat::Png16;
    }
    if (n == QLatin1String("tiff8") || n == QLatin1String("tiff") || n == QLatin1String("tif")) {
        return ImageFormat::Tiff8;
    }
    if (n == QLatin1String("tiff16")) {
        return ImageFormat::Tiff16;
    }
    if (n == QLatin1String("exr")) {
        return ImageFormat::ExrHalf;
    }
    if (n == QLatin1String("jpeg") || n == QLatin1String("jpg")) {
        return ImageFormat::Jpeg;
    }
    *ok = false;
    return ImageFormat::Auto;
}

QString imageFormatName(ImageFormat format) {
    switch (format) {
    case ImageFormat::Auto:
        return QStringLiteral("auto");
    case ImageFormat::Png8:
        return QStringLiteral("png8");
    case ImageFormat::Png16:
        return QStringLiteral("png16");
    case ImageFormat::Tiff8:
        return QStringLiteral("tiff8");
    case ImageFormat::Tiff16:
        return QStringLiteral("tiff16");
    case ImageFormat::ExrHalf:
        return QStringLiteral("exr");
    case ImageFormat::Jpeg:
        return QStringLiteral("jpeg");
    }
    return {};
}

QString imageFormatExtension(ImageFormat format) {
    switch (format) {
    case ImageFormat::Auto:
        return {};
    case ImageFormat::Png8:
    case ImageFormat::Png16:
        return QStringLiteral("png");
    case ImageFormat::Tiff8:
    case ImageFormat::Tiff16:
        return QStringLiteral("tif");
    case ImageFormat::ExrHalf:
        return QStringLiteral("exr");
    case ImageFormat::Jpeg:
        return QStringLiteral("jpg");
    }
    return {};
}

bool FrameRange::resolve(int frameCount, int* firstOut, int* lastOut, QString* error) const {
    const int lastFrame = last < 0 ? frameCount - 1 : last;
    if (frameCount <= 0) {
        *error = QStringLiteral("there are no frames to export");
        return false;
    }
    if (first < 0 || first >= frameCount || lastFrame >= frameCount || lastFrame < first) {
        *error = QStringLiteral("the range %1–%2 does not fit the %3 frames 0–%4")
                     .arg(first)
                     .arg(lastFrame)
                     .arg(frameCount)
                     .arg(frameCount - 1);
        return false;
    }
    *firstOut = first;
    *lastOut = lastFrame;
    return true;
}

QSize scaledFrameSize(QSize source, const WriterOptions& options) {
    const int tw = options.size.width();
    const int th = options.size.height();
    if (options.size.isNull() || options.size == QSize()) {
        return source; // no size set: 0 × 0, or QSize's default -1 × -1
    }
    if (tw < 0 || th < 0 || source.isEmpty()) {
        return {};
    }
    const double sw = source.width();
    const double sh = source.height();
    int w = tw;
    int h = th;
    if (tw == 0) {
        w = int(std::lround(sw * th / sh));
    } else if (th == 0) {
        h = int(std::lround(sh * tw / sw));
    } else if (options.keepAspect) {
        const double scale = std::min(tw / sw, th / sh);
        w = int(std::lround(sw * scale));
        h = int(std::lround(sh * scale));
    }
    if (w <= 0 || h <= 0) {
        return {};
    }
    return {w, h};
}

} // namespace sfs::core
