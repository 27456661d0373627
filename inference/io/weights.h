#pragma once
// A set of named weights, as models consume them: canonical (original Wan / reference
// state_dict) names mapped to tensors already in the compute dtype and on the device.
// How names get canonical (prefixes, ComfyUI/diffusers naming, fp8 scales) is the loader's
// business (io/); models only ask for names and shapes here.

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace sfs::inference::io {

class Weights {
public:
    Weights() = default;
    explicit Weights(std::string origin) : m_origin(std::move(origin)) {}

    // Where the weights came from (a file path, "demo", ...), for messages.
    const std::string& origin() const { return m_origin; }

    void insert(const std::string& name, at::Tensor tensor);
    bool has(const std::string& name) const { return m_tensors.count(name) != 0; }
    std::vector<std::string> names() const;
    size_t size() const { return m_tensors.size(); }

    // The tensor; throws WeightsError naming origin and tensor when it is absent.
    const at::Tensor& get(const std::string& name) const;
    // The tensor, checked against the shape a config implies.
    const at::Tensor& get(const std::string& name, at::IntArrayRef expectedShape) const;

    // Every name with a prefix, e.g. "blocks.3." (for per-layer views).
    Weights withPrefix(const std::string& prefix) const;

    // Loads every tensor of a safetensors file as is (no renaming), converted to dtype.
    static Weights fromSafetensors(const std::string& path, at::ScalarType dtype,
                                   c10::Device device = c10::Device(c10::kCPU));

private:
    std::string m_origin;
    std::map<std::string, at::Tensor> m_tensors;
};

} // namespace sfs::inference::io
