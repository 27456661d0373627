// The built-in demo model: written on first use, deterministic, rebuilt when damaged, labelled
// untrained everywhere discovery looks, and every part loads and runs end to end.

#include "io/model_loader.h"
#include "models/demo_model.h"
#include "models/taehv.h"
#include "models/umt5.h"
#include "models/wan_dit.h"
#include "models/wan_vae.h"
#include "pipeline/causal_generator.h"
#include "pipeline/noise.h"
#include "sfs/inference/model_discovery.h"
#include "sfs/inference/text.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace sfs::inference {
namespace {

namespace fs = std::filesystem;

// Points the user cache at a fresh folder for the test's lifetime.
class DemoCache : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("sfs-demo-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        const char* old = std::getenv("XDG_CACHE_HOME");
        m_oldCache = old != nullptr ? old : "";
        m_hadCache = old != nullptr;
        ::setenv("XDG_CACHE_HOME", m_dir.c_str(), 1);
    }
    void TearDown() override {
        if (m_hadCache) {
            ::setenv("XDG_CACHE_HOME", m_oldCache.c_str(), 1);
        } else {
            ::unsetenv("XDG_CACHE_HOME");
        }
        fs::remove_all(m_dir);
    }
    fs::path m_dir;
    std::string m_oldCache;
    bool m_hadCache = false;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST_F(DemoCache, DiscoveryFindsEveryRoleLabelledUntrained) {
    EXPECT_TRUE(isDemoModelName("demo"));
    EXPECT_FALSE(isDemoModelName("/models/demo"));
    const ModelInventory inv = discoverModels("demo");
    EXPECT_TRUE(inv.demo);
    EXPECT_TRUE(inv.complete());
    EXPECT_TRUE(inv.missing.empty());
    EXPECT_EQ(fs::path(inv.root).parent_path(), m_dir / "sfstudio");
    for (const ModelRole role : {ModelRole::Dit, ModelRole::Vae, ModelRole::TextEncoder,
                                 ModelRole::Tokenizer, ModelRole::Taehv}) {
        const DiscoveredFile* f = inv.best(role);
        ASSERT_NE(f, nullptr) << modelRoleName(role);
        EXPECT_TRUE(f->demo) << f->path;
        EXPECT_TRUE(f->problems.empty()) << f->path;
        bool warned = false;
        for (const std::string& note : f->notes) {
            warned = warned || note.find("UNTRAINED") != std::string::npos;
        }
        EXPECT_TRUE(warned) << f->path;
    }
    EXPECT_EQ(inv.best(ModelRole::Dit)->dit->numHeads, models::demoModelConfig().dit.numHeads);
    // A user's folder is never taken for the demo.
    EXPECT_FALSE(discoverModels(SFS_SOURCE_DIR "/tests/data/golden").demo);
}

TEST_F(DemoCache, TheSameModelEveryTimeAndRebuiltWhenDamaged) {
    const fs::path a = m_dir / "a";
    const fs::path b = m_dir / "b";
    models::materializeDemoModel(a.string());
    models::materializeDemoModel(b.string());
    // The marker lists every file's content hash: equal markers, equal models.
    EXPECT_EQ(slurp(a / models::DemoModelFiles::marker), slurp(b / models::DemoModelFiles::marker));
    EXPECT_EQ(slurp(a / models::DemoModelFiles::dit), slurp(b / models::DemoModelFiles::dit));

    const std::string good = slurp(a / models::DemoModelFiles::vae);
    {
        std::fstream f(a / models::DemoModelFiles::vae,
                       std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(good.size() / 2));
        f.put('\x7f');
    }
    fs::remove(a / models::DemoModelFiles::tokenizer);
    models::materializeDemoModel(a.string());
    EXPECT_EQ(slurp(a / models::DemoModelFiles::vae), good);
    EXPECT_TRUE(fs::exists(a / models::DemoModelFiles::tokenizer));
    // No temporary folders are left behind.
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(m_dir)) {
        ++entries;
    }
    EXPECT_EQ(entries, 2);
}

// Two threads of one process (the studio's model dialog and the engine) asking at once: both
// get the intact model, neither removes the other's files.
TEST_F(DemoCache, ThreadsOfOneProcessMaterializeTogether) {
    const fs::path folder = m_dir / "together";
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < errors.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                models::materializeDemoModel(folder.string());
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    }
    for (std::thread& t : threads) {
        t.join();
    }
    for (const std::string& e : errors) {
        EXPECT_EQ(e, "");
    }
    EXPECT_TRUE(fs::is_regular_file(folder / models::DemoModelFiles::marker));
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(m_dir)) {
        ++entries;
    }
    EXPECT_EQ(entries, 1); // no temporary folder left
}

TEST_F(DemoCache, EveryPartLoadsAndRunsEndToEnd) {
    const ModelInventory inv = discoverModels("demo");
    const models::DemoModelConfig& c = models::demoModelConfig();
    auto load = [&](ModelRole role) { return io::loadModelWeights(inv.best(role)->path, role); };

    // Prompt -> tokenizer -> UMT5 -> embeddings the DiT takes.
    std::string why;
    at::Tensor embeds;
    if (tokenizerAvailable(&why)) {
        const auto tok = Tokenizer::open(inv.best(ModelRole::Tokenizer)->path);
        EXPECT_EQ(tok->vocabSize(), c.t5.vocab);
        const TokenizedText t = tok->encode("A paper boat drifts down a rainy street.",
                                            static_cast<int>(c.dit.textLen));
        const at::Tensor ids = at::tensor(t.ids, at::kLong).unsqueeze(0);
        const at::Tensor mask = at::tensor(t.mask, at::kLong).unsqueeze(0);
        const models::UMT5Encoder encoder(c.t5, load(ModelRole::TextEncoder));
        embeds = encoder.promptEmbeddings(ids, mask);
    } else {
        embeds = at::zeros({1, c.dit.textLen, c.dit.textDim});
    }
    ASSERT_EQ(embeds.sizes(), at::IntArrayRef({1, c.dit.textLen, c.dit.textDim}));

    // Two blocks of 3 latent frames at 8 x 12 latents.
    auto dit = std::make_shared<const models::DitModel>(c.dit, load(ModelRole::Dit));
    pipeline::GeneratorOptions o;
    o.latentHeight = 8;
    o.latentWidth = 12;
    o.capacityFrames = 6;
    pipeline::CausalGenerator generator(dit, pipeline::FlowMatchSchedule(), o);
    generator.setPrompt(embeds);
    pipeline::SeededNoise noise(7);
    pipeline::GenerateRequest request;
    request.frames = 6;
    request.draws = &noise;
    const pipeline::GenerateResult result = pipeline::generate(generator, request);
    ASSERT_EQ(result.framesDone, 6);
    EXPECT_TRUE(at::isfinite(result.latents).all().item<bool>());

    // Latents -> frames through both decoders: 1 + 4 * 5 = 21 frames of 64 x 96.
    const at::Tensor z = result.latents.permute({0, 2, 1, 3, 4}); // model layout
    const models::WanVae vae(c.vae, load(ModelRole::Vae));
    const at::Tensor frames = vae.decode(z);
    EXPECT_EQ(frames.sizes(), at::IntArrayRef({1, 3, 21, 64, 96}));
    EXPECT_TRUE(at::isfinite(frames).all().item<bool>());
    const models::Taehv taehv(c.taehv, load(ModelRole::Taehv));
    const at::Tensor fast = taehv.decode(result.latents);
    EXPECT_EQ(fast.size(1), 21);
    EXPECT_EQ(fast.size(3), 64);
    EXPECT_TRUE(at::isfinite(fast).all().item<bool>());
}

} // namespace
} // namespace sfs::inference
