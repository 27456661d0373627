// The start page: recent projects (thumbnails, a missing file greyed and removable), New Project
// with the default model, the sample project, Close Project, the recovery offer after a
// simulated crash (recover, discard, show both), and Help > User Guide finding the guide.

#include "installed_files.h"
#include "model_setup/model_setup_dialog.h"
#include "sfs/build_config.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/timeline.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/recent_files.h"
#include "start_page/project_thumbnails.h"
#include "start_page/start_page.h"
#include "user_guide_dialog.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using sfs::core::ProjectDocument;
using sfs::ui::MainWindow;
using sfs::ui::StartPage;

namespace {

constexpr int kWaitMs = 30000;

bool waitIdle(MainWindow& w) {
    return QTest::qWaitFor([&w] { return !w.isBusy(); }, kWaitMs);
}

// Shows the start page and waits until it has read its lists.
bool showStartPage(MainWindow& w) {
    QSignalSpy scanned(w.startPage(), &StartPage::scanned);
    w.showStartPage();
    return scanned.wait(kWaitMs) && w.isStartPageShown();
}

void writeImage(const QString& path, QColor colour) {
    QDir().mkpath(QFileInfo(path).path());
    QImage image(64, 36, QImage::Format_RGB888);
    image.fill(colour);
    QVERIFY(image.save(path));
}

// A project file at `path` whose first prompt says `text`; with `keyframe`, a blue keyframe image
// at frame 0; with `take`, a one-chunk take whose stored frames are red.
void writeProject(const QString& path, const QString& text, bool keyframe = false,
                  bool take = false) {
    sfs::core::Project project = sfs::core::Project::makeDefault();
    project.prompts.front().text = text;
    const QString assets = sfs::core::assetsDirFor(path);
    if (keyframe) {
        sfs::core::Keyframe key;
        key.id = QStringLiteral("k1");
        key.frame = 0;
        key.image = QStringLiteral("images/blue.png");
        writeImage(QDir(assets).filePath(key.image), Qt::blue);
        project.keyframes.push_back(key);
    }
    if (take) {
        sfs::core::Take t;
        t.id = QStringLiteral("t1");
        t.created = QDateTime::currentDateTimeUtc();
        t.durationFrames = project.durationFrames;
        t.status = sfs::core::TakeStatus::Stopped;
        t.chunksCompleted = 1;
        t.framesPath = QStringLiteral("takes/t1/frames");
        for (int i = 0; i < sfs::core::timeline::framesForChunks(1); ++i) {
            writeImage(QDir(assets).filePath(
                           QStringLiteral("takes/t1/frames/%1.png").arg(i, 6, 10, QChar('0'))),
                       Qt::red);
        }
        project.takes.push_back(t);
    }
    sfs::core::FileError error;
    QVERIFY2(sfs::core::writeProjectFile(project, path, error), qPrintable(error.toString()));
}

// A session that opened `path`, changed its first prompt to `text`, autosaved and ended without
// closing: its recovery file stays behind, as after a crash.
void crashWithChanges(const QString& path, const QString& text) {
    ProjectDocument crashed;
    sfs::core::FileError error;
    QVERIFY2(crashed.open(path, error), qPrintable(error.toString()));
    sfs::core::Autosaver autosaver(&crashed);
    const QString id = crashed.project().prompts.front().id;
    QVERIFY(crashed.push(std::make_unique<sfs::core::SetPromptTextCommand>(&crashed, id, text))
                .isEmpty());
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();
}

QWidget* onlyRecoveryRow(MainWindow& w) {
    const QList<QWidget*> rows = w.startPage()->recoveryRows();
    return rows.size() == 1 ? rows.first() : nullptr;
}

QString firstPrompt(const MainWindow& w) {
    return w.document()->project().prompts.front().text;
}

} // namespace

class TestStartPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_start_page"));
        // The demo model (model setup dialog) is written into the user cache: keep it here.
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        QVERIFY(m_dir.isValid());
    }

    void init() {
        QSettings().clear();
        const QString recovery = sfs::core::Autosaver::defaultRecoveryDir();
        QDir(recovery).removeRecursively();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
             QStringLiteral("/sample"))
            .removeRecursively();
    }

    void listsRecentProjectsAndAMissingOne() {
        const QString a = m_dir.filePath(QStringLiteral("a/first.sfsproj"));
        const QString b = m_dir.filePath(QStringLiteral("b/second.sfsproj"));
        const QString gone = m_dir.filePath(QStringLiteral("c/gone.sfsproj"));
        QDir().mkpath(QFileInfo(a).path());
        QDir().mkpath(QFileInfo(b).path());
        writeProject(a, QStringLiteral("first"), true);
        writeProject(b, QStringLiteral("second"));
        {
            sfs::ui::RecentFiles recent;
            recent.add(gone);
            recent.add(b);
            recent.add(a); // newest first: a, b, gone
        }
        MainWindow w;
        QVERIFY(!w.isStartPageShown()); // a window made by a program shows the studio
        QVERIFY(showStartPage(w));
        QVERIFY(w.findChild<QDockWidget*>("timelineDock")->isHidden());
        QVERIFY(w.findChild<QDockWidget*>("inspectorDock")->isHidden());
        QCOMPARE(w.windowTitle(), QStringLiteral("sfstudio"));
        QListWidget* list = w.startPage()->recentList();
        QCOMPARE(list->count(), 3);
        QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), a);
        QVERIFY(list->item(0)->text().startsWith(QStringLiteral("first\n")));
        QVERIFY(list->item(0)->data(StartPage::PathExistsRole).toBool());
        QVERIFY(!list->item(0)->data(Qt::AccessibleTextRole).toString().isEmpty());
        QListWidgetItem* missing = list->item(2);
        QVERIFY(!missing->data(StartPage::PathExistsRole).toBool());
        QVERIFY(missing->text().contains(QStringLiteral("not found")));
        QVERIFY(missing->data(Qt::AccessibleTextRole).toString().contains("not found"));
        QCOMPARE(missing->foreground().color(),
                 list->palette().color(QPalette::Disabled, QPalette::Text));
        // A missing project cannot be opened, only removed from the list (the Delete key).
        auto* open = w.findChild<QPushButton*>(QStringLiteral("openRecentButton"));
        list->setCurrentItem(missing);
        QVERIFY(!open->isEnabled());
        QSignalSpy scanned(w.startPage(), &StartPage::scanned);
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Delete);
        QVERIFY(scanned.wait(kWaitMs));
        QCOMPARE(list->count(), 2);
        QVERIFY(!sfs::ui::RecentFiles().files().contains(gone));
        // Enter opens the selected project.
        list->setCurrentRow(1);
        QVERIFY(open->isEnabled());
        QTest::keyClick(list, Qt::Key_Return);
        QVERIFY(waitIdle(w));
        QCOMPARE(w.document()->filePath(), b);
        QVERIFY(!w.isStartPageShown());
        QVERIFY(!w.findChild<QDockWidget*>("timelineDock")->isHidden());
    }

    void thumbnailsShowTheNewestTakeElseTheFirstKeyframe() {
        const QSize box(160, 90);
        const QString plain = m_dir.filePath(QStringLiteral("t/plain.sfsproj"));
        const QString keyed = m_dir.filePath(QStringLiteral("t/keyed.sfsproj"));
        const QString taken = m_dir.filePath(QStringLiteral("t/taken.sfsproj"));
        QDir().mkpath(m_dir.filePath(QStringLiteral("t")));
        writeProject(plain, QStringLiteral("plain"));
        writeProject(keyed, QStringLiteral("keyed"), true);
        writeProject(taken, QStringLiteral("taken"), true, true);
        QVERIFY(sfs::ui::ProjectThumbnails::render(plain, box).isNull()); // a placeholder
        const QImage key = sfs::ui::ProjectThumbnails::render(keyed, box);
        QVERIFY(!key.isNull() && key.width() <= box.width() && key.height() <= box.height());
        QCOMPARE(QColor(key.pixel(key.width() / 2, key.height() / 2)), QColor(Qt::blue));
#if SFS_WITH_MEDIA // take frames are read through media's frame sources
        const QImage frame = sfs::ui::ProjectThumbnails::render(taken, box);
        QVERIFY(!frame.isNull());
        QCOMPARE(QColor(frame.pixel(frame.width() / 2, frame.height() / 2)), QColor(Qt::red));
#endif
        // Loaded off the UI thread, then cached.
        sfs::ui::ProjectThumbnails thumbnails(box);
        const QDateTime modified = QFileInfo(taken).lastModified();
        QVERIFY(thumbnails.thumbnail(taken, modified).isNull());
        QVERIFY(thumbnails.isLoading());
        QSignalSpy ready(&thumbnails, &sfs::ui::ProjectThumbnails::ready);
        QVERIFY(ready.wait(kWaitMs));
        QVERIFY(!thumbnails.thumbnail(taken, modified).isNull());
        QVERIFY(!thumbnails.isLoading());
        // The sample project has keyframes: its thumbnail is one.
        QVERIFY(!sfs::ui::ProjectThumbnails::render(sfs::ui::sampleProjectPath(), box).isNull());
    }

    void newProjectUsesTheDefaultModel() {
        sfs::ui::setDefaultModelFolder(QStringLiteral("/models/self-forcing"));
        MainWindow w;
        QVERIFY(showStartPage(w));
        QVERIFY(w.startPage()
                    ->findChild<QLabel*>(QStringLiteral("defaultModelLabel"))
                    ->text()
                    .contains(QStringLiteral("self-forcing")));
        w.findChild<QPushButton*>(QStringLiteral("startNewButton"))->click();
        QVERIFY(!w.isStartPageShown());
        QCOMPARE(w.document()->project().settings.modelFolder,
                 QStringLiteral("/models/self-forcing"));
        // File > New as well; and the demo model when that is the default.
        sfs::ui::setDefaultModelFolder(QString());
        w.findChild<QAction*>(QStringLiteral("actionNew"))->trigger();
        QVERIFY(w.document()->project().settings.usesDemoModel());
    }

    void closeProjectShowsTheStartPage() {
        MainWindow w;
        w.newProject();
        QAction* close = w.findChild<QAction*>(QStringLiteral("actionCloseProject"));
        QVERIFY(close->isEnabled());
        QCOMPARE(close->shortcuts(), QKeySequence::keyBindings(QKeySequence::Close));
        close->trigger();
        QVERIFY(w.isStartPageShown());
        QVERIFY(!close->isEnabled());
        QVERIFY(!w.document()->isModified());
        // Nothing to save behind the start page.
        QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionSave"))->isEnabled());
        QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionSaveAs"))->isEnabled());
        w.findChild<QPushButton*>(QStringLiteral("startNewButton"))->click();
        QVERIFY(!w.isStartPageShown());
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionSave"))->isEnabled());
    }

    void opensACopyOfTheSampleProject() {
        const QString sample = sfs::ui::sampleProjectPath();
        QVERIFY2(!sample.isEmpty(), qPrintable(sfs::ui::sampleProjectCandidates().join(' ')));
        MainWindow w;
        QVERIFY(showStartPage(w));
        w.findChild<QPushButton*>(QStringLiteral("startSampleButton"))->click();
        QVERIFY(
            QTest::qWaitFor([&] { return !w.document()->isUntitled() && !w.isBusy(); }, kWaitMs));
        const QString copy = w.document()->filePath();
        QCOMPARE(QFileInfo(copy).fileName(), QStringLiteral("paper-boat.sfsproj"));
        QVERIFY(copy.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(copy != sample);
        QCOMPARE(int(w.document()->project().keyframes.size()), 3);
        QVERIFY(
            QFileInfo(w.document()->assetFilePath(w.document()->project().keyframes.front().image))
                .isFile());
    }

    void recoveryIsOfferedAfterACrashAndRecovers() {
        const QString path = m_dir.filePath(QStringLiteral("r1/story.sfsproj"));
        QDir().mkpath(QFileInfo(path).path());
        writeProject(path, QStringLiteral("saved"));
        crashWithChanges(path, QStringLiteral("rescued"));

        MainWindow w;
        QSignalSpy recovered(&w, &MainWindow::projectRecovered);
        QVERIFY(showStartPage(w));
        QWidget* row = onlyRecoveryRow(w);
        QVERIFY(row != nullptr && row->isVisibleTo(&w));
        QVERIFY(w.findChild<QWidget*>(QStringLiteral("recoveryOffers"))->isVisibleTo(&w));
        QCOMPARE(w.startPage()->lastScan().recovery.size(), 1);
        QVERIFY(!w.startPage()->lastScan().recovery.front().savedFileNewer);
        auto* recover = row->findChild<QPushButton*>(QStringLiteral("recoverButton"));
        QVERIFY(recover != nullptr && !recover->accessibleName().isEmpty());
        QVERIFY(row->findChild<QPushButton*>(QStringLiteral("showBothButton")) != nullptr);
        recover->click();
        QVERIFY(waitIdle(w));
        QCOMPARE(recovered.count(), 1);
        QVERIFY(!w.isStartPageShown());
        QCOMPARE(firstPrompt(w), QStringLiteral("rescued"));
        QCOMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(w.isWindowModified());
        w.autosaver()->waitForPendingWrites(); // the old recovery file goes after our copy
        QVERIFY(sfs::core::Autosaver::findRecoverable().isEmpty());
        w.document()->close();
    }

    void discardRemovesTheChangesAndOpensTheFile() {
        const QString path = m_dir.filePath(QStringLiteral("r2/story.sfsproj"));
        QDir().mkpath(QFileInfo(path).path());
        writeProject(path, QStringLiteral("saved"));
        crashWithChanges(path, QStringLiteral("thrown away"));
        const QString recoveryFile = sfs::core::Autosaver::findRecoverable().value(0).recoveryFile;
        QVERIFY(QFileInfo::exists(recoveryFile));

        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        QVERIFY(showStartPage(w));
        QWidget* row = onlyRecoveryRow(w);
        QVERIFY(row != nullptr);
        QCOMPARE(row->property("recoveryFile").toString(), recoveryFile);
        row->findChild<QPushButton*>(QStringLiteral("discardButton"))->click();
        QVERIFY(opened.wait(kWaitMs));
        QVERIFY(waitIdle(w));
        QVERIFY(!QFileInfo::exists(recoveryFile));
        QVERIFY(sfs::core::Autosaver::findRecoverable().isEmpty());
        QCOMPARE(w.document()->filePath(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(firstPrompt(w), QStringLiteral("saved"));
        QVERIFY(!w.isWindowModified());
    }

    void showBothOpensTheSavedFileBeside() {
        const QString path = m_dir.filePath(QStringLiteral("r3/story.sfsproj"));
        QDir().mkpath(QFileInfo(path).path());
        writeProject(path, QStringLiteral("saved"));
        crashWithChanges(path, QStringLiteral("rescued"));
        // Saved again after the autosave (by another session): the offer says so.
        QTest::qWait(20);
        writeProject(path, QStringLiteral("saved later"));

        MainWindow w;
        QVERIFY(showStartPage(w));
        QVERIFY(w.startPage()->lastScan().recovery.value(0).savedFileNewer);
        QWidget* row = onlyRecoveryRow(w);
        QVERIFY(row != nullptr);
        row->findChild<QPushButton*>(QStringLiteral("showBothButton"))->click();
        MainWindow* other = nullptr;
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (QWidget* top : QApplication::topLevelWidgets()) {
                    if (top->objectName() == QStringLiteral("savedFileWindow")) {
                        other = qobject_cast<MainWindow*>(top);
                    }
                }
                return other != nullptr && !other->isBusy() && !w.isBusy() &&
                       !other->document()->isUntitled();
            },
            kWaitMs));
        QCOMPARE(firstPrompt(w), QStringLiteral("rescued"));
        QVERIFY(w.isWindowModified());
        QCOMPARE(other->document()->filePath(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(firstPrompt(*other), QStringLiteral("saved later"));
        QVERIFY(!other->isWindowModified());
        QVERIFY(other->isVisible());
        QVERIFY(other->close()); // deletes itself
        w.document()->close();
    }

    void theUserGuideOpensFromTheHelpMenu() {
        MainWindow w;
        QAction* guide = w.findChild<QAction*>(QStringLiteral("actionUserGuide"));
        QVERIFY(guide != nullptr);
        QCOMPARE(guide->shortcuts(), QKeySequence::keyBindings(QKeySequence::HelpContents));
        QVERIFY(w.findChild<QMenu*>(QStringLiteral("menuHelp"))->actions().contains(guide));
        guide->trigger();
        auto* dialog = w.findChild<sfs::ui::UserGuideDialog*>(QStringLiteral("userGuideDialog"));
        QVERIFY(dialog != nullptr && dialog->isVisible());
        QSignalSpy loaded(dialog, &sfs::ui::UserGuideDialog::loaded);
        if (dialog->guidePath().isEmpty()) {
            QVERIFY(loaded.wait(kWaitMs));
            QCOMPARE(loaded.first().first().toBool(), true);
        }
        QCOMPARE(
            dialog->guidePath(),
            QFileInfo(QStringLiteral(SFS_SOURCE_DIR "/docs/user-guide.md")).absoluteFilePath());
        const QString text = dialog->browser()->toPlainText();
        QVERIFY(text.contains(QStringLiteral("sfstudio User Guide")));
        QVERIFY(!text.contains(QStringLiteral("# sfstudio"))); // rendered, not raw Markdown
        QVERIFY(dialog->browser()->isReadOnly());

        // An installed copy named by SFS_DATA_DIR wins; where there is none, it says where it
        // looked.
        QTemporaryDir data;
        QFile copy(data.filePath(QStringLiteral("user-guide.md")));
        QVERIFY(copy.open(QIODevice::WriteOnly));
        copy.write("# Installed guide\n");
        copy.close();
        qputenv("SFS_DATA_DIR", data.path().toUtf8());
        dialog->reload();
        QVERIFY(loaded.wait(kWaitMs));
        QCOMPARE(dialog->guidePath(), QFileInfo(copy).absoluteFilePath());
        QVERIFY(dialog->browser()->toPlainText().contains(QStringLiteral("Installed guide")));
        QVERIFY(copy.remove());
        dialog->reload();
        QVERIFY(loaded.wait(kWaitMs));
        QVERIFY(dialog->guidePath().isEmpty());
        QVERIFY(dialog->browser()->toPlainText().contains(data.path()));
        qunsetenv("SFS_DATA_DIR");
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStartPage)
#include "tst_start_page.moc"
