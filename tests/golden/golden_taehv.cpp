// TAEHV cases: taehv_io against taehv_weights (F16, upcast to float32), configured from
// manifest configs.taehv and run from files[...].taehv_run.
//
// Parallel and sequential raw decode, the trimmed/clamped decode, the stream decoder fed one
// latent per call and in the manifest's chunks, the Self-Forcing demo's block-wise re-decode
// (re-enacted here from the sequential raw decode, as demo.py does it), and the parallel,
// sequential and streaming encoder.

#include "golden.h"
#include "golden_support.h"
#include "models/taehv.h"

#include <ATen/ATen.h>

namespace sfs::golden {
namespace {

namespace models = inference::models;

models::TaehvConfig taehvConfig(const json::Value& c, Report& report) {
    models::TaehvConfig cfg;
    cfg.latentChannels = c.at("latent_channels").asInt("latent_channels");
    cfg.imageChannels = c.at("image_channels").asInt("image_channels");
    cfg.patchSize = c.at("patch_size").asInt("patch_size");
    cfg.encoderWidth = c.at("encoder_width").asInt("encoder_width");
    cfg.decoderWidths = manifestInts(c.at("decoder_widths"), "decoder_widths");
    cfg.encoderTimeDownscale =
        manifestFlags(c.at("encoder_time_downscale"), "encoder_time_downscale");
    cfg.decoderTimeUpscale = manifestFlags(c.at("decoder_time_upscale"), "decoder_time_upscale");
    cfg.decoderSpaceUpscale = manifestFlags(c.at("decoder_space_upscale"), "decoder_space_upscale");
    const std::vector<int64_t> derived{cfg.timeDownscale(), cfg.timeUpscale(), cfg.framesToTrim()};
    const std::vector<int64_t> stated{c.at("t_downscale").asInt(), c.at("t_upscale").asInt(),
                                      c.at("frames_to_trim").asInt()};
    report.check("config", derived == stated,
                 "t_downscale, t_upscale, frames_to_trim " + listText(derived) + " (manifest " +
                     listText(stated) + ")");
    return cfg;
}

// Feeds the stream decoder `chunks` latents per call; checks the frames each call returns.
at::Tensor streamDecode(const std::shared_ptr<const models::Taehv>& taehv, const at::Tensor& z,
                        const std::vector<int64_t>& chunks, const std::vector<int64_t>& want,
                        const std::string& label, Report& report) {
    models::TaehvStreamDecoder decoder(taehv);
    std::vector<at::Tensor> parts;
    std::vector<int64_t> got;
    int64_t start = 0;
    for (const int64_t k : chunks) {
        parts.push_back(decoder.decode(z.narrow(1, start, k)));
        got.push_back(parts.back().size(1));
        start += k;
    }
    report.check(label + " frames per call", got == want,
                 "chunks " + listText(chunks) + " -> " + listText(got) + " (manifest " +
                     listText(want) + ")");
    return at::cat(parts, 1);
}

// demo.py with use_taehv: per block, decode_video(parallel=False) * 2 - 1 (no trim, no clamp)
// of [previous block, this block] (the first block alone), keeping the last frames.
at::Tensor demoDecode(const models::Taehv& taehv, const at::Tensor& latents, int64_t block,
                      int64_t dropFirst, int64_t dropLater) {
    std::vector<at::Tensor> parts;
    for (int64_t start = 0; start < latents.size(1); start += block) {
        const int64_t from = start == 0 ? 0 : start - block;
        const int64_t len = std::min(latents.size(1), start + block) - from;
        const at::Tensor raw = taehv.decodeRaw(latents.narrow(1, from, len), false) * 2 - 1;
        const int64_t drop = start == 0 ? dropFirst : dropLater;
        parts.push_back(raw.narrow(1, drop, raw.size(1) - drop));
    }
    return at::cat(parts, 1);
}

void runTaehv(const GoldenSet& set, const std::string& file, Report& report) {
    const json::Value& run = set.fileEntry(file).at("taehv_run");
    const models::TaehvConfig cfg = taehvConfig(set.configs().at("taehv"), report);
    // F16 weights are exact; the expected outputs were computed from their float32 upcast.
    const auto weights =
        inference::io::Weights::fromSafetensors(set.path(weightsFileOf(file)), at::kFloat);
    const auto taehv = std::make_shared<const models::Taehv>(cfg, weights);
    TensorCoverage io(set, file, report);

    const at::Tensor z = io.input("decode_in_latents");
    io.compare("decode_raw", taehv->decodeRaw(z, true));
    io.compare("decode_raw", taehv->decodeRaw(z, false), 1e-4, "decode_raw (sequential)");
    io.compare("decode_parallel", taehv->decode(z, true));

    // Streaming: one latent per call, then the manifest's chunks.
    const std::vector<int64_t> ones(static_cast<size_t>(z.size(1)), 1);
    io.compare("stream_decode",
               streamDecode(taehv, z, ones,
                            manifestInts(run.at("stream_frames_per_call_one_latent"), ""),
                            "stream decode, one latent per call", report));
    const std::vector<int64_t> chunks = manifestInts(run.at("stream_chunks"), "stream_chunks");
    io.compare("stream_decode",
               streamDecode(taehv, z, chunks,
                            manifestInts(run.at("stream_frames_per_call_chunks"), ""),
                            "stream decode in chunks", report),
               1e-4, "stream_decode (chunks " + listText(chunks) + ")");
    io.compare("stream_decode", taehv->decode(z, false), 1e-4, "stream_decode (sequential)");

    const json::Value& drop = run.at("demo_drop_first");
    io.compare("sf_demo_pixels",
               demoDecode(*taehv, io.input("demo_in_latents"), run.at("demo_block").asInt(),
                          drop.at("block0").asInt(), drop.at("later_blocks").asInt()));

    const at::Tensor pixels = io.input("encode_in_pixels");
    const at::Tensor encoded = taehv->encode(pixels, true);
    report.check("encode latent frames", encoded.size(1) == run.at("encode_latent_frames").asInt(),
                 std::to_string(pixels.size(1)) + " frames -> " + std::to_string(encoded.size(1)) +
                     " latents");
    io.compare("encode_parallel", encoded);
    io.compare("stream_encode", taehv->encode(pixels, false), 1e-4, "stream_encode (sequential)");

    // The stream encoder, one frame per call, then a flush.
    models::TaehvStreamEncoder encoder(taehv);
    std::vector<at::Tensor> latents;
    std::vector<int64_t> emittedAfter;
    for (int64_t t = 0; t < pixels.size(1); ++t) {
        const at::Tensor out = encoder.encode(pixels.narrow(1, t, 1));
        for (int64_t k = 0; k < out.size(1); ++k) {
            emittedAfter.push_back(t + 1);
        }
        latents.push_back(out);
    }
    const at::Tensor flushed = encoder.flush();
    latents.push_back(flushed);
    const std::vector<int64_t> wantEmitted =
        manifestInts(run.at("stream_encode_emitted_after_frames"), "");
    const int64_t wantFlushed = run.at("stream_encode_flushed").asInt();
    report.check("stream encode emission",
                 emittedAfter == wantEmitted && flushed.size(1) == wantFlushed,
                 "latents after frames " + listText(emittedAfter) + ", " +
                     std::to_string(flushed.size(1)) + " on flush (manifest " +
                     listText(wantEmitted) + ", " + std::to_string(wantFlushed) + ")");
    io.compare("stream_encode", at::cat(latents, 1));
    io.finish();
}

} // namespace
} // namespace sfs::golden

SFS_GOLDEN_CASE("taehv", "taehv_io\\.safetensors", sfs::golden::runTaehv);
