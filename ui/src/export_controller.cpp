#include "export_controller.h"

#include "sfs/build_config.h"
#include "sfs/core/project/document.h"
#include "sfs/core/render/take_export.h"
#include "sfs/ui/job.h"
#include "sfs/ui/main_window.h"
#if SFS_WITH_MEDIA
#include "export_dialog.h"
#endif

#include <QDir>
#include <QFileInfo>
#include <QProgressDialog>

#include <memory>

namespace sfs::ui {

// The texts are MainWindow::tr(): they are the window's words, and its translations stay valid.

ExportController::ExportController(core::ProjectDocument* document, QWidget* window)
    : QObject(window), m_document(document), m_window(window) {}

bool ExportController::canExport() const {
#if SFS_WITH_MEDIA
    return !m_document->project().takes.empty();
#else
    return false;
#endif
}

void ExportController::exportTake(const QString& folder) {
#if SFS_WITH_MEDIA
    if (isRunning() || !canExport()) {
        return;
    }
    QString error;
    const core::Take* take = core::findTake(m_document->project(), QString(), &error);
    const QString stem = QDir(folder).filePath(
        QStringLiteral("%1_%2").arg(QFileInfo(m_document->displayName()).completeBaseName(),
                                    take != nullptr ? take->id : QString()));
    ExportDialog dialog(m_document->project(), stem, m_window);
    if (dialog.exec() == QDialog::Accepted) {
        start(dialog.request());
    }
#else
    Q_UNUSED(folder);
#endif
}

bool ExportController::start(const core::TakeExportRequest& request) {
#if SFS_WITH_MEDIA
    if (isRunning()) {
        return false;
    }
    // The worker gets copies: the user may edit the project while the export runs.
    const core::Project project = m_document->project();
    const QString projectPath = m_document->filePath();
    const QString assetsDir = m_document->assetsDir();
    QString problem;
    const core::Take* take = core::findTake(project, request.takeId, &problem);
    // A take being generated is exported as it grows: the export follows it until it ends.
    const bool growing = take != nullptr && take->status == core::TakeStatus::Generating;
    const QString name = QFileInfo(request.output).fileName();
    if (growing) {
        auto growth = std::make_shared<core::GrowingTake>();
        const QString takeId = take->id;
        m_job = Job::start(
            MainWindow::tr("Exporting take %1 to “%2” as it is generated…").arg(takeId, name),
            [=](JobContext& context) {
                return core::exportGrowingTake(project, projectPath, assetsDir, request, *growth,
                                               context.keepGoing());
            },
            this);
        // The document says how far the take has come (its chunks are undo steps).
        const auto follow = [this, growth, takeId] {
            const core::Take* now = m_document->project().take(takeId);
            if (now != nullptr) {
                growth->framesReady.store(now->framesCompleted());
            }
            if (now == nullptr || now->status != core::TakeStatus::Generating) {
                growth->ended.store(true);
            }
        };
        follow();
        connect(m_document, &core::ProjectDocument::takesChanged, m_job, follow);
        connect(m_document, &core::ProjectDocument::documentReset, m_job, follow);
    } else {
        m_job = Job::start(
            MainWindow::tr("Exporting to “%1”…").arg(name),
            [=](JobContext& context) {
                return core::exportTake(project, projectPath, assetsDir, request,
                                        context.keepGoing());
            },
            this);
    }

    m_progress = new QProgressDialog(m_window);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setWindowTitle(MainWindow::tr("Export Take"));
    m_progress->setLabelText(m_job->title());
    // Not modal while the take generates: Stop and the preview stay in reach.
    m_progress->setWindowModality(growing ? Qt::NonModal : Qt::WindowModal);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumDuration(0);
    m_progress->setRange(0, 0);
    Job* job = m_job;
    QProgressDialog* progress = m_progress;
    connect(progress, &QProgressDialog::canceled, job, [job, progress] {
        job->cancel();
        progress->setLabelText(MainWindow::tr("Stopping…"));
    });
    connect(job, &Job::progressChanged, progress, [progress](qint64 done, qint64 total) {
        progress->setMaximum(int(total));
        progress->setValue(int(done));
    });
    connect(job, &Job::finished, this, [this, job] { finish(*job); });
    m_progress->show();
    Q_EMIT runningChanged(true);
    return true;
#else
    Q_UNUSED(request);
    return false;
#endif
}

void ExportController::finish(Job& job) {
#if SFS_WITH_MEDIA
    m_job = nullptr;
    job.deleteLater();
    delete m_progress; // not in one of its own signals: safe to delete now
    m_progress = nullptr;
    Q_EMIT runningChanged(false);

    if (job.state() == Job::State::Failed) { // the exporter threw (out of memory, say)
        Q_EMIT failed(MainWindow::tr("The export failed."), job.error());
        Q_EMIT finished(false, QString(), job.error());
        return;
    }
    const auto result = job.result<core::TakeExportResult>();
    const QString name = QFileInfo(result.output).fileName();
    for (const QString& notice : result.notices) {
        qWarning("export: %s", qPrintable(notice));
    }
    QString message;
    if (!result.ok) {
        message = result.error;
        Q_EMIT failed(MainWindow::tr("The export to “%1” failed.").arg(name), result.error);
    } else if (result.cancelled) {
        message = result.framesWritten > 0 && QFileInfo::exists(result.output)
                      ? MainWindow::tr("Export stopped: “%1” holds the first %n frame(s)", nullptr,
                                       result.framesWritten)
                            .arg(name)
                      : MainWindow::tr("Export cancelled: nothing was written");
        Q_EMIT statusMessage(message, 10000);
    } else {
        message =
            MainWindow::tr("Exported take %1 to “%2” (%n frame(s))", nullptr, result.framesWritten)
                .arg(result.takeId, name);
        Q_EMIT statusMessage(message, 10000);
    }
    Q_EMIT finished(result.ok && !result.cancelled, result.output, message);
#else
    Q_UNUSED(job);
#endif
}

} // namespace sfs::ui
