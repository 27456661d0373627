#include "output_files.h"

#include "frame_encoder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#if defined(Q_OS_UNIX)
#include <fcntl.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace sfs::core::media_detail {

namespace fs = std::filesystem;

namespace {
fs::path toPath(const QString& p) {
    return fs::path(QFile::encodeName(p).toStdString());
}
QString fromPath(const fs::path& p) {
    return QFile::decodeName(QByteArray::fromStdString(p.string()));
}
} // namespace

void CreatedFolders::ensure(const QString& folder, const QString& forPath) {
    const fs::path target = fs::absolute(toPath(folder)).lexically_normal();
    std::error_code ec;
    // Walk up to the nearest existing ancestor; everything below it is ours to make.
    std::vector<fs::path> missing;
    fs::path p = target;
    while (!p.empty() && !fs::exists(p, ec)) {
        missing.push_back(p);
        if (p == p.parent_path()) {
            break;
        }
        p = p.parent_path();
    }
    if (!p.empty() && fs::exists(p, ec) && !fs::is_directory(p, ec)) {
        throw MediaError(QStringLiteral("Cannot write %1: %2 is a file, not a folder")
                             .arg(forPath, fromPath(p)));
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (!fs::create_directory(*it, ec) && ec) {
            throw MediaError(QStringLiteral("Cannot write %1: the folder %2 cannot be made (%3)")
                                 .arg(forPath, fromPath(*it), writeErrorText(ec.value())));
        }
        m_created.append(fromPath(*it));
    }
}

void CreatedFolders::removeEmpty() noexcept {
    for (auto it = m_created.crbegin(); it != m_created.crend(); ++it) {
        std::error_code ec;
        if (fs::is_empty(toPath(*it), ec) && !ec) {
            fs::remove(toPath(*it), ec);
        }
    }
    m_created.clear();
}

QString hiddenTemporaryPath(const QString& folder, const QString& base, const QString& suffix) {
    for (;;) {
        const QString name =
            QStringLiteral(".%1.partial-%2%3")
                .arg(base)
                .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'))
                .arg(suffix);
        const QString path = QDir(folder).filePath(name);
        if (!QFileInfo::exists(path)) {
            return path;
        }
    }
}

QString writeErrorText(int errnum) {
    switch (errnum) {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return QStringLiteral("the disk is full");
    case EFBIG:
        return QStringLiteral("the file exceeds the size this system allows (file too large)");
    case EACCES:
    case EPERM:
        return QStringLiteral("permission denied");
    case EROFS:
        return QStringLiteral("the location is read-only");
    case ENOTDIR:
        return QStringLiteral("a part of the path is a file, not a folder");
    default:
        return QString::fromLocal8Bit(std::strerror(errnum));
    }
}

void replaceFile(const QString& from, const QString& to) {
    std::error_code ec;
    fs::rename(toPath(from), toPath(to), ec);
    if (ec) {
        throw MediaError(QStringLiteral("Cannot move the finished export into place as %1: %2")
                             .arg(to, writeErrorText(ec.value())));
    }
}

void writeNewFile(const QString& path, const char* bytes, size_t size, const QString& reportAs) {
    const QByteArray name = QFile::encodeName(path);
    std::FILE* file = std::fopen(name.constData(), "wb");
    if (file == nullptr) {
        throw MediaError(
            QStringLiteral("Cannot create %1: %2").arg(reportAs, writeErrorText(errno)));
    }
    int err = 0;
    if (std::fwrite(bytes, 1, size, file) != size) {
        err = errno;
    }
    if (std::fclose(file) != 0 && err == 0) {
        err = errno;
    }
    if (err != 0) {
        removeQuietly(path);
        throw MediaError(QStringLiteral("Cannot write %1: %2").arg(reportAs, writeErrorText(err)));
    }
}

void syncFile(const QString& path) noexcept {
#if defined(Q_OS_UNIX)
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    Q_UNUSED(path);
#endif
}

void removeQuietly(const QString& path) noexcept {
    std::error_code ec;
    fs::remove_all(toPath(path), ec);
}

} // namespace sfs::core::media_detail
