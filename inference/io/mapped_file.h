#pragma once
// A read-only file mapped into memory (private, copy-on-write), shared by the weight readers.
// Tensors handed out as zero-copy views keep the mapping alive through a shared_ptr.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace sfs::inference::io {

class MappedFile {
public:
    // Maps the whole file; throws WeightsError naming `path` (missing, not a regular file, ...).
    static std::shared_ptr<MappedFile> open(const std::string& path);
    // Wraps bytes already in memory (fuzzing, tests): same interface, nothing mapped.
    static std::shared_ptr<MappedFile> fromBytes(const uint8_t* data, size_t size,
                                                 const std::string& name);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::string& path() const { return m_path; }
    uint64_t size() const { return m_size; }
    const uint8_t* data() const { return m_data; }

    // Gives the pages wholly inside [begin, begin + length) back to the kernel: the caller has
    // copied what it needed and holds no view of them, so host memory does not grow with the
    // file while a model streams onto the device. Unmodified private pages simply read back
    // from the file if touched again.
    void releasePages(uint64_t begin, uint64_t length) const;

private:
    MappedFile() = default;
    std::string m_path;
    uint64_t m_size = 0;
    uint8_t* m_data = nullptr;
    bool m_mapped = false;
    std::unique_ptr<uint8_t[]> m_owned;
};

} // namespace sfs::inference::io
