// The prompt encoder runner with the golden set's tiny umT5 encoder and tokenizer: parity of
// the whole chain (text -> embeddings), the cache in front of it, device placement.

#include "io/safetensors.h"
#include "sfs/build_config.h"
#include "text/prompt_encoder.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace sfs::inference::text;
using sfs::inference::TokenizerError;

const std::string kGolden = std::string(SFS_TEST_DATA_DIR) + "/golden";
const std::vector<std::string> kTexts = {
    "A small boat floats on the calm lake.",
    "In a misty mountain village, 3 children dance happily while an old painter watches the "
    "colorful sunset behind the ancient tower."};

struct CacheDir {
    CacheDir()
        : path(fs::temp_directory_path() / ("sfs_prompt_enc_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
    }
    ~CacheDir() { fs::remove_all(path); }
    fs::path path;
};

PromptEncoderOptions goldenOptions(const std::string& cacheDir) {
    PromptEncoderOptions o;
    o.encoderPath = kGolden + "/t5_weights.safetensors";
    o.tokenizerPath = kGolden + "/tokenizer/spiece.model";
    o.textLen = 40; // configs.t5_test_seq_len
    o.device = {sfs::inference::parseDevice("cpu"), sfs::inference::Precision::Float32};
    o.cacheDir = cacheDir;
    return o;
}

at::Tensor expectedEmbeddings() {
    return sfs::inference::io::SafetensorsFile::open(kGolden + "/t5_io.safetensors")
        ->load("prompt_embeds");
}

void expectClose(const at::Tensor& mine, const at::Tensor& expected) {
    const double tol = 1e-4 * expected.abs().max().item<double>();
    EXPECT_LE((mine - expected).abs().max().item<double>(), tol);
}

#if SFS_WITH_SENTENCEPIECE

TEST(PromptEncoder, TextToEmbeddingsMatchesTheGoldenSet) {
    CacheDir dir;
    PromptEncoder enc(goldenOptions(dir.path.string()));
    const auto out = enc.encode(kTexts);
    const at::Tensor expected = expectedEmbeddings();
    ASSERT_EQ(out.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(out[i].sizes(), (std::vector<int64_t>{40, 32}));
        expectClose(out[i], expected[static_cast<int64_t>(i)]);
    }
    EXPECT_EQ(enc.encoderRuns(), 2);
    EXPECT_FALSE(enc.loaded()); // freed after the batch
}

TEST(PromptEncoder, KnownPromptsNeverRunTheEncoderAgain) {
    CacheDir dir;
    const at::Tensor expected = expectedEmbeddings();
    {
        PromptEncoder enc(goldenOptions(dir.path.string()));
        enc.encode(kTexts);
        // Re-generating and switching back and forth: memory hits only.
        enc.encode(kTexts[1]);
        enc.encode(kTexts[0]);
        // Another spelling of the same cleaned text is the same prompt.
        enc.encode("  A small boat floats on the calm lake. ");
        EXPECT_EQ(enc.encoderRuns(), 2);
        EXPECT_EQ(enc.cacheStats().memoryHits, 3);
    }
    // A new session finds them on disk, without loading the encoder or the tokenizer.
    PromptEncoderOptions o = goldenOptions(dir.path.string());
    o.tokenizerPath = "/nonexistent/spiece.model";
    PromptEncoder enc(o);
    const auto out = enc.encode(kTexts);
    EXPECT_EQ(enc.encoderRuns(), 0);
    EXPECT_EQ(enc.cacheStats().diskHits, 2);
    expectClose(out[1], expected[1]);
    // A new prompt needs them, and the bad tokenizer path is named.
    try {
        enc.encode("a prompt nobody has seen");
        FAIL() << "no error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(e.kind(), TokenizerError::Kind::BadModel);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/spiece.model"), std::string::npos);
    }
}

TEST(PromptEncoder, ACorruptedEntryIsRecomputed) {
    CacheDir dir;
    std::string entry;
    {
        PromptEncoder enc(goldenOptions(dir.path.string()));
        enc.encode(kTexts[0]);
        for (const auto& e : fs::directory_iterator(dir.path)) {
            if (e.path().extension() == ".safetensors") {
                entry = e.path().string();
            }
        }
    }
    ASSERT_FALSE(entry.empty());
    {
        std::fstream f(entry, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(-3, std::ios::end);
        f.write("\x7f\x7f\x7f", 3);
    }
    PromptEncoder enc(goldenOptions(dir.path.string()));
    const at::Tensor out = enc.encode(kTexts[0]);
    EXPECT_EQ(enc.cacheStats().corruptEntries, 1);
    EXPECT_EQ(enc.encoderRuns(), 1);
    expectClose(out, expectedEmbeddings()[0]);
    EXPECT_TRUE(fs::exists(entry)); // written again, intact
    PromptEncoder next(goldenOptions(dir.path.string()));
    next.encode(kTexts[0]);
    EXPECT_EQ(next.encoderRuns(), 0);
    EXPECT_EQ(next.cacheStats().corruptEntries, 0);
}

TEST(PromptEncoder, DuplicatesInABatchRunOnceAndKeepLoadedKeepsTheEncoder) {
    PromptEncoderOptions o = goldenOptions("");
    o.keepLoaded = true;
    PromptEncoder enc(o);
    const auto out = enc.encode({kTexts[0], kTexts[0] + "  ", kTexts[0]});
    EXPECT_EQ(enc.encoderRuns(), 1);
    EXPECT_TRUE(at::equal(out[0], out[2]));
    EXPECT_TRUE(enc.loaded());
    enc.release();
    EXPECT_FALSE(enc.loaded());
}

TEST(PromptEncoder, BatchedPromptsGetTheRowsTheyWouldGetAlone) {
    std::vector<std::string> prompts;
    for (int i = 0; i < 11; ++i) { // more than one batch of 8, lengths 2..12 words
        std::string p = "prompt";
        for (int w = 0; w <= i; ++w) {
            p += " word" + std::to_string(w);
        }
        prompts.push_back(p);
    }
    PromptEncoder batched(goldenOptions(""));
    const auto together = batched.encode(prompts);
    EXPECT_EQ(batched.encoderRuns(), 11);
    PromptEncoder single(goldenOptions(""));
    for (size_t i = 0; i < prompts.size(); ++i) {
        const at::Tensor alone = single.encode(prompts[i]);
        EXPECT_TRUE(at::allclose(together[i], alone, 1e-5, 1e-5)) << i;
    }
}

TEST(PromptEncoder, Bfloat16RunsOnTheCpu) {
    PromptEncoderOptions o = goldenOptions("");
    o.device.precision = sfs::inference::Precision::BFloat16;
    PromptEncoder enc(o);
    const at::Tensor out = enc.encode(kTexts[0]);
    EXPECT_EQ(out.scalar_type(), at::kBFloat16);
    const at::Tensor expected = expectedEmbeddings()[0];
    const double err = (out.to(at::kFloat) - expected).abs().max().item<double>();
    EXPECT_LT(err, 0.05 * expected.abs().max().item<double>());
}

#else

TEST(PromptEncoder, WithoutSentencePieceNewTextAsksForPrecomputedEmbeddings) {
    PromptEncoder enc(goldenOptions(""));
    try {
        enc.encode(kTexts[0]);
        FAIL() << "no error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(e.kind(), TokenizerError::Kind::Unavailable);
        EXPECT_NE(std::string(e.what()).find("precomputed embeddings"), std::string::npos);
    }
}

#endif

TEST(PromptEncoder, CachedAndPrecomputedEmbeddingsNeedNoTokenizer) {
    CacheDir dir;
    PromptEncoderOptions o = goldenOptions(dir.path.string());
    o.tokenizerPath = "/nonexistent/spiece.model";
    const at::Tensor expected = expectedEmbeddings();
    {
        // Seed the cache as a machine with the tokenizer would have.
        PromptEncoder seeder(o);
        PromptCache cache({dir.path.string(), 1 << 20, 1 << 20});
        PromptCacheKey key{seeder.encoderHash(), kTexts[0], 40, "Float"};
        cache.store(key, expected[0], 10);
    }
    PromptEncoder enc(o);
    const at::Tensor hit = enc.encode(kTexts[0]);
    EXPECT_EQ(enc.encoderRuns(), 0);
    expectClose(hit.narrow(0, 0, 10), expected[0].narrow(0, 0, 10));
    // Any entry file (or a file of one's own) serves as precomputed embeddings.
    std::string entry;
    for (const auto& e : fs::directory_iterator(dir.path)) {
        if (e.path().extension() == ".safetensors") {
            entry = e.path().string();
        }
    }
    const at::Tensor loaded = enc.loadEmbeddings(entry);
    EXPECT_EQ(loaded.sizes(), (std::vector<int64_t>{40, 32}));
    const std::string narrow = (dir.path / "narrow.safetensors").string();
    sfs::inference::io::writeSafetensors(narrow, {{"prompt_embeds", at::ones({3, 16})}});
    EXPECT_THROW(enc.loadEmbeddings(narrow), sfs::inference::io::WeightsError); // width 32
}

// The encoder takes the device policy's text-encoder placement (the rule itself is tested in
// device_policy_test without a GPU).
TEST(PromptEncoder, PlacementFollowsTheDevicePolicy) {
    using sfs::inference::DeviceKind;
    using sfs::inference::parseDevice;
    using sfs::inference::Precision;
    CacheDir dir;
    PromptEncoderOptions o = goldenOptions(dir.path.string());
    EXPECT_EQ(PromptEncoder(o).placement().device.kind, DeviceKind::Cpu);
    o.device = {parseDevice("auto"), Precision::Auto};
    const PromptEncoder automatic(o);
    EXPECT_FALSE(automatic.placement().reason.empty());
    // The text encoder runs in bfloat16 wherever it runs.
    EXPECT_EQ(automatic.placement().precision, Precision::BFloat16);
    if (!at::hasCUDA()) {
        EXPECT_EQ(automatic.placement().device.kind, DeviceKind::Cpu);
        EXPECT_NE(automatic.placement().reason.find("CPU"), std::string::npos);
        o.device.device = parseDevice("cuda");
        EXPECT_THROW(PromptEncoder{o}, sfs::inference::DeviceUnavailable);
    }
}

} // namespace
