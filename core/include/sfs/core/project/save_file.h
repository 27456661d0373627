#pragma once
// Writing a whole file atomically: the bytes go to a temporary file in the same folder, which
// replaces `path` only once every byte is written. The project file, the recovery file, a take's
// frames and provenance sidecars are saved this way.

#include <QByteArray>
#include <QString>

namespace sfs::core {

// Empty, or why the file could not be saved (the system's words, "File too large", without
// the path: callers name the file). `path` is then as it was.
QString saveFileAtomically(const QString& path, const QByteArray& bytes);

} // namespace sfs::core
