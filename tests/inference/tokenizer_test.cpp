// The umT5 tokenizer over the golden set's spiece.model. This program links LibTorch (and so
// Debian's libprotobuf): tokenizing here is the combination that crashed when libsentencepiece
// was linked directly, so these tests also prove the module isolation works.

#include "sfs/build_config.h"
#include "sfs/inference/text.h"
#include "text/sentencepiece_loader.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

using sfs::inference::Tokenizer;
using sfs::inference::TokenizerError;
namespace text = sfs::inference::text;

const std::string kModel = std::string(SFS_TEST_DATA_DIR) + "/golden/tokenizer/spiece.model";

#if SFS_WITH_SENTENCEPIECE

TEST(Tokenizer, LoadsInATorchProgramAndReadsTheSpecialIds) {
    // Touch torch first so that its libraries (libprotobuf among them) are surely initialised.
    const at::Tensor t = at::ones({2});
    EXPECT_EQ(t.sum().item<float>(), 2.0f);
    const auto tok = Tokenizer::open(kModel);
    EXPECT_EQ(tok->vocabSize(), 512);
    EXPECT_EQ(tok->padId(), 0);
    EXPECT_EQ(tok->eosId(), 1);
    EXPECT_EQ(tok->unkId(), 2);
    EXPECT_EQ(tok->idToPiece(1), "</s>");
    EXPECT_EQ(tok->modelPath(), kModel);
}

TEST(Tokenizer, EncodesPiecesAndAppendsEos) {
    const auto tok = Tokenizer::open(kModel);
    const auto pieces = tok->pieces("A cat sitting");
    const std::vector<std::string> want = {"\u2581A", "\u2581cat", "\u2581", "s",
                                           "i",       "t",         "t",      "ing"};
    EXPECT_EQ(pieces, want);
    const auto out = tok->encode("  A   cat sitting ", 16);
    EXPECT_EQ(out.cleaned, "A cat sitting");
    const std::vector<int64_t> ids = {12, 284, 3, 6, 46, 24, 24, 28, 1, 0, 0, 0, 0, 0, 0, 0};
    const std::vector<int64_t> mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(out.ids, ids);
    EXPECT_EQ(out.mask, mask);
    EXPECT_EQ(out.length, 9);
    EXPECT_EQ(out.pieceCount, 8);
    EXPECT_FALSE(out.truncated);
}

TEST(Tokenizer, TruncatesToTextLenMinusOnePiecesThenEos) {
    const auto tok = Tokenizer::open(kModel);
    const std::string prompt = "A cat sitting";
    const auto all = tok->pieceIds(prompt);
    ASSERT_EQ(all.size(), 8u);
    for (int textLen : {1, 2, 8, 9, 10}) {
        const auto out = tok->encode(prompt, textLen);
        const int64_t keep = std::min<int64_t>(8, textLen - 1);
        ASSERT_EQ(out.ids.size(), static_cast<size_t>(textLen));
        EXPECT_EQ(out.length, keep + 1) << textLen;
        EXPECT_EQ(out.truncated, keep < 8) << textLen;
        for (int64_t i = 0; i < keep; ++i) {
            EXPECT_EQ(out.ids[i], all[i]);
        }
        EXPECT_EQ(out.ids[keep], 1);
        for (int i = 0; i < textLen; ++i) {
            EXPECT_EQ(out.mask[i], i <= keep ? 1 : 0);
            if (i > keep) {
                EXPECT_EQ(out.ids[i], 0);
            }
        }
    }
    EXPECT_THROW(tok->encode(prompt, 0), TokenizerError);
    EXPECT_THROW(tok->encode(prompt, 1 << 30), TokenizerError);
}

TEST(Tokenizer, EmptyPromptIsJustEos) {
    const auto tok = Tokenizer::open(kModel);
    const auto out = tok->encode(" \t ", 4);
    EXPECT_EQ(out.ids, (std::vector<int64_t>{1, 0, 0, 0}));
    EXPECT_EQ(out.mask, (std::vector<int64_t>{1, 0, 0, 0}));
    EXPECT_EQ(out.length, 1);
}

TEST(Tokenizer, BadModelFilesAreNamed) {
    try {
        Tokenizer::open("/nonexistent/spiece.model");
        FAIL() << "no error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(e.kind(), TokenizerError::Kind::BadModel);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/spiece.model"), std::string::npos);
    }
    const auto junk = std::filesystem::temp_directory_path() / "sfs_tokenizer_junk.model";
    {
        std::ofstream out(junk, std::ios::binary);
        out << "this is not a protobuf, just words\n";
    }
    try {
        Tokenizer::open(junk.string());
        FAIL() << "no error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(e.kind(), TokenizerError::Kind::BadModel);
        EXPECT_NE(std::string(e.what()).find(junk.string()), std::string::npos) << e.what();
    }
    std::filesystem::remove(junk);
}

TEST(Tokenizer, ModuleIsFoundFromTheBuildTree) {
    std::string why;
    EXPECT_TRUE(sfs::inference::tokenizerAvailable(&why)) << why;
    const auto* api = text::sentencePieceModule();
    ASSERT_NE(api, nullptr);
    EXPECT_NE(api->path.find("sfs_sentencepiece"), std::string::npos);
}

#else

TEST(Tokenizer, WithoutSentencePieceTheErrorPointsToPrecomputedEmbeddings) {
    std::string why;
    EXPECT_FALSE(sfs::inference::tokenizerAvailable(&why));
    EXPECT_NE(why.find("SFS_WITH_SENTENCEPIECE=OFF"), std::string::npos) << why;
    try {
        Tokenizer::open(kModel);
        FAIL() << "no error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(e.kind(), TokenizerError::Kind::Unavailable);
        EXPECT_NE(std::string(e.what()).find("precomputed embeddings"), std::string::npos);
    }
}

#endif

TEST(Tokenizer, AMissingModuleIsReportedWithEveryPlaceLookedAt) {
    text::SentencePieceApi api{};
    std::string error;
    EXPECT_FALSE(text::loadSentencePieceModule(
        {"/nonexistent/a/sfs_sentencepiece.so", "/nonexistent/b/sfs_sentencepiece.so"}, api,
        error));
    EXPECT_NE(error.find("/nonexistent/a/sfs_sentencepiece.so"), std::string::npos) << error;
    EXPECT_NE(error.find("/nonexistent/b/sfs_sentencepiece.so"), std::string::npos) << error;
    EXPECT_NE(error.find("not found"), std::string::npos) << error;
}

TEST(Tokenizer, AFileThatIsNotTheModuleIsRefused) {
    // A real shared object without our interface: libc.
    text::SentencePieceApi api{};
    std::string error;
    const std::vector<std::string> libc = {"/lib/x86_64-linux-gnu/libc.so.6",
                                           "/usr/lib/x86_64-linux-gnu/libc.so.6"};
    for (const auto& path : libc) {
        if (std::filesystem::exists(path)) {
            EXPECT_FALSE(text::loadSentencePieceModule({path}, api, error));
            EXPECT_NE(error.find("not the sfstudio SentencePiece module"), std::string::npos)
                << error;
            return;
        }
    }
    GTEST_SKIP() << "no libc.so.6 at the usual places";
}

#if SFS_WITH_SENTENCEPIECE
TEST(Tokenizer, AForeignFileDoesNotHideTheModuleFurtherOn) {
    const auto* good = text::sentencePieceModule();
    ASSERT_NE(good, nullptr);
    text::SentencePieceApi api{};
    std::string error;
    ASSERT_TRUE(text::loadSentencePieceModule(
        {"/nonexistent/sfs_sentencepiece.so", "/lib/x86_64-linux-gnu/libc.so.6", good->path}, api,
        error))
        << error;
    EXPECT_EQ(api.path, good->path);
}
#endif

TEST(Tokenizer, TheEnvironmentOverridesTheSearch) {
    ::setenv(text::kSentencePieceModuleEnv, "/opt/elsewhere/sfs_sentencepiece.so", 1);
    const auto candidates = text::sentencePieceModuleCandidates();
    ::unsetenv(text::kSentencePieceModuleEnv);
    ASSERT_EQ(candidates.size(), 1u);
    EXPECT_EQ(candidates[0], "/opt/elsewhere/sfs_sentencepiece.so");
    const auto normal = text::sentencePieceModuleCandidates();
    EXPECT_GE(normal.size(), 3u);
}

} // namespace
