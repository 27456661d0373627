#include "stop_signals.h"

#include <atomic>
#include <csignal>

namespace sfs::cli {

namespace {
// Lock-free, so the handler may touch it (a plain volatile sig_atomic_t would not be safe to
// read from the worker threads that poll it).
std::atomic<bool> g_stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void requestStop(int) {
    g_stopRequested.store(true);
}
} // namespace

ScopedStopSignals::ScopedStopSignals() {
    g_stopRequested.store(false);
    m_previousInt = std::signal(SIGINT, requestStop);
    m_previousTerm = std::signal(SIGTERM, requestStop);
}

ScopedStopSignals::~ScopedStopSignals() {
    // SIG_ERR: installing failed, so the previous handler is still in place.
    if (m_previousInt != SIG_ERR) {
        std::signal(SIGINT, m_previousInt);
    }
    if (m_previousTerm != SIG_ERR) {
        std::signal(SIGTERM, m_previousTerm);
    }
}

bool ScopedStopSignals::stopRequested() {
    return g_stopRequested.load();
}

} // namespace sfs::cli
