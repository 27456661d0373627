#pragma once
// A problem with a project file or one of its assets, precise enough to show and to test.

#include <QString>

namespace sfs::core {

// What went wrong with a file: the file, the field (a JSON pointer, RFC 6901; empty for the file
// as a whole) and the problem in words.
struct FileError {
    QString file;
    QString pointer;
    QString problem;

    bool isSet() const { return !problem.isEmpty(); }
    // "FILE: POINTER: PROBLEM" (the pointer part left out when empty).
    QString toString() const {
        return pointer.isEmpty() ? QStringLiteral("%1: %2").arg(file, problem)
                                 : QStringLiteral("%1: %2: %3").arg(file, pointer, problem);
    }
};

} // namespace sfs::core
