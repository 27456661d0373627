#pragma once
// One interface over every weights format: the names, element types and shapes of a file's
// tensors (from its header alone) and loading them one at a time. The format is decided by the
// content, never by the file name.

#include "io/dtype.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfs::inference::io {

struct TensorEntry {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    int64_t numel() const;
};

// What a file's first bytes say it is (at least 16 bytes, fewer only for shorter files).
enum class WeightsFormat { Safetensors, Checkpoint, Other };
WeightsFormat sniffWeightsFormat(const uint8_t* head, uint64_t size);

class TensorFile {
public:
    // Opens a safetensors file or a PyTorch checkpoint. A checkpoint may hold several state
    // dicts; `section` picks one by name, else the preferred one is used (generator_ema, then
    // generator, state_dict, model, module; else the one with the most parameters). Throws
    // WeightsError naming the file.
    static std::unique_ptr<TensorFile> open(const std::string& path,
                                            const std::string& section = {});
    virtual ~TensorFile() = default;

    const std::string& path() const { return m_path; }
    uint64_t fileSize() const { return m_fileSize; }
    virtual const char* format() const = 0;
    const std::string& section() const { return m_section; }
    const std::vector<std::string>& otherSections() const { return m_otherSections; }
    const std::vector<TensorEntry>& entries() const { return m_entries; }
    const TensorEntry* find(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

    // Throws WeightsError naming the file and the tensor.
    virtual at::Tensor load(const std::string& name,
                            std::optional<at::ScalarType> dtype = std::nullopt,
                            c10::Device device = c10::Device(c10::kCPU),
                            bool* aliasesFile = nullptr) const = 0;
    // After a load that copied: the file's pages of that tensor go back to the kernel.
    virtual void releasePages(const std::string& name) const = 0;

protected:
    std::string m_path;
    uint64_t m_fileSize = 0;
    std::string m_section;
    std::vector<std::string> m_otherSections;
    std::vector<TensorEntry> m_entries;
    std::map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
    void index();
};

} // namespace sfs::inference::io
