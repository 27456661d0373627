// The render job: a project and overrides become an engine request (planRender), and a run on
// the built-in demo model becomes a take in the project file (runRender).
#include "file_limit_support.h"
#include "project_fixtures.h"
#include "sfs/build_config.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/keyframe_image.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/timeline.h"
#include "sfs/core/render/render_job.h"
#include "sfs/core/render/take_recorder.h"
#include "sfs/inference/latents_file.h"
#include "sfs/inference/runtime_info.h"
#include "sfs/inference/text.h"
#include "take_fixture.h"
#if SFS_WITH_MEDIA
#include "sfs/core/media/export_job.h"
#endif

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>
#include <unistd.h>

namespace sfs::core {
namespace {

using test::richProject;

std::string setupError(const Project& project, const RenderOverrides& overrides) {
    try {
        planRender(project, overrides, QStringLiteral("/assets"));
    } catch (const RenderSetupError& e) {
        return e.what();
    }
    return {};
}

TEST(PlanRender, MapsTheProjectsSettingsToTheRequest) {
    Project p = richProject();
    p.keyframes.clear(); // PlanRender.Keyframes* map keyframes
    p.prompts[1].text = QStringLiteral("clouds");
    const RenderPlan plan = planRender(p, {}, QStringLiteral("/assets"));
    const inference::GenerationRequest& r = plan.request;
    EXPECT_EQ(r.model, "/models/Wan2.1 \"self-forcing\"");
    EXPECT_EQ(r.device.device.text(), "cuda:1");
    EXPECT_EQ(r.width, 640);
    EXPECT_EQ(r.height, 384);
    EXPECT_EQ(r.frames, 93);
    EXPECT_EQ(r.seed, uint64_t(RenderSettings::kMaxSeed));
    EXPECT_EQ(r.steps, (std::vector<int64_t>{900, 600, 300}));
    EXPECT_EQ(r.windowLatentFrames, 9);
    EXPECT_EQ(r.sinkLatentFrames, 3);
    EXPECT_EQ(r.finalDecoder, "taehv");
    EXPECT_EQ(r.start.fromChunk, 0);
    EXPECT_TRUE(r.keyframes.empty());
    EXPECT_TRUE(plan.warnings.isEmpty()) << plan.warnings.join('\n').toStdString();
    EXPECT_EQ(plan.take.settings, p.settings);
    EXPECT_EQ(plan.take.durationFrames, 93);
    EXPECT_TRUE(plan.take.storeLatents);
}

TEST(PlanRender, PromptSegmentsKeepTheirStartFramesAndAnEmptyOneIsRefused) {
    Project p = richProject();
    p.keyframes.clear(); // their images are not there
    EXPECT_EQ(setupError(p, {}), "prompt p2: the segment from frame 21 has no text");
    p.prompts[1].text = QStringLiteral("clouds");
    const RenderPlan plan = planRender(p, {}, {});
    ASSERT_EQ(plan.request.prompts.size(), 3u);
    EXPECT_EQ(plan.request.prompts[0].startFrame, 0);
    EXPECT_EQ(plan.request.prompts[0].text, "A kite over a hill, 🌄");
    EXPECT_EQ(plan.request.prompts[1].startFrame, 21);
    EXPECT_EQ(plan.request.prompts[2].startFrame, 60);
    EXPECT_EQ(plan.request.prompts[2].text, "Night \\ stars / \"quotes\"");
    inference::validateRequest(plan.request); // what the engine accepts
}

TEST(PlanRender, FramesAreWholeChunksOfTheDurationAndLaterSegmentsDrop) {
    Project p = richProject();
    p.keyframes.clear(); // their images are not there
    p.prompts[1].text = QStringLiteral("clouds");
    RenderOverrides o;
    o.frames = 21;
    const RenderPlan plan = planRender(p, o, {});
    EXPECT_EQ(plan.request.frames, 21);
    EXPECT_EQ(inference::chunksOf(plan.request), 2);
    EXPECT_EQ(plan.take.durationFrames, 21);
    ASSERT_EQ(plan.request.prompts.size(), 1u) << "the segment at 21 starts after the frames";

    o.frames = 20;
    EXPECT_EQ(setupError(p, o),
              "--frames: 20 is not a whole number of chunks (12n - 3 frames: 9, 21, 33, …)");
    o.frames = 105;
    EXPECT_EQ(setupError(p, o), "--frames: 105 is longer than the 93 frames to render");
}

TEST(PlanRender, OverridesChangeTheRequestAndTheTakesSettings) {
    Project p = richProject();
    p.keyframes.clear(); // their images are not there
    p.prompts[1].text = QStringLiteral("clouds");
    RenderOverrides o;
    o.model = QStringLiteral("demo");
    o.seed = 5;
    o.decoder = Decoder::WanVae;
    o.device = QStringLiteral("cpu");
    p.settings.attentionWindow = 0;
    p.settings.sinkFrames = 0;
    const RenderPlan plan = planRender(p, o, {});
    EXPECT_EQ(plan.request.model, "demo");
    EXPECT_EQ(plan.request.seed, 5u);
    EXPECT_EQ(plan.request.finalDecoder, "wan-vae");
    EXPECT_EQ(plan.request.device.device.text(), "cpu");
    EXPECT_EQ(plan.request.windowLatentFrames, -1) << "0 is the full context";
    EXPECT_TRUE(plan.take.settings.usesDemoModel());
    EXPECT_EQ(plan.take.settings.seed, 5);
    EXPECT_EQ(plan.take.settings.decoder, Decoder::WanVae);

    o.device = QStringLiteral("tpu");
    EXPECT_EQ(setupError(p, o).rfind("device: ", 0), 0u) << setupError(p, o);
    o.device.reset();
    o.seed = -1;
    EXPECT_EQ(setupError(p, o).rfind("seed: ", 0), 0u) << setupError(p, o);
}

TEST(PlanRender, PreviewDecoderPrecisionAndTextEncoderReachTheRequest) {
    Project p = richProject();
    p.keyframes.clear(); // their images are not there
    p.prompts[1].text = QStringLiteral("clouds");
    // Defaults (and version-3 files): no preview decoder, the device's precision and rules.
    RenderPlan plan = planRender(p, {}, {});
    EXPECT_EQ(plan.request.previewDecoder, "");
    EXPECT_EQ(plan.request.device.precision, inference::Precision::Auto);
    EXPECT_EQ(plan.request.device.textEncoder, inference::TextEncoderDevice::Auto);

    p.settings.previewDecoder = PreviewDecoder::Taehv;
    p.settings.precision = QStringLiteral("float16");
    p.settings.textEncoderDevice = QStringLiteral("gpu");
    plan = planRender(p, {}, {});
    EXPECT_EQ(plan.request.previewDecoder, "") << "the final decoder is TAEHV already";
    EXPECT_EQ(plan.request.device.precision, inference::Precision::Float16);
    EXPECT_EQ(plan.request.device.textEncoder, inference::TextEncoderDevice::Gpu);
    EXPECT_EQ(plan.take.settings, p.settings);
    p.settings.decoder = Decoder::WanVae;
    plan = planRender(p, {}, {});
    EXPECT_EQ(plan.request.finalDecoder, "wan-vae");
    EXPECT_EQ(plan.request.previewDecoder, "taehv");
    inference::validateRequest(plan.request);

    RenderOverrides o;
    o.precision = QStringLiteral("bfloat16");
    o.textEncoderDevice = QStringLiteral("cpu");
    o.previewDecoder = PreviewDecoder::Final;
    plan = planRender(p, o, {});
    EXPECT_EQ(plan.request.device.precision, inference::Precision::BFloat16);
    EXPECT_EQ(plan.request.device.textEncoder, inference::TextEncoderDevice::Cpu);
    EXPECT_EQ(plan.request.previewDecoder, "");
    // The same mapping without prompts or keyframes: what the memory guardrail checks.
    const inference::GenerationRequest settingsOnly = requestForSettings(plan.take.settings, 33);
    EXPECT_EQ(settingsOnly.frames, 33);
    EXPECT_EQ(settingsOnly.device.precision, inference::Precision::BFloat16);
    EXPECT_TRUE(settingsOnly.prompts.empty());

    o.precision = QStringLiteral("int4");
    EXPECT_EQ(setupError(p, o).rfind("precision: precision \"int4\" is not one of", 0), 0u)
        << setupError(p, o);
}

TEST(PlanRender, RegeneratingStartsFromAChunkOfAStoredTake) {
    Project p = richProject();
    p.keyframes.clear(); // their images are not there
    p.prompts[1].text = QStringLiteral("clouds");
    RenderOverrides o;
    o.fromTake = QStringLiteral("t1");
    o.fromChunk = 3;
    o.seed = 99;
    const RenderPlan plan = planRender(p, o, QStringLiteral("/a"));
    EXPECT_EQ(plan.request.start.fromChunk, 3);
    EXPECT_EQ(plan.request.start.keptLatents, "/a/takes/t1/latents.safetensors");
    EXPECT_EQ(plan.keptLatents, QStringLiteral("/a/takes/t1/latents.safetensors"));
    EXPECT_EQ(plan.request.frames, 81) << "the source take's length";
    EXPECT_EQ(plan.request.seed, 99u);
    Take source = p.takes[0];
    source.settings.seed = 99;
    EXPECT_EQ(plan.take.settings, source.settings) << "the source take's settings";
    EXPECT_EQ(plan.take.parentTakeId, QStringLiteral("t1")) << "the new take's lineage";
    EXPECT_EQ(plan.take.branchChunk, 3);

    o.fromTake = QStringLiteral("t9");
    EXPECT_EQ(setupError(p, o), "--take: the project has no take \"t9\" (its takes: t1, t2)");
    o.fromTake = QStringLiteral("t2");
    EXPECT_EQ(setupError(p, o), "--from-chunk: 3 is not a chunk of take t2 to regenerate from (1 "
                                "to 2: the chunks before it are kept)");
    o.fromTake = QStringLiteral("t1");
    o.fromChunk = 0;
    EXPECT_NE(setupError(p, o).find("--from-chunk: 0 is not a chunk"), std::string::npos);
    p.takes[0].latentsPath.clear();
    o.fromChunk = 1;
    EXPECT_EQ(setupError(p, o),
              "--take: take t1 stored no latents, so it cannot be regenerated from a chunk");
}

TEST(PlanRender, KeyframesCarryTheirImagesFittedToTheVideoAndTheirSettings) {
    if (!imageSupportAvailable()) {
        GTEST_SKIP() << "this build reads no image files";
    }
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Project p = richProject(); // 640 × 384; keyframes at 0 (cover), 45 (fit), 92 (stretch)
    p.prompts[1].text = QStringLiteral("clouds");
    const std::vector<Frame> images = {makeTestPatternFrame(640, 384, 0, 7),
                                       makeTestPatternFrame(400, 200, 1, 8),
                                       makeTestPatternFrame(64, 48, 2, 9)};
    for (size_t i = 0; i < images.size(); ++i) {
        p.keyframes[i].image = test::storeImage(dir.path(), test::toImage(images[i]));
        ASSERT_FALSE(p.keyframes[i].image.isEmpty());
    }
    const RenderPlan plan = planRender(p, {}, dir.path());
    const auto& keys = plan.request.keyframes;
    ASSERT_EQ(keys.size(), 3u);
    const std::vector<int64_t> frames = {0, 45, 92};
    const std::vector<float> strengths = {1.0f, 0.3f, 0.125f};
    const std::vector<int64_t> approachChunks = {0, 3, 2};
    const std::vector<float> approachWeights = {0.0f, 0.25f, 0.5f};
    const std::vector<int> approachSteps = {0, 2, 1};
    for (size_t i = 0; i < keys.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(keys[i].frame, frames[i]);
        EXPECT_EQ(keys[i].width, 640);
        EXPECT_EQ(keys[i].height, 384);
        ASSERT_EQ(keys[i].rgb.size(), size_t(640) * 384 * 3);
        const Frame fitted = fitImage(images[i], 640, 384, p.keyframes[i].fit);
        EXPECT_EQ(keys[i].rgb, packedRgb(fitted)) << "fitted by the keyframe's own mode";
        EXPECT_EQ(keys[i].strength, strengths[i]);
        EXPECT_EQ(keys[i].approachChunks, approachChunks[i]);
        EXPECT_EQ(keys[i].approachWeight, approachWeights[i]);
        EXPECT_EQ(keys[i].approachSteps, approachSteps[i]);
    }
    // Fit enlarges 400 × 200 by 1.6 (quietly); stretch enlarges 64 × 48 by 10 (a warning).
    ASSERT_EQ(plan.warnings.size(), 1) << plan.warnings.join('\n').toStdString();
    EXPECT_TRUE(plan.warnings[0].startsWith(
        QStringLiteral("keyframe k_end (%1, 64×48) is much smaller than the 640×384 video: it "
                       "is upscaled 10.0 times")
            .arg(p.keyframes[2].image)))
        << plan.warnings[0].toStdString();
}

// The start mode of the keyframe at frame 0 reaches the request (the project's, or --start);
// later keyframes land whatever they say; --start needs a keyframe at frame 0.
TEST(PlanRender, TheStartKeyframesModeReachesTheRequest) {
    if (!imageSupportAvailable()) {
        GTEST_SKIP() << "this build reads no image files";
    }
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Project p = richProject();
    p.prompts[1].text = QStringLiteral("clouds");
    for (size_t i = 0; i < p.keyframes.size(); ++i) {
        p.keyframes[i].image = test::storeImage(
            dir.path(), test::toImage(makeTestPatternFrame(64, 48, static_cast<int>(i), 7)));
        p.keyframes[i].start = StartMode::Context;
    }
    const RenderPlan plan = planRender(p, {}, dir.path());
    ASSERT_EQ(plan.request.keyframes.size(), 3u);
    EXPECT_EQ(plan.request.keyframes[0].startMode, inference::StartMode::Context);
    EXPECT_EQ(plan.request.keyframes[1].startMode, inference::StartMode::Land);
    EXPECT_EQ(plan.request.keyframes[2].startMode, inference::StartMode::Land);
    inference::validateRequest(plan.request); // a later keyframe never asks for context

    RenderOverrides land;
    land.start = StartMode::Land;
    EXPECT_EQ(planRender(p, land, dir.path()).request.keyframes[0].startMode,
              inference::StartMode::Land);
    p.keyframes[0].start = StartMode::Land;
    RenderOverrides context;
    context.start = StartMode::Context;
    EXPECT_EQ(planRender(p, context, dir.path()).request.keyframes[0].startMode,
              inference::StartMode::Context);

    p.keyframes.erase(p.keyframes.begin());
    EXPECT_EQ(setupError(p, context),
              "--start: context needs a keyframe at frame 0, and the project has none");
}

TEST(PlanRender, AnUnreadableKeyframeImageIsRefusedNamingTheKeyframeAndTheFile) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Project p = richProject();
    p.prompts[1].text = QStringLiteral("clouds");
    p.keyframes.erase(p.keyframes.begin()); // k-mid (45) comes first now
    const QString garbage = QStringLiteral("images/0123456789abcdef0123456789abcdef.png");
    QDir().mkpath(dir.filePath(QStringLiteral("images")));
    QFile file(dir.filePath(garbage));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("this is not a PNG\n");
    file.close();
    p.keyframes[0].image = garbage;
    std::string error;
    try {
        planRender(p, {}, dir.path());
    } catch (const RenderSetupError& e) {
        error = e.what();
    }
    EXPECT_EQ(error.rfind("keyframe k-mid: the image of frame 45 cannot be read: ", 0), 0u)
        << error;
    EXPECT_NE(error.find("0123456789abcdef0123456789abcdef.png"), std::string::npos) << error;
}

// The project's reference image (an asset) reaches the request fitted to cover the video, with
// its scale: the one mapping the CLI's render and the studio's Generate share. --reference
// replaces it with a file; an unreadable one refuses the render naming the setting and the file.
TEST(PlanRender, TheProjectsReferenceImageIsReadFromTheAssetsWithItsScale) {
    if (!imageSupportAvailable()) {
        GTEST_SKIP() << "this build reads no image files";
    }
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Project p = richProject(); // 640 × 384
    p.keyframes.clear();
    p.prompts[1].text = QStringLiteral("clouds");
    EXPECT_TRUE(planRender(p, {}, dir.path()).request.reference.empty()) << "none set";

    const Frame image = makeTestPatternFrame(320, 240, 0, 5);
    p.settings.referenceImage = test::storeImage(dir.path(), test::toImage(image));
    ASSERT_FALSE(p.settings.referenceImage.isEmpty());
    p.settings.referenceScale = 1.25;
    RenderPlan plan = planRender(p, {}, dir.path());
    const inference::ReferenceImage& r = plan.request.reference;
    EXPECT_EQ(r.width, 640);
    EXPECT_EQ(r.height, 384);
    EXPECT_EQ(r.rgb, packedRgb(fitImage(image, 640, 384, FitMode::Cover)));
    EXPECT_EQ(r.scale, 1.25f);
    EXPECT_EQ(plan.take.settings.referenceImage, p.settings.referenceImage);

    // The command line's file and scale instead.
    const Frame other = makeTestPatternFrame(64, 64, 3, 6);
    const QString file = dir.filePath(QStringLiteral("other.png"));
    ASSERT_TRUE(test::toImage(other).save(file));
    RenderOverrides o;
    o.referenceImage = file;
    o.referenceScale = 0.25;
    plan = planRender(p, o, dir.path());
    EXPECT_EQ(plan.request.reference.rgb, packedRgb(fitImage(other, 640, 384, FitMode::Cover)));
    EXPECT_EQ(plan.request.reference.scale, 0.25f);

    p.settings.referenceImage = QStringLiteral("images/0123456789abcdef0123456789abcdef.png");
    std::string error;
    try {
        planRender(p, {}, dir.path());
    } catch (const RenderSetupError& e) {
        error = e.what();
    }
    EXPECT_EQ(error.rfind("referenceImage: the reference image ", 0), 0u) << error;
    EXPECT_NE(error.find("0123456789abcdef0123456789abcdef.png"), std::string::npos) << error;
}

TEST(PlanRender, KeyframesBeyondTheRenderedFramesAreLeftOutWithAWarning) {
    Project p = richProject();
    p.keyframes.erase(p.keyframes.begin()); // 45 and 92 remain; their images are never read
    RenderOverrides o;
    o.frames = 21;
    const RenderPlan plan = planRender(p, o, QStringLiteral("/nowhere"));
    EXPECT_TRUE(plan.request.keyframes.empty());
    ASSERT_EQ(plan.warnings.size(), 2) << plan.warnings.join('\n').toStdString();
    EXPECT_TRUE(plan.warnings[0].startsWith(QStringLiteral(
        "keyframe k-mid (Ünïcödé – 写真.jpg) at frame 45 lies beyond the 21 rendered frames")))
        << plan.warnings[0].toStdString();
    EXPECT_TRUE(plan.warnings[1].contains(QStringLiteral("k_end")));
}

// ---- a run on the demo model ----------------------------------------------------------------

class RenderRun : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!inference::tokenizerAvailable(&why)) {
            GTEST_SKIP() << "no tokenizer module: " << why;
        }
        // The demo model's files, shared with the engine tests of this user.
        const QString cache = QDir::temp().filePath(
            QStringLiteral("sfs-engine-test-%1").arg(QString::number(::getuid())));
        const char* old = std::getenv("XDG_CACHE_HOME");
        m_oldCache = old ? std::optional<std::string>(old) : std::nullopt;
        ::setenv("XDG_CACHE_HOME", cache.toLocal8Bit().constData(), 1);

        ASSERT_TRUE(dir.isValid());
        path = dir.filePath(QStringLiteral("tiny.sfsproj"));
        assets = assetsDirFor(path);
        project = Project::makeDefault();
        project.durationFrames = timeline::framesForChunks(2);
        project.settings.width = 64;
        project.settings.height = 64;
        project.settings.seed = 3;
        project.settings.decoder = Decoder::Taehv; // ~0.03 s a chunk (the Wan VAE ~0.6 s)
        project.settings.device = QStringLiteral("cpu");
        project.prompts[0].text = QStringLiteral("A paper boat drifts down a rainy street.");
        FileError error;
        ASSERT_TRUE(writeProjectFile(project, path, error)) << error.toString().toStdString();
        original = test::readAll(path);
    }
    void TearDown() override {
        if (m_oldCache) {
            ::setenv("XDG_CACHE_HOME", m_oldCache->c_str(), 1);
        } else {
            ::unsetenv("XDG_CACHE_HOME");
        }
    }
    RenderResult render(const std::function<bool()>& cancel = {}) {
        TakeRecorder recorder(std::make_unique<ProjectFileTakeLedger>(path, project), assets);
        return runRender(engine, planRender(project, {}, assets), recorder, {}, {}, cancel);
    }
    Project saved() const {
        LoadedProject loaded;
        FileError error;
        EXPECT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists}, loaded, error))
            << error.toString().toStdString();
        return loaded.project;
    }

    inference::Engine engine;
    QTemporaryDir dir;
    QString path;
    QString assets;
    Project project;
    QByteArray original;

private:
    std::optional<std::string> m_oldCache;
};

TEST_F(RenderRun, ATakeOfEveryChunkWithItsFramesAndLatentsEntersTheProject) {
    const RenderResult result = render();
    ASSERT_TRUE(result.ok) << result.error.toStdString();
    EXPECT_FALSE(result.stopped);
    EXPECT_EQ(result.framesWritten, 21);
    EXPECT_EQ(result.chunksCompleted, 2);
    const Project p = saved();
    ASSERT_EQ(p.takes.size(), 1u);
    const Take& take = p.takes[0];
    EXPECT_EQ(take.id, result.takeId);
    EXPECT_EQ(take.status, TakeStatus::Complete);
    EXPECT_EQ(take.chunksCompleted, 2);
    EXPECT_EQ(take.latentsPath, QStringLiteral("takes/%1/latents").arg(take.id));
    EXPECT_EQ(QDir(QDir(assets).filePath(take.framesPath)).entryList(QDir::Files).size(), 21);
    const inference::TakeLatentsInfo latents =
        inference::readTakeLatentsInfo(QDir(assets).filePath(take.latentsPath).toStdString());
    ASSERT_EQ(latents.chunks.size(), 2u);
    EXPECT_EQ(latents.frames(), 6);
    EXPECT_EQ(latents.frameSize.height, 8);
    EXPECT_EQ(latents.chunks[1].seed, std::optional<uint64_t>(3));
}

TEST_F(RenderRun, CancelledAtOnceTheTakeStopsWithNoChunks) {
    std::atomic<int> asked{0};
    const RenderResult result = render([&] { return ++asked > 0; });
    ASSERT_TRUE(result.ok) << result.error.toStdString();
    EXPECT_TRUE(result.stopped);
    EXPECT_EQ(result.chunksCompleted, 0);
    const Project p = saved();
    ASSERT_EQ(p.takes.size(), 1u);
    EXPECT_EQ(p.takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(p.takes[0].chunksCompleted, 0);
}

TEST_F(RenderRun, AModelFolderThatIsNotThereLeavesTheProjectAsItWas) {
    project.settings.modelFolder = dir.filePath(QStringLiteral("no-model"));
    const RenderResult result = render();
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.takeId.isEmpty());
    EXPECT_TRUE(result.error.contains(QStringLiteral("no-model"))) << result.error.toStdString();
    EXPECT_EQ(test::readAll(path), original) << "the take never started";
    EXPECT_FALSE(QFileInfo::exists(QDir(assets).filePath(QStringLiteral("takes"))));
}

TEST_F(RenderRun, NotEnoughMemorySaysHowMuchAndLeavesTheProjectAsItWas) {
    inference::EngineOptions small;
    small.hostMemoryBytes = 1 << 20; // a 1 MiB machine
    small.diskPromptCache = false;
    inference::Engine tiny(small);
    TakeRecorder recorder(std::make_unique<ProjectFileTakeLedger>(path, project), assets);
    const RenderResult result =
        runRender(tiny, planRender(project, {}, assets), recorder, {}, {}, {});
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(result.takeId.isEmpty());
    EXPECT_TRUE(result.error.contains(QStringLiteral("needs"))) << result.error.toStdString();
    EXPECT_EQ(test::readAll(path), original) << "the take never started";
}

#if SFS_WITH_MEDIA
// Bytes a file may grow to in the full-disk test: more than any take file or the project file
// (64x64 frames: a PNG or a chunk's latents is ~12 KiB), less than a lossless clip of 12 chunks.
constexpr rlim_t kFullDiskLimit = 100 * 1024;

// What a render in a child process (under a file-size limit) came to, passed back as text.
struct RunOutcome {
    bool parsed = false;
    bool ok = false;
    int chunks = 0;
    std::string message;

    static std::string encode(const RenderResult& r) {
        return std::string(r.ok ? "ok" : "failed") + "|" + std::to_string(r.chunksCompleted) + "|" +
               r.error.toStdString();
    }
    static RunOutcome decode(const std::string& text) {
        RunOutcome o;
        const auto bar = text.find('|');
        const auto bar2 = bar == std::string::npos ? bar : text.find('|', bar + 1);
        if (bar2 == std::string::npos) {
            return o;
        }
        o.parsed = true;
        o.ok = text.substr(0, bar) == "ok";
        o.chunks = std::stoi(text.substr(bar + 1, bar2 - bar - 1));
        o.message = text.substr(bar2 + 1);
        return o;
    }
};

// A full disk in the middle of a take (RLIMIT_FSIZE in a child process: a write past the limit
// fails with EFBIG). The clip being exported (-o) is the file that grows, so the limit strikes
// during a later chunk while the take's own files (each smaller than the limit) keep being
// written: the render fails naming the clip, the take stops with the whole chunks it has
// (frames and latents), the project file still loads, and no part of the clip remains.
TEST_F(RenderRun, AFullDiskMidTakeNamesTheFileStopsTheTakeAndLeavesNoPartialOutput) {
    constexpr int kChunks = 12; // the encoder holds frames back: the clip grows late
    project.durationFrames = timeline::framesForChunks(kChunks);
    FileError error;
    ASSERT_TRUE(writeProjectFile(project, path, error)) << error.toString().toStdString();
    const QString clip = dir.filePath(QStringLiteral("full.mp4"));
    const std::string outcome = testing::runWithFileSizeLimit(kFullDiskLimit, [&] {
        inference::setCpuThreads(1); // no thread pool carried across fork()
        inference::Engine fresh;
        VideoOptions video;
        video.crf = 0; // lossless: the clip outgrows the limit within a few chunks
        video.onCancel = PartialOutput::Keep; // as the CLI: only a cancel keeps a partial clip
        const auto exporter = createWriter(clip, video, {});
        RenderOutputs outputs;
        outputs.exporter = exporter.get();
        TakeRecorder recorder(std::make_unique<ProjectFileTakeLedger>(path, project), assets);
        const RenderResult r =
            runRender(fresh, planRender(project, {}, assets), recorder, outputs, {}, {});
        return RunOutcome::encode(r);
    });
    const RunOutcome run = RunOutcome::decode(outcome);
    ASSERT_TRUE(run.parsed) << outcome;
    EXPECT_FALSE(run.ok) << outcome;
    const int chunks = run.chunks;
    const std::string& message = run.message;
    EXPECT_NE(message.find("full.mp4"), std::string::npos) << message;
    EXPECT_NE(message.find("too large"), std::string::npos) << message;
    EXPECT_GE(chunks, 1) << "the limit should strike after the first chunk: " << message;
    EXPECT_LT(chunks, kChunks) << "the limit should strike before the last chunk: " << message;

    EXPECT_FALSE(QFileInfo::exists(clip));
    for (const QString& entry : testing::allEntries(dir.path())) {
        EXPECT_TRUE(entry == QStringLiteral("tiny.sfsproj") ||
                    entry == QStringLiteral("tiny.sfsproj.assets"))
            << "left behind: " << entry.toStdString();
    }
    const Project p = saved(); // loads (a take still "generating" would be settled)
    ASSERT_EQ(p.takes.size(), 1u);
    const Take& take = p.takes[0];
    EXPECT_EQ(take.status, TakeStatus::Stopped);
    EXPECT_EQ(take.chunksCompleted, chunks);
    EXPECT_EQ(QDir(QDir(assets).filePath(take.framesPath))
                  .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
                  .size(),
              timeline::framesForChunks(chunks))
        << "the whole chunks' frames, nothing of the unfinished chunk";
    const QString latentsFolder = QDir(assets).filePath(take.latentsPath);
    const inference::TakeLatentsInfo latents =
        inference::readTakeLatentsInfo(latentsFolder.toStdString());
    EXPECT_EQ(static_cast<int>(latents.chunks.size()), chunks)
        << "the latents of the chunks the take keeps, no more";
    for (const QString& entry : testing::allEntries(latentsFolder)) {
        EXPECT_TRUE(entry.startsWith(QStringLiteral("chunk-")) &&
                    entry.endsWith(QStringLiteral(".safetensors")))
            << "left behind: " << entry.toStdString();
    }
}
#endif // SFS_WITH_MEDIA

// Fills the disk once `frames` frames are out: no file may grow past 4 KiB from then on (less
// than a frame's PNG or a chunk's latents, more than the project file). Sits in the exporter's
// place, which runRender writes right after the take, on the same thread.
class DiskFillsUpAfter final : public FrameSink {
public:
    explicit DiskFillsUpAfter(int frames) : m_frames(frames) {}
    bool begin(const StreamFormat&) override { return true; }
    bool write(const Frame&) override {
        if (++m_written == m_frames) {
            const rlimit full{4 * 1024, 4 * 1024};
            setrlimit(RLIMIT_FSIZE, &full);
        }
        return true;
    }
    bool finish() override { return true; }
    bool cancel() override { return true; }
    void abort() override {}
    QString errorString() const override { return {}; }

private:
    int m_frames;
    int m_written = 0;
};

// The disk fills up once the first chunk's frames are stored. The render fails naming the
// take's file that could not be written (the next frame, or the next chunk's latents); the take
// stops with that first chunk, frames and latents alike (the latents the model had stored ahead
// of the decoder are removed), and the project file records it.
TEST_F(RenderRun, ADiskThatFillsUpMidTakeStopsTheTakeWithItsWholeChunks) {
    project.durationFrames = timeline::framesForChunks(4);
    FileError error;
    ASSERT_TRUE(writeProjectFile(project, path, error)) << error.toString().toStdString();
    const std::string outcome = testing::runWithFileSizeLimit(RLIM_INFINITY, [&] {
        inference::setCpuThreads(1); // no thread pool carried across fork()
        inference::Engine fresh;
        DiskFillsUpAfter filler(timeline::framesForChunks(1));
        RenderOutputs outputs;
        outputs.exporter = &filler;
        TakeRecorder recorder(std::make_unique<ProjectFileTakeLedger>(path, project), assets);
        const RenderResult r =
            runRender(fresh, planRender(project, {}, assets), recorder, outputs, {}, {});
        return RunOutcome::encode(r);
    });
    const RunOutcome run = RunOutcome::decode(outcome);
    ASSERT_TRUE(run.parsed) << outcome;
    EXPECT_FALSE(run.ok) << outcome;
    const int chunks = run.chunks;
    const std::string& message = run.message;
    EXPECT_EQ(chunks, 1) << message;

    const Project p = saved();
    ASSERT_EQ(p.takes.size(), 1u);
    const Take& take = p.takes[0];
    const QString frames = QDir(assets).filePath(take.framesPath);
    const QString latentsFolder = QDir(assets).filePath(take.latentsPath);
    EXPECT_TRUE(message.rfind(frames.toStdString(), 0) == 0 ||
                message.rfind(latentsFolder.toStdString(), 0) == 0)
        << "names the take's file: " << message;
    EXPECT_NE(message.find("too large"), std::string::npos) << message;
    EXPECT_EQ(take.status, TakeStatus::Stopped);
    EXPECT_EQ(take.chunksCompleted, chunks);
    EXPECT_EQ(testing::allEntries(frames).size(), timeline::framesForChunks(chunks))
        << testing::allEntries(frames).join(' ').toStdString();
    QStringList chunkFiles;
    for (int k = 0; k < chunks; ++k) {
        chunkFiles << QString::fromStdString(inference::TakeLatentsWriter::chunkPath({}, k));
    }
    EXPECT_EQ(testing::allEntries(latentsFolder).join(' ').toStdString(),
              chunkFiles.join(' ').toStdString());
}
} // namespace
} // namespace sfs::core
