// Autosave and crash recovery, with a real crash: a child process edits a project, autosaves
// and is killed with SIGKILL; this process then finds the recovery file and restores the edits.

#include "project_fixtures.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUndoStack>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

using namespace sfs::core;

namespace {

// The folders of one test, shared with its death-test child (which re-runs the test binary):
// the parent makes them and passes their root in the environment.
class Folders {
public:
    Folders() {
        if (const char* inherited = std::getenv(kVariable)) {
            m_root = QString::fromLocal8Bit(inherited);
        } else {
            m_owned = std::make_unique<QTemporaryDir>();
            m_root = m_owned->path();
            qputenv(kVariable, m_root.toLocal8Bit());
        }
        QDir().mkpath(recovery());
        QDir().mkpath(staging());
    }
    ~Folders() {
        if (m_owned) {
            qunsetenv(kVariable);
        }
    }
    QString recovery() const { return m_root + QStringLiteral("/recovery"); }
    QString staging() const { return m_root + QStringLiteral("/untitled"); }
    QString file(const QString& name) const { return m_root + QLatin1Char('/') + name; }

private:
    static constexpr const char* kVariable = "SFS_AUTOSAVE_TEST_ROOT";
    std::unique_ptr<QTemporaryDir> m_owned;
    QString m_root;
};

// The edits the crashing session makes, replayed identically on any document.
void makeEdits(ProjectDocument& doc) {
    const QString image = QStringLiteral("images/0123456789abcdef0123456789abcdef.png");
    QDir().mkpath(doc.assetsDir() + QStringLiteral("/images"));
    sfs::test::writeAll(doc.assetFilePath(image), "pixels");
    Keyframe k;
    k.id = QStringLiteral("k-crash");
    k.frame = 20;
    k.image = image;
    k.label = QStringLiteral("before the crash");
    doc.push(std::make_unique<AddKeyframeCommand>(&doc, k));
    doc.push(std::make_unique<SetPromptTextCommand>(&doc, QStringLiteral("p1"),
                                                    QStringLiteral("unsaved words")));
}

} // namespace

TEST(AutosaveDeathTest, RecoversAnUntitledProjectAfterACrash) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    Folders folders;
    EXPECT_EXIT(
        {
            ProjectDocument doc(nullptr, folders.staging());
            Autosaver autosaver(&doc, folders.recovery());
            makeEdits(doc);
            autosaver.autosaveNow();
            autosaver.waitForPendingWrites();
            std::raise(SIGKILL); // no destructors, no clean-up: a crash
        },
        ::testing::KilledBySignal(SIGKILL), "");

    const QList<RecoveryEntry> entries = Autosaver::findRecoverable(folders.recovery());
    ASSERT_EQ(entries.size(), 1);
    const RecoveryEntry& entry = entries.front();
    EXPECT_TRUE(entry.originalPath.isEmpty());
    EXPECT_EQ(entry.displayName(), QStringLiteral("Untitled"));
    EXPECT_LT(entry.savedAt.secsTo(QDateTime::currentDateTimeUtc()), 120);
    EXPECT_TRUE(QFileInfo(entry.assetsDir).isDir());

    ProjectDocument expected(nullptr, QDir::tempPath());
    makeEdits(expected);
    expected.close();

    ProjectDocument doc(nullptr, folders.staging());
    {
        Autosaver autosaver(&doc, folders.recovery());
        FileError error;
        ASSERT_TRUE(autosaver.recover(entry, error)) << error.toString().toStdString();
        EXPECT_EQ(serializeProject(doc.project()), serializeProject(expected.project()));
        EXPECT_TRUE(doc.isModified());
        EXPECT_TRUE(doc.isUntitled());
        EXPECT_EQ(doc.assetsDir(), entry.assetsDir);
        EXPECT_EQ(sfs::test::readAll(doc.assetFilePath(doc.project().keyframes[0].image)),
                  QByteArray("pixels"));
        // The old session's file is gone; ours holds the recovered state.
        EXPECT_FALSE(QFileInfo::exists(entry.recoveryFile));
        EXPECT_TRUE(QFileInfo::exists(autosaver.recoveryFile()));
        EXPECT_TRUE(Autosaver::findRecoverable(folders.recovery()).isEmpty())
            << "a live session's file is not offered";

        // Saving carries the staged assets to the project and ends recovery.
        ASSERT_TRUE(doc.saveAs(folders.file(QStringLiteral("rescued")), error))
            << error.toString().toStdString();
        autosaver.waitForPendingWrites();
        EXPECT_FALSE(QFileInfo::exists(autosaver.recoveryFile()));
        EXPECT_FALSE(QFileInfo::exists(entry.assetsDir));
    }
    LoadedProject reloaded;
    FileError error;
    ASSERT_TRUE(loadProject(folders.file(QStringLiteral("rescued.sfsproj")),
                            LoadOptions{AssetCheck::Exists}, reloaded, error))
        << error.toString().toStdString();
    EXPECT_TRUE(reloaded.project == expected.project());
    EXPECT_TRUE(Autosaver::findRecoverable(folders.recovery()).isEmpty());
}

TEST(AutosaveDeathTest, RecoversChangesToASavedProject) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    Folders folders;
    const QString path = folders.file(QStringLiteral("film.sfsproj"));
    if (!QFileInfo::exists(path)) {
        FileError error;
        ASSERT_TRUE(writeProjectFile(Project::makeDefault(), path, error));
    }
    const QByteArray onDisk = sfs::test::readAll(path);
    EXPECT_EXIT(
        {
            ProjectDocument doc(nullptr, folders.staging());
            FileError error;
            if (!doc.open(path, error, LoadOptions{AssetCheck::None})) {
                std::exit(3);
            }
            Autosaver autosaver(&doc, folders.recovery());
            doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 40));
            autosaver.autosaveNow();
            autosaver.waitForPendingWrites();
            std::raise(SIGKILL);
        },
        ::testing::KilledBySignal(SIGKILL), "");

    EXPECT_EQ(sfs::test::readAll(path), onDisk) << "autosave never writes the project file";
    const QList<RecoveryEntry> entries = Autosaver::findRecoverable(folders.recovery());
    ASSERT_EQ(entries.size(), 1);
    EXPECT_EQ(entries[0].originalPath, QFileInfo(path).absoluteFilePath());
    EXPECT_EQ(entries[0].displayName(), QStringLiteral("film"));

    ProjectDocument doc(nullptr, folders.staging());
    Autosaver autosaver(&doc, folders.recovery());
    FileError error;
    ASSERT_TRUE(autosaver.recover(entries[0], error)) << error.toString().toStdString();
    EXPECT_EQ(doc.filePath(), QFileInfo(path).absoluteFilePath());
    EXPECT_TRUE(doc.isModified());
    ASSERT_EQ(doc.project().prompts.size(), 2u);
    EXPECT_EQ(doc.project().prompts[1].startFrame, 40);
    ASSERT_TRUE(doc.save(error));
    LoadedProject reloaded;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::None}, reloaded, error));
    EXPECT_TRUE(reloaded.project == doc.project());
}

class Autosave : public ::testing::Test {
protected:
    QString recovery() const { return root.path() + QStringLiteral("/recovery"); }
    QString staging() const { return root.path() + QStringLiteral("/untitled"); }
    QTemporaryDir root;
};

TEST_F(Autosave, WritesOnlyWhenThereAreUnsavedChanges) {
    ProjectDocument doc(nullptr, staging());
    Autosaver autosaver(&doc, recovery());
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();
    EXPECT_FALSE(QFileInfo::exists(autosaver.recoveryFile()));

    doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 9));
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();
    ASSERT_TRUE(QFileInfo::exists(autosaver.recoveryFile()));
    const QDateTime written = QFileInfo(autosaver.recoveryFile()).lastModified();

    // Nothing new since: no rewrite.
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();
    EXPECT_EQ(QFileInfo(autosaver.recoveryFile()).lastModified(), written);

    // Undoing back to the saved state leaves nothing to recover.
    doc.undoStack()->undo();
    autosaver.waitForPendingWrites();
    EXPECT_FALSE(QFileInfo::exists(autosaver.recoveryFile()));
}

TEST_F(Autosave, ASaveOrACloseRemovesTheRecoveryFile) {
    ProjectDocument doc(nullptr, staging());
    Autosaver autosaver(&doc, recovery());
    doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 9));
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();
    ASSERT_TRUE(QFileInfo::exists(autosaver.recoveryFile()));
    FileError error;
    ASSERT_TRUE(doc.saveAs(root.filePath(QStringLiteral("a.sfsproj")), error));
    autosaver.waitForPendingWrites();
    EXPECT_FALSE(QFileInfo::exists(autosaver.recoveryFile()));

    doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 21));
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();
    ASSERT_TRUE(QFileInfo::exists(autosaver.recoveryFile()));
    doc.close(); // the user discarded the changes
    autosaver.waitForPendingWrites();
    EXPECT_FALSE(QFileInfo::exists(autosaver.recoveryFile()));
}

TEST_F(Autosave, TheTimerWritesOnItsOwn) {
    ProjectDocument doc(nullptr, staging());
    Autosaver autosaver(&doc, recovery());
    EXPECT_EQ(autosaver.intervalSeconds(), Autosaver::kDefaultIntervalSeconds);
    autosaver.setIntervalSeconds(1);
    QString reported;
    QObject::connect(&autosaver, &Autosaver::autosaved, [&](const QString& f) { reported = f; });
    doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 9));
    QElapsedTimer clock;
    clock.start();
    while (reported.isEmpty() && clock.elapsed() < 20000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    EXPECT_EQ(reported, autosaver.recoveryFile());
    EXPECT_TRUE(QFileInfo::exists(autosaver.recoveryFile()));
    autosaver.setIntervalSeconds(0);
    EXPECT_EQ(autosaver.intervalSeconds(), 0);
}

TEST_F(Autosave, DiscardingAnEntryRemovesItsFilesButNothingOutsideStaging) {
    QDir().mkpath(staging());
    const QString staged = staging() + QStringLiteral("/abc.sfsproj.assets");
    const QString foreign = root.filePath(QStringLiteral("precious.sfsproj.assets"));
    for (const QString& dir : {staged, foreign}) {
        ASSERT_TRUE(QDir().mkpath(dir + QStringLiteral("/images")));
        ASSERT_TRUE(sfs::test::writeAll(dir + QStringLiteral("/images/a.png"), "x"));
    }
    QDir().mkpath(recovery());
    RecoveryEntry entry;
    entry.recoveryFile = recovery() + QStringLiteral("/old.sfsrecovery");
    entry.assetsDir = staged;
    ASSERT_TRUE(sfs::test::writeAll(entry.recoveryFile, "{}"));
    Autosaver::discard(entry, staging());
    EXPECT_FALSE(QFileInfo::exists(entry.recoveryFile));
    EXPECT_FALSE(QFileInfo::exists(staged));

    // A recovery file that points elsewhere never gets that folder deleted.
    ASSERT_TRUE(sfs::test::writeAll(entry.recoveryFile, "{}"));
    entry.assetsDir = foreign;
    Autosaver::discard(entry, staging());
    EXPECT_TRUE(QFileInfo::exists(foreign + QStringLiteral("/images/a.png")));
}

TEST_F(Autosave, AnUnreadableRecoveryFileIsOfferedButFailsCleanly) {
    QDir().mkpath(recovery());
    const QString file = recovery() + QStringLiteral("/broken.sfsrecovery");
    ASSERT_TRUE(sfs::test::writeAll(file, "{not json"));
    const QList<RecoveryEntry> entries = Autosaver::findRecoverable(recovery());
    ASSERT_EQ(entries.size(), 1);
    ProjectDocument doc(nullptr, staging());
    Autosaver autosaver(&doc, recovery());
    const QByteArray before = serializeProject(doc.project());
    FileError error;
    EXPECT_FALSE(autosaver.recover(entries[0], error));
    EXPECT_EQ(error.file, file);
    EXPECT_TRUE(error.problem.contains(QStringLiteral("not a readable recovery file")));
    EXPECT_EQ(serializeProject(doc.project()), before);
    EXPECT_FALSE(doc.isModified());
}
