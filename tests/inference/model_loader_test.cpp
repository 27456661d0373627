// Key mapping, configuration inference and the model loader: every naming variant of the same
// weights loads to identical tensors; ComfyUI fp8 "scaled" files dequantise exactly; wrong,
// incomplete and inconsistent files are refused with the file and tensor named.

#include "io/model_loader.h"
#include "io/safetensors.h"
#include "model_test_util.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace sfs::inference::io {
namespace {

namespace fs = std::filesystem;
const std::string kData = SFS_TEST_DATA_DIR;
const std::string kGolden = kData + "/golden/";
const std::string kWeights = kData + "/weights/";

using modeltest::TempDir;

using Named = std::vector<std::pair<std::string, at::Tensor>>;

Named readAll(const std::string& path) {
    auto f = SafetensorsFile::open(path);
    Named out;
    for (const TensorInfo& t : f->tensors()) {
        out.emplace_back(t.name, f->load(t.name).clone());
    }
    return out;
}

// Writes `tensors` under new names.
std::string writeRenamed(const std::string& path, const Named& tensors,
                         const std::function<std::string(const std::string&)>& rename) {
    Named renamed;
    for (const auto& [name, t] : tensors) {
        renamed.emplace_back(rename(name), t);
    }
    writeSafetensors(path, renamed);
    return path;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

// Original -> diffusers names, written from the spec's table (8.5) independently of the loader.
std::string toDiffusers(const std::string& name) {
    static const std::vector<std::pair<std::string, std::string>> table = {
        {"time_embedding.0", "condition_embedder.time_embedder.linear_1"},
        {"time_embedding.2", "condition_embedder.time_embedder.linear_2"},
        {"text_embedding.0", "condition_embedder.text_embedder.linear_1"},
        {"text_embedding.2", "condition_embedder.text_embedder.linear_2"},
        {"time_projection.1", "condition_embedder.time_proj"},
        {"head.modulation", "scale_shift_table"},
        {"head.head", "proj_out"},
        {".modulation", ".scale_shift_table"},
        {"ffn.0", "ffn.net.0.proj"},
        {"ffn.2", "ffn.net.2"},
        {".norm3.", ".norm2."},
        {"self_attn.q.", "attn1.to_q."},
        {"self_attn.k.", "attn1.to_k."},
        {"self_attn.v.", "attn1.to_v."},
        {"self_attn.o.", "attn1.to_out.0."},
        {"self_attn.norm_", "attn1.norm_"},
        {"cross_attn.q.", "attn2.to_q."},
        {"cross_attn.k.", "attn2.to_k."},
        {"cross_attn.v.", "attn2.to_v."},
        {"cross_attn.o.", "attn2.to_out.0."},
        {"cross_attn.norm_", "attn2.norm_"},
    };
    std::string s = name;
    for (const auto& [from, to] : table) {
        s = replaceAll(s, from, to);
    }
    return s;
}

// Wan T5 -> Hugging Face / ComfyUI names (spec C.6).
std::string toHfT5(const std::string& name) {
    if (name == "token_embedding.weight") {
        return "shared.weight";
    }
    if (name == "norm.weight") {
        return "encoder.final_layer_norm.weight";
    }
    static const std::vector<std::pair<std::string, std::string>> table = {
        {"norm1.", "layer.0.layer_norm."},
        {"attn.", "layer.0.SelfAttention."},
        {"pos_embedding.embedding.", "layer.0.SelfAttention.relative_attention_bias."},
        {"norm2.", "layer.1.layer_norm."},
        {"ffn.gate.0.", "layer.1.DenseReluDense.wi_0."},
        {"ffn.fc1.", "layer.1.DenseReluDense.wi_1."},
        {"ffn.fc2.", "layer.1.DenseReluDense.wo."},
    };
    std::string s = replaceAll(name, "blocks.", "encoder.block.");
    for (const auto& [from, to] : table) {
        if (s.find(from) != std::string::npos) {
            return replaceAll(s, from, to);
        }
    }
    return s;
}

void expectSameWeights(const Weights& got, const Named& expected, at::ScalarType dtype,
                       const std::string& what) {
    ASSERT_EQ(got.size(), expected.size()) << what;
    for (const auto& [name, t] : expected) {
        ASSERT_TRUE(got.has(name)) << what << ": " << name;
        EXPECT_EQ(got.get(name).scalar_type(), dtype) << what << ": " << name;
        EXPECT_TRUE(at::equal(got.get(name), t.to(dtype))) << what << ": " << name;
    }
}

std::string loadError(const std::string& path, ModelRole role) {
    try {
        loadModelWeights(path, role);
    } catch (const WeightsError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ModelLoader, EveryDitNamingLoadsToTheGoldenTensors) {
    TempDir dir;
    const Named golden = readAll(kGolden + "dit_weights.safetensors");
    const std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>
        variants = {
            {"bare", [](const std::string& n) { return n; }},
            {"comfy", [](const std::string& n) { return "model.diffusion_model." + n; }},
            {"lora_style", [](const std::string& n) { return "diffusion_model." + n; }},
            {"self_forcing", [](const std::string& n) { return "model." + n; }},
            {"fsdp_compiled",
             [](const std::string& n) { return "_orig_mod.model._fsdp_wrapped_module." + n; }},
            {"diffusers", toDiffusers},
            {"diffusers_comfy",
             [](const std::string& n) { return "model.diffusion_model." + toDiffusers(n); }},
        };
    for (const auto& [label, rename] : variants) {
        const std::string path = writeRenamed(dir.file(label + ".safetensors"), golden, rename);
        RoleCheck check;
        const Weights w = loadModelWeights(path, ModelRole::Dit, {}, &check);
        expectSameWeights(w, golden, at::kFloat, label);
        EXPECT_EQ(check.keys.dialect, label.rfind("diffusers", 0) == 0 ? "diffusers" : "Wan")
            << label;
    }
    // The diffusers rename really swaps norm2/norm3: the affine norm lands on norm3.
    EXPECT_EQ(toDiffusers("blocks.1.norm3.weight"), "blocks.1.norm2.weight");

    // Checkpoints in the Self-Forcing release layout and a bf16 training checkpoint.
    RoleCheck check;
    expectSameWeights(
        loadModelWeights(kWeights + "pt/self_forcing_ema.pt", ModelRole::Dit, {}, &check), golden,
        at::kFloat, "self_forcing_ema.pt");
    EXPECT_EQ(check.keys.describeNaming(), "Wan names, prefix 'model.' removed");
    Named bf16;
    for (const auto& [name, t] : golden) {
        bf16.emplace_back(name, t.to(at::kBFloat16));
    }
    LoadOptions asBf16;
    asBf16.dtype = at::kBFloat16;
    const Weights fsdp =
        loadModelWeights(kWeights + "pt/generator_fsdp_bf16.pt", ModelRole::Dit, asBf16);
    expectSameWeights(fsdp, bf16, at::kBFloat16, "generator_fsdp_bf16.pt");
    EXPECT_NE(fsdp.origin().find("[generator]"), std::string::npos);

    // An explicit section: the critic is not a DiT.
    LoadOptions critic;
    critic.section = "critic";
    EXPECT_THROW(loadModelWeights(kWeights + "pt/generator_fsdp_bf16.pt", ModelRole::Dit, critic),
                 WeightsError);
}

TEST(ModelLoader, TextEncoderVaeAndTaehvNamings) {
    TempDir dir;
    const Named t5 = readAll(kGolden + "t5_weights.safetensors");
    // Hugging Face naming with the tied encoder.embed_tokens copy HF checkpoints carry.
    Named hf;
    for (const auto& [name, t] : t5) {
        hf.emplace_back(toHfT5(name), t);
    }
    hf.emplace_back("encoder.embed_tokens.weight", t5.front().second);
    writeSafetensors(dir.file("umt5_hf.safetensors"), hf);
    RoleCheck check;
    expectSameWeights(
        loadModelWeights(dir.file("umt5_hf.safetensors"), ModelRole::TextEncoder, {}, &check), t5,
        at::kFloat, "hf t5");
    EXPECT_EQ(check.keys.dialect, "Hugging Face T5");
    Named t5bf16;
    for (const auto& [name, t] : t5) {
        t5bf16.emplace_back(name, t.to(at::kBFloat16));
    }
    expectSameWeights(loadModelWeights(kWeights + "pt/t5_bf16.pth", ModelRole::TextEncoder), t5bf16,
                      at::kFloat, "t5_bf16.pth");

    const Named vae = readAll(kGolden + "vae_weights.safetensors");
    expectSameWeights(loadModelWeights(writeRenamed(dir.file("vae.safetensors"), vae,
                                                    [](const std::string& n) {
                                                        return "first_stage_model." + n;
                                                    }),
                                       ModelRole::Vae),
                      vae, at::kFloat, "vae");
    const Named taehv = readAll(kGolden + "taehv_weights.safetensors");
    expectSameWeights(loadModelWeights(kGolden + "taehv_weights.safetensors", ModelRole::Taehv),
                      taehv, at::kFloat, "taehv");
}

// --- fp8 scaled files, written byte by byte ---------------------------------------------------

struct RawTensor {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    std::string bytes;
};

void writeRawSafetensors(const std::string& path, const std::vector<RawTensor>& tensors) {
    std::string header = "{";
    std::string data;
    for (const RawTensor& t : tensors) {
        std::string shape;
        for (const int64_t d : t.shape) {
            shape += (shape.empty() ? "" : ",") + std::to_string(d);
        }
        header += (header.size() > 1 ? "," : "") + std::string("\"") + t.name + "\":{\"dtype\":\"" +
                  t.dtype + "\",\"shape\":[" + shape + "],\"data_offsets\":[" +
                  std::to_string(data.size()) + "," + std::to_string(data.size() + t.bytes.size()) +
                  "]}";
        data += t.bytes;
    }
    header += "}";
    std::ofstream out(path, std::ios::binary);
    const uint64_t len = header.size();
    for (int i = 0; i < 8; ++i) {
        out.put(static_cast<char>((len >> (8 * i)) & 0xFF));
    }
    out << header << data;
}

std::string floatBytes(const at::Tensor& t) {
    const at::Tensor c = t.contiguous().to(at::kFloat);
    return std::string(reinterpret_cast<const char*>(c.data_ptr<float>()),
                       static_cast<size_t>(c.numel()) * 4);
}

// Nearest e4m3fn code of every value (the quantiser ComfyUI's files come from).
std::string toE4M3(const at::Tensor& t) {
    const auto& table = float8E4M3Table();
    const at::Tensor c = t.contiguous();
    std::string out(static_cast<size_t>(c.numel()), '\0');
    for (int64_t i = 0; i < c.numel(); ++i) {
        const float v = c.data_ptr<float>()[i];
        int best = 0;
        for (int code = 0; code < 256; ++code) {
            if (!std::isnan(table[code]) &&
                std::fabs(table[code] - v) < std::fabs(table[best] - v)) {
                best = code;
            }
        }
        out[static_cast<size_t>(i)] = static_cast<char>(best);
    }
    return out;
}

TEST(ModelLoader, ComfyFp8ScaledWeightsAreDequantisedOnLoad) {
    TempDir dir;
    const Named golden = readAll(kGolden + "dit_weights.safetensors");
    // Both ComfyUI layouts: legacy (scale_weight + scale_input + scaled_fp8 marker) and current
    // (weight_scale + input_scale + comfy_quant JSON).
    for (const bool legacy : {true, false}) {
        std::vector<RawTensor> raw;
        std::map<std::string, at::Tensor> expected;
        const std::string prefix = "model.diffusion_model.";
        for (const auto& [name, t] : golden) {
            const bool quantise = t.dim() == 2 && name.rfind("blocks.", 0) == 0;
            if (!quantise) {
                raw.push_back({prefix + name, "F32", t.sizes().vec(), floatBytes(t)});
                expected[name] = t;
                continue;
            }
            const float scale = t.abs().max().item<float>() / 448.0f;
            const std::string codes = toE4M3(t / scale);
            raw.push_back({prefix + name, "F8_E4M3", t.sizes().vec(), codes});
            const std::string layer = prefix + name.substr(0, name.size() - 7); // drop ".weight"
            raw.push_back({layer + (legacy ? ".scale_weight" : ".weight_scale"),
                           "F32",
                           {},
                           floatBytes(at::tensor({scale}))});
            raw.push_back({layer + (legacy ? ".scale_input" : ".input_scale"),
                           "F32",
                           {1},
                           floatBytes(at::tensor({1.0f}))});
            if (!legacy) {
                const std::string conf = R"({"format": "float8_e4m3fn"})";
                raw.push_back(
                    {layer + ".comfy_quant", "U8", {static_cast<int64_t>(conf.size())}, conf});
            }
            // Exactly: the decoded fp8 value times the scale, in float32.
            at::Tensor value = at::empty(t.sizes(), at::kFloat);
            for (int64_t i = 0; i < t.numel(); ++i) {
                value.data_ptr<float>()[i] =
                    float8E4M3Table()[static_cast<uint8_t>(codes[static_cast<size_t>(i)])] * scale;
            }
            expected[name] = value;
            // And close to the original (e4m3 keeps 3 mantissa bits).
            EXPECT_TRUE(at::allclose(value, t, 1.0 / 16, scale * std::ldexp(1.0, -9))) << name;
        }
        if (legacy) {
            raw.push_back({prefix + "scaled_fp8", "F8_E4M3", {0}, ""});
        }
        const std::string path = dir.file(legacy ? "legacy.safetensors" : "current.safetensors");
        writeRawSafetensors(path, raw);
        const Weights w = loadModelWeights(path, ModelRole::Dit);
        ASSERT_EQ(w.size(), golden.size());
        for (const auto& [name, t] : expected) {
            EXPECT_TRUE(at::equal(w.get(name), t)) << name;
        }
    }
    // A quantisation format we cannot read is named.
    std::vector<RawTensor> nvfp4;
    for (const auto& [name, t] : golden) {
        nvfp4.push_back({name, "F32", t.sizes().vec(), floatBytes(t)});
    }
    const std::string conf = R"({"format": "nvfp4"})";
    nvfp4.push_back(
        {"blocks.0.ffn.0.comfy_quant", "U8", {static_cast<int64_t>(conf.size())}, conf});
    writeRawSafetensors(dir.file("nvfp4.safetensors"), nvfp4);
    const std::string message = loadError(dir.file("nvfp4.safetensors"), ModelRole::Dit);
    EXPECT_NE(message.find("tensor 'blocks.0.ffn.0.comfy_quant': quantisation format 'nvfp4' is "
                           "not supported"),
              std::string::npos)
        << message;
}

TEST(ModelLoader, WrongIncompleteAndInconsistentFilesAreRefusedByName) {
    TempDir dir;
    const Named golden = readAll(kGolden + "dit_weights.safetensors");

    std::string m = loadError(kGolden + "vae_weights.safetensors", ModelRole::Dit);
    EXPECT_NE(m.find("vae_weights.safetensors: holds a VAE, not a DiT"), std::string::npos) << m;
    m = loadError(kWeights + "pt/dtypes.pt", ModelRole::Vae);
    EXPECT_NE(m.find("not usable as a VAE"), std::string::npos) << m;

    Named missing = golden;
    missing.erase(std::remove_if(missing.begin(), missing.end(),
                                 [](const auto& p) { return p.first == "blocks.1.norm3.weight"; }),
                  missing.end());
    writeSafetensors(dir.file("missing.safetensors"), missing);
    m = loadError(dir.file("missing.safetensors"), ModelRole::Dit);
    EXPECT_NE(m.find("tensor 'blocks.1.norm3.weight': not usable as a DiT"), std::string::npos)
        << m;
    EXPECT_NE(m.find("1 missing tensor(s): blocks.1.norm3.weight"), std::string::npos) << m;

    Named extra = golden;
    extra.emplace_back("model.blocks.0.lora_up.weight", at::zeros({2, 2}));
    writeSafetensors(dir.file("extra.safetensors"), extra);
    m = loadError(dir.file("extra.safetensors"), ModelRole::Dit);
    EXPECT_NE(m.find("1 unknown tensor(s): model.blocks.0.lora_up.weight"), std::string::npos) << m;

    Named shape = golden;
    for (auto& [name, t] : shape) {
        if (name == "blocks.1.ffn.0.weight") {
            t = at::zeros({100, 64});
        }
    }
    writeSafetensors(dir.file("shape.safetensors"), shape);
    m = loadError(dir.file("shape.safetensors"), ModelRole::Dit);
    EXPECT_NE(m.find("tensor 'blocks.1.ffn.0.weight'"), std::string::npos) << m;
    EXPECT_NE(m.find("blocks.1.ffn.0.weight: shape [100, 64], the configuration needs [128, 64]"),
              std::string::npos)
        << m;

    Named clash = golden;
    clash.emplace_back("model.patch_embedding.bias", golden[1].second);
    writeSafetensors(dir.file("clash.safetensors"), clash);
    m = loadError(dir.file("clash.safetensors"), ModelRole::Dit);
    EXPECT_NE(m.find("'patch_embedding.bias' and 'model.patch_embedding.bias' both name tensor "
                     "'patch_embedding.bias'"),
              std::string::npos)
        << m;
}

// --- configurations --------------------------------------------------------------------------

int64_t parameters(const ParamList& list) {
    return parameterCount(list);
}

std::vector<std::string> specKeys(const std::string& file) {
    std::ifstream in(kWeights + file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#') {
            out.push_back(line);
        }
    }
    return out;
}

std::vector<std::string> asLines(const ParamList& list) {
    std::vector<std::string> out;
    for (const ParamSpec& e : list) {
        std::string shape;
        for (const int64_t d : e.shape) {
            shape += (shape.empty() ? "" : ",") + std::to_string(d);
        }
        out.push_back(e.name + " " + shape);
    }
    return out;
}

TEST(ModelSchema, ReleasedConfigurationsMatchTheSpec) {
    const DitConfig dit = DitConfig::wan13B();
    EXPECT_EQ(dit.parameters().size(), 825u);
    EXPECT_EQ(parameters(dit.parameters()), 1418996800);

    const WanVaeConfig vae = WanVaeConfig::wan21();
    EXPECT_EQ(asLines(vae.parameters()), specKeys("wan_vae_keys.txt"));
    EXPECT_EQ(parameters(vae.parameters()), 126892531);

    const UMT5Config t5 = UMT5Config::xxl();
    EXPECT_EQ(t5.parameters().size(), 242u);
    EXPECT_EQ(parameters(t5.parameters()), 5680910336);

    const TaehvConfig taehv = TaehvConfig::taew21();
    EXPECT_EQ(asLines(taehv.parameters()), specKeys("taehv_taew2_1_keys.txt"));
    EXPECT_EQ(parameters(taehv.parameters()), 11315539);
}

TEST(ModelSchema, ConfigurationsAreReadFromTheShapes) {
    auto dit = identifyRole(*TensorFile::open(kGolden + "dit_weights.safetensors"));
    ASSERT_TRUE(dit.ok()) << dit.describeProblems().front();
    EXPECT_EQ(dit.role, ModelRole::Dit);
    EXPECT_EQ(dit.dit->dim, 64);
    EXPECT_EQ(dit.dit->numLayers, 2);
    EXPECT_EQ(dit.dit->ffnDim, 128);
    EXPECT_EQ(dit.dit->textDim, 32);
    EXPECT_EQ(dit.dit->freqDim, 32);
    EXPECT_EQ(dit.dit->inDim, 16);
    EXPECT_EQ(dit.dit->outDim, 16);
    EXPECT_EQ(dit.dit->patch, (std::array<int64_t, 3>{1, 2, 2}));
    EXPECT_EQ(dit.dit->numHeads, 0); // 64 is no multiple of 128 and no config.json is there
    ASSERT_EQ(dit.notes.size(), 1u);
    EXPECT_NE(dit.notes[0].find("num_heads"), std::string::npos);

    TempDir dir;
    fs::copy_file(kGolden + "dit_weights.safetensors", dir.file("dit.safetensors"));
    std::ofstream(dir.file("config.json")) << R"({"dim": 64, "num_heads": 4})";
    dit = identifyRole(*TensorFile::open(dir.file("dit.safetensors")));
    EXPECT_EQ(dit.dit->numHeads, 4);
    EXPECT_EQ(dit.headsFrom, "config.json");

    auto vae = identifyRole(*TensorFile::open(kGolden + "vae_weights.safetensors"));
    ASSERT_TRUE(vae.ok());
    EXPECT_EQ(vae.vae->dim, 16);
    EXPECT_EQ(vae.vae->zDim, 16);
    EXPECT_EQ(vae.vae->dimMult, (std::vector<int64_t>{1, 2, 4, 4}));
    EXPECT_EQ(vae.vae->numResBlocks, 1);
    EXPECT_EQ(vae.vae->temporalDownsample, (std::vector<bool>{false, true, true}));
    auto tinyVae = identifyRole(*TensorFile::open(kWeights + "pt_more/wan_vae_tiny.pth"));
    ASSERT_TRUE(tinyVae.ok());
    EXPECT_EQ(tinyVae.vae->dim, 4);
    EXPECT_EQ(tinyVae.vae->zDim, 4);

    auto t5 = identifyRole(*TensorFile::open(kGolden + "t5_weights.safetensors"));
    ASSERT_TRUE(t5.ok());
    EXPECT_EQ(t5.t5->vocab, 512);
    EXPECT_EQ(t5.t5->dim, 32);
    EXPECT_EQ(t5.t5->dimAttn, 32);
    EXPECT_EQ(t5.t5->dimFfn, 64);
    EXPECT_EQ(t5.t5->numHeads, 4);
    EXPECT_EQ(t5.t5->numLayers, 2);
    EXPECT_EQ(t5.t5->numBuckets, 32);
    EXPECT_FALSE(t5.t5->sharedPos);

    auto taehv = identifyRole(*TensorFile::open(kGolden + "taehv_weights.safetensors"));
    ASSERT_TRUE(taehv.ok());
    EXPECT_EQ(taehv.knownAs, "TAEHV taew2_1");
    EXPECT_EQ(taehv.parameters, 11315539);
    auto tinyTaehv = identifyRole(*TensorFile::open(kWeights + "pt_more/taehv_tiny.pth"));
    ASSERT_TRUE(tinyTaehv.ok());
    EXPECT_EQ(tinyTaehv.taehv->encoderWidth, 8);
    EXPECT_EQ(tinyTaehv.taehv->decoderWidths, (std::vector<int64_t>{16, 8, 8, 8}));
    EXPECT_EQ(tinyTaehv.taehv->decoderTimeUpscale, (std::vector<bool>{false, true, true}));
}

} // namespace
} // namespace sfs::inference::io
