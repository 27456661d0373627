#include "project_files_controller.h"

#include "installed_files.h"
#include "model_setup/model_setup_dialog.h"
#include "sfs/build_config.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/ui/job.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/recent_files.h"
#if SFS_WITH_MEDIA
#include "sfs/core/render/provenance.h"
#endif

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QUuid>

#include <stdexcept>

namespace sfs::ui {

// The texts are MainWindow::tr(): they are the window's words, and its translations stay valid.

namespace {

const char* const kFolderKey = "projects/lastFolder";

// A failed read or write, carried out of a job as its error text.
[[noreturn]] void fail(const core::FileError& error) {
    throw std::runtime_error(error.toString().toStdString());
}

// True for the files File > Open reads as exports rather than project files.
bool isExportFile(const QString& path) {
#if SFS_WITH_MEDIA
    return QFileInfo(path).suffix() != QLatin1String(core::kProjectSuffix) &&
           core::isExportedProjectPath(path);
#else
    Q_UNUSED(path);
    return false;
#endif
}

// File > Open also reads exported clips and sequence sidecars.
QString openFilter(const QString& projects) {
#if SFS_WITH_MEDIA
    return MainWindow::tr("Projects and exported clips (*.%1 *.mp4 *.mov *.m4v *.json)")
               .arg(QString::fromLatin1(core::kProjectSuffix)) +
           QStringLiteral(";;") + projects + QStringLiteral(";;") +
           MainWindow::tr("Exported clips and sequence sidecars (*.mp4 *.mov *.m4v *.json)");
#else
    return projects;
#endif
}

} // namespace

ProjectFilesController::ProjectFilesController(core::ProjectDocument* document,
                                               core::Autosaver* autosaver, RecentFiles* recentFiles,
                                               QWidget* window)
    : QObject(window), m_document(document), m_autosaver(autosaver), m_recentFiles(recentFiles),
      m_window(window) {}

void ProjectFilesController::track(Job* job, std::function<void(Job&)> done) {
    m_job = job;
    QApplication::setOverrideCursor(Qt::BusyCursor);
    Q_EMIT statusMessage(job->title(), 0);
    Q_EMIT busyChanged(true);
    connect(job, &Job::finished, this, [this, job, done = std::move(done)] {
        m_job = nullptr;
        job->deleteLater();
        QApplication::restoreOverrideCursor();
        Q_EMIT statusMessage(QString(), 0);
        Q_EMIT busyChanged(false);
        done(*job);
    });
}

QString ProjectFilesController::projectFilter() const {
    return MainWindow::tr("sfstudio projects (*.%1)")
        .arg(QString::fromLatin1(core::kProjectSuffix));
}

QString ProjectFilesController::dialogFolder() const {
    if (!m_document->isUntitled()) {
        return QFileInfo(m_document->filePath()).path();
    }
    return QSettings()
        .value(QString::fromLatin1(kFolderKey),
               QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .toString();
}

ProjectFilesController::Answer ProjectFilesController::askToSave(std::function<void()> afterSave) {
    if (!m_document->isModified()) {
        return Answer::Proceed;
    }
    if (isBusy()) {
        return Answer::Cancel;
    }
    // A question to the user, not a wait for work: modal is right here.
    QMessageBox box(
        QMessageBox::Warning, MainWindow::tr("sfstudio"),
        MainWindow::tr("The project “%1” has unsaved changes.").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box.setObjectName(QStringLiteral("unsavedChangesMessage"));
    box.setInformativeText(MainWindow::tr("Do you want to save them?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        if (!save()) {
            return Answer::Cancel;
        }
        m_afterSave = std::move(afterSave);
        return Answer::Saving;
    case QMessageBox::Discard:
        return Answer::Proceed;
    default:
        return Answer::Cancel;
    }
}

void ProjectFilesController::newProject() {
    if (isBusy() || askToSave([this] { newProject(); }) != Answer::Proceed) {
        return;
    }
    core::Project project = core::Project::makeDefault();
    project.settings.modelFolder = defaultModelFolder();
    m_document->newProject(project);
    Q_EMIT statusMessage(MainWindow::tr("New project"), 3000);
}

void ProjectFilesController::openProject() {
    if (isBusy() || askToSave([this] { openProject(); }) != Answer::Proceed) {
        return;
    }
    const QString path = QFileDialog::getOpenFileName(m_window, MainWindow::tr("Open Project"),
                                                      dialogFolder(), openFilter(projectFilter()));
    if (!path.isEmpty()) {
        openFile(path);
    }
}

bool ProjectFilesController::openFile(const QString& path) {
    if (isBusy()) {
        return false;
    }
    return isExportFile(path) ? openExportFile(path) : openProjectFile(path);
}

bool ProjectFilesController::openProjectFile(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    // Images are decoded to check them: never on the UI thread.
    Job* job = Job::start(
        MainWindow::tr("Opening “%1”…").arg(name),
        [path](JobContext&) {
            core::LoadedProject loaded;
            core::FileError error;
            if (!core::loadProject(path, core::LoadOptions{}, loaded, error)) {
                fail(error);
            }
            return loaded;
        },
        this);
    track(job, [this, path, name](Job& done) {
        if (done.state() == Job::State::Failed) {
            if (!QFileInfo::exists(path)) {
                m_recentFiles->remove(path);
            }
            Q_EMIT failed(MainWindow::tr("The project “%1” could not be opened.").arg(name),
                          done.error());
            return;
        }
        const auto loaded = done.result<core::LoadedProject>();
        m_document->setLoaded(loaded, path);
        m_recentFiles->add(m_document->filePath());
        QSettings().setValue(QString::fromLatin1(kFolderKey), QFileInfo(path).path());
        Q_EMIT statusMessage(MainWindow::tr("Opened “%1”").arg(m_document->displayName()), 3000);
        for (const QString& warning : loaded.warnings) {
            qWarning("%s", qPrintable(warning));
        }
        Q_EMIT opened(m_document->filePath());
    });
    return true;
}

bool ProjectFilesController::openExportFile(const QString& path) {
    const QString name = QFileInfo(path).fileName();
#if SFS_WITH_MEDIA
    // The clip's keyframe images go into a new staging folder, as for an untitled project; the
    // document owns it from then on. Keyframes whose image cannot be recovered are left out and
    // named (opening what can be opened beats refusing the whole clip).
    const QString assetsDir = QDir(m_document->stagingRoot())
                                  .filePath(QUuid::createUuid().toString(QUuid::WithoutBraces) +
                                            QStringLiteral(".sfsproj.assets"));
    Job* job = Job::start(
        MainWindow::tr("Opening “%1”…").arg(name),
        [path, assetsDir](JobContext&) {
            core::OpenedExport opened;
            core::FileError error;
            core::OpenExportOptions options;
            options.dropMissingKeyframes = true;
            if (!core::openExportedProject(path, assetsDir, options, &opened, &error)) {
                QDir(assetsDir).removeRecursively();
                fail(error);
            }
            return opened;
        },
        this);
    track(job, [this, path, name, assetsDir](Job& done) {
        if (done.state() == Job::State::Failed) {
            Q_EMIT failed(MainWindow::tr("“%1” could not be opened as a project.").arg(name),
                          done.error());
            return;
        }
        const auto opened = done.result<core::OpenedExport>();
        m_document->setRecovered(opened.loaded.project, QString(), assetsDir);
        Q_EMIT statusMessage(
            MainWindow::tr("Opened the project of “%1” (take %2): save it to keep it")
                .arg(name, opened.takeId),
            0);
        if (!opened.loaded.warnings.isEmpty()) {
            Q_EMIT failed(
                MainWindow::tr("Some keyframes of “%1” could not be recovered.").arg(name),
                opened.loaded.warnings.join(QLatin1Char('\n')));
        }
        Q_EMIT this->opened(path);
    });
    return true;
#else
    Q_EMIT failed(MainWindow::tr("“%1” could not be opened as a project.").arg(name),
                  MainWindow::tr("This build of sfstudio has no video support (FFmpeg)."));
    return false;
#endif
}

bool ProjectFilesController::save() {
    if (isBusy()) {
        return false;
    }
    return m_document->isUntitled() ? saveAs() : saveTo(m_document->filePath());
}

bool ProjectFilesController::saveAs() {
    if (isBusy()) {
        return false;
    }
    const QString suggestion = QDir(dialogFolder()).filePath(m_document->displayName());
    const QString path = QFileDialog::getSaveFileName(m_window, MainWindow::tr("Save Project As"),
                                                      suggestion, projectFilter());
    return !path.isEmpty() && saveTo(path);
}

bool ProjectFilesController::saveTo(const QString& path) {
    if (isBusy()) {
        return false;
    }
    // Save keeps the file's own name; Save As adds the suffix.
    const QString target = path == m_document->filePath()
                               ? path
                               : QFileInfo(core::withProjectSuffix(path)).absoluteFilePath();
    // The worker writes a copy: the user may go on editing; those edits stay unsaved.
    const core::Project project = m_document->project();
    const QString from = m_document->assetsDir();
    Job* job = Job::start(
        MainWindow::tr("Saving “%1”…").arg(QFileInfo(target).fileName()),
        [project, from, target](JobContext&) {
            core::FileError error;
            if (!core::ProjectDocument::writeProject(project, from, target, error)) {
                fail(error);
            }
        },
        this);
    track(job, [this, project, target](Job& done) {
        std::function<void()> next = std::move(m_afterSave);
        m_afterSave = nullptr;
        if (done.state() == Job::State::Failed) {
            Q_EMIT failed(MainWindow::tr("The project could not be saved."), done.error());
            return;
        }
        m_document->setSaved(target, project);
        m_recentFiles->add(target);
        QSettings().setValue(QString::fromLatin1(kFolderKey), QFileInfo(target).path());
        Q_EMIT statusMessage(MainWindow::tr("Saved “%1”").arg(m_document->displayName()), 3000);
        Q_EMIT saved(target);
        if (next) {
            next();
        }
    });
    return true;
}

bool ProjectFilesController::recover(const core::RecoveryEntry& entry) {
    if (isBusy()) {
        return false;
    }
    Job* job = Job::start(
        MainWindow::tr("Recovering “%1”…").arg(entry.displayName()),
        [entry](JobContext&) {
            core::Autosaver::Recovered recovered;
            core::FileError error;
            if (!core::Autosaver::readRecovered(entry, recovered, error)) {
                fail(error);
            }
            return recovered;
        },
        this);
    track(job, [this, entry](Job& done) {
        if (done.state() == Job::State::Failed) {
            Q_EMIT failed(MainWindow::tr("The unsaved changes could not be recovered."),
                          done.error());
            return;
        }
        m_autosaver->adoptRecovered(entry, done.result<core::Autosaver::Recovered>());
        Q_EMIT statusMessage(
            MainWindow::tr("Recovered “%1”: save it to keep the changes").arg(entry.displayName()),
            0);
        Q_EMIT recovered(entry.displayName());
    });
    return true;
}

bool ProjectFilesController::discardRecovery(const core::RecoveryEntry& entry) {
    if (isBusy()) {
        return false;
    }
    const QString stagingRoot = m_document->stagingRoot();
    Job* job = Job::start(
        MainWindow::tr("Discarding the changes to “%1”…").arg(entry.displayName()),
        [entry, stagingRoot](JobContext&) {
            core::Autosaver::discard(entry, stagingRoot);
            return !entry.originalPath.isEmpty() && QFileInfo::exists(entry.originalPath);
        },
        this);
    track(job, [this, entry](Job& done) {
        Q_EMIT recoveryDiscarded(entry.recoveryFile);
        if (done.state() == Job::State::Finished && done.result<bool>()) {
            openFile(entry.originalPath);
        }
    });
    return true;
}

bool ProjectFilesController::openSample() {
    if (isBusy()) {
        return false;
    }
    const QString sample = sampleProjectPath();
    if (sample.isEmpty()) {
        Q_EMIT failed(MainWindow::tr("The sample project was not found."),
                      MainWindow::tr("sfstudio looked for it in:\n%1")
                          .arg(sampleProjectCandidates().join(QLatin1Char('\n'))));
        return false;
    }
    const QString copyDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                            QStringLiteral("/sample");
    const QString copy = QDir(copyDir).filePath(QFileInfo(sample).fileName());
    Job* job = Job::start(
        MainWindow::tr("Copying the sample project…"),
        [sample, copyDir, copy](JobContext&) {
            if (QFileInfo::exists(copy)) {
                return; // the user's copy, with the takes made in it
            }
            QDir().mkpath(copyDir);
            const QString assets = core::assetsDirFor(sample);
            core::FileError error;
            if (QFileInfo(assets).isDir() &&
                !core::copyAssetFolder(assets, core::assetsDirFor(copy), error)) {
                fail(error);
            }
            // The project file last: a copy cut short is made again next time.
            if (!QFile::copy(sample, copy)) {
                throw std::runtime_error(
                    QStringLiteral("%1: cannot copy the sample project").arg(copy).toStdString());
            }
            QFile(copy).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                       QFile::ReadOther);
        },
        this);
    track(job, [this, copy](Job& done) {
        if (done.state() == Job::State::Failed) {
            Q_EMIT failed(MainWindow::tr("The sample project could not be opened."), done.error());
            return;
        }
        openFile(copy);
    });
    return true;
}

} // namespace sfs::ui
