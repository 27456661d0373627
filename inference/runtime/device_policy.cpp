#include "sfs/inference/device_policy.h"

#include <cstdio>
#include <iterator>

namespace sfs::inference {

namespace {

// Names in the order of the enums' values.
constexpr const char* kPrecisionNames[] = {"auto", "float32", "bfloat16", "float16"};
constexpr const char* kRoleNames[] = {"DiT", "Wan VAE", "TAEHV", "text encoder"};
constexpr const char* kTextEncoderDeviceNames[] = {"auto", "cpu", "gpu"};

std::string gib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1ull << 30));
    return buf;
}

bool isDigits(std::string_view s) {
    if (s.empty()) {
        return false;
    }
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

DeviceName cuda(int index) {
    return DeviceName{DeviceKind::Cuda, index};
}

// The precision "auto" means for a role on a device.
Precision autoPrecision(ComputeRole role, const DeviceName& device) {
    if (role == ComputeRole::TextEncoder || device.kind == DeviceKind::Cuda) {
        return Precision::BFloat16;
    }
    return Precision::Float32;
}

// Where "auto" puts a role, and why.
Placement autoDevice(ComputeRole role, const RuntimeInfo& machine) {
    const std::string who = computeRoleName(role);
    Placement p;
    if (machine.gpus.empty()) {
        p.reason = who + " on the CPU (no CUDA device)";
        return p;
    }
    const GpuInfo& gpu = machine.gpus.front();
    if (role == ComputeRole::TextEncoder && gpu.memoryBytes < kTextEncoderGpuMinBytes) {
        p.reason = who + " on the CPU: " + gpu.name + " has " + gib(gpu.memoryBytes) +
                   ", less than " + gib(kTextEncoderGpuMinBytes);
        return p;
    }
    p.device = cuda(0);
    p.reason = who + " on " + gpu.name + " (cuda:0, " + gib(gpu.memoryBytes) + ")";
    return p;
}

} // namespace

std::string DeviceName::text() const {
    if (kind == DeviceKind::Cuda) {
        return "cuda:" + std::to_string(index);
    }
    return kind == DeviceKind::Cpu ? "cpu" : "auto";
}

std::optional<DeviceName> tryParseDevice(std::string_view text) {
    if (text == "auto") {
        return DeviceName{DeviceKind::Auto, 0};
    }
    if (text == "cpu") {
        return DeviceName{DeviceKind::Cpu, 0};
    }
    if (text == "cuda") {
        return cuda(0);
    }
    constexpr std::string_view prefix = "cuda:";
    if (text.substr(0, prefix.size()) == prefix) {
        const std::string_view number = text.substr(prefix.size());
        if (isDigits(number) && number.size() <= 3) {
            return cuda(std::stoi(std::string(number)));
        }
    }
    return std::nullopt;
}

std::string deviceNameProblem(std::string_view text) {
    if (tryParseDevice(text)) {
        return {};
    }
    return "device \"" + std::string(text) + "\" is not one of " + kDeviceChoices;
}

DeviceName parseDevice(std::string_view text) {
    if (const auto device = tryParseDevice(text)) {
        return *device;
    }
    throw std::invalid_argument(deviceNameProblem(text));
}

std::optional<Precision> tryParsePrecision(std::string_view text) {
    for (size_t i = 0; i < std::size(kPrecisionNames); ++i) {
        if (text == kPrecisionNames[i]) {
            return static_cast<Precision>(i);
        }
    }
    return std::nullopt;
}

Precision parsePrecision(std::string_view text) {
    if (const auto p = tryParsePrecision(text)) {
        return *p;
    }
    throw std::invalid_argument("precision \"" + std::string(text) + "\" is not one of " +
                                kPrecisionChoices);
}

const char* precisionName(Precision precision) {
    return kPrecisionNames[static_cast<size_t>(precision)];
}

std::optional<TextEncoderDevice> tryParseTextEncoderDevice(std::string_view text) {
    for (size_t i = 0; i < std::size(kTextEncoderDeviceNames); ++i) {
        if (text == kTextEncoderDeviceNames[i]) {
            return static_cast<TextEncoderDevice>(i);
        }
    }
    return std::nullopt;
}

const char* textEncoderDeviceName(TextEncoderDevice device) {
    return kTextEncoderDeviceNames[static_cast<size_t>(device)];
}

bool precisionSupported(Precision precision, const DeviceName& device) {
    return !(precision == Precision::Float16 && device.kind != DeviceKind::Cuda);
}

const char* computeRoleName(ComputeRole role) {
    return kRoleNames[static_cast<size_t>(role)];
}

namespace {

// Where a role runs as request.device names it (its precision still undecided).
Placement namedDevice(ComputeRole role, const DeviceRequest& request, const RuntimeInfo& machine) {
    const std::string who = computeRoleName(role);
    Placement p;
    switch (request.device.kind) {
    case DeviceKind::Auto:
        return autoDevice(role, machine);
    case DeviceKind::Cpu:
        p.reason = who + " on the CPU (chosen)";
        return p;
    case DeviceKind::Cuda:
        break;
    }
    const int index = request.device.index;
    const std::string name = request.device.text();
    if (machine.gpus.empty()) {
        throw DeviceUnavailable("device " + name + ": no usable CUDA device (" +
                                (machine.cudaBuild ? "none found" : "this build has no CUDA") +
                                ")");
    }
    if (index < 0 || static_cast<size_t>(index) >= machine.gpus.size()) {
        throw DeviceUnavailable(
            "device " + name + ": this machine has " + std::to_string(machine.gpus.size()) +
            " CUDA device(s), cuda:0 to cuda:" + std::to_string(machine.gpus.size() - 1));
    }
    p.device = cuda(index);
    p.reason =
        who + " on " + machine.gpus[static_cast<size_t>(index)].name + " (" + name + ", chosen)";
    return p;
}

} // namespace

Placement choosePlacement(ComputeRole role, const DeviceRequest& request,
                          const RuntimeInfo& machine) {
    const std::string who = computeRoleName(role);
    Placement p;
    if (role == ComputeRole::TextEncoder && request.textEncoder == TextEncoderDevice::Cpu) {
        p.reason = who + " on the CPU (chosen)";
    } else if (role == ComputeRole::TextEncoder && request.textEncoder == TextEncoderDevice::Gpu) {
        p.device = namedDevice(ComputeRole::Dit, request, machine).device;
        p.reason = who + " on the DiT's device, " +
                   (p.onCuda() ? p.device.text() : std::string("the CPU")) + " (chosen)";
    } else {
        p = namedDevice(role, request, machine);
    }
    p.precision =
        request.precision == Precision::Auto ? autoPrecision(role, p.device) : request.precision;
    if (!precisionSupported(p.precision, p.device)) {
        if (role != ComputeRole::TextEncoder) {
            throw DeviceUnavailable(std::string("precision ") + precisionName(p.precision) +
                                    ": the CPU does not run it (the " + who +
                                    " runs there); use bfloat16 or float32");
        }
        p.precision = Precision::BFloat16; // the encoder's own precision (see the rules)
    }
    p.reason += std::string(", ") + precisionName(p.precision);
    return p;
}

Placement choosePlacement(ComputeRole role, const DeviceRequest& request) {
    return choosePlacement(role, request, queryRuntime());
}

} // namespace sfs::inference
