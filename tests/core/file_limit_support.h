#pragma once
// Running code in a child process under a file-size limit (a full disk, as far as the code can
// tell), and listing what it left behind. No media libraries: the render and take tests use it.

#include <QDir>
#include <QString>
#include <QStringList>
#include <gtest/gtest.h>

#include <functional>
#include <signal.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sfs::core::testing {

// Every entry of a folder, hidden ones included (to show that nothing was left behind).
inline QStringList allEntries(const QString& folder) {
    return QDir(folder).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

// Runs `body` in a child process whose files may not grow beyond `limitBytes` (RLIMIT_FSIZE,
// with SIGXFSZ ignored so that writes fail with EFBIG instead of killing it). Returns the
// string `body` returned; a child that crashes or hangs fails the test.
inline std::string runWithFileSizeLimit(rlim_t limitBytes,
                                        const std::function<std::string()>& body) {
    int fds[2];
    if (pipe(fds) != 0) {
        ADD_FAILURE() << "pipe failed";
        return {};
    }
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        alarm(120); // a hang becomes a failed test, not a stuck suite
        signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{limitBytes, limitBytes};
        setrlimit(RLIMIT_FSIZE, &limit);
        const std::string result = body();
        size_t done = 0;
        while (done < result.size()) {
            const ssize_t n = ::write(fds[1], result.data() + done, result.size() - done);
            if (n <= 0) {
                break;
            }
            done += size_t(n);
        }
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    std::string result;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) {
        result.append(buf, size_t(n));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the child process did not exit cleanly (status " << status << ")";
    return result;
}

} // namespace sfs::core::testing
