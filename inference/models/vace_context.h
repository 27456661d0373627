#pragma once
// Building VACE's context with the Wan VAE (shared/spec/vace.md §4, Wan2.1 wan/vace.py):
// frames and a mask (1 = generate, 0 = keep) become [inactive latent 16 | reactive latent 16 |
// folded mask 64] channels per latent frame, reference images become extra leading frames
// [VAE(ref) | 0 | 0]. Layouts here are the reference's model layout: pixels [3, T, H, W] in
// [-1, 1], masks [1, T, H, W], latents and contexts [C, F, h, w] (one sample).

#include "models/wan_vae.h"

#include <ATen/core/Tensor.h>

#include <vector>

namespace sfs::inference::models {

// A mask video in [-1, 1] (channel 0 used) as a mask in [0, 1]: clamp((m + 1) / 2, 0, 1).
at::Tensor vaceMaskFromVideo(const at::Tensor& maskVideo);

// A reference image [3, 1, h, w] in [-1, 1] fitted into a white canvas of the frame size
// H x W: scaled by min(H/h, W/w) (bilinear, no antialias), centred. Same size: returned as is.
at::Tensor fitVaceReference(const at::Tensor& image, int64_t height, int64_t width);

// vace_encode_frames: inactive = frames · (1 - m), reactive = frames · m with m = mask > 0.5,
// each encoded alone ([16, F, h, w] each, F = 1 + (T - 1) / 4), concatenated; every reference
// encoded alone as one frame, padded with 16 zero channels and prepended in order.
// Returns [32, R + F, h, w] float32.
at::Tensor encodeVaceFrames(const WanVae& vae, const at::Tensor& frames, const at::Tensor& mask,
                            const std::vector<at::Tensor>& references = {});

// vace_encode_masks: the mask [1, T, H, W] folded 8x8 -> 64 channels (channel 8i + j = pixel
// (8y + i, 8x + j) of latent cell (y, x)), its frames resampled to (T + 3) / 4 with
// nearest-exact (latent frame d <- pixel frame floor((d + 0.5) · T / F)), raw values (not
// thresholded), with `references` zero frames prepended. Returns [64, R + F, h, w].
// `spaceStride` / `timeStride`: the VAE's (8 and 4).
at::Tensor foldVaceMask(const at::Tensor& mask, int64_t references, int64_t spaceStride = 8,
                        int64_t timeStride = 4);

// The whole context: cat(encodeVaceFrames, foldVaceMask) on channels: [96, R + F, h, w].
at::Tensor buildVaceContext(const WanVae& vae, const at::Tensor& frames, const at::Tensor& mask,
                            const std::vector<at::Tensor>& references = {});

} // namespace sfs::inference::models
