// ScopedStopSignals: Ctrl-C asks the command to stop while it lives, and the previous handlers
// come back on every way out of the scope.

#include "stop_signals.h"

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>

namespace {

volatile std::sig_atomic_t g_previousCalls = 0;
extern "C" void previousHandler(int) {
    g_previousCalls = g_previousCalls + 1;
}

using Handler = void (*)(int);
Handler currentHandler(int signal) {
    struct sigaction action {};
    sigaction(signal, nullptr, &action);
    return action.sa_handler;
}

// Installs previousHandler for both signals for the test and puts back what was there.
class StopSignalsTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_int = std::signal(SIGINT, previousHandler);
        m_term = std::signal(SIGTERM, previousHandler);
        g_previousCalls = 0;
    }
    void TearDown() override {
        std::signal(SIGINT, m_int);
        std::signal(SIGTERM, m_term);
    }
    Handler m_int = SIG_DFL;
    Handler m_term = SIG_DFL;
};

TEST_F(StopSignalsTest, SignalsRequestAStopWhileInstalled) {
    {
        const sfs::cli::ScopedStopSignals guard;
        EXPECT_FALSE(sfs::cli::ScopedStopSignals::stopRequested());
        EXPECT_NE(currentHandler(SIGINT), previousHandler);
        std::raise(SIGINT);
        EXPECT_TRUE(sfs::cli::ScopedStopSignals::stopRequested());
        EXPECT_EQ(g_previousCalls, 0);
    }
    EXPECT_EQ(currentHandler(SIGINT), previousHandler);
    EXPECT_EQ(currentHandler(SIGTERM), previousHandler);
    std::raise(SIGTERM);
    EXPECT_EQ(g_previousCalls, 1);
}

TEST_F(StopSignalsTest, ANewGuardStartsWithoutAStopRequest) {
    {
        const sfs::cli::ScopedStopSignals guard;
        std::raise(SIGTERM);
        EXPECT_TRUE(sfs::cli::ScopedStopSignals::stopRequested());
    }
    const sfs::cli::ScopedStopSignals next;
    EXPECT_FALSE(sfs::cli::ScopedStopSignals::stopRequested());
}

TEST_F(StopSignalsTest, PreviousHandlersComeBackWhenTheCommandThrows) {
    EXPECT_THROW(
        {
            const sfs::cli::ScopedStopSignals guard;
            EXPECT_NE(currentHandler(SIGTERM), previousHandler);
            throw std::runtime_error("the export failed");
        },
        std::runtime_error);
    EXPECT_EQ(currentHandler(SIGINT), previousHandler);
    EXPECT_EQ(currentHandler(SIGTERM), previousHandler);
}

} // namespace
