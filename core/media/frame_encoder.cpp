#include "frame_encoder.h"

#include <QJsonDocument>

namespace sfs::core::media_detail {

QString sizeText(QSize size) {
    return QStringLiteral("%1×%2").arg(size.width()).arg(size.height());
}

QJsonObject parseProvenanceOption(const QByteArray& json, const QString& path) {
    if (json.isEmpty()) {
        return {};
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        throw MediaError(QStringLiteral("%1: the provenance is not a JSON object (%2)")
                             .arg(path, doc.isNull() ? parseError.errorString()
                                                     : QStringLiteral("found another JSON value")));
    }
    return doc.object();
}

QSize checkedScaledSize(QSize input, const WriterOptions& options, const QString& path) {
    const QSize scaled = scaledFrameSize(input, options);
    if (scaled.isEmpty()) {
        throw MediaError(QStringLiteral("%1: the export size %2 is not usable for %3 frames")
                             .arg(path, sizeText(options.size), sizeText(input)));
    }
    return scaled;
}

} // namespace sfs::core::media_detail
