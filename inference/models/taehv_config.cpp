// TAEHV's configuration and its parameter list (sfs/inference/model_config.h).

#include "models/param_list.h"

#include <sstream>
#include <stdexcept>

namespace sfs::inference {

namespace {

int64_t twoToCount(const std::vector<bool>& flags) {
    int64_t s = 1;
    for (const bool f : flags) {
        s *= f ? 2 : 1;
    }
    return s;
}

// MemBlock: conv.0 (2C -> C, over [x, past]), conv.2, conv.4 (C -> C), 3x3 with bias.
void addMemBlock(ParamList& l, const std::string& name, int64_t c) {
    models::addConv(l, name + ".conv.0", c, 2 * c, {3, 3});
    models::addConv(l, name + ".conv.2", c, c, {3, 3});
    models::addConv(l, name + ".conv.4", c, c, {3, 3});
}

} // namespace

void TaehvConfig::validate() const {
    auto bad = [](const std::string& what) {
        throw std::invalid_argument("TAEHV configuration: " + what);
    };
    if (latentChannels <= 0 || imageChannels <= 0 || patchSize <= 0 || encoderWidth <= 0) {
        bad("channel counts, width and patch size must be positive");
    }
    if (decoderWidths.size() != 4) {
        bad("decoder_widths needs 4 entries");
    }
    for (const int64_t w : decoderWidths) {
        if (w <= 0) {
            bad("decoder_widths must be positive");
        }
    }
    if (encoderTimeDownscale.size() != 3 || decoderTimeUpscale.size() != 3 ||
        decoderSpaceUpscale.size() != 3) {
        bad("encoder_time_downscale, decoder_time_upscale and decoder_space_upscale need 3 "
            "entries each");
    }
    for (const bool s : decoderSpaceUpscale) {
        if (!s) {
            // The encoder always halves space three times; a decoder that does not upscale
            // would not invert it.
            bad("decoder_space_upscale must be on for every stage");
        }
    }
}

int64_t TaehvConfig::timeDownscale() const {
    return twoToCount(encoderTimeDownscale);
}
int64_t TaehvConfig::timeUpscale() const {
    return twoToCount(decoderTimeUpscale);
}
int64_t TaehvConfig::spaceScale() const {
    return 8 * patchSize;
}
int64_t TaehvConfig::videoFrames(int64_t latentFrames) const {
    return latentFrames <= 0 ? 0 : timeUpscale() * latentFrames - framesToTrim();
}

std::string TaehvConfig::describe() const {
    std::ostringstream s;
    s << "encoder " << encoderWidth << ", decoder ";
    for (size_t i = 0; i < decoderWidths.size(); ++i) {
        s << (i ? "," : "") << decoderWidths[i];
    }
    s << ", latent " << latentChannels << ", patch " << patchSize << ", time strides ";
    for (size_t i = 0; i < decoderTimeUpscale.size(); ++i) {
        s << (i ? "," : "") << (decoderTimeUpscale[i] ? 2 : 1);
    }
    return s.str();
}

// taehv.py TAEHV: encoder and decoder are nn.Sequential, so a parameter's name is the index of
// its layer (ReLU, Clamp and Upsample layers hold none). In state_dict order.
ParamList TaehvConfig::parameters() const {
    using models::addConv;
    if (decoderWidths.size() != 4 || encoderTimeDownscale.size() != 3 ||
        decoderTimeUpscale.size() != 3) {
        validate(); // names the field
    }
    ParamList l;
    const int64_t e = encoderWidth;
    const int64_t pixels = imageChannels * patchSize * patchSize;
    const auto& dec = decoderWidths;
    addConv(l, "encoder.0", e, pixels, {3, 3});
    const int pools[3] = {2, 7, 12}; // TPool, strided conv, 3 MemBlocks per stage
    for (size_t s = 0; s < 3; ++s) {
        const int first = pools[s];
        addConv(l, "encoder." + std::to_string(first) + ".conv", e,
                e * (encoderTimeDownscale[s] ? 2 : 1), {1, 1}, false);
        addConv(l, "encoder." + std::to_string(first + 1), e, e, {3, 3}, false);
        for (int j = 0; j < 3; ++j) {
            addMemBlock(l, "encoder." + std::to_string(first + 2 + j), e);
        }
    }
    addConv(l, "encoder.17", latentChannels, e, {3, 3});
    addConv(l, "decoder.1", dec[0], latentChannels, {3, 3});
    for (int j = 3; j <= 5; ++j) {
        addMemBlock(l, "decoder." + std::to_string(j), dec[0]);
    }
    const int grows[3] = {7, 13, 19}; // TGrow, conv, then (stages 0, 1) 3 MemBlocks
    for (size_t s = 0; s < 3; ++s) {
        const int idx = grows[s];
        models::addParam(l, "decoder." + std::to_string(idx) + ".conv.weight",
                         {dec[s] * (decoderTimeUpscale[s] ? 2 : 1), dec[s], 1, 1},
                         ParamKind::Weight, /*trailingRows=*/true);
        addConv(l, "decoder." + std::to_string(idx + 1), dec[s + 1], dec[s], {3, 3}, false);
        if (s < 2) {
            for (int j = 0; j < 3; ++j) {
                addMemBlock(l, "decoder." + std::to_string(idx + 2 + j), dec[s + 1]);
            }
        }
    }
    addConv(l, "decoder.22", pixels, dec[3], {3, 3});
    return l;
}

bool TaehvConfig::operator==(const TaehvConfig& o) const {
    return latentChannels == o.latentChannels && imageChannels == o.imageChannels &&
           patchSize == o.patchSize && encoderWidth == o.encoderWidth &&
           decoderWidths == o.decoderWidths && encoderTimeDownscale == o.encoderTimeDownscale &&
           decoderTimeUpscale == o.decoderTimeUpscale &&
           decoderSpaceUpscale == o.decoderSpaceUpscale;
}

} // namespace sfs::inference
