// ProjectDocument: new, open, save, save as (assets travel along), moved projects still open,
// failed opens change nothing.

#include "project_fixtures.h"
#include "sfs/build_config.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUndoStack>
#include <gtest/gtest.h>

using namespace sfs::core;

namespace {

class Document : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(root.isValid()); }
    QString staging() const { return root.filePath(QStringLiteral("untitled")); }
    QString file(const QString& name) const { return root.filePath(name); }

    // Adds a keyframe whose image is stored in the document's assets, the way the GUI does.
    QString addKeyframeWithImage(ProjectDocument& doc, int frame) {
        const QString source = QStringLiteral(SFS_SOURCE_DIR "/resources/icons/sfstudio-64.png");
        QString asset;
#if SFS_WITH_MEDIA
        ImportedImage imported;
        QString error;
        EXPECT_TRUE(importImage(source, doc.assetsDir(), imported, error)) << error.toStdString();
        asset = imported.assetPath;
#else
        const QByteArray bytes = sfs::test::readAll(source);
        asset = QStringLiteral("images/%1.png").arg(contentHash(bytes));
        QDir().mkpath(doc.assetsDir() + QStringLiteral("/images"));
        sfs::test::writeAll(doc.assetFilePath(asset), bytes);
#endif
        Keyframe k;
        k.frame = frame;
        k.image = asset;
        EXPECT_TRUE(doc.push(std::make_unique<AddKeyframeCommand>(&doc, k)).isEmpty());
        return asset;
    }

    QTemporaryDir root;
};

} // namespace

TEST_F(Document, ANewProjectIsUntitledAndClean) {
    ProjectDocument doc(nullptr, staging());
    EXPECT_TRUE(doc.isUntitled());
    EXPECT_FALSE(doc.isModified());
    EXPECT_EQ(doc.displayName(), QStringLiteral("Untitled"));
    EXPECT_TRUE(doc.project() == Project::makeDefault());
    EXPECT_TRUE(doc.assetsDir().startsWith(staging()));
    EXPECT_FALSE(QFileInfo::exists(doc.assetsDir())) << "nothing is created until needed";
    FileError error;
    EXPECT_FALSE(doc.save(error));
    EXPECT_TRUE(error.problem.contains(QStringLiteral("no file yet")));
}

TEST_F(Document, SaveAsCarriesTheAssetsAndAMovedProjectStillOpens) {
    ProjectDocument doc(nullptr, staging());
    std::vector<QString> paths;
    QObject::connect(&doc, &ProjectDocument::filePathChanged,
                     [&](const QString& p) { paths.push_back(p); });
    const QString asset = addKeyframeWithImage(doc, 0);
    const QString stagedAssets = doc.assetsDir();
    ASSERT_TRUE(QFileInfo::exists(doc.assetFilePath(asset)));
    EXPECT_TRUE(doc.isModified());

    FileError error;
    ASSERT_TRUE(doc.saveAs(file(QStringLiteral("first/story")), error))
        << error.toString().toStdString();
    const QString first = file(QStringLiteral("first/story.sfsproj"));
    EXPECT_EQ(doc.filePath(), first);
    EXPECT_EQ(paths, std::vector<QString>{first});
    EXPECT_EQ(doc.displayName(), QStringLiteral("story"));
    EXPECT_FALSE(doc.isModified());
    EXPECT_EQ(doc.assetsDir(), first + QStringLiteral(".assets"));
    EXPECT_TRUE(QFileInfo::exists(doc.assetFilePath(asset)));
    EXPECT_FALSE(QFileInfo::exists(stagedAssets)) << "the staging copy is no longer needed";

    // Save As again, elsewhere: the assets come along, the first project stays intact.
    ASSERT_TRUE(doc.saveAs(file(QStringLiteral("second/copy.sfsproj")), error));
    const QString second = file(QStringLiteral("second/copy.sfsproj"));
    EXPECT_TRUE(QFileInfo::exists(second + QStringLiteral(".assets/") + asset));
    EXPECT_TRUE(QFileInfo::exists(first + QStringLiteral(".assets/") + asset));

    // Move the whole folder: relative paths keep it working.
    ASSERT_TRUE(QDir().rename(file(QStringLiteral("second")), file(QStringLiteral("moved"))));
    ProjectDocument reopened(nullptr, staging());
    ASSERT_TRUE(reopened.open(file(QStringLiteral("moved/copy.sfsproj")), error))
        << error.toString().toStdString();
    EXPECT_TRUE(reopened.project() == doc.project());
    EXPECT_FALSE(reopened.isModified());
    EXPECT_EQ(reopened.undoStack()->count(), 0);
}

TEST_F(Document, SaveWritesTheCurrentStateAndMarksItClean) {
    ProjectDocument doc(nullptr, staging());
    FileError error;
    ASSERT_TRUE(doc.saveAs(file(QStringLiteral("p.sfsproj")), error));
    ASSERT_TRUE(doc.push(std::make_unique<SetPromptTextCommand>(&doc, QStringLiteral("p1"),
                                                                QStringLiteral("hello")))
                    .isEmpty());
    EXPECT_TRUE(doc.isModified());
    int saved = 0;
    QObject::connect(&doc, &ProjectDocument::saved, [&] { ++saved; });
    ASSERT_TRUE(doc.save(error));
    EXPECT_EQ(saved, 1);
    EXPECT_FALSE(doc.isModified());
    EXPECT_EQ(sfs::test::readAll(doc.filePath()), serializeProject(doc.project()));
    // Undo after a save makes it modified again, and the file keeps the saved state.
    doc.undoStack()->undo();
    EXPECT_TRUE(doc.isModified());
    LoadedProject onDisk;
    ASSERT_TRUE(loadProject(doc.filePath(), LoadOptions{AssetCheck::None}, onDisk, error));
    EXPECT_EQ(onDisk.project.prompts[0].text, QStringLiteral("hello"));
}

TEST_F(Document, AFailedOpenChangesNothing) {
    ProjectDocument doc(nullptr, staging());
    FileError error;
    ASSERT_TRUE(doc.saveAs(file(QStringLiteral("good.sfsproj")), error));
    ASSERT_TRUE(doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 30)).isEmpty());
    const QByteArray state = serializeProject(doc.project());

    const QString bad = sfs::test::testData(QStringLiteral("projects/bad/newer_version.sfsproj"));
    const QByteArray badBytes = sfs::test::readAll(bad);
    int resets = 0;
    QObject::connect(&doc, &ProjectDocument::documentReset, [&] { ++resets; });
    EXPECT_FALSE(doc.open(bad, error));
    EXPECT_EQ(error.pointer, QStringLiteral("/version"));
    EXPECT_EQ(resets, 0);
    EXPECT_EQ(serializeProject(doc.project()), state);
    EXPECT_EQ(doc.filePath(), file(QStringLiteral("good.sfsproj")));
    EXPECT_TRUE(doc.isModified());
    EXPECT_EQ(doc.undoStack()->count(), 1);
    EXPECT_EQ(sfs::test::readAll(bad), badBytes);
}

TEST_F(Document, OpeningReplacesTheProjectAndClearsHistory) {
    ProjectDocument doc(nullptr, staging());
    addKeyframeWithImage(doc, 0);
    const QString stagedAssets = doc.assetsDir();
    int resets = 0;
    QObject::connect(&doc, &ProjectDocument::documentReset, [&] { ++resets; });
    FileError error;
    ASSERT_TRUE(doc.open(sfs::test::sampleProjectPath(), error)) << error.toString().toStdString();
    EXPECT_EQ(resets, 1);
    EXPECT_EQ(doc.displayName(), QStringLiteral("paper-boat"));
    EXPECT_EQ(doc.project().keyframes.size(), 3u);
    EXPECT_FALSE(doc.isModified());
    EXPECT_FALSE(doc.undoStack()->canUndo());
    EXPECT_FALSE(QFileInfo::exists(stagedAssets)) << "the discarded untitled assets are removed";
    EXPECT_TRUE(QFileInfo::exists(doc.assetFilePath(doc.project().keyframes[0].image)));

    doc.newProject();
    EXPECT_TRUE(doc.isUntitled());
    EXPECT_EQ(resets, 2);
    EXPECT_TRUE(doc.project() == Project::makeDefault());
}
