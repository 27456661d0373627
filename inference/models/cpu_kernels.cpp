#include "models/cpu_kernels.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace sfs::inference::models::cpu {

namespace {

// 16 lanes in GCC/Clang vector types: one AVX-512 register, two AVX2 or four SSE registers
// in the clones below. Casts between vector types of one size reinterpret the bits.
using f32x16 = float __attribute__((vector_size(64)));
using i32x16 = int32_t __attribute__((vector_size(64)));
using u32x16 = uint32_t __attribute__((vector_size(64)));
using u16x16 = uint16_t __attribute__((vector_size(32)));
constexpr int64_t kLanes = 16;

// The hot loops are compiled for AVX-512, AVX2 and the baseline, chosen at load time by the
// CPU (the build itself targets baseline x86-64, so users' machines of any age run it).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SFS_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SFS_SIMD_CLONES
#endif
#define SFS_INLINE inline __attribute__((always_inline))

SFS_INLINE f32x16 splat(float x) {
    return f32x16{} + x;
}

SFS_INLINE f32x16 loadF32(const float* p) {
    f32x16 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

SFS_INLINE void storeF32(float* p, f32x16 v) {
    std::memcpy(p, &v, sizeof v);
}

// bf16 is the top half of a float32: widening is a shift.
SFS_INLINE f32x16 loadBf16(const c10::BFloat16* p) {
    u16x16 h;
    std::memcpy(&h, p, sizeof h);
    return reinterpret_cast<f32x16>(__builtin_convertvector(h, u32x16) << 16);
}

// Round to nearest even, as c10::BFloat16's conversion (finite values; NaN stays NaN).
SFS_INLINE void storeBf16(c10::BFloat16* p, f32x16 v) {
    u32x16 bits = reinterpret_cast<u32x16>(v);
    bits = (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
    const u16x16 h = __builtin_convertvector(bits, u16x16);
    std::memcpy(p, &h, sizeof h);
}

SFS_INLINE f32x16 vmax(f32x16 a, f32x16 b) {
    return a > b ? a : b;
}

SFS_INLINE f32x16 vmin(f32x16 a, f32x16 b) {
    return a < b ? a : b;
}

// e^x: x = n·ln2 + r, |r| <= ln2/2, e^r by Cephes' degree-7 polynomial, 2^n built in the
// exponent bits of a normal float, so x is clamped to [-87, 88] for the arithmetic; below -87
// the result is 0 and above 88 infinity (float32's own e^x is subnormal or infinite there,
// within 1.6e-38 of those).
SFS_INLINE f32x16 expClamped(f32x16 x) {
    const f32x16 low = splat(-87.0f), high = splat(88.0f);
    const f32x16 in = x;
    x = vmin(vmax(x, low), high);
    const f32x16 magic = splat(12582912.0f); // 1.5·2^23: adding it rounds to an integer
    const f32x16 t = x * 1.44269504088896341f + magic;
    const f32x16 n = t - magic;
    const i32x16 ni = reinterpret_cast<i32x16>(t) - reinterpret_cast<i32x16>(magic);
    const f32x16 r = x - n * 0.693359375f + n * 2.12194440e-4f;
    f32x16 p = splat(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const f32x16 e = p * reinterpret_cast<f32x16>((ni + 127) << 23);
    const f32x16 zeroBelow = in < low ? f32x16{} : e;
    return in > high ? splat(std::numeric_limits<float>::infinity()) : zeroBelow;
}

SFS_INLINE float horizontalMax(f32x16 v) {
    float m = v[0];
    for (int i = 1; i < kLanes; ++i) {
        m = std::max(m, v[i]);
    }
    return m;
}

SFS_INLINE float horizontalSum(f32x16 v) {
    float s = 0;
    for (int i = 0; i < kLanes; ++i) {
        s += v[i];
    }
    return s;
}

// Loads of a row's last, partial vector: the missing lanes get `fill`.
template <typename T>
SFS_INLINE f32x16 loadTail(const T* p, int64_t n, float fill) {
    f32x16 v = splat(fill);
    for (int64_t i = 0; i < n; ++i) {
        v[i] = static_cast<float>(p[i]);
    }
    return v;
}

template <typename T>
SFS_INLINE f32x16 loadAny(const T* p) {
    if constexpr (std::is_same_v<T, float>) {
        return loadF32(p);
    } else {
        return loadBf16(p);
    }
}

// One row: the maximum, then e^(scale·(x - max)) into `exps` with their sum, then the
// normalised values back into the row, rounded once.
template <typename T>
SFS_INLINE void softmaxRow(T* row, int64_t n, float scale, float* exps) {
    const float negInf = -std::numeric_limits<float>::infinity();
    const int64_t whole = n - n % kLanes;
    f32x16 m = splat(negInf);
    for (int64_t i = 0; i < whole; i += kLanes) {
        m = vmax(m, loadAny(row + i));
    }
    if (whole < n) {
        m = vmax(m, loadTail(row + whole, n - whole, negInf));
    }
    const f32x16 max = splat(horizontalMax(m));
    f32x16 sum{};
    for (int64_t i = 0; i < whole; i += kLanes) {
        const f32x16 e = expClamped((loadAny(row + i) - max) * scale);
        storeF32(exps + i, e);
        sum += e;
    }
    float total = horizontalSum(sum);
    for (int64_t i = whole; i < n; ++i) {
        const f32x16 e = expClamped(splat((static_cast<float>(row[i]) - max[0]) * scale));
        exps[i] = e[0];
        total += e[0];
    }
    const f32x16 inverse = splat(1.0f / total);
    for (int64_t i = 0; i < whole; i += kLanes) {
        const f32x16 y = loadF32(exps + i) * inverse;
        if constexpr (std::is_same_v<T, float>) {
            storeF32(row + i, y);
        } else {
            storeBf16(row + i, y);
        }
    }
    for (int64_t i = whole; i < n; ++i) {
        row[i] = static_cast<T>(exps[i] * inverse[0]);
    }
}

SFS_SIMD_CLONES void softmaxRowsF32(float* data, int64_t rows, int64_t cols, float scale,
                                    float* exps) {
    for (int64_t r = 0; r < rows; ++r) {
        softmaxRow(data + r * cols, cols, scale, exps);
    }
}

SFS_SIMD_CLONES void softmaxRowsBf16(c10::BFloat16* data, int64_t rows, int64_t cols, float scale,
                                     float* exps) {
    for (int64_t r = 0; r < rows; ++r) {
        softmaxRow(data + r * cols, cols, scale, exps);
    }
}

// x·σ(2z) = x / (1 + e^(-2z)) with 2z = 2√(2/π)·(x + 0.044715·x³).
SFS_INLINE f32x16 gelu(f32x16 x) {
    const float twoK = static_cast<float>(2.0 * std::sqrt(2.0 / M_PI));
    const f32x16 minusTwoZ = (x * x * (-twoK * 0.044715f) - twoK) * x;
    return x / (expClamped(minusTwoZ) + 1.0f);
}

template <typename T>
SFS_INLINE void geluSpan(const T* in, T* out, int64_t n) {
    const int64_t whole = n - n % kLanes;
    for (int64_t i = 0; i < whole; i += kLanes) {
        const f32x16 y = gelu(loadAny(in + i));
        if constexpr (std::is_same_v<T, float>) {
            storeF32(out + i, y);
        } else {
            storeBf16(out + i, y);
        }
    }
    for (int64_t i = whole; i < n; ++i) {
        out[i] = static_cast<T>(gelu(splat(static_cast<float>(in[i])))[0]);
    }
}

SFS_SIMD_CLONES void geluSpanF32(const float* in, float* out, int64_t n) {
    geluSpan(in, out, n);
}

SFS_SIMD_CLONES void geluSpanBf16(const c10::BFloat16* in, c10::BFloat16* out, int64_t n) {
    geluSpan(in, out, n);
}

template <typename In, typename Out>
SFS_INLINE void modulatedNormRow(const In* x, Out* out, const float* shift, const float* scale1,
                                 int64_t n, float eps) {
    const int64_t whole = n - n % kLanes;
    f32x16 acc{};
    float total = 0;
    for (int64_t i = 0; i < whole; i += kLanes) {
        acc += loadAny(x + i);
    }
    for (int64_t i = whole; i < n; ++i) {
        total += static_cast<float>(x[i]);
    }
    const float mean = (horizontalSum(acc) + total) / static_cast<float>(n);
    acc = f32x16{};
    total = 0;
    for (int64_t i = 0; i < whole; i += kLanes) {
        const f32x16 d = loadAny(x + i) - mean;
        acc += d * d;
    }
    for (int64_t i = whole; i < n; ++i) {
        const float d = static_cast<float>(x[i]) - mean;
        total += d * d;
    }
    const float rstd = 1.0f / std::sqrt((horizontalSum(acc) + total) / static_cast<float>(n) + eps);
    for (int64_t i = 0; i < whole; i += kLanes) {
        const f32x16 y = (loadAny(x + i) - mean) * rstd * loadF32(scale1 + i) + loadF32(shift + i);
        if constexpr (std::is_same_v<Out, float>) {
            storeF32(out + i, y);
        } else {
            storeBf16(out + i, y);
        }
    }
    for (int64_t i = whole; i < n; ++i) {
        out[i] = static_cast<Out>((static_cast<float>(x[i]) - mean) * rstd * scale1[i] + shift[i]);
    }
}

// Rows [begin, end) of a [B, L, C] input; row r takes group (r mod L) / (L / G) of batch r / L.
template <typename In, typename Out>
SFS_INLINE void modulatedNormRows(const In* x, Out* out, const float* shift, const float* scale1,
                                  int64_t begin, int64_t end, int64_t tokens, int64_t groups,
                                  int64_t c, float eps) {
    const int64_t perGroup = tokens / groups;
    for (int64_t r = begin; r < end; ++r) {
        const int64_t m = (r / tokens * groups + r % tokens / perGroup) * c;
        modulatedNormRow(x + r * c, out + r * c, shift + m, scale1 + m, c, eps);
    }
}

#define SFS_MODULATED_NORM_CLONE(NAME, IN, OUT)                                                    \
    SFS_SIMD_CLONES void NAME(const IN* x, OUT* out, const float* shift, const float* scale1,      \
                              int64_t begin, int64_t end, int64_t tokens, int64_t groups,          \
                              int64_t c, float eps) {                                              \
        modulatedNormRows(x, out, shift, scale1, begin, end, tokens, groups, c, eps);              \
    }
SFS_MODULATED_NORM_CLONE(modulatedNormF32F32, float, float)
SFS_MODULATED_NORM_CLONE(modulatedNormF32Bf16, float, c10::BFloat16)
SFS_MODULATED_NORM_CLONE(modulatedNormBf16F32, c10::BFloat16, float)
SFS_MODULATED_NORM_CLONE(modulatedNormBf16Bf16, c10::BFloat16, c10::BFloat16)
#undef SFS_MODULATED_NORM_CLONE

// Pairs (2j, 2j+1) of 16 lanes: the pair swapped, the even or the odd lane in both places.
#if defined(__clang__)
#define SFS_SHUFFLE(v, ...) __builtin_shufflevector(v, v, __VA_ARGS__)
#else
#define SFS_SHUFFLE(v, ...) __builtin_shuffle(v, i32x16{__VA_ARGS__})
#endif
SFS_INLINE f32x16 swapPairs(f32x16 v) {
    return SFS_SHUFFLE(v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
}
SFS_INLINE f32x16 evenLanes(f32x16 v) {
    return SFS_SHUFFLE(v, 0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14);
}
SFS_INLINE f32x16 oddLanes(f32x16 v) {
    return SFS_SHUFFLE(v, 1, 1, 3, 3, 5, 5, 7, 7, 9, 9, 11, 11, 13, 13, 15, 15);
}
#undef SFS_SHUFFLE

struct NormRotateRow {
    const float* weight = nullptr; // [C] or null
    float factor = 1;              // the projection's scale
    const float* turn = nullptr;   // the token's RoPE row, (cos, sin) per pair: [D] or null
    int64_t c = 0, headDim = 0;
    float eps = 0;
};

// One row of C channels; the vector path needs heads of whole vectors (D a multiple of 16).
template <typename T>
SFS_INLINE void normRotateRow(T* x, const NormRotateRow& r) {
    const int64_t c = r.c, d = r.headDim;
    float factor = r.factor;
    if (r.weight != nullptr) {
        float squares = 0;
        if (c % kLanes == 0) {
            f32x16 acc{};
            for (int64_t i = 0; i < c; i += kLanes) {
                const f32x16 v = loadAny(x + i);
                acc += v * v;
            }
            squares = horizontalSum(acc);
        } else {
            for (int64_t i = 0; i < c; ++i) {
                squares += static_cast<float>(x[i]) * static_cast<float>(x[i]);
            }
        }
        factor /= std::sqrt(squares / static_cast<float>(c) + r.eps);
    }
    if (d % kLanes == 0) {
        const f32x16 sign = {-1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1};
        for (int64_t i = 0; i < c; i += kLanes) {
            f32x16 v = loadAny(x + i) * factor;
            if (r.weight != nullptr) {
                v *= loadF32(r.weight + i);
            }
            if (r.turn != nullptr) {
                const f32x16 t = loadF32(r.turn + i % d);
                v = v * evenLanes(t) + swapPairs(v) * oddLanes(t) * sign;
            }
            if constexpr (std::is_same_v<T, float>) {
                storeF32(x + i, v);
            } else {
                storeBf16(x + i, v);
            }
        }
        return;
    }
    for (int64_t i = 0; i < c; i += 2) {
        float a = static_cast<float>(x[i]) * factor, b = static_cast<float>(x[i + 1]) * factor;
        if (r.weight != nullptr) {
            a *= r.weight[i];
            b *= r.weight[i + 1];
        }
        if (r.turn != nullptr) {
            const float cs = r.turn[i % d], sn = r.turn[i % d + 1];
            const float ra = a * cs - b * sn;
            b = a * sn + b * cs;
            a = ra;
        }
        x[i] = static_cast<T>(a);
        x[i + 1] = static_cast<T>(b);
    }
}

SFS_SIMD_CLONES void normRotateRowF32(float* x, const NormRotateRow& r) {
    normRotateRow(x, r);
}

SFS_SIMD_CLONES void normRotateRowBf16(c10::BFloat16* x, const NormRotateRow& r) {
    normRotateRow(x, r);
}

} // namespace

bool supports(const at::Tensor& t) {
    return t.device().is_cpu() &&
           (t.scalar_type() == at::kFloat || t.scalar_type() == at::kBFloat16);
}

void softmaxRowsInPlace(at::Tensor& scores, float scale) {
    TORCH_CHECK(supports(scores) && scores.dim() == 2 && scores.is_contiguous(),
                "softmaxRowsInPlace: a contiguous float32 or bf16 CPU matrix, got ", scores.sizes(),
                " ", scores.scalar_type());
    const int64_t rows = scores.size(0), cols = scores.size(1);
    std::vector<float> exps(static_cast<size_t>(cols));
    if (scores.scalar_type() == at::kFloat) {
        softmaxRowsF32(scores.data_ptr<float>(), rows, cols, scale, exps.data());
    } else {
        softmaxRowsBf16(scores.data_ptr<c10::BFloat16>(), rows, cols, scale, exps.data());
    }
}

at::Tensor geluTanh(const at::Tensor& x) {
    TORCH_CHECK(supports(x), "cpu::geluTanh: a float32 or bf16 CPU tensor, got ", x.scalar_type());
    const at::Tensor in = x.contiguous();
    at::Tensor out = at::empty_like(in);
    // Pieces of 64 Ki values: large enough that a thread's start costs nothing.
    constexpr int64_t kGrain = int64_t(1) << 16;
    if (in.scalar_type() == at::kFloat) {
        const float* src = in.data_ptr<float>();
        float* dst = out.data_ptr<float>();
        at::parallel_for(0, in.numel(), kGrain, [&](int64_t begin, int64_t end) {
            geluSpanF32(src + begin, dst + begin, end - begin);
        });
    } else {
        const c10::BFloat16* src = in.data_ptr<c10::BFloat16>();
        c10::BFloat16* dst = out.data_ptr<c10::BFloat16>();
        at::parallel_for(0, in.numel(), kGrain, [&](int64_t begin, int64_t end) {
            geluSpanBf16(src + begin, dst + begin, end - begin);
        });
    }
    return out;
}

at::Tensor modulatedLayerNorm(const at::Tensor& x, const at::Tensor& shift,
                              const at::Tensor& scalePlusOne, double eps, at::ScalarType dtype) {
    TORCH_CHECK(supports(x) && x.dim() == 3 && (dtype == at::kFloat || dtype == at::kBFloat16),
                "cpu::modulatedLayerNorm: float32 or bf16 [B, L, C] on the CPU, got ", x.sizes(),
                " ", x.scalar_type());
    const int64_t b = x.size(0), l = x.size(1), c = x.size(2), g = shift.size(1);
    TORCH_CHECK(shift.sizes() == at::IntArrayRef({b, g, c}) &&
                    scalePlusOne.sizes() == shift.sizes() && g > 0 && l % g == 0,
                "cpu::modulatedLayerNorm: modulation ", shift.sizes(), " does not fit ", x.sizes());
    const at::Tensor in = x.contiguous();
    const at::Tensor sh = shift.to(at::kFloat).contiguous();
    const at::Tensor sc = scalePlusOne.to(at::kFloat).contiguous();
    at::Tensor out = at::empty({b, l, c}, x.options().dtype(dtype));
    const float e = static_cast<float>(eps);
    const bool inBf16 = in.scalar_type() == at::kBFloat16, outBf16 = dtype == at::kBFloat16;
    at::parallel_for(0, b * l, 16, [&](int64_t begin, int64_t end) {
        const float* s = sh.data_ptr<float>();
        const float* s1 = sc.data_ptr<float>();
        if (!inBf16 && !outBf16) {
            modulatedNormF32F32(in.data_ptr<float>(), out.data_ptr<float>(), s, s1, begin, end, l,
                                g, c, e);
        } else if (!inBf16) {
            modulatedNormF32Bf16(in.data_ptr<float>(), out.data_ptr<c10::BFloat16>(), s, s1, begin,
                                 end, l, g, c, e);
        } else if (!outBf16) {
            modulatedNormBf16F32(in.data_ptr<c10::BFloat16>(), out.data_ptr<float>(), s, s1, begin,
                                 end, l, g, c, e);
        } else {
            modulatedNormBf16Bf16(in.data_ptr<c10::BFloat16>(), out.data_ptr<c10::BFloat16>(), s,
                                  s1, begin, end, l, g, c, e);
        }
    });
    return out;
}

void normAndRotateInPlace(at::Tensor& x, const at::Tensor& weight, const at::Tensor& scale,
                          const at::Tensor& rope, int64_t headDim, double eps) {
    TORCH_CHECK(supports(x) && x.dim() == 4 && x.stride(3) == 1 && headDim % 2 == 0 &&
                    x.size(3) % headDim == 0,
                "cpu::normAndRotateInPlace: float32 or bf16 [B, L, P, C] rows on the CPU, got ",
                x.sizes(), " ", x.scalar_type());
    const int64_t b = x.size(0), l = x.size(1), np = x.size(2), c = x.size(3);
    const at::Tensor w = weight.defined() ? weight.to(at::kFloat).contiguous() : weight;
    const at::Tensor f = scale.defined() ? scale.to(at::kFloat).contiguous() : scale;
    const at::Tensor turns = rope.defined() ? at::view_as_real(rope).contiguous() : rope;
    TORCH_CHECK(!w.defined() || w.sizes() == at::IntArrayRef({np, c}),
                "cpu::normAndRotateInPlace: norm weight ", w.sizes(), " for ", x.sizes());
    TORCH_CHECK(!turns.defined() || (turns.size(0) == l && turns.size(1) * 2 == headDim),
                "cpu::normAndRotateInPlace: RoPE table ", rope.sizes(), " for ", x.sizes());
    const int64_t s0 = x.stride(0), s1 = x.stride(1), s2 = x.stride(2);
    at::parallel_for(0, b * l * np, 16, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
            const int64_t bi = row / (l * np), li = row / np % l, pi = row % np;
            NormRotateRow r;
            r.weight = w.defined() ? w.data_ptr<float>() + pi * c : nullptr;
            r.factor = f.defined() ? f.data_ptr<float>()[pi] : 1.0f;
            r.turn = turns.defined() ? turns.data_ptr<float>() + li * headDim : nullptr;
            r.c = c;
            r.headDim = headDim;
            r.eps = static_cast<float>(eps);
            const int64_t offset = bi * s0 + li * s1 + pi * s2;
            if (x.scalar_type() == at::kFloat) {
                normRotateRowF32(x.data_ptr<float>() + offset, r);
            } else {
                normRotateRowBf16(x.data_ptr<c10::BFloat16>() + offset, r);
            }
        }
    });
}

void attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, at::Tensor& out,
               int64_t scoreBudgetBytes, float scale) {
    const int64_t b = q.size(0), n = q.size(1), lq = q.size(2), lk = k.size(2);
    const int64_t rows = std::clamp<int64_t>(scoreBudgetBytes / (lk * q.element_size()), 1, lq);
    const int64_t pieces = (lq + rows - 1) / rows;
    // Worker threads do not inherit the caller's thread-local modes.
    const bool inference = c10::InferenceMode::is_enabled();
    at::parallel_for(0, b * n * pieces, 1, [&](int64_t begin, int64_t end) {
        const c10::InferenceMode guard(inference);
        for (int64_t task = begin; task < end; ++task) {
            const int64_t bi = task / (n * pieces), h = task / pieces % n;
            const int64_t r0 = task % pieces * rows, rn = std::min(rows, lq - r0);
            // A head's queries are strided in the fused projection: one small copy makes
            // them a plain matrix (oneDNN's bf16 GEMM is several times slower otherwise).
            const at::Tensor qh = q.select(0, bi).select(0, h).narrow(0, r0, rn).contiguous();
            at::Tensor scores = at::mm(qh, k.select(0, bi).select(0, h).t());
            softmaxRowsInPlace(scores, scale);
            at::Tensor o = out.select(0, bi).select(1, h).narrow(0, r0, rn);
            at::mm_out(o, scores, v.select(0, bi).select(0, h));
        }
    });
}

} // namespace sfs::inference::models::cpu
