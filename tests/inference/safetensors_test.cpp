// safetensors reader: values written byte by byte here (an independent writer), and every kind
// of malformed header.

#include "io/json.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace sfs::inference::io {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        m_path = fs::temp_directory_path() /
                 ("sfs-st-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::create_directories(m_path);
    }
    ~TempDir() { fs::remove_all(m_path); }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    static int& counter() {
        static int c = 0;
        return c;
    }
    fs::path m_path;
};

// Builds a safetensors file from a header text and raw data bytes.
std::string writeRaw(const std::string& path, const std::string& header, const std::string& data,
                     std::optional<uint64_t> lengthOverride = std::nullopt) {
    std::ofstream out(path, std::ios::binary);
    const uint64_t len = lengthOverride.value_or(header.size());
    for (int i = 0; i < 8; ++i) {
        out.put(static_cast<char>((len >> (8 * i)) & 0xFF));
    }
    out << header << data;
    return path;
}

template <typename T>
std::string bytesOf(const std::vector<T>& values) {
    std::string s(values.size() * sizeof(T), '\0');
    std::memcpy(s.data(), values.data(), s.size());
    return s;
}

std::string expectError(const std::string& path) {
    try {
        SafetensorsFile::open(path);
    } catch (const WeightsError& e) {
        return e.what();
    }
    return "no error";
}

TEST(Safetensors, ReadsEveryDtypeWrittenByHand) {
    TempDir dir;
    std::string data;
    std::string header = "{";
    uint64_t off = 0;
    auto add = [&](const std::string& name, const char* dtype, const std::string& shape,
                   const std::string& bytes) {
        header += (off == 0 && header.size() == 1 ? "" : ",") + std::string("\"") + name +
                  "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
                  std::to_string(off) + "," + std::to_string(off + bytes.size()) + "]}";
        data += bytes;
        off += bytes.size();
    };
    add("f64", "F64", "[2]", bytesOf(std::vector<double>{1.5, -2.25}));
    add("f32", "F32", "[2,2]", bytesOf(std::vector<float>{0.5f, -1.f, 3.25f, 1e-3f}));
    add("f16", "F16", "[3]", bytesOf(std::vector<uint16_t>{0x3C00, 0xC000, 0x3555})); // 1,-2,~1/3
    add("bf16", "BF16", "[2]", bytesOf(std::vector<uint16_t>{0x3F80, 0xC0A0}));       // 1,-5
    add("e4m3", "F8_E4M3", "[4]", bytesOf(std::vector<uint8_t>{0x38, 0xB8, 0x7E, 0x01}));
    add("e5m2", "F8_E5M2", "[3]", bytesOf(std::vector<uint8_t>{0x3C, 0x7C, 0x01}));
    add("i64", "I64", "[2]", bytesOf(std::vector<int64_t>{-7, 1LL << 40}));
    add("i32", "I32", "[1]", bytesOf(std::vector<int32_t>{-123456}));
    add("i16", "I16", "[2]", bytesOf(std::vector<int16_t>{-2, 300}));
    add("i8", "I8", "[2]", bytesOf(std::vector<int8_t>{-128, 127}));
    add("u8", "U8", "[2]", bytesOf(std::vector<uint8_t>{0, 255}));
    add("bool", "BOOL", "[2]", bytesOf(std::vector<uint8_t>{1, 0}));
    header += ",\"__metadata__\":{\"format\":\"pt\",\"note\":\"caf\xc3\xa9\"}}";
    auto file = SafetensorsFile::open(writeRaw(dir.file("all.safetensors"), header, data));

    EXPECT_EQ(file->tensors().size(), 12u);
    EXPECT_EQ(file->metadata().at("format"), "pt");
    EXPECT_EQ(file->metadata().at("note"), "caf\xc3\xa9");

    auto f64 = file->load("f64");
    EXPECT_EQ(f64.scalar_type(), at::kDouble);
    EXPECT_EQ(f64[1].item<double>(), -2.25);
    auto f32 = file->load("f32");
    EXPECT_EQ(f32.sizes(), at::IntArrayRef({2, 2}));
    EXPECT_EQ(f32[1][0].item<float>(), 3.25f);
    auto f16 = file->load("f16", at::kFloat);
    EXPECT_EQ(f16[0].item<float>(), 1.0f);
    EXPECT_EQ(f16[1].item<float>(), -2.0f);
    EXPECT_NEAR(f16[2].item<float>(), 1.0f / 3.0f, 1e-3);
    auto bf16 = file->load("bf16");
    EXPECT_EQ(bf16.scalar_type(), at::kBFloat16);
    EXPECT_EQ(bf16.to(at::kFloat)[1].item<float>(), -5.0f);
    auto e4m3 = file->load("e4m3");
    EXPECT_EQ(e4m3.scalar_type(), at::kFloat);
    EXPECT_EQ(e4m3[0].item<float>(), 1.0f);
    EXPECT_EQ(e4m3[1].item<float>(), -1.0f);
    EXPECT_EQ(e4m3[2].item<float>(), 448.0f);
    EXPECT_EQ(e4m3[3].item<float>(), std::ldexp(1.0f, -9));
    auto e5m2 = file->load("e5m2", at::kDouble);
    EXPECT_EQ(e5m2[0].item<double>(), 1.0);
    EXPECT_TRUE(std::isinf(e5m2[1].item<double>()));
    EXPECT_EQ(e5m2[2].item<double>(), std::ldexp(1.0, -16));
    EXPECT_EQ(file->load("i64")[1].item<int64_t>(), 1LL << 40);
    EXPECT_EQ(file->load("i32")[0].item<int32_t>(), -123456);
    EXPECT_EQ(file->load("i16")[1].item<int16_t>(), 300);
    EXPECT_EQ(file->load("i8")[0].item<int8_t>(), -128);
    EXPECT_EQ(file->load("u8")[1].item<uint8_t>(), 255);
    EXPECT_TRUE(file->load("bool")[0].item<bool>());
    EXPECT_FALSE(file->load("bool")[1].item<bool>());
}

TEST(Safetensors, BooleanBytesOtherThanZeroOrOneReadAsTrue) {
    TempDir dir;
    const std::string path = writeRaw(dir.file("bool.safetensors"),
                                      R"({"b":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}})",
                                      std::string("\0\1\7", 3));
    const at::Tensor b = SafetensorsFile::open(path)->load("b");
    EXPECT_EQ(b.scalar_type(), at::kBool);
    EXPECT_TRUE(at::equal(b.to(at::kByte), at::tensor({0, 1, 1}, at::kByte)));
}

TEST(Safetensors, Float8TablesMatchKnownValues) {
    const auto& e4m3 = float8E4M3Table();
    EXPECT_EQ(e4m3[0x00], 0.0f);
    EXPECT_TRUE(std::signbit(e4m3[0x80]));
    EXPECT_EQ(e4m3[0x01], std::ldexp(1.0f, -9)); // smallest subnormal
    EXPECT_EQ(e4m3[0x07], 7 * std::ldexp(1.0f, -9));
    EXPECT_EQ(e4m3[0x08], std::ldexp(1.0f, -6)); // smallest normal
    EXPECT_EQ(e4m3[0x38], 1.0f);
    EXPECT_EQ(e4m3[0x40], 2.0f);
    EXPECT_EQ(e4m3[0x3C], 1.5f);
    EXPECT_EQ(e4m3[0x7E], 448.0f);
    EXPECT_EQ(e4m3[0xFE], -448.0f);
    EXPECT_TRUE(std::isnan(e4m3[0x7F]));
    EXPECT_TRUE(std::isnan(e4m3[0xFF]));
    EXPECT_EQ(e4m3[0x78], 256.0f); // e=15 is a normal exponent in e4m3fn
    const auto& e5m2 = float8E5M2Table();
    EXPECT_EQ(e5m2[0x3C], 1.0f);
    EXPECT_EQ(e5m2[0x7B], 57344.0f);
    EXPECT_TRUE(std::isinf(e5m2[0x7C]));
    EXPECT_TRUE(std::isinf(e5m2[0xFC]) && e5m2[0xFC] < 0);
    EXPECT_TRUE(std::isnan(e5m2[0x7D]));
    EXPECT_EQ(e5m2[0x04], std::ldexp(1.0f, -14));
    EXPECT_EQ(e5m2[0x01], std::ldexp(1.0f, -16));
    int nans = 0;
    for (float v : e4m3) {
        nans += std::isnan(v) ? 1 : 0;
    }
    EXPECT_EQ(nans, 2);
}

TEST(Safetensors, WriterRoundTripsAndConvertsOnLoad) {
    TempDir dir;
    const std::string path = dir.file("rt.safetensors");
    auto a = at::arange(24, at::kFloat).reshape({2, 3, 4}) / 7.0;
    auto b = at::tensor({1, 2, 3}, at::kLong);
    auto c = at::randn({5}).to(at::kBFloat16);
    writeSafetensors(path, {{"a", a}, {"b", b}, {"c", c}}, {{"k", "v"}});
    auto file = SafetensorsFile::open(path);
    EXPECT_TRUE(at::equal(file->load("a"), a));
    EXPECT_TRUE(at::equal(file->load("b"), b));
    EXPECT_TRUE(at::equal(file->load("c"), c));
    EXPECT_TRUE(at::equal(file->load("c", at::kFloat), c.to(at::kFloat)));
    EXPECT_EQ(file->load("a", at::kHalf).scalar_type(), at::kHalf);
    EXPECT_EQ(file->metadata().at("k"), "v");
    // Loaded tensors stay valid after the file object is gone and can be written in place.
    at::Tensor kept = file->load("a");
    file.reset();
    kept.add_(1.0);
    EXPECT_TRUE(at::allclose(kept, a + 1.0));
    EXPECT_TRUE(at::equal(SafetensorsFile::open(path)->load("a"), a)); // file untouched
}

struct BadCase {
    const char* name;
    std::string header;
    std::string data;
    std::optional<uint64_t> length;
    const char* expected;
};

TEST(Safetensors, MalformedFilesGiveClearErrors) {
    TempDir dir;
    const std::string f4 = bytesOf(std::vector<float>{1, 2, 3, 4});
    const std::vector<BadCase> cases = {
        {"length_past_end", "{}", "", uint64_t{1000}, "runs past the end of the file"},
        {"huge_length", "{}", "", uint64_t{1} << 40, "exceeds the 100 MB limit"},
        {"not_json", "{\"a\":", "", std::nullopt, "not valid JSON"},
        {"not_object", "[1,2]", "", std::nullopt, "not a JSON object"},
        {"bad_utf8", "{\"\xff\":1}", "", std::nullopt, "not valid UTF-8"},
        {"unknown_dtype", R"({"w":{"dtype":"F12","shape":[4],"data_offsets":[0,16]}})", f4,
         std::nullopt, "tensor 'w': unknown dtype \"F12\""},
        {"shape_mismatch", R"({"w":{"dtype":"F32","shape":[5],"data_offsets":[0,16]}})", f4,
         std::nullopt, "tensor 'w': shape [5] of F32 needs 20 bytes but data_offsets span 16"},
        {"out_of_range", R"({"w":{"dtype":"F32","shape":[8],"data_offsets":[0,32]}})", f4,
         std::nullopt, "tensor 'w': data_offsets [0, 32] run past the data area of 16 bytes"},
        {"overlap",
         R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
         f4, std::nullopt, "data overlaps tensor"},
        {"duplicate_key",
         R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})",
         f4, std::nullopt, "duplicate key \"w\""},
        {"negative_shape", R"({"w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}})", f4,
         std::nullopt, "shape entries must be non-negative integers"},
        {"reversed_offsets", R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[16,0]}})", f4,
         std::nullopt, "begin 16 > end 0"},
        {"metadata_not_strings", R"({"__metadata__":{"a":1}})", "", std::nullopt,
         "__metadata__ value of \"a\" is not a string"},
    };
    for (const BadCase& c : cases) {
        const std::string path = dir.file(std::string(c.name) + ".safetensors");
        writeRaw(path, c.header, c.data, c.length);
        const std::string message = expectError(path);
        EXPECT_NE(message.find(path), std::string::npos) << c.name << ": " << message;
        EXPECT_NE(message.find(c.expected), std::string::npos) << c.name << ": " << message;
    }
    // Truncated: shorter than the length field, and an empty file.
    std::ofstream(dir.file("tiny.safetensors")) << "abc";
    EXPECT_NE(expectError(dir.file("tiny.safetensors")).find("shorter than the 8-byte"),
              std::string::npos);
    EXPECT_NE(expectError(dir.file("missing.safetensors")).find("cannot open"), std::string::npos);
}

TEST(Safetensors, MissingTensorIsNamed) {
    TempDir dir;
    writeSafetensors(dir.file("one.safetensors"), {{"a", at::zeros({2})}});
    auto file = SafetensorsFile::open(dir.file("one.safetensors"));
    try {
        file->load("b");
        FAIL() << "expected an error";
    } catch (const WeightsError& e) {
        EXPECT_EQ(e.tensor(), "b");
        EXPECT_NE(std::string(e.what()).find("no such tensor"), std::string::npos);
    }
}

TEST(Json, ParsesAndRejectsStrictly) {
    const auto v = json::parse(R"({"a":[1,2.5,-3e2,true,null,"x\u00e9\ud83d\ude00"],"b":{}})");
    EXPECT_EQ(v.at("a").asArray()[0].asInt(), 1);
    EXPECT_DOUBLE_EQ(v.at("a").asArray()[1].asDouble(), 2.5);
    EXPECT_EQ(v.at("a").asArray()[2].asInt(), -300);
    EXPECT_TRUE(v.at("a").asArray()[3].asBool());
    EXPECT_TRUE(v.at("a").asArray()[4].isNull());
    EXPECT_EQ(v.at("a").asArray()[5].asString(), "x\xc3\xa9\xf0\x9f\x98\x80");
    for (const char* bad : {"{", "[1,]", "{\"a\":1,}", "01", "1.", "\"\\x\"", "\"a\nb\"",
                            "{\"a\":1}x", "\"\\ud800\"", "nul", "{\"a\" 1}", ""}) {
        EXPECT_THROW(json::parse(bad), json::ParseError) << bad;
    }
    std::string deep(100, '[');
    EXPECT_THROW(json::parse(deep), json::ParseError);
    EXPECT_FALSE(json::isValidUtf8("\xc0\xaf"));     // overlong
    EXPECT_FALSE(json::isValidUtf8("\xed\xa0\x80")); // surrogate
    EXPECT_TRUE(json::isValidUtf8("\xe6\x97\xa5"));
}

// An object of `count` keys "k0", "k1", ... (values their index), then `extra` if given.
std::string manyKeys(int count, const std::string& extra = "") {
    std::string text = "{";
    for (int i = 0; i < count; ++i) {
        text += (i == 0 ? "\"k" : ",\"k") + std::to_string(i) + "\":" + std::to_string(i);
    }
    return text + extra + "}";
}

// The duplicate-key check is linear overall: 200k keys parse (a check that compares every key
// with every earlier one makes 2e10 comparisons here and runs past the test's timeout), and a
// duplicate far from its first occurrence is still found and named.
TEST(Json, ManyKeysParseAndADuplicateAmongThemIsNamed) {
    const int count = 200000;
    const json::Value v = json::parse(manyKeys(count));
    ASSERT_EQ(v.asObject().size(), static_cast<size_t>(count));
    EXPECT_EQ(v.at("k123456").asInt(), 123456);
    try {
        json::parse(manyKeys(count, ",\"k3\":0"));
        FAIL() << "expected a duplicate-key error";
    } catch (const json::ParseError& e) {
        EXPECT_NE(std::string(e.what()).find("duplicate key \"k3\""), std::string::npos)
            << e.what();
    }
    // Keys equal in a prefix or differing only in the last byte are distinct.
    EXPECT_NO_THROW(json::parse(R"({"a":1,"ab":2,"b":3,"ba":4})"));
}

// The same through a safetensors header with many (zero-sized) tensors.
TEST(Safetensors, HeaderWithManyTensorsParsesAndRejectsADuplicate) {
    TempDir dir;
    std::string header = "{";
    const int count = 20000;
    for (int i = 0; i < count; ++i) {
        header += (i == 0 ? "\"t" : ",\"t") + std::to_string(i) +
                  R"(":{"dtype":"F32","shape":[0],"data_offsets":[0,0]})";
    }
    const std::string good = writeRaw(dir.file("many.safetensors"), header + "}", "");
    EXPECT_EQ(SafetensorsFile::open(good)->tensors().size(), static_cast<size_t>(count));
    const std::string bad =
        writeRaw(dir.file("many_dup.safetensors"),
                 header + R"(,"t17":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})", "");
    EXPECT_NE(expectError(bad).find("duplicate key \"t17\""), std::string::npos);
}

} // namespace
} // namespace sfs::inference::io
