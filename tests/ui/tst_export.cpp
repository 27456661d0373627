// File > Export… (the dialog, the worker with progress and cancel) and File > Open of an
// exported clip in the main window.

#include "../core/project_fixtures.h"
#include "../core/take_fixture.h"
#include "export_dialog.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/render/provenance.h"
#include "sfs/core/render/take_export.h"
#include "sfs/ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using sfs::core::ProjectDocument;
using sfs::ui::ExportDialog;
using sfs::ui::MainWindow;

namespace {

// Open and save run as jobs off the UI thread: the event loop runs until the one started by
// `started` has ended. False when none started or it did not end in time.
bool finishFileJob(MainWindow& w, bool started) {
    return started && QTest::qWaitFor([&w] { return !w.isBusy(); }, 30000);
}

QMessageBox* visibleError(const MainWindow& w) {
    for (auto* box : w.findChildren<QMessageBox*>(QStringLiteral("errorMessage"))) {
        if (box->isVisible()) {
            return box;
        }
    }
    return nullptr;
}

int videoFrames(const QString& path) {
    sfs::core::VideoFileSource source;
    QString error;
    return source.open(path, &error) ? source.frameCount() : -1;
}

// Waits for exportFinished and returns its arguments.
QList<QVariant> waitForExport(QSignalSpy& spy) {
    if (spy.isEmpty() && !spy.wait(60000)) {
        return {};
    }
    return spy.takeFirst();
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_export"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("project"))));
        m_fixture = sfs::test::makeTakeProject(m_dir.filePath(QStringLiteral("project")));
    }

    void init() { QDir(ProjectDocument::defaultStagingRoot()).removeRecursively(); }

    void exportIsEnabledWhenTheProjectHasATake() {
        MainWindow w;
        auto* exportAction = w.findChild<QAction*>(QStringLiteral("actionExport"));
        QVERIFY(!exportAction->isEnabled());
        QVERIFY(finishFileJob(w, w.openProjectFile(m_fixture.path)));
        QVERIFY(exportAction->isEnabled());
        w.newProject();
        QVERIFY(!exportAction->isEnabled());
        // A take added (as the generator will) enables it; undoing that disables it again.
        sfs::core::Take take = m_fixture.project.takes[0];
        take.framesPath.clear();
        QVERIFY(w.document()
                    ->push(std::make_unique<sfs::core::AddTakeCommand>(w.document(), take))
                    .isEmpty());
        QVERIFY(exportAction->isEnabled());
        w.undoStack()->undo();
        QVERIFY(!exportAction->isEnabled());
    }

    void dialogBuildsTheRequest() {
        const QString stem = m_dir.filePath(QStringLiteral("out/story_t2"));
        ExportDialog dialog(m_fixture.project, stem);
        auto* take = dialog.findChild<QComboBox*>(QStringLiteral("takeCombo"));
        auto* format = dialog.findChild<QComboBox*>(QStringLiteral("formatCombo"));
        auto* destination = dialog.findChild<QLineEdit*>(QStringLiteral("destinationEdit"));
        QCOMPARE(take->currentData().toString(), QStringLiteral("t2")); // the newest
        QCOMPARE(destination->text(), stem + QStringLiteral(".mp4"));
        sfs::core::TakeExportRequest r = dialog.request();
        QCOMPARE(r.takeId, QStringLiteral("t2"));
        QCOMPARE(r.output, stem + QStringLiteral(".mp4"));
        QCOMPARE(r.video.encoder, QStringLiteral("libx264"));
        QCOMPARE(r.video.crf, 18);
        QCOMPARE(r.video.preset, QStringLiteral("medium"));
        QCOMPARE(r.range.first, 0);
        QCOMPARE(r.range.last, -1);
        QVERIFY(r.withProvenance);
        QVERIFY(r.video.size.isEmpty());
        QCOMPARE(int(r.video.onCancel), int(sfs::core::PartialOutput::Remove));

        // A 16-bit PNG sequence of frames 3-9 of the older take, 160 wide.
        take->setCurrentIndex(take->findData(QStringLiteral("t1")));
        QCOMPARE(dialog.takeFrameCount(), 21);
        format->setCurrentIndex(format->findData(QStringLiteral("png16")));
        QCOMPARE(destination->text(), stem + QStringLiteral("_%04d.png"));
        dialog.findChild<QSpinBox*>(QStringLiteral("firstFrameSpin"))->setValue(3);
        dialog.findChild<QSpinBox*>(QStringLiteral("lastFrameSpin"))->setValue(9);
        dialog.findChild<QCheckBox*>(QStringLiteral("originalSizeCheck"))->setChecked(false);
        dialog.findChild<QSpinBox*>(QStringLiteral("widthSpin"))->setValue(160);
        dialog.findChild<QSpinBox*>(QStringLiteral("heightSpin"))->setValue(0);
        dialog.findChild<QCheckBox*>(QStringLiteral("keepPartialCheck"))->setChecked(true);
        r = dialog.request();
        QCOMPARE(r.takeId, QStringLiteral("t1"));
        QCOMPARE(int(r.sequence.format), int(sfs::core::ImageFormat::Png16));
        QCOMPARE(r.range.first, 3);
        QCOMPARE(r.range.last, 9);
        QCOMPARE(r.sequence.firstNumber, 3);
        QCOMPARE(r.sequence.size, QSize(160, 0));
        QCOMPARE(int(r.sequence.onCancel), int(sfs::core::PartialOutput::Keep));

        // Back to video: the frame number goes, the container follows the codec.
        format->setCurrentIndex(format->findData(QStringLiteral("video")));
        QCOMPARE(destination->text(), stem + QStringLiteral(".mp4"));
        auto* encoder = dialog.findChild<QComboBox*>(QStringLiteral("encoderCombo"));
        const int prores = encoder->findData(QStringLiteral("prores_ks"));
        if (prores >= 0) {
            encoder->setCurrentIndex(prores);
            QCOMPARE(destination->text(), stem + QStringLiteral(".mov"));
        }
    }

    void dialogAsksBeforeReplacingAnExport() {
        const QString stem = m_dir.filePath(QStringLiteral("existing"));
        QVERIFY(sfs::test::writeAll(stem + QStringLiteral(".mp4"), "earlier work"));
        ExportDialog dialog(m_fixture.project, stem);
        QTimer::singleShot(0, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box != nullptr);
            QCOMPARE(box->objectName(), QStringLiteral("replaceMessage"));
            box->button(QMessageBox::Cancel)->click();
        });
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected)); // still open, nothing decided
    }

    void exportRunsOnAWorkerAndReportsTheResult() {
        MainWindow w;
        QVERIFY(finishFileJob(w, w.openProjectFile(m_fixture.path)));
        QSignalSpy finished(&w, &MainWindow::exportFinished);
        sfs::core::TakeExportRequest request;
        request.output = m_dir.filePath(QStringLiteral("gui/clip.mp4"));
        request.range = {0, 15};
        QVERIFY(w.startExport(request));
        QVERIFY(w.isExporting());
        QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionExport"))->isEnabled());
        QVERIFY(!w.startExport(request)); // one at a time
        auto* progress = w.findChild<QProgressDialog*>(QStringLiteral("exportProgress"));
        QVERIFY(progress != nullptr && progress->isVisible());
        const QList<QVariant> args = waitForExport(finished);
        QCOMPARE(args.value(0).toBool(), true);
        QCOMPARE(args.value(1).toString(), request.output);
        QVERIFY(args.value(2).toString().contains(QStringLiteral("Exported take t2")));
        QVERIFY(!w.isExporting());
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionExport"))->isEnabled());
        QCOMPARE(videoFrames(request.output), 16);
        QVERIFY(!w.isWindowModified()); // exporting is not an edit
    }

    void cancelKeepsAPlayableClipOrNothing() {
        MainWindow w;
        QVERIFY(finishFileJob(w, w.openProjectFile(m_fixture.path)));
        QSignalSpy finished(&w, &MainWindow::exportFinished);
        for (const bool keep : {true, false}) {
            sfs::core::TakeExportRequest request;
            request.output =
                m_dir.filePath(keep ? QStringLiteral("kept.mp4") : QStringLiteral("removed.mp4"));
            request.video.onCancel =
                keep ? sfs::core::PartialOutput::Keep : sfs::core::PartialOutput::Remove;
            QVERIFY(w.startExport(request));
            // The user presses Cancel at once.
            auto* progress = w.findChild<QProgressDialog*>(QStringLiteral("exportProgress"));
            progress->findChild<QPushButton*>()->click();
            const QList<QVariant> args = waitForExport(finished);
            const QString message = args.value(2).toString();
            QVERIFY2(!args.value(0).toBool(), qPrintable(message));
            if (keep && QFileInfo::exists(request.output)) {
                const int frames = videoFrames(request.output);
                QVERIFY2(frames > 0 && frames < 21, qPrintable(message));
                QVERIFY2(message.contains(QStringLiteral("holds the first %1 frame").arg(frames)),
                         qPrintable(message));
            } else {
                QVERIFY(!QFileInfo::exists(request.output));
                QCOMPARE(message, QStringLiteral("Export cancelled: nothing was written"));
            }
            QVERIFY(visibleError(w) == nullptr);
        }
    }

    void aFailedExportIsReportedAndTheWindowStaysUsable() {
        MainWindow w;
        QVERIFY(finishFileJob(w, w.openProjectFile(m_fixture.path)));
        QSignalSpy finished(&w, &MainWindow::exportFinished);
        sfs::core::TakeExportRequest request;
        request.output = m_fixture.path + QStringLiteral("/below-a-file.mp4");
        QVERIFY(w.startExport(request));
        const QList<QVariant> args = waitForExport(finished);
        QCOMPARE(args.value(0).toBool(), false);
        QMessageBox* box = visibleError(w);
        QVERIFY(box != nullptr);
        QVERIFY(box->text().contains(QStringLiteral("below-a-file.mp4")));
        QVERIFY(box->informativeText().contains(QStringLiteral("story.sfsproj/below-a-file.mp4")));
        box->close();
        QVERIFY(!w.isExporting());
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionExport"))->isEnabled());
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionOpen"))->isEnabled());
    }

    void anExportedClipOpensAsAnUntitledProject() {
        sfs::core::TakeExportRequest request;
        request.output = m_dir.filePath(QStringLiteral("reopen.mp4"));
        request.range = {0, 2};
        const sfs::core::TakeExportResult exported =
            sfs::core::exportTake(m_fixture.project, m_fixture.path, m_fixture.assetsDir, request);
        QVERIFY2(exported.ok, qPrintable(exported.error));

        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        QVERIFY(finishFileJob(w, w.openProjectFile(request.output)));
        QCOMPARE(opened.count(), 1);
        const sfs::core::Project expected =
            sfs::core::projectForReopening(m_fixture.project, m_fixture.project.takes[1]);
        QCOMPARE(sfs::core::serializeProject(w.document()->project()),
                 sfs::core::serializeProject(expected));
        QVERIFY(w.document()->isUntitled());
        QVERIFY(w.isWindowModified()); // unsaved until the user saves it
        for (const sfs::core::Keyframe& k : expected.keyframes) {
            QVERIFY(QFileInfo::exists(w.document()->assetFilePath(k.image)));
        }
        // Saved, it is an ordinary project with its images.
        const QString saved = m_dir.filePath(QStringLiteral("from-clip.sfsproj"));
        QVERIFY(finishFileJob(w, w.saveProjectTo(saved)));
        sfs::core::LoadedProject loaded;
        sfs::core::FileError error;
        QVERIFY2(sfs::core::loadProject(saved, {}, loaded, error), qPrintable(error.toString()));
        QCOMPARE(loaded.project, expected);
    }

    void aClipWithoutProvenanceIsReported() {
        MainWindow w;
        const QByteArray before = sfs::core::serializeProject(w.document()->project());
        const QString junk = m_dir.filePath(QStringLiteral("junk.mp4"));
        QVERIFY(sfs::test::writeAll(junk, "not a video"));
        QVERIFY(finishFileJob(w, w.openProjectFile(junk)));
        QMessageBox* box = visibleError(w);
        QVERIFY(box != nullptr);
        QVERIFY(box->text().contains(QStringLiteral("junk.mp4")));
        QVERIFY(box->informativeText().contains(QStringLiteral("not a readable video file")));
        box->close();
        QCOMPARE(sfs::core::serializeProject(w.document()->project()), before);
        // Nothing was left in the staging area.
        QVERIFY(QDir(ProjectDocument::defaultStagingRoot())
                    .entryList(QDir::AllEntries | QDir::NoDotAndDotDot)
                    .isEmpty());
    }

private:
    QTemporaryDir m_dir;
    sfs::test::TakeProject m_fixture;
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
