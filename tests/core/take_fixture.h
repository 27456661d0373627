#pragma once
// A saved project with a keyframe image and a take whose frames are stored in its assets, for
// the take-export and reopen tests (core and GUI).

#include "sfs/core/media/frame.h"
#include "sfs/core/media/test_pattern.h"
#include "sfs/core/project/project_file.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QString>

#include <algorithm>
#include <vector>

namespace sfs::test {

struct TakeProject {
    QString path;      // <dir>/story.sfsproj
    QString assetsDir; // <dir>/story.sfsproj.assets
    core::Project project;
    std::vector<core::Frame> frames; // the take's stored frames
};

inline QImage toImage(const core::Frame& f) {
    QImage image(f.width(), f.height(), QImage::Format_RGB888);
    for (int y = 0; y < f.height(); ++y) {
        std::copy_n(f.constRow(y), 3 * f.width(), image.scanLine(y));
    }
    return image;
}

// Stores `image` as PNG under its content hash in `assetsDir`; returns the asset path.
inline QString storeImage(const QString& assetsDir, const QImage& image) {
    QByteArray bytes;
    {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
    }
    const QString relative = QStringLiteral("images/%1.png").arg(core::contentHash(bytes));
    QDir().mkpath(assetsDir + QStringLiteral("/images"));
    QFile f(QDir(assetsDir).filePath(relative));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) {
        return {};
    }
    return relative;
}

// A project in `folder` with two keyframes (sharing nothing), two prompts and two takes: "t1"
// (older, 9 frames) and "t2" (newer, `frameCount` frames of `size`), both stored as PNG folders.
inline TakeProject makeTakeProject(const QString& folder, QSize size = {320, 192},
                                   int frameCount = 21) {
    using namespace sfs::core;
    TakeProject t;
    t.path = QDir(folder).filePath(QStringLiteral("story.sfsproj"));
    t.assetsDir = assetsDirFor(t.path);
    Project& p = t.project;
    p.durationFrames = 21;
    p.settings.width = 320;
    p.settings.height = 192;
    p.settings.seed = 123456789;
    p.keyframes = {
        Keyframe{QStringLiteral("k1"), 0,
                 storeImage(t.assetsDir, toImage(makeTestPatternFrame(64, 48, 0, 7))),
                 QStringLiteral("first.png"), 1.0, FitMode::Cover, QStringLiteral("Start"), 2, 0.5,
                 1},
        Keyframe{QStringLiteral("k2"), 20,
                 storeImage(t.assetsDir, toImage(makeTestPatternFrame(48, 64, 3, 9))),
                 QStringLiteral("last.png"), 0.5, FitMode::Fit, QString(), 2, 0.5, 1},
    };
    p.prompts = {
        PromptSegment{QStringLiteral("p1"), 0, QStringLiteral("A paper boat, \"calm\"")},
        PromptSegment{QStringLiteral("p2"), 9, QStringLiteral("It drifts under a bridge")}};
    for (int n = 0; n < 2; ++n) {
        Take take;
        take.id = QStringLiteral("t%1").arg(n + 1);
        take.created =
            QDateTime::fromString(QStringLiteral("2026-03-04T05:06:07.089Z"), Qt::ISODateWithMs)
                .toUTC()
                .addSecs(60 * n);
        take.settings = p.settings;
        take.settings.seed = 1000 + n; // the take's own seed, not the project's current one
        take.durationFrames = 21;
        take.chunksCompleted = 2;
        take.framesPath = QStringLiteral("takes/%1/frames").arg(take.id);
        const QString frames = QDir(t.assetsDir).filePath(take.framesPath);
        QDir().mkpath(frames);
        const int count = n == 0 ? 9 : frameCount;
        for (int i = 0; i < count; ++i) {
            const Frame f = makeTestPatternFrame(size.width(), size.height(), i, 11 + n);
            toImage(f).save(QDir(frames).filePath(QStringLiteral("%1.png").arg(i)));
            if (n == 1) {
                t.frames.push_back(f);
            }
        }
        p.takes.push_back(take);
    }
    FileError error;
    writeProjectFile(p, t.path, error);
    return t;
}

} // namespace sfs::test
