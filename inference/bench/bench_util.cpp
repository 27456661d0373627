#include "bench/bench_util.h"

#include "models/cpu_kernels.h"
#include "runtime/torch_placement.h"
#include "sfs/build_config.h"
#include "sfs/inference/device_policy.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#if SFS_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sfs::inference::bench {

BenchTarget benchTarget(const BenchArgs& args) {
    // The device policy decides; the benchmarks measure at the DiT's choice (the compute dtype
    // of the model's bulk: float32 on the CPU, bfloat16 on CUDA).
    const std::string device = args.str("device");
    const std::string dtype = args.str("dtype");
    DeviceRequest request;
    if (const auto d = tryParseDevice(device)) {
        request.device = *d;
    } else {
        throw std::invalid_argument("--device expects one of " + std::string(kDeviceChoices) +
                                    ", got '" + device + "'");
    }
    if (const auto p = tryParsePrecision(dtype)) {
        request.precision = *p;
    } else {
        throw std::invalid_argument("--dtype expects one of " + std::string(kPrecisionChoices) +
                                    ", got '" + dtype + "'");
    }
    const Placement placement = choosePlacement(ComputeRole::Dit, request);
    BenchTarget t;
    t.device = torchDevice(placement);
    t.dtype = torchDtype(placement.precision);
    t.description = t.device.str() + ", " + std::string(c10::toString(t.dtype)) + ", " +
                    std::to_string(at::get_num_threads()) + " CPU threads";
    if (t.device.is_cpu()) {
        t.description += ", fused CPU kernels " + models::cpu::instructionSet();
    }
    return t;
}

void synchronize(const c10::Device& device) {
#if SFS_TORCH_CUDA
    if (device.is_cuda()) {
        c10::cuda::device_synchronize();
    }
#else
    (void)device;
#endif
}

namespace {
uint64_t statusField(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(in, line)) {
        if (line.compare(0, prefix.size(), prefix) == 0) {
            std::istringstream s(line.substr(prefix.size()));
            uint64_t kb = 0;
            s >> kb;
            return kb * 1024;
        }
    }
    return 0;
}
} // namespace

uint64_t peakRssBytes() {
    return statusField("VmHWM");
}
uint64_t currentRssBytes() {
    return statusField("VmRSS");
}
uint64_t anonRssBytes() {
    return statusField("RssAnon");
}
uint64_t fileRssBytes() {
    return statusField("RssFile");
}
bool resetPeakRss() {
    // Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

uint64_t peakDeviceBytes(const c10::Device& device) {
#if SFS_TORCH_CUDA
    if (device.is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device.index());
        return static_cast<uint64_t>(stats
                                         .allocated_bytes[static_cast<size_t>(
                                             c10::cuda::CUDACachingAllocator::StatType::AGGREGATE)]
                                         .peak);
    }
#else
    (void)device;
#endif
    return 0;
}

void resetPeakDeviceBytes(const c10::Device& device) {
#if SFS_TORCH_CUDA
    if (device.is_cuda()) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(device.index());
    }
#else
    (void)device;
#endif
}

std::string formatBytes(uint64_t bytes) {
    char buf[32];
    const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
    if (mib >= 1024.0) {
        std::snprintf(buf, sizeof buf, "%.2f GiB", mib / 1024.0);
    } else {
        std::snprintf(buf, sizeof buf, "%.1f MiB", mib);
    }
    return buf;
}

} // namespace sfs::inference::bench
