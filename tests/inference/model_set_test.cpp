// A discovered model folder turned into loadable configurations: a complete folder, the demo,
// a missing role, unusable files and roles that do not fit together.

#include "io/json.h"
#include "io/model_loader.h"
#include "io/safetensors.h"
#include "model_test_util.h"
#include "models/config_json.h"
#include "models/demo_model.h"
#include "models/wan_dit.h"

#include <sfs/inference/model_set.h>

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;
const std::string kGolden = SFS_TEST_DATA_DIR "/golden/";

// A temporary folder that files are copied into.
class Folder : public modeltest::TempDir {
public:
    void copy(const std::string& from, const std::string& name) const {
        fs::copy_file(from, file(name));
    }
};

// The golden set's DiT configuration (manifest configs.dit), which a config.json can state.
DitConfig goldenDit() {
    std::ifstream in(kGolden + "manifest.json");
    std::stringstream text;
    text << in.rdbuf();
    return models::ditConfigFromJson(json::parse(text.str()).at("configs").at("dit"), "manifest");
}

// The golden set's weights as a model folder, with a config.json for the DiT's head count.
void goldenFolder(const Folder& f, bool withConfig = true, bool withVae = true) {
    f.copy(kGolden + "dit_weights.safetensors", "dit.safetensors");
    if (withVae) {
        f.copy(kGolden + "vae_weights.safetensors", "vae.safetensors");
    }
    f.copy(kGolden + "t5_weights.safetensors", "umt5.safetensors");
    f.copy(kGolden + "taehv_weights.safetensors", "taehv.safetensors");
    f.copy(kGolden + "tokenizer/spiece.model", "spiece.model");
    if (withConfig) {
        std::ofstream(f.file("config.json")) << models::ditConfigJson(goldenDit());
    }
}

const RoleProblem* problemOf(const ModelSetError& e, ModelRole role) {
    for (const RoleProblem& p : e.problems()) {
        if (p.role == role) {
            return &p;
        }
    }
    return nullptr;
}

ModelSetError errorOf(const std::string& path) {
    try {
        resolveModelSet(path);
    } catch (const ModelSetError& e) {
        return e;
    }
    ADD_FAILURE() << path << " resolved";
    return ModelSetError(path, {});
}

TEST(ModelSet, CompleteFolderGivesEveryConfigurationAndFile) {
    Folder f;
    goldenFolder(f);
    const ModelSet set = resolveModelSet(f.path());
    EXPECT_FALSE(set.demo);
    EXPECT_EQ(set.dit, goldenDit()); // shapes, plus num_heads and text_len from config.json
    EXPECT_EQ(set.ditFile.path, f.file("dit.safetensors"));
    EXPECT_EQ(set.vae.dim, 16);
    EXPECT_EQ(set.vae.numResBlocks, 1);
    EXPECT_EQ(set.vaeFile.path, f.file("vae.safetensors"));
    EXPECT_EQ(set.textEncoder.dim, 32);
    EXPECT_EQ(set.textEncoderFile.path, f.file("umt5.safetensors"));
    EXPECT_EQ(set.tokenizerPath, f.file("spiece.model"));
    ASSERT_TRUE(set.taehv.has_value());
    EXPECT_EQ(*set.taehv, TaehvConfig::taew21());
    EXPECT_EQ(set.taehvFile.path, f.file("taehv.safetensors"));

    // The configurations build the models from the files.
    const models::DitModel dit(set.dit, io::loadModelWeights(set.ditFile.path, ModelRole::Dit));
    EXPECT_EQ(dit.config().numHeads, 4);
}

TEST(ModelSet, DemoIsTheDemoModelsConfiguration) {
    const std::string cache =
        (fs::temp_directory_path() / ("sfs-ms-demo-" + std::to_string(::getpid()))).string();
    ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
    const ModelSet set = resolveModelSet("demo");
    ::unsetenv("XDG_CACHE_HOME");
    const models::DemoModelConfig& demo = models::demoModelConfig();
    EXPECT_TRUE(set.demo);
    EXPECT_EQ(set.dit, demo.dit);
    EXPECT_EQ(set.vae, demo.vae);
    EXPECT_EQ(set.textEncoder, demo.t5);
    ASSERT_TRUE(set.taehv.has_value());
    EXPECT_EQ(*set.taehv, demo.taehv);
    EXPECT_EQ(fs::path(set.ditFile.path).filename(), models::DemoModelFiles::dit);
    EXPECT_EQ(fs::path(set.tokenizerPath).filename(), models::DemoModelFiles::tokenizer);
    ASSERT_FALSE(set.notes.empty());
    EXPECT_NE(set.notes.front().find("UNTRAINED"), std::string::npos);
    fs::remove_all(cache);
}

TEST(ModelSet, MissingRolesAreNamedWithTheFilesToLookFor) {
    Folder f;
    goldenFolder(f, true, /*withVae=*/false);
    fs::remove(f.file("taehv.safetensors"));
    const ModelSetError e = errorOf(f.path());
    EXPECT_EQ(e.root(), f.path());
    ASSERT_EQ(e.problems().size(), 1u);
    const RoleProblem* vae = problemOf(e, ModelRole::Vae);
    ASSERT_NE(vae, nullptr);
    EXPECT_TRUE(vae->file.empty());
    EXPECT_EQ(vae->problem, "missing");
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(f.path() + ": ", 0), 0u) << what;
    EXPECT_NE(what.find("vae: missing (look for Wan2.1_VAE.pth"), std::string::npos) << what;

    // An optional TAEHV may be missing: a note, not an error.
    Folder g;
    goldenFolder(g);
    fs::remove(g.file("taehv.safetensors"));
    const ModelSet set = resolveModelSet(g.path());
    EXPECT_FALSE(set.taehv.has_value());
    EXPECT_NE(set.notes.back().find("taew2_1.pth"), std::string::npos);

    // Nothing at all: every required role.
    Folder empty;
    EXPECT_EQ(errorOf(empty.path()).problems().size(), 4u);
}

TEST(ModelSet, UnusableFilesAreNamedWithWhatIsWrong) {
    // The golden DiT alone does not tell its head count; a Wan VAE with 4 latent channels
    // (a tiny test checkpoint) reads, but cannot run.
    Folder f;
    goldenFolder(f, /*withConfig=*/false, /*withVae=*/false);
    f.copy(SFS_TEST_DATA_DIR "/weights/pt_more/wan_vae_tiny.pth", "vae.pth");
    const ModelSetError e = errorOf(f.path());
    const RoleProblem* dit = problemOf(e, ModelRole::Dit);
    ASSERT_NE(dit, nullptr);
    EXPECT_EQ(dit->file, f.file("dit.safetensors"));
    EXPECT_NE(dit->problem.find("config.json"), std::string::npos) << dit->problem;
    const RoleProblem* vae = problemOf(e, ModelRole::Vae);
    ASSERT_NE(vae, nullptr);
    EXPECT_EQ(vae->file, f.file("vae.pth"));
    EXPECT_NE(vae->problem.find("z_dim"), std::string::npos) << vae->problem;
    const std::string what = e.what();
    EXPECT_NE(what.find("dit: " + f.file("dit.safetensors")), std::string::npos) << what;

    // A text encoder that lacks a tensor is named with what the check found.
    Folder g;
    goldenFolder(g);
    fs::remove(g.file("umt5.safetensors"));
    auto t5File = io::SafetensorsFile::open(kGolden + "t5_weights.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto& t : t5File->tensors()) {
        if (t.name != "norm.weight") {
            tensors.emplace_back(t.name, t5File->load(t.name));
        }
    }
    io::writeSafetensors(g.file("umt5.safetensors"), tensors);
    const ModelSetError broken = errorOf(g.path());
    const RoleProblem* t5 = problemOf(broken, ModelRole::TextEncoder);
    ASSERT_NE(t5, nullptr);
    EXPECT_EQ(t5->file, g.file("umt5.safetensors"));
    EXPECT_NE(t5->problem.find("1 missing tensor(s): norm.weight"), std::string::npos)
        << t5->problem;
}

TEST(ModelSet, RolesThatDoNotFitTogetherAreRefused) {
    // The demo's text encoder (dim 64) beside the golden DiT (text_dim 32).
    Folder demo;
    models::materializeDemoModel(demo.file("demo"));
    Folder f;
    goldenFolder(f);
    fs::remove(f.file("umt5.safetensors"));
    f.copy(demo.file("demo/") + models::DemoModelFiles::t5, "umt5.safetensors");
    const ModelSetError e = errorOf(f.path());
    const RoleProblem* t5 = problemOf(e, ModelRole::TextEncoder);
    ASSERT_NE(t5, nullptr);
    EXPECT_NE(t5->problem.find("text_dim 32"), std::string::npos) << t5->problem;
}

} // namespace
} // namespace sfs::inference
