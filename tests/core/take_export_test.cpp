#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "media_test_support.h"
#include "project_fixtures.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/media/provenance_metadata.h"
#include "sfs/core/render/provenance.h"
#include "sfs/core/render/take_export.h"
#include "take_fixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace sfs::core {
namespace {

using testing::allEntries;
using testing::decodeVideo;
using testing::ffprobe;
using testing::firstVideoStream;
using testing::psnr;

class TakeExportTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir.isValid());
        QDir().mkpath(path("project"));
        fixture = test::makeTakeProject(path("project"));
        ASSERT_EQ(fixture.frames.size(), 21u);
    }
    QString path(const QString& name) const { return dir.filePath(name); }

    TakeExportResult run(const TakeExportRequest& request,
                         const std::function<bool(int, int)>& keepGoing = {}) {
        return exportTake(fixture.project, fixture.path, fixture.assetsDir, request, keepGoing);
    }

    QTemporaryDir dir;
    test::TakeProject fixture;
};

TEST_F(TakeExportTest, FindTakeDefaultsToTheNewestAndNamesTheTakesOtherwise) {
    QString error;
    const Take* newest = findTake(fixture.project, QString(), &error);
    ASSERT_NE(newest, nullptr);
    EXPECT_EQ(newest->id, "t2");
    // The newest by creation time, even when a hand-edited file lists it first.
    Project reordered = fixture.project;
    std::swap(reordered.takes[0], reordered.takes[1]);
    EXPECT_EQ(findTake(reordered, QString(), &error)->id, "t2");
    EXPECT_EQ(findTake(fixture.project, "t1", &error)->id, "t1");
    EXPECT_EQ(findTake(fixture.project, "t9", &error), nullptr);
    EXPECT_EQ(error.toStdString(), "the project has no take \"t9\" (its takes: t1, t2)");
    Project empty = fixture.project;
    empty.takes.clear();
    EXPECT_EQ(findTake(empty, QString(), &error), nullptr);
    EXPECT_TRUE(error.contains("no takes yet"));
}

TEST_F(TakeExportTest, Mp4OfTheNewestTakeMatchesItsFramesAndCarriesTheProject) {
    TakeExportRequest request;
    request.output = path("out/clip.mp4");
    const TakeExportResult result = run(request);
    ASSERT_TRUE(result.ok) << result.error.toStdString();
    EXPECT_EQ(result.takeId, "t2");
    EXPECT_EQ(result.framesWritten, 21);

    const QJsonObject probe = ffprobe(request.output);
    const QJsonObject video = firstVideoStream(probe);
    EXPECT_EQ(video.value("codec_name").toString(), "h264");
    EXPECT_EQ(video.value("pix_fmt").toString(), "yuv420p");
    EXPECT_EQ(video.value("nb_read_frames").toString(), "21");
    EXPECT_EQ(video.value("r_frame_rate").toString(), "16/1");
    EXPECT_EQ(video.value("color_primaries").toString(), "bt709");
    const QString tag = probe.value("format")
                            .toObject()
                            .value("tags")
                            .toObject()
                            .value(kProvenanceMetadataKey)
                            .toString();
    const QJsonObject provenance = QJsonDocument::fromJson(tag.toUtf8()).object();
    EXPECT_EQ(provenance.value("format").toString(), kProvenanceFormatName);
    EXPECT_EQ(provenance.value("seed").toDouble(), 1001.0); // the take's seed
    EXPECT_EQ(provenance.value("take").toObject().value("id").toString(), "t2");
    EXPECT_EQ(provenance.value("take").toObject().value("lastFrame").toInt(), 20);
    const QJsonArray prompts = provenance.value("prompts").toArray();
    ASSERT_EQ(prompts.size(), 2);
    EXPECT_EQ(prompts[1].toObject().value("text").toString(), "It drifts under a bridge");
    EXPECT_EQ(prompts[1].toObject().value("start").toInt(), 9);
    EXPECT_EQ(prompts[0].toObject().value("end").toInt(), 9);
    EXPECT_EQ(provenance.value("project").toObject(),
              projectToJson(projectForReopening(fixture.project, fixture.project.takes[1])));
    EXPECT_EQ(provenance.value("models").toObject().value("builtInDemo").toBool(), true);
    EXPECT_EQ(provenance.value("sourceProject").toObject().value("file").toString(),
              QFileInfo(fixture.path).absoluteFilePath());

    const std::vector<Frame> decoded = decodeVideo(request.output);
    ASSERT_EQ(decoded.size(), fixture.frames.size());
    double worst = 99.0;
    for (size_t i = 0; i < decoded.size(); ++i) {
        worst = std::min(worst, psnr(fixture.frames[i], decoded[i]));
    }
    EXPECT_GE(worst, 40.0);
}

TEST_F(TakeExportTest, ExportedMp4ReopensAsTheProjectWithItsKeyframeImages) {
    TakeExportRequest request;
    request.output = path("clip.mp4");
    ASSERT_TRUE(run(request).ok);

    const QString assets = path("reopened.sfsproj.assets");
    OpenedExport opened;
    FileError error;
    ASSERT_TRUE(openExportedProject(request.output, assets, {}, &opened, &error))
        << error.toString().toStdString();
    const Project expected = projectForReopening(fixture.project, fixture.project.takes[1]);
    EXPECT_EQ(opened.loaded.project, expected);
    EXPECT_EQ(serializeProject(opened.loaded.project), serializeProject(expected));
    EXPECT_EQ(opened.loaded.project.settings.seed, 1001);
    EXPECT_TRUE(opened.loaded.project.takes.empty());
    EXPECT_EQ(opened.takeId, "t2");
    ASSERT_EQ(opened.writtenAssets.size(), 2);
    for (const Keyframe& k : expected.keyframes) {
        EXPECT_EQ(test::readAll(QDir(assets).filePath(k.image)),
                  test::readAll(QDir(fixture.assetsDir).filePath(k.image)));
    }
    // Saved, it loads through the ordinary project loader with every image decoded.
    ASSERT_TRUE(writeProjectFile(opened.loaded.project, path("reopened.sfsproj"), error));
    LoadedProject loaded;
    ASSERT_TRUE(loadProject(path("reopened.sfsproj"), LoadOptions{}, loaded, error))
        << error.toString().toStdString();
    EXPECT_EQ(loaded.project, expected);
}

TEST_F(TakeExportTest, SequenceOfARangeScaledWithASidecarThatReopens) {
    TakeExportRequest request;
    request.takeId = "t2";
    request.output = path("seq/shot_%03d.png");
    request.range = {5, 9};
    request.sequence.size = QSize(32, 0);
    request.sequence.firstNumber = 5;
    const TakeExportResult result = run(request);
    ASSERT_TRUE(result.ok) << result.error.toStdString();
    EXPECT_EQ(result.framesWritten, 5);
    EXPECT_EQ(allEntries(path("seq")),
              QStringList({"shot.sfstudio.json", "shot_005.png", "shot_006.png", "shot_007.png",
                           "shot_008.png", "shot_009.png"}));
    QImage image(path("seq/shot_007.png"));
    EXPECT_EQ(image.size(), QSize(32, 19));

    OpenedExport opened;
    FileError error;
    ASSERT_TRUE(openExportedProject(path("seq/shot.sfstudio.json"), path("r.sfsproj.assets"), {},
                                    &opened, &error))
        << error.toString().toStdString();
    EXPECT_EQ(opened.loaded.project,
              projectForReopening(fixture.project, fixture.project.takes[1]));
    const QJsonObject take = opened.provenance.value("take").toObject();
    EXPECT_EQ(take.value("firstFrame").toInt(), 5);
    EXPECT_EQ(take.value("lastFrame").toInt(), 9);
}

TEST_F(TakeExportTest, ScalingKeepsTheAspectWithEvenVideoSizes) {
    TakeExportRequest request;
    request.output = path("small.mp4");
    request.video.size = QSize(0, 72); // 320×192 → 120×72
    request.range = {0, 3};
    ASSERT_TRUE(run(request).ok);
    const QJsonObject video = firstVideoStream(ffprobe(request.output));
    EXPECT_EQ(video.value("width").toInt(), 120);
    EXPECT_EQ(video.value("height").toInt(), 72);
    EXPECT_EQ(video.value("nb_read_frames").toString(), "4");
}

TEST_F(TakeExportTest, AStoppedExportKeepsAPlayableClipOrNothing) {
    TakeExportRequest request;
    request.output = path("stopped.mp4");
    request.video.onCancel = PartialOutput::Keep;
    TakeExportResult result = run(request, [](int done, int) { return done < 7; });
    EXPECT_TRUE(result.cancelled);
    EXPECT_TRUE(result.ok) << result.error.toStdString();
    EXPECT_EQ(result.framesWritten, 7);
    EXPECT_EQ(firstVideoStream(ffprobe(request.output)).value("nb_read_frames").toString(), "7");

    request.output = path("removed.mp4");
    request.video.onCancel = PartialOutput::Remove;
    result = run(request, [](int done, int) { return done < 7; });
    EXPECT_TRUE(result.cancelled);
    EXPECT_FALSE(QFileInfo::exists(request.output));
    EXPECT_EQ(allEntries(dir.path()), QStringList({"project", "stopped.mp4"}));
}

TEST_F(TakeExportTest, BadRequestsNameTheTakeAndTheFileAndLeaveNothing) {
    TakeExportRequest request;
    request.output = path("x.mp4");
    request.takeId = "t7";
    EXPECT_TRUE(run(request).error.contains("no take \"t7\""));

    request.takeId = "t1";
    request.range = {5, 30};
    TakeExportResult result = run(request);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.error.startsWith("take t1: ")) << result.error.toStdString();

    // A take that stored only latents.
    Project latentsOnly = fixture.project;
    latentsOnly.takes[1].framesPath.clear();
    latentsOnly.takes[1].latentsPath = "takes/t2/latents.safetensors";
    request = TakeExportRequest{};
    request.output = path("x.mp4");
    result = exportTake(latentsOnly, fixture.path, fixture.assetsDir, request);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.error.contains("take t2 stored only latents")) << result.error.toStdString();

    // Frames that vanished from the assets folder.
    Project moved = fixture.project;
    moved.takes[1].framesPath = "takes/t2/gone";
    result = exportTake(moved, fixture.path, fixture.assetsDir, request);
    EXPECT_TRUE(result.error.contains("take t2: its frames cannot be read"))
        << result.error.toStdString();
    EXPECT_TRUE(result.error.contains("takes/t2/gone is missing"));

    // An output below a regular file (permissions would not stop root).
    request.output = fixture.path + "/clip.mp4";
    result = run(request);
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.error.contains("story.sfsproj/clip.mp4")) << result.error.toStdString();
    EXPECT_EQ(allEntries(dir.path()), QStringList({"project"}));
}

TEST_F(TakeExportTest, DiskFullDuringATakeExportLeavesNothing) {
    const std::string message = testing::runWithFileSizeLimit(32 * 1024, [&] {
        TakeExportRequest request;
        request.output = path("full.mp4");
        request.video.crf = 0; // lossless: quickly larger than the limit
        const TakeExportResult result = run(request);
        return result.ok ? std::string("ok") : result.error.toStdString();
    });
    EXPECT_NE(message, "ok");
    EXPECT_NE(message.find("full.mp4"), std::string::npos) << message;
    EXPECT_NE(message.find("file too large"), std::string::npos) << message;
    EXPECT_EQ(allEntries(dir.path()), QStringList({"project"}));
}

TEST_F(TakeExportTest, ModelIdentitiesComeFromTheModelFolder) {
    Project p = fixture.project;
    p.takes[1].settings.modelFolder = QStringLiteral(SFS_TEST_DATA_DIR "/weights/pt_more");
    QStringList notices;
    const QJsonObject models =
        makeTakeProvenance(p, p.takes[1], fixture.path, fixture.assetsDir, 0, 20, {16, 1}, &notices)
            .value("models")
            .toObject();
    EXPECT_EQ(models.value("builtInDemo").toBool(), false);
    QStringList roles;
    for (const QJsonValue& f : models.value("files").toArray()) {
        roles << f.toObject().value("role").toString() + "=" +
                     f.toObject().value("file").toString();
        EXPECT_GT(f.toObject().value("bytes").toDouble(), 0.0);
    }
    EXPECT_TRUE(roles.contains("taehv=taehv_tiny.pth")) << roles.join(' ').toStdString();
    EXPECT_TRUE(roles.contains("vae=wan_vae_tiny.pth")) << roles.join(' ').toStdString();
    EXPECT_TRUE(notices.isEmpty()) << notices.join(' ').toStdString();

    p.takes[1].settings.modelFolder = path("no-models-here");
    makeTakeProvenance(p, p.takes[1], fixture.path, fixture.assetsDir, 0, 20, {16, 1}, &notices);
    ASSERT_EQ(notices.size(), 1);
    EXPECT_TRUE(notices[0].contains("no-models-here does not exist")) << notices[0].toStdString();
}

// The take's VACE reference image travels in the export like the keyframes' images; one that
// cannot be recovered leaves the project opening without it, with a warning naming it.
TEST_F(TakeExportTest, TheReferenceImageTravelsWithTheExport) {
    const QString reference = QStringLiteral("images/reference.png");
    const QString keyImage = QDir(fixture.assetsDir).filePath(fixture.project.keyframes[0].image);
    ASSERT_TRUE(QFile::copy(keyImage, QDir(fixture.assetsDir).filePath(reference)));
    fixture.project.takes[1].settings.referenceImage = reference;
    fixture.project.takes[1].settings.referenceScale = 0.6;
    TakeExportRequest request;
    request.output = path("clip.mp4");
    ASSERT_TRUE(run(request).ok);

    OpenedExport opened;
    FileError error;
    ASSERT_TRUE(openExportedProject(request.output, path("a.sfsproj.assets"), {}, &opened, &error))
        << error.toString().toStdString();
    EXPECT_EQ(opened.loaded.project.settings.referenceImage, reference);
    EXPECT_DOUBLE_EQ(opened.loaded.project.settings.referenceScale, 0.6);
    EXPECT_TRUE(opened.writtenAssets.contains(reference));
    EXPECT_EQ(test::readAll(QDir(path("a.sfsproj.assets")).filePath(reference)),
              test::readAll(keyImage));

    // Not embedded and gone from the original assets: the project opens without it.
    QJsonObject edited;
    QString readError;
    ASSERT_TRUE(readProvenance(request.output, &edited, &readError)) << readError.toStdString();
    QJsonArray images;
    for (const QJsonValue& v : edited.value("keyframeImages").toArray()) {
        QJsonObject image = v.toObject();
        if (image.value("path").toString() == reference) {
            image.remove("data");
        }
        images.append(image);
    }
    edited.insert("keyframeImages", images);
    ASSERT_TRUE(QFile::remove(QDir(fixture.assetsDir).filePath(reference)));
    const QString sidecar = path("edited.sfstudio.json");
    ASSERT_TRUE(test::writeAll(
        sidecar,
        QJsonDocument(QJsonObject{{"sfstudio", QJsonObject{}}, {"provenance", edited}}).toJson()));
    ASSERT_TRUE(openExportedProject(sidecar, path("b.sfsproj.assets"), {}, &opened, &error))
        << error.toString().toStdString();
    EXPECT_TRUE(opened.loaded.project.settings.referenceImage.isEmpty());
    ASSERT_EQ(opened.loaded.warnings.size(), 1);
    EXPECT_TRUE(opened.loaded.warnings[0].contains("the VACE reference image " + reference +
                                                   " cannot be recovered"))
        << opened.loaded.warnings[0].toStdString();
    EXPECT_EQ(opened.loaded.project.keyframes.size(), fixture.project.keyframes.size());
}

// A sidecar whose images are referenced, not embedded: what an export with very large images
// carries.
class ReferencedImagesTest : public TakeExportTest {
protected:
    void SetUp() override {
        TakeExportTest::SetUp();
        TakeExportRequest request;
        request.output = path("seq/f_%02d.png");
        request.range = {0, 1};
        ASSERT_TRUE(run(request).ok);
        QJsonObject root =
            QJsonDocument::fromJson(test::readAll(path("seq/f.sfstudio.json"))).object();
        QJsonObject provenance = root.value("provenance").toObject();
        QJsonArray images;
        for (const QJsonValue& v : provenance.value("keyframeImages").toArray()) {
            QJsonObject image = v.toObject();
            image.remove("data");
            images.append(image);
        }
        provenance.insert("keyframeImages", images);
        root.insert("provenance", provenance);
        sidecar = path("seq/f.sfstudio.json");
        ASSERT_TRUE(test::writeAll(sidecar, QJsonDocument(root).toJson()));
    }

    QString sidecar;
};

TEST_F(ReferencedImagesTest, AreRecoveredFromTheOriginalAssets) {
    OpenedExport opened;
    FileError error;
    ASSERT_TRUE(openExportedProject(sidecar, path("r.sfsproj.assets"), {}, &opened, &error))
        << error.toString().toStdString();
    EXPECT_EQ(opened.loaded.project.keyframes.size(), 2u);
    EXPECT_EQ(opened.writtenAssets.size(), 2);
}

TEST_F(ReferencedImagesTest, MissingOnesAreNamedOrDroppedWhenAsked) {
    const Keyframe k2 = fixture.project.keyframes[1];
    ASSERT_TRUE(QFile::remove(QDir(fixture.assetsDir).filePath(k2.image)));
    OpenedExport opened;
    FileError error;
    EXPECT_FALSE(openExportedProject(sidecar, path("r.sfsproj.assets"), {}, &opened, &error));
    EXPECT_EQ(error.file, QFileInfo(sidecar).absoluteFilePath());
    EXPECT_TRUE(
        error.problem.startsWith("keyframe images cannot be recovered (1 of them): " + k2.image +
                                 " (keyframe k2 at frame 20: it is not "
                                 "embedded, and the original project's assets"))
        << error.problem.toStdString();

    OpenExportOptions drop;
    drop.dropMissingKeyframes = true;
    ASSERT_TRUE(openExportedProject(sidecar, path("r2.sfsproj.assets"), drop, &opened, &error))
        << error.toString().toStdString();
    ASSERT_EQ(opened.loaded.project.keyframes.size(), 1u);
    EXPECT_EQ(opened.loaded.project.keyframes[0].id, "k1");
    ASSERT_EQ(opened.loaded.warnings.size(), 1);
    EXPECT_TRUE(opened.loaded.warnings[0].contains("keyframe k2 at frame 20 was left out"));
}

TEST_F(ReferencedImagesTest, AChangedOriginalIsNotTakenForTheExportedImage) {
    const Keyframe k1 = fixture.project.keyframes[0];
    ASSERT_TRUE(test::writeAll(QDir(fixture.assetsDir).filePath(k1.image), "not the image"));
    OpenedExport opened;
    FileError error;
    EXPECT_FALSE(openExportedProject(sidecar, path("r.sfsproj.assets"), {}, &opened, &error));
    EXPECT_TRUE(error.problem.contains("no longer matches the exported image"))
        << error.problem.toStdString();
}

TEST(OpenExportedProject, RefusesFilesWithoutSfstudioProvenance) {
    QTemporaryDir dir;
    const QString other = dir.filePath("other.json");
    ASSERT_TRUE(test::writeAll(other, R"({"sfstudio": {}, "provenance": {"seed": 1}})"));
    OpenedExport opened;
    FileError error;
    EXPECT_FALSE(openExportedProject(other, dir.filePath("a"), {}, &opened, &error));
    EXPECT_EQ(error.toString().toStdString(),
              QFileInfo(other).absoluteFilePath().toStdString() +
                  ": /provenance/format: the export's metadata is not sfstudio provenance "
                  "(expected \"sfstudio-provenance\")");

    // A project inside that breaks the rules: the loader's message, pointer included.
    QJsonObject project = projectToJson(Project::makeDefault());
    project.insert("durationFrames", 10);
    const QJsonObject provenance{
        {"format", kProvenanceFormatName}, {"version", 1}, {"project", project}};
    ASSERT_TRUE(test::writeAll(
        other, QJsonDocument(QJsonObject{{"sfstudio", QJsonObject{}}, {"provenance", provenance}})
                   .toJson()));
    EXPECT_FALSE(openExportedProject(other, dir.filePath("a"), {}, &opened, &error));
    EXPECT_EQ(error.pointer, "/provenance/project/durationFrames");

    // A clip made without provenance.
    const QString clip = dir.filePath("plain.mp4");
    Mp4Writer writer(clip);
    ASSERT_TRUE(writer.begin({{32, 24}, {16, 1}}));
    ASSERT_TRUE(writer.write(makeTestPatternFrame(32, 24, 0)));
    ASSERT_TRUE(writer.finish());
    EXPECT_FALSE(openExportedProject(clip, dir.filePath("a"), {}, &opened, &error));
    EXPECT_TRUE(error.problem.contains("carries no sfstudio provenance"))
        << error.toString().toStdString();
    EXPECT_FALSE(QFileInfo::exists(dir.filePath("a")));
}

TEST(VideoFileSource, DecodesEveryFrameAndSeeksBack) {
    QTemporaryDir dir;
    const QString clip = dir.filePath("take.mp4");
    const auto frames = testing::testFrames(320, 192, 12);
    Mp4Writer writer(clip);
    ASSERT_TRUE(writer.begin({{320, 192}, {16, 1}}));
    for (const Frame& f : frames) {
        ASSERT_TRUE(writer.write(f));
    }
    ASSERT_TRUE(writer.finish());

    VideoFileSource source;
    QString error;
    ASSERT_TRUE(source.open(clip, &error)) << error.toStdString();
    EXPECT_EQ(source.frameCount(), 12);
    EXPECT_EQ(source.frameSize(), QSize(320, 192));
    for (int i : {0, 1, 5, 11, 3}) {
        const Frame f = source.frame(i, &error);
        ASSERT_FALSE(f.isNull()) << error.toStdString();
        EXPECT_GE(psnr(frames[size_t(i)], f), 40.0) << "frame " << i;
    }
    EXPECT_TRUE(source.frame(12, &error).isNull());
    EXPECT_EQ(error.toStdString(), "frame 12 is outside the video's 12 frames");

    const QString junk = dir.filePath("junk.mp4");
    ASSERT_TRUE(test::writeAll(junk, "definitely not a video"));
    VideoFileSource bad;
    EXPECT_FALSE(bad.open(junk, &error));
    EXPECT_TRUE(error.startsWith(junk + ": not a readable video file")) << error.toStdString();
}

TEST_F(TakeExportTest, ATakeStoredAsAVideoFileReencodes) {
    // The take's frames as one video file instead of a folder.
    Project p = fixture.project;
    const QString stored = QDir(fixture.assetsDir).filePath("takes/t2/frames.mp4");
    {
        VideoOptions lossless;
        lossless.crf = 0;
        Mp4Writer writer(stored, lossless);
        ASSERT_TRUE(writer.begin({{320, 192}, {16, 1}}));
        for (const Frame& f : fixture.frames) {
            ASSERT_TRUE(writer.write(f));
        }
        ASSERT_TRUE(writer.finish());
    }
    p.takes[1].framesPath = "takes/t2/frames.mp4";
    TakeExportRequest request;
    request.output = path("again.mov");
    request.range = {10, -1};
    const TakeExportResult result = exportTake(p, fixture.path, fixture.assetsDir, request);
    ASSERT_TRUE(result.ok) << result.error.toStdString();
    const std::vector<Frame> decoded = decodeVideo(request.output);
    ASSERT_EQ(decoded.size(), 11u);
    EXPECT_GE(psnr(fixture.frames[15], decoded[5]), 38.0);
}

} // namespace
} // namespace sfs::core

#endif // SFS_WITH_MEDIA
