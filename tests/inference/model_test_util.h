#pragma once
// Helpers of the model tests (Wan VAE, TAEHV, the stream-decoder contract, discovery, loading).

#include "models/taehv.h"
#include "models/wan_vae.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <memory>
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

// The Wan VAE's real topology (4 stages, temporal downsampling [F, T, T]) at a tiny width.
inline models::WanVaeConfig smallVaeConfig() {
    models::WanVaeConfig c;
    c.dim = 4;
    c.numResBlocks = 1;
    return c;
}

inline std::shared_ptr<const models::WanVae> smallVae(uint64_t seed = 7) {
    const models::WanVaeConfig c = smallVaeConfig();
    return std::make_shared<const models::WanVae>(
        c, models::makeRandomVaeWeights(c, seed, at::kFloat, at::kCPU));
}

// The taew2_1 topology at small widths.
inline models::TaehvConfig smallTaehvConfig() {
    models::TaehvConfig c;
    c.encoderWidth = 8;
    c.decoderWidths = {16, 8, 8, 4};
    return c;
}

inline std::shared_ptr<const models::Taehv> smallTaehv(uint64_t seed = 7) {
    const models::TaehvConfig c = smallTaehvConfig();
    return std::make_shared<const models::Taehv>(
        c, models::makeRandomTaehvWeights(c, seed, at::kFloat, at::kCPU));
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
