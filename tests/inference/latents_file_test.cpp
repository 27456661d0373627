// A take's latents on disk: chunk folders and whole files, continue and regenerate, a kill in
// the middle of a chunk, and every kind of bad file naming itself.

#include "io/safetensors.h"
#include "sfs/inference/latents_file.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        static int counter = 0;
        m_path = fs::temp_directory_path() /
                 ("sfs-latents-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(m_path);
    }
    ~TempDir() { fs::remove_all(m_path); }
    std::string path(const std::string& name) const { return (m_path / name).string(); }

private:
    fs::path m_path;
};

const LatentFrameSize kSize{16, 4, 6};

std::vector<float> values(int64_t frames, float start) {
    std::vector<float> v(static_cast<size_t>(frames * kSize.numel()));
    std::iota(v.begin(), v.end(), start);
    return v;
}

template <typename F>
std::string errorOf(F&& f) {
    try {
        f();
    } catch (const LatentsFileError& e) {
        return e.what();
    }
    return "no error";
}

TEST(LatentsFile, ChunksRoundTripAndConcatenate) {
    TempDir dir;
    const std::string folder = dir.path("take/latents");
    TakeLatentsWriter writer(folder, kSize);
    const std::vector<float> a = values(3, 0), b = values(3, 1000), c = values(2, -500);
    writer.append(a.data(), 3, 7);
    writer.append(b.data(), 3, 7);
    writer.append(c.data(), 2, 0xFFFFFFFFFFFFFFFFULL);
    EXPECT_TRUE(fs::exists(TakeLatentsWriter::chunkPath(folder, 2)));
    EXPECT_EQ(fs::path(TakeLatentsWriter::chunkPath(folder, 2)).filename(),
              "chunk-00002.safetensors");

    const TakeLatents take = readTakeLatents(folder);
    EXPECT_EQ(take.info.frameSize, kSize);
    ASSERT_EQ(take.info.chunks.size(), 3u);
    EXPECT_EQ(take.info.frames(), 8);
    EXPECT_EQ(take.info.chunks[1].firstFrame, 3);
    EXPECT_EQ(take.info.chunks[2].frames, 2);
    EXPECT_EQ(take.info.chunks[2].seed, 0xFFFFFFFFFFFFFFFFULL);
    std::vector<float> all = a;
    all.insert(all.end(), b.begin(), b.end());
    all.insert(all.end(), c.begin(), c.end());
    EXPECT_EQ(take.values, all);
    EXPECT_EQ(readTakeLatentsInfo(folder).chunks.size(), 3u);

    // The whole take as one file (the CLI's --latents): one tensor latents [F, 16, H, W] F32.
    const std::string file = dir.path("out.safetensors");
    writeLatentsFile(file, take);
    const auto st = io::SafetensorsFile::open(file);
    ASSERT_EQ(st->tensors().size(), 1u);
    EXPECT_EQ(st->info("latents").shape, (std::vector<int64_t>{8, 16, 4, 6}));
    EXPECT_EQ(st->info("latents").dtype, io::DType::F32);
    EXPECT_EQ(st->metadata().at("chunk_boundaries"), "0,3,6,8");
    EXPECT_EQ(st->metadata().at("format_version"), "1");
    const TakeLatents back = readTakeLatents(file);
    EXPECT_EQ(back.values, all);
    ASSERT_EQ(back.info.chunks.size(), 3u);
    EXPECT_EQ(back.info.chunks[0].seed, 7u);
    EXPECT_EQ(back.info.chunks[2].seed, 0xFFFFFFFFFFFFFFFFULL);
    EXPECT_EQ(back.info.chunks[2].firstFrame, 6);
}

TEST(LatentsFile, ContinueAndRegenerateKeepAPrefix) {
    TempDir dir;
    const std::string folder = dir.path("latents");
    {
        TakeLatentsWriter writer(folder, kSize);
        for (int k = 0; k < 3; ++k) {
            writer.append(values(3, 100.0f * k).data(), 3, 1);
        }
    }
    // Regenerate from chunk 1 with a new seed: chunk 0 stays, 1 and 2 are replaced.
    TakeLatentsWriter again(folder, kSize, 1);
    EXPECT_EQ(again.info().chunks.size(), 1u);
    EXPECT_FALSE(fs::exists(TakeLatentsWriter::chunkPath(folder, 2)));
    again.append(values(3, -1).data(), 3, 2);
    const TakeLatents take = readTakeLatents(folder);
    ASSERT_EQ(take.info.chunks.size(), 2u);
    EXPECT_EQ(take.info.chunks[1].seed, 2u);
    EXPECT_EQ(take.values[0], 0.0f);
    EXPECT_EQ(take.values[static_cast<size_t>(3 * kSize.numel())], -1.0f);

    // Keeping more than there are, or another frame size, is refused.
    EXPECT_NE(errorOf([&] { TakeLatentsWriter(folder, kSize, 3); }).find("holds 2 chunks"),
              std::string::npos);
    EXPECT_NE(errorOf([&] {
                  TakeLatentsWriter(folder, {16, 8, 6}, 2);
              }).find("wrong shape"),
              std::string::npos);
    EXPECT_EQ(readTakeLatentsInfo(folder).chunks.size(), 2u); // refused opens delete nothing
}

TEST(LatentsFile, KillDuringAChunkLeavesTheCompletedChunks) {
    TempDir dir;
    const std::string folder = dir.path("latents");
    {
        TakeLatentsWriter writer(folder, kSize);
        writer.append(values(3, 0).data(), 3, 5);
        writer.append(values(3, 9).data(), 3, 5);
    }
    // What a kill in the middle of chunk 2 leaves: a partial temporary file.
    const std::string partial = TakeLatentsWriter::chunkPath(folder, 2) + ".tmp-4242";
    std::ofstream(partial, std::ios::binary) << std::string("\x40\x00\x00\x00garbage", 11);
    const TakeLatents take = readTakeLatents(folder);
    EXPECT_EQ(take.info.chunks.size(), 2u);
    EXPECT_EQ(take.info.frames(), 6);
    EXPECT_EQ(take.values.size(), static_cast<size_t>(6 * kSize.numel()));
    // Continuing cleans it up.
    TakeLatentsWriter resumed(folder, kSize, 2);
    EXPECT_FALSE(fs::exists(partial));
    resumed.append(values(3, 1).data(), 3, 5);
    EXPECT_EQ(readTakeLatentsInfo(folder).frames(), 9);
}

TEST(LatentsFile, BadFilesNameThemselvesAndTheProblem) {
    TempDir dir;
    const std::string folder = dir.path("latents");
    {
        TakeLatentsWriter writer(folder, kSize);
        writer.append(values(3, 0).data(), 3, 5);
        writer.append(values(3, 9).data(), 3, 5);
    }
    const std::string chunk1 = TakeLatentsWriter::chunkPath(folder, 1);

    // Truncated chunk file.
    fs::resize_file(chunk1, fs::file_size(chunk1) - 10);
    std::string e = errorOf([&] { readTakeLatents(folder); });
    EXPECT_NE(e.find(chunk1), std::string::npos) << e;
    EXPECT_NE(e.find("truncated"), std::string::npos) << e;

    // A chunk of another frame size.
    const std::map<std::string, std::string> meta{{"format", "sfstudio.latents"},
                                                  {"format_version", "1"},
                                                  {"frames", "3"},
                                                  {"latent_size", "16x4x8"},
                                                  {"chunk_index", "1"},
                                                  {"first_frame", "3"},
                                                  {"seed", "5"}};
    io::writeSafetensors(chunk1, {{"latents", at::zeros({3, 16, 4, 8})}}, meta);
    e = errorOf([&] { readTakeLatents(folder); });
    EXPECT_NE(e.find(chunk1 + ": wrong shape"), std::string::npos) << e;

    // A gap.
    fs::remove(chunk1);
    fs::copy_file(TakeLatentsWriter::chunkPath(folder, 0), TakeLatentsWriter::chunkPath(folder, 2));
    e = errorOf([&] { readTakeLatents(folder); });
    EXPECT_NE(e.find("chunk 1 is missing but chunk-00002.safetensors exists"), std::string::npos)
        << e;

    // Whole files: wrong dtype, wrong rank, no tensor, newer version, garbage.
    const std::string file = dir.path("x.safetensors");
    io::writeSafetensors(file, {{"latents", at::zeros({2, 16, 4, 6}, at::kHalf)}});
    e = errorOf([&] { readTakeLatents(file); });
    EXPECT_NE(e.find(file + ": wrong dtype"), std::string::npos) << e;
    EXPECT_NE(e.find("F16"), std::string::npos) << e;
    io::writeSafetensors(file, {{"latents", at::zeros({2, 16, 4})}});
    EXPECT_NE(errorOf([&] { readTakeLatents(file); }).find("wrong shape"), std::string::npos);
    io::writeSafetensors(file, {{"noise", at::zeros({2, 16, 4, 6})}});
    EXPECT_NE(errorOf([&] { readTakeLatents(file); }).find("no tensor 'latents'"),
              std::string::npos);
    io::writeSafetensors(file, {{"latents", at::zeros({2, 16, 4, 6})}},
                         {{"format", "sfstudio.latents"}, {"format_version", "2"}});
    EXPECT_NE(errorOf([&] { readTakeLatents(file); }).find("format version 2 is newer"),
              std::string::npos);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << "not a safetensors file at all";
    EXPECT_NE(errorOf([&] { readTakeLatents(file); }).find(file + ": "), std::string::npos);
    EXPECT_NE(errorOf([&] {
                  readTakeLatents(dir.path("missing.safetensors"));
              }).find("missing.safetensors"),
              std::string::npos);
}

TEST(LatentsFile, ForeignWholeFileReadsAsOneChunk) {
    TempDir dir;
    const std::string file = dir.path("foreign.safetensors");
    const at::Tensor t = at::arange(2 * kSize.numel(), at::kFloat).view({2, 16, 4, 6});
    io::writeSafetensors(file, {{"latents", t}});
    const TakeLatents take = readTakeLatents(file);
    ASSERT_EQ(take.info.chunks.size(), 1u);
    EXPECT_EQ(take.info.chunks[0].frames, 2);
    EXPECT_FALSE(take.info.chunks[0].seed.has_value());
    EXPECT_EQ(take.values[5], 5.0f);

    // Writing values without chunk boundaries, and values that are not whole frames.
    TakeLatents plain;
    plain.info.frameSize = kSize;
    plain.values = values(2, 0);
    writeLatentsFile(file, plain);
    EXPECT_EQ(readTakeLatentsInfo(file).frames(), 2);
    plain.values.pop_back();
    EXPECT_NE(errorOf([&] { writeLatentsFile(file, plain); }).find("whole latent frames"),
              std::string::npos);
    EXPECT_EQ(readTakeLatentsInfo(file).frames(), 2); // the refused write left the file alone
}

} // namespace
} // namespace sfs::inference
