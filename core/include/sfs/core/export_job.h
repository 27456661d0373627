#pragma once
// Re-encoding stored frames: a source of frames, a range, and a sink. The CLI exports a folder
// of images this way; a take's stored frames plug in as another FrameSource.

#include "sfs/core/export_options.h"
#include "sfs/core/frame_sink.h"
#include "sfs/core/queued_frame_writer.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace sfs::core {

class FrameSource {
public:
    virtual ~FrameSource() = default;
    virtual int frameCount() const = 0;
    virtual QSize frameSize() const = 0;
    // Frame `index` (0-based), or a null frame with a message naming what failed.
    virtual Frame frame(int index, QString* error) = 0;
};

// The image files of a folder in natural name order; every file must have the first one's size.
class ImageFolderSource : public FrameSource {
public:
    // Lists the folder and reads the first frame's size; false with a message on failure.
    bool open(const QString& folder, QString* error);

    int frameCount() const override { return int(m_files.size()); }
    QSize frameSize() const override { return m_size; }
    Frame frame(int index, QString* error) override;
    const QStringList& files() const { return m_files; }

private:
    QStringList m_files;
    QSize m_size;
};

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
