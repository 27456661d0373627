// Model discovery: fixture folders are classified by content, configurations read from shapes,
// problems and missing roles named.

#include "io/model_schema.h"
#include "io/safetensors.h"
#include "model_test_util.h"

#include <sfs/inference/model_discovery.h>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;
const std::string kData = SFS_TEST_DATA_DIR;

const DiscoveredFile& fileNamed(const ModelInventory& inv, const std::string& suffix) {
    for (const DiscoveredFile& f : inv.files) {
        if (f.path.size() >= suffix.size() &&
            f.path.compare(f.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
            return f;
        }
    }
    throw std::runtime_error("no file " + suffix);
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    for (const std::string& l : lines) {
        if (l.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

using modeltest::TempDir;

TEST(ModelDiscovery, GoldenFolderHoldsEveryRole) {
    const ModelInventory inv = discoverModels(kData + "/golden");
    EXPECT_TRUE(inv.complete());
    EXPECT_TRUE(inv.missing.empty());
    const DiscoveredFile& dit = fileNamed(inv, "dit_weights.safetensors");
    EXPECT_EQ(dit.role, ModelRole::Dit);
    EXPECT_TRUE(dit.usable());
    EXPECT_EQ(dit.format, "safetensors");
    EXPECT_EQ(dit.dtype, "F32");
    EXPECT_EQ(dit.parameters, 147200);
    EXPECT_EQ(dit.tensorCount, 69);
    EXPECT_EQ(dit.configSummary(), "dim 64, 2 layers, heads unknown, ffn 128, text 32, freq 32, "
                                   "in/out 16/16, patch 1x2x2");
    EXPECT_EQ(inv.best(ModelRole::Dit), &dit);
    EXPECT_EQ(fileNamed(inv, "vae_weights.safetensors").role, ModelRole::Vae);
    EXPECT_EQ(fileNamed(inv, "t5_weights.safetensors").role, ModelRole::TextEncoder);
    const DiscoveredFile& taehv = fileNamed(inv, "taehv_weights.safetensors");
    EXPECT_EQ(taehv.role, ModelRole::Taehv);
    EXPECT_EQ(taehv.dtype, "F16");
    EXPECT_EQ(taehv.knownAs, "TAEHV taew2_1");
    const DiscoveredFile& tok = fileNamed(inv, "tokenizer/spiece.model");
    EXPECT_EQ(tok.role, ModelRole::Tokenizer);
    ASSERT_TRUE(tok.tokenizer.has_value());
    EXPECT_EQ(tok.tokenizer->vocabSize, 512);
    EXPECT_EQ(tok.tokenizer->modelType, "Unigram");
    // Data files are listed as what they are, without being errors.
    const DiscoveredFile& io = fileNamed(inv, "dit_pipeline.safetensors");
    EXPECT_EQ(io.role, ModelRole::Unknown);
    EXPECT_TRUE(io.problems.empty());
    EXPECT_TRUE(mentions(io.notes, "not the weights of a model sfstudio uses"));
    // JSON files that are not tokenizers are not listed.
    for (const DiscoveredFile& f : inv.files) {
        EXPECT_EQ(f.path.find("manifest.json"), std::string::npos);
    }
}

TEST(ModelDiscovery, CheckpointFolderNamesWhatIsMissing) {
    const ModelInventory inv = discoverModels(kData + "/weights/pt");
    EXPECT_FALSE(inv.complete());
    std::vector<ModelRole> missing;
    for (const MissingRole& m : inv.missing) {
        missing.push_back(m.role);
        if (m.role == ModelRole::Vae) {
            EXPECT_NE(m.lookFor.find("Wan2.1_VAE.pth"), std::string::npos);
            EXPECT_TRUE(m.required);
        }
        if (m.role == ModelRole::Tokenizer) {
            EXPECT_NE(m.lookFor.find("google/umt5-xxl/spiece.model"), std::string::npos);
        }
        if (m.role == ModelRole::Taehv) {
            EXPECT_FALSE(m.required);
            EXPECT_NE(m.lookFor.find("taew2_1.pth"), std::string::npos);
        }
    }
    EXPECT_EQ(missing,
              (std::vector<ModelRole>{ModelRole::Vae, ModelRole::Tokenizer, ModelRole::Taehv}));
    // Self-Forcing's EMA weights are preferred over the raw generator.
    ASSERT_NE(inv.best(ModelRole::Dit), nullptr);
    EXPECT_EQ(inv.best(ModelRole::Dit)->section, "generator_ema");
    const DiscoveredFile& fsdp = fileNamed(inv, "generator_fsdp_bf16.pt");
    EXPECT_EQ(fsdp.format, "PyTorch checkpoint");
    EXPECT_EQ(fsdp.section, "generator");
    EXPECT_EQ(fsdp.dtype, "BF16");
    EXPECT_EQ(fsdp.naming, "Wan names, prefix 'model._fsdp_wrapped_module.' removed");
    EXPECT_TRUE(mentions(fsdp.notes, "also holds: critic"));
    EXPECT_EQ(fileNamed(inv, "t5_bf16.pth").role, ModelRole::TextEncoder);

    const ModelInventory more = discoverModels(kData + "/weights/pt_more");
    const DiscoveredFile& json = fileNamed(more, "tokenizer.json");
    EXPECT_EQ(json.role, ModelRole::Tokenizer);
    EXPECT_EQ(json.tokenizer->vocabSize, 5);
    EXPECT_EQ(json.tokenizer->modelType, "Unigram");
    EXPECT_EQ(fileNamed(more, "wan_vae_tiny.pth").configSummary(),
              "dim 4, z 4, mult 1,2,4,4, res blocks 1, temporal downsample F,T,T");
    EXPECT_EQ(fileNamed(more, "taehv_tiny.pth").configSummary(),
              "encoder 8, decoder 16,8,8,8, latent 16, patch 1, time strides 1,2,2");
}

TEST(ModelDiscovery, RolesComeFromContentNotFileNames) {
    TempDir dir;
    // A VAE under the DiT's release name, a T5 in Hugging Face naming under an odd name.
    fs::copy_file(kData + "/golden/vae_weights.safetensors",
                  dir.file("diffusion_pytorch_model.safetensors"));
    auto t5 = io::SafetensorsFile::open(kData + "/golden/t5_weights.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> hf;
    for (const auto& t : t5->tensors()) {
        std::string name = t.name;
        if (name == "token_embedding.weight") {
            name = "shared.weight";
        } else if (name == "norm.weight") {
            name = "encoder.final_layer_norm.weight";
        } else {
            const std::string block = name.substr(7, name.find('.', 7) - 7);
            const std::string rest = name.substr(8 + block.size());
            static const std::map<std::string, std::string> table = {
                {"norm1.weight", "layer.0.layer_norm.weight"},
                {"attn.q.weight", "layer.0.SelfAttention.q.weight"},
                {"attn.k.weight", "layer.0.SelfAttention.k.weight"},
                {"attn.v.weight", "layer.0.SelfAttention.v.weight"},
                {"attn.o.weight", "layer.0.SelfAttention.o.weight"},
                {"pos_embedding.embedding.weight",
                 "layer.0.SelfAttention.relative_attention_bias.weight"},
                {"norm2.weight", "layer.1.layer_norm.weight"},
                {"ffn.gate.0.weight", "layer.1.DenseReluDense.wi_0.weight"},
                {"ffn.fc1.weight", "layer.1.DenseReluDense.wi_1.weight"},
                {"ffn.fc2.weight", "layer.1.DenseReluDense.wo.weight"}};
            name = "encoder.block." + block + "." + table.at(rest);
        }
        hf.emplace_back(name, t5->load(t.name));
    }
    io::writeSafetensors(dir.file("encoder.bin"), hf);

    const ModelInventory inv = discoverModels(dir.path());
    EXPECT_EQ(fileNamed(inv, "diffusion_pytorch_model.safetensors").role, ModelRole::Vae);
    const DiscoveredFile& enc = fileNamed(inv, "encoder.bin");
    EXPECT_EQ(enc.role, ModelRole::TextEncoder);
    EXPECT_TRUE(enc.usable());
    EXPECT_EQ(enc.naming, "Hugging Face T5 names");
    EXPECT_EQ(enc.t5->numHeads, 4);
    EXPECT_EQ(inv.best(ModelRole::Dit), nullptr);
}

TEST(ModelDiscovery, ShapeProblemsAndBrokenFilesAreReported) {
    TempDir dir;
    auto dit = io::SafetensorsFile::open(kData + "/golden/dit_weights.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& t : dit->tensors()) {
        at::Tensor v = dit->load(t.name);
        if (t.name == "blocks.1.ffn.2.weight") {
            v = at::zeros({64, 100});
        }
        if (t.name != "head.modulation") {
            tensors.emplace_back(t.name, v);
        }
    }
    io::writeSafetensors(dir.file("dit.safetensors"), tensors);
    std::ofstream(dir.file("config.json")) << R"({"dim": 64, "num_heads": 4})";
    const DiscoveredFile f = inspectModelFile(dir.file("dit.safetensors"));
    EXPECT_EQ(f.role, ModelRole::Dit);
    EXPECT_FALSE(f.usable());
    EXPECT_EQ(f.dit->numHeads, 4);
    EXPECT_TRUE(mentions(f.problems, "1 missing tensor(s): head.modulation"));
    EXPECT_TRUE(mentions(f.problems, "blocks.1.ffn.2.weight: shape [64, 100], the configuration "
                                     "needs [64, 128]"));

    const ModelInventory bad = discoverModels(kData + "/weights/malformed");
    EXPECT_EQ(bad.files.size(), 9u);
    for (const DiscoveredFile& b : bad.files) {
        EXPECT_EQ(b.role, ModelRole::Unknown) << b.path;
        EXPECT_FALSE(b.problems.empty()) << b.path;
    }
    EXPECT_TRUE(mentions(fileNamed(bad, "os_system.pt").problems, "'posix.system'"));
    EXPECT_THROW(discoverModels(dir.file("nothing-here")), std::runtime_error);
}

// A full-size safetensors file whose data area is a hole: only the header is ever written, so
// multi-GB release shapes cost nothing on disk, and reading any data would find only zeros.
std::string writeSparse(const std::string& path, const ParamList& tensors, const char* dtype,
                        uint64_t elementSize) {
    std::string header = "{";
    uint64_t offset = 0;
    for (const ParamSpec& t : tensors) {
        uint64_t bytes = elementSize;
        std::string shape;
        for (const int64_t d : t.shape) {
            bytes *= static_cast<uint64_t>(d);
            shape += (shape.empty() ? "" : ",") + std::to_string(d);
        }
        header += (header.size() > 1 ? "," : "") + std::string("\"") + t.name + "\":{\"dtype\":\"" +
                  dtype + "\",\"shape\":[" + shape + "],\"data_offsets\":[" +
                  std::to_string(offset) + "," + std::to_string(offset + bytes) + "]}";
        offset += bytes;
    }
    header += "}";
    {
        std::ofstream out(path, std::ios::binary);
        const uint64_t len = header.size();
        for (int i = 0; i < 8; ++i) {
            out.put(static_cast<char>((len >> (8 * i)) & 0xFF));
        }
        out << header;
    }
    fs::resize_file(path, 8 + header.size() + offset);
    return path;
}

TEST(ModelDiscovery, ReleaseShapesAreRecognisedFromHeadersAlone) {
    TempDir dir;
    const DiscoveredFile dit =
        inspectModelFile(writeSparse(dir.file("diffusion_pytorch_model.safetensors"),
                                     DitConfig::wan13B().parameters(), "BF16", 2));
    EXPECT_TRUE(dit.usable());
    EXPECT_EQ(dit.role, ModelRole::Dit);
    EXPECT_EQ(dit.knownAs, "Wan2.1 T2V 1.3B");
    EXPECT_EQ(dit.parameters, 1418996800);
    EXPECT_EQ(dit.tensorCount, 825);
    EXPECT_EQ(dit.dit->numHeads, 12);
    EXPECT_EQ(dit.headsFrom, "head dim 128");
    EXPECT_EQ(dit.configSummary(), "dim 1536, 30 layers, 12 heads (assumed head dim 128), ffn "
                                   "8960, text 4096, freq 256, in/out 16/16, patch 1x2x2");

    const DiscoveredFile t5 = inspectModelFile(
        writeSparse(dir.file("umt5.safetensors"), UMT5Config::xxl().parameters(), "BF16", 2));
    EXPECT_TRUE(t5.usable());
    EXPECT_EQ(t5.knownAs, "UMT5-XXL encoder");
    EXPECT_EQ(t5.parameters, 5680910336);
    EXPECT_EQ(t5.bytes, fs::file_size(dir.file("umt5.safetensors")));
    EXPECT_GT(t5.bytes, 11000000000u);

    const DiscoveredFile vae = inspectModelFile(
        writeSparse(dir.file("vae.safetensors"), WanVaeConfig::wan21().parameters(), "F32", 4));
    EXPECT_EQ(vae.knownAs, "Wan2.1 VAE");
    EXPECT_EQ(vae.parameters, 126892531);
    EXPECT_EQ(vae.configSummary(),
              "dim 96, z 16, mult 1,2,4,4, res blocks 2, temporal downsample F,T,T");
}

} // namespace
// VACE (issue 18): the blocks alone, or a full Wan2.1-VACE model whose main blocks are not
// used; both are role "vace" with the published configuration, counted without the base.
TEST(ModelDiscovery, VaceFilesAreRoleVace) {
    TempDir dir;
    const ParamList vaceOnly = VaceConfig::wan13B().parameters();
    const DiscoveredFile only = inspectModelFile(
        writeSparse(dir.file("Wan2_1-VACE_module_1_3B_bf16.safetensors"), vaceOnly, "BF16", 2));
    EXPECT_TRUE(only.usable()) << (only.problems.empty() ? "" : only.problems.front());
    EXPECT_EQ(only.role, ModelRole::Vace);
    EXPECT_STREQ(modelRoleName(only.role), "vace");
    EXPECT_EQ(only.knownAs, "Wan2.1-VACE 1.3B");
    EXPECT_EQ(only.parameters, 734975232); // shared/spec/vace.md §1
    EXPECT_EQ(only.tensorCount, 439);
    ASSERT_TRUE(only.vace.has_value());
    EXPECT_EQ(only.vace->layers, VaceConfig::wan13B().layers);
    EXPECT_EQ(only.configSummary(),
              "15 blocks for layers 0, 2, 4, ..., 28, context 96 channels, dim 1536, ffn 8960");

    ParamList full = DitConfig::wan13B().parameters();
    full.insert(full.end(), vaceOnly.begin(), vaceOnly.end());
    const DiscoveredFile whole = inspectModelFile(
        writeSparse(dir.file("diffusion_pytorch_model.safetensors"), full, "BF16", 2));
    EXPECT_TRUE(whole.usable()) << (whole.problems.empty() ? "" : whole.problems.front());
    EXPECT_EQ(whole.role, ModelRole::Vace);
    EXPECT_EQ(whole.parameters, 734975232);
    EXPECT_EQ(whole.tensorCount, 1264);
    EXPECT_TRUE(mentions(whole.notes, "only its VACE blocks are used"));

    // 7 blocks over 30 main layers: which layers they feed needs a config.json.
    VaceConfig seven = VaceConfig::wan13B();
    seven.layers = {0, 1, 2, 3, 4, 5, 6};
    ParamList odd = DitConfig::wan13B().parameters();
    const ParamList sevenBlocks = seven.parameters();
    odd.insert(odd.end(), sevenBlocks.begin(), sevenBlocks.end());
    const DiscoveredFile unclear =
        inspectModelFile(writeSparse(dir.file("odd.safetensors"), odd, "BF16", 2));
    EXPECT_EQ(unclear.role, ModelRole::Vace);
    EXPECT_FALSE(unclear.usable());
    EXPECT_TRUE(mentions(unclear.problems, "give vace_layers in a config.json"));
}

} // namespace sfs::inference
