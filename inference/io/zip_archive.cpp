#include "io/zip_archive.h"

#include "io/safetensors.h"

#include <array>
#include <set>

namespace sfs::inference::io {

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50;
constexpr uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr size_t kEndSize = 22;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;

// Bounds-checked little-endian reads over the archive.
class Reader {
public:
    Reader(const uint8_t* data, uint64_t size, const std::string& path)
        : m_data(data), m_size(size), m_path(path) {}

    bool fits(uint64_t offset, uint64_t length) const {
        return offset <= m_size && length <= m_size - offset;
    }
    void need(uint64_t offset, uint64_t length, const std::string& what) const {
        if (!fits(offset, length)) {
            fail(what + " at byte " + std::to_string(offset) +
                 " lies outside the file (truncated?)");
        }
    }
    uint64_t le(uint64_t offset, int bytes) const {
        uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i) {
            v = (v << 8) | m_data[offset + static_cast<uint64_t>(i)];
        }
        return v;
    }
    uint16_t u16(uint64_t o) const { return static_cast<uint16_t>(le(o, 2)); }
    uint32_t u32(uint64_t o) const { return static_cast<uint32_t>(le(o, 4)); }
    uint64_t u64(uint64_t o) const { return le(o, 8); }
    std::string str(uint64_t o, uint64_t n) const {
        return std::string(reinterpret_cast<const char*>(m_data + o), static_cast<size_t>(n));
    }
    [[noreturn]] void fail(const std::string& problem) const {
        throw WeightsError(m_path, "", "zip archive: " + problem);
    }
    uint64_t size() const { return m_size; }

private:
    const uint8_t* m_data;
    uint64_t m_size;
    const std::string& m_path;
};

struct EndRecord {
    uint64_t entries = 0;
    uint64_t cdSize = 0;
    uint64_t cdOffset = 0;
    uint64_t endOffset = 0; // where the directory must end
};

EndRecord findEnd(const Reader& r) {
    if (r.size() < kEndSize) {
        r.fail("shorter than an end-of-directory record (truncated?)");
    }
    // The end record sits at the very end, followed only by a comment of up to 64 KiB.
    const uint64_t lowest = r.size() > kEndSize + 0xFFFF ? r.size() - kEndSize - 0xFFFF : 0;
    for (uint64_t pos = r.size() - kEndSize;; --pos) {
        if (r.u32(pos) == kEndSig && pos + kEndSize + r.u16(pos + 20) == r.size()) {
            EndRecord end;
            if (r.u16(pos + 4) != 0 && r.u16(pos + 4) != 0xFFFF) {
                r.fail("multi-disk archives are not supported");
            }
            end.entries = r.u16(pos + 10);
            end.cdSize = r.u32(pos + 12);
            end.cdOffset = r.u32(pos + 16);
            end.endOffset = pos;
            const bool zip64 =
                end.entries == 0xFFFF || end.cdSize == 0xFFFFFFFF || end.cdOffset == 0xFFFFFFFF;
            if (pos >= 20 && r.u32(pos - 20) == kEnd64LocatorSig) {
                const uint64_t at = r.u64(pos - 20 + 8);
                r.need(at, 56, "zip64 end record");
                if (r.u32(at) != kEnd64Sig) {
                    r.fail("zip64 end record not found where its locator points");
                }
                end.entries = r.u64(at + 32);
                end.cdSize = r.u64(at + 40);
                end.cdOffset = r.u64(at + 48);
                end.endOffset = at;
            } else if (zip64) {
                r.fail("zip64 archive without its zip64 end-record locator (truncated?)");
            }
            return end;
        }
        if (pos == lowest) {
            break;
        }
    }
    r.fail("no end-of-directory record (not a zip archive, or truncated)");
}

} // namespace

uint32_t crc32(const uint8_t* data, size_t size) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i) {
        c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

std::vector<ZipEntry> readZipDirectory(const uint8_t* data, uint64_t size,
                                       const std::string& path) {
    const Reader r(data, size, path);
    const EndRecord end = findEnd(r);
    if (end.cdOffset > end.endOffset || end.cdSize > end.endOffset - end.cdOffset) {
        r.fail("central directory lies outside the file (truncated?)");
    }
    if (end.entries > end.cdSize / kCentralSize) {
        r.fail("entry count " + std::to_string(end.entries) + " does not fit the directory");
    }

    std::vector<ZipEntry> entries;
    std::set<std::string> names;
    uint64_t pos = end.cdOffset;
    const uint64_t cdEnd = end.cdOffset + end.cdSize;
    for (uint64_t i = 0; i < end.entries; ++i) {
        if (pos + kCentralSize > cdEnd || r.u32(pos) != kCentralSig) {
            r.fail("central directory entry " + std::to_string(i) + " is damaged");
        }
        const uint16_t flags = r.u16(pos + 8);
        ZipEntry e;
        e.method = r.u16(pos + 10);
        e.crc32 = r.u32(pos + 16);
        e.compressedSize = r.u32(pos + 20);
        e.size = r.u32(pos + 24);
        const uint16_t nameLen = r.u16(pos + 28);
        const uint16_t extraLen = r.u16(pos + 30);
        const uint16_t commentLen = r.u16(pos + 32);
        uint64_t localOffset = r.u32(pos + 42);
        const uint64_t next = pos + kCentralSize + nameLen + extraLen + commentLen;
        if (next > cdEnd) {
            r.fail("central directory entry " + std::to_string(i) + " runs past the directory");
        }
        e.name = r.str(pos + kCentralSize, nameLen);

        // zip64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in order.
        uint64_t x = pos + kCentralSize + nameLen;
        const uint64_t xEnd = x + extraLen;
        while (x + 4 <= xEnd) {
            const uint16_t id = r.u16(x);
            const uint16_t len = r.u16(x + 2);
            if (x + 4 + len > xEnd) {
                r.fail("entry '" + e.name + "': damaged extra field");
            }
            if (id == 0x0001) {
                uint64_t f = x + 4;
                const uint64_t fEnd = f + len;
                auto take = [&](uint64_t& field) {
                    if (f + 8 > fEnd) {
                        r.fail("entry '" + e.name + "': zip64 field too short");
                    }
                    field = r.u64(f);
                    f += 8;
                };
                if (e.size == 0xFFFFFFFF) {
                    take(e.size);
                }
                if (e.compressedSize == 0xFFFFFFFF) {
                    take(e.compressedSize);
                }
                if (localOffset == 0xFFFFFFFF) {
                    take(localOffset);
                }
            }
            x += 4 + len;
        }
        if ((flags & 0x1) != 0) {
            r.fail("entry '" + e.name + "' is encrypted");
        }
        if (!names.insert(e.name).second) {
            r.fail("entry '" + e.name + "' appears twice");
        }

        // The local header may carry its own extra field (torch pads data to 64 bytes there).
        r.need(localOffset, kLocalSize, "local header of '" + e.name + "'");
        if (r.u32(localOffset) != kLocalSig) {
            r.fail("local header of '" + e.name + "' is damaged");
        }
        const uint16_t localNameLen = r.u16(localOffset + 26);
        const uint16_t localExtraLen = r.u16(localOffset + 28);
        r.need(localOffset + kLocalSize, localNameLen, "name of '" + e.name + "'");
        if (r.str(localOffset + kLocalSize, localNameLen) != e.name) {
            r.fail("local header of '" + e.name + "' names another file");
        }
        e.dataOffset = localOffset + kLocalSize + localNameLen + localExtraLen;
        if (!r.fits(e.dataOffset, e.compressedSize) ||
            e.dataOffset + e.compressedSize > end.cdOffset) {
            r.fail("data of '" + e.name + "' (" + std::to_string(e.compressedSize) + " bytes at " +
                   std::to_string(e.dataOffset) + ") runs past the end of the data (truncated?)");
        }
        if (e.method == 0 && e.compressedSize != e.size) {
            r.fail("stored entry '" + e.name + "' has different stored and real sizes");
        }
        entries.push_back(std::move(e));
        pos = next;
    }
    return entries;
}

} // namespace sfs::inference::io
