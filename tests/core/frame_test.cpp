#include "sfs/core/media/export_options.h"
#include "sfs/core/media/frame.h"
#include "sfs/core/media/test_pattern.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace sfs::core {
namespace {

TEST(Frame, IsImplicitlySharedAndDetachesOnWrite) {
    Frame a(4, 2);
    EXPECT_EQ(a.stride(), 12);
    a.row(1)[3] = 200;
    const Frame b = a; // shares the pixels
    EXPECT_EQ(b.constData(), a.constData());
    a.row(1)[3] = 10; // detaches: b keeps its value
    EXPECT_NE(b.constData(), a.constData());
    EXPECT_EQ(b.constRow(1)[3], 200);
    EXPECT_EQ(a.constRow(1)[3], 10);
    EXPECT_TRUE(a != b);
}

TEST(Frame, FromRgbCopiesRowsAndIgnoresPaddingWhenComparing) {
    const std::uint8_t padded[2 * 8] = {1, 2, 3, 4, 5, 6, 99, 99, 7, 8, 9, 10, 11, 12, 77, 77};
    const Frame f = Frame::fromRgb(2, 2, 8, padded);
    EXPECT_EQ(f.stride(), 6);
    EXPECT_EQ(f.constRow(1)[0], 7);
    EXPECT_EQ(f.constRow(1)[5], 12);
    const std::uint8_t packed[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    EXPECT_TRUE(f == Frame::fromRgb(2, 2, 6, packed));
    EXPECT_THROW(Frame::fromRgb(2, 2, 5, packed), std::invalid_argument);
    EXPECT_THROW(Frame(0, 5), std::invalid_argument);
    EXPECT_THROW(Frame(40000, 5), std::invalid_argument);
    EXPECT_TRUE(Frame().isNull());
}

TEST(TestPattern, IsDeterministicAndMoves) {
    const Frame a = makeTestPatternFrame(64, 48, 3);
    EXPECT_TRUE(a == makeTestPatternFrame(64, 48, 3));
    EXPECT_TRUE(a != makeTestPatternFrame(64, 48, 4));
    EXPECT_TRUE(a != makeTestPatternFrame(64, 48, 3, 2));
}

TEST(FrameRate, ParsesFractionsIntegersAndNtscDecimals) {
    auto check = [](const char* text, int num, int den) {
        const FrameRate r = FrameRate::parse(QString::fromLatin1(text));
        EXPECT_EQ(r.num, num) << text;
        EXPECT_EQ(r.den, den) << text;
    };
    check("16", 16, 1);
    check("24000/1001", 24000, 1001);
    check("30/2", 15, 1);
    check("23.976", 24000, 1001);
    check("29.97", 30000, 1001);
    check("12.5", 25, 2);
    check("0", 0, 0);
    check("-5", 0, 0);
    check("fast", 0, 0);
    check("16/0", 0, 0);
    EXPECT_FALSE(FrameRate::parse("x").isValid());
    EXPECT_EQ((FrameRate{24000, 1001}).toString(), "24000/1001");
    EXPECT_EQ((FrameRate{16, 1}).toString(), "16");
}

TEST(ExportOptions, ScaledSizeKeepsTheAspectOrStretches) {
    WriterOptions o;
    EXPECT_EQ(scaledFrameSize({832, 480}, o), QSize(832, 480)); // no size set
    o.size = {416, 0};
    EXPECT_EQ(scaledFrameSize({832, 480}, o), QSize(416, 240));
    o.size = {0, 240};
    EXPECT_EQ(scaledFrameSize({832, 480}, o), QSize(416, 240));
    o.size = {640, 640};
    EXPECT_EQ(scaledFrameSize({832, 480}, o), QSize(640, 369)); // fits inside
    o.keepAspect = false;
    EXPECT_EQ(scaledFrameSize({832, 480}, o), QSize(640, 640));
    o.size = {-5, 10};
    EXPECT_TRUE(scaledFrameSize({832, 480}, o).isEmpty());
    o.size = {1, 0};
    EXPECT_TRUE(scaledFrameSize({832, 10}, o).isEmpty()); // height would round to 0
}

TEST(ExportOptions, RangeResolvesOrSaysWhy) {
    int first = -1;
    int last = -1;
    QString error;
    EXPECT_TRUE((FrameRange{}).resolve(81, &first, &last, &error));
    EXPECT_EQ(first, 0);
    EXPECT_EQ(last, 80);
    EXPECT_TRUE((FrameRange{10, 20}).resolve(81, &first, &last, &error));
    EXPECT_EQ(first, 10);
    EXPECT_EQ(last, 20);
    EXPECT_FALSE((FrameRange{10, 90}).resolve(81, &first, &last, &error));
    EXPECT_EQ(error, "the range 10–90 does not fit the 81 frames 0–80");
    EXPECT_FALSE((FrameRange{20, 10}).resolve(81, &first, &last, &error));
    EXPECT_FALSE((FrameRange{}).resolve(0, &first, &last, &error));
    EXPECT_EQ(error, "there are no frames to export");
}

TEST(ExportOptions, ImageFormatNamesRoundTrip) {
    for (ImageFormat f : {ImageFormat::Png8, ImageFormat::Png16, ImageFormat::Tiff8,
                          ImageFormat::Tiff16, ImageFormat::ExrHalf, ImageFormat::Jpeg}) {
        bool ok = false;
        EXPECT_EQ(parseImageFormat(imageFormatName(f), &ok), f);
        EXPECT_TRUE(ok);
        // The extension names the same family (8-bit where there are two).
        const ImageFormat byExtension = parseImageFormat(imageFormatExtension(f), &ok);
        EXPECT_TRUE(ok);
        EXPECT_EQ(imageFormatExtension(byExtension), imageFormatExtension(f));
    }
    bool ok = true;
    parseImageFormat("gif", &ok);
    EXPECT_FALSE(ok);
}

} // namespace
} // namespace sfs::core
