#pragma once
// Where each model runs and in which precision: the one place that parses a device name
// ("auto", "cpu", "cuda", "cuda:N") and a precision name, and chooses the device and dtype of
// each model role from the facts of the machine. Torch-free: the project rules (core), the
// command line, the benchmarks, the text encoder and the engine all use it. The choice is a pure
// function of its inputs (RuntimeInfo describes the machine), so it is tested without a GPU.
//
// The rules:
// - "auto" puts the DiT and both decoders on CUDA device 0 when there is one, else on the CPU.
// - "auto" puts the text encoder (umt5-xxl, ~11 GB in bf16, run once per distinct prompt) on
//   CUDA device 0 only when that card has at least kTextEncoderGpuMinBytes, else on the CPU.
// - A named device is used as named; a CUDA device the machine lacks is an error.
// - Precision "auto" is bfloat16 on CUDA and float32 on the CPU, except for the text encoder,
//   which runs in bfloat16 everywhere (as Self-Forcing does; the prompt cache keys on it).
// - The CPU does not run float16 (LibTorch's CPU kernels lack most half-precision ops): a
//   model placed there in float16 is refused, except the text encoder, which then runs in
//   bfloat16.
// - The text encoder may be sent to the CPU or to the DiT's device whatever `device` says
//   (DeviceRequest::textEncoder); it is loaded only to encode and freed after.

#include "sfs/inference/runtime_info.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sfs::inference {

enum class DeviceKind { Auto, Cpu, Cuda };

// A device as a user names it.
struct DeviceName {
    DeviceKind kind = DeviceKind::Auto;
    int index = 0; // the CUDA device number ("cuda" is device 0)

    // "auto", "cpu" or "cuda:N": the form torch's device parser also reads.
    std::string text() const;
    bool operator==(const DeviceName& other) const {
        return kind == other.kind && (kind != DeviceKind::Cuda || index == other.index);
    }
    bool operator!=(const DeviceName& other) const { return !(*this == other); }
};

// The accepted device names, for messages and help texts.
inline constexpr const char* kDeviceChoices = "auto, cpu, cuda, cuda:N";
inline constexpr int kMaxCudaIndex = 999;

// "auto", "cpu", "cuda" or "cuda:N" (N of 1 to 3 digits); nothing else (no spaces, no case
// folding). nullopt for anything else.
std::optional<DeviceName> tryParseDevice(std::string_view text);
// Empty when `text` names a device, else the message: device "tpu" is not one of auto, ...
std::string deviceNameProblem(std::string_view text);
// Throws std::invalid_argument with deviceNameProblem's message.
DeviceName parseDevice(std::string_view text);

enum class Precision { Auto, Float32, BFloat16, Float16 }; // names in this order in the .cpp

inline constexpr const char* kPrecisionChoices = "auto, float32, bfloat16, float16";

std::optional<Precision> tryParsePrecision(std::string_view text);
// Throws std::invalid_argument: precision "int4" is not one of auto, float32, ...
Precision parsePrecision(std::string_view text);
const char* precisionName(Precision precision); // "auto", "float32", "bfloat16", "float16"

// The parts of a generation that get a device each.
enum class ComputeRole { Dit, Vae, Taehv, TextEncoder }; // names in this order in the .cpp
const char* computeRoleName(ComputeRole role); // "DiT", "Wan VAE", "TAEHV", "text encoder"

// GPU memory from which "auto" places the text encoder on the GPU.
inline constexpr uint64_t kTextEncoderGpuMinBytes = 24ull << 30;

// Where the text encoder runs: as `device`'s rules say (Auto), on the CPU, or on the DiT's
// device (Gpu: its GPU, freed after encoding; the CPU when the DiT runs there).
enum class TextEncoderDevice { Auto, Cpu, Gpu }; // names in this order in the .cpp

inline constexpr const char* kTextEncoderDeviceChoices = "auto, cpu, gpu";

std::optional<TextEncoderDevice> tryParseTextEncoderDevice(std::string_view text);
const char* textEncoderDeviceName(TextEncoderDevice device); // "auto", "cpu", "gpu"

struct DeviceRequest {
    DeviceName device;
    Precision precision = Precision::Auto;
    TextEncoderDevice textEncoder = TextEncoderDevice::Auto;
};

// Whether a model runs in `precision` on `device` (decided, not Auto): the CPU lacks float16.
bool precisionSupported(Precision precision, const DeviceName& device);

// A decided placement: never Auto.
struct Placement {
    DeviceName device{DeviceKind::Cpu, 0};
    Precision precision = Precision::Float32;
    std::string reason; // one line for logs and the UI, e.g. "DiT on the CPU (no CUDA device)"
    bool onCuda() const { return device.kind == DeviceKind::Cuda; }
};

// A device the request names but the machine does not have (the name itself was valid).
class DeviceUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The device and precision of `role` for `request` on a machine described by `machine` (its
// `gpus` and `cudaBuild` are read). Throws DeviceUnavailable for a CUDA device it lacks.
Placement choosePlacement(ComputeRole role, const DeviceRequest& request,
                          const RuntimeInfo& machine);
// The same on this machine (queryRuntime(); may initialise CUDA: not on the UI thread).
Placement choosePlacement(ComputeRole role, const DeviceRequest& request);

} // namespace sfs::inference
