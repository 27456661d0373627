#include "sfs/core/media/library_versions.h"

#include <gtest/gtest.h>

namespace sfs::core {

TEST(LibraryVersions, ListsEveryLibraryWithAVersion) {
    const auto rows = libraryVersions();
    QStringList names;
    for (const auto& [name, version] : rows) {
        names << name;
        EXPECT_FALSE(version.isEmpty()) << name.toStdString();
    }
    for (const char* expected : {"sfstudio", "Qt", "LibTorch", "FFmpeg", "OpenImageIO"}) {
        EXPECT_TRUE(names.contains(QString::fromLatin1(expected))) << expected;
    }
}

TEST(LibraryVersions, MediaVersionsAreRealWhenMediaIsBuilt) {
    if (!hasMediaSupport()) {
        GTEST_SKIP() << "built with SFS_WITH_MEDIA=OFF";
    }
    for (const auto& [name, version] : libraryVersions()) {
        if (name == QStringLiteral("OpenImageIO") || name == QStringLiteral("libavcodec")) {
            EXPECT_TRUE(version.at(0).isDigit())
                << name.toStdString() << " " << version.toStdString();
        }
    }
}

TEST(LibraryVersions, ComputeDeviceIsDescribed) {
    EXPECT_TRUE(computeDeviceDescription().startsWith(QStringLiteral("LibTorch ")));
}

} // namespace sfs::core
