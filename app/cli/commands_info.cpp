// `sfstudio-cli info`: what this build can run on.

#include "commands.h"
#include "sfs/inference/runtime_info.h"

#include <ostream>

namespace sfs::cli {

void registerInfoCommands(Registry& registry) {
    registry.push_back(Command{
        "info",
        "Show the compute device, thread count and optional features of this build",
        "",
        {{"threads", "N", "CPU threads for torch (0 = number of cores)", "0"}},
        [](const CommandLine& cmd, Context& ctx) {
            inference::setCpuThreads(cmd.integer("threads"));
            const inference::RuntimeInfo info = inference::queryRuntime();
            const std::string kernels = inference::cpuKernelSet();
            ctx.out << "LibTorch:      " << info.torchVersion
                    << (info.cudaBuild ? " (CUDA build)" : " (CPU build)") << "\n"
                    << "Device:        " << info.deviceName << "\n"
                    << "CUDA devices:  " << info.cudaDeviceCount << "\n"
                    << "CPU threads:   " << info.cpuThreads << "\n"
                    << "SentencePiece: " << (info.sentencePiece ? "yes" : "no") << "\n"
                    << "CPU kernels:   " << kernels
                    << (kernels == "amx"   ? " (AVX-512, bf16 attention on AMX tiles)"
                        : kernels == "off" ? " (LibTorch's kernels)"
                                           : "")
                    << "\n"
                    << "CUDA graphs:   "
                    << (inference::cudaGraphsAvailable() ? "yes (--cuda-graphs)" : "no") << "\n";
            return 0;
        }});
}

} // namespace sfs::cli
