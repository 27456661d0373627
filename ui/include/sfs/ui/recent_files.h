#pragma once
// The "Open Recent" list, most recent first, persisted in QSettings.

#include <QObject>
#include <QStringList>

namespace sfs::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 10;

    explicit RecentFiles(QObject* parent = nullptr);

    QStringList files() const { return m_files; }
    // Moves (or inserts) path to the top; duplicates and overflow are dropped.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

Q_SIGNALS:
    void changed();

private:
    void save();

    QStringList m_files;
};

} // namespace sfs::ui
