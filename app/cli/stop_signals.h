#pragma once
// Ctrl-C (SIGINT) and SIGTERM for a long-running command (export, and next render): while a
// ScopedStopSignals lives they ask the command to stop cleanly (stopRequested()) instead of
// killing the process; the handlers that were installed before come back when it goes, on every
// path out of the command, exceptions included.

namespace sfs::cli {

class ScopedStopSignals {
public:
    // Clears an earlier stop request and installs the handlers.
    ScopedStopSignals();
    // Restores the previous handlers.
    ~ScopedStopSignals();
    ScopedStopSignals(const ScopedStopSignals&) = delete;
    ScopedStopSignals& operator=(const ScopedStopSignals&) = delete;

    // True once SIGINT or SIGTERM arrived while a guard was installed. Safe from any thread.
    static bool stopRequested();

private:
    using Handler = void (*)(int);
    Handler m_previousInt;
    Handler m_previousTerm;
};

} // namespace sfs::cli
