// Batches for a render farm without a scheduler: the batch file (parsing, seed expansion, the
// output pattern and its collisions, every refusal), the items checked as renders, the state
// file and item statuses, the Slurm script and array spec, squeue's output, the index page.
#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "project_fixtures.h"
#include "sfs/core/batch/batch_file.h"
#include "sfs/core/batch/batch_index.h"
#include "sfs/core/batch/batch_render.h"
#include "sfs/core/batch/batch_state.h"
#include "sfs/core/batch/slurm.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <string>

namespace sfs::core {
namespace {

using test::readAll;
using test::writeAll;

const QString kBatchFile = QStringLiteral("/farm/shots.json");

Batch parsed(const QByteArray& json) {
    Batch batch;
    FileError error;
    EXPECT_TRUE(parseBatch(json, kBatchFile, batch, error)) << error.toString().toStdString();
    return batch;
}

FileError refusal(const QByteArray& json) {
    Batch batch;
    FileError error;
    EXPECT_FALSE(parseBatch(json, kBatchFile, batch, error)) << "accepted: " << json.toStdString();
    EXPECT_TRUE(batch.items.empty()) << "a refused batch left items";
    return error;
}

// A batch around one items list (or other top-level text).
QByteArray batchJson(const QByteArray& items,
                     const QByteArray& output = "\"renders/{project}/{seed}.mp4\"") {
    return R"({"format": "sfstudio-batch", "version": 1, "output": )" + output + R"(, "items": )" +
           items + "}";
}

TEST(BatchFile, ExpandsSeedsIntoItemsWithTheirOwnOutputs) {
    const Batch batch = parsed(batchJson(
        R"([{"project": "shots/boat.sfsproj", "seeds": [3, 1, 2], "frames": 21, "model": "demo",
             "decoder": "taehv", "size": "80x64"},
            {"project": "/abs/bridge.sfsproj", "seed": 7, "model": "../models/wan"}])",
        R"("out/{item}-{project}-{seed}.mp4")"));
    EXPECT_EQ(batch.file, kBatchFile);
    EXPECT_TRUE(batch.outputKind == BatchOutputKind::Video);
    ASSERT_EQ(batch.items.size(), 4u);
    const BatchItem& first = batch.items[0];
    EXPECT_EQ(first.index, 0);
    EXPECT_EQ(first.entry, QStringLiteral("/items/0"));
    EXPECT_EQ(first.project, QStringLiteral("/farm/shots/boat.sfsproj"));
    EXPECT_EQ(first.seed, 3);
    EXPECT_EQ(first.frames, 21);
    EXPECT_EQ(first.model, QStringLiteral("demo"));
    EXPECT_TRUE(first.decoder == Decoder::Taehv);
    EXPECT_EQ(first.width, 80);
    EXPECT_EQ(first.height, 64);
    EXPECT_EQ(first.output, QStringLiteral("/farm/out/0000-boat-3.mp4"));
    EXPECT_EQ(batch.items[1].seed, 1);
    EXPECT_EQ(batch.items[2].output, QStringLiteral("/farm/out/0002-boat-2.mp4"));
    const BatchItem& last = batch.items[3];
    EXPECT_EQ(last.index, 3);
    EXPECT_EQ(last.entry, QStringLiteral("/items/1"));
    EXPECT_EQ(last.project, QStringLiteral("/abs/bridge.sfsproj"));
    EXPECT_EQ(last.model, QStringLiteral("/models/wan"));
    EXPECT_FALSE(last.frames.has_value());
    EXPECT_FALSE(last.decoder.has_value());
    EXPECT_FALSE(last.width.has_value());
    EXPECT_EQ(last.output, QStringLiteral("/farm/out/0003-bridge-7.mp4"));
    EXPECT_EQ(last.label(), QStringLiteral("item 3 (bridge.sfsproj, seed 7)"));
    EXPECT_EQ(batch.companionPath(QStringLiteral(".state.json")),
              QStringLiteral("/farm/shots.state.json"));
    EXPECT_EQ(batchStatePath(batch), QStringLiteral("/farm/shots.state.json"));
}

TEST(BatchFile, TrailingSlashMeansAFolderOfFramesPerItem) {
    const Batch batch = parsed(batchJson(R"([{"project": "a.sfsproj", "seeds": [1, 2]}])",
                                         R"("/renders/{project}/{seed}/")"));
    EXPECT_TRUE(batch.outputKind == BatchOutputKind::ImageSequence);
    ASSERT_EQ(batch.items.size(), 2u);
    EXPECT_EQ(batch.items[0].output, QStringLiteral("/renders/a/1"));
    EXPECT_EQ(batch.items[1].output, QStringLiteral("/renders/a/2"));
}

TEST(BatchFile, PatternPlaceholders) {
    EXPECT_EQ(expandOutputPattern(QStringLiteral("{project}/{seed}/{item}.mov"),
                                  QStringLiteral("boat"), 42, 7),
              QStringLiteral("boat/42/0007.mov"));
    EXPECT_EQ(paddedItemIndex(12345), QStringLiteral("12345"));
}

struct Refused {
    const char* json;
    const char* pointer;
    const char* problem; // a part of the message
};

#define BATCH(items)                                                                               \
    R"({"format": "sfstudio-batch", "version": 1, "output": "o/{seed}.mp4", "items": )" items "}"

// One test over the table: each gtest case is a process of its own under ctest.
TEST(BatchFile, RefusesNamingTheFieldAndTheProblem) {
    const Refused table[] = {
        Refused{"{\"format\": \"sfstudio-batch\",\n \"version\": 1,,}", "",
                "malformed JSON at line 2"},
        Refused{"[1, 2]", "", "a batch file is a JSON object"},
        Refused{R"({"format": "sfstudio-project", "version": 1})", "/format", "not a batch file"},
        Refused{R"({"version": 1})", "/format", "missing"},
        Refused{
            R"({"format": "sfstudio-batch", "version": 2, "items": []})", "/version",
            "batch format version 2, written by a newer sfstudio; this one reads versions up to 1"},
        Refused{R"({"format": "sfstudio-batch", "version": 0})", "/version", "does not exist"},
        Refused{R"({"format": "sfstudio-batch", "version": "1"})", "/version",
                "must be an integer"},
        Refused{R"({"format": "sfstudio-batch", "version": 1, "outputs": "x/"})", "/outputs",
                "unknown field"},
        Refused{R"({"format": "sfstudio-batch", "version": 1, "items": []})", "/output",
                "required field is missing"},
        Refused{
            R"({"format": "sfstudio-batch", "version": 1, "output": "o/{seed}.avi", "items": []})",
            "/output", "must end in .mp4, .mov or .m4v"},
        Refused{
            R"({"format": "sfstudio-batch", "version": 1, "output": "o/{take}.mp4", "items": []})",
            "/output", "unknown placeholder {take}"},
        Refused{
            R"({"format": "sfstudio-batch", "version": 1, "output": "o/{seed.mp4", "items": []})",
            "/output", "unknown placeholder {seed.mp4"},
        Refused{BATCH("[]"), "/items", "the batch has no items"},
        Refused{BATCH("{}"), "/items", "must be a list of items"},
        Refused{BATCH("[7]"), "/items/0", "must be an object"},
        Refused{BATCH(R"([{"seed": 1}])"), "/items/0/project", "required field is missing"},
        Refused{BATCH(R"([{"project": "", "seed": 1}])"), "/items/0/project", "is empty"},
        Refused{BATCH(R"([{"project": "a.sfsproj"}])"), "/items/0", "needs \"seed\""},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": 1, "seeds": [2]}])"), "/items/0",
                "has both \"seed\" and \"seeds\""},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seeds": []}])"), "/items/0/seeds", "is empty"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seeds": 4}])"), "/items/0/seeds",
                "must be a list of seeds"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seeds": [1, 1.5]}])"), "/items/0/seeds/1",
                "must be an integer"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": -3}])"), "/items/0/seed", "-3"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": 1, "frames": 10}])"), "/items/0/frames",
                "10 is not a whole number of chunks"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": 1, "decoder": "vqgan"}])"),
                "/items/0/decoder", "\"vqgan\" is not a decoder (wan-vae or taehv)"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": 1, "size": "64x72"}])"), "/items/0/size",
                "72 is not a multiple of 16"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": 1, "size": "large"}])"), "/items/0/size",
                "is not a size WIDTHxHEIGHT"},
        Refused{BATCH(R"([{"project": "a.sfsproj", "seed": 1, "model": ""}])"), "/items/0/model",
                "is empty"},
        Refused{
            BATCH(R"([{"project": "a.sfsproj", "seed": 1}, {"project": "b.sfsproj", "sed": 2}])"),
            "/items/1/sed",
            "unknown field (known: project, seed, seeds, frames, model, decoder, size)"}};
    for (const Refused& r : table) {
        SCOPED_TRACE(r.json);
        const FileError error = refusal(QByteArray(r.json));
        EXPECT_EQ(error.file, kBatchFile);
        EXPECT_EQ(error.pointer.toStdString(), r.pointer);
        EXPECT_NE(error.problem.toStdString().find(r.problem), std::string::npos)
            << error.toString().toStdString();
    }
}

#undef BATCH

TEST(BatchFile, RefusesTwoItemsWritingOneOutput) {
    // No {seed} in the pattern, two seeds: both would write o/boat.mp4.
    FileError error = refusal(
        batchJson(R"([{"project": "boat.sfsproj", "seeds": [1, 2]}])", R"("o/{project}.mp4")"));
    EXPECT_EQ(error.pointer, QStringLiteral("/output"));
    EXPECT_EQ(error.problem.toStdString(),
              "item 0 (boat.sfsproj, seed 1) (/items/0) and item 1 (boat.sfsproj, seed 2) "
              "(/items/0) would both write /farm/o/boat.mp4; put {seed} or {item} in the pattern");
    // Two projects of one name in different folders, the same seed.
    error = refusal(batchJson(
        R"([{"project": "a/boat.sfsproj", "seed": 5}, {"project": "b/boat.sfsproj", "seed": 5}])"));
    EXPECT_NE(error.problem.indexOf(QStringLiteral("/items/0) and item 1")), -1)
        << error.problem.toStdString();
    // {item} tells them apart.
    EXPECT_EQ(parsed(batchJson(R"([{"project": "a/boat.sfsproj", "seed": 5},
                                   {"project": "b/boat.sfsproj", "seed": 5}])",
                               R"("o/{item}.mp4")"))
                  .items.size(),
              2u);
}

TEST(BatchFile, RefusesAnOutputInsideAnotherItemsFolder) {
    // The project "..sfsproj" is named "." and vanishes from the path: o/1 holds o/1/2.
    const FileError error = refusal(
        batchJson(R"([{"project": "..sfsproj", "seed": 1}, {"project": "1.sfsproj", "seed": 2}])",
                  R"("o/{project}/{seed}/")"));
    EXPECT_NE(error.problem.indexOf(QStringLiteral("(one inside the other)")), -1)
        << error.problem.toStdString();
}

TEST(BatchFile, LoadNamesAMissingFile) {
    Batch batch;
    FileError error;
    EXPECT_FALSE(loadBatch(QStringLiteral("/nowhere/b.json"), batch, error));
    EXPECT_EQ(error.toString(), QStringLiteral("/nowhere/b.json: no such file"));
}

TEST(BatchRender, ItemSettingsBecomeTheRendersOverrides) {
    BatchItem item;
    item.seed = 9;
    item.frames = 33;
    item.model = QStringLiteral("demo");
    item.decoder = Decoder::WanVae;
    item.width = 128;
    item.height = 64;
    const RenderOverrides o = renderOverridesFor(item);
    EXPECT_EQ(o.seed, 9);
    EXPECT_EQ(o.frames, 33);
    EXPECT_EQ(o.model, QStringLiteral("demo"));
    EXPECT_TRUE(o.decoder == Decoder::WanVae);
    EXPECT_EQ(o.width, 128);
    EXPECT_EQ(o.height, 64);
    EXPECT_TRUE(o.fromTake.isEmpty());
    const RenderOverrides unset = renderOverridesFor(BatchItem{});
    EXPECT_FALSE(unset.frames || unset.model || unset.decoder || unset.width || unset.height);
}

// A 64x64, 21-frame project on the demo model, as the CLI tests use.
QByteArray tinyProject() {
    return R"({"format": "sfstudio-project", "version": 1, "fps": 16, "durationFrames": 21,
    "settings": {"width": 64, "height": 64, "seed": 3, "steps": [1000, 750, 500, 250],
                 "decoder": "taehv", "attentionWindow": 0, "sinkFrames": 0, "device": "cpu",
                 "modelFolder": ""},
    "keyframes": [], "prompts": [{"id": "p1", "start": 0, "text": "A paper boat."}],
    "takes": []})";
}

TEST(BatchRender, CheckNamesEachItemsProjectOrModelProblem) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ASSERT_TRUE(writeAll(dir.filePath(QStringLiteral("tiny.sfsproj")), tinyProject()));
    const QString file = dir.filePath(QStringLiteral("b.json"));
    ASSERT_TRUE(writeAll(file, batchJson(R"([
        {"project": "tiny.sfsproj", "seeds": [1, 2], "model": "demo", "frames": 9},
        {"project": "missing.sfsproj", "seed": 3},
        {"project": "tiny.sfsproj", "seed": 4, "frames": 33, "model": "demo"},
        {"project": "tiny.sfsproj", "seed": 5, "model": "no-models-here"}])",
                                         R"("out/{item}.mp4")")));
    Batch batch;
    FileError error;
    ASSERT_TRUE(loadBatch(file, batch, error)) << error.toString().toStdString();
    const std::vector<BatchProblem> problems = checkBatch(batch);
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].item, 2);
    EXPECT_EQ(problems[0].entry, QStringLiteral("/items/1"));
    EXPECT_EQ(problems[0].label, QStringLiteral("item 2 (missing.sfsproj, seed 3)"));
    EXPECT_EQ(problems[0].problem,
              dir.filePath(QStringLiteral("missing.sfsproj")) + QStringLiteral(": no such file"));
    EXPECT_EQ(problems[1].item, 3);
    EXPECT_NE(problems[1].problem.indexOf(QStringLiteral("tiny.sfsproj: frames: 33 is longer "
                                                         "than the 21 frames")),
              -1)
        << problems[1].problem.toStdString();
    EXPECT_EQ(problems[2].item, 4);
    EXPECT_TRUE(problems[2].problem.startsWith(QStringLiteral("model: ")));
    EXPECT_NE(problems[2].problem.indexOf(QStringLiteral("no-models-here")), -1)
        << problems[2].problem.toStdString();
}

TEST(BatchState, RoundTripAndLatestSubmission) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("b.state.json"));
    BatchState empty;
    FileError error;
    ASSERT_TRUE(loadBatchState(path, empty, error)); // no file yet: nothing submitted
    EXPECT_TRUE(empty.submissions.empty());

    BatchState state;
    state.submissions.push_back({QStringLiteral("12"),
                                 {0, 1, 2},
                                 QDateTime::currentDateTimeUtc(),
                                 QStringLiteral("/farm/b.slurm.sh")});
    state.submissions.push_back({QStringLiteral("15"),
                                 {1},
                                 QDateTime::currentDateTimeUtc(),
                                 QStringLiteral("/farm/b.slurm.sh")});
    ASSERT_EQ(saveBatchState(path, state), QString());
    BatchState back;
    ASSERT_TRUE(loadBatchState(path, back, error)) << error.toString().toStdString();
    ASSERT_EQ(back.submissions.size(), 2u);
    EXPECT_EQ(back.submissions[0].items, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(back.submissions[1].script, QStringLiteral("/farm/b.slurm.sh"));
    EXPECT_EQ(back.latestFor(1)->job, QStringLiteral("15"));
    EXPECT_EQ(back.latestFor(2)->job, QStringLiteral("12"));
    EXPECT_EQ(back.latestFor(3), nullptr);

    ASSERT_TRUE(writeAll(path, R"({"format": "sfstudio-batch-state", "version": 9})"));
    EXPECT_FALSE(loadBatchState(path, back, error));
    EXPECT_EQ(error.pointer, QStringLiteral("/version"));
    ASSERT_TRUE(writeAll(path, "{"));
    EXPECT_FALSE(loadBatchState(path, back, error));
    EXPECT_NE(error.problem.indexOf(QStringLiteral("malformed JSON")), -1);
}

TEST(BatchState, StatusFromOutputsStateAndQueue) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Batch batch;
    FileError error;
    ASSERT_TRUE(parseBatch(batchJson(R"([{"project": "a.sfsproj", "seeds": [0, 1, 2, 3, 4, 5]}])",
                                     R"("out/{seed}.mp4")"),
                           dir.filePath(QStringLiteral("b.json")), batch, error));
    ASSERT_TRUE(QDir().mkpath(dir.filePath(QStringLiteral("out"))));
    ASSERT_TRUE(writeAll(batch.items[0].output, "whole"));
    BatchState state;
    state.submissions.push_back({QStringLiteral("12"), {0, 1, 2, 3, 4}, {}, {}});
    const QueueSnapshot queue = parseSqueue(QStringLiteral("12|1|PENDING\n"
                                                           "12|2|RUNNING\n"
                                                           "12|3|CANCELLED\n"
                                                           "13|N/A|RUNNING\n"
                                                           "garbage\n"));
    EXPECT_EQ(queue.size(), 3u);
    const std::vector<ItemReport> r = batchStatus(batch, state, queue);
    ASSERT_EQ(r.size(), 6u);
    EXPECT_TRUE(r[0].status == ItemStatus::Done);
    EXPECT_TRUE(r[1].status == ItemStatus::Pending);
    EXPECT_TRUE(r[2].status == ItemStatus::Running);
    EXPECT_TRUE(r[3].status == ItemStatus::Failed);
    EXPECT_EQ(r[3].queueState, QStringLiteral("CANCELLED"));
    EXPECT_TRUE(r[4].status == ItemStatus::Failed); // the queue forgot it, no output
    EXPECT_TRUE(r[4].queueState.isEmpty());
    EXPECT_TRUE(r[5].status == ItemStatus::NotSubmitted);
    EXPECT_TRUE(r[5].job.isEmpty());
    EXPECT_EQ(r[2].job, QStringLiteral("12"));
    EXPECT_EQ(toString(ItemStatus::NotSubmitted), QStringLiteral("not submitted"));
}

TEST(Slurm, ArraySpecJoinsRuns) {
    EXPECT_EQ(slurmArraySpec({5, 0, 1, 2, 3, 7, 8, 9, 3}, 2), QStringLiteral("0-3,5,7-9%2"));
    EXPECT_EQ(slurmArraySpec({4}, 0), QStringLiteral("4"));
    EXPECT_EQ(slurmArraySpec({1, 3}, 0), QStringLiteral("1,3"));
}

TEST(Slurm, ScriptFromTheTemplate) {
    SlurmScriptRequest r;
    r.cli = QStringLiteral("/opt/sfs/bin/sfstudio-cli");
    r.batchFile = QStringLiteral("/farm/it's.json");
    r.jobName = QStringLiteral("sfstudio-its");
    r.logFolder = QStringLiteral("/farm/its.logs");
    r.items = {0, 1, 3};
    r.options.partition = QStringLiteral("gpu");
    r.options.gpusPerTask = 1;
    r.options.cpusPerTask = 8;
    r.options.mem = QStringLiteral("32G");
    r.options.time = QStringLiteral("1:00:00");
    r.options.maxParallel = 2;
    const QString script = makeSlurmScript(r);
    for (const char* line :
         {"#!/bin/bash\n", "\n#SBATCH --job-name=sfstudio-its\n", "\n#SBATCH --array=0-1,3%2\n",
          "\n#SBATCH --output=/farm/its.logs/%A_%a.log\n", "\n#SBATCH --chdir=/farm\n",
          "\n#SBATCH --partition=gpu\n#SBATCH --gpus-per-task=1\n#SBATCH --cpus-per-task=8\n"
          "#SBATCH --mem=32G\n#SBATCH --time=1:00:00\n",
          "\nexec '/opt/sfs/bin/sfstudio-cli' batch run '/farm/it'\\''s.json' --item "
          "\"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-0}\"\n"}) {
        EXPECT_NE(script.indexOf(QString::fromUtf8(line)), -1) << line << "\nin:\n"
                                                               << script.toStdString();
    }
    EXPECT_EQ(script.indexOf(QLatin1Char('@')), -1) << script.toStdString();
    EXPECT_EQ(slurmTaskLog(r.logFolder, QStringLiteral("77"), 3),
              QStringLiteral("/farm/its.logs/77_3.log"));

    // Without options: no option lines, and the #SBATCH block stays unbroken.
    r.options = SlurmOptions{};
    const QString plain = makeSlurmScript(r);
    EXPECT_EQ(plain.indexOf(QStringLiteral("--partition")), -1);
    EXPECT_NE(plain.indexOf(QStringLiteral("#SBATCH --array=0-1,3\n")), -1);
    EXPECT_NE(plain.indexOf(QStringLiteral("#SBATCH --chdir=/farm\n# Torch")), -1)
        << plain.toStdString();
}

TEST(Slurm, OptionsSbatchWouldRefuse) {
    SlurmOptions o;
    EXPECT_EQ(o.problem(), QString());
    o.mem = QStringLiteral("lots");
    EXPECT_EQ(o.problem(), QStringLiteral("--mem: \"lots\" is not a size (16G, 16000M)"));
    o = SlurmOptions{};
    o.time = QStringLiteral("1h");
    EXPECT_NE(o.problem().indexOf(QStringLiteral("--time")), -1);
    o = SlurmOptions{};
    o.partition = QStringLiteral("gpu\n#SBATCH --x");
    EXPECT_NE(o.problem().indexOf(QStringLiteral("--partition")), -1);
    o = SlurmOptions{};
    o.maxParallel = -1;
    EXPECT_NE(o.problem().indexOf(QStringLiteral("--max-parallel")), -1);
}

TEST(BatchIndexPage, FirstFramesSeedsProjectsAndLinks) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    Batch batch;
    FileError error;
    ASSERT_TRUE(parseBatch(batchJson(R"([{"project": "p/boat <1>.sfsproj", "seeds": [11, 12]}])",
                                     R"("renders/{project}/{seed}/")"),
                           dir.filePath(QStringLiteral("b.json")), batch, error))
        << error.toString().toStdString();
    EXPECT_EQ(batchIndexFolder(batch), dir.filePath(QStringLiteral("renders/boat <1>")));
    // Item 0 is done: a folder of frames; item 1 is not.
    ASSERT_TRUE(QDir().mkpath(batch.items[0].output));
    QImage frame(64, 48, QImage::Format_RGB888);
    frame.fill(QColor(200, 10, 10));
    ASSERT_TRUE(frame.save(QDir(batch.items[0].output).filePath(QStringLiteral("frame_0000.png"))));
    const BatchIndex index = writeBatchIndex(batch);
    EXPECT_EQ(index.path, dir.filePath(QStringLiteral("renders/boat <1>/index.html")));
    EXPECT_EQ(index.itemsDone, 1);
    EXPECT_TRUE(index.notices.isEmpty());
    const QString page = QString::fromUtf8(readAll(index.path));
    EXPECT_NE(page.indexOf(QStringLiteral("<img src=\"index_files/item-0000.png\"")), -1);
    EXPECT_NE(page.indexOf(QStringLiteral("<b>item 0000</b> &middot; boat &lt;1&gt; &middot; "
                                          "seed 11<br><a href=\"11\">11</a>")),
              -1)
        << page.toStdString();
    EXPECT_NE(page.indexOf(QStringLiteral("not rendered yet")), -1);
    EXPECT_NE(page.indexOf(QStringLiteral("1 of 2 items rendered")), -1);
    const QImage thumbnail(
        QDir(batchIndexFolder(batch)).filePath(QStringLiteral("index_files/item-0000.png")));
    ASSERT_FALSE(thumbnail.isNull());
    EXPECT_EQ(thumbnail.size(), QSize(64, 48));
    EXPECT_EQ(thumbnail.pixelColor(10, 10), QColor(200, 10, 10));
}

} // namespace
} // namespace sfs::core

#endif // SFS_WITH_MEDIA
