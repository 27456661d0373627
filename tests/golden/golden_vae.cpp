// Wan VAE cases: vae_io against vae_weights, configured from manifest configs.vae.
//
// One-shot decode (raw and clamped pixels), the exact stream decoder over the manifest's
// chunking (must equal the one-shot reference), the demo's zero-cache stream decoder (the
// compatibility mode: stored as stream_decode_*), encode of an image and a clip (normalised and
// raw posterior mean), and the latent statistics.

#include "golden.h"
#include "golden_support.h"
#include "models/wan_vae.h"

#include <ATen/ATen.h>

namespace sfs::golden {
namespace {

namespace models = inference::models;

// NCTHW -> NTCHW
at::Tensor toPipelineLayout(const at::Tensor& x) {
    return x.permute({0, 2, 1, 3, 4});
}

// Decodes z chunk by chunk with one stream decoder; checks the frames each call returns.
at::Tensor streamDecode(const std::shared_ptr<const models::WanVae>& vae,
                        models::WanVaeStreamDecoder::Mode mode, const at::Tensor& z,
                        const std::vector<int64_t>& chunks, const std::string& label,
                        Report& report) {
    models::WanVaeStreamDecoder decoder(vae, mode);
    std::vector<at::Tensor> parts;
    std::vector<int64_t> got;
    std::vector<int64_t> want;
    int64_t start = 0;
    for (const int64_t k : chunks) {
        parts.push_back(decoder.decodeRaw(z.narrow(2, start, k)));
        got.push_back(parts.back().size(2));
        want.push_back(start == 0 ? vae->config().videoFrames(k) : vae->config().timeStride() * k);
        start += k;
    }
    report.check(label + " frames per call", got == want,
                 "chunks " + listText(chunks) + " -> " + listText(got) + " (expected " +
                     listText(want) + ")");
    return at::cat(parts, 2);
}

void runVae(const GoldenSet& set, const std::string& file, Report& report) {
    const json::Value& cfgJson = set.configs().at("vae");
    const models::WanVaeConfig cfg = vaeConfigOf(cfgJson);
    const std::vector<int64_t> chunks = manifestInts(cfgJson.at("stream_chunks"), "stream_chunks");
    const auto weights =
        inference::io::Weights::fromSafetensors(set.path(weightsFileOf(file)), at::kFloat);
    const auto vae = std::make_shared<const models::WanVae>(cfg, weights);
    TensorCoverage io(set, file, report);

    // The constants must be the reference's float32 values exactly.
    io.compare("latent_mean", at::tensor(models::wanLatentMean()), 0.0);
    io.compare("latent_std", at::tensor(models::wanLatentStd()), 0.0);

    const at::Tensor z = io.input("decode_in_z");
    const at::Tensor raw = vae->decode(z);
    io.compare("decode_out_raw", raw);
    io.compare("decode_out_pixels", toPipelineLayout(raw.clamp(-1, 1)));

    // The product path: the exact stream decoder, fed the manifest's chunks.
    const at::Tensor exact = streamDecode(vae, models::WanVaeStreamDecoder::Mode::Exact, z, chunks,
                                          "exact stream", report);
    io.compare("decode_out_raw", exact, 1e-4,
               "decode_out_raw (exact stream decoder, chunks " + listText(chunks) + ")");

    // The Self-Forcing demo's zero-cache stream decoder (compatibility mode).
    const at::Tensor demo = streamDecode(vae, models::WanVaeStreamDecoder::Mode::DemoZeroCache, z,
                                         chunks, "demo zero-cache stream", report);
    io.compare("stream_decode_raw", toPipelineLayout(demo));
    io.compare("stream_decode_pixels", toPipelineLayout(demo.clamp(-1, 1)));

    for (const std::string what : {"image", "clip"}) {
        const at::Tensor video = io.input("encode_in_" + what);
        io.compare("encode_out_" + what, vae->encode(video));
        io.compare("encode_out_" + what + "_raw_mu", vae->encodeRawMean(video));
    }
    io.finish();
}

} // namespace
} // namespace sfs::golden

SFS_GOLDEN_CASE("vae", "vae_io\\.safetensors", sfs::golden::runVae);
