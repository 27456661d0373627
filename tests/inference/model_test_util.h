#pragma once
// Helpers of the model tests (Wan VAE, TAEHV, discovery, loading).

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace sfs::inference::modeltest {

// max|a - b| / max|b|
inline double relativeError(const at::Tensor& a, const at::Tensor& b) {
    return (a - b).abs().max().item<double>() / b.abs().max().item<double>();
}

// `total` split into chunks of `size` (the last one shorter).
inline std::vector<int64_t> chunksOf(int64_t total, int64_t size) {
    std::vector<int64_t> chunks;
    for (int64_t start = 0; start < total; start += size) {
        chunks.push_back(std::min(size, total - start));
    }
    return chunks;
}

// The golden set copied into the repository (tests/data/golden/), with a trailing slash.
inline std::string goldenDir() {
    return std::string(SFS_TEST_DATA_DIR) + "/golden/";
}

// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
public:
    TempDir() {
        static int counter = 0;
        m_path = std::filesystem::temp_directory_path() /
                 ("sfs-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() { std::filesystem::remove_all(m_path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string path() const { return m_path.string(); }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

} // namespace sfs::inference::modeltest
