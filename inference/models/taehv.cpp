#include "models/taehv.h"

#include "models/parameters.h"

#include <ATen/ATen.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace sfs::inference::models {

// ---------------------------------------------------------------------------------------------
// Layers

namespace {

struct Layer {
    enum class Type { Clamp, Conv, Relu, MemBlock, Upsample, TPool, TGrow };
    Type type = Type::Relu;
    int64_t stride = 1;        // conv stride, TPool/TGrow frame stride, upsample factor
    at::Tensor w, b;           // conv (MemBlock: its first conv, over [x, past])
    at::Tensor w2, b2, w3, b3; // MemBlock's second and third convs
};

at::Tensor conv3x3(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b,
                   int64_t stride = 1) {
    return at::conv2d(x, w, b, {stride, stride}, {1, 1});
}

// relu(conv(relu(conv(relu(conv(cat[x, past]))))) + x): past is this block's previous input.
at::Tensor memBlock(const Layer& l, const at::Tensor& x, const at::Tensor& past) {
    at::Tensor h = conv3x3(at::cat({x, past}, 1), l.w, l.b);
    at::relu_(h);
    h = conv3x3(h, l.w2, l.b2);
    at::relu_(h);
    h = conv3x3(h, l.w3, l.b3);
    h.add_(x);
    at::relu_(h);
    return h;
}

// Every layer but MemBlock and the frame-count changes of TPool/TGrow, on [N, C, H, W].
at::Tensor applyFrameLayer(const Layer& l, const at::Tensor& x) {
    switch (l.type) {
    case Layer::Type::Clamp:
        return at::tanh(x / 3).mul_(3);
    case Layer::Type::Conv:
        return conv3x3(x, l.w, l.b, l.stride);
    case Layer::Type::Relu:
        return at::relu(x);
    case Layer::Type::Upsample:
        if (l.stride == 1) {
            return x;
        }
        return at::upsample_nearest2d(x, {x.size(2) * l.stride, x.size(3) * l.stride});
    case Layer::Type::TPool:
    case Layer::Type::TGrow:
        return at::conv2d(x, l.w);
    case Layer::Type::MemBlock:
        break;
    }
    throw std::logic_error("TAEHV: MemBlock needs its memory");
}

class Builder {
public:
    Builder(const BoundParameters& src, std::string prefix)
        : m_src(src), m_prefix(std::move(prefix)) {}

    void clamp() { add(Layer{Layer::Type::Clamp}); }
    void relu() { add(Layer{Layer::Type::Relu}); }
    void upsample(int64_t factor) {
        Layer l{Layer::Type::Upsample};
        l.stride = factor;
        add(std::move(l));
    }
    void conv(bool bias, int64_t stride = 1) {
        Layer l{Layer::Type::Conv};
        l.stride = stride;
        l.w = m_src[name("weight")];
        if (bias) {
            l.b = m_src[name("bias")];
        }
        add(std::move(l));
    }
    void memBlock() {
        Layer l{Layer::Type::MemBlock};
        l.w = m_src[name("conv.0.weight")];
        l.b = m_src[name("conv.0.bias")];
        l.w2 = m_src[name("conv.2.weight")];
        l.b2 = m_src[name("conv.2.bias")];
        l.w3 = m_src[name("conv.4.weight")];
        l.b3 = m_src[name("conv.4.bias")];
        add(std::move(l));
    }
    void tpool(int64_t stride) {
        Layer l{Layer::Type::TPool};
        l.stride = stride;
        l.w = m_src[name("conv.weight")];
        add(std::move(l));
    }
    void tgrow(int64_t stride) {
        Layer l{Layer::Type::TGrow};
        l.stride = stride;
        l.w = m_src[name("conv.weight")]; // the rows the stride uses (see ParamSpec)
        add(std::move(l));
    }
    std::vector<Layer> take() { return std::move(m_layers); }

private:
    std::string name(const std::string& leaf) const {
        return m_prefix + "." + std::to_string(m_layers.size()) + "." + leaf;
    }
    void add(Layer l) { m_layers.push_back(std::move(l)); }

    const BoundParameters& m_src;
    std::string m_prefix;
    std::vector<Layer> m_layers;
};

} // namespace

struct TaehvMemory {
    std::vector<at::Tensor> past;                 // MemBlock: its previous input
    std::vector<std::vector<at::Tensor>> pending; // TPool: inputs waiting for a full group

    explicit TaehvMemory(size_t layers) : past(layers), pending(layers) {}
};

namespace {

// A layer sequence, run either way.
struct Sequence {
    std::vector<Layer> layers;

    // All frames at once: x [N, T, C, H, W] -> [N, T', C', H', W'].
    at::Tensor parallel(const at::Tensor& input) const {
        const int64_t n = input.size(0);
        at::Tensor x =
            input.reshape({n * input.size(1), input.size(2), input.size(3), input.size(4)});
        for (const Layer& l : layers) {
            const int64_t t = x.size(0) / n;
            switch (l.type) {
            case Layer::Type::MemBlock: {
                // Each frame's past is the previous frame of the same clip, zeros first.
                const at::Tensor v = x.view({n, t, x.size(1), x.size(2), x.size(3)});
                const at::Tensor past = at::constant_pad_nd(v, {0, 0, 0, 0, 0, 0, 1, 0})
                                            .narrow(1, 0, t)
                                            .reshape(x.sizes());
                x = memBlock(l, x, past);
                break;
            }
            case Layer::Type::TPool:
                // Consecutive frames side by side on channels.
                x = at::conv2d(x.reshape({-1, l.stride * x.size(1), x.size(2), x.size(3)}), l.w);
                break;
            case Layer::Type::TGrow: {
                // Channel groups become consecutive frames.
                const int64_t c = x.size(1);
                x = at::conv2d(x, l.w).reshape({-1, c, x.size(2), x.size(3)});
                break;
            }
            default:
                x = applyFrameLayer(l, x);
            }
        }
        return x.view({n, x.size(0) / n, x.size(1), x.size(2), x.size(3)});
    }

    // One frame [N, C, H, W] from layer `first` on, in causal order: every frame that
    // completes goes to `out`.
    void feed(at::Tensor x, size_t first, TaehvMemory& memory, std::vector<at::Tensor>& out) const {
        for (size_t i = first; i < layers.size(); ++i) {
            const Layer& l = layers[i];
            switch (l.type) {
            case Layer::Type::MemBlock: {
                const at::Tensor past =
                    memory.past[i].defined() ? memory.past[i] : at::zeros_like(x);
                at::Tensor y = memBlock(l, x, past);
                memory.past[i] = std::move(x);
                x = std::move(y);
                break;
            }
            case Layer::Type::TPool: {
                auto& group = memory.pending[i];
                group.push_back(std::move(x));
                if (static_cast<int64_t>(group.size()) < l.stride) {
                    return;
                }
                x = at::conv2d(at::cat(group, 1), l.w);
                group.clear();
                break;
            }
            case Layer::Type::TGrow: {
                const at::Tensor y = at::conv2d(x, l.w);
                const int64_t c = x.size(1);
                x = at::Tensor();
                if (l.stride == 1) {
                    x = y;
                    break;
                }
                for (int64_t j = 0; j < l.stride; ++j) {
                    feed(y.narrow(1, j * c, c).contiguous(), i + 1, memory, out);
                }
                return;
            }
            default:
                x = applyFrameLayer(l, x);
            }
        }
        out.push_back(x.to(at::kFloat));
    }
};

std::string shapeText(const at::Tensor& t) {
    if (!t.defined()) {
        return "nothing";
    }
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

void checkNtchw(const at::Tensor& t, const char* what, int64_t channels, int64_t multiple) {
    if (t.defined() && t.dim() == 5 && t.size(0) >= 1 && t.size(1) >= 1 && t.size(2) == channels &&
        t.size(3) >= 1 && t.size(4) >= 1 && t.size(3) % multiple == 0 &&
        t.size(4) % multiple == 0) {
        return;
    }
    throw std::invalid_argument(std::string("TAEHV: ") + what + " must be [B, T, " +
                                std::to_string(channels) + ", H, W] with H and W multiples of " +
                                std::to_string(multiple) + ", got " + shapeText(t));
}

// A stream keeps its batch and frame size (NTCHW: dims 0, 3, 4) from call to call.
void checkSameStream(std::vector<int64_t>& streamShape, const at::Tensor& chunk) {
    const std::vector<int64_t> shape{chunk.size(0), chunk.size(3), chunk.size(4)};
    if (!streamShape.empty() && shape != streamShape) {
        throw std::invalid_argument("TAEHV stream: batch and frame size changed within a stream "
                                    "(call reset() to start another)");
    }
    streamShape = shape;
}

at::Tensor stackFrames(const std::vector<at::Tensor>& frames, at::IntArrayRef emptyShape) {
    if (frames.empty()) {
        return at::empty(emptyShape, at::TensorOptions().dtype(at::kFloat));
    }
    return at::stack(frames, 1);
}

} // namespace

struct Taehv::Net {
    Sequence encoder;
    Sequence decoder;

    Net(const TaehvConfig& cfg, const BoundParameters& src) {
        // The layer sequence of taehv.py; the shapes are TaehvConfig::parameters()'.
        {
            Builder b(src, "encoder");
            b.conv(true);
            b.relu();
            for (const bool down : cfg.encoderTimeDownscale) {
                b.tpool(down ? 2 : 1);
                b.conv(false, 2);
                for (int k = 0; k < 3; ++k) {
                    b.memBlock();
                }
            }
            b.conv(true);
            encoder.layers = b.take();
        }
        {
            Builder b(src, "decoder");
            b.clamp();
            b.conv(true);
            b.relu();
            for (size_t s = 0; s < 3; ++s) {
                for (int k = 0; k < 3; ++k) {
                    b.memBlock();
                }
                b.upsample(cfg.decoderSpaceUpscale[s] ? 2 : 1);
                b.tgrow(cfg.decoderTimeUpscale[s] ? 2 : 1);
                b.conv(false);
            }
            b.relu();
            b.conv(true);
            decoder.layers = b.take();
        }
    }

    at::Tensor dtypeProbe() const { return decoder.layers[1].w; }
};

Taehv::Taehv(TaehvConfig config, const io::Weights& weights) : m_config(std::move(config)) {
    m_config.validate();
    const BoundParameters params(m_config.parameters(), weights, "TAEHV");
    m_net = std::make_unique<Net>(m_config, params);
    params.requireAllTaken();
}

Taehv::~Taehv() = default;

at::ScalarType Taehv::dtype() const {
    return m_net->dtypeProbe().scalar_type();
}

c10::Device Taehv::device() const {
    return m_net->dtypeProbe().device();
}

namespace {

// Pixel shuffle of NTCHW frames (patch size > 1 only).
at::Tensor shuffleFrames(const at::Tensor& x, int64_t patch, bool unshuffle) {
    if (patch == 1) {
        return x;
    }
    const at::Tensor f = x.flatten(0, 1);
    const at::Tensor y = unshuffle ? at::pixel_unshuffle(f, patch) : at::pixel_shuffle(f, patch);
    return y.view({x.size(0), x.size(1), y.size(1), y.size(2), y.size(3)});
}

} // namespace

at::Tensor Taehv::decodeRaw(const at::Tensor& latents, bool parallel) const {
    checkNtchw(latents, "latents", m_config.latentChannels, 1);
    at::NoGradGuard noGrad;
    const at::Tensor x = latents.to(device(), dtype());
    at::Tensor raw;
    if (parallel) {
        raw = m_net->decoder.parallel(x).to(at::kFloat);
    } else {
        TaehvMemory memory(m_net->decoder.layers.size());
        std::vector<at::Tensor> frames;
        for (int64_t t = 0; t < x.size(1); ++t) {
            m_net->decoder.feed(x.select(1, t), 0, memory, frames);
        }
        raw = at::stack(frames, 1);
    }
    return shuffleFrames(raw, m_config.patchSize, false);
}

at::Tensor Taehv::decode(const at::Tensor& latents, bool parallel) const {
    const at::Tensor raw = decodeRaw(latents, parallel);
    const int64_t trim = m_config.framesToTrim();
    return raw.narrow(1, trim, raw.size(1) - trim).clamp(0, 1);
}

at::Tensor Taehv::encode(const at::Tensor& frames, bool parallel) const {
    checkNtchw(frames, "frames", m_config.imageChannels, m_config.spaceScale());
    at::NoGradGuard noGrad;
    at::Tensor x = shuffleFrames(frames.to(device(), dtype()), m_config.patchSize, true);
    const int64_t stride = m_config.timeDownscale();
    if (x.size(1) % stride != 0) {
        const int64_t pad = stride - x.size(1) % stride;
        x = at::cat({x, x.narrow(1, x.size(1) - 1, 1)
                            .expand({x.size(0), pad, x.size(2), x.size(3), x.size(4)})},
                    1);
    }
    if (parallel) {
        return m_net->encoder.parallel(x).to(at::kFloat);
    }
    TaehvMemory memory(m_net->encoder.layers.size());
    std::vector<at::Tensor> latents;
    for (int64_t t = 0; t < x.size(1); ++t) {
        m_net->encoder.feed(x.select(1, t), 0, memory, latents);
    }
    return at::stack(latents, 1);
}

// ---------------------------------------------------------------------------------------------
// Streaming

namespace {
// The model a stream class runs, which it cannot do without.
std::shared_ptr<const Taehv> requireTaehv(std::shared_ptr<const Taehv> taehv, const char* who) {
    if (!taehv) {
        throw std::invalid_argument(std::string(who) + " needs a TAEHV");
    }
    return taehv;
}
} // namespace

TaehvStreamDecoder::TaehvStreamDecoder(std::shared_ptr<const Taehv> taehv)
    : m_taehv(requireTaehv(std::move(taehv), "TaehvStreamDecoder")),
      m_memory(std::make_unique<TaehvMemory>(m_taehv->m_net->decoder.layers.size())) {}

TaehvStreamDecoder::~TaehvStreamDecoder() = default;

void TaehvStreamDecoder::resetStream() {
    m_memory = std::make_unique<TaehvMemory>(m_taehv->m_net->decoder.layers.size());
    m_rawFrames = 0;
    m_shape.clear();
}

at::Tensor TaehvStreamDecoder::decodeNext(const at::Tensor& latents) {
    const TaehvConfig& cfg = m_taehv->config();
    checkNtchw(latents, "latents", cfg.latentChannels, 1);
    checkSameStream(m_shape, latents);
    at::NoGradGuard noGrad;
    const at::Tensor x = latents.to(m_taehv->device(), m_taehv->dtype());
    std::vector<at::Tensor> raw;
    for (int64_t t = 0; t < x.size(1); ++t) {
        m_taehv->m_net->decoder.feed(x.select(1, t), 0, *m_memory, raw);
    }
    // The first framesToTrim raw frames of a stream are start-up frames, never shown.
    std::vector<at::Tensor> frames;
    for (at::Tensor& f : raw) {
        if (m_rawFrames++ >= cfg.framesToTrim()) {
            frames.push_back(f.clamp_(0, 1));
        }
    }
    const int64_t s = cfg.spaceScale() / cfg.patchSize;
    at::Tensor out =
        stackFrames(frames, {x.size(0), 0, cfg.imageChannels * cfg.patchSize * cfg.patchSize,
                             x.size(3) * s, x.size(4) * s});
    return shuffleFrames(out, cfg.patchSize, false);
}

TaehvStreamEncoder::TaehvStreamEncoder(std::shared_ptr<const Taehv> taehv)
    : m_taehv(requireTaehv(std::move(taehv), "TaehvStreamEncoder")) {
    reset();
}

TaehvStreamEncoder::~TaehvStreamEncoder() = default;

void TaehvStreamEncoder::reset() {
    m_memory = std::make_unique<TaehvMemory>(m_taehv->m_net->encoder.layers.size());
    m_lastFrame = at::Tensor();
    m_frames = 0;
    m_shape.clear();
}

at::Tensor TaehvStreamEncoder::encode(const at::Tensor& frames) {
    const TaehvConfig& cfg = m_taehv->config();
    checkNtchw(frames, "frames", cfg.imageChannels, cfg.spaceScale());
    checkSameStream(m_shape, frames);
    at::NoGradGuard noGrad;
    const at::Tensor x =
        shuffleFrames(frames.to(m_taehv->device(), m_taehv->dtype()), cfg.patchSize, true);
    std::vector<at::Tensor> latents;
    for (int64_t t = 0; t < x.size(1); ++t) {
        m_taehv->m_net->encoder.feed(x.select(1, t), 0, *m_memory, latents);
    }
    m_lastFrame = frames.narrow(1, frames.size(1) - 1, 1);
    m_frames += frames.size(1);
    const int64_t s = cfg.spaceScale();
    return stackFrames(latents,
                       {x.size(0), 0, cfg.latentChannels, frames.size(3) / s, frames.size(4) / s});
}

at::Tensor TaehvStreamEncoder::flush() {
    const TaehvConfig& cfg = m_taehv->config();
    const int64_t stride = cfg.timeDownscale();
    if (!m_lastFrame.defined()) {
        return at::empty({0, 0, cfg.latentChannels, 0, 0}, at::TensorOptions().dtype(at::kFloat));
    }
    if (m_frames % stride == 0) {
        const int64_t s = cfg.spaceScale();
        return at::empty({m_lastFrame.size(0), 0, cfg.latentChannels, m_lastFrame.size(3) / s,
                          m_lastFrame.size(4) / s},
                         at::TensorOptions().dtype(at::kFloat));
    }
    const int64_t pad = stride - m_frames % stride;
    const at::Tensor last = m_lastFrame;
    return encode(last.expand({last.size(0), pad, last.size(2), last.size(3), last.size(4)}));
}

io::Weights makeRandomTaehvWeights(const TaehvConfig& config, uint64_t seed, at::ScalarType dtype,
                                   c10::Device device) {
    return drawRandomWeights(config, seed, dtype, device, "TAEHV");
}

} // namespace sfs::inference::models
