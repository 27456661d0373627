#include "models/param_source.h"

#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace sfs::inference::models {

const at::Tensor& WeightsSource::checked(const std::string& name, const at::Tensor& t) {
    if (!at::isFloatingType(t.scalar_type())) {
        throw io::WeightsError(m_weights.origin(), name,
                               std::string("holds ") + c10::toString(t.scalar_type()) +
                                   " values, a floating-point type is needed");
    }
    if (!m_haveType) {
        m_haveType = true;
        m_dtype = t.scalar_type();
        m_device = t.device();
    } else if (t.scalar_type() != m_dtype || t.device() != m_device) {
        throw io::WeightsError(m_weights.origin(), name,
                               std::string("is ") + c10::toString(t.scalar_type()) + " on " +
                                   t.device().str() + " while the other weights are " +
                                   c10::toString(m_dtype) + " on " + m_device.str());
    }
    m_used.insert(name);
    return t;
}

at::Tensor WeightsSource::get(const std::string& name, at::IntArrayRef shape, Kind) {
    return checked(name, m_weights.get(name, shape));
}

at::Tensor WeightsSource::getTrailingRows(const std::string& name, at::IntArrayRef shape) {
    const at::Tensor& t = m_weights.get(name);
    if (t.dim() == static_cast<int64_t>(shape.size()) && !shape.empty() && t.size(0) > shape[0] &&
        t.sizes().slice(1) == shape.slice(1)) {
        return checked(name, t).narrow(0, t.size(0) - shape[0], shape[0]);
    }
    return checked(name, m_weights.get(name, shape));
}

void WeightsSource::requireAllUsed(const std::string& modelName) const {
    for (const std::string& n : m_weights.names()) {
        if (m_used.count(n) == 0) {
            throw io::WeightsError(m_weights.origin(), n,
                                   "is not a parameter of the " + modelName +
                                       " (a file of another model or configuration?)");
        }
    }
}

RandomSource::RandomSource(uint64_t seed, at::ScalarType dtype, c10::Device device,
                           std::string origin)
    : m_generator(at::make_generator<at::CPUGeneratorImpl>(seed)), m_dtype(dtype), m_device(device),
      m_weights(std::move(origin)) {}

at::Tensor RandomSource::get(const std::string& name, at::IntArrayRef shape, Kind kind) {
    if (m_weights.has(name)) {
        throw std::logic_error("parameter '" + name + "' described twice");
    }
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(at::kFloat));
    switch (kind) {
    case Kind::Weight: {
        const int64_t fanIn = shape.empty() || shape[0] == 0 ? 1 : t.numel() / shape[0];
        t.normal_(0.0, 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(fanIn, 1))),
                  m_generator);
        break;
    }
    case Kind::Bias:
        t.normal_(0.0, 0.1, m_generator);
        break;
    case Kind::Gain:
        t.normal_(1.0, 0.1, m_generator);
        break;
    }
    t = t.to(m_device, m_dtype);
    m_weights.insert(name, t);
    return t;
}

} // namespace sfs::inference::models
