#include "io/mapped_file.h"

#include "io/safetensors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sfs::inference::io {

std::shared_ptr<MappedFile> MappedFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw WeightsError(path, "", std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw WeightsError(path, "", "not a regular file");
    }
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->m_path = path;
    file->m_size = static_cast<uint64_t>(st.st_size);
    if (file->m_size > 0) {
        // Private and writable: tensors that view the mapping may be modified in place without
        // ever touching the file (copy-on-write).
        void* map = ::mmap(nullptr, file->m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            const int e = errno;
            ::close(fd);
            throw WeightsError(path, "", std::string("cannot map: ") + std::strerror(e));
        }
        file->m_data = static_cast<uint8_t*>(map);
        file->m_mapped = true;
    }
    ::close(fd);
    return file;
}

std::shared_ptr<MappedFile> MappedFile::fromBytes(const uint8_t* data, size_t size,
                                                  const std::string& name) {
    std::shared_ptr<MappedFile> file(new MappedFile());
    file->m_path = name;
    file->m_size = size;
    // 64-byte aligned copy, like a mapping, so alignment-dependent paths behave the same.
    file->m_owned.reset(new uint8_t[size + 64]);
    auto* base = file->m_owned.get();
    const auto misalign = reinterpret_cast<uintptr_t>(base) % 64;
    file->m_data = base + (misalign == 0 ? 0 : 64 - misalign);
    if (size > 0) {
        std::memcpy(file->m_data, data, size);
    }
    return file;
}

MappedFile::~MappedFile() {
    if (m_mapped) {
        ::munmap(m_data, m_size);
    }
}

void MappedFile::releasePages(uint64_t begin, uint64_t length) const {
    if (!m_mapped || length == 0 || begin >= m_size) {
        return;
    }
    const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t end = std::min(begin + length, m_size);
    const uint64_t first = (begin + page - 1) / page * page;
    const uint64_t last = end / page * page;
    if (last > first) {
        ::madvise(m_data + first, last - first, MADV_DONTNEED);
    }
}

} // namespace sfs::inference::io
