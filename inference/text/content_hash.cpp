#include "text/content_hash.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace sfs::inference::text {

namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ull;

uint64_t rotl(uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

uint64_t read64(const unsigned char* p) {
    uint64_t v = 0;
    std::memcpy(&v, p, 8); // little-endian hosts only (x86-64, aarch64)
    return v;
}

uint32_t read32(const unsigned char* p) {
    uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
}

uint64_t round64(uint64_t acc, uint64_t input) {
    acc += input * kP2;
    acc = rotl(acc, 31);
    return acc * kP1;
}

uint64_t merge(uint64_t acc, uint64_t value) {
    acc ^= round64(0, value);
    return acc * kP1 + kP4;
}

} // namespace

Hash64::Hash64(uint64_t seed)
    : m_seed(seed), m_acc{seed + kP1 + kP2, seed + kP2, seed, seed - kP1}, m_buffer{} {}

void Hash64::update(const void* data, size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    m_total += size;
    if (m_buffered > 0) {
        const size_t take = std::min(size, 32 - m_buffered);
        std::memcpy(m_buffer + m_buffered, p, take);
        m_buffered += take;
        p += take;
        size -= take;
        if (m_buffered < 32) {
            return;
        }
        for (int i = 0; i < 4; ++i) {
            m_acc[i] = round64(m_acc[i], read64(m_buffer + 8 * i));
        }
        m_buffered = 0;
    }
    while (size >= 32) {
        for (int i = 0; i < 4; ++i) {
            m_acc[i] = round64(m_acc[i], read64(p + 8 * i));
        }
        p += 32;
        size -= 32;
    }
    std::memcpy(m_buffer, p, size);
    m_buffered = size;
}

uint64_t Hash64::digest() const {
    uint64_t h = 0;
    if (m_total >= 32) {
        h = rotl(m_acc[0], 1) + rotl(m_acc[1], 7) + rotl(m_acc[2], 12) + rotl(m_acc[3], 18);
        for (uint64_t a : m_acc) {
            h = merge(h, a);
        }
    } else {
        h = m_seed + kP5;
    }
    h += m_total;
    const unsigned char* p = m_buffer;
    size_t left = m_buffered;
    while (left >= 8) {
        h ^= round64(0, read64(p));
        h = rotl(h, 27) * kP1 + kP4;
        p += 8;
        left -= 8;
    }
    if (left >= 4) {
        h ^= static_cast<uint64_t>(read32(p)) * kP1;
        h = rotl(h, 23) * kP2 + kP3;
        p += 4;
        left -= 4;
    }
    while (left > 0) {
        h ^= (*p) * kP5;
        h = rotl(h, 11) * kP1;
        ++p;
        --left;
    }
    h ^= h >> 33;
    h *= kP2;
    h ^= h >> 29;
    h *= kP3;
    h ^= h >> 32;
    return h;
}

uint64_t hash64(const void* data, size_t size, uint64_t seed) {
    Hash64 h(seed);
    h.update(data, size);
    return h.digest();
}

uint64_t hash64(std::string_view s, uint64_t seed) {
    return hash64(s.data(), s.size(), seed);
}

std::string toHex(uint64_t value) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
}

namespace {

struct FileStamp {
    std::string path; // absolute
    uint64_t size = 0;
    int64_t mtimeNs = 0;
};

FileStamp stampOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        throw std::runtime_error(path + ": cannot read the file to hash it (" +
                                 std::strerror(errno) + ")");
    }
    FileStamp s;
    s.path = std::filesystem::absolute(path).lexically_normal().string();
    s.size = static_cast<uint64_t>(st.st_size);
    s.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    return s;
}

std::string memoKey(const FileStamp& s) {
    return std::to_string(s.size) + "\t" + std::to_string(s.mtimeNs) + "\t" + s.path;
}

std::map<std::string, std::string> readMemo(const std::string& file) {
    std::map<std::string, std::string> memo;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab == 16) { // anything else is not ours (or damaged): ignored, rewritten later
            memo[line.substr(tab + 1)] = line.substr(0, tab);
        }
    }
    return memo;
}

} // namespace

std::string fileContentHash(const std::string& path, const std::string& memoDir) {
    static std::mutex mutex;
    const FileStamp stamp = stampOf(path);
    const std::string key = memoKey(stamp);
    const bool memoUsable = !memoDir.empty() && stamp.path.find('\n') == std::string::npos;
    const std::string memoFile = memoUsable ? memoDir + "/file-hashes.tsv" : "";
    if (!memoFile.empty()) {
        std::lock_guard<std::mutex> lock(mutex);
        const auto memo = readMemo(memoFile);
        if (const auto it = memo.find(key); it != memo.end()) {
            return it->second;
        }
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(path + ": cannot open the file to hash it");
    }
    Hash64 h;
    std::vector<char> buf(8 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        h.update(buf.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) {
        throw std::runtime_error(path + ": read error while hashing the file");
    }
    const std::string hex = toHex(h.digest());
    if (!memoFile.empty()) {
        // Best effort: a memo that cannot be written only costs another hash next time.
        std::lock_guard<std::mutex> lock(mutex);
        std::error_code ec;
        std::filesystem::create_directories(memoDir, ec);
        auto memo = readMemo(memoFile);
        for (auto it = memo.begin(); it != memo.end();) { // older versions of this file
            const std::string& k = it->first;
            const bool samePath = k.size() > stamp.path.size() &&
                                  k.compare(k.size() - stamp.path.size() - 1, std::string::npos,
                                            "\t" + stamp.path) == 0;
            it = samePath ? memo.erase(it) : std::next(it);
        }
        memo[key] = hex;
        const std::string tmp = memoFile + ".tmp" + std::to_string(::getpid());
        {
            std::ofstream out(tmp, std::ios::trunc);
            for (const auto& [k, v] : memo) {
                out << v << "\t" << k << "\n";
            }
        }
        std::filesystem::rename(tmp, memoFile, ec);
        if (ec) {
            std::filesystem::remove(tmp, ec);
        }
    }
    return hex;
}

} // namespace sfs::inference::text
