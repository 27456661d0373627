#pragma once
// Re-encoding stored frames: a source of frames, a range, and a sink. The CLI exports a folder
// of images this way; a take's stored frames plug in as another FrameSource.

#include "sfs/core/media/export_options.h"
#include "sfs/core/media/frame_sink.h"
#include "sfs/core/media/frame_source.h"
#include "sfs/core/media/queued_frame_writer.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace sfs::core {

// .mp4, .m4v and .mov are video files; anything else is an image-sequence pattern.
bool isVideoPath(const QString& path);

// The writer for `path`: Mp4Writer for video files, ImageSequenceWriter otherwise.
std::unique_ptr<QueuedFrameWriter> createWriter(const QString& path, const VideoOptions& video,
                                                const ImageSequenceOptions& sequence);

struct ExportResult {
    bool ok = false;
    bool cancelled = false; // `keepGoing` returned false; the sink was cancelled
    int framesWritten = 0;
    QString error;
};

// Sends frames range.first..range.last of `source` through `sink` at `rate` and finishes it.
// `keepGoing(done, total)` is asked before each frame; returning false cancels the sink (which
// keeps or removes the partial output as its options say). A frame that cannot be read or
// written aborts the sink: nothing of the export is left.
ExportResult exportFrames(FrameSource& source, FrameSink& sink, const FrameRange& range,
                          FrameRate rate,
                          const std::function<bool(int done, int total)>& keepGoing = {});

} // namespace sfs::core
