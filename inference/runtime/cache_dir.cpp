#include "runtime/cache_dir.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <regex>
#include <sys/stat.h>
#include <vector>

namespace sfs::inference {

namespace fs = std::filesystem;

namespace {

int64_t mtimeNs(const struct stat& st) {
    return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

std::string userCacheDir(const std::string& sub) {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
        return std::string(xdg) + "/sfstudio/" + sub;
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::string(home) + "/.cache/sfstudio/" + sub;
    }
    return (std::filesystem::temp_directory_path() / ("sfstudio-" + sub)).string();
}

bool isCacheEntryName(const std::string& name) {
    static const std::regex pattern("[0-9a-f]{16}\\.safetensors");
    return std::regex_match(name, pattern);
}

void stampCacheEntry(const std::string& path, int64_t& lastStampNs) {
    lastStampNs = std::max(nowNs(), lastStampNs + 1000);
    struct timespec times[2];
    times[0].tv_sec = lastStampNs / 1000000000LL;
    times[0].tv_nsec = lastStampNs % 1000000000LL;
    times[1] = times[0];
    ::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

CacheEviction evictCacheEntries(const std::string& directory, uint64_t maxBytes,
                                const std::string& keep) {
    struct Entry {
        std::string path;
        uint64_t size;
        int64_t mtime;
    };
    CacheEviction out;
    std::vector<Entry> entries;
    uint64_t total = 0;
    const int64_t staleBefore = nowNs() - 3600LL * 1000000000LL;
    std::error_code ec;
    for (const auto& item : fs::directory_iterator(directory, ec)) {
        const std::string name = item.path().filename().string();
        struct stat st {};
        if (::stat(item.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        if (name.find(".safetensors.tmp-") != std::string::npos && mtimeNs(st) < staleBefore) {
            fs::remove(item.path(), ec); // left by a writer that died an hour ago or more
            continue;
        }
        if (!isCacheEntryName(name)) {
            continue;
        }
        entries.push_back({item.path().string(), static_cast<uint64_t>(st.st_size), mtimeNs(st)});
        total += static_cast<uint64_t>(st.st_size);
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.mtime < b.mtime; });
    for (const Entry& e : entries) {
        if (total <= maxBytes) {
            break;
        }
        if (e.path == keep) {
            continue;
        }
        if (fs::remove(e.path, ec)) {
            total -= e.size;
            ++out.evicted;
        }
    }
    if (total > maxBytes && fs::remove(keep, ec)) {
        ++out.evicted; // larger than the whole budget on its own
        out.keepTooLarge = true;
    }
    return out;
}

} // namespace sfs::inference
