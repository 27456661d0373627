// sfs_core_tests run inside a QCoreApplication, as the programs do: timers, queued signals and
// QStandardPaths need one.

#include <QCoreApplication>
#include <QStandardPaths>
#include <gtest/gtest.h>

namespace {

class QtApplication : public ::testing::Environment {
public:
    void SetUp() override {
        static int argc = 1;
        static char name[] = "sfs_core_tests";
        static char* argv[] = {name, nullptr};
        m_app = new QCoreApplication(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("sfs_core_tests"));
        // Keep test runs away from the user's real settings and recovery files.
        QStandardPaths::setTestModeEnabled(true);
    }
    void TearDown() override { delete m_app; }

private:
    QCoreApplication* m_app = nullptr;
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new QtApplication);

} // namespace

TEST(QtEnvironment, TestsRunInsideAnApplication) {
    ASSERT_NE(QCoreApplication::instance(), nullptr);
    EXPECT_TRUE(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                    .contains(QStringLiteral("sfs_core_tests")));
}
