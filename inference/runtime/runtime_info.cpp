#include "sfs/inference/runtime_info.h"

#include "sfs/build_config.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#if SFS_TORCH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <mutex>
#include <thread>

namespace sfs::inference {

namespace {
RuntimeInfo computeRuntime() {
    RuntimeInfo info;
    info.torchVersion = torchVersion();
#if SFS_TORCH_CUDA
    info.cudaBuild = true;
    info.cudaAvailable = at::globalContext().hasCUDA() && at::cuda::device_count() > 0;
    if (info.cudaAvailable) {
        info.cudaDeviceCount = at::cuda::device_count();
        info.deviceName = at::cuda::getDeviceProperties(0)->name;
        for (int i = 0; i < info.cudaDeviceCount; ++i) {
            const auto* props = at::cuda::getDeviceProperties(i);
            info.gpus.push_back({props->name, static_cast<uint64_t>(props->totalGlobalMem)});
        }
    }
#endif
#if SFS_WITH_SENTENCEPIECE
    info.sentencePiece = true;
#endif
    info.cpuThreads = at::get_num_threads();
    if (info.deviceName.empty()) {
        info.deviceName = "CPU (" + std::to_string(info.cpuThreads) + " threads)";
    }
    return info;
}
} // namespace

std::string torchVersion() {
    return TORCH_VERSION;
}

uint64_t cudaFreeMemoryBytes(int index) {
#if SFS_TORCH_CUDA
    if (!at::globalContext().hasCUDA() || index < 0 || index >= at::cuda::device_count()) {
        return 0;
    }
    int previous = 0;
    if (cudaGetDevice(&previous) != cudaSuccess || cudaSetDevice(index) != cudaSuccess) {
        cudaGetLastError(); // clear the error: it must not surface in a later CUDA call
        return 0;
    }
    size_t freeBytes = 0, totalBytes = 0;
    const bool ok = cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess;
    if (!ok) {
        cudaGetLastError();
    }
    cudaSetDevice(previous);
    return ok ? static_cast<uint64_t>(freeBytes) : 0;
#else
    (void)index;
    return 0;
#endif
}

uint64_t cudaReservedBytes(int index) {
#if SFS_TORCH_CUDA
    if (!at::globalContext().hasCUDA() || index < 0 || index >= at::cuda::device_count()) {
        return 0;
    }
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
    const auto aggregate =
        static_cast<size_t>(c10::cuda::CUDACachingAllocator::StatType::AGGREGATE);
    return static_cast<uint64_t>(std::max<int64_t>(0, stats.reserved_bytes[aggregate].current));
#else
    (void)index;
    return 0;
#endif
}

RuntimeInfo queryRuntime() {
    static std::once_flag once;
    static RuntimeInfo cached;
    std::call_once(once, [] { cached = computeRuntime(); });
    RuntimeInfo info = cached;
    info.cpuThreads = at::get_num_threads(); // may change through setCpuThreads
    if (!info.cudaAvailable) {
        info.deviceName = "CPU (" + std::to_string(info.cpuThreads) + " threads)";
    }
    return info;
}

void setCpuThreads(int n) {
    if (n <= 0) {
        n = static_cast<int>(std::thread::hardware_concurrency());
    }
    at::set_num_threads(n > 0 ? n : 1);
}

std::string describeRuntime(const RuntimeInfo& info) {
    std::string s = "LibTorch " + info.torchVersion + ", " + info.deviceName;
    if (info.cudaBuild && !info.cudaAvailable) {
        s += " (CUDA build, no usable GPU)";
    }
    return s;
}

} // namespace sfs::inference
