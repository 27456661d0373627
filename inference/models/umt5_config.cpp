// The UMT5 encoder's configuration and its parameter list (sfs/inference/model_config.h).

#include "models/param_list.h"

#include <sstream>
#include <stdexcept>

namespace sfs::inference {

void UMT5Config::validate() const {
    const auto positive = [](int64_t v, const char* name) {
        if (v <= 0) {
            throw std::invalid_argument(std::string("UMT5 config: ") + name +
                                        " must be positive, got " + std::to_string(v));
        }
    };
    positive(vocab, "vocab");
    positive(dim, "dim");
    positive(dimAttn, "dim_attn");
    positive(dimFfn, "dim_ffn");
    positive(numHeads, "num_heads");
    positive(numLayers, "num_layers");
    positive(numBuckets, "num_buckets");
    positive(maxDistance, "max_distance");
    if (dimAttn % numHeads != 0) {
        throw std::invalid_argument("UMT5 config: dim_attn " + std::to_string(dimAttn) +
                                    " is not a multiple of num_heads " + std::to_string(numHeads));
    }
    if (numBuckets < 4 || numBuckets % 2 != 0 || maxDistance <= numBuckets / 4) {
        throw std::invalid_argument("UMT5 config: num_buckets must be even and >= 4, and "
                                    "max_distance larger than num_buckets / 4");
    }
    if (!(eps > 0.0)) {
        throw std::invalid_argument("UMT5 config: eps must be positive");
    }
}

std::string UMT5Config::describe() const {
    std::ostringstream s;
    s << "vocab " << vocab << ", dim " << dim << ", " << numLayers << " layers, " << numHeads
      << " heads, ffn " << dimFfn << ", " << numBuckets << " buckets"
      << (sharedPos ? ", shared position table" : "");
    return s.str();
}

// wan/modules/t5.py T5Encoder, in state_dict order.
ParamList UMT5Config::parameters() const {
    using models::addLinear;
    using models::addParam;
    ParamList l;
    addParam(l, "token_embedding.weight", {vocab, dim}, ParamKind::Embedding);
    if (sharedPos) {
        addParam(l, "pos_embedding.embedding.weight", {numBuckets, numHeads},
                 ParamKind::PositionBias);
    }
    for (int64_t i = 0; i < numLayers; ++i) {
        const std::string b = "blocks." + std::to_string(i) + ".";
        addParam(l, b + "norm1.weight", {dim}, ParamKind::Gain);
        for (const char* p : {"q", "k", "v"}) {
            addLinear(l, b + "attn." + p, dimAttn, dim, false);
        }
        addLinear(l, b + "attn.o", dim, dimAttn, false);
        addParam(l, b + "norm2.weight", {dim}, ParamKind::Gain);
        addLinear(l, b + "ffn.gate.0", dimFfn, dim, false);
        addLinear(l, b + "ffn.fc1", dimFfn, dim, false);
        addLinear(l, b + "ffn.fc2", dim, dimFfn, false);
        if (!sharedPos) {
            addParam(l, b + "pos_embedding.embedding.weight", {numBuckets, numHeads},
                     ParamKind::PositionBias);
        }
    }
    addParam(l, "norm.weight", {dim}, ParamKind::Gain);
    return l;
}

bool UMT5Config::operator==(const UMT5Config& o) const {
    return vocab == o.vocab && dim == o.dim && dimAttn == o.dimAttn && dimFfn == o.dimFfn &&
           numHeads == o.numHeads && numLayers == o.numLayers && numBuckets == o.numBuckets &&
           maxDistance == o.maxDistance && sharedPos == o.sharedPos && eps == o.eps;
}

} // namespace sfs::inference
