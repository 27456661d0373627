// Recording a take as it is generated: frames into the take's folder, the take into the project
// (file or undo stack) chunk by chunk, a kill leaving a take that opens stopped, and the recorded
// frames exporting through the ordinary take export.

#include "project_fixtures.h"
#include "sfs/build_config.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/media/test_pattern.h"
#include "sfs/core/project/autosave.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/timeline.h"
#include "sfs/core/render/take_recorder.h"
#if SFS_WITH_MEDIA
#include "sfs/core/render/take_export.h"
#include "sfs/core/render/take_storage.h"
#endif

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QUndoStack>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <thread>

namespace sfs::core {
namespace {

constexpr int kWidth = 96;
constexpr int kHeight = 64;

Frame patternFrame(int index) {
    return makeTestPatternFrame(kWidth, kHeight, index, 5);
}

Project smallProject() {
    Project p = Project::makeDefault();
    p.durationFrames = timeline::framesForChunks(3);
    p.settings.width = kWidth;
    p.settings.height = kHeight;
    p.settings.seed = 77;
    return p;
}

TakePlan planFor(const Project& p, bool storeLatents = false, const QString& id = QString()) {
    TakePlan plan;
    plan.id = id;
    plan.settings = p.settings;
    plan.durationFrames = p.durationFrames;
    plan.storeLatents = storeLatents;
    return plan;
}

// The project file as written, without the load-time settling of interrupted takes.
Project rawFile(const QString& path) {
    LoadedProject loaded;
    FileError error;
    EXPECT_TRUE(parseProject(test::readAll(path), path, loaded, error))
        << error.toString().toStdString();
    return loaded.project;
}

// Writes frames first…last (inclusive) of the pattern; false at the first refused one.
bool writeFrames(TakeRecorder& recorder, int first, int last) {
    for (int i = first; i <= last; ++i) {
        if (!recorder.write(patternFrame(i))) {
            return false;
        }
    }
    return true;
}

QStringList frameFiles(const QString& folder) {
    return QDir(folder).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
}

// A project file in a temporary folder and a recorder that records into it.
class FileTake : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir.isValid());
        path = dir.filePath(QStringLiteral("story.sfsproj"));
        assets = assetsDirFor(path);
        project = smallProject();
        FileError error;
        ASSERT_TRUE(writeProjectFile(project, path, error)) << error.toString().toStdString();
    }
    std::unique_ptr<TakeRecorder> recorder(bool save = true) {
        auto ledger = std::make_unique<ProjectFileTakeLedger>(path, project, save);
        fileLedger = ledger.get();
        return std::make_unique<TakeRecorder>(std::move(ledger), assets);
    }

    QTemporaryDir dir;
    QString path;
    QString assets;
    Project project;
    ProjectFileTakeLedger* fileLedger = nullptr;
};

TEST_F(FileTake, TheFileCountsEachChunkOnceItsFramesAreOnDisk) {
    auto r = recorder();
    ASSERT_TRUE(r->start(planFor(project))) << r->errorString().toStdString();
    const Take started = r->take();
    EXPECT_TRUE(started.id.startsWith(QLatin1Char('t'))) << "a fresh id";
    EXPECT_EQ(started.framesPath, QStringLiteral("takes/%1/frames").arg(started.id));
    EXPECT_TRUE(started.latentsPath.isEmpty());
    EXPECT_TRUE(QFileInfo(r->framesFolder()).isDir());
    ASSERT_EQ(rawFile(path).takes.size(), 1u);
    EXPECT_EQ(rawFile(path).takes[0].status, TakeStatus::Generating);
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 0);

    ASSERT_TRUE(r->begin({QSize(kWidth, kHeight), {}}));
    ASSERT_TRUE(writeFrames(*r, 0, 7));
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 0) << "one frame short of the first chunk";
    ASSERT_TRUE(writeFrames(*r, 8, 8));
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 1);
    ASSERT_TRUE(writeFrames(*r, 9, 20 + 4)); // chunk 2 and 4 frames of chunk 3
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 2);
    EXPECT_EQ(frameFiles(r->framesFolder()).size(), 25);

    ASSERT_TRUE(r->stop()) << r->errorString().toStdString();
    const Project saved = rawFile(path);
    ASSERT_EQ(saved.takes.size(), 1u);
    EXPECT_EQ(saved.takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(saved.takes[0].chunksCompleted, 2);
    EXPECT_EQ(saved.takes[0].settings, project.settings);
    EXPECT_EQ(saved.takes[0], r->take());
    // The unfinished chunk's frames are gone; the whole ones stay.
    const QStringList files = frameFiles(r->framesFolder());
    ASSERT_EQ(files.size(), 21);
    EXPECT_EQ(files.front(), QStringLiteral("000000.png"));
    EXPECT_EQ(files.back(), QStringLiteral("000020.png"));
    QString error;
    EXPECT_EQ(readImageFile(QDir(r->framesFolder()).filePath(files[13]), &error), patternFrame(13))
        << error.toStdString();
    EXPECT_FALSE(r->write(patternFrame(21))) << "a stopped take takes no more frames";

    LoadedProject loaded;
    FileError fileError;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, fileError))
        << fileError.toString().toStdString();
    EXPECT_EQ(loaded.project.takes[0], saved.takes[0]);
    EXPECT_TRUE(loaded.warnings.isEmpty());
}

TEST_F(FileTake, FinishCompletesOnlyATakeWithEveryChunk) {
    auto r = recorder();
    ASSERT_TRUE(r->start(planFor(project)));
    ASSERT_TRUE(writeFrames(*r, 0, timeline::framesForChunks(3) - 1));
    EXPECT_EQ(r->take().status, TakeStatus::Generating);
    EXPECT_EQ(r->take().chunksCompleted, 3);
    ASSERT_TRUE(r->finish()) << r->errorString().toStdString();
    EXPECT_EQ(rawFile(path).takes[0].status, TakeStatus::Complete);
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 3);

    // A second take that ends early: finish() reports it and keeps what is there.
    project = rawFile(path);
    auto s = recorder();
    ASSERT_TRUE(s->start(planFor(project, false, QStringLiteral("t2"))));
    ASSERT_TRUE(writeFrames(*s, 0, 9));
    EXPECT_FALSE(s->finish());
    EXPECT_EQ(s->errorString(), QStringLiteral("take t2 ended after 1 of its 3 chunks"));
    const Project saved = rawFile(path);
    ASSERT_EQ(saved.takes.size(), 2u);
    EXPECT_EQ(saved.takes[0].status, TakeStatus::Complete);
    EXPECT_EQ(saved.takes[1].status, TakeStatus::Stopped);
    EXPECT_EQ(saved.takes[1].chunksCompleted, 1);
    EXPECT_EQ(frameFiles(s->framesFolder()).size(), 9);
}

TEST_F(FileTake, AChunkCountsOnlyOnceItsLatentsAreStoredToo) {
    auto r = recorder();
    ASSERT_TRUE(r->start(planFor(project, /*storeLatents=*/true, QStringLiteral("t1"))));
    EXPECT_EQ(r->take().latentsPath, QStringLiteral("takes/t1/latents"));
    EXPECT_EQ(r->latentsFolder(), QDir(assets).filePath(QStringLiteral("takes/t1/latents")));
    EXPECT_TRUE(QFileInfo(r->latentsFolder()).isDir()) << "the folder exists before the take";
    ASSERT_TRUE(writeFrames(*r, 0, 20));
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 0);
    ASSERT_TRUE(r->latentsStored(1));
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 1);
    ASSERT_TRUE(r->latentsStored(3)); // ahead of the frames: the frames now hold it back
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 2);
    EXPECT_EQ(r->fail(QStringLiteral("out of memory")), QStringLiteral("out of memory"));
    EXPECT_EQ(rawFile(path).takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 2);
}

TEST_F(FileTake, FramesOfTheWrongSizeOrTooManyFailTheRecording) {
    auto r = recorder();
    ASSERT_TRUE(r->start(planFor(project, false, QStringLiteral("t1"))));
    EXPECT_FALSE(r->begin({QSize(kWidth * 2, kHeight), {}}));
    EXPECT_EQ(r->errorString(), QStringLiteral("take t1 is 96×64, but its frames are 192×64"));
    r->abort();
    EXPECT_EQ(rawFile(path).takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(rawFile(path).takes[0].chunksCompleted, 0);

    project = rawFile(path);
    project.durationFrames = timeline::framesForChunks(1);
    auto s = recorder();
    ASSERT_TRUE(s->start(planFor(project, false, QStringLiteral("t2"))));
    ASSERT_TRUE(writeFrames(*s, 0, 8));
    EXPECT_FALSE(s->write(patternFrame(9)));
    EXPECT_EQ(s->errorString(), QStringLiteral("take t2 has 9 frames; frame 9 is one too many"));
    EXPECT_FALSE(s->write(Frame(8, 8)));

    TakePlan bad = planFor(project);
    bad.durationFrames = 10;
    auto u = recorder();
    EXPECT_FALSE(u->start(bad));
    EXPECT_FALSE(u->errorString().isEmpty());
}

TEST_F(FileTake, ARecorderGoneBeforeTheEndLeavesTheTakeStopped) {
    {
        auto r = recorder();
        ASSERT_TRUE(r->start(planFor(project)));
        ASSERT_TRUE(writeFrames(*r, 0, 10));
    }
    const Project saved = rawFile(path);
    ASSERT_EQ(saved.takes.size(), 1u);
    EXPECT_EQ(saved.takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(saved.takes[0].chunksCompleted, 1);
}

TEST_F(FileTake, NoSaveLeavesTheProjectFileUntouched) {
    const QByteArray before = test::readAll(path);
    auto r = recorder(/*save=*/false);
    ASSERT_TRUE(r->start(planFor(project)));
    ASSERT_TRUE(writeFrames(*r, 0, 8));
    ASSERT_TRUE(r->stop());
    EXPECT_EQ(test::readAll(path), before);
    const Project kept = fileLedger->project();
    ASSERT_EQ(kept.takes.size(), 1u);
    EXPECT_EQ(kept.takes[0].chunksCompleted, 1);
    EXPECT_EQ(frameFiles(r->framesFolder()).size(), 9);
}

// ---- Loading a take its program left behind -------------------------------------------------

Take generatingTake(const Project& p, int chunks) {
    Take t;
    t.id = QStringLiteral("t1");
    t.created = QDateTime::fromString(QStringLiteral("2026-03-04T05:06:07.089Z"), Qt::ISODateWithMs)
                    .toUTC();
    t.settings = p.settings;
    t.durationFrames = p.durationFrames;
    t.status = TakeStatus::Generating;
    t.chunksCompleted = chunks;
    t.framesPath = QStringLiteral("takes/t1/frames");
    t.latentsPath = QStringLiteral("takes/t1/latents");
    return t;
}

void storeFrames(const QString& folder, int count) {
    QDir().mkpath(folder);
    for (int i = 0; i < count; ++i) {
        const Frame f = patternFrame(i);
        const QImage image(f.constData(), f.width(), f.height(), f.stride(), QImage::Format_RGB888);
        ASSERT_TRUE(image.save(
            QDir(folder).filePath(QStringLiteral("%1.png").arg(i, 6, 10, QLatin1Char('0')))));
    }
}

TEST_F(FileTake, AGeneratingTakeOpensStoppedWithTheWholeChunksOnDisk) {
    project.takes = {generatingTake(project, 2)};
    FileError error;
    ASSERT_TRUE(writeProjectFile(project, path, error));
    storeFrames(QDir(assets).filePath(project.takes[0].framesPath), 9 + 5); // chunk 2 unfinished
    const QString latents = QDir(assets).filePath(project.takes[0].latentsPath);
    ASSERT_TRUE(QDir().mkpath(latents));
    ASSERT_TRUE(test::writeAll(QDir(latents).filePath(QStringLiteral("chunk-00000.safetensors")),
                               "latents"));

    LoadedProject loaded;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, error))
        << error.toString().toStdString();
    ASSERT_EQ(loaded.project.takes.size(), 1u);
    const Take& t = loaded.project.takes[0];
    EXPECT_EQ(t.status, TakeStatus::Stopped);
    EXPECT_EQ(t.chunksCompleted, 1);
    EXPECT_EQ(t.latentsPath, project.takes[0].latentsPath);
    ASSERT_EQ(loaded.warnings.size(), 1);
    EXPECT_TRUE(loaded.warnings[0].contains(QStringLiteral(
        "take t1 was still being generated when its program ended; it is kept as "
        "stopped after 1 of 3 chunks (the file counted 2; the frames on disk hold 1)")))
        << loaded.warnings[0].toStdString();
    EXPECT_EQ(test::readAll(path), serializeProject(project)) << "loading never writes";
}

TEST_F(FileTake, AGeneratingTakeWithEveryChunkOpensComplete) {
    project.takes = {generatingTake(project, 3)};
    project.takes[0].latentsPath.clear();
    FileError error;
    ASSERT_TRUE(writeProjectFile(project, path, error));
    storeFrames(QDir(assets).filePath(project.takes[0].framesPath), timeline::framesForChunks(3));
    LoadedProject loaded;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, error))
        << error.toString().toStdString();
    EXPECT_EQ(loaded.project.takes[0].status, TakeStatus::Complete);
    EXPECT_EQ(loaded.project.takes[0].chunksCompleted, 3);
}

TEST_F(FileTake, AGeneratingTakeWhoseFilesNeverCameOpensEmpty) {
    project.takes = {generatingTake(project, 0)};
    FileError error;
    ASSERT_TRUE(writeProjectFile(project, path, error));
    LoadedProject loaded;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, error))
        << error.toString().toStdString();
    const Take& t = loaded.project.takes[0];
    EXPECT_EQ(t.status, TakeStatus::Stopped);
    EXPECT_EQ(t.chunksCompleted, 0);
    EXPECT_TRUE(t.framesPath.isEmpty());
    EXPECT_TRUE(t.latentsPath.isEmpty());
    ASSERT_EQ(loaded.warnings.size(), 1);
    EXPECT_TRUE(loaded.warnings[0].endsWith(
        QStringLiteral("never written: takes/t1/frames, takes/t1/latents")));
}

TEST(TakeStatusRules, GeneratingIsReadAndWrittenWithItsChunkRange) {
    EXPECT_EQ(toString(TakeStatus::Generating), QStringLiteral("generating"));
    EXPECT_EQ(takeStatusFromString(QStringLiteral("generating")), TakeStatus::Generating);
    EXPECT_TRUE(rules::checkTakeProgress(TakeStatus::Generating, 0, 33).isEmpty());
    EXPECT_TRUE(rules::checkTakeProgress(TakeStatus::Generating, 3, 33).isEmpty());
    EXPECT_FALSE(rules::checkTakeProgress(TakeStatus::Generating, 4, 33).isEmpty());
    EXPECT_FALSE(rules::checkTakeProgress(TakeStatus::Generating, -1, 33).isEmpty());

    Project p = smallProject();
    p.takes = {generatingTake(p, 1)};
    LoadedProject parsed;
    FileError error;
    ASSERT_TRUE(parseProject(serializeProject(p), QStringLiteral("x.sfsproj"), parsed, error))
        << error.toString().toStdString();
    EXPECT_EQ(parsed.project, p);
}

// ---- A real kill ----------------------------------------------------------------------------

// The test's folder, shared with its death-test child (which re-runs the test binary).
QString sharedFolder(std::unique_ptr<QTemporaryDir>& owned) {
    static constexpr const char* kVariable = "SFS_TAKE_RECORDER_TEST_ROOT";
    if (const char* inherited = std::getenv(kVariable)) {
        return QString::fromLocal8Bit(inherited);
    }
    owned = std::make_unique<QTemporaryDir>();
    qputenv(kVariable, owned->path().toLocal8Bit());
    return owned->path();
}

TEST(TakeRecorderDeathTest, AKillDuringGenerationLeavesATakeThatOpensStopped) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    std::unique_ptr<QTemporaryDir> owned;
    const QString root = sharedFolder(owned);
    const QString path = QDir(root).filePath(QStringLiteral("story.sfsproj"));
    const Project project = smallProject();
    EXPECT_EXIT(
        {
            FileError error;
            if (!writeProjectFile(project, path, error)) {
                std::exit(1);
            }
            TakeRecorder recorder(std::make_unique<ProjectFileTakeLedger>(path, project),
                                  assetsDirFor(path));
            if (!recorder.start(planFor(project)) || !writeFrames(recorder, 0, 21 + 5)) {
                std::exit(1);
            }
            std::raise(SIGKILL); // mid-chunk, nothing cleaned up
        },
        ::testing::KilledBySignal(SIGKILL), "");
    if (owned) {
        qunsetenv("SFS_TAKE_RECORDER_TEST_ROOT");
    }

    EXPECT_EQ(rawFile(path).takes.at(0).status, TakeStatus::Generating);
    LoadedProject loaded;
    FileError error;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, error))
        << error.toString().toStdString();
    ASSERT_EQ(loaded.project.takes.size(), 1u);
    EXPECT_EQ(loaded.project.takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(loaded.project.takes[0].chunksCompleted, 2);
    EXPECT_EQ(loaded.warnings.size(), 1);
#if SFS_WITH_MEDIA
    QString problem;
    const auto frames = openTakeFrames(loaded.project.takes[0], assetsDirFor(path), &problem);
    ASSERT_TRUE(frames) << problem.toStdString();
    EXPECT_EQ(frames->frameCount(), 21) << "the unfinished chunk's frames are not part of it";
#endif
}

// ---- In the studio: the undo stack ----------------------------------------------------------

class DocumentTake : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir.isValid());
        doc = std::make_unique<ProjectDocument>(nullptr, dir.path());
        doc->newProject(smallProject());
        recorder = std::make_unique<TakeRecorder>(std::make_unique<DocumentTakeLedger>(doc.get()),
                                                  doc->assetsDir());
    }
    void TearDown() override {
        recorder.reset();
        doc->close();
    }

    QTemporaryDir dir;
    std::unique_ptr<ProjectDocument> doc;
    std::unique_ptr<TakeRecorder> recorder;
};

TEST_F(DocumentTake, TheWholeTakeIsOneUndoStep) {
    ASSERT_TRUE(recorder->start(planFor(doc->project()))) << recorder->errorString().toStdString();
    ASSERT_EQ(doc->project().takes.size(), 1u);
    EXPECT_EQ(doc->project().takes[0].status, TakeStatus::Generating);
    EXPECT_TRUE(doc->isModified());

    // The producer's thread: updates are queued to the document's thread.
    bool written = false;
    std::thread producer([&] { written = writeFrames(*recorder, 0, 20); });
    producer.join();
    ASSERT_TRUE(written) << recorder->errorString().toStdString();
    EXPECT_EQ(doc->project().takes[0].chunksCompleted, 0) << "not delivered yet";
    QCoreApplication::processEvents();
    EXPECT_EQ(doc->project().takes[0].chunksCompleted, 2);

    ASSERT_TRUE(recorder->stop());
    const Take stopped = doc->project().takes[0];
    EXPECT_EQ(stopped.status, TakeStatus::Stopped);
    EXPECT_EQ(stopped.chunksCompleted, 2);
    EXPECT_EQ(doc->undoStack()->count(), 1);

    doc->undoStack()->undo();
    EXPECT_TRUE(doc->project().takes.empty());
    doc->undoStack()->redo();
    ASSERT_EQ(doc->project().takes.size(), 1u);
    EXPECT_EQ(doc->project().takes[0], stopped);
}

TEST_F(DocumentTake, ABranchCarriesItsLineageIntoTheProject) {
    ASSERT_TRUE(recorder->start(planFor(doc->project(), false, QStringLiteral("t1"))));
    ASSERT_TRUE(writeFrames(*recorder, 0, 32));
    ASSERT_TRUE(recorder->finish());
    QCoreApplication::processEvents();

    TakePlan branch = planFor(doc->project(), false, QStringLiteral("t2"));
    branch.parentTakeId = QStringLiteral("t1");
    branch.branchChunk = 2;
    TakeRecorder second(std::make_unique<DocumentTakeLedger>(doc.get()), doc->assetsDir());
    ASSERT_TRUE(second.start(branch)) << second.errorString().toStdString();
    EXPECT_EQ(second.take().parentTakeId, QStringLiteral("t1"));
    ASSERT_TRUE(writeFrames(second, 0, 20));
    ASSERT_TRUE(second.stop());
    QCoreApplication::processEvents();
    const Take* recorded = doc->project().take(QStringLiteral("t2"));
    ASSERT_NE(recorded, nullptr);
    EXPECT_EQ(recorded->parentTakeId, QStringLiteral("t1"));
    EXPECT_EQ(recorded->branchChunk, 2);
    EXPECT_EQ(recorded->chunksCompleted, 2);
    ASSERT_EQ(doc->project().childTakes(QStringLiteral("t1")).size(), 1u);

    // A branch of a take the project lacks, or a branch point outside the take, never starts.
    TakePlan orphan = planFor(doc->project(), false, QStringLiteral("t3"));
    orphan.parentTakeId = QStringLiteral("t9");
    orphan.branchChunk = 1;
    TakeRecorder third(std::make_unique<DocumentTakeLedger>(doc.get()), doc->assetsDir());
    EXPECT_FALSE(third.start(orphan));
    EXPECT_TRUE(third.errorString().contains(QStringLiteral("no parent take")))
        << third.errorString().toStdString();
    orphan.parentTakeId = QStringLiteral("t1");
    orphan.branchChunk = 3;
    TakeRecorder fourth(std::make_unique<DocumentTakeLedger>(doc.get()), doc->assetsDir());
    EXPECT_FALSE(fourth.start(orphan));
    EXPECT_TRUE(fourth.errorString().contains(QStringLiteral("branch chunk 3 is outside 1…2")))
        << fourth.errorString().toStdString();
}

TEST_F(DocumentTake, AnEditBetweenChunksKeepsBothUndoable) {
    ASSERT_TRUE(recorder->start(planFor(doc->project())));
    ASSERT_TRUE(writeFrames(*recorder, 0, 8));
    ASSERT_TRUE(doc->push(std::make_unique<SetPromptTextCommand>(
                              doc.get(), doc->project().prompts[0].id, QStringLiteral("a boat")))
                    .isEmpty());
    ASSERT_TRUE(writeFrames(*recorder, 9, 20));
    ASSERT_TRUE(recorder->stop());
    EXPECT_EQ(doc->undoStack()->count(), 3); // take + chunk 1, the text, chunk 2 + stop
    doc->undoStack()->undo();
    EXPECT_EQ(doc->project().takes[0].chunksCompleted, 1);
    doc->undoStack()->undo();
    doc->undoStack()->undo();
    EXPECT_TRUE(doc->project().takes.empty());
}

TEST_F(DocumentTake, UndoingTheTakeWhileItGrowsStopsTheRecording) {
    ASSERT_TRUE(recorder->start(planFor(doc->project(), false, QStringLiteral("t1"))));
    ASSERT_TRUE(writeFrames(*recorder, 0, 8));
    doc->undoStack()->undo();
    EXPECT_TRUE(doc->project().takes.empty());
    EXPECT_FALSE(writeFrames(*recorder, 9, 20));
    EXPECT_EQ(recorder->errorString(), QStringLiteral("take t1 was removed from the project"));
    doc->undoStack()->redo();
    ASSERT_EQ(doc->project().takes.size(), 1u);
    EXPECT_EQ(doc->project().takes[0].status, TakeStatus::Stopped) << "not generating any more";
    EXPECT_EQ(doc->project().takes[0].chunksCompleted, 1);
}

TEST_F(DocumentTake, TheRecoveryFileOfADeadSessionHoldsTheTakeStopped) {
    Autosaver autosaver(doc.get(), dir.filePath(QStringLiteral("recovery")));
    ASSERT_TRUE(recorder->start(planFor(doc->project(), false, QStringLiteral("t1"))));
    ASSERT_TRUE(writeFrames(*recorder, 0, 9 + 2)); // one chunk and a bit
    autosaver.autosaveNow();
    autosaver.waitForPendingWrites();

    RecoveryEntry entry;
    entry.recoveryFile = autosaver.recoveryFile();
    Autosaver::Recovered recovered;
    FileError error;
    ASSERT_TRUE(Autosaver::readRecovered(entry, recovered, error))
        << error.toString().toStdString();
    ASSERT_EQ(recovered.loaded.project.takes.size(), 1u);
    EXPECT_EQ(recovered.loaded.project.takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(recovered.loaded.project.takes[0].chunksCompleted, 1);
    EXPECT_EQ(recovered.loaded.warnings.size(), 1);
    EXPECT_EQ(doc->project().takes[0].status, TakeStatus::Generating) << "the live one goes on";
    autosaver.discardRecovery();
}

TEST_F(DocumentTake, OnlyUpdatesOfTheSameTakeMergeAndNeverIntoTheSavedState) {
    Take a = generatingTake(doc->project(), 0);
    a.framesPath.clear();
    a.latentsPath.clear();
    Take b = a;
    b.id = QStringLiteral("t2");
    ASSERT_TRUE(doc->push(std::make_unique<AddTakeCommand>(doc.get(), a)).isEmpty());
    ASSERT_TRUE(doc->push(std::make_unique<AddTakeCommand>(doc.get(), b)).isEmpty());
    EXPECT_EQ(doc->undoStack()->count(), 2) << "two takes, two steps";
    a.chunksCompleted = 1;
    ASSERT_TRUE(doc->push(std::make_unique<UpdateTakeCommand>(doc.get(), a)).isEmpty());
    EXPECT_EQ(doc->undoStack()->count(), 3) << "t1's update does not merge into t2's step";
    b.chunksCompleted = 1;
    ASSERT_TRUE(doc->push(std::make_unique<UpdateTakeCommand>(doc.get(), b)).isEmpty());
    EXPECT_EQ(doc->undoStack()->count(), 4);
    doc->undoStack()->setClean(); // as a save does
    b.chunksCompleted = 2;
    ASSERT_TRUE(doc->push(std::make_unique<UpdateTakeCommand>(doc.get(), b)).isEmpty());
    EXPECT_EQ(doc->undoStack()->count(), 5) << "the saved state stays reachable";
    doc->undoStack()->undo();
    EXPECT_FALSE(doc->isModified());
    EXPECT_EQ(doc->project().take(QStringLiteral("t2"))->chunksCompleted, 1);
    Take wrong = b;
    wrong.created = wrong.created.addSecs(1);
    EXPECT_EQ(doc->push(std::make_unique<UpdateTakeCommand>(doc.get(), wrong)),
              QStringLiteral("take \"t2\" was created at another time"));
    wrong = b;
    wrong.chunksCompleted = 9;
    EXPECT_FALSE(doc->push(std::make_unique<UpdateTakeCommand>(doc.get(), wrong)).isEmpty());
}

TEST_F(DocumentTake, UpdatingATakeThatIsNotThereIsRefused) {
    Take t = generatingTake(doc->project(), 1);
    EXPECT_EQ(doc->push(std::make_unique<UpdateTakeCommand>(doc.get(), t)),
              QStringLiteral("there is no take \"t1\""));
}

#if SFS_WITH_MEDIA
// ---- The recorded frames export like any take -----------------------------------------------

TEST_F(FileTake, ARecordedTakeExportsAsAnImageSequence) {
    auto r = recorder();
    ASSERT_TRUE(r->start(planFor(project)));
    ASSERT_TRUE(writeFrames(*r, 0, 20 + 3));
    ASSERT_TRUE(r->stop());

    LoadedProject loaded;
    FileError error;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, error));
    TakeExportRequest request;
    request.output = dir.filePath(QStringLiteral("out/frame_%03d.png"));
    const TakeExportResult result = exportTake(loaded.project, path, assets, request);
    ASSERT_TRUE(result.ok) << result.error.toStdString();
    EXPECT_EQ(result.takeId, r->take().id);
    EXPECT_EQ(result.framesWritten, 21);
    for (int i = 0; i < 21; ++i) {
        QString problem;
        const Frame f = readImageFile(
            dir.filePath(QStringLiteral("out/frame_%1.png").arg(i, 3, 10, QLatin1Char('0'))),
            &problem);
        ASSERT_EQ(f, patternFrame(i)) << "frame " << i << " " << problem.toStdString();
    }
    EXPECT_FALSE(QFileInfo::exists(dir.filePath(QStringLiteral("out/frame_021.png"))));
}
#endif

} // namespace
} // namespace sfs::core
