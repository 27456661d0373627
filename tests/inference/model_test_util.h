#pragma once
// Helpers of the model tests (Wan VAE, TAEHV).

#include <ATen/ATen.h>

#include <cstdint>
#include <string>
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

} // namespace sfs::inference::modeltest
