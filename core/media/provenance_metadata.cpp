#include "sfs/core/media/provenance_metadata.h"

#include "ffmpeg_util.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

extern "C" {
#include <libavformat/avformat.h>
}

namespace sfs::core {

namespace {

// Sidecars hold a project's JSON, not media; anything far larger is not one of ours.
constexpr qint64 kMaxSidecarBytes = 64 * 1024 * 1024;

bool parseObject(const QByteArray& bytes, const QString& path, const QString& where,
                 QJsonObject* out, QString* error) {
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1: the %2 is not a JSON object (%3 at offset %4)")
                     .arg(path, where,
                          doc.isNull() ? parseError.errorString() : QStringLiteral("another value"))
                     .arg(doc.isNull() ? parseError.offset : 0);
        return false;
    }
    *out = doc.object();
    return true;
}

bool readFromSidecar(const QString& path, QJsonObject* provenance, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot be opened (%2)").arg(path, file.errorString());
        return false;
    }
    if (file.size() > kMaxSidecarBytes) {
        *error = QStringLiteral("%1: %2 bytes is too large for an sfstudio sidecar")
                     .arg(path)
                     .arg(file.size());
        return false;
    }
    QJsonObject root;
    if (!parseObject(file.readAll(), path, QStringLiteral("file"), &root, error)) {
        return false;
    }
    if (!root.value(QStringLiteral("sfstudio")).isObject()) {
        *error = QStringLiteral("%1: not an sfstudio sidecar (no \"sfstudio\" section)").arg(path);
        return false;
    }
    const QJsonValue value = root.value(QStringLiteral("provenance"));
    if (!value.isObject()) {
        *error = QStringLiteral("%1: the sidecar carries no provenance (the export was made "
                                "without one)")
                     .arg(path);
        return false;
    }
    *provenance = value.toObject();
    return true;
}

bool readFromMedia(const QString& path, QJsonObject* provenance, QString* error) {
    media_detail::initFfmpegLogging();
    AVFormatContext* format = nullptr;
    const QByteArray name = QFile::encodeName(path);
    if (const int err = avformat_open_input(&format, name.constData(), nullptr, nullptr); err < 0) {
        *error = QStringLiteral("%1: not a readable video file (%2)")
                     .arg(path, media_detail::ffmpegErrorText(err));
        return false;
    }
    const AVDictionaryEntry* entry =
        av_dict_get(format->metadata, kProvenanceMetadataKey, nullptr, AV_DICT_MATCH_CASE);
    const QByteArray json = entry != nullptr ? QByteArray(entry->value) : QByteArray();
    avformat_close_input(&format);
    if (json.isEmpty()) {
        *error = QStringLiteral("%1: carries no sfstudio provenance (it was not exported by "
                                "sfstudio, or its metadata was removed)")
                     .arg(path);
        return false;
    }
    return parseObject(json, path, QStringLiteral("provenance metadata"), provenance, error);
}

} // namespace

bool readProvenance(const QString& path, QJsonObject* provenance, QString* error) {
    if (!QFileInfo(path).isFile()) {
        *error = QStringLiteral("%1: no such file").arg(path);
        return false;
    }
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
        return readFromSidecar(path, provenance, error);
    }
    return readFromMedia(path, provenance, error);
}

} // namespace sfs::core
