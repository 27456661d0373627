// Fuzz target for the project loader: any bytes either load into a valid project or give an
// error that names the problem; never a crash. A loaded project must survive save -> load
// unchanged (the writer and the reader agree on every field).

#include "sfs/core/project/project_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sfs::core;
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const QString file = QStringLiteral("fuzz.sfsproj");
    LoadedProject loaded;
    FileError error;
    if (!parseProject(bytes, file, loaded, error)) {
        if (error.problem.isEmpty() || error.file != file) {
            std::abort(); // a refusal must say why
        }
        return 0;
    }
    LoadedProject again;
    if (!parseProject(serializeProject(loaded.project), file, again, error) ||
        !(again.project == loaded.project) || again.fileVersion != kProjectFormatVersion) {
        std::abort();
    }
    return 0;
}
