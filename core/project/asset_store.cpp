#include "sfs/core/project/asset_store.h"

#include "sfs/build_config.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/save_file.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace sfs::core {

namespace {

// Staging names: a file is written under one of these and renamed when complete, so a name
// without them is always a whole asset. copyAssetFolder() skips leftovers of an interrupted run.
const QString kPartialSuffix = QStringLiteral(".partial");     // a copy in progress
const QString kImportingInfix = QStringLiteral(".importing."); // an image import in progress

bool copyOneFile(const QString& from, const QString& to, FileError& error) {
    const QString partial = to + kPartialSuffix;
    QFile::remove(partial);
    if (!QFile::copy(from, partial)) {
        error = FileError{to, QString(), QStringLiteral("cannot copy the asset from ") + from};
        QFile::remove(partial);
        return false;
    }
    QFile::remove(to);
    if (!QFile::rename(partial, to)) {
        error = FileError{to, QString(), QStringLiteral("cannot write the asset")};
        QFile::remove(partial);
        return false;
    }
    return true;
}

} // namespace

QString assetsDirFor(const QString& projectPath) {
    return projectPath + QStringLiteral(".assets");
}

QString contentHash(const QByteArray& bytes) {
    return QString::fromLatin1(
        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(32));
}

bool importImage(const QString& sourceFile, const QString& assetsDir, ImportedImage& out,
                 QString& error) {
#if SFS_WITH_MEDIA
    const QFileInfo source(sourceFile);
    QFile file(sourceFile);
    if (!source.isFile() || !file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: cannot open the file: %2")
                    .arg(sourceFile,
                         source.exists() ? file.errorString() : QStringLiteral("no such file"));
        return false;
    }
    if (file.size() > kMaxImageFileBytes) {
        error = QStringLiteral("%1: the file is larger than %2 MB")
                    .arg(sourceFile)
                    .arg(kMaxImageFileBytes >> 20);
        return false;
    }
    const QByteArray bytes = file.readAll();
    file.close();

    QString suffix = source.suffix().toLower();
    if (!importableImageSuffixes().contains(suffix)) {
        suffix = QStringLiteral("img"); // OpenImageIO finds the format from the content
    }
    const QString hash = contentHash(bytes);
    const QString relative = QStringLiteral("images/%1.%2").arg(hash, suffix);
    const QDir dir(assetsDir);
    const QString target = dir.filePath(relative);
    if (!dir.mkpath(QStringLiteral("images"))) {
        error = QStringLiteral("%1: cannot create the assets folder")
                    .arg(dir.filePath(QStringLiteral("images")));
        return false;
    }

    // Decode a private copy, then give it its final name: nothing undecodable lands in assets,
    // and the stored bytes are exactly the ones checked.
    const QString staging =
        dir.filePath(QStringLiteral("images/.%1%2%3").arg(hash, kImportingInfix, suffix));
    // One atomic-save path for every file we write (save_file.h): a short write is an error.
    if (const QString why = saveFileAtomically(staging, bytes); !why.isEmpty()) {
        error = QStringLiteral("%1: cannot write: %2").arg(staging, why);
        return false;
    }
    QString decodeError;
    const Frame decoded = readImageFile(staging, &decodeError, ImageFormats::Importable);
    if (decoded.isNull()) {
        QFile::remove(staging);
        error = decodeError.replace(staging, sourceFile);
        return false;
    }
    if (QFileInfo(target).size() == bytes.size()) {
        QFile::remove(staging); // the same content is already there
    } else {
        QFile::remove(target);
        if (!QFile::rename(staging, target)) {
            QFile::remove(staging);
            error = QStringLiteral("%1: cannot store the image in the assets folder").arg(target);
            return false;
        }
    }
    out.assetPath = relative;
    out.sourceName = source.fileName();
    out.width = decoded.width();
    out.height = decoded.height();
    return true;
#else
    Q_UNUSED(assetsDir);
    Q_UNUSED(out);
    readImageFile(sourceFile, &error); // says this build cannot decode images
    return false;
#endif
}

bool copyAssetFolder(const QString& fromDir, const QString& toDir, FileError& error) {
    const QDir from(fromDir);
    const QDir to(toDir);
    if (!from.exists() ||
        QFileInfo(fromDir).canonicalFilePath() == QFileInfo(toDir).canonicalFilePath()) {
        return true;
    }
    if (!to.mkpath(QStringLiteral("."))) {
        error = FileError{toDir, QString(), QStringLiteral("cannot create the assets folder")};
        return false;
    }
    QDirIterator it(fromDir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString relative = from.relativeFilePath(source);
        if (relative.endsWith(kPartialSuffix) || relative.contains(kImportingInfix)) {
            continue; // leftovers of an interrupted copy or import
        }
        const QString target = to.filePath(relative);
        const QFileInfo targetInfo(target);
        if (targetInfo.isFile() && targetInfo.size() == QFileInfo(source).size()) {
            continue; // assets never change once written: same name and size, same file
        }
        if (!to.mkpath(QFileInfo(relative).path())) {
            error =
                FileError{targetInfo.path(), QString(), QStringLiteral("cannot create the folder")};
            return false;
        }
        if (!copyOneFile(source, target, error)) {
            return false;
        }
    }
    return true;
}

} // namespace sfs::core
