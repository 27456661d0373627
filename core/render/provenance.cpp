// The provenance a take's export carries, and reopening an export as a project.

#include "sfs/core/render/provenance.h"

#include "sfs/core/project/project_file.h"
#include "sfs/core/project/save_file.h"
#include "sfs/inference/model_discovery.h"
#include "sfs/version.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

#include <exception>

namespace sfs::core {

namespace {

QString str(const char* key) {
    return QString::fromLatin1(key);
}

QJsonObject modelIdentities(const RenderSettings& settings, QStringList* notices) {
    QJsonObject models{{str("decoder"), toString(settings.decoder)}};
    if (settings.usesDemoModel()) {
        models.insert(str("folder"), QString());
        models.insert(str("builtInDemo"), true);
        return models;
    }
    models.insert(str("folder"), settings.modelFolder);
    models.insert(str("builtInDemo"), false);
    if (!QFileInfo::exists(settings.modelFolder)) {
        notices->append(QStringLiteral("the model folder %1 does not exist here: the export "
                                       "records its path only")
                            .arg(settings.modelFolder));
        return models;
    }
    // Headers only: a folder of multi-GB files is inspected in milliseconds.
    try {
        const inference::ModelInventory inventory =
            inference::discoverModels(QFile::encodeName(settings.modelFolder).toStdString());
        const QDir root(settings.modelFolder);
        QJsonArray files;
        for (const inference::DiscoveredFile& f : inventory.files) {
            if (!f.usable()) {
                continue;
            }
            QJsonObject file{
                {str("role"), str(inference::modelRoleName(f.role))},
                {str("file"), root.relativeFilePath(QString::fromStdString(f.path))},
                {str("bytes"), double(f.bytes)},
                {str("format"), QString::fromStdString(f.format)},
            };
            if (!f.dtype.empty()) {
                file.insert(str("dtype"), QString::fromStdString(f.dtype));
            }
            if (!f.knownAs.empty()) {
                file.insert(str("knownAs"), QString::fromStdString(f.knownAs));
            }
            files.append(file);
        }
        models.insert(str("files"), files);
    } catch (const std::exception& e) {
        notices->append(QStringLiteral("the model folder %1 could not be inspected (%2): the "
                                       "export records its path only")
                            .arg(settings.modelFolder, QString::fromUtf8(e.what())));
    }
    return models;
}

// Every image a reopened project needs: the keyframes' and the take's VACE reference image
// (under the one "keyframeImages" key, by path, so older readers find the keyframes' as before).
QJsonArray projectImages(const Project& project, const RenderSettings& settings,
                         const QString& assetsDir, QStringList* notices) {
    QStringList paths;
    for (const Keyframe& k : project.keyframes) {
        paths << k.image;
    }
    if (!settings.referenceImage.isEmpty()) {
        paths << settings.referenceImage;
    }
    QJsonArray images;
    QSet<QString> seen;
    qint64 embedded = 0;
    const QDir dir(assetsDir);
    for (const QString& image : paths) {
        if (seen.contains(image)) {
            continue; // keyframes often share an image
        }
        seen.insert(image);
        QJsonObject entry{{str("path"), image}};
        QFile file(dir.filePath(image));
        const qint64 size = file.size();
        if (!file.open(QIODevice::ReadOnly)) {
            notices->append(QStringLiteral("image %1 cannot be read (%2): the export "
                                           "only names it")
                                .arg(dir.filePath(image), file.errorString()));
        } else if (embedded + size > kMaxEmbeddedImageBytes) {
            entry.insert(str("bytes"), double(size));
            notices->append(QStringLiteral("image %1 (%2 bytes) is not embedded: the "
                                           "export's images would pass %3 MiB; reopening it "
                                           "needs the original project's assets")
                                .arg(image)
                                .arg(size)
                                .arg(kMaxEmbeddedImageBytes / (1024 * 1024)));
        } else {
            const QByteArray bytes = file.readAll();
            embedded += bytes.size();
            entry.insert(str("bytes"), double(bytes.size()));
            entry.insert(str("sha256"), contentHash(bytes));
            entry.insert(str("data"), QString::fromLatin1(bytes.toBase64()));
        }
        images.append(entry);
    }
    return images;
}

} // namespace

Project projectForReopening(const Project& project, const Take& take) {
    Project p = project;
    p.settings = take.settings;
    p.takes.clear();
    return p;
}

QJsonObject makeTakeProvenance(const Project& project, const Take& take, const QString& projectPath,
                               const QString& assetsDir, int firstFrame, int lastFrame,
                               FrameRate rate, QStringList* notices) {
    QJsonArray prompts;
    for (size_t i = 0; i < project.prompts.size(); ++i) {
        prompts.append(QJsonObject{{str("start"), project.prompts[i].startFrame},
                                   {str("end"), project.promptEndFrame(int(i))},
                                   {str("text"), project.prompts[i].text}});
    }
    const QJsonObject takeInfo{
        {str("id"), take.id},
        {str("created"), take.created.toUTC().toString(Qt::ISODateWithMs)},
        {str("status"), toString(take.status)},
        {str("chunksCompleted"), take.chunksCompleted},
        {str("durationFrames"), take.durationFrames},
        {str("firstFrame"), firstFrame},
        {str("lastFrame"), lastFrame},
        {str("frameRate"), rate.toString()},
    };
    QJsonObject source;
    if (!projectPath.isEmpty()) {
        source.insert(str("file"), QFileInfo(projectPath).absoluteFilePath());
    }
    source.insert(str("assets"), QFileInfo(assetsDir).absoluteFilePath());
    return QJsonObject{
        {str("format"), str(kProvenanceFormatName)},
        {str("version"), kProvenanceFormatVersion},
        {str("generator"), QStringLiteral("sfstudio " SFS_VERSION_STRING)},
        {str("exportedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {str("project"), projectToJson(projectForReopening(project, take))},
        {str("sourceProject"), source},
        {str("take"), takeInfo},
        // A JSON number is exact for seeds (they stay below 2^53).
        {str("seed"), double(take.settings.seed)},
        {str("prompts"), prompts},
        {str("models"), modelIdentities(take.settings, notices)},
        {str("keyframeImages"), projectImages(project, take.settings, assetsDir, notices)},
    };
}

bool isExportedProjectPath(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    return ext == QLatin1String("mp4") || ext == QLatin1String("m4v") ||
           ext == QLatin1String("mov") || ext == QLatin1String("json");
}

namespace {

// Makes `relative` present in `assetsDir` with exactly `bytes` (written under a temporary name,
// so a failure leaves nothing half-written). An equal file already there is kept.
bool placeAsset(const QString& assetsDir, const QString& relative, const QByteArray& bytes,
                QString* problem) {
    const QString target = QDir(assetsDir).filePath(relative);
    QFile existing(target);
    if (existing.size() == bytes.size() && existing.open(QIODevice::ReadOnly) &&
        existing.readAll() == bytes) {
        return true;
    }
    existing.close();
    if (!QDir().mkpath(QFileInfo(target).path())) {
        *problem = QStringLiteral("cannot create the folder %1").arg(QFileInfo(target).path());
        return false;
    }
    if (const QString why = saveFileAtomically(target, bytes); !why.isEmpty()) {
        *problem = QStringLiteral("cannot write %1 (%2)").arg(target, why);
        return false;
    }
    return true;
}

// The bytes of one keyframe image: its embedded copy, else the original project's asset.
// Empty with `why` set when neither is there or the copy does not match what was recorded.
QByteArray findImage(const QJsonObject& entry, const QString& originalAssets, QString* why) {
    const QString path = entry.value(str("path")).toString();
    const QString base = QFileInfo(path).completeBaseName();
    // Images are named by their content hash; anything else is checked by size only.
    auto matches = [&](const QByteArray& bytes) {
        const QJsonValue size = entry.value(str("bytes"));
        return (size.isUndefined() || qint64(size.toDouble()) == bytes.size()) &&
               (base.size() != 32 || contentHash(bytes) == base);
    };
    if (entry.contains(str("data"))) {
        const QByteArray::FromBase64Result decoded =
            QByteArray::fromBase64Encoding(entry.value(str("data")).toString().toLatin1(),
                                           QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && matches(*decoded)) {
            return *decoded;
        }
        *why = QStringLiteral("its embedded copy is damaged");
    }
    if (!originalAssets.isEmpty()) {
        QFile original(QDir(originalAssets).filePath(path));
        if (original.open(QIODevice::ReadOnly)) {
            const QByteArray bytes = original.readAll();
            if (matches(bytes)) {
                return bytes;
            }
            *why =
                QStringLiteral("%1 no longer matches the exported image").arg(original.fileName());
            return {};
        }
    }
    if (why->isEmpty()) {
        *why = originalAssets.isEmpty()
                   ? QStringLiteral("it is not embedded in the export")
                   : QStringLiteral("it is not embedded, and the original project's assets (%1) "
                                    "do not have it")
                         .arg(originalAssets);
    }
    return {};
}

} // namespace

bool openExportedProject(const QString& exportPath, const QString& assetsDir,
                         const OpenExportOptions& options, OpenedExport* out, FileError* error) {
    const QString file = QFileInfo(exportPath).absoluteFilePath();
    QJsonObject provenance;
    QString problem;
    if (!readProvenance(file, &provenance, &problem)) {
        *error = FileError{file, QString(), problem.remove(file + QStringLiteral(": "))};
        return false;
    }
    // Pointers name fields as they sit in the file: the sidecar nests the provenance.
    const QString at = exportPath.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
                           ? QStringLiteral("/provenance")
                           : QString();
    if (provenance.value(str("format")).toString() != str(kProvenanceFormatName)) {
        *error = FileError{file, at + QStringLiteral("/format"),
                           QStringLiteral("the export's metadata is not sfstudio provenance "
                                          "(expected \"%1\")")
                               .arg(str(kProvenanceFormatName))};
        return false;
    }
    const int version = provenance.value(str("version")).toInt(-1);
    if (version < 1 || version > kProvenanceFormatVersion) {
        *error = FileError{file, at + QStringLiteral("/version"),
                           QStringLiteral("provenance version %1 is not one this sfstudio "
                                          "(%2) reads (1 to %3)")
                               .arg(provenance.value(str("version")).toVariant().toString(),
                                    QStringLiteral(SFS_VERSION_STRING))
                               .arg(kProvenanceFormatVersion)};
        return false;
    }
    if (!provenance.value(str("project")).isObject()) {
        *error = FileError{file, at + QStringLiteral("/project"),
                           QStringLiteral("the export carries no project")};
        return false;
    }
    OpenedExport opened;
    if (!parseProjectJson(provenance.value(str("project")).toObject(), file,
                          at + QStringLiteral("/project"), opened.loaded, *error)) {
        return false;
    }
    opened.provenance = provenance;
    opened.takeId = provenance.value(str("take")).toObject().value(str("id")).toString();

    // Keyframe images: from the export, else from the original project's assets.
    const QString originalAssets =
        provenance.value(str("sourceProject")).toObject().value(str("assets")).toString();
    QHash<QString, QJsonObject> entries;
    for (const QJsonValue& v : provenance.value(str("keyframeImages")).toArray()) {
        entries.insert(v.toObject().value(str("path")).toString(), v.toObject());
    }
    Project& project = opened.loaded.project;
    QStringList missing;
    QSet<QString> missingPaths;
    QSet<QString> placed;
    for (const Keyframe& k : project.keyframes) {
        if (placed.contains(k.image) || missingPaths.contains(k.image)) {
            continue;
        }
        QString why;
        const QByteArray bytes = findImage(
            entries.value(k.image, QJsonObject{{str("path"), k.image}}), originalAssets, &why);
        if (bytes.isEmpty()) {
            missing << QStringLiteral("%1 (keyframe %2 at frame %3: %4)")
                           .arg(k.image, k.id)
                           .arg(k.frame)
                           .arg(why);
            missingPaths.insert(k.image);
            continue;
        }
        QString writeProblem;
        if (!placeAsset(assetsDir, k.image, bytes, &writeProblem)) {
            *error = FileError{file, QString(), writeProblem};
            return false;
        }
        placed.insert(k.image);
        opened.writtenAssets << k.image;
    }
    // The VACE reference image: without it the project still opens, without the reference.
    RenderSettings& settings = project.settings;
    if (!settings.referenceImage.isEmpty() && !placed.contains(settings.referenceImage)) {
        QString why;
        const QByteArray bytes =
            findImage(entries.value(settings.referenceImage,
                                    QJsonObject{{str("path"), settings.referenceImage}}),
                      originalAssets, &why);
        QString writeProblem;
        if (bytes.isEmpty()) {
            opened.loaded.warnings << QStringLiteral("%1: the VACE reference image %2 cannot be "
                                                     "recovered (%3): the project opens without it")
                                          .arg(file, settings.referenceImage, why);
            settings.referenceImage.clear();
        } else if (!placeAsset(assetsDir, settings.referenceImage, bytes, &writeProblem)) {
            *error = FileError{file, QString(), writeProblem};
            return false;
        } else {
            opened.writtenAssets << settings.referenceImage;
        }
    }
    if (!missing.isEmpty()) {
        if (!options.dropMissingKeyframes) {
            *error =
                FileError{file, QString(),
                          QStringLiteral("keyframe images cannot be recovered (%1 of them): %2")
                              .arg(missing.size())
                              .arg(missing.join(QStringLiteral("; ")))};
            return false;
        }
        std::vector<Keyframe> kept;
        for (const Keyframe& k : project.keyframes) {
            if (missingPaths.contains(k.image)) {
                opened.loaded.warnings << QStringLiteral("%1: keyframe %2 at frame %3 was left "
                                                         "out: its image %4 cannot be recovered")
                                              .arg(file, k.id)
                                              .arg(k.frame)
                                              .arg(k.image);
            } else {
                kept.push_back(k);
            }
        }
        project.keyframes = kept;
    }
    // The same validation as opening a project file: every image exists and decodes.
    if (!checkAssets(project, assetsDir, file, LoadOptions{}, opened.loaded.warnings, *error)) {
        return false;
    }
    *out = std::move(opened);
    return true;
}

} // namespace sfs::core
