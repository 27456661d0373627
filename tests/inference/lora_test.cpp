// LoRA files (io/lora.h): the three namings onto the DiT's layers, the merge formula bit for bit,
// and the refusals (another model's shapes, layers the DiT lacks, damaged files).

#include "io/lora.h"
#include "io/safetensors.h"
#include "model_test_util.h"
#include "models/wan_dit.h"
#include "tiny_dit.h"

#include <sfs/inference/model_discovery.h>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace sfs::inference {
namespace {

using modeltest::TempDir;
using testing::randn;
using testing::tinyDitConfig;
using Tensors = std::vector<std::pair<std::string, at::Tensor>>;

// The reference formula, written out: cast(W32 + Σ B32·A32 · float(s·α/r)).
at::Tensor expected(const at::Tensor& w,
                    const std::vector<std::tuple<at::Tensor, at::Tensor, double>>& terms) {
    at::Tensor sum = w.to(at::kFloat);
    for (const auto& [a, b, scale] : terms) {
        sum = sum + at::mm(b.to(at::kFloat), a.to(at::kFloat)) * static_cast<float>(scale);
    }
    return sum.to(w.scalar_type());
}

bool identical(const at::Tensor& a, const at::Tensor& b) {
    return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() &&
           at::equal(a.to(at::kFloat), b.to(at::kFloat));
}

std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

struct Naming {
    const char* name;
    // The names of layer `module` ("blocks.1.self_attn.q") in this naming: down, up, alpha.
    std::function<std::array<std::string, 3>(const std::string&)> keys;
    const char* diffusersModule; // the same layer as diffusers names it (or empty)
};

TEST(Lora, EveryNamingMergesExactlyByTheFormula) {
    const DitConfig config = tinyDitConfig();
    TempDir dir;
    const auto kohya = [](std::string m) {
        std::replace(m.begin(), m.end(), '.', '_');
        return "lora_unet_" + m;
    };
    const std::vector<Naming> namings = {
        {"PEFT",
         [](const std::string& m) {
             return std::array<std::string, 3>{"base_model.model." + m + ".lora_A.weight",
                                               "base_model.model." + m + ".lora_B.weight", ""};
         },
         nullptr},
        {"diffusers",
         [](const std::string& m) {
             return std::array<std::string, 3>{"transformer." + m + ".lora_A.weight",
                                               "transformer." + m + ".lora_B.weight", ""};
         },
         "yes"},
        {"ComfyUI",
         [](const std::string& m) {
             return std::array<std::string, 3>{"diffusion_model." + m + ".lora_down.weight",
                                               "diffusion_model." + m + ".lora_up.weight",
                                               "diffusion_model." + m + ".alpha"};
         },
         nullptr},
        {"kohya/musubi",
         [&](const std::string& m) {
             return std::array<std::string, 3>{kohya(m) + ".lora_down.weight",
                                               kohya(m) + ".lora_up.weight", kohya(m) + ".alpha"};
         },
         nullptr},
    };
    // Wan layer -> its diffusers name.
    const std::map<std::string, std::string> diffusersName = {
        {"blocks.1.self_attn.q", "blocks.1.attn1.to_q"},
        {"blocks.0.cross_attn.o", "blocks.0.attn2.to_out.0"},
        {"blocks.0.ffn.0", "blocks.0.ffn.net.0.proj"},
        {"head.head", "proj_out"}};
    const std::map<std::string, std::pair<int64_t, int64_t>> layers = {
        {"blocks.1.self_attn.q", {32, 32}},
        {"blocks.0.cross_attn.o", {32, 32}},
        {"blocks.0.ffn.0", {64, 32}},
        {"head.head", {64, 32}}};
    uint64_t seed = 100;
    for (const at::ScalarType dtype : {at::kFloat, at::kBFloat16}) {
        for (const Naming& naming : namings) {
            SCOPED_TRACE(std::string(naming.name) + " " + c10::toString(dtype));
            const io::Weights base = models::makeRandomDitWeights(config, 3, dtype);
            io::Weights merged = models::makeRandomDitWeights(config, 3, dtype);
            Tensors file;
            std::map<std::string, std::tuple<at::Tensor, at::Tensor, double>> terms;
            const int64_t rank = 4;
            const double strength = 0.7;
            const double alpha = naming.keys("x")[2].empty() ? 8.0 : 3.0; // PEFT: from config
            for (const auto& [module, shape] : layers) {
                const std::string named =
                    naming.diffusersModule ? diffusersName.at(module) : module;
                const auto keys = naming.keys(named);
                const at::Tensor a = randn({rank, shape.second}, ++seed);
                const at::Tensor b = randn({shape.first, rank}, ++seed).mul(0.1);
                file.emplace_back(keys[0], a.to(at::kBFloat16));
                file.emplace_back(keys[1], b.to(at::kBFloat16));
                if (!keys[2].empty()) {
                    file.emplace_back(keys[2], at::full({}, alpha, at::kFloat));
                }
                terms[module + ".weight"] = {a.to(at::kBFloat16), b.to(at::kBFloat16),
                                             strength * alpha / static_cast<double>(rank)};
            }
            const std::string folder =
                dir.file(naming.name == std::string("kohya/musubi") ? "kohya" : naming.name);
            std::filesystem::create_directories(folder);
            const std::string path = folder + "/lora.safetensors";
            io::writeSafetensors(path, file);
            const bool peft = naming.keys("x")[2].empty() && !naming.diffusersModule;
            const bool alphaFromConfig = naming.keys("x")[2].empty();
            if (alphaFromConfig) {
                // PEFT and diffusers keep alpha in adapter_config.json beside the weights.
                std::ofstream(folder + "/adapter_config.json")
                    << R"({"r": 4, "lora_alpha": 8, "target_modules": ["q"]})";
            }

            const auto layout = io::readLoraLayout(*io::openLoraFile(path));
            EXPECT_EQ(layout.pairs.size(), layers.size());
            EXPECT_NE(layout.naming.find(peft ? "PEFT" : naming.name), std::string::npos)
                << layout.naming;

            io::mergeLoras(merged, {{path, strength}});
            for (const std::string& name : base.names()) {
                auto term = terms.find(name);
                if (term == terms.end()) {
                    EXPECT_TRUE(identical(merged.get(name), base.get(name))) << name;
                    continue;
                }
                EXPECT_TRUE(identical(merged.get(name), expected(base.get(name), {term->second})))
                    << name;
                EXPECT_FALSE(at::equal(merged.get(name), base.get(name))) << name;
            }
        }
    }
}

// A small ComfyUI LoRA on two layers with per-layer alphas.
void writeComfyLora(const std::string& path, int64_t inputs, uint64_t seed, int64_t rank = 2) {
    io::writeSafetensors(
        path,
        {{"diffusion_model.blocks.0.self_attn.k.lora_down.weight", randn({rank, inputs}, seed)},
         {"diffusion_model.blocks.0.self_attn.k.lora_up.weight", randn({32, rank}, seed + 1)},
         {"diffusion_model.blocks.0.self_attn.k.alpha", at::full({}, 1.0, at::kFloat)},
         {"diffusion_model.blocks.1.ffn.2.lora_down.weight", randn({rank, 64}, seed + 2)},
         {"diffusion_model.blocks.1.ffn.2.lora_up.weight", randn({32, rank}, seed + 3)}});
}

TEST(Lora, SeveralLorasAddInListOrderAndStrengthZeroChangesNothing) {
    const DitConfig config = tinyDitConfig();
    TempDir dir;
    writeComfyLora(dir.file("one.safetensors"), 32, 10);
    writeComfyLora(dir.file("two.safetensors"), 32, 20, 3);
    const io::Weights base = models::makeRandomDitWeights(config, 5, at::kBFloat16);

    io::Weights merged = models::makeRandomDitWeights(config, 5, at::kBFloat16);
    io::mergeLoras(merged,
                   {{dir.file("one.safetensors"), 1.0}, {dir.file("two.safetensors"), -0.5}});
    const auto pair = [&](const std::string& file, const std::string& module) {
        const auto f = io::openLoraFile(dir.file(file));
        return std::pair{f->load("diffusion_model." + module + ".lora_down.weight"),
                         f->load("diffusion_model." + module + ".lora_up.weight")};
    };
    const auto [a1, b1] = pair("one.safetensors", "blocks.0.self_attn.k");
    const auto [a2, b2] = pair("two.safetensors", "blocks.0.self_attn.k");
    EXPECT_TRUE(identical(merged.get("blocks.0.self_attn.k.weight"),
                          expected(base.get("blocks.0.self_attn.k.weight"),
                                   {{a1, b1, 1.0 * 1.0 / 2}, {a2, b2, -0.5 * 1.0 / 3}})));
    // ffn.2 has no alpha tensor: alpha = rank.
    const auto [c1, d1] = pair("one.safetensors", "blocks.1.ffn.2");
    const auto [c2, d2] = pair("two.safetensors", "blocks.1.ffn.2");
    EXPECT_TRUE(
        identical(merged.get("blocks.1.ffn.2.weight"),
                  expected(base.get("blocks.1.ffn.2.weight"), {{c1, d1, 1.0}, {c2, d2, -0.5}})));

    io::Weights zero = models::makeRandomDitWeights(config, 5, at::kBFloat16);
    io::mergeLoras(zero, {{dir.file("one.safetensors"), 0.0}});
    for (const std::string& name : base.names()) {
        EXPECT_TRUE(identical(zero.get(name), base.get(name))) << name;
    }
}

TEST(Lora, ComfyDifferencesAndDiffusersBiasAdd) {
    const DitConfig config = tinyDitConfig();
    TempDir dir;
    const at::Tensor diffB = randn({64}, 1);
    const at::Tensor diffNorm = randn({32}, 2);
    const at::Tensor a = randn({2, 32}, 3), b = randn({32, 2}, 4), bias = randn({32}, 5);
    io::writeSafetensors(dir.file("comfy.safetensors"),
                         {{"diffusion_model.blocks.0.ffn.0.diff_b", diffB},
                          {"diffusion_model.blocks.1.norm3.diff", diffNorm},
                          {"diffusion_model.blocks.1.ffn.2.lora_A.weight", randn({2, 64}, 6)},
                          {"diffusion_model.blocks.1.ffn.2.lora_B.weight", randn({32, 2}, 7)}});
    io::writeSafetensors(dir.file("diffusers.safetensors"),
                         {{"transformer.blocks.0.attn2.to_k.lora_A.weight", a},
                          {"transformer.blocks.0.attn2.to_k.lora_B.weight", b},
                          {"transformer.blocks.0.attn2.to_k.lora_B.bias", bias}});
    const io::Weights base = models::makeRandomDitWeights(config, 8, at::kFloat);
    io::Weights merged = models::makeRandomDitWeights(config, 8, at::kFloat);
    io::mergeLoras(
        merged, {{dir.file("comfy.safetensors"), 0.5}, {dir.file("diffusers.safetensors"), 2.0}});
    EXPECT_TRUE(identical(merged.get("blocks.0.ffn.0.bias"),
                          base.get("blocks.0.ffn.0.bias") + diffB * 0.5f));
    EXPECT_TRUE(identical(merged.get("blocks.1.norm3.weight"),
                          base.get("blocks.1.norm3.weight") + diffNorm * 0.5f));
    EXPECT_TRUE(identical(merged.get("blocks.0.cross_attn.k.weight"),
                          expected(base.get("blocks.0.cross_attn.k.weight"), {{a, b, 2.0}})));
    EXPECT_TRUE(identical(merged.get("blocks.0.cross_attn.k.bias"),
                          base.get("blocks.0.cross_attn.k.bias") + bias * 2.0f));
}

TEST(Lora, AnotherModelsShapeIsRefusedNamingTheTensorAndTheFile) {
    const DitConfig config = tinyDitConfig();
    TempDir dir;
    writeComfyLora(dir.file("wide.safetensors"), 48, 1); // made for a DiT of width 48
    io::Weights weights = models::makeRandomDitWeights(config, 5, at::kFloat);
    const io::Weights base = models::makeRandomDitWeights(config, 5, at::kFloat);
    const std::string m = message([&] {
        io::mergeLoras(weights, {{dir.file("wide.safetensors"), 1.0}});
    });
    EXPECT_NE(m.find(dir.file("wide.safetensors")), std::string::npos) << m;
    EXPECT_NE(m.find("diffusion_model.blocks.0.self_attn.k.lora_down.weight"), std::string::npos)
        << m;
    EXPECT_NE(m.find("another model shape"), std::string::npos) << m;
    // Nothing was changed.
    for (const std::string& name : base.names()) {
        EXPECT_TRUE(identical(weights.get(name), base.get(name))) << name;
    }

    // A layer the DiT does not have (a 40-layer model's block 39).
    io::writeSafetensors(
        dir.file("deep.safetensors"),
        {{"diffusion_model.blocks.39.self_attn.q.lora_down.weight", randn({2, 32}, 1)},
         {"diffusion_model.blocks.39.self_attn.q.lora_up.weight", randn({32, 2}, 2)}});
    const std::string deep = message([&] {
        io::mergeLoras(weights, {{dir.file("deep.safetensors"), 1.0}});
    });
    EXPECT_NE(deep.find("blocks.39.self_attn.q.lora_down.weight"), std::string::npos) << deep;
    EXPECT_NE(deep.find("2 layers"), std::string::npos) << deep;
}

TEST(Lora, NamesOfNoDitLayerAndDamagedFilesAreRefused) {
    TempDir dir;
    io::Weights weights = models::makeRandomDitWeights(tinyDitConfig(), 5, at::kFloat);
    const auto refusal = [&](const std::string& name) {
        return message([&] { io::mergeLoras(weights, {{dir.file(name), 1.0}}); });
    };
    // A text-encoder LoRA (kohya's lora_te_): no layer of the DiT.
    io::writeSafetensors(
        dir.file("te.safetensors"),
        {{"lora_te_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", randn({2, 8}, 1)},
         {"lora_te_text_model_encoder_layers_0_mlp_fc1.lora_up.weight", randn({8, 2}, 2)}});
    EXPECT_NE(refusal("te.safetensors").find("names no layer of the Wan DiT"), std::string::npos)
        << refusal("te.safetensors");
    EXPECT_NE(refusal("te.safetensors").find(dir.file("te.safetensors")), std::string::npos);

    // Half a pair.
    io::writeSafetensors(
        dir.file("half.safetensors"),
        {{"diffusion_model.blocks.0.self_attn.q.lora_down.weight", randn({2, 32}, 1)}});
    EXPECT_NE(refusal("half.safetensors").find("has no up (B) matrix"), std::string::npos)
        << refusal("half.safetensors");
    // A tensor that is no LoRA tensor.
    io::writeSafetensors(
        dir.file("mixed.safetensors"),
        {{"diffusion_model.blocks.0.self_attn.q.lora_down.weight", randn({2, 32}, 1)},
         {"diffusion_model.blocks.0.self_attn.q.lora_up.weight", randn({32, 2}, 2)},
         {"blocks.0.self_attn.q.weight", randn({32, 32}, 3)}});
    EXPECT_NE(refusal("mixed.safetensors")
                  .find("tensor 'blocks.0.self_attn.q.weight': is not a LoRA tensor"),
              std::string::npos)
        << refusal("mixed.safetensors");
    // A conv layer's LoRA.
    io::writeSafetensors(
        dir.file("conv.safetensors"),
        {{"diffusion_model.patch_embedding.lora_down.weight", randn({2, 16, 1, 2, 2}, 1)},
         {"diffusion_model.patch_embedding.lora_up.weight", randn({32, 2, 1, 1, 1}, 2)}});
    EXPECT_NE(refusal("conv.safetensors").find("only LoRAs of linear layers"), std::string::npos)
        << refusal("conv.safetensors");
    // A truncated file.
    writeComfyLora(dir.file("cut.safetensors"), 32, 1);
    std::filesystem::resize_file(dir.file("cut.safetensors"),
                                 std::filesystem::file_size(dir.file("cut.safetensors")) - 10);
    const std::string cut = refusal("cut.safetensors");
    EXPECT_NE(cut.find(dir.file("cut.safetensors")), std::string::npos) << cut;
    // Not a weights file at all; a missing one.
    std::ofstream(dir.file("text.safetensors")) << "hello, not tensors";
    EXPECT_NE(refusal("text.safetensors").find(dir.file("text.safetensors")), std::string::npos);
    EXPECT_NE(refusal("absent.safetensors").find(dir.file("absent.safetensors")),
              std::string::npos);
    // A strength that is no number.
    writeComfyLora(dir.file("ok.safetensors"), 32, 1);
    EXPECT_NE(message([&] {
                  io::mergeLoras(weights, {{dir.file("ok.safetensors"), std::nan("")}});
              }).find("not a finite number"),
              std::string::npos);
}

TEST(Lora, DiscoveryRecognisesALoraWithItsTargetAndRank) {
    TempDir dir;
    writeComfyLora(dir.file("style.safetensors"), 32, 1, 4);
    const DiscoveredFile f = inspectModelFile(dir.file("style.safetensors"));
    EXPECT_TRUE(f.role == ModelRole::Lora);
    EXPECT_STREQ(modelRoleName(f.role), "lora");
    ASSERT_TRUE(f.lora.has_value());
    EXPECT_EQ(f.lora->rank, 4);
    EXPECT_EQ(f.lora->dim, 32);
    EXPECT_EQ(f.lora->layers, 2);
    EXPECT_EQ(f.lora->modules, 2);
    EXPECT_EQ(f.lora->naming, "ComfyUI");
    EXPECT_TRUE(f.usable());
    EXPECT_NE(f.configSummary().find("rank 4"), std::string::npos) << f.configSummary();
    EXPECT_NE(f.configSummary().find("dim 32"), std::string::npos) << f.configSummary();

    // A LoRA beside the model files is listed but never taken for a model role.
    const ModelInventory inv = discoverModels(dir.path());
    ASSERT_EQ(inv.files.size(), 1u);
    EXPECT_TRUE(inv.best(ModelRole::Dit) == nullptr);

    // A damaged LoRA is a LoRA with a problem naming the tensor.
    io::writeSafetensors(
        dir.file("half.safetensors"),
        {{"diffusion_model.blocks.0.self_attn.q.lora_down.weight", randn({2, 32}, 1)}});
    const DiscoveredFile half = inspectModelFile(dir.file("half.safetensors"));
    EXPECT_TRUE(half.role == ModelRole::Lora);
    ASSERT_EQ(half.problems.size(), 1u);
    EXPECT_NE(half.problems[0].find("lora_down.weight"), std::string::npos) << half.problems[0];
}

// LongLive's lora.pt: a torch.save checkpoint with the generator's PEFT adapter under
// "generator_lora" beside a larger "critic_lora"; no alpha anywhere (alpha = rank, scale 1).
// The fixture comes from scripts/make_lora_fixtures.py.
TEST(Lora, ALongLiveCheckpointMergesItsGeneratorAdapter) {
    const std::string path = std::string(SFS_TEST_DATA_DIR) + "/weights/lora/longlive_lora.pt";
    const auto file = io::openLoraFile(path);
    EXPECT_EQ(file->section(), "generator_lora");
    const io::LoraLayout layout = io::readLoraLayout(*file);
    EXPECT_EQ(layout.naming, "PEFT");
    ASSERT_EQ(layout.pairs.size(), 4u);

    const io::Weights base = models::makeRandomDitWeights(tinyDitConfig(), 9, at::kBFloat16);
    io::Weights merged = models::makeRandomDitWeights(tinyDitConfig(), 9, at::kBFloat16);
    io::mergeLoras(merged, {{path, 1.0}});
    for (const char* module :
         {"blocks.0.self_attn.q", "blocks.1.cross_attn.v", "blocks.1.ffn.0", "blocks.0.ffn.2"}) {
        const std::string peft = std::string("base_model.model.") + module;
        const at::Tensor a = file->load(peft + ".lora_A.weight");
        const at::Tensor b = file->load(peft + ".lora_B.weight");
        EXPECT_TRUE(a.scalar_type() == at::kBFloat16);
        const std::string w = std::string(module) + ".weight";
        EXPECT_TRUE(identical(merged.get(w), expected(base.get(w), {{a, b, 1.0}}))) << module;
        EXPECT_FALSE(at::equal(merged.get(w), base.get(w))) << module;
    }
    EXPECT_TRUE(identical(merged.get("blocks.0.self_attn.k.weight"),
                          base.get("blocks.0.self_attn.k.weight"))); // the critic's layer

    const DiscoveredFile f = inspectModelFile(path);
    EXPECT_TRUE(f.role == ModelRole::Lora);
    EXPECT_EQ(f.section, "generator_lora");
    ASSERT_TRUE(f.lora.has_value());
    EXPECT_EQ(f.lora->rank, 4);
    EXPECT_EQ(f.lora->dim, 32);
    EXPECT_EQ(f.lora->alphaFrom, "= rank");
}

TEST(Lora, ChoiceFromTheCommandLine) {
    EXPECT_EQ(parseLoraChoice("style.safetensors").strength, 1.0);
    EXPECT_EQ(parseLoraChoice("style.safetensors").path, "style.safetensors");
    EXPECT_EQ(parseLoraChoice("style.safetensors:0.6").strength, 0.6);
    EXPECT_EQ(parseLoraChoice("style.safetensors:0.6").path, "style.safetensors");
    EXPECT_EQ(parseLoraChoice("/a:b/style.safetensors:-1").path, "/a:b/style.safetensors");
    EXPECT_EQ(parseLoraChoice("/a:b/style.safetensors:-1").strength, -1.0);
    EXPECT_EQ(parseLoraChoice("c:/x.safetensors").path, "c:/x.safetensors"); // not a number
    EXPECT_THROW(parseLoraChoice(":0.5"), std::invalid_argument);
    EXPECT_THROW(parseLoraChoice("x:inf"), std::invalid_argument);
}

} // namespace
} // namespace sfs::inference
