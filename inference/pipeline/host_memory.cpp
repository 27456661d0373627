#include "pipeline/host_memory.h"

#include <climits>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sfs::inference::pipeline {

void keepHostMemoryForReuse() {
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        // Blocks above 32 MiB (glibc's largest heap threshold) are still mapped per use;
        // below it everything is reused. Setting either value also stops the adaptation.
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, INT_MAX);
    });
#endif
}

} // namespace sfs::inference::pipeline
