#pragma once
// Exporting a project's take: its stored frames (take_storage.h) through a writer, with the
// provenance that lets the export reopen as a project, in one call shared by the CLI and the GUI.

#include "sfs/core/media/export_job.h"
#include "sfs/core/project/project.h"
#include "sfs/core/render/take_storage.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace sfs::core {

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

// How far a take being generated has come, as its producer (the studio's document) says: the
// frames of its completed chunks, and whether it has ended (complete, stopped or gone), which
// makes framesReady final. Set framesReady before ended; read from any thread.
struct GrowingTake {
    std::atomic<int> framesReady{0};
    std::atomic<bool> ended{false};
};

// Exports a take while it is generated ("export while generating"): each frame is read from the
// take's frames folder once its chunk is complete (growth.framesReady), and the export follows
// the take until it ends; then the writer finishes with every frame the take kept (a stopped
// take: its whole chunks). The take `request.takeId` of `project` gives the folder, the size and
// the provenance (the take as planned, complete). The range runs from range.first to range.last
// (-1: the take's end). `keepGoing(done, total)` is asked before each frame and while waiting;
// false cancels (the partial output is kept or removed as the request's options say). Runs on
// the calling thread.
TakeExportResult exportGrowingTake(const Project& project, const QString& projectPath,
                                   const QString& assetsDir, const TakeExportRequest& request,
                                   const GrowingTake& growth,
                                   const std::function<bool(int done, int total)>& keepGoing = {});

} // namespace sfs::core
