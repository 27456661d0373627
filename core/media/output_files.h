#pragma once
// File-system steps the writers share: making the target folder (and undoing that), hidden
// temporary names next to the target, and messages for failed writes.

#include <QString>
#include <QStringList>

namespace sfs::core::media_detail {

// The folders an export created, so that a removed export removes them too.
class CreatedFolders {
public:
    // Makes `folder` and any missing parents. Throws MediaError naming `forPath` and the reason
    // (e.g. a parent that is a file, a read-only location).
    void ensure(const QString& folder, const QString& forPath);
    // Removes the folders made by ensure() that are still empty, deepest first.
    void removeEmpty() noexcept;

private:
    QStringList m_created; // parents first
};

// A hidden name in `folder` that does not exist yet: ".<base>.partial-<random><suffix>".
QString hiddenTemporaryPath(const QString& folder, const QString& base, const QString& suffix);

// What went wrong with a write, in words: disk full, file-size limit, permission, or the
// system's own text.
QString writeErrorText(int errnum);

// Renames `from` onto `to`, replacing a file there. Throws MediaError naming `to`.
void replaceFile(const QString& from, const QString& to);

// Writes `bytes` to a new file at `path`. Throws MediaError naming `reportAs` and the reason
// (disk full, size limit, …); a partly written file is removed.
void writeNewFile(const QString& path, const char* bytes, size_t size, const QString& reportAs);

// Flushes a finished file to the disk, so that renaming it over an older one cannot leave an
// empty file after a power cut. Errors are ignored (the data was written; this only orders it).
void syncFile(const QString& path) noexcept;

// Removes a file or a folder tree, ignoring errors (cleanup after a failure).
void removeQuietly(const QString& path) noexcept;

} // namespace sfs::core::media_detail
