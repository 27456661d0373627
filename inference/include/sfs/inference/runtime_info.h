#pragma once
// What the inference runtime was built with and what it can use right now. Torch-free.

#include <cstdint>
#include <string>
#include <vector>

namespace sfs::inference {

struct GpuInfo {
    std::string name;
    uint64_t memoryBytes = 0; // total device memory
};

struct RuntimeInfo {
    std::string torchVersion;   // LibTorch version the binary was built against, e.g. "1.13.0"
    bool cudaBuild = false;     // LibTorch is a CUDA build
    bool cudaAvailable = false; // a CUDA device is usable at run time
    int cudaDeviceCount = 0;
    std::string deviceName;     // "CPU (2 threads)" or the GPU's name
    int cpuThreads = 0;         // intra-op threads torch uses on the CPU
    bool sentencePiece = false; // tokenizer support compiled in
    std::vector<GpuInfo> gpus;  // the usable CUDA devices, by index (empty without CUDA)
};

// The LibTorch version this binary was built against. Never touches a device.
std::string torchVersion();

// Cheap after the first call; the first call may initialise CUDA (call it off the UI thread).
RuntimeInfo queryRuntime();

// The fused CPU kernels in use: "amx", "avx512", "avx2" or "off" (defined with the kernels,
// models/cpu_kernels.cpp).
std::string cpuKernelSet();
// Whether the CUDA-graph mode (EngineOptions::cudaGraphs) can capture on this machine's CUDA
// device 0 (defined with the graphs, pipeline/step_graphs.cpp).
bool cudaGraphsAvailable();

// The free memory of CUDA device `index` now, as the CUDA runtime reports it (memory this
// process's caching allocator holds counts as used); 0 without CUDA or for a device it lacks.
uint64_t cudaFreeMemoryBytes(int index);
// The memory of CUDA device `index` that this process's caching allocator holds (in use or
// cached for reuse); 0 without CUDA or for a device it lacks.
uint64_t cudaReservedBytes(int index);

// Sets torch's intra-op thread count; n <= 0 means "number of cores".
void setCpuThreads(int n);

// One line, e.g. "LibTorch 1.13.0, CPU (2 threads)".
std::string describeRuntime(const RuntimeInfo& info);

} // namespace sfs::inference
