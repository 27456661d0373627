#include "io/weights.h"

#include "io/safetensors.h"
#include "io/stored_tensor.h"

#include <ATen/ATen.h>

namespace sfs::inference::io {

void Weights::insert(const std::string& name, at::Tensor tensor) {
    m_tensors[name] = std::move(tensor);
}

std::vector<std::string> Weights::names() const {
    std::vector<std::string> out;
    out.reserve(m_tensors.size());
    for (const auto& kv : m_tensors) {
        out.push_back(kv.first);
    }
    return out;
}

const at::Tensor& Weights::get(const std::string& name) const {
    auto it = m_tensors.find(name);
    if (it == m_tensors.end()) {
        throw WeightsError(m_origin, name, "missing (the file has no such weight)");
    }
    return it->second;
}

const at::Tensor& Weights::get(const std::string& name, at::IntArrayRef expectedShape) const {
    const at::Tensor& t = get(name);
    if (t.sizes() != expectedShape) {
        throw WeightsError(m_origin, name,
                           "shape " + shapeText(t.sizes().vec()) + " does not match the config (" +
                               shapeText(expectedShape.vec()) + ")");
    }
    return t;
}

Weights Weights::withPrefix(const std::string& prefix) const {
    Weights out(m_origin);
    for (auto it = m_tensors.lower_bound(prefix);
         it != m_tensors.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
        out.m_tensors[it->first.substr(prefix.size())] = it->second;
    }
    return out;
}

Weights Weights::fromSafetensors(const std::string& path, at::ScalarType dtype,
                                 c10::Device device) {
    auto file = SafetensorsFile::open(path);
    Weights w(path);
    for (const TensorInfo& t : file->tensors()) {
        w.insert(t.name, file->load(t.name, dtype, device));
    }
    return w;
}

} // namespace sfs::inference::io
