// File > New, Open, Open Recent, Save, Save As and unsaved-changes prompts in the main window
// (crash recovery is offered on the start page: tst_start_page).

#include "sfs/core/project/autosave.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/recent_files.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

using sfs::core::ProjectDocument;
using sfs::ui::MainWindow;

namespace {

// Open and save run as jobs off the UI thread: the event loop runs until the one started by
// `started` has ended. False when none started or it did not end in time.
bool finishFileJob(MainWindow& w, bool started) {
    return started && QTest::qWaitFor([&w] { return !w.isBusy(); }, 30000);
}

// Answers the next modal message box with the button `role` (or the named button).
void answerNextMessageBox(QMessageBox::StandardButton button, const QString& objectName = {}) {
    QTimer::singleShot(0, [button, objectName] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY2(box != nullptr, "no message box was shown");
        QAbstractButton* target =
            objectName.isEmpty() ? box->button(button) : box->findChild<QPushButton*>(objectName);
        QVERIFY(target != nullptr);
        target->click();
    });
}

QMessageBox* visibleError(const MainWindow& w) {
    for (auto* box : w.findChildren<QMessageBox*>(QStringLiteral("errorMessage"))) {
        if (box->isVisible()) {
            return box;
        }
    }
    return nullptr;
}

void splitPrompt(ProjectDocument* doc, int frame) {
    QVERIFY(
        doc->push(std::make_unique<sfs::core::SplitPromptSegmentCommand>(doc, frame)).isEmpty());
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestProjectFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_project_files"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void init() {
        QDir(sfs::core::Autosaver::defaultRecoveryDir()).removeRecursively();
        QDir(ProjectDocument::defaultStagingRoot()).removeRecursively();
    }

    void fileActionsAreEnabled() {
        MainWindow w;
        for (const char* name : {"actionNew", "actionOpen", "actionSave", "actionSaveAs"}) {
            QVERIFY2(w.findChild<QAction*>(QString::fromLatin1(name))->isEnabled(), name);
        }
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Untitled[*]")));
    }

    void saveNewOpenRoundTrip() {
        MainWindow w;
        const QString path = m_dir.filePath(QStringLiteral("story.sfsproj"));
        splitPrompt(w.document(), 33);
        QVERIFY(w.isWindowModified());
        QVERIFY(finishFileJob(
            w, w.saveProjectTo(m_dir.filePath(QStringLiteral("story"))))); // suffix added
        QVERIFY(QFile::exists(path));
        QVERIFY(!w.isWindowModified());
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("story[*]")));
        QCOMPARE(w.recentFiles()->files().value(0), path);

        splitPrompt(w.document(), 60);
        QVERIFY(w.isWindowModified());
        w.findChild<QAction*>(QStringLiteral("actionSave"))->trigger();
        QVERIFY(finishFileJob(w, true));
        QVERIFY(!w.isWindowModified());
        sfs::core::LoadedProject saved;
        sfs::core::FileError error;
        QVERIFY(sfs::core::loadProject(path, {}, saved, error));
        QCOMPARE(int(saved.project.prompts.size()), 3);

        w.findChild<QAction*>(QStringLiteral("actionNew"))->trigger(); // clean: no question
        QVERIFY(w.document()->isUntitled());
        QCOMPARE(int(w.document()->project().prompts.size()), 1);
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("Untitled")));

        QSignalSpy opened(&w, &MainWindow::projectOpened);
        QVERIFY(finishFileJob(w, w.openProjectFile(path)));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(int(w.document()->project().prompts.size()), 3);
        QVERIFY(!w.isWindowModified());
        QVERIFY(!w.undoStack()->canUndo());
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("story[*]")));
    }

    void undoAndRedoActionsDriveTheCommands() {
        MainWindow w;
        const QByteArray before = sfs::core::serializeProject(w.document()->project());
        splitPrompt(w.document(), 40);
        auto* undo = w.findChild<QAction*>(QStringLiteral("actionUndo"));
        auto* redo = w.findChild<QAction*>(QStringLiteral("actionRedo"));
        QVERIFY(undo->isEnabled());
        QVERIFY(undo->text().contains(QStringLiteral("Split Prompt Segment")));
        undo->trigger();
        QCOMPARE(sfs::core::serializeProject(w.document()->project()), before);
        QVERIFY(!w.isWindowModified());
        redo->trigger();
        QCOMPARE(int(w.document()->project().prompts.size()), 2);
        QVERIFY(w.isWindowModified());
        w.undoStack()->setClean();
    }

    void openingTheSampleChecksItsImagesOffTheUiThread() {
        MainWindow w;
        const QString sample =
            QStringLiteral(SFS_SOURCE_DIR "/resources/examples/paper-boat.sfsproj");
        const QByteArray bytes = readAll(sample);
        QVERIFY(finishFileJob(w, w.openProjectFile(sample)));
        QCOMPARE(int(w.document()->project().keyframes.size()), 3);
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("paper-boat[*]")));
        QCOMPARE(readAll(sample), bytes);
        w.document()->close();
    }

    void aBadFileIsReportedAndChangesNothing() {
        MainWindow w;
        splitPrompt(w.document(), 20);
        const QByteArray before = sfs::core::serializeProject(w.document()->project());
        const QString bad = QStringLiteral(SFS_TEST_DATA_DIR "/projects/bad/newer_version.sfsproj");
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        QVERIFY(finishFileJob(w, w.openProjectFile(bad)));
        QCOMPARE(opened.count(), 0);
        QMessageBox* box = visibleError(w);
        QVERIFY(box != nullptr);
        QVERIFY(box->text().contains(QStringLiteral("newer_version.sfsproj")));
        QVERIFY(box->informativeText().contains(QStringLiteral("/version")));
        box->close();
        QCOMPARE(sfs::core::serializeProject(w.document()->project()), before);
        QVERIFY(w.isWindowModified());
        QVERIFY(w.document()->isUntitled());
        w.undoStack()->setClean();
    }

    void unsavedChangesAreAskedAbout() {
        MainWindow w;
        splitPrompt(w.document(), 20);
        // Cancel keeps everything.
        answerNextMessageBox(QMessageBox::Cancel);
        w.newProject();
        QCOMPARE(int(w.document()->project().prompts.size()), 2);
        QVERIFY(w.isWindowModified());
        // Discard starts over.
        answerNextMessageBox(QMessageBox::Discard);
        w.newProject();
        QCOMPARE(int(w.document()->project().prompts.size()), 1);
        QVERIFY(!w.isWindowModified());

        // Closing with unsaved changes: Cancel keeps the window open.
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        splitPrompt(w.document(), 20);
        answerNextMessageBox(QMessageBox::Cancel);
        QVERIFY(!w.close());
        QVERIFY(w.isVisible());
        // Save on a saved project writes it and closes.
        const QString path = m_dir.filePath(QStringLiteral("closing.sfsproj"));
        QVERIFY(finishFileJob(w, w.saveProjectTo(path)));
        splitPrompt(w.document(), 40);
        answerNextMessageBox(QMessageBox::Save);
        // The save runs as a job; the window closes once it has succeeded.
        w.close();
        QTRY_VERIFY(!w.isVisible());
        QVERIFY(!w.isWindowModified());
        sfs::core::LoadedProject saved;
        sfs::core::FileError error;
        QVERIFY(sfs::core::loadProject(path, {}, saved, error));
        QCOMPARE(int(saved.project.prompts.size()), 3);
    }

    void saveAsCarriesTheAssets() {
        MainWindow w;
        const QString first = m_dir.filePath(QStringLiteral("a/one.sfsproj"));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("a"))));
        QVERIFY(finishFileJob(w, w.saveProjectTo(first)));
        // A take's files, as the engine will store them.
        const QString frames = w.document()->assetFilePath(QStringLiteral("takes/t1/frames"));
        QVERIFY(QDir().mkpath(frames));
        QFile f(frames + QStringLiteral("/000000.png"));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("frame") == 5);
        f.close();
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("b"))));
        const QString second = m_dir.filePath(QStringLiteral("b/two.sfsproj"));
        QVERIFY(finishFileJob(w, w.saveProjectTo(second)));
        QCOMPARE(readAll(second + QStringLiteral(".assets/takes/t1/frames/000000.png")),
                 QByteArray("frame"));
        QCOMPARE(w.document()->filePath(), second);
        QCOMPARE(w.recentFiles()->files().value(0), second);
        QCOMPARE(w.recentFiles()->files().value(1), first);
    }

    void openRecentOpensTheFile() {
        MainWindow w;
        const QString path = m_dir.filePath(QStringLiteral("recent.sfsproj"));
        QVERIFY(finishFileJob(w, w.saveProjectTo(path)));
        w.newProject();
        QVERIFY(w.document()->isUntitled());
        auto* menu = w.findChild<QMenu*>(QStringLiteral("menuOpenRecent"));
        QAction* entry = nullptr;
        for (QAction* a : menu->actions()) {
            if (a->data().toString() == path) {
                entry = a;
            }
        }
        QVERIFY(entry != nullptr);
        entry->trigger();
        QVERIFY(finishFileJob(w, true));
        QCOMPARE(w.document()->filePath(), path);
    }

    // The recovery offer after a crash is the start page's: tst_start_page.

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestProjectFiles)
#include "tst_project_files.moc"
