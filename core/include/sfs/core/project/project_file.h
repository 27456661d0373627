#pragma once
// The project file: JSON, UTF-8, "format": "sfstudio-project", integer "version". Every load
// goes through one place that upgrades older versions step by step and refuses newer ones.
// Assets (keyframe images, take latents and frames) live beside the file in the asset store
// (asset_store.h), referenced by relative paths. The format is described in
// docs/project-format.md.
//
// Everything here is plain functions on values, safe to call from any thread.

#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/file_error.h"
#include "sfs/core/project/project.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

namespace sfs::core {

inline constexpr int kProjectFormatVersion = 4;
inline constexpr char kProjectFormatName[] = "sfstudio-project";
inline constexpr char kProjectSuffix[] = "sfsproj";
// Larger files are refused before parsing; real projects are a few kilobytes.
inline constexpr qint64 kMaxProjectFileBytes = 64 * 1024 * 1024;

enum class AssetCheck {
    None,   // parse only (the fuzzer, tests of the JSON alone)
    Exists, // every referenced asset file exists
    Decode, // ... and every keyframe image decodes (needs SFS_WITH_MEDIA; else as Exists)
};

struct LoadOptions {
    AssetCheck assets = AssetCheck::Decode;
    // Warn when an image's content no longer matches its content-hashed name.
    bool verifyHashes = false;
};

struct LoadedProject {
    Project project;
    int fileVersion = 0;  // the version found in the file, before any upgrade
    QStringList warnings; // e.g. unknown fields that were ignored
};

// A JSON value's kind in words for messages ("a string", "an array", "missing"): shared by
// every JSON file sfstudio reads (projects, batches) so their messages read alike.
QString describeJsonType(const QJsonValue& v);

// "<dir>/<name>.sfsproj" -> "<name>"
QString projectNameFor(const QString& projectPath);
// Appends ".sfsproj" unless the path has it.
QString withProjectSuffix(const QString& path);

// Parses, upgrades and validates a project from JSON bytes; touches no file. `fileForMessages`
// names the file in errors. On failure `out` is left untouched.
bool parseProject(const QByteArray& json, const QString& fileForMessages, LoadedProject& out,
                  FileError& error);
// The same for an already parsed JSON object; `pointerPrefix` is prepended to error pointers
// (the recovery file nests the project under "/project").
bool parseProjectJson(const QJsonObject& root, const QString& fileForMessages,
                      const QString& pointerPrefix, LoadedProject& out, FileError& error);

// Reads `path`, parses it and checks the assets in `assetsDir` (assetsDirFor(path) when empty).
// Never writes anything. On failure `out` is left untouched.
bool loadProject(const QString& path, const LoadOptions& options, LoadedProject& out,
                 FileError& error, const QString& assetsDir = QString());

// Takes still "generating" in a file belong to a program that ended without finishing them (a
// crash, a kill): each becomes stopped (complete when every chunk is there) with chunksCompleted
// clamped to the whole chunks whose frames are in `assetsDir`; asset paths never written are
// dropped. One warning per such take, naming `file`. Only reads the disk. loadProject() and the
// recovery reader (autosave.h) run it before checking assets.
void settleInterruptedTakes(Project& project, const QString& assetsDir, const QString& file,
                            QStringList& warnings);

// Checks that the project's assets exist (and decode) in `assetsDir`; errors name `file`.
bool checkAssets(const Project& project, const QString& assetsDir, const QString& file,
                 const LoadOptions& options, QStringList& warnings, FileError& error);

// The current version's JSON for `project` (keys sorted, so equal projects give equal bytes).
QJsonObject projectToJson(const Project& project);
QByteArray serializeProject(const Project& project);

// Writes the project atomically (QSaveFile): the old file stays intact if anything fails.
bool writeProjectFile(const Project& project, const QString& path, FileError& error);

} // namespace sfs::core
