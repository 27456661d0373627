#pragma once
// Keyframe images brought to the project resolution. The image is decoded by the one image
// reader (sfs/core/media/image_file.h); the asset store keeps the original file
// (asset_store.h), and the fitted frame is computed on demand from it. Thread-safe.

#include "sfs/core/media/frame.h"
#include "sfs/core/project/project.h"

#include <QSize>
#include <QString>

#include <cstdint>
#include <vector>

namespace sfs::core {

// `image` brought to width × height: cover crops the centre, fit adds black bars, stretch
// scales each axis. Resampling is separable with a triangle filter widened when shrinking
// (no aliasing), on the sRGB-encoded values. A null frame for a null image or size.
Frame fitImage(const Frame& image, int width, int height, FitMode mode);

// readImageFile (importable formats only) + fitImage: a null frame and `error` on failure.
Frame loadFittedImage(const QString& path, int width, int height, FitMode mode, QString* error);

// How much fitImage() enlarges an image of `source` size to width × height by `mode`: the
// larger axis factor (> 1 enlarges; an image much smaller than the project blurs).
double fitUpscale(QSize source, int width, int height, FitMode mode);

// The frame's pixels as packed RGB rows, top to bottom (width · height · 3 bytes): what the
// engine takes (inference::KeyframeImage::rgb).
std::vector<std::uint8_t> packedRgb(const Frame& frame);

} // namespace sfs::core
