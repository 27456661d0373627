#include "sfs/core/project/autosave.h"

#include "sfs/core/project/document.h"
#include "sfs/core/project/save_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QPointer>
#include <QStandardPaths>
#include <QThreadPool>
#include <QTimer>
#include <QUuid>

#include <algorithm>

namespace sfs::core {

namespace {

const char* const kRecoveryFormat = "sfstudio-recovery";
const int kRecoveryVersion = 1;
const char* const kRecoverySuffix = ".sfsrecovery";

QString lockPathFor(const QString& recoveryFile) {
    QString base = recoveryFile;
    base.chop(static_cast<int>(qstrlen(kRecoverySuffix)));
    return base + QStringLiteral(".lock");
}

// Reads a recovery file's header, and its project when `loaded` is given.
bool readRecoveryFile(const QString& path, RecoveryEntry& entry, LoadedProject* loaded,
                      FileError& error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = FileError{path, QString(), QStringLiteral("cannot open: ") + file.errorString()};
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(kMaxProjectFileBytes), &parseError);
    const QJsonObject root = doc.object();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject() ||
        root.value(QStringLiteral("format")).toString() != QLatin1String(kRecoveryFormat)) {
        error = FileError{path, QString(), QStringLiteral("not a readable recovery file")};
        return false;
    }
    if (root.value(QStringLiteral("version")).toInt(-1) != kRecoveryVersion) {
        error = FileError{path, QStringLiteral("/version"),
                          QStringLiteral("recovery file version %1 is not %2")
                              .arg(root.value(QStringLiteral("version")).toInt(-1))
                              .arg(kRecoveryVersion)};
        return false;
    }
    entry.recoveryFile = QFileInfo(path).absoluteFilePath();
    entry.originalPath = root.value(QStringLiteral("originalPath")).toString();
    entry.assetsDir = root.value(QStringLiteral("assetsDir")).toString();
    entry.savedAt =
        QDateTime::fromString(root.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs)
            .toUTC();
    if (loaded != nullptr) {
        if (!parseProjectJson(root.value(QStringLiteral("project")).toObject(), path,
                              QStringLiteral("/project"), *loaded, error)) {
            return false;
        }
        // The session died: a take it was generating is kept with the chunks on disk.
        settleInterruptedTakes(loaded->project, entry.assetsDir, path, loaded->warnings);
    }
    return true;
}

bool isStagingFolder(const QString& dir, const QString& stagingRoot) {
    const QFileInfo info(dir);
    return info.fileName().endsWith(QStringLiteral(".sfsproj.assets")) &&
           QFileInfo(info.path()).canonicalFilePath() == QFileInfo(stagingRoot).canonicalFilePath();
}

} // namespace

QString RecoveryEntry::displayName() const {
    return originalPath.isEmpty()
               ? QCoreApplication::translate("sfs::core::ProjectDocument", "Untitled")
               : projectNameFor(originalPath);
}

Autosaver::Autosaver(ProjectDocument* document, const QString& recoveryDir, QObject* parent)
    : QObject(parent), m_document(document), m_recoveryDir(recoveryDir),
      m_writer(std::make_unique<QThreadPool>()), m_timer(new QTimer(this)) {
    m_writer->setMaxThreadCount(1);
    QDir().mkpath(m_recoveryDir);
    const QString session = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_recoveryFile = QDir(m_recoveryDir).filePath(session + QLatin1String(kRecoverySuffix));
    // The lock says "this session is alive"; a lock whose process died is stale.
    m_lock = std::make_unique<QLockFile>(lockPathFor(m_recoveryFile));
    m_lock->setStaleLockTime(0);
    m_lock->tryLock(0);

    connect(m_timer, &QTimer::timeout, this, &Autosaver::autosaveNow);
    setIntervalSeconds(kDefaultIntervalSeconds);
    connect(document, &ProjectDocument::changed, this, &Autosaver::documentChanged);
    connect(document, &ProjectDocument::modifiedChanged, this, [this](bool modified) {
        if (modified) {
            m_pending = true;
        } else {
            discardRecovery(); // saved, or undone back to the saved state
        }
    });
    connect(document, &ProjectDocument::documentReset, this, [this] {
        discardRecovery(); // the previous project was saved or discarded by the user
        m_pending = m_document->isModified();
    });
    connect(document, &ProjectDocument::saved, this, &Autosaver::discardRecovery);
    connect(document, &ProjectDocument::closed, this, &Autosaver::discardRecovery);
    m_pending = document->isModified();
}

Autosaver::~Autosaver() {
    waitForPendingWrites();
    m_lock->unlock();
}

QString Autosaver::defaultRecoveryDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery");
}

void Autosaver::setIntervalSeconds(int seconds) {
    m_intervalSeconds = std::max(0, seconds);
    if (m_intervalSeconds == 0) {
        m_timer->stop();
    } else {
        m_timer->start(m_intervalSeconds * 1000);
    }
}

void Autosaver::documentChanged() {
    if (m_document->isModified()) {
        m_pending = true;
    }
}

void Autosaver::autosaveNow() {
    if (!m_pending || !m_document->isModified()) {
        return;
    }
    m_pending = false;
    const QJsonObject root{
        {QStringLiteral("format"), QString::fromLatin1(kRecoveryFormat)},
        {QStringLiteral("version"), kRecoveryVersion},
        {QStringLiteral("originalPath"), m_document->filePath()},
        {QStringLiteral("assetsDir"), QFileInfo(m_document->assetsDir()).absoluteFilePath()},
        {QStringLiteral("savedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("project"), projectToJson(m_document->project())}};
    // Serialised here, written on the worker: the UI thread never waits for the disk.
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Compact);
    const QString path = m_recoveryFile;
    QPointer<Autosaver> self(this);
    m_writer->start([bytes, path, self] {
        const QString why = saveFileAtomically(path, bytes);
        const bool ok = why.isEmpty();
        const QString message =
            ok ? QString()
               : QStringLiteral("%1: cannot write the recovery file: %2").arg(path, why);
        QMetaObject::invokeMethod(
            self.data(),
            [self, ok, path, message] {
                if (self && ok) {
                    Q_EMIT self->autosaved(path);
                } else if (self) {
                    Q_EMIT self->autosaveFailed(message);
                }
            },
            Qt::QueuedConnection);
    });
}

void Autosaver::waitForPendingWrites() {
    m_writer->waitForDone();
}

void Autosaver::discardRecovery() {
    m_pending = m_document->isModified();
    const QString path = m_recoveryFile;
    m_writer->start([path] { QFile::remove(path); });
}

QList<RecoveryEntry> Autosaver::findRecoverable(const QString& recoveryDir) {
    QList<RecoveryEntry> entries;
    const QDir dir(recoveryDir);
    const QStringList files =
        dir.entryList({QStringLiteral("*") + QLatin1String(kRecoverySuffix)}, QDir::Files);
    for (const QString& name : files) {
        const QString path = dir.filePath(name);
        QLockFile lock(lockPathFor(path));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0)) {
            continue; // a running session owns it
        }
        RecoveryEntry entry;
        FileError ignored;
        if (!readRecoveryFile(path, entry, nullptr, ignored)) {
            entry.recoveryFile = QFileInfo(path).absoluteFilePath(); // offered, to be discarded
        }
        entries << entry;
        lock.unlock();
    }
    std::sort(entries.begin(), entries.end(),
              [](const RecoveryEntry& a, const RecoveryEntry& b) { return a.savedAt > b.savedAt; });
    return entries;
}

bool Autosaver::recover(const RecoveryEntry& entry, FileError& error) {
    Recovered recovered;
    if (!readRecovered(entry, recovered, error)) {
        return false;
    }
    adoptRecovered(entry, recovered);
    waitForPendingWrites();
    return true;
}

bool Autosaver::readRecovered(const RecoveryEntry& entry, Recovered& recovered, FileError& error) {
    return readRecoveryFile(entry.recoveryFile, recovered.header, &recovered.loaded, error);
}

void Autosaver::adoptRecovered(const RecoveryEntry& entry, const Recovered& recovered) {
    m_document->setRecovered(recovered.loaded.project, recovered.header.originalPath,
                             recovered.header.assetsDir);
    m_pending = true;
    autosaveNow();
    // Queued after our write on the one writer thread: our copy is on disk before the old goes.
    const QString oldFile = entry.recoveryFile;
    m_writer->start([oldFile] {
        QFile::remove(oldFile);
        QFile::remove(lockPathFor(oldFile));
    });
}

void Autosaver::discard(const RecoveryEntry& entry, const QString& stagingRoot) {
    const QString root =
        stagingRoot.isEmpty() ? ProjectDocument::defaultStagingRoot() : stagingRoot;
    if (entry.originalPath.isEmpty() && !entry.assetsDir.isEmpty() &&
        isStagingFolder(entry.assetsDir, root)) {
        QDir(entry.assetsDir).removeRecursively();
    }
    QFile::remove(entry.recoveryFile);
    QFile::remove(lockPathFor(entry.recoveryFile));
}

} // namespace sfs::core
