// Atomic whole-file saves (save_file.h).
#include "sfs/core/project/save_file.h"

#include <QSaveFile>

namespace sfs::core {

QString saveFileAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    // Unbuffered, every write reaches the file at once and a short one (a full disk) is seen
    // here: buffered, Qt 6.4 flushes on commit(), drops the short write's error and renames
    // the truncated file into place.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        return file.errorString();
    }
    for (qint64 done = 0; done < bytes.size();) {
        // Written in parts, the part that fails reports why (the first only says how much).
        const qint64 n = file.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) {
            const QString why = file.errorString();
            file.cancelWriting();
            return why;
        }
        done += n;
    }
    if (!file.commit()) {
        return file.errorString();
    }
    return {};
}

} // namespace sfs::core
