#pragma once
// How a decoder hands out frames: the one streaming-decoder contract. The Wan VAE
// (WanVaeStreamDecoder) and TAEHV (TaehvStreamDecoder) implement it, and so does any later
// decoder; the engine only sees this interface, chosen by name with makeStreamDecoder.
//
// A take is decoded chunk by chunk through one decoder:
// - In: the next latent frames in the pipeline layout [B, F, C, h, w] (C = 16 for Wan 2.1),
//   normalised as the DiT produces them, any F >= 1 per call, on any device (moved to the
//   decoder's). B, h and w stay fixed within a take.
// - Out: the video frames those latents complete, [B, T, 3, H, W] (H = 8h, W = 8w), float32,
//   contiguous, RGB in [0, 1] (clamped), on the decoder's device. T follows the frame grid
//   (sfs/inference/frame_grid.h): the first latent frame of a take gives 1 frame, every later
//   one 4, so chunked decoding returns exactly the frames of a one-shot decode.
// - reset() starts a new take; a reset decoder decodes exactly as a new one.
// - toRgb8() turns the output into 8-bit RGB frames.
//
// [0, 1] is the display range: TAEHV produces it directly and the Wan VAE's [-1, 1] maps to it
// as the reference pipeline does ((x + 1) / 2, clamped). The models' own layouts and ranges stay
// available for parity checks (WanVaeStreamDecoder::decodeRaw, WanVae::decode, Taehv::decode).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sfs::inference::models {

class WanVae;
class Taehv;

class StreamDecoder {
public:
    virtual ~StreamDecoder();
    StreamDecoder(const StreamDecoder&) = delete;
    StreamDecoder& operator=(const StreamDecoder&) = delete;

    // The name makeStreamDecoder knows it by: "wan-vae", "taehv".
    virtual const char* name() const = 0;

    // The frames completed by the next latent frames (see above). Throws std::invalid_argument
    // for latents of another layout, channel count or size (naming the decoder).
    at::Tensor decode(const at::Tensor& latents);
    // Starts a new take.
    void reset();
    // Latent frames decoded in this take, and the video frames they made.
    int64_t latentFramesDecoded() const { return m_latentFrames; }
    int64_t framesDecoded() const;

protected:
    StreamDecoder() = default;
    // The implementation of decode(): `latents` is 5-D with F >= 1 (checked); returns
    // [B, T, 3, H, W] float32 in [0, 1] (checked against the frame grid afterwards).
    virtual at::Tensor decodeNext(const at::Tensor& latents) = 0;
    virtual void resetStream() = 0;

private:
    int64_t m_latentFrames = 0;
};

// Decoder output [B, T, 3, H, W] -> 8-bit RGB frames [B, T, H, W, 3], uint8, contiguous (each
// frame one H x W x 3 block, rows top to bottom), on the same device. Each value is
// floor(255 x + 0.5) of x clamped to [0, 1]: round to nearest, halves up (0 -> 0, 0.5 -> 128,
// 1 -> 255); NaN -> 0. Throws std::invalid_argument for another shape.
at::Tensor toRgb8(const at::Tensor& frames);

// The loaded models a decoder can be made of (either may be null when not loaded).
struct DecoderModels {
    std::shared_ptr<const WanVae> wanVae; // for "wan-vae" (exact stream decode)
    std::shared_ptr<const Taehv> taehv;   // for "taehv" (fast preview decode)
};

// The decoder names (what name() returns), in the order of preference for final output.
inline constexpr const char* kWanVaeDecoderName = "wan-vae";
inline constexpr const char* kTaehvDecoderName = "taehv";
const std::vector<std::string>& streamDecoderNames();

// A new decoder by name over loaded models. Throws std::invalid_argument for an unknown name
// (listing the known ones) or when the model the name needs is not loaded.
std::unique_ptr<StreamDecoder> makeStreamDecoder(std::string_view name,
                                                 const DecoderModels& models);

} // namespace sfs::inference::models
