#include "sfs/core/render/take_recorder.h"

#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/save_file.h"
#include "sfs/core/project/timeline.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageWriter>
#include <QThread>

namespace sfs::core {

namespace {

QString frameFileName(int index) {
    return QStringLiteral("%1.png").arg(index, 6, 10, QLatin1Char('0'));
}

// Writes `frame` as a PNG at `path`: under a temporary name, synced, then renamed, so the name
// only ever holds a whole image. Empty, or the problem naming the file.
QString writeFramePng(const Frame& frame, const QString& path) {
    const QImage image(frame.constData(), frame.width(), frame.height(), frame.stride(),
                       QImage::Format_RGB888);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    // Qt maps PNG "quality" to the zlib level: 85 is level 1, about 5× faster than the default
    // level for a fifth more bytes (832×480: 20 ms and 440 KB a frame on one core) — a take's
    // frames are written while it generates, on the producer's thread.
    writer.setQuality(85);
    if (!writer.write(image)) {
        return QStringLiteral("%1: cannot encode: %2").arg(path, writer.errorString());
    }
    if (const QString why = saveFileAtomically(path, bytes); !why.isEmpty()) {
        return QStringLiteral("%1: cannot write: %2").arg(path, why);
    }
    return {};
}

} // namespace

// ---- DocumentTakeLedger ---------------------------------------------------------------------

DocumentTakeLedger::DocumentTakeLedger(ProjectDocument* document)
    : m_document(document), m_removed(std::make_shared<std::atomic<bool>>(false)) {}

DocumentTakeLedger::~DocumentTakeLedger() {
    QObject::disconnect(m_watch);
}

QString DocumentTakeLedger::newTakeId() const {
    return m_document->project().newId(QStringLiteral("t"));
}

QString DocumentTakeLedger::add(const Take& take) {
    if (QThread::currentThread() != m_document->thread()) {
        return QStringLiteral("a take enters a project on the project's thread");
    }
    const QString problem = m_document->push(std::make_unique<AddTakeCommand>(m_document, take));
    if (!problem.isEmpty()) {
        return problem;
    }
    // Undoing the take while it grows: the producer learns it at its next update.
    ProjectDocument* document = m_document;
    m_watch = QObject::connect(document, &ProjectDocument::takesChanged, document,
                               [document, removed = m_removed, id = take.id] {
                                   if (document->project().take(id) == nullptr) {
                                       removed->store(true);
                                   }
                               });
    return {};
}

QString DocumentTakeLedger::update(const Take& take) {
    if (m_removed->load()) {
        return QStringLiteral("take %1 was removed from the project").arg(take.id);
    }
    ProjectDocument* document = m_document;
    // Runs now on the document's thread, queued from any other; dropped when the take has gone
    // meanwhile (or with the document).
    QMetaObject::invokeMethod(
        document,
        [document, take] {
            if (document->project().take(take.id) != nullptr) {
                document->push(std::make_unique<UpdateTakeCommand>(document, take));
            }
        },
        Qt::AutoConnection);
    return {};
}

// ---- ProjectFileTakeLedger ------------------------------------------------------------------

ProjectFileTakeLedger::ProjectFileTakeLedger(QString projectPath, Project project, bool save)
    : m_path(std::move(projectPath)), m_save(save), m_project(std::move(project)) {}

QString ProjectFileTakeLedger::newTakeId() const {
    std::lock_guard lock(m_mutex);
    return m_project.newId(QStringLiteral("t"));
}

QString ProjectFileTakeLedger::add(const Take& take) {
    std::lock_guard lock(m_mutex);
    if (m_project.takeIndex(take.id) >= 0) {
        return QStringLiteral("a take \"%1\" exists already").arg(take.id);
    }
    if (m_project.takes.size() >= static_cast<size_t>(rules::kMaxTakes)) {
        return QStringLiteral("a project holds at most %1 takes").arg(rules::kMaxTakes);
    }
    if (const QString problem = rules::checkTakeParent(m_project, take); !problem.isEmpty()) {
        return problem;
    }
    m_project.takes.push_back(take);
    const QString problem = write();
    if (!problem.isEmpty()) {
        m_project.takes.pop_back();
    }
    return problem;
}

QString ProjectFileTakeLedger::update(const Take& take) {
    std::lock_guard lock(m_mutex);
    const int index = m_project.takeIndex(take.id);
    if (index < 0) {
        return QStringLiteral("there is no take \"%1\"").arg(take.id);
    }
    m_project.takes[static_cast<size_t>(index)] = take;
    return write();
}

Project ProjectFileTakeLedger::project() const {
    std::lock_guard lock(m_mutex);
    return m_project;
}

QString ProjectFileTakeLedger::write() {
    FileError error;
    if (m_save && !writeProjectFile(m_project, m_path, error)) {
        return error.toString();
    }
    return {};
}

// ---- TakeRecorder ---------------------------------------------------------------------------

TakeRecorder::TakeRecorder(std::unique_ptr<TakeLedger> ledger, QString assetsDir)
    : m_ledger(std::move(ledger)), m_assetsDir(std::move(assetsDir)) {}

TakeRecorder::~TakeRecorder() {
    bool unfinished = false;
    {
        std::lock_guard lock(m_mutex);
        unfinished = m_started && !m_ended && !m_take.id.isEmpty();
    }
    if (unfinished) {
        stop(); // never leave a live project with a take that claims to be generating
    }
}

bool TakeRecorder::start(const TakePlan& plan) {
    {
        std::lock_guard lock(m_mutex);
        if (m_started) {
            m_error = QStringLiteral("this recorder has recorded a take already");
            return false;
        }
        m_started = true; // one try: a failed start is not retried on this recorder
    }
    const auto refuse = [this](const QString& problem) {
        std::lock_guard lock(m_mutex);
        m_error = problem;
        m_ended = true;
        return false;
    };
    for (const QString& problem :
         {plan.id.isEmpty() ? QString() : rules::checkId(plan.id),
          rules::checkDuration(plan.durationFrames),
          rules::checkTakeLineage(plan.parentTakeId, plan.branchChunk, plan.durationFrames)}) {
        if (!problem.isEmpty()) {
            return refuse(problem);
        }
    }
    if (const rules::FieldProblem s = rules::checkSettings(plan.settings); !s.ok()) {
        return refuse(QStringLiteral("%1: %2").arg(s.field, s.problem));
    }
    Take take;
    take.id = plan.id.isEmpty() ? m_ledger->newTakeId() : plan.id;
    take.created = QDateTime::currentDateTimeUtc();
    take.settings = plan.settings;
    take.durationFrames = plan.durationFrames;
    take.status = TakeStatus::Generating;
    take.chunksCompleted = 0;
    take.parentTakeId = plan.parentTakeId;
    take.branchChunk = plan.branchChunk;
    take.framesPath = QStringLiteral("takes/%1/frames").arg(take.id);
    if (plan.storeLatents) {
        take.latentsPath = QStringLiteral("takes/%1/latents").arg(take.id);
    }
    // The folders exist before the project names them.
    for (const QString& path : {take.framesPath, take.latentsPath}) {
        const QString folder = path.isEmpty() ? QString() : QDir(m_assetsDir).filePath(path);
        if (!folder.isEmpty() && !QDir().mkpath(folder)) {
            return refuse(QStringLiteral("%1: cannot create the take's folder").arg(folder));
        }
    }
    // The ledger runs outside our lock: a document's signals may ask this recorder for its take.
    if (const QString problem = m_ledger->add(take); !problem.isEmpty()) {
        return refuse(problem);
    }
    std::lock_guard lock(m_mutex);
    m_take = take;
    m_published = take;
    m_storeLatents = plan.storeLatents;
    return true;
}

Take TakeRecorder::take() const {
    std::lock_guard lock(m_mutex);
    return m_take;
}

QString TakeRecorder::framesFolder() const {
    std::lock_guard lock(m_mutex);
    return m_take.framesPath.isEmpty() ? QString() : QDir(m_assetsDir).filePath(m_take.framesPath);
}

QString TakeRecorder::latentsFolder() const {
    std::lock_guard lock(m_mutex);
    return m_take.latentsPath.isEmpty() ? QString()
                                        : QDir(m_assetsDir).filePath(m_take.latentsPath);
}

bool TakeRecorder::latentsStored(int chunks) {
    {
        std::lock_guard lock(m_mutex);
        if (!isRecordingLocked()) {
            return m_error.isEmpty();
        }
        m_latentChunks = std::max(m_latentChunks, chunks);
        countChunksLocked();
    }
    return publish();
}

bool TakeRecorder::begin(const StreamFormat& format) {
    std::lock_guard lock(m_mutex);
    if (!isRecordingLocked()) {
        return failLocked(QStringLiteral("the take is not being recorded"));
    }
    const QSize size(m_take.settings.width, m_take.settings.height);
    if (format.frameSize != size) {
        return failLocked(QStringLiteral("take %1 is %2×%3, but its frames are %4×%5")
                              .arg(m_take.id)
                              .arg(size.width())
                              .arg(size.height())
                              .arg(format.frameSize.width())
                              .arg(format.frameSize.height()));
    }
    return m_error.isEmpty();
}

bool TakeRecorder::write(const Frame& frame) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_error.isEmpty()) {
            return false;
        }
        if (!isRecordingLocked()) {
            return failLocked(QStringLiteral("the take is not being recorded"));
        }
        if (frame.size() != QSize(m_take.settings.width, m_take.settings.height)) {
            return failLocked(QStringLiteral("frame %1 of take %2 is %3×%4, not %5×%6")
                                  .arg(m_framesWritten)
                                  .arg(m_take.id)
                                  .arg(frame.width())
                                  .arg(frame.height())
                                  .arg(m_take.settings.width)
                                  .arg(m_take.settings.height));
        }
        if (m_framesWritten >= m_take.durationFrames) {
            return failLocked(QStringLiteral("take %1 has %2 frames; frame %3 is one too many")
                                  .arg(m_take.id)
                                  .arg(m_take.durationFrames)
                                  .arg(m_framesWritten));
        }
        const QString folder = QDir(m_assetsDir).filePath(m_take.framesPath);
        if (const QString problem =
                writeFramePng(frame, QDir(folder).filePath(frameFileName(m_framesWritten)));
            !problem.isEmpty()) {
            return failLocked(problem);
        }
        ++m_framesWritten;
        if (m_framesWritten == timeline::framesForChunks(m_frameChunks + 1)) {
            ++m_frameChunks;
            countChunksLocked();
        }
    }
    return publish();
}

bool TakeRecorder::finish() {
    return end(TakeStatus::Complete);
}

bool TakeRecorder::cancel() {
    return stop();
}

void TakeRecorder::abort() {
    fail(QStringLiteral("the generation failed"));
}

QString TakeRecorder::errorString() const {
    std::lock_guard lock(m_mutex);
    return m_error;
}

bool TakeRecorder::stop() {
    return end(TakeStatus::Stopped);
}

QString TakeRecorder::fail(const QString& reason) {
    {
        std::lock_guard lock(m_mutex);
        failLocked(reason);
    }
    end(TakeStatus::Stopped);
    return errorString();
}

bool TakeRecorder::isRecordingLocked() const {
    return m_started && !m_ended && !m_take.id.isEmpty();
}

bool TakeRecorder::failLocked(const QString& problem) {
    if (m_error.isEmpty()) {
        m_error = problem;
    }
    return false;
}

void TakeRecorder::countChunksLocked() {
    const int chunks = m_storeLatents ? std::min(m_frameChunks, m_latentChunks) : m_frameChunks;
    m_take.chunksCompleted = std::max(m_take.chunksCompleted, chunks);
}

bool TakeRecorder::publish() {
    // One publisher at a time, always with the newest state, so that a slower thread can never
    // publish an older count after a newer one.
    std::lock_guard publishing(m_publishMutex);
    Take latest;
    {
        std::lock_guard lock(m_mutex);
        if (m_take == m_published || m_take.id.isEmpty()) {
            return m_error.isEmpty();
        }
        latest = m_take;
    }
    const QString problem = m_ledger->update(latest);
    std::lock_guard lock(m_mutex);
    m_published = latest;
    if (!problem.isEmpty()) {
        failLocked(problem);
        m_ended = true; // the project no longer follows: nothing more to record
    }
    return m_error.isEmpty();
}

bool TakeRecorder::end(TakeStatus wanted) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_started || m_take.id.isEmpty()) {
            return failLocked(QStringLiteral("the take was not started"));
        }
        if (m_ended && m_take.status != TakeStatus::Generating) {
            return m_error.isEmpty();
        }
        m_ended = true;
        // Frames of an unfinished chunk are not part of the take.
        const QDir folder(QDir(m_assetsDir).filePath(m_take.framesPath));
        for (int i = m_take.framesCompleted(); i < m_framesWritten; ++i) {
            QFile::remove(folder.filePath(frameFileName(i)));
        }
        m_framesWritten = m_take.framesCompleted();
        if (wanted == TakeStatus::Complete && m_take.chunksCompleted < m_take.chunksPlanned()) {
            failLocked(QStringLiteral("take %1 ended after %2 of its %3 chunks%4")
                           .arg(m_take.id)
                           .arg(m_take.chunksCompleted)
                           .arg(m_take.chunksPlanned())
                           .arg(m_storeLatents && m_latentChunks < m_frameChunks
                                    ? QStringLiteral(" (the latents of chunk %1 were never stored)")
                                          .arg(m_latentChunks + 1)
                                    : QString()));
        }
        m_take = settledTake(m_take);
    }
    return publish();
}

} // namespace sfs::core
