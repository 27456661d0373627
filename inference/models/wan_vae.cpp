#include "models/wan_vae.h"

#include "models/parameters.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sfs::inference::models {

// ---------------------------------------------------------------------------------------------
// Constants

const std::vector<float>& wanLatentMean() {
    static const std::vector<float> mean{-0.7571f, -0.7089f, -0.9113f, 0.1075f,  -0.1745f, 0.9653f,
                                         -0.1517f, 1.5508f,  0.4134f,  -0.0715f, 0.5517f,  -0.3632f,
                                         -0.1922f, -0.9497f, 0.2503f,  -0.2921f};
    return mean;
}

const std::vector<float>& wanLatentStd() {
    static const std::vector<float> std{2.8184f, 1.4541f, 2.3275f, 2.6558f, 1.2196f, 1.7708f,
                                        2.6052f, 2.0743f, 3.2687f, 2.1526f, 2.8652f, 1.5579f,
                                        1.6382f, 1.1253f, 2.8251f, 1.9160f};
    return std;
}

// ---------------------------------------------------------------------------------------------
// Causal history

namespace {

// Frames of history a 3-tap causal convolution needs.
constexpr int64_t kHistory = 2;

struct CacheSlot {
    enum class State {
        Empty,  // nothing seen yet
        Repeat, // upsample3d after its first frame (reference sentinel 'Rep'): zero history
        Frames, // the last (up to 2) input frames
    };
    State state = State::Empty;
    at::Tensor frames;
};

} // namespace

struct WanVaeCache {
    std::vector<CacheSlot> slots; // one per cache-using layer, numbered when the model is built
    // Demo compatibility: every history starts as zero frames instead of empty.
    bool zeroStart = false;

    CacheSlot& slot(size_t index) {
        if (index >= slots.size()) {
            slots.resize(index + 1);
        }
        return slots[index];
    }
};

namespace {

struct Conv {
    at::Tensor w;
    at::Tensor b;
};

Conv conv(const BoundParameters& src, const std::string& name) {
    Conv c;
    c.w = src[name + ".weight"];
    c.b = src[name + ".bias"];
    return c;
}

// [B, C, T, H, W] -> [B*T, C, H, W] and back.
at::Tensor foldTime(const at::Tensor& x) {
    return x.permute({0, 2, 1, 3, 4})
        .reshape({x.size(0) * x.size(2), x.size(1), x.size(3), x.size(4)});
}
at::Tensor unfoldTime(const at::Tensor& x, int64_t batch) {
    return x.view({batch, x.size(0) / batch, x.size(1), x.size(2), x.size(3)})
        .permute({0, 2, 1, 3, 4})
        .contiguous();
}

// x / max(||x||_2 over channels, 1e-12) * sqrt(C) * gamma (F.normalize, no bias).
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& gamma) {
    const at::Tensor norm =
        x.norm(c10::Scalar(2), at::IntArrayRef{1}, /*keepdim=*/true).clamp_min_(1e-12);
    return x.div(norm).mul_(std::sqrt(static_cast<double>(x.size(1)))).mul_(gamma);
}

// RMS norm then SiLU: the pre-activation of every causal convolution but the first.
at::Tensor normSilu(const at::Tensor& x, const at::Tensor& gamma) {
    at::Tensor y = rmsNorm(x, gamma);
    at::silu_(y);
    return y;
}

// The last frames of x to keep as history: two frames, or the last cached frame and x's one.
at::Tensor nextHistory(const at::Tensor& x, const CacheSlot& slot) {
    const int64_t t = x.size(2);
    at::Tensor last = x.narrow(2, std::max<int64_t>(t - kHistory, 0), std::min(t, kHistory));
    if (last.size(2) < kHistory) {
        if (slot.state == CacheSlot::State::Frames) {
            return at::cat({slot.frames.narrow(2, slot.frames.size(2) - 1, 1), last}, 2);
        }
        if (slot.state == CacheSlot::State::Repeat) {
            return at::cat({at::zeros_like(last), last}, 2);
        }
    }
    return last.clone();
}

// x with its history in front: the cached frames, zero frames for the rest of kHistory.
at::Tensor withHistory(const at::Tensor& x, const CacheSlot& slot) {
    std::vector<at::Tensor> parts;
    const int64_t cached = slot.state == CacheSlot::State::Frames ? slot.frames.size(2) : 0;
    if (cached < kHistory) {
        auto shape = x.sizes().vec();
        shape[2] = kHistory - cached;
        parts.push_back(at::zeros(shape, x.options()));
    }
    if (cached > 0) {
        parts.push_back(slot.frames);
    }
    parts.push_back(x);
    return at::cat(parts, 2);
}

// Causal Conv3d with a 3-frame kernel: two frames of history (or zeros) in front; spatial
// zero padding of half the kernel.
at::Tensor causalConv3d(const at::Tensor& x, const Conv& c, CacheSlot& slot) {
    at::Tensor history = nextHistory(x, slot);
    const int64_t pad = (c.w.size(3) - 1) / 2;
    at::Tensor y = at::conv3d(withHistory(x, slot), c.w, c.b, {1, 1, 1}, {0, pad, pad});
    slot.frames = std::move(history);
    slot.state = CacheSlot::State::Frames;
    return y;
}

at::Tensor pointwiseConv3d(const at::Tensor& x, const Conv& c) {
    return at::conv3d(x, c.w, c.b);
}

// A layer of an encoder or decoder. Layers with history own numbered cache slots.
struct Layer {
    virtual ~Layer() = default;
    virtual at::Tensor forward(const at::Tensor& x, WanVaeCache& cache) const = 0;
    // Whether the layer must see a chunk's frames together (the temporal downsample pairs
    // frames); every other layer gives the same result frame by frame.
    virtual bool needsWholeChunk() const { return false; }
};

// Hands out cache slot numbers in build order.
struct SlotCounter {
    size_t next = 0;
    size_t take() { return next++; }
};

// A causal 3x3x3 convolution, optionally after RMS norm and SiLU (the heads).
struct CausalConvLayer : Layer {
    at::Tensor gamma; // undefined: no norm
    Conv conv;
    size_t slot;

    CausalConvLayer(Conv c, at::Tensor g, SlotCounter& slots)
        : gamma(std::move(g)), conv(std::move(c)), slot(slots.take()) {}

    at::Tensor forward(const at::Tensor& x, WanVaeCache& cache) const override {
        return causalConv3d(gamma.defined() ? normSilu(x, gamma) : x, conv, cache.slot(slot));
    }
};

struct ResidualBlock : Layer {
    at::Tensor gamma1;
    Conv conv1;
    at::Tensor gamma2;
    Conv conv2;
    Conv shortcut; // undefined when in == out
    size_t slot1;
    size_t slot2;

    ResidualBlock(const BoundParameters& src, const std::string& p, int64_t in, int64_t out,
                  SlotCounter& slots)
        : slot1(slots.take()), slot2(slots.take()) {
        gamma1 = src[p + ".residual.0.gamma"];
        conv1 = conv(src, p + ".residual.2");
        gamma2 = src[p + ".residual.3.gamma"];
        conv2 = conv(src, p + ".residual.6");
        if (in != out) {
            shortcut = conv(src, p + ".shortcut");
        }
    }

    at::Tensor forward(const at::Tensor& x, WanVaeCache& cache) const override {
        at::Tensor h = causalConv3d(normSilu(x, gamma1), conv1, cache.slot(slot1));
        h = causalConv3d(normSilu(h, gamma2), conv2, cache.slot(slot2));
        return h.add_(shortcut.w.defined() ? pointwiseConv3d(x, shortcut) : x);
    }
};

// Single-head self-attention over the positions of each frame.
struct AttentionBlock : Layer {
    at::Tensor gamma;
    Conv toQkv;
    Conv proj;

    AttentionBlock(const BoundParameters& src, const std::string& p) {
        gamma = src[p + ".norm.gamma"];
        toQkv = conv(src, p + ".to_qkv");
        proj = conv(src, p + ".proj");
    }

    at::Tensor forward(const at::Tensor& x, WanVaeCache&) const override {
        const int64_t b = x.size(0);
        const int64_t c = x.size(1);
        const int64_t h = x.size(3);
        const int64_t w = x.size(4);
        at::Tensor f = rmsNorm(foldTime(x), gamma);
        // [BT, 3C, HW] -> [BT, 1, HW, 3C]; q, k, v are consecutive channel thirds.
        at::Tensor qkv = at::conv2d(f, toQkv.w, toQkv.b).flatten(2).transpose(1, 2).unsqueeze(1);
        f = at::Tensor();
        const at::Tensor q = qkv.narrow(3, 0, c);
        const at::Tensor k = qkv.narrow(3, c, c);
        const at::Tensor v = qkv.narrow(3, 2 * c, c);
#if TORCH_VERSION_MAJOR >= 2
        at::Tensor o = at::scaled_dot_product_attention(q, k, v);
#else
        const double scale = 1.0 / std::sqrt(static_cast<double>(c));
        at::Tensor o = at::matmul(at::matmul(q, k.transpose(-2, -1)).mul_(scale).softmax(-1), v);
#endif
        o = o.squeeze(1).transpose(1, 2).reshape({-1, c, h, w});
        o = at::conv2d(o, proj.w, proj.b);
        return unfoldTime(o, b).add_(x);
    }
};

// Spatial (and temporal) resampling between stages.
struct Resample : Layer {
    enum class Mode { Upsample2d, Upsample3d, Downsample2d, Downsample3d };
    Mode mode;
    Conv spatial;
    Conv time;       // 3-D modes only
    size_t slot = 0; // 3-D modes only

    Resample(const BoundParameters& src, const std::string& p, Mode m, SlotCounter& slots)
        : mode(m) {
        spatial = conv(src, p + ".resample.1");
        if (mode == Mode::Upsample3d || mode == Mode::Downsample3d) {
            time = conv(src, p + ".time_conv");
            slot = slots.take();
        }
    }

    bool needsWholeChunk() const override { return mode == Mode::Downsample3d; }

    at::Tensor forward(const at::Tensor& input, WanVaeCache& cache) const override {
        const int64_t b = input.size(0);
        at::Tensor x = input;
        if (mode == Mode::Upsample3d) {
            x = temporalUpsample(x, cache.slot(slot), cache.zeroStart);
        }
        at::Tensor f = foldTime(x);
        x = at::Tensor();
        if (mode == Mode::Upsample2d || mode == Mode::Upsample3d) {
            // Nearest x2 in float32 (the reference interpolates in fp32), back to the dtype.
            const auto dtype = f.scalar_type();
            f = at::upsample_nearest2d(f.to(at::kFloat), {2 * f.size(2), 2 * f.size(3)}).to(dtype);
            f = at::conv2d(f, spatial.w, spatial.b, {1, 1}, {1, 1});
        } else {
            // Zero pad right and bottom by one, 3x3 stride 2 without padding.
            f = at::conv2d(at::constant_pad_nd(f, {0, 1, 0, 1}), spatial.w, spatial.b, {2, 2});
        }
        x = unfoldTime(f, b);
        if (mode == Mode::Downsample3d) {
            x = temporalDownsample(x, cache.slot(slot));
        }
        return x;
    }

private:
    // Each input frame becomes two (time_conv's two channel halves, in order). The first frame
    // of a stream passes unchanged (reference 'Rep'); later ones see causal history.
    at::Tensor temporalUpsample(const at::Tensor& x, CacheSlot& slot, bool zeroStart) const {
        if (slot.state == CacheSlot::State::Empty) {
            slot.state = CacheSlot::State::Repeat;
            if (!zeroStart) {
                return x;
            }
        }
        at::Tensor history = nextHistory(x, slot);
        at::Tensor y = at::conv3d(withHistory(x, slot), time.w, time.b);
        slot.frames = std::move(history);
        slot.state = CacheSlot::State::Frames;
        const int64_t b = y.size(0);
        const int64_t c = y.size(1) / 2;
        const int64_t t = y.size(2);
        return y.view({b, 2, c, t, y.size(3), y.size(4)})
            .permute({0, 2, 3, 1, 4, 5})
            .reshape({b, c, 2 * t, y.size(3), y.size(4)});
    }

    // The first frame of a stream passes unchanged; after it, a stride-2 convolution over
    // (previous chunk's last frame, this chunk's frames), i.e. windows (f0 f1 f2), (f2 f3 f4) ...
    at::Tensor temporalDownsample(const at::Tensor& x, CacheSlot& slot) const {
        at::Tensor last = x.narrow(2, x.size(2) - 1, 1).clone();
        at::Tensor y;
        if (slot.state == CacheSlot::State::Empty) {
            y = x;
        } else {
            y = at::conv3d(at::cat({slot.frames, x}, 2), time.w, time.b, {2, 1, 1});
        }
        slot.frames = std::move(last);
        slot.state = CacheSlot::State::Frames;
        return y;
    }
};

// conv1, the body, the head: an encoder or decoder, run one chunk at a time.
struct Stack {
    std::vector<std::unique_ptr<Layer>> layers;
    SlotCounter slots;

    template <typename L, typename... Args>
    void add(Args&&... args) {
        layers.push_back(std::make_unique<L>(std::forward<Args>(args)..., slots));
    }
    void addMiddle(const BoundParameters& src, const std::string& p, int64_t dim) {
        add<ResidualBlock>(src, p + ".middle.0", dim, dim);
        layers.push_back(std::make_unique<AttentionBlock>(src, p + ".middle.1"));
        add<ResidualBlock>(src, p + ".middle.2", dim, dim);
    }

    at::Tensor forward(at::Tensor x, WanVaeCache& cache) const {
        size_t from = 0;
        for (;;) {
            size_t end = from;
            while (end < layers.size() && !layers[end]->needsWholeChunk()) {
                ++end;
            }
            x = frameByFrame(x, from, end, cache);
            if (end == layers.size()) {
                return x;
            }
            x = layers[end]->forward(x, cache);
            from = end + 1;
        }
    }

private:
    // Layers [from, end) on one frame at a time: causal layers with their history give the
    // same result as on the frames together, and memory holds one frame's activations. A
    // temporal upsample's frames are split again.
    at::Tensor frameByFrame(at::Tensor x, size_t from, size_t end, WanVaeCache& cache) const {
        if (x.size(2) > 1) {
            std::vector<at::Tensor> frames;
            for (int64_t t = 0; t < x.size(2); ++t) {
                frames.push_back(frameByFrame(x.narrow(2, t, 1), from, end, cache));
            }
            return at::cat(frames, 2);
        }
        for (size_t i = from; i < end; ++i) {
            x = layers[i]->forward(x, cache);
            if (x.size(2) > 1) {
                return frameByFrame(x, i + 1, end, cache);
            }
        }
        return x;
    }
};

void checkTensor(const at::Tensor& t, const char* what, int64_t channels, int64_t multiple) {
    if (t.defined() && t.dim() == 5 && t.size(0) >= 1 && t.size(1) == channels && t.size(2) >= 1 &&
        t.size(3) >= 1 && t.size(4) >= 1 && t.size(3) % multiple == 0 &&
        t.size(4) % multiple == 0) {
        return;
    }
    std::ostringstream got;
    if (t.defined()) {
        got << t.sizes();
    } else {
        got << "nothing";
    }
    throw std::invalid_argument(std::string("Wan VAE: ") + what + " must be [B, " +
                                std::to_string(channels) + ", T, H, W] with H and W multiples of " +
                                std::to_string(multiple) + ", got " + got.str());
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The network

struct WanVae::Net {
    Stack encoder;
    Conv conv1; // posterior moments (1x1x1)
    Conv conv2; // latent -> decoder input (1x1x1)
    Stack decoder;
    at::Tensor mean;   // [1, 16, 1, 1, 1] float32
    at::Tensor invStd; // 1 / std in float32, as the reference builds its scale

    Net(const WanVaeConfig& cfg, const BoundParameters& src) {
        const auto n = static_cast<int64_t>(cfg.dimMult.size());
        // Encoder: channels dim * [1, mult...].
        {
            std::vector<int64_t> dims{cfg.dim};
            for (const int64_t m : cfg.dimMult) {
                dims.push_back(cfg.dim * m);
            }
            encoder.add<CausalConvLayer>(conv(src, "encoder.conv1"), at::Tensor());
            int index = 0;
            for (int64_t i = 0; i < n; ++i) {
                int64_t in = dims[i];
                const int64_t out = dims[i + 1];
                for (int64_t r = 0; r < cfg.numResBlocks; ++r) {
                    encoder.add<ResidualBlock>(
                        src, "encoder.downsamples." + std::to_string(index++), in, out);
                    in = out;
                }
                if (i != n - 1) {
                    encoder.add<Resample>(src, "encoder.downsamples." + std::to_string(index++),
                                          cfg.temporalDownsample[i] ? Resample::Mode::Downsample3d
                                                                    : Resample::Mode::Downsample2d);
                }
            }
            const int64_t top = dims.back();
            encoder.addMiddle(src, "encoder", top);
            const at::Tensor gamma = src["encoder.head.0.gamma"];
            encoder.add<CausalConvLayer>(conv(src, "encoder.head.2"), gamma);
        }
        conv1 = conv(src, "conv1");
        conv2 = conv(src, "conv2");
        // Decoder: channels dim * [mult[-1], reversed mult...]; every stage after the first
        // starts at half the previous width (the upsample halves it).
        {
            std::vector<int64_t> dims{cfg.dim * cfg.dimMult.back()};
            for (auto it = cfg.dimMult.rbegin(); it != cfg.dimMult.rend(); ++it) {
                dims.push_back(cfg.dim * *it);
            }
            decoder.add<CausalConvLayer>(conv(src, "decoder.conv1"), at::Tensor());
            decoder.addMiddle(src, "decoder", dims[0]);
            int index = 0;
            int64_t out = dims[0];
            for (int64_t i = 0; i < n; ++i) {
                int64_t in = i == 0 ? dims[i] : dims[i] / 2;
                out = dims[i + 1];
                for (int64_t r = 0; r < cfg.numResBlocks + 1; ++r) {
                    decoder.add<ResidualBlock>(src, "decoder.upsamples." + std::to_string(index++),
                                               in, out);
                    in = out;
                }
                if (i != n - 1) {
                    const bool temporal = cfg.temporalDownsample[cfg.temporalDownsample.size() - 1 -
                                                                 static_cast<size_t>(i)];
                    decoder.add<Resample>(src, "decoder.upsamples." + std::to_string(index++),
                                          temporal ? Resample::Mode::Upsample3d
                                                   : Resample::Mode::Upsample2d);
                }
            }
            const at::Tensor gamma = src["decoder.head.0.gamma"];
            decoder.add<CausalConvLayer>(conv(src, "decoder.head.2"), gamma);
        }
        const at::Tensor w = conv2.w;
        mean = at::tensor(wanLatentMean(), at::TensorOptions().dtype(at::kFloat))
                   .view({1, cfg.zDim, 1, 1, 1})
                   .to(w.device());
        invStd = at::tensor(wanLatentStd(), at::TensorOptions().dtype(at::kFloat))
                     .reciprocal()
                     .view({1, cfg.zDim, 1, 1, 1})
                     .to(w.device());
    }
};

WanVae::WanVae(WanVaeConfig config, const io::Weights& weights) : m_config(std::move(config)) {
    m_config.validate();
    const BoundParameters params(m_config.parameters(), weights, "Wan VAE");
    m_net = std::make_unique<Net>(m_config, params);
    params.requireAllTaken();
}

WanVae::~WanVae() = default;

at::ScalarType WanVae::dtype() const {
    return m_net->conv2.w.scalar_type();
}

c10::Device WanVae::device() const {
    return m_net->conv2.w.device();
}

at::Tensor WanVae::encodeRawMean(const at::Tensor& video) const {
    checkTensor(video, "the video", 3, m_config.spaceStride());
    const int64_t frames = video.size(2);
    const int64_t stride = m_config.timeStride();
    if ((frames - 1) % stride != 0) {
        throw std::invalid_argument("Wan VAE: a clip to encode needs 1 + " +
                                    std::to_string(stride) + "k frames, got " +
                                    std::to_string(frames));
    }
    at::NoGradGuard noGrad;
    const at::Tensor x = video.to(device(), dtype());
    WanVaeCache cache;
    std::vector<at::Tensor> out;
    // Chunks of 1, stride, stride, ... frames through one history.
    for (int64_t start = 0; start < frames; start += start == 0 ? 1 : stride) {
        const int64_t len = start == 0 ? 1 : stride;
        out.push_back(m_net->encoder.forward(x.narrow(2, start, len), cache));
    }
    const at::Tensor moments =
        pointwiseConv3d(out.size() == 1 ? out[0] : at::cat(out, 2), m_net->conv1);
    return moments.narrow(1, 0, m_config.zDim).to(at::kFloat);
}

at::Tensor WanVae::encode(const at::Tensor& video) const {
    at::NoGradGuard noGrad;
    return encodeRawMean(video).sub_(m_net->mean).mul_(m_net->invStd);
}

at::Tensor WanVae::decodeChunk(const at::Tensor& latents, WanVaeCache& cache) const {
    checkTensor(latents, "the latents", m_config.zDim, 1);
    at::NoGradGuard noGrad;
    // z / (1 / std) + mean in float32: division by the reciprocal, as the reference does.
    at::Tensor z = latents.to(device(), at::kFloat).div(m_net->invStd).add_(m_net->mean);
    z = pointwiseConv3d(z.to(dtype()), m_net->conv2);
    // The decoder goes one frame at a time (Stack::forward): the first latent frame makes one
    // video frame, every later one four.
    return m_net->decoder.forward(z, cache).to(at::kFloat);
}

at::Tensor WanVae::decode(const at::Tensor& latents) const {
    WanVaeCache cache;
    return decodeChunk(latents, cache);
}

// ---------------------------------------------------------------------------------------------
// Streaming

WanVaeStreamDecoder::WanVaeStreamDecoder(std::shared_ptr<const WanVae> vae, Mode mode)
    : m_vae(std::move(vae)), m_mode(mode) {
    if (!m_vae) {
        throw std::invalid_argument("WanVaeStreamDecoder needs a VAE");
    }
    resetStream();
}

WanVaeStreamDecoder::~WanVaeStreamDecoder() = default;

void WanVaeStreamDecoder::resetStream() {
    m_cache = std::make_unique<WanVaeCache>();
    m_cache->zeroStart = m_mode == Mode::DemoZeroCache;
    m_shape.clear();
}

at::Tensor WanVaeStreamDecoder::decodeRaw(const at::Tensor& latents) {
    checkTensor(latents, "the latents", m_vae->config().zDim, 1);
    const std::vector<int64_t> shape{latents.size(0), latents.size(3), latents.size(4)};
    if (!m_shape.empty() && shape != m_shape) {
        throw std::invalid_argument("Wan VAE stream: batch and latent size changed within a "
                                    "stream (call reset() to start another)");
    }
    const bool firstChunk = m_shape.empty();
    at::Tensor frames = m_vae->decodeChunk(latents, *m_cache);
    m_shape = shape;
    if (m_mode == Mode::DemoZeroCache && firstChunk) {
        // The first latent frame made timeStride frames; the demo keeps only the last.
        const int64_t drop = m_vae->config().timeStride() - 1;
        frames = frames.narrow(2, drop, frames.size(2) - drop);
    }
    return frames;
}

at::Tensor WanVaeStreamDecoder::decodeNext(const at::Tensor& latents) {
    // Pipeline layout in and out; [-1, 1] -> [0, 1] as the reference pipeline maps pixels.
    at::Tensor frames = decodeRaw(latents.permute({0, 2, 1, 3, 4}).contiguous());
    frames.mul_(0.5).add_(0.5).clamp_(0, 1);
    return frames.permute({0, 2, 1, 3, 4}).contiguous();
}

io::Weights makeRandomVaeWeights(const WanVaeConfig& config, uint64_t seed, at::ScalarType dtype,
                                 c10::Device device) {
    return drawRandomWeights(config, seed, dtype, device, "Wan VAE");
}

} // namespace sfs::inference::models
