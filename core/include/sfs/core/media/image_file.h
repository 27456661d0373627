#pragma once
// Reading image files into Frames: the one OpenImageIO decode path, shared by keyframe images
// and folders of frames. What it decides, once for every caller:
// - integer images (8, 16, 32 bit) are taken as sRGB-encoded and scaled to 8 bit with rounding;
// - float and half images (OpenEXR, float TIFF) are taken as linear and encoded with the sRGB
//   transfer function (IEC 61966-2-1: 12.92·v below 0.0031308, else 1.055·v^(1/2.4) − 0.055),
//   after clamping to 0…1 (+inf is white, NaN and −inf black) — the inverse of the EXR export;
// - alpha is composited on black in the file's own encoding (colour·alpha);
// - the EXIF/TIFF orientation tag is applied, so the image is upright;
// - one-channel images become grey RGB.
//
// All functions are thread-safe and meant for worker threads: decoding can take a while.
// Without SFS_WITH_MEDIA reading fails with "image import needs a build with SFS_WITH_MEDIA".

#include "sfs/core/media/frame.h"

#include <QString>
#include <QStringList>

namespace sfs::core {

// Pictures larger than this are refused (a guard against decompression bombs).
inline constexpr qint64 kMaxImagePixels = 16384LL * 16384LL;

// True when this build can decode images (SFS_WITH_MEDIA).
bool imageSupportAvailable();

// Which files readImageFile() accepts.
enum class ImageFormats {
    Any,        // whatever this OpenImageIO reads (a folder of frames may hold TGA, ...)
    Importable, // the still formats a keyframe may be: importableImageSuffixes()
};

// The file suffixes (lower case, no dot) of the importable formats this build reads, e.g.
// {"png", "jpg", ...}: PNG, JPEG, TIFF, OpenEXR, and WebP and BMP where OpenImageIO has them.
QStringList importableImageSuffixes();
// A filter for file dialogs: "Images (*.png *.jpg ...)".
QString imageFileDialogFilter(const QString& label);

// Decodes `path` to an upright 8-bit sRGB frame. On failure a null frame, and `error` is set to
// a sentence naming the file and the problem.
Frame readImageFile(const QString& path, QString* error, ImageFormats formats = ImageFormats::Any);

// The image files (png, jpg, jpeg, tif, tiff, exr, bmp, tga, webp) directly in `folder`, in
// natural name order ("f2" before "f10"); hidden files are skipped.
QStringList listFrameFiles(const QString& folder, QString* error);

} // namespace sfs::core
