#pragma once
// A fast 64-bit content hash (the XXH64 algorithm) for cache keys and entry checksums, and a
// file hash that is computed once per (path, size, modification time).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sfs::inference::text {

class Hash64 {
public:
    explicit Hash64(uint64_t seed = 0);
    void update(const void* data, size_t size);
    void update(const std::string& s) { update(s.data(), s.size()); }
    uint64_t digest() const;

private:
    uint64_t m_seed;
    uint64_t m_acc[4];
    unsigned char m_buffer[32];
    size_t m_buffered = 0;
    uint64_t m_total = 0;
};

uint64_t hash64(const void* data, size_t size, uint64_t seed);
uint64_t hash64(std::string_view s, uint64_t seed = 0);
std::string toHex(uint64_t value); // 16 lower-case hex digits

// The hash of a file's bytes, as 16 hex digits. Reading a 10 GB encoder takes a while, so the
// result is remembered in `memoDir`/file-hashes.tsv (when memoDir is not empty) keyed by the
// file's absolute path, size and modification time. Throws std::runtime_error naming the file.
std::string fileContentHash(const std::string& path, const std::string& memoDir);

} // namespace sfs::inference::text
