// The project file: round trips, upgrades, refusals and the malformed-file corpus.

#include "file_limit_support.h"
#include "project_fixtures.h"
#include "sfs/build_config.h"
#include "sfs/core/project/project_file.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace sfs::core;
using sfs::test::readAll;
using sfs::test::testData;
using sfs::test::writeAll;

namespace {

LoadedProject parseOk(const QByteArray& json) {
    LoadedProject loaded;
    FileError error;
    EXPECT_TRUE(parseProject(json, QStringLiteral("test.sfsproj"), loaded, error))
        << error.toString().toStdString();
    return loaded;
}

FileError parseFails(const QByteArray& json) {
    LoadedProject loaded;
    FileError error;
    EXPECT_FALSE(parseProject(json, QStringLiteral("test.sfsproj"), loaded, error));
    return error;
}

QByteArray withChange(const Project& p, const std::function<void(QJsonObject&)>& change) {
    QJsonObject json = projectToJson(p);
    change(json);
    return QJsonDocument(json).toJson();
}

} // namespace

TEST(ProjectFile, SaveLoadRoundTripsEveryField) {
    const Project rich = sfs::test::richProject();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("rich.sfsproj"));
    FileError error;
    ASSERT_TRUE(writeProjectFile(rich, path, error)) << error.toString().toStdString();

    LoadedProject loaded;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::None}, loaded, error))
        << error.toString().toStdString();
    EXPECT_EQ(loaded.fileVersion, kProjectFormatVersion);
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    const Project& p = loaded.project;
    // Field by field, so that a failure says which one.
    EXPECT_EQ(p.durationFrames, rich.durationFrames);
    EXPECT_TRUE(p.settings == rich.settings);
    EXPECT_EQ(p.settings.seed, RenderSettings::kMaxSeed);
    ASSERT_EQ(p.keyframes.size(), rich.keyframes.size());
    for (size_t i = 0; i < p.keyframes.size(); ++i) {
        const Keyframe& a = p.keyframes[i];
        const Keyframe& b = rich.keyframes[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.frame, b.frame);
        EXPECT_EQ(a.image, b.image);
        EXPECT_EQ(a.sourceName, b.sourceName);
        EXPECT_EQ(a.strength, b.strength);
        EXPECT_EQ(a.fit, b.fit);
        EXPECT_EQ(a.label, b.label);
    }
    ASSERT_EQ(p.prompts.size(), rich.prompts.size());
    for (size_t i = 0; i < p.prompts.size(); ++i) {
        EXPECT_TRUE(p.prompts[i] == rich.prompts[i]) << i;
    }
    ASSERT_EQ(p.takes.size(), rich.takes.size());
    for (size_t i = 0; i < p.takes.size(); ++i) {
        const Take& a = p.takes[i];
        const Take& b = rich.takes[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.created, b.created);
        EXPECT_EQ(a.created.toMSecsSinceEpoch(), b.created.toMSecsSinceEpoch());
        EXPECT_TRUE(a.settings == b.settings);
        EXPECT_EQ(a.durationFrames, b.durationFrames);
        EXPECT_EQ(a.status, b.status);
        EXPECT_EQ(a.chunksCompleted, b.chunksCompleted);
        EXPECT_EQ(a.latentsPath, b.latentsPath);
        EXPECT_EQ(a.framesPath, b.framesPath);
        EXPECT_EQ(a.parentTakeId, b.parentTakeId);
        EXPECT_EQ(a.branchChunk, b.branchChunk);
    }
    EXPECT_EQ(p.takes[1].parentTakeId, QStringLiteral("t1"));
    ASSERT_EQ(p.markers.size(), rich.markers.size());
    for (size_t i = 0; i < p.markers.size(); ++i) {
        EXPECT_TRUE(p.markers[i] == rich.markers[i]) << i;
    }
    EXPECT_TRUE(p == rich);
    // Equal projects give equal bytes: the file is stable under load and save.
    EXPECT_EQ(serializeProject(p), readAll(path));
}

TEST(ProjectFile, ItemsComeBackInTimelineOrder) {
    Project p = sfs::test::richProject();
    std::reverse(p.keyframes.begin(), p.keyframes.end());
    std::reverse(p.prompts.begin(), p.prompts.end());
    std::reverse(p.markers.begin(), p.markers.end());
    std::reverse(p.takes.begin(), p.takes.end()); // a child before its parent still reads
    const LoadedProject loaded = parseOk(serializeProject(p));
    ASSERT_EQ(loaded.project.keyframes.size(), 3u);
    EXPECT_EQ(loaded.project.keyframes[0].frame, 0);
    EXPECT_EQ(loaded.project.keyframes[2].frame, 92);
    EXPECT_EQ(loaded.project.prompts[0].startFrame, 0);
    EXPECT_EQ(loaded.project.prompts[2].startFrame, 60);
    EXPECT_EQ(loaded.project.markers[0].frame, 10);
    EXPECT_EQ(loaded.project.markers[2].frame, 92);
    // Takes keep the file's order (oldest first as written).
    ASSERT_EQ(loaded.project.takes.size(), 2u);
    EXPECT_EQ(loaded.project.takes[0].id, QStringLiteral("t2"));
}

TEST(ProjectFile, VersionZeroFixtureUpgrades) {
    const QString path = testData(QStringLiteral("projects/v0/storyboard.sfsproj"));
    const QByteArray before = readAll(path);
    LoadedProject loaded;
    FileError error;
    ASSERT_TRUE(loadProject(path, LoadOptions{}, loaded, error)) << error.toString().toStdString();
    EXPECT_EQ(loaded.fileVersion, 0);
    const Project& p = loaded.project;
    EXPECT_EQ(p.durationFrames, 45);
    EXPECT_EQ(p.settings.width, 640);
    EXPECT_EQ(p.settings.height, 368);
    EXPECT_EQ(p.settings.seed, 1234);
    EXPECT_EQ(p.settings.steps, (std::vector<int>{1000, 500}));
    EXPECT_EQ(p.settings.decoder, Decoder::Taehv);
    EXPECT_EQ(p.settings.attentionWindow, 0);
    EXPECT_EQ(p.settings.sinkFrames, 0);
    EXPECT_EQ(p.settings.device, QStringLiteral("auto"));
    EXPECT_TRUE(p.settings.usesDemoModel());
    // Keyframes had no ids: they are numbered in file order, then sorted by frame.
    ASSERT_EQ(p.keyframes.size(), 2u);
    EXPECT_EQ(p.keyframes[0].id, QStringLiteral("k2"));
    EXPECT_EQ(p.keyframes[0].frame, 0);
    EXPECT_EQ(p.keyframes[0].image, QStringLiteral("images/start.png"));
    EXPECT_DOUBLE_EQ(p.keyframes[0].strength, 1.0);
    EXPECT_EQ(p.keyframes[1].id, QStringLiteral("k1"));
    EXPECT_EQ(p.keyframes[1].frame, 44);
    EXPECT_DOUBLE_EQ(p.keyframes[1].strength, 0.75); // "weight": 75 percent
    EXPECT_EQ(p.keyframes[1].fit, FitMode::Cover);
    EXPECT_EQ(p.roleOf(p.keyframes[1]), KeyframeRole::End);
    ASSERT_EQ(p.prompts.size(), 2u);
    EXPECT_EQ(p.prompts[1].id, QStringLiteral("p2"));
    EXPECT_EQ(p.prompts[1].startFrame, 21);
    EXPECT_EQ(p.prompts[1].text, QStringLiteral("The kite string snaps and it drifts away."));
    EXPECT_TRUE(p.takes.empty());
    // Loading never rewrites the old file; saving writes the current version.
    EXPECT_EQ(readAll(path), before);
    const QJsonObject saved = QJsonDocument::fromJson(serializeProject(p)).object();
    EXPECT_EQ(saved.value(QStringLiteral("version")).toInt(), kProjectFormatVersion);
    EXPECT_TRUE(parseOk(serializeProject(p)).project == p);
}

TEST(ProjectFile, VersionOneFixtureUpgradesWithApproachDefaults) {
    const QString path = testData(QStringLiteral("projects/v1/storyboard.sfsproj"));
    const QByteArray before = readAll(path);
    LoadedProject loaded;
    FileError error;
    ASSERT_TRUE(loadProject(path, LoadOptions{}, loaded, error)) << error.toString().toStdString();
    EXPECT_EQ(loaded.fileVersion, 1);
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    const Project& p = loaded.project;
    ASSERT_EQ(p.keyframes.size(), 2u);
    EXPECT_EQ(p.keyframes[1].frame, 32);
    EXPECT_DOUBLE_EQ(p.keyframes[1].strength, 0.8);
    EXPECT_EQ(p.keyframes[1].fit, FitMode::Stretch);
    EXPECT_EQ(p.keyframes[1].label, QStringLiteral("end"));
    const Keyframe defaults;
    for (const Keyframe& k : p.keyframes) {
        EXPECT_EQ(k.approachChunks, 2);
        EXPECT_DOUBLE_EQ(k.approachWeight, 0.5);
        EXPECT_EQ(k.approachSteps, 1);
        EXPECT_EQ(k.approachChunks, defaults.approachChunks);
    }
    EXPECT_EQ(readAll(path), before);
    const QJsonObject saved = QJsonDocument::fromJson(serializeProject(p)).object();
    EXPECT_EQ(saved.value(QStringLiteral("version")).toInt(), kProjectFormatVersion);
    const QJsonObject firstKeyframe =
        saved.value(QStringLiteral("keyframes")).toArray().at(0).toObject();
    EXPECT_EQ(firstKeyframe.value(QStringLiteral("approachChunks")).toInt(), 2);
    EXPECT_DOUBLE_EQ(firstKeyframe.value(QStringLiteral("approachWeight")).toDouble(), 0.5);
    EXPECT_EQ(firstKeyframe.value(QStringLiteral("approachSteps")).toInt(), 1);
    EXPECT_TRUE(parseOk(serializeProject(p)).project == p);
}

TEST(ProjectFile, VersionTwoFixtureUpgradesWithoutMarkersOrLineage) {
    const QString path = testData(QStringLiteral("projects/v2/storyboard.sfsproj"));
    const QByteArray before = readAll(path);
    LoadedProject loaded;
    FileError error;
    ASSERT_TRUE(loadProject(path, LoadOptions{}, loaded, error)) << error.toString().toStdString();
    EXPECT_EQ(loaded.fileVersion, 2);
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    const Project& p = loaded.project;
    EXPECT_EQ(p.durationFrames, 45);
    EXPECT_EQ(p.settings.decoder, Decoder::Taehv);
    ASSERT_EQ(p.keyframes.size(), 1u);
    EXPECT_EQ(p.keyframes[0].approachChunks, 1); // version 2 fields are kept as they were
    EXPECT_DOUBLE_EQ(p.keyframes[0].approachWeight, 0.25);
    EXPECT_EQ(p.keyframes[0].approachSteps, 2);
    ASSERT_EQ(p.prompts.size(), 2u);
    EXPECT_TRUE(p.markers.empty());
    ASSERT_EQ(p.takes.size(), 1u);
    EXPECT_EQ(p.takes[0].status, TakeStatus::Stopped);
    EXPECT_EQ(p.takes[0].chunksCompleted, 2);
    EXPECT_FALSE(p.takes[0].isBranch());
    EXPECT_EQ(p.takes[0].branchChunk, 0);
    EXPECT_TRUE(p.childTakes(QStringLiteral("t1")).empty());
    EXPECT_EQ(readAll(path), before);
    // Saved as the current version: an empty marker list, no lineage keys on a root take.
    const QJsonObject saved = QJsonDocument::fromJson(serializeProject(p)).object();
    EXPECT_EQ(saved.value(QStringLiteral("version")).toInt(), kProjectFormatVersion);
    EXPECT_TRUE(saved.value(QStringLiteral("markers")).isArray());
    EXPECT_TRUE(saved.value(QStringLiteral("markers")).toArray().isEmpty());
    const QJsonObject take = saved.value(QStringLiteral("takes")).toArray().at(0).toObject();
    EXPECT_FALSE(take.contains(QStringLiteral("parent")));
    EXPECT_FALSE(take.contains(QStringLiteral("branchChunk")));
    EXPECT_TRUE(parseOk(serializeProject(p)).project == p);
}

TEST(ProjectFile, MarkersAndLineageUseTheirKeys) {
    const QJsonObject json = projectToJson(sfs::test::richProject());
    const QJsonArray markers = json.value(QStringLiteral("markers")).toArray();
    ASSERT_EQ(markers.size(), 3);
    EXPECT_EQ(markers.at(0).toObject(),
              (QJsonObject{{QStringLiteral("id"), QStringLiteral("m1")},
                           {QStringLiteral("frame"), 10},
                           {QStringLiteral("name"), QStringLiteral("Kite lifts – 凧")}}));
    // An empty name is left out.
    EXPECT_FALSE(markers.at(1).toObject().contains(QStringLiteral("name")));
    const QJsonObject branch = json.value(QStringLiteral("takes")).toArray().at(1).toObject();
    EXPECT_EQ(branch.value(QStringLiteral("parent")).toString(), QStringLiteral("t1"));
    EXPECT_EQ(branch.value(QStringLiteral("branchChunk")).toInt(), 1);

    // A cycle of parents is refused, naming the take's parent field.
    const FileError cycle = parseFails(withChange(sfs::test::richProject(), [](QJsonObject& o) {
        QJsonArray takes = o.value(QStringLiteral("takes")).toArray();
        QJsonObject first = takes.at(0).toObject();
        first[QStringLiteral("parent")] = QStringLiteral("t2");
        first[QStringLiteral("branchChunk")] = 1;
        takes[0] = first;
        o[QStringLiteral("takes")] = takes;
    }));
    EXPECT_EQ(cycle.pointer, QStringLiteral("/takes/0/parent"));
    EXPECT_TRUE(cycle.problem.contains(QStringLiteral("lead back to it")))
        << cycle.problem.toStdString();
}

TEST(ProjectFile, LongLineagesLoadAndLoopsAreFoundQuickly) {
    // Each take regenerated from the one before: the checks stay linear in the takes.
    Project p = Project::makeDefault();
    p.durationFrames = 21;
    constexpr int kTakes = 3000;
    for (int i = 0; i < kTakes; ++i) {
        Take t;
        t.id = QStringLiteral("t%1").arg(i);
        t.created = QDateTime::fromMSecsSinceEpoch(1700000000000LL + i, Qt::UTC);
        t.durationFrames = 21;
        t.chunksCompleted = 2;
        if (i > 0) {
            t.parentTakeId = QStringLiteral("t%1").arg(i - 1);
            t.branchChunk = 1;
        }
        p.takes.push_back(t);
    }
    QElapsedTimer timer;
    timer.start();
    const LoadedProject loaded = parseOk(serializeProject(p));
    EXPECT_TRUE(loaded.project == p);
    const FileError loop = parseFails(withChange(p, [](QJsonObject& o) {
        QJsonArray takes = o.value(QStringLiteral("takes")).toArray();
        QJsonObject first = takes.at(0).toObject();
        first[QStringLiteral("parent")] = QStringLiteral("t%1").arg(kTakes - 1);
        first[QStringLiteral("branchChunk")] = 1;
        takes[0] = first;
        o[QStringLiteral("takes")] = takes;
    }));
    EXPECT_EQ(loop.pointer, QStringLiteral("/takes/0/parent"));
    EXPECT_TRUE(loop.problem.contains(QStringLiteral("lead back to it")))
        << loop.problem.toStdString();
    EXPECT_LT(timer.elapsed(), 5000);
}

// Version 4's VACE keys are optional: absent is VACE off (keyframes) and no reference image
// (settings); they are written only when set, round-trip, and are range-checked.
TEST(ProjectFile, VaceKeysAreOptionalInVersion4) {
    Project p = sfs::test::richProject();
    QJsonObject json = projectToJson(p);
    EXPECT_FALSE(json.value(QStringLiteral("settings"))
                     .toObject()
                     .contains(QStringLiteral("referenceImage")));
    EXPECT_FALSE(json.value(QStringLiteral("keyframes"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .contains(QStringLiteral("vace")));
    p.keyframes[0].vace = true;
    p.keyframes[0].vaceScale = 1.5;
    p.settings.referenceImage = QStringLiteral("images/ref.png");
    p.settings.referenceScale = 0.25;
    json = projectToJson(p);
    const QJsonObject k0 = json.value(QStringLiteral("keyframes")).toArray().at(0).toObject();
    EXPECT_TRUE(k0.value(QStringLiteral("vace")).toBool());
    EXPECT_EQ(k0.value(QStringLiteral("vaceScale")).toDouble(), 1.5);
    const LoadedProject loaded = parseOk(QJsonDocument(json).toJson());
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    EXPECT_TRUE(loaded.project == p);
    EXPECT_TRUE(p.assetPaths().contains(QStringLiteral("images/ref.png"))) << "an asset too";

    // A version-3 file (no VACE keys) still loads, with everything off.
    QJsonObject v3 = projectToJson(sfs::test::richProject());
    v3[QStringLiteral("version")] = 3;
    const LoadedProject old = parseOk(QJsonDocument(v3).toJson());
    EXPECT_EQ(old.fileVersion, 3);
    EXPECT_FALSE(old.project.keyframes[0].vace);
    EXPECT_TRUE(old.project.settings.referenceImage.isEmpty());

    QJsonObject bad = json;
    QJsonArray keyframes = bad.value(QStringLiteral("keyframes")).toArray();
    QJsonObject k = keyframes.at(0).toObject();
    k[QStringLiteral("vaceScale")] = 3.0;
    keyframes[0] = k;
    bad[QStringLiteral("keyframes")] = keyframes;
    const FileError e = parseFails(QJsonDocument(bad).toJson());
    EXPECT_EQ(e.pointer, QStringLiteral("/keyframes/0/vaceScale"));
    EXPECT_TRUE(e.problem.contains(QStringLiteral("outside 0…2"))) << e.problem.toStdString();
}

// A keyframe's start mode (added within version 2) is an optional key: absent means land
// (every file before it), it is written only for context, and it round-trips.
TEST(ProjectFile, TheStartModeIsAnOptionalKey) {
    Project p = sfs::test::richProject();
    p.keyframes[0].start = StartMode::Context;
    const QJsonObject json = projectToJson(p);
    EXPECT_EQ(json.value(QStringLiteral("version")).toInt(), kProjectFormatVersion);
    const QJsonArray keyframes = json.value(QStringLiteral("keyframes")).toArray();
    EXPECT_EQ(keyframes.at(0).toObject().value(QStringLiteral("start")).toString(),
              QStringLiteral("context"));
    EXPECT_FALSE(keyframes.at(1).toObject().contains(QStringLiteral("start")));
    const LoadedProject loaded = parseOk(QJsonDocument(json).toJson());
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    EXPECT_EQ(loaded.project.keyframes[0].start, StartMode::Context);
    EXPECT_EQ(loaded.project.keyframes[1].start, StartMode::Land);
    EXPECT_TRUE(loaded.project == p);

    const FileError error = parseFails(withChange(p, [](QJsonObject& o) {
        QJsonArray k = o.value(QStringLiteral("keyframes")).toArray();
        QJsonObject first = k.at(0).toObject();
        first[QStringLiteral("start")] = QStringLiteral("jump");
        k[0] = first;
        o[QStringLiteral("keyframes")] = k;
    }));
    EXPECT_EQ(error.pointer, QStringLiteral("/keyframes/0/start"));
    EXPECT_EQ(error.problem, QStringLiteral("\"jump\" is not one of land, context"));
}

// Format 4's render settings (preview decoder, precision, the text encoder's device): optional
// keys, written only when they differ from the default, which is what version 3 did.
TEST(ProjectFile, VersionFourSettingsRoundTripAndAreOptional) {
    Project p = sfs::test::richProject();
    const QJsonObject plain = projectToJson(p).value(QStringLiteral("settings")).toObject();
    for (const char* key : {"previewDecoder", "precision", "textEncoder"}) {
        EXPECT_FALSE(plain.contains(QString::fromLatin1(key))) << key;
    }
    p.settings.previewDecoder = PreviewDecoder::Taehv;
    p.settings.precision = QStringLiteral("bfloat16");
    p.settings.textEncoderDevice = QStringLiteral("cpu");
    const QJsonObject json = projectToJson(p);
    EXPECT_EQ(json.value(QStringLiteral("version")).toInt(), 4);
    const QJsonObject settings = json.value(QStringLiteral("settings")).toObject();
    EXPECT_EQ(settings.value(QStringLiteral("previewDecoder")).toString(), QStringLiteral("taehv"));
    EXPECT_EQ(settings.value(QStringLiteral("precision")).toString(), QStringLiteral("bfloat16"));
    EXPECT_EQ(settings.value(QStringLiteral("textEncoder")).toString(), QStringLiteral("cpu"));
    const LoadedProject loaded = parseOk(QJsonDocument(json).toJson());
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    EXPECT_TRUE(loaded.project == p);
    // A take keeps the settings it was generated with, the new ones included.
    p.takes[0].settings = p.settings;
    EXPECT_TRUE(parseOk(serializeProject(p)).project == p);

    // A version-3 file (no such keys) loads with the defaults, and is saved as version 4.
    const LoadedProject v3 = parseOk(withChange(
        sfs::test::richProject(), [](QJsonObject& o) { o[QStringLiteral("version")] = 3; }));
    EXPECT_EQ(v3.fileVersion, 3);
    EXPECT_EQ(v3.project.settings.previewDecoder, PreviewDecoder::Final);
    EXPECT_EQ(v3.project.settings.precision, QStringLiteral("auto"));
    EXPECT_EQ(v3.project.settings.textEncoderDevice, QStringLiteral("auto"));
    EXPECT_TRUE(v3.project == sfs::test::richProject());

    const auto badSetting = [&](const char* key, const QString& value) {
        return parseFails(withChange(p, [&](QJsonObject& o) {
            QJsonObject s = o.value(QStringLiteral("settings")).toObject();
            s[QString::fromLatin1(key)] = value;
            o[QStringLiteral("settings")] = s;
        }));
    };
    const FileError precision = badSetting("precision", QStringLiteral("int4"));
    EXPECT_EQ(precision.pointer, QStringLiteral("/settings/precision"));
    EXPECT_EQ(precision.problem,
              QStringLiteral("precision \"int4\" is not one of auto, float32, bfloat16, float16"));
    const FileError encoder = badSetting("textEncoder", QStringLiteral("tpu"));
    EXPECT_EQ(encoder.pointer, QStringLiteral("/settings/textEncoder"));
    EXPECT_EQ(encoder.problem,
              QStringLiteral("text encoder device \"tpu\" is not one of auto, cpu, gpu"));
    const FileError preview = badSetting("previewDecoder", QStringLiteral("wan-vae"));
    EXPECT_EQ(preview.pointer, QStringLiteral("/settings/previewDecoder"));
    EXPECT_EQ(preview.problem, QStringLiteral("\"wan-vae\" is not one of final, taehv"));
}

// Version 4's LoRA list: optional (absent = none, what version 3 meant), written only when there
// is one, round-trips in the project's and a take's settings, and bad entries name their place.
TEST(ProjectFile, TheLoraListIsAnOptionalVersion4Key) {
    Project p = sfs::test::richProject();
    EXPECT_FALSE(projectToJson(p)
                     .value(QStringLiteral("settings"))
                     .toObject()
                     .contains(QStringLiteral("loras")));
    p.settings.loras = {{QStringLiteral("/models/longlive/lora.pt"), 1.0},
                        {QStringLiteral("/loras/style.safetensors"), -0.25}};
    p.takes[0].settings.loras = {{QStringLiteral("/loras/style.safetensors"), 0.5}};
    const QJsonObject json = projectToJson(p);
    EXPECT_EQ(json.value(QStringLiteral("version")).toInt(), 4);
    const QJsonArray loras =
        json.value(QStringLiteral("settings")).toObject().value(QStringLiteral("loras")).toArray();
    ASSERT_EQ(loras.size(), 2);
    EXPECT_EQ(loras.at(1).toObject().value(QStringLiteral("strength")).toDouble(), -0.25);
    const LoadedProject loaded = parseOk(QJsonDocument(json).toJson());
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    EXPECT_TRUE(loaded.project == p);

    // A version-3 file (no key) reads as no LoRA.
    QJsonObject v3 = projectToJson(sfs::test::richProject());
    v3[QStringLiteral("version")] = 3;
    const LoadedProject old = parseOk(QJsonDocument(v3).toJson());
    EXPECT_EQ(old.fileVersion, 3);
    EXPECT_TRUE(old.project.settings.loras.empty());

    const auto withLora = [&](const QJsonObject& lora) {
        return withChange(p, [&](QJsonObject& o) {
            QJsonObject settings = o.value(QStringLiteral("settings")).toObject();
            settings[QStringLiteral("loras")] = QJsonArray{lora};
            o[QStringLiteral("settings")] = settings;
        });
    };
    FileError error = parseFails(
        withLora(QJsonObject{{QStringLiteral("path"), QStringLiteral("style.safetensors")},
                             {QStringLiteral("strength"), 1}}));
    EXPECT_EQ(error.pointer, QStringLiteral("/settings/loras/0"));
    EXPECT_TRUE(error.problem.contains(QStringLiteral("absolute path")))
        << error.problem.toStdString();
    error = parseFails(withLora(QJsonObject{{QStringLiteral("path"), QStringLiteral("/style.pt")},
                                            {QStringLiteral("strength"), 11}}));
    EXPECT_EQ(error.pointer, QStringLiteral("/settings/loras/0"));
    error = parseFails(withLora(QJsonObject{{QStringLiteral("strength"), 1}}));
    EXPECT_EQ(error.pointer, QStringLiteral("/settings/loras/0/path"));
}

TEST(ProjectFile, NewerVersionIsRefusedNamingBothVersions) {
    const QByteArray json = withChange(Project::makeDefault(), [](QJsonObject& o) {
        o[QStringLiteral("version")] = kProjectFormatVersion + 1;
    });
    const FileError error = parseFails(json);
    EXPECT_EQ(error.pointer, QStringLiteral("/version"));
    EXPECT_TRUE(
        error.problem.contains(QStringLiteral("format version %1, written by a newer sfstudio")
                                   .arg(kProjectFormatVersion + 1)))
        << error.problem.toStdString();
    EXPECT_TRUE(error.problem.contains(
        QStringLiteral("reads versions up to %1").arg(kProjectFormatVersion)))
        << error.problem.toStdString();
    EXPECT_EQ(error.toString(), QStringLiteral("test.sfsproj: /version: ") + error.problem);
}

TEST(ProjectFile, UnknownFieldsAreIgnoredWithAWarning) {
    const QByteArray json = withChange(Project::makeDefault(), [](QJsonObject& o) {
        QJsonArray prompts = o[QStringLiteral("prompts")].toArray();
        QJsonObject first = prompts[0].toObject();
        first[QStringLiteral("colour/tint")] = QStringLiteral("red");
        prompts[0] = first;
        o[QStringLiteral("prompts")] = prompts;
        o[QStringLiteral("futureThing")] = 1;
    });
    const LoadedProject loaded = parseOk(json);
    ASSERT_EQ(loaded.warnings.size(), 2) << loaded.warnings.join('\n').toStdString();
    EXPECT_TRUE(loaded.warnings.join('\n').contains(QStringLiteral("/prompts/0/colour~1tint")));
    EXPECT_TRUE(loaded.warnings.join('\n').contains(QStringLiteral("/futureThing")));
    EXPECT_TRUE(loaded.project == Project::makeDefault());
}

TEST(ProjectFile, OptionalFieldsTakeTheirDefaults) {
    const QByteArray json = withChange(Project::makeDefault(), [](QJsonObject& o) {
        o.remove(QStringLiteral("takes"));
        o.remove(QStringLiteral("fps"));
        o.remove(QStringLiteral("generator"));
    });
    EXPECT_TRUE(parseOk(json).project == Project::makeDefault());
}

// Every file in tests/data/projects/bad/ fails to load with the error expected.json names, and
// the file is untouched by the attempt.
TEST(ProjectFile, MalformedFilesGiveTheirExpectedErrors) {
    const QDir bad(testData(QStringLiteral("projects/bad")));
    const QJsonObject expected =
        QJsonDocument::fromJson(readAll(bad.filePath(QStringLiteral("expected.json")))).object();
    ASSERT_GE(expected.size(), 30);
    const QStringList files = bad.entryList({QStringLiteral("*.sfsproj")}, QDir::Files);
    ASSERT_EQ(files.size(), expected.size()) << "every bad file needs an expectation";
    int checked = 0;
    for (const QString& name : files) {
        SCOPED_TRACE(name.toStdString());
        ASSERT_TRUE(expected.contains(name));
        const QJsonObject want = expected.value(name).toObject();
        const QString path = bad.filePath(name);
        const QFileInfo before(path);
        const QByteArray bytes = readAll(path);

        LoadedProject loaded;
        loaded.project.durationFrames = 9; // must stay as it is
        FileError error;
        LoadOptions options;
        options.assets = AssetCheck::Decode;
        const bool ok = loadProject(path, options, loaded, error);
        const bool needsDecoder = name.startsWith(QStringLiteral("corrupt_image")) ||
                                  name.startsWith(QStringLiteral("truncated_image"));
        if (needsDecoder && !SFS_WITH_MEDIA) {
            continue; // without OpenImageIO images are only checked for existence
        }
        ASSERT_FALSE(ok);
        EXPECT_EQ(loaded.project.durationFrames, 9);
        EXPECT_EQ(error.file, QFileInfo(path).absoluteFilePath());
        EXPECT_EQ(error.pointer, want.value(QStringLiteral("pointer")).toString());
        EXPECT_TRUE(error.problem.contains(want.value(QStringLiteral("problem")).toString()))
            << "got: " << error.problem.toStdString()
            << "\nwant: " << want.value(QStringLiteral("problem")).toString().toStdString();
        EXPECT_TRUE(error.toString().startsWith(error.file + QStringLiteral(": ")));
        EXPECT_EQ(readAll(path), bytes);
        EXPECT_EQ(QFileInfo(path).lastModified(), before.lastModified());
        ++checked;
    }
    EXPECT_GE(checked, SFS_WITH_MEDIA ? expected.size() : expected.size() - 2);
}

TEST(ProjectFile, MissingFileAndFolderAreClearErrors) {
    QTemporaryDir dir;
    LoadedProject loaded;
    FileError error;
    EXPECT_FALSE(
        loadProject(dir.filePath(QStringLiteral("nope.sfsproj")), LoadOptions{}, loaded, error));
    EXPECT_TRUE(error.problem.contains(QStringLiteral("no such file")));
    EXPECT_FALSE(loadProject(dir.path(), LoadOptions{}, loaded, error));
    EXPECT_TRUE(error.problem.contains(QStringLiteral("not a file")));
}

TEST(ProjectFile, SampleProjectLoadsWithItsAssets) {
    LoadedProject loaded;
    FileError error;
    LoadOptions options;
    options.verifyHashes = true;
    ASSERT_TRUE(loadProject(sfs::test::sampleProjectPath(), options, loaded, error))
        << error.toString().toStdString();
    EXPECT_TRUE(loaded.warnings.isEmpty()) << loaded.warnings.join('\n').toStdString();
    const Project& p = loaded.project;
    EXPECT_EQ(p.durationFrames, 81);
    EXPECT_EQ(p.settings.width, 832);
    EXPECT_EQ(p.settings.height, 480);
    ASSERT_EQ(p.keyframes.size(), 3u);
    EXPECT_EQ(p.roleOf(p.keyframes[0]), KeyframeRole::Start);
    EXPECT_EQ(p.roleOf(p.keyframes[1]), KeyframeRole::Middle);
    EXPECT_EQ(p.roleOf(p.keyframes[2]), KeyframeRole::End);
    ASSERT_EQ(p.prompts.size(), 3u);
    EXPECT_EQ(p.promptIndexAtFrame(32), 0);
    EXPECT_EQ(p.promptIndexAtFrame(33), 1);
    EXPECT_EQ(p.promptEndFrame(2), 81);
    EXPECT_EQ(p.assetPaths().size(), 3);
}

TEST(ProjectFile, ContentHashMismatchIsAWarningInCheckMode) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.sfsproj"));
    ASSERT_TRUE(QFile::copy(sfs::test::sampleProjectPath(), path));
    FileError error;
    const QString from = sfs::test::sampleProjectPath() + QStringLiteral(".assets");
    ASSERT_TRUE(copyAssetFolder(from, assetsDirFor(path), error));
    LoadedProject loaded;
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists, true}, loaded, error));
    ASSERT_TRUE(loaded.warnings.isEmpty());
    // Replace one image's content under the same name.
    const QString image = QDir(assetsDirFor(path)).filePath(loaded.project.keyframes[1].image);
    ASSERT_TRUE(QFile::remove(image));
    ASSERT_TRUE(
        QFile::copy(QDir(assetsDirFor(path)).filePath(loaded.project.keyframes[0].image), image));
    ASSERT_TRUE(loadProject(path, LoadOptions{AssetCheck::Exists, true}, loaded, error));
    ASSERT_EQ(loaded.warnings.size(), 1);
    EXPECT_TRUE(loaded.warnings[0].contains(QStringLiteral("/keyframes/1/image")));
    EXPECT_TRUE(loaded.warnings[0].contains(QStringLiteral("does not match")));
}

TEST(ProjectFile, SaveReplacesTheFileWhole) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.sfsproj"));
    ASSERT_TRUE(writeAll(path, QByteArray(100000, 'x'))); // longer than the new content
    FileError error;
    ASSERT_TRUE(writeProjectFile(Project::makeDefault(), path, error));
    EXPECT_EQ(readAll(path), serializeProject(Project::makeDefault()));
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
              QStringList{QStringLiteral("p.sfsproj")});
    // A folder that does not exist: an error naming the file, nothing written.
    const QString nowhere = dir.filePath(QStringLiteral("missing/p.sfsproj"));
    EXPECT_FALSE(writeProjectFile(Project::makeDefault(), nowhere, error));
    EXPECT_EQ(error.file, nowhere);
    EXPECT_TRUE(error.problem.startsWith(QStringLiteral("cannot save")));
}

// A disk that fills up while saving (files may not grow past 1 KiB, less than the project): the
// save fails naming the file and why, and the old file stays as it was, nothing left beside it.
TEST(ProjectFile, ASaveThatRunsOutOfDiskLeavesTheOldFile) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.sfsproj"));
    ASSERT_TRUE(writeAll(path, "old"));
    const Project rich = sfs::test::richProject();
    ASSERT_GT(serializeProject(rich).size(), 1024);
    const std::string message = sfs::core::testing::runWithFileSizeLimit(1024, [&] {
        FileError error;
        return writeProjectFile(rich, path, error) ? std::string("saved")
                                                   : error.toString().toStdString();
    });
    EXPECT_EQ(message.rfind(path.toStdString() + ": cannot save: ", 0), 0u) << message;
    EXPECT_NE(message.find("too large"), std::string::npos) << message;
    EXPECT_EQ(readAll(path), QByteArray("old"));
    EXPECT_EQ(sfs::core::testing::allEntries(dir.path()), QStringList{QStringLiteral("p.sfsproj")});
}

TEST(ProjectFile, AssetFolderCopiesKeepRelativePaths) {
    QTemporaryDir dir;
    const QDir from(dir.filePath(QStringLiteral("a.sfsproj.assets")));
    ASSERT_TRUE(from.mkpath(QStringLiteral("images")));
    ASSERT_TRUE(from.mkpath(QStringLiteral("takes/t1/frames")));
    ASSERT_TRUE(writeAll(from.filePath(QStringLiteral("images/0123.png")), "png"));
    ASSERT_TRUE(writeAll(from.filePath(QStringLiteral("takes/t1/frames/000.png")), "frame"));
    ASSERT_TRUE(writeAll(from.filePath(QStringLiteral("takes/t1/latents.safetensors")), "lat"));
    ASSERT_TRUE(writeAll(from.filePath(QStringLiteral("images/.x.importing.png")), "junk"));
    const QString to = dir.filePath(QStringLiteral("elsewhere/b.sfsproj.assets"));
    FileError error;
    ASSERT_TRUE(copyAssetFolder(from.path(), to, error)) << error.toString().toStdString();
    EXPECT_EQ(readAll(to + QStringLiteral("/images/0123.png")), QByteArray("png"));
    EXPECT_EQ(readAll(to + QStringLiteral("/takes/t1/frames/000.png")), QByteArray("frame"));
    EXPECT_EQ(readAll(to + QStringLiteral("/takes/t1/latents.safetensors")), QByteArray("lat"));
    EXPECT_FALSE(QFileInfo::exists(to + QStringLiteral("/images/.x.importing.png")));
    // A second copy changes nothing and leaves no partial files.
    ASSERT_TRUE(copyAssetFolder(from.path(), to, error));
    QDirIterator it(to, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        EXPECT_FALSE(it.next().endsWith(QStringLiteral(".partial")));
        ++files;
    }
    EXPECT_EQ(files, 3);
    // Copying a folder onto itself is a no-op.
    EXPECT_TRUE(copyAssetFolder(to, to, error));
}

TEST(ProjectFile, NamesAndPathsOfAProject) {
    EXPECT_EQ(assetsDirFor(QStringLiteral("/x/My Film.sfsproj")),
              QStringLiteral("/x/My Film.sfsproj.assets"));
    EXPECT_EQ(projectNameFor(QStringLiteral("/x/My Film.sfsproj")), QStringLiteral("My Film"));
    EXPECT_EQ(projectNameFor(QStringLiteral("/x/a.b.SFSPROJ")), QStringLiteral("a.b"));
    EXPECT_EQ(withProjectSuffix(QStringLiteral("/x/a")), QStringLiteral("/x/a.sfsproj"));
    EXPECT_EQ(withProjectSuffix(QStringLiteral("/x/a.sfsproj")), QStringLiteral("/x/a.sfsproj"));
    EXPECT_EQ(contentHash("abc"), QStringLiteral("ba7816bf8f01cfea414140de5dae2223"));
}
