#pragma once
// TAEHV, the tiny video autoencoder for Wan 2.1 latents (madebyollin/taehv, "taew2_1"; spec
// part B): a few MB, per-frame 2-D convolutions, time mixed only by MemBlocks (each sees its own
// input of the previous frame), TPool (encoder) and TGrow (decoder).
//
// Layout NTCHW, as the pipeline's latents: latents [B, T, 16, h, w] (the normalised Wan latents
// themselves, no mean/std), RGB [B, T, 3, 8h, 8w] in [0, 1]. T latents decode to 4T raw frames;
// the first 3 are dropped (latent 0 -> 1 frame, every later one -> 4: 4T - 3 frames, as the
// Wan VAE).
//
// Two ways to run the same network: parallel (all frames of a clip batched per layer; fast,
// memory grows with the clip) and sequential (frame by frame in causal order, carrying each
// layer's memory; memory of one frame). The stream decoder and encoder are the sequential form
// kept alive between calls; results agree with the parallel form up to float rounding.

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
using inference::TaehvConfig;

// The per-layer memory of one sequential run (defined in taehv.cpp).
struct TaehvMemory;

class Taehv {
public:
    // Takes every parameter from `weights` (reference names encoder.<i>.*, decoder.<i>.*), all of
    // one floating dtype on one device. A TGrow weight with more rows than the configuration
    // needs keeps its last rows (as the reference loader does). Throws io::WeightsError naming
    // the tensor, std::invalid_argument for a bad configuration.
    Taehv(TaehvConfig config, const io::Weights& weights);
    ~Taehv();
    Taehv(const Taehv&) = delete;
    Taehv& operator=(const Taehv&) = delete;

    const TaehvConfig& config() const { return m_config; }
    at::ScalarType dtype() const;
    c10::Device device() const;

    // Raw decoder output of latents [B, T, 16, h, w]: [B, timeUpscale * T, 3, H, W], not trimmed,
    // not clamped, float32.
    at::Tensor decodeRaw(const at::Tensor& latents, bool parallel) const;
    // RGB in [0, 1]: the raw output without its first framesToTrim frames, clamped.
    at::Tensor decode(const at::Tensor& latents, bool parallel = true) const;
    // Latents of RGB frames [B, T, 3, H, W] in [0, 1]; T is padded at the end with copies of
    // the last frame to a multiple of timeDownscale: [B, ceil(T / 4), 16, H/8, W/8], float32.
    at::Tensor encode(const at::Tensor& frames, bool parallel = true) const;

private:
    friend class TaehvStreamDecoder;
    friend class TaehvStreamEncoder;
    struct Net;

    TaehvConfig m_config;
    std::unique_ptr<Net> m_net;
};

// Streaming decode: latents in any chunking, every frame they complete out at once. The
// streaming-decoder contract (models/stream_decoder.h) is TAEHV's own layout and range: the new
// frames of latents [B, k, 16, h, w] are [B, n, 3, H, W] in [0, 1], float32, with n = 4k - 3 on
// the first call and 4k after it.
class TaehvStreamDecoder : public StreamDecoder {
public:
    explicit TaehvStreamDecoder(std::shared_ptr<const Taehv> taehv);
    ~TaehvStreamDecoder() override;

    const char* name() const override { return kTaehvDecoderName; }

protected:
    at::Tensor decodeNext(const at::Tensor& latents) override;
    void resetStream() override;

private:
    std::shared_ptr<const Taehv> m_taehv;
    std::unique_ptr<TaehvMemory> m_memory;
    int64_t m_rawFrames = 0;
    std::vector<int64_t> m_shape; // batch, height, width of the stream (empty before the first)
};

// Streaming encode: frames in any chunking; a latent comes out for every 4 frames.
class TaehvStreamEncoder {
public:
    explicit TaehvStreamEncoder(std::shared_ptr<const Taehv> taehv);
    ~TaehvStreamEncoder();
    // The latents completed by frames [B, k, 3, H, W]: [B, n, 16, h, w] (n may be 0), float32.
    at::Tensor encode(const at::Tensor& frames);
    // Pads with copies of the last frame to a whole latent and returns what that completes
    // ([B, 0, ...] when the frames fed so far make whole latents).
    at::Tensor flush();
    void reset();

private:
    std::shared_ptr<const Taehv> m_taehv;
    std::unique_ptr<TaehvMemory> m_memory;
    at::Tensor m_lastFrame;
    int64_t m_frames = 0;
    std::vector<int64_t> m_shape;
};

// Random weights of a configuration (TaehvConfig::parameters() drawn by drawRandomWeights,
// models/parameters.h): for benchmarks and the built-in demo model.
io::Weights makeRandomTaehvWeights(const TaehvConfig& config, uint64_t seed, at::ScalarType dtype,
                                   c10::Device device);

} // namespace sfs::inference::models
