#pragma once
// What the user chooses for an export: encoder and quality for video, file format for image
// sequences, size, range, and what happens to a stopped export.

#include "sfs/core/media/frame_sink.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QSize>
#include <QString>

namespace sfs::core {

// What cancel() leaves behind.
enum class PartialOutput {
    Remove, // nothing: an existing file or sequence of the same name stays as it was
    Keep,   // a valid, shorter output holding every frame written before the stop
};

// Options every writer shares.
struct WriterOptions {
    // Target size; empty = the frames' own size. With keepAspect the frame is scaled to fit
    // inside the target (no bars); a 0 width or height is derived from the aspect ratio.
    QSize size;
    bool keepAspect = true;
    // A JSON object (UTF-8) recording how the frames were made: project, prompts, seed, model
    // identities. Stored verbatim (MP4/MOV metadata, or the image sequence's sidecar).
    QByteArray provenanceJson;
    PartialOutput onCancel = PartialOutput::Remove;
    // Frames waiting to be encoded; write() blocks while this many are queued.
    int queueCapacity = 8;
};

struct VideoOptions : WriterOptions {
    QString encoder = QStringLiteral("libx264"); // see availableVideoEncoders()
    int crf = -1;                                // -1: the encoder's default (see encoders.h)
    QString preset;                              // empty: the encoder's default
    // Seconds between keyframes (what a player can seek to quickly).
    double keyframeInterval = 2.0;
    // Key/value metadata (e.g. "title", "comment", "artist").
    QList<QPair<QString, QString>> metadata;
};

enum class ImageFormat {
    Auto, // from the file extension: .png → Png8, .tif/.tiff → Tiff8, .exr → ExrHalf, .jpg → Jpeg
    Png8,
    Png16,
    Tiff8,
    Tiff16,
    ExrHalf, // linear light: sRGB-decoded, Rec.709 primaries, half float
    Jpeg,
};

struct ImageSequenceOptions : WriterOptions {
    ImageFormat format = ImageFormat::Auto;
    int jpegQuality = 95; // 1–100
    int firstNumber = 0;  // the number in the first file's name
};

// "png8", "png16", "tiff8", "tiff16", "exr", "jpeg" (and "png", "tiff", "jpg"); *ok is false
// for anything else.
ImageFormat parseImageFormat(const QString& name, bool* ok);
QString imageFormatName(ImageFormat format);
// The usual file extension without the dot: "png", "tif", "exr", "jpg" (empty for Auto).
QString imageFormatExtension(ImageFormat format);

// Frames first..last (inclusive, 0-based) of a clip; last = -1 means to the end.
struct FrameRange {
    int first = 0;
    int last = -1;

    // The range made concrete for a clip of `frameCount` frames; false (with a message) when it
    // lies outside the clip or is empty.
    bool resolve(int frameCount, int* firstOut, int* lastOut, QString* error) const;
};

// The size frames of `source` are scaled to for `options` (its size and keepAspect); the
// source size itself when no size is set. Empty when the target is impossible (negative, or a
// derived side that rounds to 0).
QSize scaledFrameSize(QSize source, const WriterOptions& options);

} // namespace sfs::core
