#pragma once
// The provenance of a take's export: the project it reopens as, written into the export by
// exportTake() and read back by openExportedProject(). Where the JSON is stored in a file (MP4
// metadata, sequence sidecar) is the media room's business: sfs/core/media/provenance_metadata.h.

#include "sfs/core/media/frame_sink.h"
#include "sfs/core/media/provenance_metadata.h"
#include "sfs/core/project/project.h"
#include "sfs/core/project/project_file.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace sfs::core {

inline constexpr char kProvenanceFormatName[] = "sfstudio-provenance";
inline constexpr int kProvenanceFormatVersion = 1;
// Keyframe images are embedded (base64) up to this many bytes in all; larger ones are only
// referenced and recovered from the original project's assets folder when it is still there.
inline constexpr qint64 kMaxEmbeddedImageBytes = 16 * 1024 * 1024;

// The project an export of `take` reopens as: the storyboard (keyframes, prompts, duration) with
// the settings the take was generated with (seed, steps, model), so generating it again makes
// the same clip. Takes are left out: their frames and latents stay with the original project.
Project projectForReopening(const Project& project, const Take& take);

// The provenance object an export of frames first..last of `take` carries:
//   format, version, generator, exportedAt,
//   project        projectForReopening() as project-file JSON (the loader reads it back),
//   sourceProject  the original .sfsproj and its assets folder (empty when untitled),
//   take           id, created, status, chunks, duration, and the exported range and rate,
//   seed, prompts  (start, end, text) for people reading the metadata with ffprobe,
//   models         the model folder and, when it can be inspected, each model file's role,
//                  name, size, format, dtype and the release it matches,
//   keyframeImages path, bytes and (within kMaxEmbeddedImageBytes) the base64 data of each
//                  keyframe image.
// `notices` receives what the user should know (images too large to embed, models not found).
QJsonObject makeTakeProvenance(const Project& project, const Take& take, const QString& projectPath,
                               const QString& assetsDir, int firstFrame, int lastFrame,
                               FrameRate rate, QStringList* notices);

struct OpenExportOptions {
    // Keyframes whose image is neither embedded nor found are dropped (with a warning) instead
    // of failing the open.
    bool dropMissingKeyframes = false;
};

struct OpenedExport {
    LoadedProject loaded; // validated by the project loader; warnings include what was dropped
    QJsonObject provenance;
    QString takeId;            // the take the export was made from
    QStringList writtenAssets; // keyframe images written into the assets folder
};

// Opens an exported MP4/MOV (or an image sequence's sidecar .json) as a project whose assets
// live in `assetsDir`: each keyframe image is written there from the export's embedded copy
// (checked against its size and content hash) or copied from the original project's assets
// folder; the project then goes through the project loader's validation, images decoded.
// Fails, naming the file and every missing image, when an image can be found nowhere (unless
// options.dropMissingKeyframes). Images already in `assetsDir` with the same content are kept.
bool openExportedProject(const QString& exportPath, const QString& assetsDir,
                         const OpenExportOptions& options, OpenedExport* out, FileError* error);

// True for the files openExportedProject() reads: .mp4, .m4v, .mov and .json.
bool isExportedProjectPath(const QString& path);

} // namespace sfs::core
