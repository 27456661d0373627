#pragma once
// A batch: many renders (takes) described in one JSON file, for a render farm. Each entry names
// a project and one seed or a list of seeds; a list expands into one item per seed, and every
// item gets its own output from the batch's output pattern. Format: docs/farm.md.
//
//   {"format": "sfstudio-batch", "version": 1,
//    "output": "renders/{project}/{seed}.mp4",
//    "items": [{"project": "shots/boat.sfsproj", "seeds": [1, 2], "frames": 21,
//               "model": "demo", "decoder": "taehv", "size": "64x64"}]}
//
// Parsing (this header) reads only the batch file; checkBatch() (batch_render.h) then opens
// every project and model.

#include "sfs/core/project/file_error.h"
#include "sfs/core/project/project.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sfs::core {

inline constexpr int kBatchFormatVersion = 1;

// The output pattern's end decides what an item writes.
enum class BatchOutputKind {
    Video,         // .mp4, .mov or .m4v: one clip per item
    ImageSequence, // a trailing '/': one folder of PNG frames per item
};

// One render of the batch, after expansion. The optional fields are the render settings an
// entry may set; unset means the project's own (as `sfstudio-cli render` without the option).
struct BatchItem {
    int index = 0;   // 0, 1, …: the item's number, and its Slurm array task id
    QString entry;   // JSON pointer of the entry it came from: "/items/2"
    QString project; // absolute path of the project file
    qint64 seed = 0;
    std::optional<int> frames;      // the first N frames (whole chunks)
    std::optional<QString> model;   // "demo" or an absolute model folder
    std::optional<Decoder> decoder; // the final decoder
    std::optional<int> width;       // with height: the video size ("size": "WxH")
    std::optional<int> height;
    QString output; // absolute: the clip, or the folder of frames (no trailing '/')

    // "item 3 (boat.sfsproj, seed 7)": how messages name an item.
    QString label() const;
};

struct Batch {
    QString file;          // absolute path of the batch file
    QString outputPattern; // as written in the file
    BatchOutputKind outputKind = BatchOutputKind::Video;
    std::vector<BatchItem> items; // expanded, in file order

    QString folder() const; // the batch file's folder: relative paths in the file start here
    // Where the batch's companions live, beside it: "<folder>/<stem><suffix>" (the stem is the
    // file name without its last extension: shots.json -> shots).
    QString companionPath(const QString& suffix) const;
};

// "{item}" in an output pattern: the index zero-padded to 4 digits (more when needed).
QString paddedItemIndex(int index);

// The output of one item, relative to the batch folder unless the pattern is absolute:
// {project} = the project file's name without its extension, {seed}, {item}.
QString expandOutputPattern(const QString& pattern, const QString& projectName, qint64 seed,
                            int index);

// Parses and expands a batch from JSON bytes; `file` (absolute) names it in errors and anchors
// its relative paths. Refuses malformed JSON, another format, a newer version, unknown fields
// (a misspelt "seeds" would otherwise be ignored), bad values, and an output pattern that makes
// two items write the same file (or one inside another's folder). The error names the field
// (a JSON pointer) and the problem. On failure `out` is untouched.
bool parseBatch(const QByteArray& json, const QString& file, Batch& out, FileError& error);

// Reads `path` and parses it.
bool loadBatch(const QString& path, Batch& out, FileError& error);

} // namespace sfs::core
