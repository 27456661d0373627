#include "pipeline/noise.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

namespace sfs::inference::pipeline {

SeededNoise::SeededNoise(uint64_t seed)
    : m_generator(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

void SeededNoise::fill(at::Tensor& out, const DrawRequest&) {
    c10::InferenceMode guard;
    if (!m_buffer.defined() || m_buffer.sizes() != out.sizes()) {
        m_buffer = at::empty(out.sizes(), at::TensorOptions().dtype(at::kFloat));
    }
    m_buffer.normal_(0.0, 1.0, m_generator);
    out.copy_(m_buffer);
}

} // namespace sfs::inference::pipeline
