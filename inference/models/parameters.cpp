#include "models/parameters.h"

#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>

namespace sfs::inference::models {

BoundParameters::BoundParameters(const ParamList& list, const io::Weights& weights,
                                 const std::string& modelName) {
    bool haveType = false;
    for (const ParamSpec& p : list) {
        const at::Tensor& stored = weights.get(p.name); // throws naming a missing tensor
        const std::vector<int64_t> shape = stored.sizes().vec();
        at::Tensor t = shape == p.shape   ? stored
                       : p.accepts(shape) ? stored.narrow(0, shape[0] - p.shape[0], p.shape[0])
                                          : weights.get(p.name, p.shape); // names both shapes
        if (!at::isFloatingType(t.scalar_type())) {
            throw io::WeightsError(weights.origin(), p.name,
                                   std::string("holds ") + c10::toString(t.scalar_type()) +
                                       " values, a floating-point type is needed");
        }
        if (!haveType) {
            haveType = true;
            m_dtype = t.scalar_type();
            m_device = t.device();
        } else if (t.scalar_type() != m_dtype || t.device() != m_device) {
            throw io::WeightsError(weights.origin(), p.name,
                                   std::string("is ") + c10::toString(t.scalar_type()) + " on " +
                                       t.device().str() + " while the other weights are " +
                                       c10::toString(m_dtype) + " on " + m_device.str());
        }
        if (!m_tensors.emplace(p.name, std::move(t)).second) {
            throw std::logic_error("parameter '" + p.name + "' is listed twice");
        }
    }
    for (const std::string& n : weights.names()) {
        if (m_tensors.count(n) == 0) {
            throw io::WeightsError(weights.origin(), n,
                                   "is not a weight of the " + modelName +
                                       " (a file of another model, or another configuration)");
        }
    }
}

const at::Tensor& BoundParameters::operator[](const std::string& name) const {
    auto it = m_tensors.find(name);
    if (it == m_tensors.end()) {
        throw std::logic_error("parameter '" + name + "' is not in the model's parameter list");
    }
    m_taken.insert(name);
    return it->second;
}

void BoundParameters::requireAllTaken() const {
    for (const auto& [name, tensor] : m_tensors) {
        if (m_taken.count(name) == 0) {
            throw std::logic_error("parameter '" + name +
                                   "' is listed but the model does not use it");
        }
    }
}

io::Weights drawRandomWeights(const ParamList& list, uint64_t seed, at::ScalarType dtype,
                              c10::Device device, const std::string& origin) {
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    // Elements drawn at a time: bounds the float32 copy of a multi-GB embedding. A multiple of
    // 16, so the pieces draw the same values as one draw of the whole tensor would.
    constexpr int64_t kPiece = int64_t{1} << 24;
    io::Weights w(origin);
    for (const ParamSpec& p : list) {
        double mean = 0.0;
        double std = 1.0;
        switch (p.kind) {
        case ParamKind::Weight: {
            const int64_t fanIn = p.shape.empty() || p.shape[0] == 0 ? 1 : p.numel() / p.shape[0];
            std = 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(fanIn, 1)));
            break;
        }
        case ParamKind::Bias:
            std = 0.1;
            break;
        case ParamKind::Gain:
            mean = 1.0;
            std = 0.1;
            break;
        case ParamKind::Modulation:
            std = 1.0 / std::sqrt(static_cast<double>(p.shape.empty() ? 1 : p.shape.back()));
            break;
        case ParamKind::Embedding:
            break;
        case ParamKind::PositionBias:
            std = 0.5;
            break;
        }
        if (w.has(p.name)) {
            throw std::logic_error("parameter '" + p.name + "' is listed twice");
        }
        at::Tensor t;
        if (p.numel() <= kPiece) {
            t = at::empty(p.shape, f32).normal_(mean, std, gen).to(device, dtype);
        } else {
            t = at::empty(p.shape, at::TensorOptions().dtype(dtype).device(device));
            at::Tensor flat = t.view({-1});
            for (int64_t start = 0; start < flat.numel(); start += kPiece) {
                const int64_t n = std::min(kPiece, flat.numel() - start);
                flat.narrow(0, start, n).copy_(at::empty({n}, f32).normal_(mean, std, gen));
            }
        }
        w.insert(p.name, t);
    }
    return w;
}

} // namespace sfs::inference::models
