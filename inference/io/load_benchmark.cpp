// `sfstudio-cli bench load`: load time and host memory of a 1.3B-shaped bf16 DiT file (the
// real 825 names and shapes, random values), to show that loading streams one tensor at a time
// (no second full copy of the model in host memory, also when it goes to the GPU).

#include "bench/benchmarks.h"
#include "io/model_loader.h"
#include "io/model_schema.h"
#include "io/safetensors.h"

#include <sfs/inference/model_config.h>
#include <sfs/inference/model_discovery.h>

#include <ATen/ATen.h>

#include <cstdio>
#include <filesystem>

namespace sfs::inference::bench {

namespace {

// The file is made once and reused: 2.8 GB of bf16, written tensor by tensor.
bool ensureFile(const std::string& path, const BenchPrinter& print) {
    const ParamList expected = DitConfig::wan13B().parameters();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        try {
            auto f = io::SafetensorsFile::open(path);
            if (f->tensors().size() == expected.size() &&
                f->tensors().front().dtype == io::DType::BF16) {
                return false;
            }
        } catch (const io::WeightsError&) {
            // Rewrite it below.
        }
    }
    std::vector<io::SafetensorsEntry> entries;
    for (const auto& e : expected) {
        entries.push_back({e.name, at::kBFloat16, e.shape});
    }
    print("writing " + path + " (825 tensors, bf16) ...");
    at::manual_seed(0);
    io::writeSafetensors(path, entries, [&](size_t i) {
        return (at::randn(entries[i].shape) * 0.02).to(at::kBFloat16);
    });
    return true;
}

std::string seconds(double ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
    return buf;
}

} // namespace

Benchmark loadBenchmark() {
    Benchmark b;
    b.info = {
        "load",
        "Load a 1.3B-shaped bf16 DiT safetensors file (made once in --dir): time and peak "
        "host memory",
        {{"dir", "DIR", "folder for the generated 2.8 GB file (kept for later runs)", "/tmp"}}};
    b.run = [](const BenchArgs& args, const BenchTarget& target, const BenchPrinter& print) {
        const std::string path =
            (std::filesystem::path(args.str("dir")) / "sfs-bench-dit-1.3B-bf16.safetensors")
                .string();
        Stopwatch made;
        const bool generated = ensureFile(path, print);
        const uint64_t fileBytes = std::filesystem::file_size(path);
        print("file: " + path + ", " + formatBytes(fileBytes) +
              (generated ? " (written in " + seconds(made.elapsedMs()) + ")" : " (reused)"));

        Stopwatch inspectWatch;
        const DiscoveredFile info = inspectModelFile(path);
        char line[256];
        std::snprintf(line, sizeof line, "inspect (headers only): %.1f ms, role %s, %s parameters",
                      inspectWatch.elapsedMs(), modelRoleName(info.role),
                      std::to_string(info.parameters).c_str());
        print(line);

        const std::string dtype = c10::toString(target.dtype);
        resetPeakRss();
        resetPeakDeviceBytes(target.device);
        const uint64_t anonBefore = anonRssBytes();
        io::LoadOptions options;
        options.dtype = target.dtype;
        options.device = target.device;
        Stopwatch loadWatch;
        io::Weights weights = io::loadModelWeights(path, ModelRole::Dit, options);
        synchronize(target.device);
        const double loadMs = loadWatch.elapsedMs();
        uint64_t weightBytes = 0;
        for (const std::string& name : weights.names()) {
            const at::Tensor& t = weights.get(name);
            weightBytes += static_cast<uint64_t>(t.numel()) * t.element_size();
        }
        std::snprintf(line, sizeof line,
                      "load to %s as %s: %s (%.2f GB/s of file), %zu tensors, weights %s",
                      target.device.str().c_str(), dtype.c_str(), seconds(loadMs).c_str(),
                      static_cast<double>(fileBytes) / (loadMs * 1e6), weights.size(),
                      formatBytes(weightBytes).c_str());
        print(line);
        print("  host: peak RSS " + formatBytes(peakRssBytes()) +
              " (before: " + formatBytes(anonBefore) + " heap); now heap " +
              formatBytes(anonRssBytes()) + ", mapped file " + formatBytes(fileRssBytes()));
        if (target.device.is_cuda()) {
            print("  device: peak " + formatBytes(peakDeviceBytes(target.device)));
        }

        // Same-dtype CPU loads are zero-copy views that page in lazily: touch every value once.
        if (target.device.is_cpu()) {
            Stopwatch touchWatch;
            double sum = 0.0;
            for (const std::string& name : weights.names()) {
                sum += weights.get(name).sum().item<double>();
            }
            std::snprintf(line, sizeof line,
                          "  reading every value once: %s (checksum %.3g); peak RSS %s (heap %s, "
                          "mapped file %s)",
                          seconds(touchWatch.elapsedMs()).c_str(), sum,
                          formatBytes(peakRssBytes()).c_str(), formatBytes(anonRssBytes()).c_str(),
                          formatBytes(fileRssBytes()).c_str());
            print(line);
        }
        return 0;
    };
    return b;
}

} // namespace sfs::inference::bench
