// Image import: every supported format decodes with the right size and pixels (8 and 16 bit,
// float EXR, alpha, EXIF orientation), originals land in the assets under their content hash,
// and fitting to the project resolution crops, pads or stretches as asked.

#include "file_limit_support.h"
#include "project_fixtures.h"
#include "sfs/build_config.h"
#include "sfs/core/media/frame_source.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/keyframe_image.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#if SFS_WITH_MEDIA
#include <OpenImageIO/imageio.h>
#endif

#include <array>
#include <cmath>
#include <functional>

using namespace sfs::core;
using Rgb = std::array<int, 3>;

namespace {

Rgb at(const Frame& image, int x, int y) {
    const uint8_t* p = image.constRow(y) + 3 * x;
    return {p[0], p[1], p[2]};
}

Frame solid(int w, int h, Rgb c) {
    Frame image(w, h);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            for (int k = 0; k < 3; ++k) {
                image.row(y)[3 * x + k] = static_cast<uint8_t>(c[k]);
            }
        }
    }
    return image;
}

} // namespace

TEST(FitImage, CoverCropsFitPadsStretchScales) {
    // 200 × 100: red left half, blue right half.
    Frame src = solid(200, 100, {255, 0, 0});
    for (int y = 0; y < 100; ++y) {
        for (int x = 100; x < 200; ++x) {
            uint8_t* p = src.row(y) + 3 * x;
            p[0] = 0;
            p[2] = 255;
        }
    }
    const Frame cover = fitImage(src, 100, 100, FitMode::Cover);
    ASSERT_EQ(cover.width(), 100);
    ASSERT_EQ(cover.height(), 100);
    // The centre 100 × 100 of the source, unscaled: columns 50..149.
    for (int x = 0; x < 100; ++x) {
        EXPECT_EQ(at(cover, x, 50), x < 50 ? Rgb({255, 0, 0}) : Rgb({0, 0, 255})) << x;
    }

    const Frame fit = fitImage(src, 100, 100, FitMode::Fit);
    ASSERT_EQ(fit.width(), 100);
    // Scaled to 100 × 50 in rows 25..74, black bars above and below.
    EXPECT_EQ(at(fit, 10, 0), Rgb({0, 0, 0}));
    EXPECT_EQ(at(fit, 10, 24), Rgb({0, 0, 0}));
    EXPECT_EQ(at(fit, 10, 25), Rgb({255, 0, 0}));
    EXPECT_EQ(at(fit, 90, 74), Rgb({0, 0, 255}));
    EXPECT_EQ(at(fit, 90, 75), Rgb({0, 0, 0}));
    EXPECT_EQ(at(fit, 48, 50), Rgb({255, 0, 0}));
    EXPECT_EQ(at(fit, 51, 50), Rgb({0, 0, 255}));

    const Frame stretch = fitImage(src, 100, 100, FitMode::Stretch);
    EXPECT_EQ(at(stretch, 48, 0), Rgb({255, 0, 0}));
    EXPECT_EQ(at(stretch, 51, 99), Rgb({0, 0, 255}));
    // The boundary is blended, not aliased: the two columns around it mix both colours.
    EXPECT_GT(at(stretch, 49, 50)[0], 0);
    EXPECT_GT(at(stretch, 49, 50)[2], 0);
}

TEST(FitImage, SolidColoursStayExactAtAnyScale) {
    for (FitMode mode : {FitMode::Cover, FitMode::Fit, FitMode::Stretch}) {
        for (auto [w, h] : {std::pair{37, 23}, std::pair{1, 1}, std::pair{3000, 7}}) {
            const Frame out = fitImage(solid(w, h, {12, 200, 99}), 832, 480, mode);
            ASSERT_EQ(out.width(), 832);
            ASSERT_EQ(out.height(), 480);
            EXPECT_EQ(at(out, 416, 240), Rgb({12, 200, 99}));
            if (mode != FitMode::Fit) {
                EXPECT_EQ(at(out, 0, 0), Rgb({12, 200, 99}));
                EXPECT_EQ(at(out, 831, 479), Rgb({12, 200, 99}));
            }
        }
    }
}

TEST(FitImage, SameSizeIsAnExactCopy) {
    Frame src = solid(64, 48, {0, 0, 0});
    for (size_t i = 0; i < size_t(src.stride()) * src.height(); ++i) {
        src.data()[i] = static_cast<uint8_t>((i * 37) % 251);
    }
    for (FitMode mode : {FitMode::Cover, FitMode::Fit, FitMode::Stretch}) {
        EXPECT_TRUE(fitImage(src, 64, 48, mode) == src);
    }
    EXPECT_TRUE(fitImage(Frame{}, 10, 10, FitMode::Cover).isNull());
}

#if SFS_WITH_MEDIA

namespace {

::testing::AssertionResult near(Rgb got, Rgb want, int tolerance) {
    for (int k = 0; k < 3; ++k) {
        if (std::abs(got[k] - want[k]) > tolerance) {
            return ::testing::AssertionFailure()
                   << "got (" << got[0] << ", " << got[1] << ", " << got[2] << "), want ("
                   << want[0] << ", " << want[1] << ", " << want[2] << ") ± " << tolerance;
        }
    }
    return ::testing::AssertionSuccess();
}

// Writes `pixels` (float, nchannels per pixel) as `path` in `type`, with extra attributes.
bool writeImage(const QString& path, int w, int h, int nchannels, OIIO::TypeDesc type,
                const std::vector<float>& pixels,
                const std::function<void(OIIO::ImageSpec&)>& extra = nullptr) {
    OIIO::ImageSpec spec(w, h, nchannels, type);
    if (nchannels == 4) {
        spec.alpha_channel = 3;
    }
    if (nchannels == 2) {
        spec.alpha_channel = 1;
    }
    if (spec.alpha_channel >= 0 && !type.is_floating_point()) {
        // Write our values as given (PNG and TIFF store unassociated alpha) rather than as
        // OpenImageIO's default, premultiplied input.
        spec.attribute("oiio:UnassociatedAlpha", 1);
    }
    if (extra) {
        extra(spec);
    }
    auto out = OIIO::ImageOutput::create(path.toStdString());
    if (!out || !out->open(path.toStdString(), spec)) {
        return false;
    }
    const bool ok = out->write_image(OIIO::TypeDesc::FLOAT, pixels.data());
    return out->close() && ok;
}

// A w × h RGB pattern whose pixels all differ: (x*40 + 10, y*40 + 20, (x+y)*20 + 5) / 255.
std::vector<float> pattern(int w, int h) {
    std::vector<float> px;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            px.push_back((x * 40 + 10) / 255.0f);
            px.push_back((y * 40 + 20) / 255.0f);
            px.push_back(((x + y) * 20 + 5) / 255.0f);
        }
    }
    return px;
}

Rgb patternAt(int x, int y) {
    return {x * 40 + 10, y * 40 + 20, (x + y) * 20 + 5};
}

class ImageImport : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir.isValid()); }
    QString path(const QString& name) const { return dir.filePath(name); }
    QString assets() const { return dir.filePath(QStringLiteral("p.sfsproj.assets")); }

    // Imports `file`: checks the asset's name and bytes, returns the decoded asset.
    Frame importAndDecode(const QString& file, int w, int h) {
        ImportedImage imported;
        QString error;
        EXPECT_TRUE(importImage(file, assets(), imported, error)) << error.toStdString();
        const QByteArray original = sfs::test::readAll(file);
        const QString suffix = QFileInfo(file).suffix().toLower();
        EXPECT_EQ(imported.assetPath,
                  QStringLiteral("images/%1.%2").arg(contentHash(original), suffix));
        EXPECT_EQ(imported.sourceName, QFileInfo(file).fileName());
        EXPECT_EQ(imported.width, w);
        EXPECT_EQ(imported.height, h);
        const QString stored = QDir(assets()).filePath(imported.assetPath);
        EXPECT_EQ(sfs::test::readAll(stored), original) << "the original bytes are kept";
        const Frame image = readImageFile(stored, &error, ImageFormats::Importable);
        EXPECT_FALSE(image.isNull()) << error.toStdString();
        EXPECT_EQ(image.width(), w);
        EXPECT_EQ(image.height(), h);
        return image;
    }

    QTemporaryDir dir;
};

} // namespace

TEST_F(ImageImport, SupportedFormatsIncludeTheCoreFour) {
    const QStringList suffixes = importableImageSuffixes();
    for (const char* s : {"png", "jpg", "jpeg", "tif", "tiff", "exr"}) {
        EXPECT_TRUE(suffixes.contains(QString::fromLatin1(s))) << s;
    }
    EXPECT_TRUE(imageSupportAvailable());
    EXPECT_TRUE(imageFileDialogFilter(QStringLiteral("Images"))
                    .startsWith(QStringLiteral("Images (*.png")));
}

TEST_F(ImageImport, LosslessEightBitFormatsKeepEveryPixel) {
    QStringList files = {QStringLiteral("a.png"), QStringLiteral("a.tif")};
    for (const char* optional : {"bmp"}) {
        if (importableImageSuffixes().contains(QString::fromLatin1(optional))) {
            files << QStringLiteral("a.") + QString::fromLatin1(optional);
        }
    }
    for (const QString& name : files) {
        SCOPED_TRACE(name.toStdString());
        ASSERT_TRUE(writeImage(path(name), 5, 3, 3, OIIO::TypeDesc::UINT8, pattern(5, 3)));
        const Frame image = importAndDecode(path(name), 5, 3);
        for (int y = 0; y < 3; ++y) {
            for (int x = 0; x < 5; ++x) {
                EXPECT_EQ(at(image, x, y), patternAt(x, y)) << x << "," << y;
            }
        }
    }
}

// OpenImageIO writes JPEG and WebP lossy only; flat 16 × 16 blocks survive almost unchanged.
TEST_F(ImageImport, LossyFormatsKeepTheirColoursWithinCompressionError) {
    std::vector<float> px;
    const Rgb colours[2] = {{200, 40, 40}, {30, 90, 220}};
    for (int y = 0; y < 32; ++y) {
        for (int x = 0; x < 64; ++x) {
            const Rgb& c = colours[(x / 32 + y / 16) % 2];
            for (int k = 0; k < 3; ++k) {
                px.push_back(c[k] / 255.0f);
            }
        }
    }
    QStringList files = {QStringLiteral("a.jpg")};
    if (importableImageSuffixes().contains(QStringLiteral("webp"))) {
        files << QStringLiteral("a.webp");
    }
    for (const QString& name : files) {
        SCOPED_TRACE(name.toStdString());
        ASSERT_TRUE(writeImage(path(name), 64, 32, 3, OIIO::TypeDesc::UINT8, px,
                               [](OIIO::ImageSpec& s) { s.attribute("CompressionQuality", 95); }));
        const Frame image = importAndDecode(path(name), 64, 32);
        EXPECT_TRUE(near(at(image, 8, 8), colours[0], 6));
        EXPECT_TRUE(near(at(image, 40, 8), colours[1], 6));
        EXPECT_TRUE(near(at(image, 8, 24), colours[1], 6));
        EXPECT_TRUE(near(at(image, 40, 24), colours[0], 6));
    }
}

TEST_F(ImageImport, SixteenBitBecomesEightBitWithRounding) {
    // 16-bit 257·k is exactly 8-bit k; 25828 is 100.498 in 8-bit terms.
    const std::vector<float> px = {257 * 200 / 65535.0f, 25828 / 65535.0f, 1.0f, 0.0f,
                                   257 * 1 / 65535.0f,   32768 / 65535.0f};
    for (const char* name : {"b.png", "b.tif"}) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(
            writeImage(path(QString::fromLatin1(name)), 2, 1, 3, OIIO::TypeDesc::UINT16, px));
        const Frame image = importAndDecode(path(QString::fromLatin1(name)), 2, 1);
        EXPECT_EQ(at(image, 0, 0), Rgb({200, 100, 255}));
        EXPECT_EQ(at(image, 1, 0), Rgb({0, 1, 128}));
    }
}

TEST_F(ImageImport, AlphaIsCompositedOnBlack) {
    // RGBA: opaque, half transparent, fully transparent.
    const std::vector<float> px = {200 / 255.f, 100 / 255.f, 50 / 255.f, 1.0f,
                                   200 / 255.f, 100 / 255.f, 50 / 255.f, 128 / 255.f,
                                   1.0f,        1.0f,        1.0f,       0.0f};
    for (const char* name : {"c.png", "c.tif"}) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(
            writeImage(path(QString::fromLatin1(name)), 3, 1, 4, OIIO::TypeDesc::UINT8, px));
        const Frame image = importAndDecode(path(QString::fromLatin1(name)), 3, 1);
        EXPECT_EQ(at(image, 0, 0), Rgb({200, 100, 50}));
        EXPECT_EQ(at(image, 1, 0), Rgb({100, 50, 25})); // ·128/255
        EXPECT_EQ(at(image, 2, 0), Rgb({0, 0, 0}));
    }
    // Grey + alpha.
    ASSERT_TRUE(writeImage(path(QStringLiteral("g.png")), 2, 1, 2, OIIO::TypeDesc::UINT8,
                           {200 / 255.f, 1.0f, 200 / 255.f, 51 / 255.f}));
    const Frame grey = importAndDecode(path(QStringLiteral("g.png")), 2, 1);
    EXPECT_EQ(at(grey, 0, 0), Rgb({200, 200, 200}));
    EXPECT_EQ(at(grey, 1, 0), Rgb({40, 40, 40})); // 200·51/255
}

TEST_F(ImageImport, FloatExrIsLinearAndEncodedToSrgb) {
    // Linear 0.18 and 0.5 are sRGB 118 and 188; above 1 clamps to white; EXR alpha is
    // premultiplied, so a half-transparent linear 0.5 is stored as 0.25 -> sRGB 137.
    const std::vector<float> px = {0.0f,  0.18f, 0.5f,  1.0f, //
                                   1.0f,  2.0f,  -1.0f, 1.0f, //
                                   0.25f, 0.25f, 0.25f, 0.5f};
    for (OIIO::TypeDesc type : {OIIO::TypeDesc::HALF, OIIO::TypeDesc::FLOAT}) {
        SCOPED_TRACE(type.c_str());
        const QString file =
            path(QStringLiteral("d_%1.exr").arg(QString::fromLatin1(type.c_str())));
        ASSERT_TRUE(writeImage(file, 3, 1, 4, type, px));
        const Frame image = importAndDecode(file, 3, 1);
        EXPECT_EQ(at(image, 0, 0), Rgb({0, 118, 188}));
        EXPECT_EQ(at(image, 1, 0), Rgb({255, 255, 0}));
        EXPECT_EQ(at(image, 2, 0), Rgb({137, 137, 137}));
    }
}

// EXIF orientation: where row 0 and column 0 of the stored image are on the display.
TEST_F(ImageImport, OrientationTagIsApplied) {
    struct Sides {
        char row0; // t, b, l, r
        char col0;
    };
    const Sides sides[9] = {{},         {'t', 'l'}, {'t', 'r'}, {'b', 'r'}, {'b', 'l'},
                            {'l', 't'}, {'r', 't'}, {'r', 'b'}, {'l', 'b'}};
    const int w = 4, h = 3; // stored size
    for (int o = 1; o <= 8; ++o) {
        SCOPED_TRACE(o);
        const QString file = path(QStringLiteral("o%1.tif").arg(o));
        ASSERT_TRUE(writeImage(file, w, h, 3, OIIO::TypeDesc::UINT8, pattern(w, h),
                               [o](OIIO::ImageSpec& s) { s.attribute("Orientation", o); }));
        const bool turned = sides[o].row0 == 'l' || sides[o].row0 == 'r';
        const int dw = turned ? h : w, dh = turned ? w : h;
        const Frame image = importAndDecode(file, dw, dh);
        for (int r = 0; r < h; ++r) {
            for (int c = 0; c < w; ++c) {
                int dx, dy;
                if (!turned) {
                    dy = sides[o].row0 == 't' ? r : dh - 1 - r;
                    dx = sides[o].col0 == 'l' ? c : dw - 1 - c;
                } else {
                    dx = sides[o].row0 == 'l' ? r : dw - 1 - r;
                    dy = sides[o].col0 == 't' ? c : dh - 1 - c;
                }
                EXPECT_EQ(at(image, dx, dy), patternAt(c, r)) << "stored " << c << "," << r;
            }
        }
    }
    // The same through a JPEG's EXIF block: a bright corner ends up where it belongs.
    std::vector<float> px(48 * 32 * 3, 0.0f);
    for (int y = 0; y < 16; ++y) {
        for (int x = 0; x < 16; ++x) {
            px[(static_cast<size_t>(y) * 48 + x) * 3] = 1.0f; // red top-left block (stored)
        }
    }
    ASSERT_TRUE(writeImage(path(QStringLiteral("o6.jpg")), 48, 32, 3, OIIO::TypeDesc::UINT8, px,
                           [](OIIO::ImageSpec& s) { s.attribute("Orientation", 6); }));
    const Frame turned = importAndDecode(path(QStringLiteral("o6.jpg")), 32, 48);
    // Orientation 6: stored row 0 is the display's right side, column 0 its top.
    EXPECT_TRUE(near(at(turned, 31 - 8, 8), {255, 0, 0}, 12));
    EXPECT_TRUE(near(at(turned, 8, 8), {0, 0, 0}, 12));
}

TEST_F(ImageImport, TheSameContentIsStoredOnce) {
    ASSERT_TRUE(
        writeImage(path(QStringLiteral("x.png")), 2, 2, 3, OIIO::TypeDesc::UINT8, pattern(2, 2)));
    ASSERT_TRUE(QFile::copy(path(QStringLiteral("x.png")), path(QStringLiteral("copy.png"))));
    ImportedImage a, b;
    QString error;
    ASSERT_TRUE(importImage(path(QStringLiteral("x.png")), assets(), a, error));
    ASSERT_TRUE(importImage(path(QStringLiteral("copy.png")), assets(), b, error));
    EXPECT_EQ(a.assetPath, b.assetPath);
    EXPECT_EQ(b.sourceName, QStringLiteral("copy.png"));
    EXPECT_EQ(
        QDir(assets() + QStringLiteral("/images")).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

// A full disk while the image is copied into the assets folder: the import fails naming the
// file, and no truncated copy is left.
TEST_F(ImageImport, AFullDiskLeavesNoTruncatedCopy) {
    std::vector<float> noise(128 * 128 * 3); // incompressible: the PNG stays large
    uint32_t state = 12345;
    for (float& v : noise) {
        state = state * 1664525u + 1013904223u;
        v = static_cast<float>(state >> 24) / 255.0f;
    }
    ASSERT_TRUE(
        writeImage(path(QStringLiteral("big.png")), 128, 128, 3, OIIO::TypeDesc::UINT8, noise));
    ASSERT_GT(QFileInfo(path(QStringLiteral("big.png"))).size(), 8192);
    const std::string outcome = sfs::core::testing::runWithFileSizeLimit(4096, [&] {
        ImportedImage imported;
        QString error;
        const bool ok = importImage(path(QStringLiteral("big.png")), assets(), imported, error);
        return std::string(ok ? "imported" : "refused|") + error.toStdString();
    });
    EXPECT_NE(outcome.rfind("refused|", 0), std::string::npos) << outcome;
    EXPECT_NE(outcome.find("cannot write"), std::string::npos) << outcome;
    QDirIterator it(assets(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    EXPECT_FALSE(it.hasNext()) << it.next().toStdString();
}

TEST_F(ImageImport, BadFilesAreRefusedAndLeaveNothingBehind) {
    ASSERT_TRUE(sfs::test::writeAll(path(QStringLiteral("bad.png")), QByteArray(300, 'z')));
    // Noise, so that the pixel data is most of the file and half of it cuts into the pixels.
    std::vector<float> noise(96 * 96 * 3);
    for (size_t i = 0; i < noise.size(); ++i) {
        noise[i] = static_cast<float>((i * 2654435761u) % 256) / 255.0f;
    }
    ASSERT_TRUE(
        writeImage(path(QStringLiteral("ok.png")), 96, 96, 3, OIIO::TypeDesc::UINT8, noise));
    ASSERT_TRUE(
        writeImage(path(QStringLiteral("ok.tif")), 96, 96, 3, OIIO::TypeDesc::UINT8, noise));
    for (const char* name : {"png", "tif"}) {
        QByteArray truncated =
            sfs::test::readAll(path(QStringLiteral("ok.") + QLatin1String(name)));
        truncated.chop(truncated.size() / 2);
        ASSERT_TRUE(
            sfs::test::writeAll(path(QStringLiteral("half.") + QLatin1String(name)), truncated));
    }
    ASSERT_TRUE(
        writeImage(path(QStringLiteral("t.tga")), 2, 2, 3, OIIO::TypeDesc::UINT8, pattern(2, 2)));

    struct Case {
        const char* file;
        const char* phrase;
    };
    for (const Case& c :
         {Case{"bad.png", "cannot read the image"}, Case{"half.png", "cannot decode the image"},
          Case{"t.tga", "targa images cannot be imported"}, Case{"missing.png", "no such file"}}) {
        SCOPED_TRACE(c.file);
        ImportedImage imported;
        QString error;
        const QString file = path(QString::fromLatin1(c.file));
        EXPECT_FALSE(importImage(file, assets(), imported, error));
        EXPECT_TRUE(error.startsWith(file)) << error.toStdString();
        EXPECT_TRUE(error.contains(QString::fromLatin1(c.phrase))) << error.toStdString();
    }
    // Nothing was stored, not even a staging copy.
    QDirIterator it(assets(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    EXPECT_FALSE(it.hasNext()) << it.next().toStdString();
}

// Keyframes and folders of frames are read by the same decoder: an RGBA, orientation-tagged
// frame in a folder comes out upright and composited on black, exactly as its import does; only
// the formats differ (a folder of frames may hold TGA, a keyframe may not).
TEST_F(ImageImport, FrameFoldersReadImagesAsKeyframesDo) {
    ASSERT_TRUE(QDir().mkpath(path(QStringLiteral("frames"))));
    std::vector<float> px;
    for (int i = 0; i < 4 * 3; ++i) {
        px.insert(px.end(), {(i * 20 + 10) / 255.f, 200 / 255.f, 60 / 255.f, (i * 21) / 255.f});
    }
    const QString frame = path(QStringLiteral("frames/f_1.tif"));
    ASSERT_TRUE(writeImage(frame, 4, 3, 4, OIIO::TypeDesc::UINT8, px,
                           [](OIIO::ImageSpec& s) { s.attribute("Orientation", 6); }));
    ImageFolderSource folder;
    QString error;
    ASSERT_TRUE(folder.open(path(QStringLiteral("frames")), &error)) << error.toStdString();
    EXPECT_EQ(folder.frameSize(), QSize(3, 4)); // upright
    const Frame fromFolder = folder.frame(0, &error);
    const Frame keyframe = importAndDecode(frame, 3, 4);
    EXPECT_TRUE(fromFolder == keyframe);
    // Stored pixel (0, 2): alpha 8·21 = 168 of 255 darkens (10 + 8·20) = 170 to 112; orientation
    // 6 puts stored row 2 in display column 0, stored column 0 in display row 0.
    EXPECT_EQ(at(fromFolder, 0, 0), Rgb({112, 132, 40}));

    const QString tga = path(QStringLiteral("frames/f_2.tga"));
    ASSERT_TRUE(writeImage(tga, 2, 2, 3, OIIO::TypeDesc::UINT8, pattern(2, 2)));
    EXPECT_FALSE(readImageFile(tga, &error).isNull()) << error.toStdString();
    EXPECT_EQ(at(readImageFile(tga, &error), 1, 1), patternAt(1, 1));
    EXPECT_TRUE(readImageFile(tga, &error, ImageFormats::Importable).isNull());
    EXPECT_TRUE(error.contains(QStringLiteral("cannot be imported"))) << error.toStdString();
}

TEST_F(ImageImport, SampleKeyframesFitTheProjectResolution) {
    const QString assetsDir = sfs::test::sampleProjectPath() + QStringLiteral(".assets");
    const QStringList images = QDir(assetsDir + QStringLiteral("/images")).entryList(QDir::Files);
    ASSERT_EQ(images.size(), 3);
    QString error;
    const Frame fitted = loadFittedImage(assetsDir + QStringLiteral("/images/") + images[0], 416,
                                         416, FitMode::Fit, &error);
    ASSERT_FALSE(fitted.isNull()) << error.toStdString();
    EXPECT_EQ(fitted.width(), 416);
    EXPECT_EQ(fitted.height(), 416);
    // 832 × 480 fitted into a square: bars of (416 - 240) / 2 = 88 rows.
    EXPECT_EQ(at(fitted, 200, 10), Rgb({0, 0, 0}));
    EXPECT_NE(at(fitted, 200, 200), Rgb({0, 0, 0}));
}

#else

TEST(ImageImport, NeedsAMediaBuild) {
    QString error;
    EXPECT_TRUE(readImageFile(QStringLiteral("x.png"), &error).isNull());
    EXPECT_TRUE(error.contains(QStringLiteral("image import needs a build with SFS_WITH_MEDIA")));
    ImportedImage imported;
    EXPECT_FALSE(importImage(QStringLiteral("x.png"), QStringLiteral("."), imported, error));
    EXPECT_TRUE(error.contains(QStringLiteral("SFS_WITH_MEDIA")));
    EXPECT_TRUE(importableImageSuffixes().isEmpty());
}

#endif
