// T5 cases: t5_io.safetensors holds ids and masks of the set's tokenizer (t5_test_texts at
// t5_test_seq_len), the tiny umt5 encoder's output and the zero-padded prompt embeddings the
// DiT receives; t5_weights.safetensors the encoder (configs.t5_encoder).

#include "golden.h"
#include "golden_support.h"
#include "io/model_schema.h"
#include "io/weights.h"
#include "models/umt5.h"
#include "sfs/inference/text.h"

#include <ATen/ATen.h>

namespace {

using namespace sfs::golden;
using sfs::inference::models::UMT5Config;
using sfs::inference::models::UMT5Encoder;

void t5Case(const GoldenSet& set, const std::string& file, Report& report) {
    const UMT5Config config = t5ConfigOf(set.configs().at("t5_encoder"));
    const auto weights = sfs::inference::io::Weights::fromSafetensors(
        set.path("t5_weights.safetensors"), at::kFloat);
    namespace io = sfs::inference::io;
    const io::RoleCheck check =
        io::checkShapes(sfs::inference::ModelRole::TextEncoder, io::shapesOf(weights));
    report.check("weights check", check.ok(),
                 check.ok() ? "the parameter list" : check.describeProblems().front());
    const UMT5Config inferred = check.t5.value_or(UMT5Config());
    report.check(
        "config from weights",
        inferred.vocab == config.vocab && inferred.dim == config.dim &&
            inferred.dimAttn == config.dimAttn && inferred.dimFfn == config.dimFfn &&
            inferred.numHeads == config.numHeads && inferred.numLayers == config.numLayers &&
            inferred.numBuckets == config.numBuckets && inferred.sharedPos == config.sharedPos,
        std::to_string(inferred.numLayers) + " layers, dim " + std::to_string(inferred.dim) + ", " +
            std::to_string(inferred.numHeads) + " heads, ffn " + std::to_string(inferred.dimFfn));
    const UMT5Encoder encoder(config, weights);

    const auto st = set.open(file);
    const at::Tensor ids = st->load("ids");
    const at::Tensor mask = st->load("mask");
    report.compare("encoder_out", encoder.forward(ids, mask), loadF32(set, file, "encoder_out"));
    report.compare("prompt_embeds", encoder.promptEmbeddings(ids, mask),
                   loadF32(set, file, "prompt_embeds"));

    // The ids came from this set's tokenizer: reproduce them where SentencePiece is available
    // (the tokenizer cases report its absence).
    if (sfs::inference::tokenizerAvailable()) {
        const int seqLen = static_cast<int>(set.configs().at("t5_test_seq_len").asInt());
        const auto tok = sfs::inference::Tokenizer::open(set.path("tokenizer/spiece.model"));
        const auto& texts = set.configs().at("t5_test_texts").asArray();
        at::Tensor myIds = at::zeros({static_cast<int64_t>(texts.size()), seqLen}, at::kLong);
        at::Tensor myMask = at::zeros_like(myIds);
        for (size_t i = 0; i < texts.size(); ++i) {
            const auto out = tok->encode(texts[i].asString(), seqLen);
            for (int j = 0; j < seqLen; ++j) {
                myIds[static_cast<int64_t>(i)][j] = out.ids[static_cast<size_t>(j)];
                myMask[static_cast<int64_t>(i)][j] = out.mask[static_cast<size_t>(j)];
            }
        }
        report.compareExact("ids (tokenized t5_test_texts)", myIds, ids);
        report.compareExact("mask (tokenized t5_test_texts)", myMask, mask);
    }
}

} // namespace

SFS_GOLDEN_CASE("t5", "t5_io\\.safetensors", t5Case);
