#pragma once
// The flow-matching schedule of Self-Forcing's few-step sampler (spec §5): the 1000-entry
// σ/t table rebuilt exactly as the reference does (float32 linspace, then the shift warp),
// the warped denoising steps, σ lookup by nearest timestep, flow → x0 in float64 and the
// re-noise in float32.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <vector>

namespace sfs::inference::pipeline {

class FlowMatchSchedule {
public:
    // shift 5 is the published CLI setting (the demo runs 8). `device` is where flowToX0
    // finds its float64 tables.
    explicit FlowMatchSchedule(double shift = 5.0, int64_t trainSteps = 1000,
                               c10::Device device = c10::Device(c10::kCPU));

    double shift() const { return m_shift; }
    int64_t trainSteps() const { return m_trainSteps; }
    // float32 [trainSteps] on the CPU: σ_i and t_i = 1000·σ_i.
    const at::Tensor& sigmas() const { return m_sigmas; }
    const at::Tensor& timesteps() const { return m_timesteps; }

    // The published step list before warping.
    static std::vector<int64_t> defaultSteps() { return {1000, 750, 500, 250}; }
    // Evenly spaced steps for another count: 1000·(1 - k/n), k < n (n = 4 gives the default).
    static std::vector<int64_t> evenSteps(int count);
    // warp_denoising_step: t_ext[trainSteps - s] with t_ext = timesteps ++ [0]
    // (1000, 750, 500, 250 → 1000, 937.5, 833.33, 625 at shift 5).
    std::vector<float> warp(const std::vector<int64_t>& steps) const;

    // argmin_i |t_i - t| (first index on ties), compared in float32 like the add-noise path.
    int64_t indexOf(float t) const;
    float sigmaAt(float t) const;

    // x0 = x_t - σ(t)·v per frame in float64, cast to v's dtype. xt and flow [B, F, ...],
    // t [B, Ft] with Ft dividing F (σ looked up on the device, no host round trip).
    at::Tensor flowToX0(const at::Tensor& xt, const at::Tensor& flow, const at::Tensor& t) const;
    // (1 - σ(t))·x0 + σ(t)·ε with both products and the sum in float32, cast to ε's dtype.
    at::Tensor addNoise(const at::Tensor& x0, const at::Tensor& eps, float t) const;

private:
    double m_shift;
    int64_t m_trainSteps;
    at::Tensor m_sigmas;    // float32, CPU
    at::Tensor m_timesteps; // float32, CPU
    at::Tensor m_sigmas64;  // float64, on the device
    at::Tensor m_timesteps64;
};

} // namespace sfs::inference::pipeline
