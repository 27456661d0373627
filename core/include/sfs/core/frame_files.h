#pragma once
// Frames from image files (OpenImageIO): what `sfstudio-cli export` reads from a folder.

#include "sfs/core/frame.h"

#include <QString>
#include <QStringList>

namespace sfs::core {

// Reads an image as 8-bit RGB: grey is repeated into R, G, B; alpha is dropped; 16-bit values
// are rounded to 8 bits; float images (EXR) are taken as linear light and sRGB-encoded, the
// inverse of the EXR export. A null frame and a message naming the file on failure.
Frame readFrameFile(const QString& path, QString* error);

// The image files (png, jpg, jpeg, tif, tiff, exr, bmp, tga, webp) directly in `folder`, in
// natural name order ("f2" before "f10"); hidden files are skipped.
QStringList listFrameFiles(const QString& folder, QString* error);

} // namespace sfs::core
