#pragma once
// Shared pieces of the benchmarks: parsed options, device choice, timing and memory figures.

#include "sfs/inference/bench.h"
#include "sfs/inference/command_line.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sfs::inference::bench {

// A benchmark's parsed options (its own and the common ones), with typed access that names bad
// values: the one parser of sfs/inference/command_line.h.
using BenchArgs = CommandLine;

// The device named by --device and the compute dtype named by --dtype, as the device policy
// (sfs/inference/device_policy.h) decides them for the DiT.
struct BenchTarget {
    c10::Device device = c10::Device(c10::kCPU);
    at::ScalarType dtype = at::kFloat;
    std::string description;
};
BenchTarget benchTarget(const BenchArgs& args);

// Waits for queued device work, so wall-clock timings are honest on CUDA.
void synchronize(const c10::Device& device);

// Peak resident set size of this process so far (VmHWM), in bytes; 0 if unknown.
uint64_t peakRssBytes();
// Current resident set size (VmRSS), in bytes, and its anonymous (heap) and file-backed
// (mapped files) parts.
uint64_t currentRssBytes();
uint64_t anonRssBytes();
uint64_t fileRssBytes();
// Starts a new peak: VmHWM becomes the current RSS (false where the kernel cannot).
bool resetPeakRss();
// Peak CUDA memory allocated on device since the last reset (0 on the CPU).
uint64_t peakDeviceBytes(const c10::Device& device);
void resetPeakDeviceBytes(const c10::Device& device);

std::string formatBytes(uint64_t bytes);

class Stopwatch {
public:
    Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
    double elapsedMs() const {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start)
            .count();
    }

private:
    std::chrono::steady_clock::time_point m_start;
};

} // namespace sfs::inference::bench
