// PyTorch checkpoint reader: fixtures written by torch.save (scripts/make_weight_fixtures.py),
// checked against the values the script put in and against the golden weights.

#include "io/checkpoint.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

namespace sfs::inference::io {
namespace {

const std::string kWeights = std::string(SFS_TEST_DATA_DIR) + "/weights/";
const std::string kGolden = std::string(SFS_TEST_DATA_DIR) + "/golden/";

std::map<std::string, const CheckpointTensor*> byName(const CheckpointFile& f) {
    std::map<std::string, const CheckpointTensor*> out;
    for (const CheckpointTensor& t : f.tensors()) {
        out[t.displayName()] = &t;
    }
    return out;
}

std::string openError(const std::string& path) {
    try {
        CheckpointFile::open(path);
    } catch (const WeightsError& e) {
        return e.what();
    }
    return "no error";
}

void expectDtypesFixture(const std::string& path) {
    auto file = CheckpointFile::open(path);
    auto t = byName(*file);
    ASSERT_EQ(t.size(), 20u) << path;
    auto load = [&](const std::string& name) { return file->load(*t.at("state/" + name)); };

    EXPECT_TRUE(at::equal(load("f32"), at::tensor({0.5f, -1.0f, 3.25f})));
    EXPECT_TRUE(at::equal(load("f64"), at::tensor({1.5, -2.25}, at::kDouble)));
    EXPECT_TRUE(at::equal(load("f16"), at::tensor({1.0f, -2.0f, 65504.0f}).to(at::kHalf)));
    EXPECT_EQ(load("bf16").scalar_type(), at::kBFloat16);
    EXPECT_EQ(load("bf16").to(at::kFloat)[1].item<float>(), -5.0f);
    EXPECT_TRUE(at::equal(load("i64"), at::tensor({int64_t{-7}, int64_t{1} << 40})));
    EXPECT_EQ(load("i32")[0].item<int32_t>(), -123456);
    EXPECT_EQ(load("i16")[1].item<int16_t>(), 300);
    EXPECT_EQ(load("i8")[0].item<int8_t>(), -128);
    EXPECT_EQ(load("u8")[1].item<uint8_t>(), 255);
    EXPECT_TRUE(load("bool")[0].item<bool>());
    EXPECT_EQ(load("scalar").dim(), 0);
    EXPECT_EQ(load("scalar").item<float>(), 2.5f);
    EXPECT_EQ(load("empty").sizes(), at::IntArrayRef({0, 3}));
    EXPECT_EQ(load("big_int").item<int64_t>(), (int64_t{1} << 62) + 5);

    // Views of one shared storage: offsets, transposes, steps and a broadcast (stride 0).
    const at::Tensor base = at::arange(24, at::kFloat).reshape({4, 6});
    EXPECT_TRUE(at::equal(load("base"), base));
    EXPECT_TRUE(at::equal(load("transposed"), base.t()));
    EXPECT_TRUE(at::equal(load("block"), base.slice(0, 1, 3).slice(1, 2, 5)));
    EXPECT_TRUE(at::equal(load("row"), base[2]));
    EXPECT_TRUE(at::equal(load("every_other"), base.slice(1, 0, 6, 2)));
    EXPECT_TRUE(at::equal(load("broadcast"), at::arange(3, at::kFloat).expand({4, 3})));
    EXPECT_EQ(t.at("state/block")->storageKey, t.at("state/base")->storageKey);
    EXPECT_TRUE(load("transposed").is_contiguous());

    // Conversion on load, and a tensor in a nested dict.
    EXPECT_TRUE(at::equal(file->load(*t.at("state/i16"), at::kFloat), at::tensor({-2.0f, 300.0f})));
    EXPECT_TRUE(at::equal(file->load(*t.at("nested/deeper/w")), at::ones({2})));

    std::vector<std::string> groups;
    for (const auto& g : file->stateDicts()) {
        groups.push_back(g.name);
    }
    EXPECT_EQ(groups, (std::vector<std::string>{"state", "nested/deeper"}));
}

TEST(Checkpoint, ReadsEveryDtypeViewAndValueTorchSaveWrites) {
    expectDtypesFixture(kWeights + "pt/dtypes.pt");
}

TEST(Checkpoint, ReadsZip64Archives) {
    // The same archive rewritten with zip64 sizes and offsets, as multi-GB checkpoints have.
    expectDtypesFixture(kWeights + "pt/dtypes_zip64.pt");
}

TEST(Checkpoint, SelfForcingLayoutHoldsTheGoldenWeights) {
    auto golden = SafetensorsFile::open(kGolden + "dit_weights.safetensors");
    auto ema = CheckpointFile::open(kWeights + "pt/self_forcing_ema.pt");
    ASSERT_EQ(ema->stateDicts().size(), 1u);
    EXPECT_EQ(ema->stateDicts()[0].name, "generator_ema");
    ASSERT_EQ(ema->tensors().size(), golden->tensors().size());
    for (const CheckpointTensor& t : ema->tensors()) {
        ASSERT_EQ(t.key().rfind("model.", 0), 0u) << t.key();
        const std::string name = t.key().substr(6);
        EXPECT_TRUE(at::equal(ema->load(t), golden->load(name))) << name;
    }

    auto fsdp = CheckpointFile::open(kWeights + "pt/generator_fsdp_bf16.pt");
    std::map<std::string, size_t> counts;
    for (const auto& g : fsdp->stateDicts()) {
        counts[g.name] = g.tensors.size();
    }
    EXPECT_EQ(counts, (std::map<std::string, size_t>{{"generator", 69}, {"critic", 1}}));
    const CheckpointTensor& q =
        *byName(*fsdp).at("generator/model._fsdp_wrapped_module.blocks.1.self_attn.q.weight");
    EXPECT_TRUE(
        at::equal(fsdp->load(q), golden->load("blocks.1.self_attn.q.weight").to(at::kBFloat16)));
    EXPECT_TRUE(
        at::equal(fsdp->load(q, at::kFloat),
                  golden->load("blocks.1.self_attn.q.weight").to(at::kBFloat16).to(at::kFloat)));
}

TEST(Checkpoint, ZeroCopyLoadsNeverWriteTheFile) {
    const std::string path = kWeights + "pt/dtypes.pt";
    auto file = CheckpointFile::open(path);
    const CheckpointTensor& base = *byName(*file).at("state/base");
    bool aliases = false;
    at::Tensor t = file->load(base, std::nullopt, c10::Device(c10::kCPU), &aliases);
    EXPECT_TRUE(aliases);
    file.reset();
    t.mul_(2); // private mapping: copy-on-write
    auto again = CheckpointFile::open(path);
    EXPECT_TRUE(at::equal(again->load(*byName(*again).at("state/base")),
                          at::arange(24, at::kFloat).reshape({4, 6})));
    bool convertedAliases = true;
    again->load(*byName(*again).at("state/base"), at::kDouble, c10::Device(c10::kCPU),
                &convertedAliases);
    EXPECT_FALSE(convertedAliases);
}

TEST(Checkpoint, MalformedAndHostileFilesGiveClearErrors) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"os_system.pt", "refers to 'posix.system', which a weights file never needs"},
        {"view_out_of_range.pt", "tensor 'weight': its view (shape, strides, offset) reaches "
                                 "element 4 of a storage of 4 elements"},
        {"complex_storage.pt", "'torch.ComplexFloatStorage' is not supported"},
        {"legacy_format.pt", "legacy torch.save format of PyTorch < 1.6"},
        {"truncated.pt", "zip archive: no end-of-directory record"},
        {"compressed.pt", "data.pkl is compressed"},
        {"missing_record.pt", "its storage record data/3 is missing from the archive"},
        {"record_too_small.pt", "storage record data/0 has 4 bytes but"},
        {"not_a_model.pt", "not a PyTorch checkpoint"},
    };
    for (const auto& [file, expected] : cases) {
        const std::string path = kWeights + "malformed/" + file;
        const std::string message = openError(path);
        EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << file << ": " << message;
        EXPECT_NE(message.find(expected), std::string::npos) << file << ": " << message;
    }
}

TEST(Checkpoint, DamagedBytesNeverCrash) {
    // Every single-byte corruption of a real archive either parses or fails with WeightsError.
    std::ifstream in(kWeights + "pt/dtypes.pt", std::ios::binary);
    const std::vector<uint8_t> good((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    int errors = 0;
    for (size_t i = 0; i < good.size(); i += 7) {
        std::vector<uint8_t> bad = good;
        bad[i] ^= 0x5A;
        try {
            auto f = CheckpointFile::fromBytes(bad.data(), bad.size(), "mutant");
            for (const CheckpointTensor& t : f->tensors()) {
                f->load(t);
            }
        } catch (const WeightsError&) {
            ++errors;
        }
    }
    EXPECT_GT(errors, 0);
    for (size_t n = 0; n < good.size(); n += 97) {
        EXPECT_THROW(CheckpointFile::fromBytes(good.data(), n, "cut"), WeightsError) << n;
    }
}

} // namespace
} // namespace sfs::inference::io
