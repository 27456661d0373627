#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "media_test_support.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/media/image_sequence_writer.h"
#include "sfs/core/media/provenance_metadata.h"

#include <OpenImageIO/imageio.h>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <cmath>

namespace sfs::core {
namespace {

using testing::allEntries;
using testing::psnr;
using testing::testFrames;

class ImageSequenceWriterTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir.isValid()); }
    QString path(const QString& name) const { return dir.filePath(name); }

    static void writeAll(ImageSequenceWriter& writer, const std::vector<Frame>& frames) {
        ASSERT_TRUE(writer.begin({frames.front().size(), {16, 1}}))
            << writer.errorString().toStdString();
        for (const Frame& f : frames) {
            ASSERT_TRUE(writer.write(f)) << writer.errorString().toStdString();
        }
        ASSERT_TRUE(writer.finish()) << writer.errorString().toStdString();
    }

    QTemporaryDir dir;
};

// Pixels of an image file as stored (no conversion), with its channel count and type.
template <typename T>
std::vector<T> readRaw(const QString& file, OIIO::TypeDesc type, OIIO::ImageSpec* specOut) {
    auto in = OIIO::ImageInput::open(file.toStdString());
    EXPECT_TRUE(in) << file.toStdString();
    if (!in) {
        return {};
    }
    *specOut = in->spec();
    std::vector<T> pixels(size_t(specOut->width) * specOut->height * specOut->nchannels);
    EXPECT_TRUE(in->read_image(0, 0, 0, specOut->nchannels, type, pixels.data()));
    return pixels;
}

QByteArray fileBytes(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

TEST_F(ImageSequenceWriterTest, Png8FramesReadBackExactlyWithSidecar) {
    const auto frames = testFrames(80, 48, 5);
    ImageSequenceOptions options;
    options.provenanceJson = R"({"seed": 42, "prompts": ["a red fox"]})";
    ImageSequenceWriter writer(path("shot/frame_%04d.png"), options);
    writeAll(writer, frames);

    EXPECT_EQ(allEntries(path("shot")),
              (QStringList{"frame.sfstudio.json", "frame_0000.png", "frame_0001.png",
                           "frame_0002.png", "frame_0003.png", "frame_0004.png"}));
    for (int i = 0; i < 5; ++i) {
        QString error;
        const Frame back = readImageFile(
            path(QStringLiteral("shot/frame_%1.png").arg(i, 4, 10, QLatin1Char('0'))), &error);
        ASSERT_FALSE(back.isNull()) << error.toStdString();
        EXPECT_TRUE(back == frames[size_t(i)]) << "frame " << i;
    }
    const QJsonObject sidecar =
        QJsonDocument::fromJson(fileBytes(path("shot/frame.sfstudio.json"))).object();
    const QJsonObject about = sidecar.value("sfstudio").toObject();
    EXPECT_EQ(about.value("frameCount").toInt(), 5);
    EXPECT_EQ(about.value("frameRate").toString(), "16");
    EXPECT_EQ(about.value("pattern").toString(), "frame_%04d.png");
    EXPECT_EQ(about.value("width").toInt(), 80);
    EXPECT_EQ(about.value("format").toString(), "png8");

    QJsonObject provenance;
    QString error;
    ASSERT_TRUE(
        readProvenance(sequenceSidecarPath(path("shot/frame_%04d.png")), &provenance, &error))
        << error.toStdString();
    EXPECT_EQ(provenance.value("seed").toInt(), 42);
    EXPECT_EQ(provenance.value("prompts").toArray().first().toString(), "a red fox");
}

TEST_F(ImageSequenceWriterTest, SixteenBitFilesHoldTheEightBitValuesTimes257) {
    const auto frames = testFrames(40, 24, 2);
    for (const auto& [format, pattern] :
         {std::pair{ImageFormat::Png16, QString("png16_%02d.png")},
          std::pair{ImageFormat::Tiff16, QString("tiff16_%02d.tif")}}) {
        ImageSequenceOptions options;
        options.format = format;
        ImageSequenceWriter writer(path(pattern), options);
        writeAll(writer, frames);
        OIIO::ImageSpec spec;
        const auto pixels = readRaw<std::uint16_t>(path(pattern).replace("%02d", "01"),
                                                   OIIO::TypeDesc::UINT16, &spec);
        ASSERT_EQ(spec.format, OIIO::TypeDesc::UINT16) << pattern.toStdString();
        ASSERT_EQ(spec.nchannels, 3);
        bool exact = true;
        for (int y = 0; y < 24; ++y) {
            for (int i = 0; i < 3 * 40; ++i) {
                exact = exact && pixels[size_t(y) * 120 + i] == frames[1].constRow(y)[i] * 257;
            }
        }
        EXPECT_TRUE(exact) << pattern.toStdString();
    }
}

TEST_F(ImageSequenceWriterTest, Tiff8IsLossless) {
    const auto frames = testFrames(40, 24, 2);
    ImageSequenceWriter writer(path("t_####.tiff"));
    writeAll(writer, frames);
    QString error;
    EXPECT_TRUE(readImageFile(path("t_0001.tiff"), &error) == frames[1]) << error.toStdString();
}

TEST_F(ImageSequenceWriterTest, ExrHoldsLinearLightWithinHalfPrecision) {
    const auto frames = testFrames(64, 32, 2);
    ImageSequenceWriter writer(path("lin_%03d.exr"));
    writeAll(writer, frames);

    OIIO::ImageSpec spec;
    const auto pixels = readRaw<float>(path("lin_001.exr"), OIIO::TypeDesc::FLOAT, &spec);
    EXPECT_EQ(spec.format, OIIO::TypeDesc::HALF);
    ASSERT_EQ(spec.nchannels, 3);
    double worstRelative = 0.0;
    for (int y = 0; y < 32; ++y) {
        for (int i = 0; i < 3 * 64; ++i) {
            const double v = frames[1].constRow(y)[i] / 255.0;
            const double expected = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            const double got = pixels[size_t(y) * 192 + i];
            worstRelative =
                std::max(worstRelative, std::abs(got - expected) / std::max(expected, 1e-4));
        }
    }
    EXPECT_LE(worstRelative, std::ldexp(1.0, -11)); // half: 11 significant bits, rounded
    // Tagged as linear Rec.709.
    const OIIO::ParamValue* chroma = spec.find_attribute("chromaticities");
    ASSERT_NE(chroma, nullptr);
    const float* c = static_cast<const float*>(chroma->data());
    EXPECT_FLOAT_EQ(c[0], 0.64f);
    EXPECT_FLOAT_EQ(c[7], 0.3290f);
    // Read back through the sRGB encode: the original 8-bit values exactly.
    QString error;
    EXPECT_TRUE(readImageFile(path("lin_001.exr"), &error) == frames[1]) << error.toStdString();
}

TEST_F(ImageSequenceWriterTest, JpegQualityIsApplied) {
    const auto frames = testFrames(160, 96, 1);
    qint64 sizes[2] = {};
    double quality[2] = {};
    int k = 0;
    for (int q : {95, 40}) {
        ImageSequenceOptions options;
        options.jpegQuality = q;
        const QString pattern = path(QStringLiteral("q%1_%04d.jpg").arg(q));
        ImageSequenceWriter writer(pattern, options);
        writeAll(writer, frames);
        const QString file = path(QStringLiteral("q%1_0000.jpg").arg(q));
        sizes[k] = QFileInfo(file).size();
        QString error;
        quality[k] = psnr(frames[0], readImageFile(file, &error));
        ++k;
    }
    EXPECT_GT(sizes[0], sizes[1] * 3 / 2);
    EXPECT_GE(quality[0], 38.0);
    EXPECT_GT(quality[0], quality[1] + 3.0);
}

TEST_F(ImageSequenceWriterTest, HashPatternAndFirstNumber) {
    ImageSequenceOptions options;
    options.firstNumber = 998;
    ImageSequenceWriter writer(path("take-###.png"), options);
    writeAll(writer, testFrames(16, 16, 3));
    EXPECT_EQ(allEntries(dir.path()),
              (QStringList{"take-1000.png", "take-998.png", "take-999.png", "take.sfstudio.json"}));
}

TEST_F(ImageSequenceWriterTest, FinishReplacesTheEarlierSequenceAsAWhole) {
    QDir().mkpath(path("seq"));
    for (int i = 0; i < 10; ++i) {
        QFile f(path(QStringLiteral("seq/f_%1.png").arg(i, 4, 10, QLatin1Char('0'))));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("old");
    }
    {
        QFile notes(path("seq/notes.txt"));
        ASSERT_TRUE(notes.open(QIODevice::WriteOnly));
        notes.write("mine");
    }
    ImageSequenceWriter writer(path("seq/f_%04d.png"));
    const auto frames = testFrames(16, 16, 4);
    writeAll(writer, frames);
    EXPECT_EQ(allEntries(path("seq")), (QStringList{"f.sfstudio.json", "f_0000.png", "f_0001.png",
                                                    "f_0002.png", "f_0003.png", "notes.txt"}));
    EXPECT_EQ(fileBytes(path("seq/notes.txt")), QByteArray("mine"));
    QString error;
    EXPECT_TRUE(readImageFile(path("seq/f_0003.png"), &error) == frames[3]);
}

TEST_F(ImageSequenceWriterTest, CancelLeavesTheEarlierSequenceUntouched) {
    ImageSequenceWriter first(path("s/a_%02d.png"));
    writeAll(first, testFrames(16, 16, 3, 1));
    const QByteArray before = fileBytes(path("s/a_02.png"));

    ImageSequenceWriter second(path("s/a_%02d.png"));
    ASSERT_TRUE(second.begin({{16, 16}, {16, 1}}));
    for (const Frame& f : testFrames(16, 16, 5, 2)) {
        ASSERT_TRUE(second.write(f));
    }
    EXPECT_TRUE(second.cancel());
    EXPECT_EQ(allEntries(path("s")),
              (QStringList{"a.sfstudio.json", "a_00.png", "a_01.png", "a_02.png"}));
    EXPECT_EQ(fileBytes(path("s/a_02.png")), before);
}

TEST_F(ImageSequenceWriterTest, CancelWithKeepInstallsTheFramesWrittenSoFar) {
    ImageSequenceOptions options;
    options.onCancel = PartialOutput::Keep;
    ImageSequenceWriter writer(path("k_%02d.png"), options);
    ASSERT_TRUE(writer.begin({{16, 16}, {16, 1}}));
    for (const Frame& f : testFrames(16, 16, 3)) {
        ASSERT_TRUE(writer.write(f));
    }
    EXPECT_TRUE(writer.cancel());
    EXPECT_EQ(allEntries(dir.path()),
              (QStringList{"k.sfstudio.json", "k_00.png", "k_01.png", "k_02.png"}));
    const QJsonObject sidecar =
        QJsonDocument::fromJson(fileBytes(path("k.sfstudio.json"))).object();
    EXPECT_EQ(sidecar.value("sfstudio").toObject().value("frameCount").toInt(), 3);
}

TEST_F(ImageSequenceWriterTest, ScalingKeepsTheAspect) {
    ImageSequenceOptions options;
    options.size = QSize(40, 0);
    ImageSequenceWriter writer(path("small_%d.png"), options);
    writeAll(writer, testFrames(80, 48, 1));
    QString error;
    const Frame back = readImageFile(path("small_0.png"), &error);
    EXPECT_EQ(back.size(), QSize(40, 24));
}

TEST_F(ImageSequenceWriterTest, FullDiskFailsWithAMessageAndKeepsTheEarlierSequence) {
    ImageSequenceWriter first(path("full/f_%04d.png"));
    writeAll(first, testFrames(16, 16, 2));
    const QByteArray before = fileBytes(path("full/f_0001.png"));
    const QString pattern = path("full/f_%04d.png");
    // Each 256×256 frame is far above 8 KiB as PNG; the limit applies per file.
    const std::string message = testing::runWithFileSizeLimit(8 * 1024, [&] {
        ImageSequenceWriter writer(pattern);
        if (!writer.begin({{256, 256}, {16, 1}})) {
            return "begin failed: " + writer.errorString().toStdString();
        }
        for (const Frame& f : testFrames(256, 256, 3)) {
            if (!writer.write(f)) {
                break;
            }
        }
        if (writer.finish()) {
            return std::string("finished although no file could grow");
        }
        return writer.errorString().toStdString();
    });
    EXPECT_NE(message.find("full/f_0000.png"), std::string::npos) << message;
    EXPECT_NE(message.find("file too large"), std::string::npos) << message;
    EXPECT_EQ(allEntries(path("full")),
              (QStringList{"f.sfstudio.json", "f_0000.png", "f_0001.png"}));
    EXPECT_EQ(fileBytes(path("full/f_0001.png")), before);
}

TEST_F(ImageSequenceWriterTest, UnwritableFolderIsReported) {
    {
        QFile blocker(path("blocker"));
        ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    }
    ImageSequenceWriter writer(path("blocker/f_%04d.png"));
    EXPECT_FALSE(writer.begin({{16, 16}, {16, 1}}));
    const std::string msg = writer.errorString().toStdString();
    EXPECT_NE(msg.find("blocker/f_%04d.png"), std::string::npos) << msg;
    EXPECT_NE(msg.find("is a file, not a folder"), std::string::npos) << msg;
    EXPECT_EQ(allEntries(dir.path()), QStringList{"blocker"});
}

TEST_F(ImageSequenceWriterTest, BadPatternsAndOptionsAreRefused) {
    struct Case {
        QString pattern;
        ImageFormat format;
        int quality;
        const char* expected;
    };
    const Case cases[] = {
        {"frame.png", ImageFormat::Auto, 95, "needs exactly one frame number"},
        {"f_%04d_%04d.png", ImageFormat::Auto, 95, "needs exactly one frame number"},
        {"f_%04d.gif", ImageFormat::Auto, 95, "'.gif' is not an image type"},
        {"f_%04d.png", ImageFormat::ExrHalf, 95, "'.png' does not fit the format exr"},
        {"f_%04d.jpg", ImageFormat::Auto, 0, "JPEG quality 0 is outside 1–100"},
    };
    for (const Case& c : cases) {
        ImageSequenceOptions options;
        options.format = c.format;
        options.jpegQuality = c.quality;
        ImageSequenceWriter writer(path(c.pattern), options);
        EXPECT_FALSE(writer.begin({{16, 16}, {16, 1}}));
        const std::string msg = writer.errorString().toStdString();
        EXPECT_NE(msg.find(c.pattern.toStdString()), std::string::npos) << msg;
        EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    }
    EXPECT_TRUE(allEntries(dir.path()).isEmpty());
}

TEST_F(ImageSequenceWriterTest, NoFramesMeansNoFilesAndAMessage) {
    ImageSequenceWriter writer(path("out/e_%04d.png"));
    ASSERT_TRUE(writer.begin({{16, 16}, {16, 1}}));
    EXPECT_FALSE(writer.finish());
    EXPECT_TRUE(writer.errorString().contains("no frames were written"))
        << writer.errorString().toStdString();
    EXPECT_TRUE(allEntries(dir.path()).isEmpty()) << allEntries(dir.path()).join(' ').toStdString();
}

TEST(SequenceSidecar, NameComesFromThePatternPrefix) {
    EXPECT_TRUE(sequenceSidecarPath("/x/shot_%04d.png").endsWith("/x/shot.sfstudio.json"));
    EXPECT_TRUE(sequenceSidecarPath("/x/%04d.exr").endsWith("/x/sequence.sfstudio.json"));
    EXPECT_TRUE(sequenceSidecarPath("/x/a-b.####.tif").endsWith("/x/a-b.sfstudio.json"));
    EXPECT_TRUE(sequenceSidecarPath("/x/nonumber.png").isEmpty());
}

} // namespace
} // namespace sfs::core

#endif // SFS_WITH_MEDIA
