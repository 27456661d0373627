#include "sequence_pattern.h"

#include "sfs/core/media/provenance_metadata.h"

#include <QDir>
#include <QFileInfo>

namespace sfs::core::media_detail {

bool SequencePattern::parse(const QString& path, QString* error) {
    const QFileInfo info(path);
    const QString name = info.fileName();
    static const QRegularExpression token(QStringLiteral("%(0?)(\\d*)d|#+"));
    auto it = token.globalMatch(name);
    int count = 0;
    QRegularExpressionMatch found;
    while (it.hasNext()) {
        found = it.next();
        ++count;
    }
    if (count != 1) {
        *error = QStringLiteral("%1: the file name needs exactly one frame number, written %04d "
                                "or #### (found %2)")
                     .arg(path)
                     .arg(count);
        return false;
    }
    if (found.captured(0).startsWith(QLatin1Char('#'))) {
        m_digits = int(found.capturedLength(0));
    } else {
        m_digits = found.captured(2).isEmpty() ? 1 : found.captured(2).toInt();
        if (m_digits > 12) {
            *error = QStringLiteral("%1: %2 digits is more than a frame number needs")
                         .arg(path)
                         .arg(m_digits);
            return false;
        }
    }
    m_folder = info.absolutePath();
    m_name = name;
    m_prefix = name.left(found.capturedStart(0));
    m_suffix = name.mid(found.capturedEnd(0));
    m_extension = QFileInfo(m_suffix).suffix().toLower();
    m_matcher = QRegularExpression(
        QStringLiteral("^%1\\d+%2$")
            .arg(QRegularExpression::escape(m_prefix), QRegularExpression::escape(m_suffix)));
    return true;
}

QString SequencePattern::fileName(int number) const {
    return m_prefix + QStringLiteral("%1").arg(number, m_digits, 10, QLatin1Char('0')) + m_suffix;
}

bool SequencePattern::matches(const QString& fileName) const {
    return m_matcher.match(fileName).hasMatch();
}

QString SequencePattern::sidecarName() const {
    QString stem = m_prefix;
    while (!stem.isEmpty() && QStringLiteral("_-. ").contains(stem.back())) {
        stem.chop(1);
    }
    if (stem.isEmpty()) {
        stem = QStringLiteral("sequence");
    }
    return stem + QStringLiteral(".sfstudio.json");
}

} // namespace sfs::core::media_detail

namespace sfs::core {

QString sequenceSidecarPath(const QString& pattern) {
    media_detail::SequencePattern p;
    QString error;
    if (!p.parse(pattern, &error)) {
        return {};
    }
    return QDir(p.folder()).filePath(p.sidecarName());
}

} // namespace sfs::core
