// The render job: a project and overrides become an engine request (planRender), and a run on
// the built-in demo model becomes a take in the project file (runRender).
#include "project_fixtures.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/timeline.h"
#include "sfs/core/render/render_job.h"
#include "sfs/core/render/take_recorder.h"
#include "sfs/inference/latents_file.h"
#include "sfs/inference/text.h"

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
    EXPECT_TRUE(r.keyframes.empty()) << "issue 14 applies keyframes";
    ASSERT_EQ(plan.warnings.size(), 1);
    EXPECT_TRUE(plan.warnings[0].contains(QStringLiteral("3 keyframes are not applied")));
    EXPECT_EQ(plan.take.settings, p.settings);
    EXPECT_EQ(plan.take.durationFrames, 93);
    EXPECT_TRUE(plan.take.storeLatents);
}

TEST(PlanRender, PromptSegmentsKeepTheirStartFramesAndAnEmptyOneIsRefused) {
    Project p = richProject();
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

TEST(PlanRender, RegeneratingStartsFromAChunkOfAStoredTake) {
    Project p = richProject();
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

} // namespace
} // namespace sfs::core
