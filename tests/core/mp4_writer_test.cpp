#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "media_test_support.h"
#include "sfs/core/media/encoders.h"
#include "sfs/core/media/mp4_writer.h"
#include "sfs/core/media/provenance_metadata.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace sfs::core {
namespace {

using testing::allEntries;
using testing::decodeVideo;
using testing::ffprobe;
using testing::firstVideoStream;
using testing::psnr;
using testing::testFrames;

class Mp4WriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir.isValid());
        if (!testing::haveFfprobe()) {
            GTEST_SKIP() << "ffprobe is not installed";
        }
    }
    QString path(const QString& name) const { return dir.filePath(name); }

    // Writes `frames` and finishes; the test fails with the writer's message otherwise.
    static void writeAll(Mp4Writer& writer, const std::vector<Frame>& frames,
                         FrameRate rate = {16, 1}) {
        ASSERT_TRUE(writer.begin({frames.front().size(), rate}))
            << writer.errorString().toStdString();
        for (const Frame& f : frames) {
            ASSERT_TRUE(writer.write(f)) << writer.errorString().toStdString();
        }
        ASSERT_TRUE(writer.finish()) << writer.errorString().toStdString();
    }

    QTemporaryDir dir;
};

// The boxes at the top level of an MP4, in file order.
QStringList topLevelBoxes(const QString& path) {
    QFile f(path);
    QStringList boxes;
    if (!f.open(QIODevice::ReadOnly)) {
        return boxes;
    }
    const QByteArray data = f.readAll();
    qsizetype pos = 0;
    while (pos + 8 <= data.size()) {
        quint64 size = (quint64(quint8(data[pos])) << 24) | (quint64(quint8(data[pos + 1])) << 16) |
                       (quint64(quint8(data[pos + 2])) << 8) | quint64(quint8(data[pos + 3]));
        boxes << QString::fromLatin1(data.mid(pos + 4, 4));
        if (size == 1 && pos + 16 <= data.size()) {
            size = 0;
            for (int i = 0; i < 8; ++i) {
                size = (size << 8) | quint8(data[pos + 8 + i]);
            }
        }
        if (size < 8) {
            break;
        }
        pos += qsizetype(size);
    }
    return boxes;
}

TEST_F(Mp4WriterTest, DefaultH264FileHasTheAdvertisedStreamProperties) {
    const auto frames = testFrames(832, 480, 48);
    VideoOptions options;
    options.metadata = {{"title", "Test clip"}, {"comment", "made by a test"}};
    Mp4Writer writer(path("clip.mp4"), options);
    writeAll(writer, frames);
    EXPECT_TRUE(writer.notices().isEmpty());

    const QJsonObject probe = ffprobe(path("clip.mp4"));
    const QJsonObject v = firstVideoStream(probe);
    EXPECT_EQ(v.value("codec_name").toString(), "h264");
    EXPECT_EQ(v.value("profile").toString(), "High");
    EXPECT_EQ(v.value("pix_fmt").toString(), "yuv420p");
    EXPECT_EQ(v.value("width").toInt(), 832);
    EXPECT_EQ(v.value("height").toInt(), 480);
    EXPECT_EQ(v.value("nb_read_frames").toString(), "48");
    EXPECT_EQ(v.value("nb_frames").toString(), "48");
    EXPECT_EQ(v.value("r_frame_rate").toString(), "16/1");
    EXPECT_EQ(v.value("avg_frame_rate").toString(), "16/1");
    EXPECT_DOUBLE_EQ(v.value("duration").toString().toDouble(), 3.0);
    EXPECT_EQ(v.value("color_range").toString(), "tv");
    EXPECT_EQ(v.value("color_space").toString(), "bt709");
    EXPECT_EQ(v.value("color_transfer").toString(), "bt709");
    EXPECT_EQ(v.value("color_primaries").toString(), "bt709");
    const QJsonObject tags = probe.value("format").toObject().value("tags").toObject();
    EXPECT_EQ(tags.value("title").toString(), "Test clip");
    EXPECT_EQ(tags.value("comment").toString(), "made by a test");
    EXPECT_FALSE(tags.value("creation_time").toString().isEmpty());

    // +faststart: the index (moov) comes before the media data (mdat).
    const QStringList boxes = topLevelBoxes(path("clip.mp4"));
    ASSERT_TRUE(boxes.contains("moov") && boxes.contains("mdat")) << boxes.join(' ').toStdString();
    EXPECT_LT(boxes.indexOf("moov"), boxes.indexOf("mdat")) << boxes.join(' ').toStdString();
    // Nothing else (no temporary file) is left in the folder.
    EXPECT_EQ(allEntries(dir.path()), QStringList{"clip.mp4"});
}

TEST_F(Mp4WriterTest, EveryFrameIsOnItsOwnTimestamp) {
    const auto frames = testFrames(160, 96, 20);
    Mp4Writer writer(path("ts.mp4"));
    writeAll(writer, frames);
    const QJsonObject probe =
        ffprobe(path("ts.mp4"), {"-select_streams", "v:0", "-show_entries", "frame=pts_time"});
    const QJsonArray list = probe.value("frames").toArray();
    ASSERT_EQ(list.size(), 20);
    for (int i = 0; i < list.size(); ++i) {
        EXPECT_DOUBLE_EQ(list[i].toObject().value("pts_time").toString().toDouble(), i / 16.0)
            << "frame " << i;
    }
}

TEST_F(Mp4WriterTest, NtscRateIsKeptExactly) {
    Mp4Writer writer(path("ntsc.mp4"));
    writeAll(writer, testFrames(96, 64, 10), FrameRate{24000, 1001});
    const QJsonObject v = firstVideoStream(ffprobe(path("ntsc.mp4")));
    EXPECT_EQ(v.value("r_frame_rate").toString(), "24000/1001");
    EXPECT_EQ(v.value("nb_read_frames").toString(), "10");
}

TEST_F(Mp4WriterTest, DecodedFramesMatchTheSourceAbove40dB) {
    const auto frames = testFrames(832, 480, 32, 7);
    Mp4Writer writer(path("q.mp4"));
    writeAll(writer, frames);
    const auto decoded = decodeVideo(path("q.mp4"));
    ASSERT_EQ(decoded.size(), frames.size());
    double worst = 99.0;
    double sum = 0.0;
    for (size_t i = 0; i < frames.size(); ++i) {
        const double p = psnr(frames[i], decoded[i]);
        worst = std::min(worst, p);
        sum += p;
    }
    std::printf("H.264 default (CRF 18, medium) 832x480: PSNR worst %.2f dB, mean %.2f dB\n", worst,
                sum / double(frames.size()));
    EXPECT_GE(worst, 40.0);
    // And the frames are in order: frame 5 matches itself far better than frame 20.
    EXPECT_GT(psnr(frames[5], decoded[5]), psnr(frames[20], decoded[5]) + 5.0);
}

TEST_F(Mp4WriterTest, ProvenanceJsonSurvivesAndReadsBack) {
    // A large provenance with non-ASCII text and nested structures, as a project would carry.
    QJsonObject provenance;
    provenance["seed"] = 1234567;
    provenance["model"] = "Wan2.1-T2V-1.3B self-forcing (sha256 9f…)";
    QJsonArray prompts;
    for (int i = 0; i < 400; ++i) {
        prompts.append(
            QStringLiteral("Prompt %1: ein Fuchs läuft durch den Schnee — 雪の中の狐 🦊 "
                           "with \"quotes\" and \\backslashes\\")
                .arg(i));
    }
    provenance["prompts"] = prompts;
    provenance["project"] = QJsonObject{{"version", 1}, {"fps", 16}, {"frames", 81}};
    const QByteArray json = QJsonDocument(provenance).toJson(QJsonDocument::Compact);
    ASSERT_GT(json.size(), 40000);

    VideoOptions options;
    options.provenanceJson = json;
    Mp4Writer writer(path("prov.mp4"), options);
    writeAll(writer, testFrames(64, 64, 4));

    QJsonObject back;
    QString error;
    ASSERT_TRUE(readProvenance(path("prov.mp4"), &back, &error)) << error.toStdString();
    EXPECT_EQ(back, provenance);

    const QJsonObject tags =
        ffprobe(path("prov.mp4")).value("format").toObject().value("tags").toObject();
    EXPECT_EQ(tags.value(kProvenanceMetadataKey).toString().toUtf8(), json);
}

TEST_F(Mp4WriterTest, ProvenanceThatIsNotAJsonObjectIsRefused) {
    VideoOptions options;
    options.provenanceJson = "{\"seed\": 1,";
    Mp4Writer writer(path("bad.mp4"), options);
    EXPECT_FALSE(writer.begin({{64, 64}, {16, 1}}));
    EXPECT_TRUE(writer.errorString().contains("bad.mp4")) << writer.errorString().toStdString();
    EXPECT_TRUE(writer.errorString().contains("not a JSON object"));
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, StoppedExportKeepsAPlayableFileWithEveryWrittenFrame) {
    const auto frames = testFrames(320, 192, 40);
    VideoOptions options;
    options.onCancel = PartialOutput::Keep;
    Mp4Writer writer(path("stopped.mp4"), options);
    ASSERT_TRUE(writer.begin({frames.front().size(), {16, 1}}));
    for (int i = 0; i < 17; ++i) {
        ASSERT_TRUE(writer.write(frames[size_t(i)]));
    }
    ASSERT_TRUE(writer.cancel()) << writer.errorString().toStdString();
    EXPECT_FALSE(writer.write(frames[17])); // stopped: later frames are not taken

    const QJsonObject v = firstVideoStream(ffprobe(path("stopped.mp4")));
    EXPECT_EQ(v.value("nb_read_frames").toString(), "17");
    const auto decoded = decodeVideo(path("stopped.mp4"));
    ASSERT_EQ(decoded.size(), 17u);
    EXPECT_GE(psnr(frames[16], decoded[16]), 40.0);
    EXPECT_EQ(allEntries(dir.path()), QStringList{"stopped.mp4"});
}

TEST_F(Mp4WriterTest, CancelledExportLeavesTheEarlierFileUntouched) {
    {
        QFile old(path("clip.mp4"));
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("the earlier export");
    }
    Mp4Writer writer(path("clip.mp4")); // PartialOutput::Remove is the default
    const auto frames = testFrames(160, 96, 6);
    ASSERT_TRUE(writer.begin({frames.front().size(), {16, 1}}));
    for (const Frame& f : frames) {
        ASSERT_TRUE(writer.write(f));
    }
    EXPECT_TRUE(writer.cancel());
    QFile old(path("clip.mp4"));
    ASSERT_TRUE(old.open(QIODevice::ReadOnly));
    EXPECT_EQ(old.readAll(), QByteArray("the earlier export"));
    EXPECT_EQ(allEntries(dir.path()), QStringList{"clip.mp4"});
}

TEST_F(Mp4WriterTest, FinishedExportReplacesTheEarlierFile) {
    {
        QFile old(path("clip.mp4"));
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("the earlier export");
    }
    Mp4Writer writer(path("clip.mp4"));
    writeAll(writer, testFrames(96, 64, 5));
    EXPECT_EQ(firstVideoStream(ffprobe(path("clip.mp4"))).value("nb_read_frames").toString(), "5");
    EXPECT_EQ(allEntries(dir.path()), QStringList{"clip.mp4"});
}

TEST_F(Mp4WriterTest, DestroyingAnUnfinishedWriterRemovesItsOutput) {
    {
        Mp4Writer writer(path("abandoned.mp4"));
        ASSERT_TRUE(writer.begin({{96, 64}, {16, 1}}));
        ASSERT_TRUE(writer.write(testFrames(96, 64, 1).front()));
    }
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, OddSizeIsPaddedByRepeatingTheEdge) {
    const auto frames = testFrames(417, 241, 6);
    Mp4Writer writer(path("odd.mp4"));
    writeAll(writer, frames);
    ASSERT_EQ(writer.notices().size(), 1);
    EXPECT_TRUE(writer.notices().front().contains("417×241 is odd"))
        << writer.notices().front().toStdString();
    EXPECT_TRUE(writer.notices().front().contains("padded to 418×242"));

    const QJsonObject v = firstVideoStream(ffprobe(path("odd.mp4")));
    EXPECT_EQ(v.value("width").toInt(), 418);
    EXPECT_EQ(v.value("height").toInt(), 242);
    const auto decoded = decodeVideo(path("odd.mp4"));
    ASSERT_EQ(decoded.size(), frames.size());
    EXPECT_GE(psnr(frames[3], decoded[3], 417, 241), 40.0);
    // The added column repeats the last one (up to coding noise).
    double diff = 0.0;
    for (int y = 0; y < 241; ++y) {
        for (int c = 0; c < 3; ++c) {
            diff += std::abs(int(decoded[3].constRow(y)[3 * 417 + c]) -
                             int(frames[3].constRow(y)[3 * 416 + c]));
        }
    }
    EXPECT_LT(diff / (241 * 3), 3.0);
}

TEST_F(Mp4WriterTest, ScalingKeepsTheAspectAndEvenSizes) {
    struct Case {
        QSize target;
        bool keepAspect;
        QSize expected;
    };
    const Case cases[] = {{{416, 0}, true, {416, 240}},
                          {{640, 640}, true, {640, 368}}, // 369.2 fits, rounded down to even
                          {{300, 301}, false, {300, 300}}};
    const auto frames = testFrames(832, 480, 3);
    for (const Case& c : cases) {
        VideoOptions options;
        options.size = c.target;
        options.keepAspect = c.keepAspect;
        const QString file =
            path(QStringLiteral("scaled_%1x%2.mp4").arg(c.target.width()).arg(c.target.height()));
        Mp4Writer writer(file, options);
        writeAll(writer, frames);
        const QJsonObject v = firstVideoStream(ffprobe(file));
        EXPECT_EQ(v.value("width").toInt(), c.expected.width()) << file.toStdString();
        EXPECT_EQ(v.value("height").toInt(), c.expected.height()) << file.toStdString();
    }
}

TEST_F(Mp4WriterTest, EveryAvailableEncoderWritesADecodableFile) {
    const auto frames = testFrames(416, 240, 8, 3);
    for (const VideoEncoderInfo& e : availableVideoEncoders()) {
        SCOPED_TRACE(e.name.toStdString());
        VideoOptions options;
        options.encoder = e.name;
        const QString file = path(e.name + "." + e.containers.first());
        Mp4Writer writer(file, options);
        writeAll(writer, frames);
        const QJsonObject v = firstVideoStream(ffprobe(file));
        EXPECT_EQ(v.value("codec_name").toString(), e.codec);
        EXPECT_EQ(v.value("pix_fmt").toString(), e.pixelFormat);
        EXPECT_EQ(v.value("nb_read_frames").toString(), "8");
        EXPECT_EQ(v.value("color_primaries").toString(), "bt709");
        const auto decoded = decodeVideo(file);
        ASSERT_EQ(decoded.size(), frames.size());
        double worst = 99.0;
        for (size_t i = 0; i < frames.size(); ++i) {
            worst = std::min(worst, psnr(frames[i], decoded[i]));
        }
        std::printf("%s default settings 416x240: worst PSNR %.2f dB\n", qPrintable(e.name), worst);
        EXPECT_GE(worst, 40.0);
        if (e.codec == "hevc") {
            EXPECT_EQ(v.value("codec_tag_string").toString(), "hvc1");
        }
    }
}

TEST_F(Mp4WriterTest, AvailableEncodersIncludeX264AndListWhatTheBuildHas) {
    const auto encoders = availableVideoEncoders();
    ASSERT_FALSE(encoders.isEmpty());
    EXPECT_EQ(encoders.front().name, "libx264");
    EXPECT_TRUE(availableVideoEncoderNames().startsWith("libx264"));
    EXPECT_FALSE(findVideoEncoder("libnothing").has_value());
    for (const VideoEncoderInfo& e : encoders) {
        EXPECT_NE(avcodec_find_encoder_by_name(e.name.toLatin1().constData()), nullptr);
    }
}

TEST_F(Mp4WriterTest, EncoderThatIsNotAvailableIsNamed) {
    VideoOptions options;
    options.encoder = "libnothing";
    Mp4Writer writer(path("x.mp4"), options);
    EXPECT_FALSE(writer.begin({{64, 64}, {16, 1}}));
    const std::string msg = writer.errorString().toStdString();
    EXPECT_NE(msg.find("x.mp4"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'libnothing' is not available"), std::string::npos) << msg;
    EXPECT_NE(msg.find("libx264"), std::string::npos) << msg; // lists the alternatives
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, BadOptionsAreRefusedWithTheReason) {
    struct Case {
        QString file;
        QString encoder;
        int crf;
        QString preset;
        const char* expected;
    };
    const Case cases[] = {
        {"a.avi", "libx264", -1, "", "not a video file type"},
        {"b.mp4", "libx264", 60, "", "CRF 60 is outside"},
        {"c.mp4", "libx264", -1, "warp9", "'warp9' is not a preset"},
        {"d.mp4", "prores_ks", -1, "", "cannot be stored in a .mp4 file; use .mov"},
        {"e.mov", "prores_ks", 20, "", "has no CRF"},
    };
    for (const Case& c : cases) {
        if (!findVideoEncoder(c.encoder)) {
            continue;
        }
        VideoOptions options;
        options.encoder = c.encoder;
        options.crf = c.crf;
        options.preset = c.preset;
        Mp4Writer writer(path(c.file), options);
        EXPECT_FALSE(writer.begin({{64, 64}, {16, 1}}));
        const std::string msg = writer.errorString().toStdString();
        EXPECT_NE(msg.find(c.file.toStdString()), std::string::npos) << msg;
        EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    }
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, FolderThatCannotBeMadeIsReported) {
    // Tests run as root, so permissions cannot make a folder unwritable; a path through a
    // regular file cannot be written by anyone.
    {
        QFile blocker(path("blocker"));
        ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    }
    Mp4Writer writer(path("blocker/sub/clip.mp4"));
    EXPECT_FALSE(writer.begin({{64, 64}, {16, 1}}));
    const std::string msg = writer.errorString().toStdString();
    EXPECT_NE(msg.find("blocker/sub/clip.mp4"), std::string::npos) << msg;
    EXPECT_NE(msg.find("is a file, not a folder"), std::string::npos) << msg;
    EXPECT_EQ(allEntries(dir.path()), QStringList{"blocker"});
}

TEST_F(Mp4WriterTest, MissingFoldersAreMadeAndRemovedAgainOnCancel) {
    {
        Mp4Writer writer(path("new/deeper/clip.mp4"));
        ASSERT_TRUE(writer.begin({{64, 64}, {16, 1}}));
        ASSERT_TRUE(QDir(path("new/deeper")).exists());
        writer.cancel();
    }
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
    Mp4Writer writer(path("new/deeper/clip.mp4"));
    writeAll(writer, testFrames(64, 64, 2));
    EXPECT_TRUE(QFile::exists(path("new/deeper/clip.mp4")));
}

TEST_F(Mp4WriterTest, FullDiskFailsWithAMessageAndLeavesNothing) {
    const QString file = path("full.mp4");
    const std::string message = testing::runWithFileSizeLimit(200 * 1024, [&] {
        VideoOptions options;
        options.crf = 0; // lossless: large frames reach the limit quickly
        Mp4Writer writer(file, options);
        if (!writer.begin({{320, 192}, {16, 1}})) {
            return "begin failed: " + writer.errorString().toStdString();
        }
        const auto frames = testFrames(320, 192, 4);
        for (int i = 0; i < 400; ++i) {
            if (!writer.write(frames[size_t(i % 4)])) {
                break;
            }
        }
        if (writer.finish()) {
            return std::string("finished although the file could not grow");
        }
        return writer.errorString().toStdString();
    });
    EXPECT_NE(message.find("full.mp4"), std::string::npos) << message;
    EXPECT_NE(message.find("file too large"), std::string::npos) << message;
    EXPECT_TRUE(allEntries(dir.path()).isEmpty()) << allEntries(dir.path()).join(' ').toStdString();
}

TEST_F(Mp4WriterTest, NoFramesMeansNoFileAndAMessage) {
    Mp4Writer writer(path("empty.mp4"));
    ASSERT_TRUE(writer.begin({{64, 64}, {16, 1}}));
    EXPECT_FALSE(writer.finish());
    EXPECT_TRUE(writer.errorString().contains("empty.mp4: no frames were written"))
        << writer.errorString().toStdString();
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, FrameOfTheWrongSizeEndsTheExport) {
    Mp4Writer writer(path("mixed.mp4"));
    ASSERT_TRUE(writer.begin({{64, 64}, {16, 1}}));
    ASSERT_TRUE(writer.write(testFrames(64, 64, 1).front()));
    EXPECT_FALSE(writer.write(testFrames(32, 32, 1).front()));
    EXPECT_TRUE(
        writer.errorString().contains("frame 1 is 32×32, but the export was started for 64×64"))
        << writer.errorString().toStdString();
    EXPECT_FALSE(writer.finish());
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, InvalidFormatIsRefused) {
    Mp4Writer a(path("a.mp4"));
    EXPECT_FALSE(a.begin({{0, 64}, {16, 1}}));
    EXPECT_TRUE(a.errorString().contains("not a valid size"));
    Mp4Writer b(path("b.mp4"));
    EXPECT_FALSE(b.begin({{64, 64}, {0, 1}}));
    EXPECT_TRUE(b.errorString().contains("not a valid rate"));
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(Mp4WriterTest, QueueIsBoundedAndTryWriteReportsAFullQueue) {
    VideoOptions options;
    options.queueCapacity = 2;
    options.preset = "slow";
    Mp4Writer writer(path("bounded.mp4"), options);
    const auto frames = testFrames(832, 480, 4);
    ASSERT_TRUE(writer.begin({frames.front().size(), {16, 1}}));
    int full = 0;
    int accepted = 0;
    int maxPending = 0;
    while (accepted < 30) {
        const auto status = writer.tryWrite(frames[size_t(accepted % 4)]);
        ASSERT_NE(status, QueuedFrameWriter::WriteStatus::Failed)
            << writer.errorString().toStdString();
        if (status == QueuedFrameWriter::WriteStatus::QueueFull) {
            ++full;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        } else {
            ++accepted;
        }
        // Queued frames plus the one being encoded.
        maxPending = std::max(maxPending, writer.framesWritten() - writer.framesEncoded());
    }
    ASSERT_TRUE(writer.finish()) << writer.errorString().toStdString();
    EXPECT_GT(full, 0);
    EXPECT_LE(maxPending, 3);
    EXPECT_EQ(writer.framesEncoded(), 30);
}

TEST_F(Mp4WriterTest, CancelFromAnotherThreadWakesABlockedProducer) {
    VideoOptions options;
    options.queueCapacity = 1;
    options.preset = "veryslow";
    Mp4Writer writer(path("woken.mp4"), options);
    const auto frames = testFrames(832, 480, 2);
    ASSERT_TRUE(writer.begin({frames.front().size(), {16, 1}}));
    std::atomic<int> written{0};
    std::thread producer([&] {
        for (int i = 0; i < 10000; ++i) {
            if (!writer.write(frames[size_t(i % 2)])) {
                return;
            }
            ++written;
        }
    });
    while (written < 3) {
        std::this_thread::yield();
    }
    EXPECT_TRUE(writer.cancel());
    producer.join(); // returns: the blocked write() gave up
    EXPECT_LT(written.load(), 10000);
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

} // namespace
} // namespace sfs::core

#endif // SFS_WITH_MEDIA
