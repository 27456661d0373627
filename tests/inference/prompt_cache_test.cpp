// The prompt-embedding cache: hits and misses in memory and on disk, LRU eviction of both,
// damaged entries detected by checksum and recomputed, atomic writes; the content hash.

#include "io/safetensors.h"
#include "text/content_hash.h"
#include "text/prompt_cache.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using namespace sfs::inference::text;
using sfs::inference::io::WeightsError;

class TempDir {
public:
    TempDir() {
        path = fs::temp_directory_path() /
               ("sfs_prompt_cache_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::remove_all(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string str() const { return path.string(); }
    fs::path path;

private:
    static inline int counter = 0;
};

PromptCacheKey key(const std::string& text, const std::string& encoder = "0123456789abcdef") {
    return PromptCacheKey{encoder, text, 8, "Float"};
}

// [8, 4] embeddings with `length` non-zero rows.
at::Tensor embeddings(int64_t length, float base) {
    at::Tensor t = at::zeros({8, 4});
    t.narrow(0, 0, length).copy_(at::arange(length * 4, at::kFloat).view({length, 4}) + base);
    return t;
}

void flipByte(const std::string& path, int64_t fromEnd) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(fromEnd, std::ios::end);
    char c = 0;
    f.read(&c, 1);
    f.seekp(fromEnd, std::ios::end);
    c = static_cast<char>(c ^ 0x5A);
    f.write(&c, 1);
}

TEST(Hash64, MatchesTheXxh64ReferenceVectors) {
    EXPECT_EQ(hash64("", 0), 0xEF46DB3751D8E999ull);
    EXPECT_EQ(hash64("abc", 0), 0x44BC2CF5AD770999ull);
    EXPECT_EQ(toHex(0xEF46DB3751D8E999ull), "ef46db3751d8e999");
}

TEST(Hash64, StreamingEqualsOneShot) {
    std::string data;
    for (int i = 0; i < 1000; ++i) {
        data.push_back(static_cast<char>((i * 7919) & 0xFF));
    }
    for (size_t split : {0u, 1u, 31u, 32u, 33u, 500u, 999u}) {
        Hash64 h(42);
        h.update(data.data(), split);
        h.update(data.data() + split, data.size() - split);
        EXPECT_EQ(h.digest(), hash64(data, 42)) << split;
    }
    EXPECT_NE(hash64(data, 1), hash64(data, 2));
}

TEST(Hash64, FileHashIsRememberedAndFollowsChanges) {
    TempDir dir;
    fs::create_directories(dir.path);
    const std::string file = dir.str() + "/weights.bin";
    std::ofstream(file) << "first version";
    const std::string h1 = fileContentHash(file, dir.str());
    EXPECT_EQ(h1, toHex(hash64("first version")));
    EXPECT_TRUE(fs::exists(dir.path / "file-hashes.tsv"));
    EXPECT_EQ(fileContentHash(file, dir.str()), h1);
    std::ofstream(file) << "second, longer version";
    EXPECT_EQ(fileContentHash(file, dir.str()), toHex(hash64("second, longer version")));
    EXPECT_THROW(fileContentHash(dir.str() + "/absent", dir.str()), std::runtime_error);
}

TEST(PromptCache, MissThenStoreThenHitInMemoryAndOnDisk) {
    TempDir dir;
    {
        PromptCache cache({dir.str(), 1 << 20, 1 << 20});
        EXPECT_FALSE(cache.find(key("a red fox")).defined());
        cache.store(key("a red fox"), embeddings(3, 1.0f), 3);
        const at::Tensor hit = cache.find(key("a red fox"));
        ASSERT_TRUE(hit.defined());
        EXPECT_TRUE(at::equal(hit, embeddings(3, 1.0f)));
        const auto s = cache.stats();
        EXPECT_EQ(s.misses, 1);
        EXPECT_EQ(s.memoryHits, 1);
        EXPECT_EQ(s.stored, 1);
        EXPECT_TRUE(fs::exists(cache.entryPath(key("a red fox"))));
    }
    PromptCache again({dir.str(), 1 << 20, 1 << 20});
    const at::Tensor hit = again.find(key("a red fox"));
    ASSERT_TRUE(hit.defined());
    EXPECT_TRUE(at::equal(hit, embeddings(3, 1.0f)));
    EXPECT_EQ(again.stats().diskHits, 1);
    EXPECT_EQ(again.stats().misses, 0);
    // No temporary files are left behind.
    for (const auto& e : fs::directory_iterator(dir.path)) {
        EXPECT_EQ(e.path().extension(), ".safetensors") << e.path();
    }
}

TEST(PromptCache, EveryKeyFieldSeparatesEntries) {
    TempDir dir;
    PromptCache cache({dir.str(), 1 << 20, 1 << 20});
    cache.store(key("a red fox"), embeddings(3, 1.0f), 3);
    EXPECT_FALSE(cache.find(key("a red fox", "fedcba9876543210")).defined());
    EXPECT_FALSE(cache.find(key("a red fox.")).defined());
    PromptCacheKey k = key("a red fox");
    k.textLen = 16;
    EXPECT_FALSE(cache.find(k).defined());
    k = key("a red fox");
    k.dtype = "BFloat16";
    EXPECT_FALSE(cache.find(k).defined());
    EXPECT_EQ(cache.stats().misses, 4);
}

TEST(PromptCache, DiskEvictsTheLeastRecentlyUsed) {
    TempDir dir;
    // Measure one entry, then allow a little more than two.
    uint64_t entryBytes = 0;
    {
        TempDir probe;
        PromptCache p({probe.str(), 1 << 20, 1 << 20});
        p.store(key("probe"), embeddings(8, 0.0f), 8);
        entryBytes = p.diskBytes();
    }
    ASSERT_GT(entryBytes, 0u);
    PromptCache cache({dir.str(), entryBytes * 2 + entryBytes / 2, 1 << 20});
    cache.store(key("one"), embeddings(8, 1.0f), 8);
    cache.store(key("two"), embeddings(8, 2.0f), 8);
    ASSERT_TRUE(cache.find(key("one")).defined()); // "one" is now the most recent
    cache.store(key("three"), embeddings(8, 3.0f), 8);
    EXPECT_TRUE(fs::exists(cache.entryPath(key("one"))));
    EXPECT_FALSE(fs::exists(cache.entryPath(key("two"))));
    EXPECT_TRUE(fs::exists(cache.entryPath(key("three"))));
    EXPECT_EQ(cache.stats().evictedFromDisk, 1);
    EXPECT_LE(cache.diskBytes(), entryBytes * 2 + entryBytes / 2);
}

TEST(PromptCache, MemoryEvictsTheLeastRecentlyUsedAndFallsBackToDisk) {
    TempDir dir;
    const uint64_t rowBytes = 4 * sizeof(float);
    PromptCache cache({dir.str(), 1 << 20, rowBytes * 8 * 2}); // two full entries
    cache.store(key("one"), embeddings(8, 1.0f), 8);
    cache.store(key("two"), embeddings(8, 2.0f), 8);
    ASSERT_TRUE(cache.find(key("one")).defined());
    cache.store(key("three"), embeddings(8, 3.0f), 8); // evicts "two" from memory
    EXPECT_EQ(cache.stats().evictedFromMemory, 1);
    const auto before = cache.stats();
    ASSERT_TRUE(cache.find(key("one")).defined());
    EXPECT_EQ(cache.stats().memoryHits, before.memoryHits + 1);
    const at::Tensor two = cache.find(key("two"));
    ASSERT_TRUE(two.defined());
    EXPECT_TRUE(at::equal(two, embeddings(8, 2.0f)));
    EXPECT_EQ(cache.stats().diskHits, before.diskHits + 1);
}

TEST(PromptCache, MemoryOnlyWithoutADirectory) {
    PromptCache cache({"", 1 << 20, 1 << 20});
    cache.store(key("x"), embeddings(2, 0.5f), 2);
    EXPECT_TRUE(cache.find(key("x")).defined());
    EXPECT_EQ(cache.entryPath(key("x")), "");
    EXPECT_EQ(cache.diskBytes(), 0u);
}

TEST(PromptCache, ADamagedEntryIsDetectedDeletedAndRecomputed) {
    TempDir dir;
    std::string path;
    {
        PromptCache cache({dir.str(), 1 << 20, 1 << 20});
        cache.store(key("a red fox"), embeddings(3, 1.0f), 3);
        path = cache.entryPath(key("a red fox"));
    }
    flipByte(path, -5); // inside the tensor data
    {
        PromptCache cache({dir.str(), 1 << 20, 1 << 20});
        EXPECT_FALSE(cache.find(key("a red fox")).defined());
        const auto s = cache.stats();
        EXPECT_EQ(s.corruptEntries, 1);
        EXPECT_EQ(s.misses, 1);
        EXPECT_NE(s.lastProblem.find("checksum"), std::string::npos) << s.lastProblem;
        EXPECT_FALSE(fs::exists(path));
        cache.store(key("a red fox"), embeddings(3, 1.0f), 3); // the recomputed value
    }
    PromptCache cache({dir.str(), 1 << 20, 1 << 20});
    const at::Tensor hit = cache.find(key("a red fox"));
    ASSERT_TRUE(hit.defined());
    EXPECT_TRUE(at::equal(hit, embeddings(3, 1.0f)));
    EXPECT_EQ(cache.stats().corruptEntries, 0);
}

TEST(PromptCache, TruncatedAndForeignFilesAreDamagedEntries) {
    TempDir dir;
    PromptCache writer({dir.str(), 1 << 20, 1 << 20});
    writer.store(key("one"), embeddings(8, 1.0f), 8);
    writer.store(key("two"), embeddings(8, 2.0f), 8);
    const std::string one = writer.entryPath(key("one"));
    fs::resize_file(one, fs::file_size(one) / 2);
    // A valid safetensors file under an entry's name, but not an entry.
    const std::string two = writer.entryPath(key("two"));
    sfs::inference::io::writeSafetensors(two, {{"prompt_embeds", at::ones({2, 4})}});

    PromptCache reader({dir.str(), 1 << 20, 1 << 20});
    EXPECT_FALSE(reader.find(key("one")).defined());
    EXPECT_FALSE(reader.find(key("two")).defined());
    EXPECT_EQ(reader.stats().corruptEntries, 2);
    EXPECT_FALSE(fs::exists(one));
    EXPECT_FALSE(fs::exists(two));
}

TEST(PromptCache, BadStoresAreRefused) {
    PromptCache cache({"", 1 << 20, 1 << 20});
    EXPECT_THROW(cache.store(key("x"), at::zeros({7, 4}), 2), std::invalid_argument);
    EXPECT_THROW(cache.store(key("x"), at::zeros({8, 4}), 9), std::invalid_argument);
}

TEST(PromptEmbeddingsFile, EntriesAndPlainFilesLoadPadded) {
    TempDir dir;
    PromptCache cache({dir.str(), 1 << 20, 1 << 20});
    cache.store(key("a red fox"), embeddings(3, 1.0f), 3);
    const at::Tensor fromEntry = loadPromptEmbeddings(cache.entryPath(key("a red fox")), 8, 4);
    EXPECT_TRUE(at::equal(fromEntry, embeddings(3, 1.0f)));

    const std::string plain = dir.str() + "/mine.safetensors";
    sfs::inference::io::writeSafetensors(plain, {{"prompt_embeds", at::ones({1, 5, 4})}});
    const at::Tensor p = loadPromptEmbeddings(plain, 8, 4);
    EXPECT_EQ(p.sizes(), (std::vector<int64_t>{8, 4}));
    EXPECT_EQ(p.sum().item<float>(), 20.0f);
    EXPECT_THROW(loadPromptEmbeddings(plain, 4, 4), WeightsError); // too many rows
    EXPECT_THROW(loadPromptEmbeddings(plain, 8, 6), WeightsError); // wrong width
    EXPECT_THROW(loadPromptEmbeddings(dir.str() + "/absent.safetensors", 8), WeightsError);
    flipByte(cache.entryPath(key("a red fox")), -1);
    try {
        loadPromptEmbeddings(cache.entryPath(key("a red fox")), 8, 4);
        FAIL() << "no error";
    } catch (const WeightsError& e) {
        EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
    }
}

} // namespace
