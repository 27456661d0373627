#pragma once
// Exporting a project's take: its stored frames as a FrameSource, the provenance that lets the
// export reopen as a project, and the whole export in one call shared by the CLI and the GUI.

#include "sfs/core/export_job.h"
#include "sfs/core/project.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace sfs::core {

// The take with `id`, or the newest one (the last created) when `id` is empty. Null, with a
// message, when the project has no takes or none with that id.
const Take* findTake(const Project& project, const QString& id, QString* error);

// Frames decoded from a video file (any format FFmpeg reads), in presentation order. Reading
// forward is sequential; asking for an earlier frame reopens the file.
class VideoFileSource : public FrameSource {
public:
    VideoFileSource();
    ~VideoFileSource() override;
    VideoFileSource(const VideoFileSource&) = delete;
    VideoFileSource& operator=(const VideoFileSource&) = delete;

    // Opens the file and counts its frames (a full demux pass, no decoding).
    bool open(const QString& path, QString* error);
    int frameCount() const override;
    QSize frameSize() const override;
    Frame frame(int index, QString* error) override;

private:
    struct State;
    std::unique_ptr<State> d;
};

// The frames a take stored in `assetsDir`: a folder of images (in natural name order) or a
// video file. Null, with a message naming the take and the path, when the take stored no frames
// (only latents, which need the model's decoder) or they cannot be read.
std::unique_ptr<FrameSource> openTakeFrames(const Take& take, const QString& assetsDir,
                                            QString* error);

// Where the export goes and how: the same options `sfstudio-cli export` takes.
struct TakeExportRequest {
    QString takeId; // empty: the newest take
    QString output; // a .mp4/.m4v/.mov file, or an image-sequence pattern
    VideoOptions video;
    ImageSequenceOptions sequence;
    FrameRange range;
    FrameRate rate;             // the project's 16 fps unless changed
    bool withProvenance = true; // embed the project (MP4 metadata or sequence sidecar)
};

// What exportTake() did: the export's result plus what the user should know.
struct TakeExportResult : ExportResult {
    QString takeId;
    QString output;
    QStringList notices; // e.g. odd sizes padded, keyframe images too large to embed
};

// Exports a take of `project` (whose assets live in `assetsDir`; `projectPath` is recorded in
// the provenance and may be empty for an untitled project). `keepGoing` is asked before each
// frame, from the calling thread; false cancels (the partial output is kept or removed as the
// request's options say). Runs on the calling thread; the writer encodes on its own.
TakeExportResult exportTake(const Project& project, const QString& projectPath,
                            const QString& assetsDir, const TakeExportRequest& request,
                            const std::function<bool(int done, int total)>& keepGoing = {});

} // namespace sfs::core
