#pragma once
// Versions of the libraries this build uses, for About boxes, --version and bug reports.

#include <QList>
#include <QPair>
#include <QString>

namespace sfs::core {

// True when the build has FFmpeg and OpenImageIO (image import and export).
bool hasMediaSupport();

// Name/version pairs: sfstudio, Qt, LibTorch, FFmpeg (libavformat, libavcodec), OpenImageIO.
// Libraries not in this build say so ("not built in").
QList<QPair<QString, QString>> libraryVersions();

// The compute device the engine would use, e.g. "CPU (2 threads)" or "NVIDIA H100 (CUDA)".
// May initialise CUDA and take a moment: call it off the UI thread.
QString computeDeviceDescription();

} // namespace sfs::core
