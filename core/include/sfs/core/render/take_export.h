#pragma once
// Exporting a project's take: its stored frames (take_storage.h) through a writer, with the
// provenance that lets the export reopen as a project, in one call shared by the CLI and the GUI.

#include "sfs/core/media/export_job.h"
#include "sfs/core/project/project.h"
#include "sfs/core/render/take_storage.h"

#include <QString>
#include <QStringList>

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

} // namespace sfs::core
