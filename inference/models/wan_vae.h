#pragma once
// The Wan 2.1 video VAE (spec part A): causal 3-D convolutions with a two-frame history, RMS
// norms, residual and attention blocks, the four resample modes and the latent normalisation.
//
// Layouts are the model's own: video [B, 3, T, H, W] in [-1, 1], latents [B, 16, T, h, w]
// normalised ((mu - mean) / std per channel). The pipeline's [B, T, C, H, W] is a permute away.
// Frames: T latent frames <-> 1 + 4 (T - 1) video frames (time stride 4, space stride 8 for the
// real configuration).
//
// Decoding streams: WanVaeStreamDecoder takes the latents chunk by chunk and keeps every causal
// layer's history between calls, so any chunking gives the one-shot decode (up to float
// rounding). It implements the streaming-decoder contract (models/stream_decoder.h: pipeline
// layout in, [B, T, 3, H, W] in [0, 1] out) and keeps the model layout as decodeRaw. Work inside a
// chunk goes one frame at a time (the reference goes one latent frame at a time; after each
// temporal upsample the frames are split again), so memory holds one video frame's activations plus
// the history, never the chunk's or the clip's.

#include "io/weights.h"
#include "models/stream_decoder.h"

#include <sfs/inference/model_config.h>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace sfs::inference::models {

// The configuration and its parameter list: sfs/inference/model_config.h.
using inference::WanVaeConfig;

// Per-channel latent statistics of Wan 2.1 (16 channels), exactly the reference constants.
const std::vector<float>& wanLatentMean();
const std::vector<float>& wanLatentStd();

// The history of every causal layer of one stream (defined in wan_vae.cpp).
struct WanVaeCache;

class WanVae {
public:
    // Takes every parameter from `weights` (reference state_dict names: encoder.*, decoder.*,
    // conv1.*, conv2.*), which must hold exactly this configuration's tensors, all of one
    // floating dtype on one device: that dtype and device are the model's. Throws
    // io::WeightsError naming the tensor, std::invalid_argument for a bad configuration.
    WanVae(WanVaeConfig config, const io::Weights& weights);
    ~WanVae();
    WanVae(const WanVae&) = delete;
    WanVae& operator=(const WanVae&) = delete;

    const WanVaeConfig& config() const { return m_config; }
    at::ScalarType dtype() const;
    c10::Device device() const;

    // Normalised posterior mean of a clip [B, 3, T, H, W] in [-1, 1] with T = 1 + 4k (a single
    // image is T = 1, a keyframe) and H, W multiples of 8: [B, 16, 1 + k, H/8, W/8], float32.
    // Works on chunks of 1, 4, 4, ... frames. Throws std::invalid_argument on other shapes.
    at::Tensor encode(const at::Tensor& video) const;
    // The raw posterior mean (before the latent normalisation), float32.
    at::Tensor encodeRawMean(const at::Tensor& video) const;

    // One-shot decode of normalised latents [B, 16, T, h, w]: [B, 3, 1 + 4 (T - 1), 8h, 8w],
    // float32, not clamped (clamp to [-1, 1] for pixels).
    at::Tensor decode(const at::Tensor& latents) const;

private:
    friend class WanVaeStreamDecoder;
    struct Net;
    at::Tensor decodeChunk(const at::Tensor& latents, WanVaeCache& cache) const;

    WanVaeConfig m_config;
    std::unique_ptr<Net> m_net;
};

// Streaming decode: one chunk of latent frames per call, history kept between calls.
class WanVaeStreamDecoder : public StreamDecoder {
public:
    enum class Mode {
        // Equal to WanVae::decode of the whole clip, for any chunking (the product path).
        Exact,
        // Compatibility with the Self-Forcing demo's VAEDecoderWrapper, whose caches start as
        // zero tensors: the first latent frame also goes through both temporal upsamplings
        // (4 frames, of which the first 3 are dropped, as demo.py does) and every later frame
        // sees that different history. An approximation of the exact decode, kept only to
        // reproduce the demo's output.
        DemoZeroCache,
    };

    explicit WanVaeStreamDecoder(std::shared_ptr<const WanVae> vae, Mode mode = Mode::Exact);
    ~WanVaeStreamDecoder() override;

    const char* name() const override { return kWanVaeDecoderName; }

    // The model's own layout and range, for parity with the reference: the next latent frames
    // [B, 16, k, h, w] (normalised; B, h, w fixed for the stream) -> the new video frames
    // [B, 3, n, 8h, 8w], float32, in [-1, 1] but not clamped: n = 1 + 4 (k - 1) on the first
    // call, 4k after it. A take goes through decode() or decodeRaw(), not both. Throws
    // std::invalid_argument on a bad shape.
    at::Tensor decodeRaw(const at::Tensor& latents);

protected:
    at::Tensor decodeNext(const at::Tensor& latents) override;
    void resetStream() override;

private:
    std::shared_ptr<const WanVae> m_vae;
    Mode m_mode;
    std::unique_ptr<WanVaeCache> m_cache;
    std::vector<int64_t>
        m_shape; // batch, height, width of the stream (empty before the first call)
};

// Random weights of a configuration (WanVaeConfig::parameters() drawn by drawRandomWeights,
// models/parameters.h): for benchmarks and the built-in demo model.
io::Weights makeRandomVaeWeights(const WanVaeConfig& config, uint64_t seed, at::ScalarType dtype,
                                 c10::Device device);

} // namespace sfs::inference::models
