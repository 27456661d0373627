#include "sfs/ui/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace sfs::ui {

namespace {
const char* const kKey = "recentFiles";

QString normalized(const QString& path) {
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}
} // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {
    const QStringList stored = QSettings().value(QString::fromLatin1(kKey)).toStringList();
    for (const QString& f : stored) {
        if (!f.isEmpty() && !m_files.contains(f) && m_files.size() < kMaxEntries) {
            m_files.append(f);
        }
    }
}

void RecentFiles::add(const QString& path) {
    const QString p = normalized(path);
    m_files.removeAll(p);
    m_files.prepend(p);
    while (m_files.size() > kMaxEntries) {
        m_files.removeLast();
    }
    save();
}

void RecentFiles::remove(const QString& path) {
    if (m_files.removeAll(normalized(path)) > 0) {
        save();
    }
}

void RecentFiles::clear() {
    m_files.clear();
    save();
}

void RecentFiles::save() {
    QSettings().setValue(QString::fromLatin1(kKey), m_files);
    Q_EMIT changed();
}

} // namespace sfs::ui
