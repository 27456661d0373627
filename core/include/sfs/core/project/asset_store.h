#pragma once
// The asset store: the folder beside a project file ("<name>.sfsproj.assets/") that holds its
// keyframe images and take files, which the project references by relative paths. Images are
// stored under their content hash, so the same picture imported twice is stored once; every
// file is written under a staging name and then renamed, so a failure leaves no half-written
// asset (and copies skip such leftovers).

#include "sfs/core/project/file_error.h"

#include <QByteArray>
#include <QString>

namespace sfs::core {

// "<dir>/<name>.sfsproj" -> "<dir>/<name>.sfsproj.assets"
QString assetsDirFor(const QString& projectPath);

// SHA-256 of `bytes`, first 32 hex digits: the name of a content-addressed asset.
QString contentHash(const QByteArray& bytes);

// Larger files are refused before reading them whole.
inline constexpr qint64 kMaxImageFileBytes = 1024LL * 1024 * 1024;

struct ImportedImage {
    QString assetPath;  // relative to the assets folder: "images/<hash>.<ext>"
    QString sourceName; // the original file name
    int width = 0;      // upright size (after the orientation tag)
    int height = 0;
};

// Copies `sourceFile` into `assetsDir` as "images/<hash>.<ext>" after checking that it decodes.
// Importing the same content twice gives the same asset (stored once).
bool importImage(const QString& sourceFile, const QString& assetsDir, ImportedImage& out,
                 QString& error);

// Copies every file under `fromDir` into `toDir` (created as needed), keeping relative paths.
// Assets never change once written (images are named by their content, take files are written
// once), so a file already present with the same size is skipped; a different one is replaced.
// Each file is written under a temporary name and renamed: a failure leaves no half-written asset.
bool copyAssetFolder(const QString& fromDir, const QString& toDir, FileError& error);

} // namespace sfs::core
