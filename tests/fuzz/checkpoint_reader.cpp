// Fuzz target: the PyTorch checkpoint reader. Inputs that start like a zip archive go through
// the whole reader (zip directory, data.pkl, storages, views) and every tensor is loaded;
// other inputs go straight to the restricted unpickler, so that mutations are not all stopped
// by data.pkl's CRC. Any input must either parse or raise WeightsError.

#include "io/checkpoint.h"
#include "io/pickle.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace sfs::inference::io;
    try {
        if (looksLikeZip(data, size)) {
            auto file = CheckpointFile::fromBytes(data, size, "fuzz");
            for (const CheckpointTensor& t : file->tensors()) {
                if (t.stored.storageBytes <= (1u << 20)) {
                    file->load(t, at::kFloat);
                }
            }
        } else {
            pickle::unpickle(data, size, "fuzz");
        }
    } catch (const WeightsError&) {
        // Rejected with a message: what malformed input should get.
    }
    return 0;
}
