#pragma once
// The central directory of a zip archive in memory, as torch.save writes them (PyTorch >= 1.6):
// stored (uncompressed) entries, zip64 records for multi-GB files, data 64-byte aligned.
// Torch-free; every offset is checked against the buffer before it is read.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sfs::inference::io {

struct ZipEntry {
    std::string name;
    uint16_t method = 0; // 0 = stored, 8 = deflate, ...
    uint32_t crc32 = 0;
    uint64_t dataOffset = 0; // of the (possibly compressed) data in the archive
    uint64_t compressedSize = 0;
    uint64_t size = 0;
};

// Reads the directory; throws WeightsError naming `path` when the archive is malformed
// (truncated, offsets outside the file, encrypted or duplicate entries, ...).
std::vector<ZipEntry> readZipDirectory(const uint8_t* data, uint64_t size, const std::string& path);

// CRC-32 (ISO-HDLC, as zip uses).
uint32_t crc32(const uint8_t* data, size_t size);

} // namespace sfs::inference::io
