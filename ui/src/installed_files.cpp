#include "installed_files.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

// SFS_INSTALL_DATADIR, SFS_INSTALL_DOCDIR and SFS_SOURCE_DIR come from ui/CMakeLists.txt, for
// this file only.

namespace sfs::ui {

namespace {

const QString kSampleName = QStringLiteral("paper-boat.sfsproj");
const QString kGuideName = QStringLiteral("user-guide.md");

QString firstExisting(const QStringList& candidates) {
    for (const QString& path : candidates) {
        if (QFileInfo(path).isFile()) {
            return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        }
    }
    return QString();
}

// The program's share folder when installed relocatably (bin/../share).
QString besideProgram(const QString& relative) {
    return QDir(QCoreApplication::applicationDirPath())
        .filePath(QStringLiteral("../share/") + relative);
}

} // namespace

QStringList sampleProjectCandidates() {
    const QString dataDir = qEnvironmentVariable("SFS_DATA_DIR");
    if (!dataDir.isEmpty()) {
        return {QDir(dataDir).filePath(QStringLiteral("examples/") + kSampleName)};
    }
    return {besideProgram(QStringLiteral("sfstudio/examples/") + kSampleName),
            QStringLiteral(SFS_INSTALL_DATADIR "/sfstudio/examples/") + kSampleName,
            QStringLiteral(SFS_SOURCE_DIR "/resources/examples/") + kSampleName};
}

QStringList userGuideCandidates() {
    const QString dataDir = qEnvironmentVariable("SFS_DATA_DIR");
    if (!dataDir.isEmpty()) {
        return {QDir(dataDir).filePath(kGuideName)};
    }
    return {besideProgram(QStringLiteral("doc/sfstudio/") + kGuideName),
            QStringLiteral(SFS_INSTALL_DOCDIR "/") + kGuideName,
            QStringLiteral(SFS_SOURCE_DIR "/docs/") + kGuideName};
}

QString sampleProjectPath() {
    return firstExisting(sampleProjectCandidates());
}

QString userGuidePath() {
    return firstExisting(userGuideCandidates());
}

} // namespace sfs::ui
