#include "pipeline/flow_schedule.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace sfs::inference::pipeline {

FlowMatchSchedule::FlowMatchSchedule(double shift, int64_t trainSteps, c10::Device device)
    : m_shift(shift), m_trainSteps(trainSteps) {
    if (!(shift > 0.0) || trainSteps <= 0) {
        throw std::invalid_argument("flow-matching schedule: shift and step count must be "
                                    "positive");
    }
    c10::InferenceMode guard;
    // sigma_max 1, sigma_min 0, extra_one_step: linspace(1, 0, n + 1)[:-1] in float32 on the
    // CPU, then σ = shift·s / (1 + (shift - 1)·s) with float32 tensor arithmetic.
    const at::Tensor s =
        at::linspace(1.0, 0.0, trainSteps + 1, at::TensorOptions().dtype(at::kFloat))
            .narrow(0, 0, trainSteps);
    m_sigmas = (s * shift / (s * (shift - 1.0) + 1.0)).contiguous();
    m_timesteps = (m_sigmas * static_cast<double>(trainSteps)).contiguous();
    m_sigmas64 = m_sigmas.to(device, at::kDouble);
    m_timesteps64 = m_timesteps.to(device, at::kDouble);
}

std::vector<int64_t> FlowMatchSchedule::evenSteps(int count) {
    if (count <= 0) {
        throw std::invalid_argument("the number of denoising steps must be positive");
    }
    std::vector<int64_t> steps;
    for (int k = 0; k < count; ++k) {
        steps.push_back(1000 - (1000 * k) / count);
    }
    return steps;
}

std::vector<float> FlowMatchSchedule::warp(const std::vector<int64_t>& steps) const {
    const float* t = m_timesteps.data_ptr<float>();
    std::vector<float> out;
    for (int64_t s : steps) {
        const int64_t index = m_trainSteps - s;
        if (index < 0 || index > m_trainSteps) {
            throw std::invalid_argument("denoising step " + std::to_string(s) + " is outside 0.." +
                                        std::to_string(m_trainSteps));
        }
        out.push_back(index == m_trainSteps ? 0.0f : t[index]);
    }
    return out;
}

int64_t FlowMatchSchedule::indexOf(float t) const {
    const float* ts = m_timesteps.data_ptr<float>();
    int64_t best = 0;
    float bestDistance = std::fabs(ts[0] - t);
    for (int64_t i = 1; i < m_trainSteps; ++i) {
        const float d = std::fabs(ts[i] - t);
        if (d < bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

float FlowMatchSchedule::sigmaAt(float t) const {
    return m_sigmas.data_ptr<float>()[indexOf(t)];
}

at::Tensor FlowMatchSchedule::flowToX0(const at::Tensor& xt, const at::Tensor& flow,
                                       const at::Tensor& t) const {
    c10::InferenceMode guard;
    if (xt.sizes() != flow.sizes() || xt.dim() < 2 || t.dim() != 2 || t.size(0) != xt.size(0) ||
        t.size(1) == 0 || xt.size(1) % t.size(1) != 0) {
        throw std::invalid_argument("flow to x0: x_t and the flow must share a [B, F, ...] shape "
                                    "and the timesteps be [B, Ft] with Ft dividing F");
    }
    const at::Tensor tt = t.to(m_timesteps64.device(), at::kDouble).flatten();
    const at::Tensor index = (m_timesteps64.unsqueeze(0) - tt.unsqueeze(1)).abs().argmin(1);
    std::vector<int64_t> groups = {xt.size(0), t.size(1), xt.size(1) / t.size(1)};
    std::vector<int64_t> sigmaShape = {xt.size(0), t.size(1), 1};
    for (int64_t d = 2; d < xt.dim(); ++d) {
        groups.push_back(xt.size(d));
        sigmaShape.push_back(1);
    }
    const at::Tensor sigma = m_sigmas64.index_select(0, index).to(flow.device()).view(sigmaShape);
    const at::Tensor x0 =
        xt.to(at::kDouble).reshape(groups) - sigma * flow.to(at::kDouble).reshape(groups);
    return x0.view(xt.sizes()).to(flow.scalar_type());
}

at::Tensor FlowMatchSchedule::addNoise(const at::Tensor& x0, const at::Tensor& eps, float t) const {
    c10::InferenceMode guard;
    const float sigma = sigmaAt(t);
    const float keep = 1.0f - sigma; // rounded in float32, as the reference's tensor op
    return (x0.to(at::kFloat) * static_cast<double>(keep) +
            eps.to(at::kFloat) * static_cast<double>(sigma))
        .to(eps.scalar_type());
}

} // namespace sfs::inference::pipeline
