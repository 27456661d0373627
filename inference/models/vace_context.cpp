#include "models/vace_context.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/StringUtil.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sfs::inference::models {

namespace {

[[noreturn]] void badInput(const std::string& what) {
    throw std::invalid_argument("VACE context: " + what);
}

void checkPixels(const at::Tensor& t, int64_t channels, const char* what) {
    if (t.dim() != 4 || t.size(0) != channels) {
        badInput(std::string(what) + " must be [" + std::to_string(channels) + ", T, H, W], got " +
                 c10::str(t.sizes()));
    }
}

} // namespace

at::Tensor vaceMaskFromVideo(const at::Tensor& maskVideo) {
    return maskVideo.narrow(0, 0, 1).add(1).div(2).clamp(0, 1);
}

at::Tensor fitVaceReference(const at::Tensor& image, int64_t height, int64_t width) {
    c10::InferenceMode guard;
    checkPixels(image, 3, "a reference image");
    const int64_t h = image.size(2), w = image.size(3);
    if (h == height && w == width) {
        return image;
    }
    // Python's float arithmetic of prepare_source: scale in double, sizes truncated.
    const double scale = std::min(static_cast<double>(height) / static_cast<double>(h),
                                  static_cast<double>(width) / static_cast<double>(w));
    const auto nh = static_cast<int64_t>(static_cast<double>(h) * scale);
    const auto nw = static_cast<int64_t>(static_cast<double>(w) * scale);
    const at::Tensor resized = at::upsample_bilinear2d(image.squeeze(1).unsqueeze(0), {nh, nw},
                                                       false, c10::nullopt, c10::nullopt)
                                   .squeeze(0)
                                   .unsqueeze(1);
    at::Tensor canvas = at::ones({3, 1, height, width}, image.options());
    canvas.narrow(2, (height - nh) / 2, nh).narrow(3, (width - nw) / 2, nw).copy_(resized);
    return canvas;
}

at::Tensor encodeVaceFrames(const WanVae& vae, const at::Tensor& frames, const at::Tensor& mask,
                            const std::vector<at::Tensor>& references) {
    c10::InferenceMode guard;
    checkPixels(frames, 3, "frames");
    checkPixels(mask, 1, "the mask");
    if (mask.sizes().slice(1) != frames.sizes().slice(1)) {
        badInput("the mask " + c10::str(mask.sizes()) + " does not cover the frames " +
                 c10::str(frames.sizes()));
    }
    const at::Tensor video = frames.to(vae.device(), vae.dtype());
    const at::Tensor keepOut = mask.gt(0.5).to(video.options()); // strictly: 0.5 means keep
    const at::Tensor inactive = vae.encode((video * (1 - keepOut)).unsqueeze(0)).squeeze(0);
    const at::Tensor reactive = vae.encode((video * keepOut).unsqueeze(0)).squeeze(0);
    std::vector<at::Tensor> parts;
    for (const at::Tensor& ref : references) {
        checkPixels(ref, 3, "a reference image");
        if (ref.size(1) != 1 || ref.sizes().slice(2) != frames.sizes().slice(2)) {
            badInput("a reference image must be one frame of the frames' size (fit it first), "
                     "got " +
                     c10::str(ref.sizes()));
        }
        const at::Tensor z = vae.encode(ref.to(vae.device(), vae.dtype()).unsqueeze(0)).squeeze(0);
        parts.push_back(at::cat({z, at::zeros_like(z)}, 0));
    }
    parts.push_back(at::cat({inactive, reactive}, 0));
    return at::cat(parts, 1);
}

at::Tensor foldVaceMask(const at::Tensor& mask, int64_t references, int64_t spaceStride,
                        int64_t timeStride) {
    c10::InferenceMode guard;
    checkPixels(mask, 1, "the mask");
    const int64_t t = mask.size(1), hp = mask.size(2), wp = mask.size(3);
    const int64_t cell = 2 * spaceStride; // the reference keeps whole 2x2 patches of latents
    if (hp % cell != 0 || wp % cell != 0) {
        badInput("the mask's size " + std::to_string(wp) + "x" + std::to_string(hp) +
                 " is not a multiple of " + std::to_string(cell));
    }
    const int64_t h = hp / spaceStride, w = wp / spaceStride;
    const int64_t depth = (t + timeStride - 1) / timeStride;
    const at::Tensor folded = mask.select(0, 0)
                                  .reshape({t, h, spaceStride, w, spaceStride})
                                  .permute({2, 4, 0, 1, 3})
                                  .reshape({spaceStride * spaceStride, t, h, w});
    // nearest-exact on the frame axis, as torch computes it (scale in float).
    const float scale = static_cast<float>(t) / static_cast<float>(depth);
    std::vector<int64_t> picks;
    for (int64_t d = 0; d < depth; ++d) {
        picks.push_back(std::min<int64_t>(
            static_cast<int64_t>(std::floor((static_cast<float>(d) + 0.5f) * scale)), t - 1));
    }
    const at::Tensor index =
        at::tensor(picks, at::TensorOptions().dtype(at::kLong)).to(mask.device());
    at::Tensor out = folded.index_select(1, index);
    if (references > 0) {
        out = at::cat({at::zeros({out.size(0), references, h, w}, out.options()), out}, 1);
    }
    return out;
}

at::Tensor buildVaceContext(const WanVae& vae, const at::Tensor& frames, const at::Tensor& mask,
                            const std::vector<at::Tensor>& references) {
    const int64_t space = vae.config().spaceStride(), time = vae.config().timeStride();
    const at::Tensor z = encodeVaceFrames(vae, frames, mask, references);
    const at::Tensor m =
        foldVaceMask(mask, static_cast<int64_t>(references.size()), space, time).to(z.options());
    return at::cat({z, m}, 0);
}

} // namespace sfs::inference::models
