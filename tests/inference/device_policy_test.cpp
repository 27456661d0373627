// The device and precision policy: parsing of device and precision names, and the placement of
// every model role on machines described here (no GPU needed).

#include "sfs/inference/device_policy.h"

#include <gtest/gtest.h>

namespace sfs::inference {
namespace {

RuntimeInfo machineWith(std::vector<GpuInfo> gpus) {
    RuntimeInfo m;
    m.cudaBuild = !gpus.empty();
    m.cudaAvailable = !gpus.empty();
    m.cudaDeviceCount = static_cast<int>(gpus.size());
    m.gpus = std::move(gpus);
    return m;
}

const RuntimeInfo kCpuOnly = machineWith({});
const RuntimeInfo kBigGpu = machineWith({{"H100", 80ull << 30}, {"A10", 24ull << 30}});
const RuntimeInfo kSmallGpu = machineWith({{"RTX 4070", 12ull << 30}});

Placement place(ComputeRole role, const char* device, const RuntimeInfo& machine,
                Precision precision = Precision::Auto) {
    return choosePlacement(role, {parseDevice(device), precision}, machine);
}

TEST(DevicePolicy, ParsesDeviceNames) {
    EXPECT_EQ(parseDevice("auto").kind, DeviceKind::Auto);
    EXPECT_EQ(parseDevice("cpu").kind, DeviceKind::Cpu);
    EXPECT_EQ(parseDevice("cuda"), (DeviceName{DeviceKind::Cuda, 0}));
    EXPECT_EQ(parseDevice("cuda:0"), (DeviceName{DeviceKind::Cuda, 0}));
    EXPECT_EQ(parseDevice("cuda:7"), (DeviceName{DeviceKind::Cuda, 7}));
    EXPECT_EQ(parseDevice("cuda:999").index, 999);
    EXPECT_EQ(parseDevice("cuda:3").text(), "cuda:3");
    EXPECT_EQ(parseDevice("cpu").text(), "cpu");
    for (const char* bad : {"", "tpu", "CPU", "Auto", " cpu", "cuda:", "cuda:-1", "cuda:1000",
                            "cuda:1x", "cuda0", "cuda:+1", "gpu", "cpu:0"}) {
        EXPECT_FALSE(tryParseDevice(bad)) << bad;
        EXPECT_THROW(parseDevice(bad), std::invalid_argument) << bad;
    }
    EXPECT_EQ(deviceNameProblem("tpu"), "device \"tpu\" is not one of auto, cpu, cuda, cuda:N");
    EXPECT_EQ(deviceNameProblem("cuda:2"), "");
}

TEST(DevicePolicy, ParsesPrecisionNames) {
    EXPECT_EQ(parsePrecision("auto"), Precision::Auto);
    EXPECT_EQ(parsePrecision("float32"), Precision::Float32);
    EXPECT_EQ(parsePrecision("bfloat16"), Precision::BFloat16);
    EXPECT_EQ(parsePrecision("float16"), Precision::Float16);
    for (const char* bad : {"", "int4", "fp32", "Float32", "bf16"}) {
        EXPECT_FALSE(tryParsePrecision(bad)) << bad;
    }
    try {
        parsePrecision("int4");
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "precision \"int4\" is not one of auto, float32, bfloat16, float16");
    }
}

TEST(DevicePolicy, AutoUsesTheFirstGpuForTheModelsAndTheCpuWithout) {
    for (const ComputeRole role : {ComputeRole::Dit, ComputeRole::Vae, ComputeRole::Taehv}) {
        const Placement gpu = place(role, "auto", kSmallGpu);
        EXPECT_EQ(gpu.device, (DeviceName{DeviceKind::Cuda, 0})) << computeRoleName(role);
        EXPECT_EQ(gpu.precision, Precision::BFloat16);
        EXPECT_NE(gpu.reason.find("RTX 4070"), std::string::npos) << gpu.reason;
        const Placement cpu = place(role, "auto", kCpuOnly);
        EXPECT_EQ(cpu.device.kind, DeviceKind::Cpu);
        EXPECT_EQ(cpu.precision, Precision::Float32);
        EXPECT_EQ(cpu.reason,
                  std::string(computeRoleName(role)) + " on the CPU (no CUDA device), float32");
    }
}

TEST(DevicePolicy, TextEncoderUsesTheGpuOnlyWithAtLeast24GB) {
    const Placement big = place(ComputeRole::TextEncoder, "auto", kBigGpu);
    EXPECT_EQ(big.device, (DeviceName{DeviceKind::Cuda, 0}));
    const Placement exactly =
        place(ComputeRole::TextEncoder, "auto", machineWith({{"A10", kTextEncoderGpuMinBytes}}));
    EXPECT_TRUE(exactly.onCuda());
    const Placement small = place(ComputeRole::TextEncoder, "auto", kSmallGpu);
    EXPECT_EQ(small.device.kind, DeviceKind::Cpu);
    EXPECT_EQ(small.reason,
              "text encoder on the CPU: RTX 4070 has 12.0 GiB, less than 24.0 GiB, bfloat16");
    EXPECT_EQ(place(ComputeRole::TextEncoder, "auto", kCpuOnly).device.kind, DeviceKind::Cpu);
    // Named, the GPU is used whatever its memory.
    EXPECT_TRUE(place(ComputeRole::TextEncoder, "cuda", kSmallGpu).onCuda());
    // bfloat16 wherever it runs, unless asked otherwise.
    for (const RuntimeInfo* m : {&kCpuOnly, &kSmallGpu, &kBigGpu}) {
        EXPECT_EQ(place(ComputeRole::TextEncoder, "auto", *m).precision, Precision::BFloat16);
    }
    EXPECT_EQ(place(ComputeRole::TextEncoder, "cpu", kCpuOnly, Precision::Float32).precision,
              Precision::Float32);
}

TEST(DevicePolicy, NamedDevicesAreUsedAsNamed) {
    const Placement cpu = place(ComputeRole::Dit, "cpu", kBigGpu);
    EXPECT_EQ(cpu.device.kind, DeviceKind::Cpu);
    EXPECT_EQ(cpu.precision, Precision::Float32);
    EXPECT_EQ(cpu.reason, "DiT on the CPU (chosen), float32");
    const Placement second = place(ComputeRole::Vae, "cuda:1", kBigGpu);
    EXPECT_EQ(second.device, (DeviceName{DeviceKind::Cuda, 1}));
    EXPECT_EQ(second.reason, "Wan VAE on A10 (cuda:1, chosen), bfloat16");
    // An asked precision wins on any device.
    EXPECT_EQ(place(ComputeRole::Dit, "cpu", kCpuOnly, Precision::BFloat16).precision,
              Precision::BFloat16);
    EXPECT_EQ(place(ComputeRole::Dit, "cuda", kBigGpu, Precision::Float16).precision,
              Precision::Float16);
}

TEST(DevicePolicy, TheTextEncoderGoesWhereItIsSent) {
    EXPECT_EQ(tryParseTextEncoderDevice("gpu"), TextEncoderDevice::Gpu);
    EXPECT_EQ(tryParseTextEncoderDevice("cpu"), TextEncoderDevice::Cpu);
    EXPECT_FALSE(tryParseTextEncoderDevice("cuda"));
    EXPECT_STREQ(textEncoderDeviceName(TextEncoderDevice::Auto), "auto");
    const auto text = [](const char* device, const RuntimeInfo& machine, TextEncoderDevice where,
                         Precision precision = Precision::Auto) {
        return choosePlacement(ComputeRole::TextEncoder, {parseDevice(device), precision, where},
                               machine);
    };
    // A 12 GiB card: auto keeps the encoder on the CPU; "gpu" sends it to the DiT's card.
    EXPECT_EQ(text("auto", kSmallGpu, TextEncoderDevice::Auto).device.kind, DeviceKind::Cpu);
    const Placement gpu = text("auto", kSmallGpu, TextEncoderDevice::Gpu);
    EXPECT_EQ(gpu.device, (DeviceName{DeviceKind::Cuda, 0}));
    EXPECT_EQ(gpu.precision, Precision::BFloat16);
    EXPECT_EQ(gpu.reason, "text encoder on the DiT's device, cuda:0 (chosen), bfloat16");
    EXPECT_EQ(text("cuda:1", kBigGpu, TextEncoderDevice::Gpu).device,
              (DeviceName{DeviceKind::Cuda, 1}));
    // A big card: auto puts it there; "cpu" keeps it off the card.
    EXPECT_EQ(text("auto", kBigGpu, TextEncoderDevice::Auto).device.kind, DeviceKind::Cuda);
    const Placement cpu = text("auto", kBigGpu, TextEncoderDevice::Cpu);
    EXPECT_EQ(cpu.device.kind, DeviceKind::Cpu);
    EXPECT_EQ(cpu.reason, "text encoder on the CPU (chosen), bfloat16");
    // Without a GPU "gpu" is the DiT's CPU; the other roles ignore the setting.
    EXPECT_EQ(text("auto", kCpuOnly, TextEncoderDevice::Gpu).device.kind, DeviceKind::Cpu);
    EXPECT_EQ(choosePlacement(ComputeRole::Dit,
                              {parseDevice("auto"), Precision::Auto, TextEncoderDevice::Cpu},
                              kBigGpu)
                  .device.kind,
              DeviceKind::Cuda);
    // float16 on the CPU: the encoder falls back to its own bfloat16.
    EXPECT_EQ(text("auto", kSmallGpu, TextEncoderDevice::Auto, Precision::Float16).precision,
              Precision::BFloat16);
}

TEST(DevicePolicy, TheCpuDoesNotRunFloat16) {
    EXPECT_TRUE(precisionSupported(Precision::Float16, {DeviceKind::Cuda, 0}));
    EXPECT_FALSE(precisionSupported(Precision::Float16, {DeviceKind::Cpu, 0}));
    EXPECT_TRUE(precisionSupported(Precision::BFloat16, {DeviceKind::Cpu, 0}));
    try {
        place(ComputeRole::Dit, "cpu", kBigGpu, Precision::Float16);
        FAIL() << "expected an error";
    } catch (const DeviceUnavailable& e) {
        EXPECT_STREQ(e.what(), "precision float16: the CPU does not run it (the DiT runs there); "
                               "use bfloat16 or float32");
    }
    EXPECT_THROW(place(ComputeRole::Vae, "auto", kCpuOnly, Precision::Float16), DeviceUnavailable);
    EXPECT_EQ(place(ComputeRole::Vae, "auto", kSmallGpu, Precision::Float16).precision,
              Precision::Float16);
}

TEST(DevicePolicy, MissingCudaDevicesAreErrorsThatSayWhy) {
    try {
        place(ComputeRole::Dit, "cuda", kCpuOnly);
        FAIL() << "expected an error";
    } catch (const DeviceUnavailable& e) {
        EXPECT_STREQ(e.what(), "device cuda:0: no usable CUDA device (this build has no CUDA)");
    }
    RuntimeInfo cudaBuildNoGpu = kCpuOnly;
    cudaBuildNoGpu.cudaBuild = true;
    EXPECT_THROW(place(ComputeRole::Taehv, "cuda:0", cudaBuildNoGpu), DeviceUnavailable);
    try {
        place(ComputeRole::Dit, "cuda:2", kBigGpu);
        FAIL() << "expected an error";
    } catch (const DeviceUnavailable& e) {
        EXPECT_STREQ(e.what(),
                     "device cuda:2: this machine has 2 CUDA device(s), cuda:0 to cuda:1");
    }
    // The CPU and auto never fail.
    EXPECT_NO_THROW(place(ComputeRole::TextEncoder, "cpu", kCpuOnly));
    EXPECT_NO_THROW(place(ComputeRole::TextEncoder, "auto", kCpuOnly));
}

} // namespace
} // namespace sfs::inference
