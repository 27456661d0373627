#include "runtime/cache_dir.h"

#include <cstdlib>
#include <filesystem>

namespace sfs::inference {

std::string userCacheDir(const std::string& sub) {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
        return std::string(xdg) + "/sfstudio/" + sub;
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::string(home) + "/.cache/sfstudio/" + sub;
    }
    return (std::filesystem::temp_directory_path() / ("sfstudio-" + sub)).string();
}

} // namespace sfs::inference
