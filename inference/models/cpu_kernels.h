#pragma once
// Fused CPU kernels for the element-wise passes that LibTorch 1.13 runs as several kernels
// each (issue 17): the attention softmax and the FFN's GELU. Each reads its input once,
// computes in float32 with a vectorised exp (Cephes' expf polynomial, within 2 ulp of the
// libm value; 0 below -87, infinity above 88) and rounds once to the tensor's dtype. Float32 and
// bfloat16 only; the callers fall back to LibTorch's kernels for other dtypes and devices.

#include <ATen/core/Tensor.h>

#include <string>

namespace sfs::inference::models::cpu {

// Which copy of the kernels runs: "amx" (the AVX-512 copy, and bf16 attention on the AMX tiles
// where the CPU has AMX-BF16 and Linux grants the tiles), "avx512", "avx2" (each compiled for
// its instruction set; the build itself targets baseline x86-64) or "off" (a CPU with neither,
// or another architecture: LibTorch's kernels). The CPU's best, unless the environment variable
// SFS_CPU_KERNELS names another that it has (for comparisons: "off" runs LibTorch's kernels in
// the same build).
std::string instructionSet();
// For tests: switches as SFS_CPU_KERNELS would; false if the name is unknown or the CPU lacks it.
bool selectInstructionSetForTest(const std::string& name);

// Whether these kernels take `t`: a CPU tensor in float32 or bfloat16, kernels not "off".
bool supports(const at::Tensor& t);

// softmax(scale·x) over each row of a contiguous [rows, cols] float32 or bf16 matrix, in
// place, on the calling thread (the attention's tasks call it). The exponentials
// are kept in float32 and normalised before the one rounding, as LibTorch's softmax does.
void softmaxRowsInPlace(at::Tensor& scores, float scale);

// GELU in its tanh form (§3.3) as x·σ(2z), z = √(2/π)·(x + 0.044715·x³), element-wise into a
// new tensor of x's dtype and shape, in parallel over LibTorch's threads.
at::Tensor geluTanh(const at::Tensor& x);

// LN(x) ⊙ scalePlusOne + shift with the modulation per group of tokens (§3.4): x [B, L, C]
// float32 or bf16, shift and scalePlusOne [B, G, C] float32 with L a multiple of G (tokens of
// group g are rows g·L/G ...). The row's mean and variance in float32 (two passes over the row
// in the cache), one rounding to `dtype` (float32 or bf16) at the end; parallel over rows.
at::Tensor modulatedLayerNorm(const at::Tensor& x, const at::Tensor& shift,
                              const at::Tensor& scalePlusOne, double eps, at::ScalarType dtype);

// In place on x [B, L, P, C] (P projections of C channels, each row of C contiguous, float32
// or bf16): RMSNorm with weight [P, C] float32 (undefined: none), a factor per projection
// `scale` [P] float32 (undefined: 1) and RoPE with `rope` [L, D/2] complex64 (undefined:
// none; pair j of every head of token l turns by rope[l][j]), in float32 with one rounding at
// the end: one pass over q and k where LibTorch needs five.
void normAndRotateInPlace(at::Tensor& x, const at::Tensor& weight, const at::Tensor& scale,
                          const at::Tensor& rope, int64_t headDim, double eps);

// softmax(scale · q kᵀ) v for q [B, N, Lq, d], k and v [B, N, Lk, d] on the CPU. With the
// "amx" set, bf16 and d a multiple of 32 (dv of 16): the tile kernel (cpu_attention_amx.inc),
// scores in float32, scoreBudgetBytes unused. Otherwise one task per
// (batch, head, piece of query rows) spread over LibTorch's threads, each task running its
// two products single-threaded (no fork and join per small product) with the scores of its
// piece (under scoreBudgetBytes, in the core's cache) between them. Writes `out`, a
// token-major [B, Lq, N, d] tensor.
void attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, at::Tensor& out,
               int64_t scoreBudgetBytes, float scale);

} // namespace sfs::inference::models::cpu
