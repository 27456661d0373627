#include "models/cpu_kernels.h"

#include "sfs/inference/runtime_info.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#if defined(__linux__) && defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sfs::inference::models::cpu {

namespace {

#define SFS_INLINE inline __attribute__((always_inline))

struct NormRotateRow {
    const float* weight = nullptr; // [C] or null
    float factor = 1;              // the projection's scale
    const float* turn = nullptr;   // the token's RoPE row, (cos, sin) per pair: [D] or null
    int64_t c = 0, headDim = 0;
    float eps = 0;
};

// One copy of the kernels per vector width, each compiled for its instruction set; the CPU
// picks one at run time (the build itself targets baseline x86-64). CPUs with neither (and
// other architectures) take LibTorch's kernels (`supports` is false).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SFS_HAVE_SIMD_KERNELS 1
namespace avx512 {
#define SFS_LANES 16
#define SFS_TARGET __attribute__((target("avx512f")))
#include "models/cpu_kernels_simd.inc"
// On CPUs with AMX, the bf16 attention uses this copy's e^x and bf16 helpers.
#include "models/cpu_attention_amx.inc"
#undef SFS_TARGET
#undef SFS_LANES
} // namespace avx512
namespace avx2 {
#define SFS_LANES 8
#define SFS_TARGET __attribute__((target("avx2,fma")))
#include "models/cpu_kernels_simd.inc"
#undef SFS_TARGET
#undef SFS_LANES
} // namespace avx2
#else
#define SFS_HAVE_SIMD_KERNELS 0
#endif

// Amx: the AVX-512 kernels, and bf16 attention on the AMX tiles.
enum class Isa { None, Avx2, Avx512, Amx };

// AMX with bf16 products, and Linux's leave to use the tiles' 8 KiB of state (a process asks
// once; kernels before 5.16 cannot grant it).
bool amxUsable() {
#if defined(__linux__) && defined(__x86_64__)
    static const bool usable = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) {
            return false;
        }
        const bool tiles = (d & (1u << 24)) != 0, bf16 = (d & (1u << 22)) != 0;
        if (__get_cpuid_count(7, 1, &a, &b, &c, &d) == 0 || (a & (1u << 5)) == 0) {
            return false; // AVX512_BF16 (every CPU with AMX has it): the kernel's conversions
        }
        constexpr long kRequestPermission = 0x1023; // ARCH_REQ_XCOMP_PERM
        constexpr long kTileData = 18;              // XFEATURE_XTILEDATA
        return tiles && bf16 && __builtin_cpu_supports("avx512f") &&
               syscall(SYS_arch_prctl, kRequestPermission, kTileData) == 0;
    }();
    return usable;
#else
    return false;
#endif
}

bool cpuHas(Isa isa) {
#if SFS_HAVE_SIMD_KERNELS
    switch (isa) {
    case Isa::Amx:
        return amxUsable();
    case Isa::Avx512:
        return __builtin_cpu_supports("avx512f");
    case Isa::Avx2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::None:
        return true;
    }
#endif
    return isa == Isa::None;
}

std::optional<Isa> isaNamed(const std::string& name) {
    if (name == "amx")
        return Isa::Amx;
    if (name == "avx512")
        return Isa::Avx512;
    if (name == "avx2")
        return Isa::Avx2;
    if (name == "off")
        return Isa::None;
    return std::nullopt;
}

// The CPU's best set, or the one SFS_CPU_KERNELS names if the CPU has it.
Isa detectIsa() {
    const char* env = std::getenv("SFS_CPU_KERNELS");
    if (const auto named = isaNamed(env != nullptr ? env : ""); named && cpuHas(*named)) {
        return *named;
    }
    for (const Isa isa : {Isa::Amx, Isa::Avx512, Isa::Avx2}) {
        if (cpuHas(isa)) {
            return isa;
        }
    }
    return Isa::None;
}

std::atomic<Isa>& selectedIsa() {
    static std::atomic<Isa> isa{detectIsa()};
    return isa;
}

Isa cpuIsa() {
    return selectedIsa().load(std::memory_order_relaxed);
}

// Calls kernel FN of the CPU's instruction set with the arguments that follow.
#if SFS_HAVE_SIMD_KERNELS
#define SFS_DISPATCH(FN, ...)                                                                      \
    (cpuIsa() >= Isa::Avx512 ? avx512::FN(__VA_ARGS__) : avx2::FN(__VA_ARGS__))
#else
#define SFS_DISPATCH(FN, ...) TORCH_CHECK(false, "cpu kernels: no SIMD kernels for this CPU")
#endif

} // namespace

std::string instructionSet() {
    switch (cpuIsa()) {
    case Isa::Amx:
        return "amx";
    case Isa::Avx512:
        return "avx512";
    case Isa::Avx2:
        return "avx2";
    case Isa::None:
        break;
    }
    return "off";
}

bool selectInstructionSetForTest(const std::string& name) {
    const auto isa = isaNamed(name);
    if (!isa || !cpuHas(*isa)) {
        return false;
    }
    selectedIsa().store(*isa);
    return true;
}

bool supports(const at::Tensor& t) {
    return cpuIsa() != Isa::None && t.device().is_cpu() &&
           (t.scalar_type() == at::kFloat || t.scalar_type() == at::kBFloat16);
}

namespace {

// Rows [begin, end) of a contiguous float32 or bf16 matrix.
void softmaxRows(const at::Tensor& scores, int64_t begin, int64_t end, float scale) {
    const int64_t cols = scores.size(1);
    std::vector<float> exps(static_cast<size_t>(cols));
    if (scores.scalar_type() == at::kFloat) {
        SFS_DISPATCH(softmaxRowsF32, scores.data_ptr<float>() + begin * cols, end - begin, cols,
                     scale, exps.data());
    } else {
        SFS_DISPATCH(softmaxRowsBf16, scores.data_ptr<c10::BFloat16>() + begin * cols, end - begin,
                     cols, scale, exps.data());
    }
}

} // namespace

void softmaxRowsInPlace(at::Tensor& scores, float scale) {
    TORCH_CHECK(supports(scores) && scores.dim() == 2 && scores.is_contiguous(),
                "softmaxRowsInPlace: a contiguous float32 or bf16 CPU matrix, got ", scores.sizes(),
                " ", scores.scalar_type());
    softmaxRows(scores, 0, scores.size(0), scale);
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
            SFS_DISPATCH(geluSpanF32, src + begin, dst + begin, end - begin);
        });
    } else {
        const c10::BFloat16* src = in.data_ptr<c10::BFloat16>();
        c10::BFloat16* dst = out.data_ptr<c10::BFloat16>();
        at::parallel_for(0, in.numel(), kGrain, [&](int64_t begin, int64_t end) {
            SFS_DISPATCH(geluSpanBf16, src + begin, dst + begin, end - begin);
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
            SFS_DISPATCH(modulatedNormF32F32, in.data_ptr<float>(), out.data_ptr<float>(), s, s1,
                         begin, end, l, g, c, e);
        } else if (!inBf16) {
            SFS_DISPATCH(modulatedNormF32Bf16, in.data_ptr<float>(), out.data_ptr<c10::BFloat16>(),
                         s, s1, begin, end, l, g, c, e);
        } else if (!outBf16) {
            SFS_DISPATCH(modulatedNormBf16F32, in.data_ptr<c10::BFloat16>(), out.data_ptr<float>(),
                         s, s1, begin, end, l, g, c, e);
        } else {
            SFS_DISPATCH(modulatedNormBf16Bf16, in.data_ptr<c10::BFloat16>(),
                         out.data_ptr<c10::BFloat16>(), s, s1, begin, end, l, g, c, e);
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
                SFS_DISPATCH(normRotateRowF32, x.data_ptr<float>() + offset, r);
            } else {
                SFS_DISPATCH(normRotateRowBf16, x.data_ptr<c10::BFloat16>() + offset, r);
            }
        }
    });
}

namespace {

#if SFS_HAVE_SIMD_KERNELS
// Whether the AMX attention takes these: bf16, head dims the tiles divide, rows contiguous, a
// token-major output it can address directly.
bool amxTakes(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
              const at::Tensor& out) {
    return cpuIsa() == Isa::Amx && q.scalar_type() == at::kBFloat16 &&
           k.scalar_type() == at::kBFloat16 && v.scalar_type() == at::kBFloat16 &&
           q.size(3) % 32 == 0 && v.size(3) % 16 == 0 && q.size(2) > 0 && k.size(2) > 0 &&
           q.stride(3) == 1 && k.stride(3) == 1 && v.stride(3) == 1 && out.is_contiguous();
}

// One task per (batch, head, piece of query rows); a head is cut into pieces only when there
// are fewer heads than twice the threads. Each task packs its head's keys and values into
// tiles itself (a small fraction of the products) and keeps them in its core's cache.
void amxAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, at::Tensor& out,
                  float scale) {
    const int64_t b = q.size(0), n = q.size(1), lq = q.size(2), lk = k.size(2);
    const int64_t d = q.size(3), dv = v.size(3);
    const int64_t blocks = (lq + avx512::amx::kRows - 1) / avx512::amx::kRows;
    const int64_t wanted = (2 * at::get_num_threads() + b * n - 1) / (b * n);
    const int64_t pieces = std::clamp<int64_t>(wanted, 1, blocks);
    const int64_t piece = (blocks + pieces - 1) / pieces * avx512::amx::kRows; // rows
    const auto* qp = reinterpret_cast<const uint16_t*>(q.data_ptr<c10::BFloat16>());
    const auto* kp = reinterpret_cast<const uint16_t*>(k.data_ptr<c10::BFloat16>());
    const auto* vp = reinterpret_cast<const uint16_t*>(v.data_ptr<c10::BFloat16>());
    auto* op = reinterpret_cast<uint16_t*>(out.data_ptr<c10::BFloat16>());
    at::parallel_for(0, b * n * pieces, 1, [&](int64_t begin, int64_t end) {
        thread_local avx512::amx::Scratch scratch;
        avx512::amx::configureTiles();
        for (int64_t task = begin; task < end; ++task) {
            const int64_t bi = task / (n * pieces), h = task / pieces % n;
            const int64_t r0 = task % pieces * piece, r1 = std::min(lq, r0 + piece);
            if (r0 >= r1) {
                continue;
            }
            avx512::amx::Head head;
            head.q = qp + bi * q.stride(0) + h * q.stride(1);
            head.k = kp + bi * k.stride(0) + h * k.stride(1);
            head.v = vp + bi * v.stride(0) + h * v.stride(1);
            head.out = op + (bi * lq * n + h) * dv;
            head.qStride = q.stride(2);
            head.kStride = k.stride(2);
            head.vStride = v.stride(2);
            head.outStride = n * dv;
            head.lq = lq;
            head.lk = lk;
            head.d = d;
            head.dv = dv;
            head.scale = scale;
            avx512::amx::attendRows(head, r0, r1, scratch);
        }
        avx512::amx::releaseTiles();
    });
}
#endif

} // namespace

void attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, at::Tensor& out,
               int64_t scoreBudgetBytes, float scale) {
#if SFS_HAVE_SIMD_KERNELS
    if (amxTakes(q, k, v, out)) {
        amxAttention(q, k, v, out, scale);
        return;
    }
#endif
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
            // A head's queries are strided in the fused projection: one small copy makes them a
            // plain matrix (oneDNN's bf16 GEMM is several times slower otherwise). Inside the
            // parallel region oneDNN and OpenBLAS run the products on this thread.
            const at::Tensor qh = q.select(0, bi).select(0, h).narrow(0, r0, rn).contiguous();
            const at::Tensor scores = at::mm(qh, k.select(0, bi).select(0, h).t());
            softmaxRows(scores, 0, rn, scale);
            at::Tensor o = out.select(0, bi).select(1, h).narrow(0, r0, rn);
            at::mm_out(o, scores, v.select(0, bi).select(0, h));
        }
    });
}

} // namespace sfs::inference::models::cpu

namespace sfs::inference {

std::string cpuKernelSet() {
    return models::cpu::instructionSet();
}

} // namespace sfs::inference
