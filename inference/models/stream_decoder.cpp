#include "models/stream_decoder.h"

#include "io/stored_tensor.h"
#include "models/taehv.h"
#include "models/wan_vae.h"
#include "sfs/inference/frame_grid.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace sfs::inference::models {

namespace {

std::string shapeText(const at::Tensor& t) {
    return t.defined() ? io::shapeText(t.sizes().vec()) : "an undefined tensor";
}

} // namespace

StreamDecoder::~StreamDecoder() = default;

int64_t StreamDecoder::framesDecoded() const {
    return frame_grid::framesForLatentFrames(m_latentFrames);
}

at::Tensor StreamDecoder::decode(const at::Tensor& latents) {
    if (!latents.defined() || latents.dim() != 5 || latents.size(1) < 1) {
        throw std::invalid_argument(std::string(name()) +
                                    " decoder: latents must be [B, F, C, h, w] with F >= 1, got " +
                                    shapeText(latents));
    }
    const int64_t count = latents.size(1);
    at::Tensor frames = decodeNext(latents);
    // Every decoder keeps the one frame grid; a mismatch is a bug in the decoder, not bad input.
    const int64_t want = frame_grid::framesOfLatentRange(m_latentFrames, count);
    if (frames.dim() != 5 || frames.size(0) != latents.size(0) || frames.size(1) != want ||
        frames.size(2) != 3 || frames.scalar_type() != at::kFloat) {
        throw std::logic_error(
            std::string(name()) + " decoder broke the contract: " + std::to_string(count) +
            " latent frames after " + std::to_string(m_latentFrames) + " gave " +
            shapeText(frames) + ", not [B, " + std::to_string(want) + ", 3, H, W] float32");
    }
    m_latentFrames += count;
    return frames.contiguous();
}

void StreamDecoder::reset() {
    resetStream();
    m_latentFrames = 0;
}

at::Tensor toRgb8(const at::Tensor& frames) {
    if (!frames.defined() || frames.dim() != 5 || frames.size(2) != 3) {
        throw std::invalid_argument("toRgb8: frames must be [B, T, 3, H, W], got " +
                                    shapeText(frames));
    }
    at::NoGradGuard noGrad;
    const at::Tensor scaled =
        frames.to(at::kFloat).nan_to_num(0.0).clamp_(0, 1).mul_(255).add_(0.5).floor_();
    at::Tensor rgb = at::empty({frames.size(0), frames.size(1), frames.size(3), frames.size(4), 3},
                               frames.options().dtype(at::kByte));
    rgb.copy_(scaled.permute({0, 1, 3, 4, 2}));
    return rgb;
}

const std::vector<std::string>& streamDecoderNames() {
    static const std::vector<std::string> names{kWanVaeDecoderName, kTaehvDecoderName};
    return names;
}

std::unique_ptr<StreamDecoder> makeStreamDecoder(std::string_view name,
                                                 const DecoderModels& models) {
    const auto missing = [&](const char* model) {
        return std::invalid_argument("decoder \"" + std::string(name) + "\" needs the " + model +
                                     ", which is not loaded");
    };
    if (name == kWanVaeDecoderName) {
        if (!models.wanVae) {
            throw missing("Wan VAE");
        }
        return std::make_unique<WanVaeStreamDecoder>(models.wanVae);
    }
    if (name == kTaehvDecoderName) {
        if (!models.taehv) {
            throw missing("TAEHV");
        }
        return std::make_unique<TaehvStreamDecoder>(models.taehv);
    }
    std::string known;
    for (const std::string& n : streamDecoderNames()) {
        known += (known.empty() ? "" : ", ") + n;
    }
    throw std::invalid_argument("decoder \"" + std::string(name) + "\" is not one of " + known);
}

} // namespace sfs::inference::models
