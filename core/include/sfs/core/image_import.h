#pragma once
// Keyframe images: import into a project's assets, decode to 8-bit sRGB, fit to a resolution.
//
// Decoding goes through OpenImageIO (PNG, JPEG, TIFF, OpenEXR, and WebP and BMP where this
// OpenImageIO has them):
// - integer images (8, 16, 32 bit) are taken as sRGB-encoded and scaled to 8 bit with rounding;
// - float and half images (OpenEXR, float TIFF) are taken as linear and encoded with the sRGB
//   transfer function (IEC 61966-2-1: 12.92·v below 0.0031308, else 1.055·v^(1/2.4) − 0.055),
//   after clamping to 0…1;
// - alpha is composited on black in the file's own encoding (color·alpha);
// - the EXIF/TIFF orientation tag is applied, so the image is upright;
// - one-channel images become grey RGB.
// The original file is what the assets keep (content-hashed name); the fitted RGB at the project
// resolution is computed on demand from it.
//
// All functions are thread-safe and meant for worker threads: decoding can take a while.
// Without SFS_WITH_MEDIA they fail with "image import needs a build with SFS_WITH_MEDIA".

#include "sfs/core/project.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace sfs::core {

// Tightly packed 8-bit RGB, rows top to bottom.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; // width * height * 3

    bool isNull() const { return width <= 0 || height <= 0; }
    const uint8_t* pixel(int x, int y) const {
        return pixels.data() + (static_cast<size_t>(y) * width + x) * 3;
    }
    uint8_t* pixel(int x, int y) {
        return pixels.data() + (static_cast<size_t>(y) * width + x) * 3;
    }
};

struct ImportedImage {
    QString assetPath;  // relative to the assets folder: "images/<hash>.<ext>"
    QString sourceName; // the original file name
    int width = 0;      // upright size (after the orientation tag)
    int height = 0;
};

// Pictures larger than this are refused (a guard against decompression bombs).
inline constexpr qint64 kMaxImagePixels = 16384LL * 16384LL;
inline constexpr qint64 kMaxImageFileBytes = 1024LL * 1024 * 1024;

// True when this build can decode images (SFS_WITH_MEDIA).
bool imageSupportAvailable();
// The file suffixes (lower case, no dot) this build imports, e.g. {"png", "jpg", ...}.
QStringList importableImageSuffixes();
// A filter for file dialogs: "Images (*.png *.jpg ...)".
QString imageFileDialogFilter(const QString& label);

// Decodes `path` to upright 8-bit sRGB RGB. On failure returns false and sets `error` to a
// sentence naming the file and the problem.
bool decodeImage(const QString& path, RgbImage& out, QString& error);

// Copies `sourceFile` into `assetsDir` as "images/<hash>.<ext>" after checking that it decodes.
// Importing the same content twice gives the same asset (stored once).
bool importImage(const QString& sourceFile, const QString& assetsDir, ImportedImage& out,
                 QString& error);

// `image` brought to width × height: cover crops the centre, fit adds black bars, stretch
// scales each axis. Resampling is separable with a triangle filter widened when shrinking
// (no aliasing), on the sRGB-encoded values.
RgbImage fitImage(const RgbImage& image, int width, int height, FitMode mode);

// decodeImage + fitImage.
bool loadFittedImage(const QString& path, int width, int height, FitMode mode, RgbImage& out,
                     QString& error);

} // namespace sfs::core
