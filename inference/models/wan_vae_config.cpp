// The Wan VAE's configuration and its parameter list (sfs/inference/model_config.h).

#include "models/param_list.h"

#include <sstream>
#include <stdexcept>

namespace sfs::inference {

namespace {

using models::addConv;
using models::addParam;

// RMS_norm's gamma: [C, 1, 1(, 1)].
void addGamma(ParamList& l, const std::string& name, int64_t c, size_t ones = 3) {
    std::vector<int64_t> shape = {c};
    shape.insert(shape.end(), ones, 1);
    addParam(l, name + ".gamma", std::move(shape), ParamKind::Gain);
}

// ResidualBlock: RMS_norm, SiLU, CausalConv3d, RMS_norm, SiLU, dropout, CausalConv3d.
void addResidual(ParamList& l, const std::string& name, int64_t in, int64_t out) {
    addGamma(l, name + ".residual.0", in);
    addConv(l, name + ".residual.2", out, in, {3, 3, 3});
    addGamma(l, name + ".residual.3", out);
    addConv(l, name + ".residual.6", out, out, {3, 3, 3});
    if (in != out) {
        addConv(l, name + ".shortcut", out, in, {1, 1, 1});
    }
}

// The middle: residual block, single-head attention, residual block.
void addMiddle(ParamList& l, const std::string& name, int64_t c) {
    addResidual(l, name + ".0", c, c);
    addGamma(l, name + ".1.norm", c, 2);
    addConv(l, name + ".1.to_qkv", 3 * c, c, {1, 1});
    addConv(l, name + ".1.proj", c, c, {1, 1});
    addResidual(l, name + ".2", c, c);
}

std::string joined(const std::vector<int64_t>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        out += (i ? "," : "") + std::to_string(v[i]);
    }
    return out;
}

} // namespace

void WanVaeConfig::validate() const {
    auto bad = [](const std::string& what) {
        throw std::invalid_argument("Wan VAE configuration: " + what);
    };
    if (dim <= 0) {
        bad("dim must be positive");
    }
    if (zDim != 16) {
        bad("z_dim must be 16 (the latent statistics have 16 channels)");
    }
    if (dimMult.size() < 2) {
        bad("dim_mult needs at least two stages");
    }
    for (const int64_t m : dimMult) {
        if (m <= 0) {
            bad("dim_mult entries must be positive");
        }
    }
    for (size_t i = 1; i < dimMult.size(); ++i) {
        // The decoder halves channels in every spatial upsample.
        if ((dim * dimMult[i]) % 2 != 0) {
            bad("dim * dim_mult must be even after the first stage");
        }
    }
    if (numResBlocks <= 0) {
        bad("num_res_blocks must be positive");
    }
    if (temporalDownsample.size() != dimMult.size() - 1) {
        bad("temporal_downsample needs one entry per stage transition (" +
            std::to_string(dimMult.size() - 1) + ")");
    }
}

int64_t WanVaeConfig::spaceStride() const {
    return int64_t{1} << (dimMult.size() - 1);
}

int64_t WanVaeConfig::timeStride() const {
    int64_t s = 1;
    for (const bool t : temporalDownsample) {
        s *= t ? 2 : 1;
    }
    return s;
}

int64_t WanVaeConfig::videoFrames(int64_t latentFrames) const {
    return latentFrames <= 0 ? 0 : 1 + timeStride() * (latentFrames - 1);
}

std::string WanVaeConfig::describe() const {
    std::string temporal;
    for (const bool t : temporalDownsample) {
        temporal += std::string(temporal.empty() ? "" : ",") + (t ? "T" : "F");
    }
    std::ostringstream s;
    s << "dim " << dim << ", z " << zDim << ", mult " << joined(dimMult) << ", res blocks "
      << numResBlocks << ", temporal downsample " << temporal;
    return s.str();
}

// wan/modules/vae.py WanVAE_ (Encoder3d, conv1, conv2, Decoder3d), in state_dict order.
ParamList WanVaeConfig::parameters() const {
    ParamList l;
    const size_t stages = dimMult.size();
    auto temporal = [&](size_t s) {
        return s < temporalDownsample.size() && temporalDownsample[s];
    };
    std::vector<int64_t> dims = {dim};
    for (const int64_t m : dimMult) {
        dims.push_back(dim * m);
    }
    addConv(l, "encoder.conv1", dims[0], 3, {3, 3, 3});
    int i = 0;
    for (size_t s = 0; s < stages; ++s) {
        int64_t in = dims[s];
        for (int64_t r = 0; r < numResBlocks; ++r) {
            addResidual(l, "encoder.downsamples." + std::to_string(i++), in, dims[s + 1]);
            in = dims[s + 1];
        }
        if (s + 1 != stages) {
            const std::string b = "encoder.downsamples." + std::to_string(i++);
            addConv(l, b + ".resample.1", dims[s + 1], dims[s + 1], {3, 3});
            if (temporal(s)) {
                addConv(l, b + ".time_conv", dims[s + 1], dims[s + 1], {3, 1, 1});
            }
        }
    }
    addMiddle(l, "encoder.middle", dims.back());
    addGamma(l, "encoder.head.0", dims.back());
    addConv(l, "encoder.head.2", 2 * zDim, dims.back(), {3, 3, 3});
    addConv(l, "conv1", 2 * zDim, 2 * zDim, {1, 1, 1});
    addConv(l, "conv2", zDim, zDim, {1, 1, 1});

    // The decoder mirrors the encoder: 1 + num_res_blocks blocks per stage, upsamples that
    // halve the channels, time upsampling where the encoder downsampled in time.
    std::vector<int64_t> ddims = {dim * (stages ? dimMult.back() : 1)};
    for (size_t s = stages; s > 0; --s) {
        ddims.push_back(dim * dimMult[s - 1]);
    }
    addConv(l, "decoder.conv1", ddims[0], zDim, {3, 3, 3});
    addMiddle(l, "decoder.middle", ddims[0]);
    i = 0;
    for (size_t s = 0; s < stages; ++s) {
        // Every stage after the first starts at half the width (the upsample before it halves).
        int64_t in = s == 0 ? ddims[s] : ddims[s] / 2;
        for (int64_t r = 0; r < numResBlocks + 1; ++r) {
            addResidual(l, "decoder.upsamples." + std::to_string(i++), in, ddims[s + 1]);
            in = ddims[s + 1];
        }
        if (s + 1 != stages) {
            const std::string b = "decoder.upsamples." + std::to_string(i++);
            addConv(l, b + ".resample.1", ddims[s + 1] / 2, ddims[s + 1], {3, 3});
            if (temporal(stages - 2 - s)) {
                addConv(l, b + ".time_conv", ddims[s + 1] * 2, ddims[s + 1], {3, 1, 1});
            }
        }
    }
    addGamma(l, "decoder.head.0", ddims.back());
    addConv(l, "decoder.head.2", 3, ddims.back(), {3, 3, 3});
    return l;
}

bool WanVaeConfig::operator==(const WanVaeConfig& o) const {
    return dim == o.dim && zDim == o.zDim && dimMult == o.dimMult &&
           numResBlocks == o.numResBlocks && temporalDownsample == o.temporalDownsample;
}

} // namespace sfs::inference
