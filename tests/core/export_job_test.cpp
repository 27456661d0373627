#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "media_test_support.h"
#include "sfs/core/media/export_job.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/media/image_sequence_writer.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/media/provenance_metadata.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace sfs::core {
namespace {

using testing::allEntries;
using testing::testFrames;

class ExportJobTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir.isValid()); }
    QString path(const QString& name) const { return dir.filePath(name); }

    // A folder of PNG frames named without zero padding, to test natural ordering.
    std::vector<Frame> makeFolder(const QString& name, int count, QSize size = {32, 24}) {
        const auto frames = testFrames(size.width(), size.height(), count);
        ImageSequenceWriter writer(path(name + "/in_%d.png"));
        EXPECT_TRUE(writer.begin({size, {16, 1}}));
        for (const Frame& f : frames) {
            EXPECT_TRUE(writer.write(f));
        }
        EXPECT_TRUE(writer.finish()) << writer.errorString().toStdString();
        return frames;
    }

    QTemporaryDir dir;
};

TEST_F(ExportJobTest, FolderSourceListsImagesInNaturalOrder) {
    makeFolder("src", 12);
    QFile::copy(path("src/in_3.png"), path("src/.hidden.png"));
    ImageFolderSource source;
    QString error;
    ASSERT_TRUE(source.open(path("src"), &error)) << error.toStdString();
    ASSERT_EQ(source.frameCount(), 12); // not the sidecar, not the hidden file
    EXPECT_TRUE(source.files()[2].endsWith("in_2.png"));
    EXPECT_TRUE(source.files()[10].endsWith("in_10.png"));
    EXPECT_EQ(source.frameSize(), QSize(32, 24));
}

TEST_F(ExportJobTest, RangeOfAFolderBecomesASequenceNumberedAsAsked) {
    const auto frames = makeFolder("src", 10);
    ImageFolderSource source;
    QString error;
    ASSERT_TRUE(source.open(path("src"), &error));
    ImageSequenceOptions options;
    options.firstNumber = 3;
    ImageSequenceWriter writer(path("out/o_%03d.png"), options);
    const ExportResult r = exportFrames(source, writer, FrameRange{3, 6}, {16, 1});
    ASSERT_TRUE(r.ok) << r.error.toStdString();
    EXPECT_EQ(r.framesWritten, 4);
    EXPECT_EQ(allEntries(path("out")),
              (QStringList{"o.sfstudio.json", "o_003.png", "o_004.png", "o_005.png", "o_006.png"}));
    EXPECT_TRUE(readImageFile(path("out/o_005.png"), &error) == frames[5]);
}

TEST_F(ExportJobTest, RangeOutsideTheClipIsRefusedBeforeAnythingIsWritten) {
    makeFolder("src", 4);
    ImageFolderSource source;
    QString error;
    ASSERT_TRUE(source.open(path("src"), &error));
    ImageSequenceWriter writer(path("out/o_%03d.png"));
    const ExportResult r = exportFrames(source, writer, FrameRange{2, 9}, {16, 1});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "the range 2–9 does not fit the 4 frames 0–3");
    EXPECT_FALSE(QFileInfo::exists(path("out")));
}

TEST_F(ExportJobTest, StoppingMidwayCancelsTheSink) {
    makeFolder("src", 8);
    ImageFolderSource source;
    QString error;
    ASSERT_TRUE(source.open(path("src"), &error));
    ImageSequenceWriter writer(path("out/o_%03d.png"));
    const ExportResult r =
        exportFrames(source, writer, FrameRange{}, {16, 1}, [](int done, int) { return done < 5; });
    EXPECT_TRUE(r.cancelled);
    EXPECT_EQ(r.framesWritten, 5);
    EXPECT_FALSE(QFileInfo::exists(path("out"))); // PartialOutput::Remove
}

TEST_F(ExportJobTest, AFrameOfAnotherSizeIsNamed) {
    makeFolder("src", 3);
    const auto other = testFrames(20, 20, 1);
    // in_7.png, of another size, joins in_0..in_2 (made elsewhere: writing it with the same
    // pattern would replace the whole sequence).
    ImageSequenceWriter elsewhere(path("tmp/x_%d.png"));
    ASSERT_TRUE(elsewhere.begin({{20, 20}, {16, 1}}));
    ASSERT_TRUE(elsewhere.write(other.front()));
    ASSERT_TRUE(elsewhere.finish());
    ASSERT_TRUE(QFile::copy(path("tmp/x_0.png"), path("src/in_7.png")));

    ImageFolderSource source;
    QString error;
    ASSERT_TRUE(source.open(path("src"), &error));
    ImageSequenceOptions keep; // a failure removes the output even when stops keep it
    keep.onCancel = PartialOutput::Keep;
    ImageSequenceWriter writer(path("out/o_%03d.png"), keep);
    const ExportResult r = exportFrames(source, writer, FrameRange{}, {16, 1});
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.framesWritten, 3);
    EXPECT_TRUE(
        r.error.contains("in_7.png: the image is 20×20, but the sequence's first frame is 32×24"))
        << r.error.toStdString();
    EXPECT_FALSE(QFileInfo::exists(path("out")));
}

TEST_F(ExportJobTest, EmptyOrMissingFolderIsReported) {
    ImageFolderSource source;
    QString error;
    EXPECT_FALSE(source.open(path("nothing"), &error));
    EXPECT_TRUE(error.endsWith("nothing: no such folder")) << error.toStdString();
    QDir().mkpath(path("empty"));
    error.clear();
    EXPECT_FALSE(source.open(path("empty"), &error));
    EXPECT_TRUE(error.contains("holds no image files")) << error.toStdString();
}

TEST_F(ExportJobTest, UnreadableImageIsNamed) {
    QDir().mkpath(path("bad"));
    QFile f(path("bad/frame_1.png"));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("not a png at all");
    f.close();
    QString error;
    EXPECT_TRUE(readImageFile(path("bad/frame_1.png"), &error).isNull());
    EXPECT_TRUE(error.contains("frame_1.png: cannot read the image")) << error.toStdString();
}

TEST_F(ExportJobTest, CreateWriterPicksTheWriterByExtension) {
    EXPECT_TRUE(isVideoPath("a/b.MP4"));
    EXPECT_TRUE(isVideoPath("b.mov"));
    EXPECT_FALSE(isVideoPath("b_%04d.png"));
    auto video = createWriter(path("c.mp4"), {}, {});
    EXPECT_NE(dynamic_cast<Mp4Writer*>(video.get()), nullptr);
    EXPECT_EQ(video->outputPath(), path("c.mp4"));
    auto sequence = createWriter(path("c_%02d.png"), {}, {});
    EXPECT_NE(dynamic_cast<ImageSequenceWriter*>(sequence.get()), nullptr);
}

TEST(Provenance, MissingOrForeignFilesSayWhy) {
    QTemporaryDir dir;
    QJsonObject out;
    QString error;
    EXPECT_FALSE(readProvenance(dir.filePath("none.mp4"), &out, &error));
    EXPECT_TRUE(error.endsWith("none.mp4: no such file"));

    QFile junk(dir.filePath("junk.mp4"));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(1000, 'x'));
    junk.close();
    EXPECT_FALSE(readProvenance(dir.filePath("junk.mp4"), &out, &error));
    EXPECT_TRUE(error.contains("junk.mp4: not a readable video file")) << error.toStdString();

    QFile json(dir.filePath("other.json"));
    ASSERT_TRUE(json.open(QIODevice::WriteOnly));
    json.write(R"({"name": "someone else's file"})");
    json.close();
    EXPECT_FALSE(readProvenance(dir.filePath("other.json"), &out, &error));
    EXPECT_TRUE(error.contains("not an sfstudio sidecar")) << error.toStdString();
}

TEST(Provenance, MediaWithoutProvenanceSaysSo) {
    QTemporaryDir dir;
    const QString file = dir.filePath("plain.mp4");
    auto writer = createWriter(file, {}, {});
    ASSERT_TRUE(writer->begin({{64, 64}, {16, 1}}));
    ASSERT_TRUE(writer->write(testFrames(64, 64, 1).front()));
    ASSERT_TRUE(writer->finish()) << writer->errorString().toStdString();
    QJsonObject out;
    QString error;
    EXPECT_FALSE(readProvenance(file, &out, &error));
    EXPECT_TRUE(error.contains("plain.mp4: carries no sfstudio provenance")) << error.toStdString();
}

} // namespace
} // namespace sfs::core

#endif // SFS_WITH_MEDIA
