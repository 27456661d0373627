// Fuzz target: the safetensors header parser and tensor loading over arbitrary bytes. Any input
// must either parse or raise WeightsError; loading a parsed tensor must stay inside the buffer.

#include "io/safetensors.h"

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sfs::inference::io;
    try {
        const SafetensorsHeader header = parseSafetensorsHeader(data, size, size, "fuzz");
        auto file = SafetensorsFile::fromBytes(data, size, "fuzz");
        for (const TensorInfo& t : header.tensors) {
            if (t.byteSize() <= (1u << 20)) {
                file->load(t.name, at::kFloat);
            }
        }
    } catch (const WeightsError&) {
        // Rejected with a message: what malformed input should get.
    }
    return 0;
}
