#pragma once
// Shared by the project tests: a project with every field set away from its default, and paths
// of the checked-in fixtures.

#include "sfs/core/project/project.h"

#include <QFile>
#include <QString>

namespace sfs::test {

inline QString testData(const QString& relative) {
    return QStringLiteral(SFS_TEST_DATA_DIR "/") + relative;
}

inline QString sampleProjectPath() {
    return QStringLiteral(SFS_SOURCE_DIR "/resources/examples/paper-boat.sfsproj");
}

inline QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// Every field differs from its default, including text that JSON must escape.
inline core::Project richProject() {
    using namespace sfs::core;
    Project p;
    p.durationFrames = 93;
    p.settings.width = 640;
    p.settings.height = 384;
    p.settings.seed = RenderSettings::kMaxSeed;
    p.settings.steps = {900, 600, 300};
    p.settings.decoder = Decoder::Taehv;
    p.settings.attentionWindow = 9;
    p.settings.sinkFrames = 3;
    p.settings.device = QStringLiteral("cuda:1");
    p.settings.modelFolder = QStringLiteral("/models/Wan2.1 \"self-forcing\"");
    p.keyframes = {
        Keyframe{QStringLiteral("k1"), 0, QStringLiteral("images/aaaa.png"),
                 QStringLiteral("start frame.png"), 1.0, FitMode::Cover, QString(), 0, 0.0, 0},
        Keyframe{QStringLiteral("k-mid"), 45, QStringLiteral("images/bbbb.jpg"),
                 QStringLiteral("Ünïcödé – 写真.jpg"), 0.3, FitMode::Fit,
                 QStringLiteral("middle \"beat\""), 3, 0.25, 2},
        Keyframe{QStringLiteral("k_end"), 92, QStringLiteral("images/cccc.exr"), QString(), 0.125,
                 FitMode::Stretch, QStringLiteral("end\tline\nsecond"), 2, 0.5, 1},
    };
    p.prompts = {
        PromptSegment{QStringLiteral("p1"), 0, QStringLiteral("A kite over a hill, 🌄")},
        PromptSegment{QStringLiteral("p2"), 21, QString()},
        PromptSegment{QStringLiteral("p3"), 60, QStringLiteral("Night \\ stars / \"quotes\"")},
    };
    Take complete;
    complete.id = QStringLiteral("t1");
    complete.created =
        QDateTime::fromString(QStringLiteral("2026-03-04T05:06:07.089Z"), Qt::ISODateWithMs)
            .toUTC();
    complete.settings = p.settings;
    complete.settings.seed = 17;
    complete.durationFrames = 81;
    complete.status = TakeStatus::Complete;
    complete.chunksCompleted = 7;
    complete.latentsPath = QStringLiteral("takes/t1/latents.safetensors");
    complete.framesPath = QStringLiteral("takes/t1/frames");
    Take stopped = complete;
    stopped.id = QStringLiteral("t2");
    stopped.created = complete.created.addSecs(3600);
    stopped.settings = RenderSettings{};
    stopped.durationFrames = 93;
    stopped.status = TakeStatus::Stopped;
    stopped.chunksCompleted = 2;
    stopped.latentsPath = QStringLiteral("takes/t2/latents.safetensors");
    stopped.framesPath.clear();
    stopped.parentTakeId = complete.id; // regenerated from t1's second chunk
    stopped.branchChunk = 1;
    p.takes = {complete, stopped};
    p.markers = {
        Marker{QStringLiteral("m1"), 10, QStringLiteral("Kite lifts – 凧")},
        Marker{QStringLiteral("m-blank"), 50, QString()},
        Marker{QStringLiteral("m_end"), 92, QStringLiteral("the \"end\"")},
    };
    return p;
}

} // namespace sfs::test
