// LoRAs through the engine on the built-in demo model: a LoRA changes the take, strength 0 and
// removing it give the base take bit for bit (the base file is reloaded), the same list keeps the
// DiT warm, and a LoRA for another model shape is refused naming the file and the tensor.
#include "demo_engine_fixture.h"
#include "demo_lora.h"
#include "model_test_util.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/frame_grid.h"
#include "sfs/inference/model_set.h"

#include <gtest/gtest.h>

namespace sfs::inference {
namespace {

class LoraEngineTest : public testing::DemoEngineTest {
protected:
    static GenerationRequest request() {
        GenerationRequest r;
        r.model = "demo";
        r.device = DeviceRequest{DeviceName{DeviceKind::Cpu, 0}, Precision::Auto};
        r.width = 64;
        r.height = 64;
        r.frames = frame_grid::framesForChunks(2);
        r.seed = 5;
        r.prompts = {{0, "A paper boat drifts down a rainy street."}};
        r.finalDecoder = "taehv";
        return r;
    }
    // Every chunk's latents of one generation, in order.
    static std::vector<float> latentsOf(Engine& engine, const GenerationRequest& r) {
        std::vector<float> all;
        GenerationObserver o;
        o.latents = [&](const ChunkLatents& l) {
            all.insert(all.end(), l.values.begin(), l.values.end());
        };
        EXPECT_EQ(engine.generate(r, o).status, GenerationStatus::Done);
        return all;
    }
};

TEST_F(LoraEngineTest, ALoraChangesTheTakeAndRemovingItRestoresTheBase) {
    modeltest::TempDir dir;
    const DitConfig dit = resolveModelSet("demo").dit;
    const std::string lora = dir.file("style.safetensors");
    testing::writeDemoLora(lora, dit);

    Engine engine(options());
    GenerationRequest r = request();
    const std::vector<float> base = latentsOf(engine, r);
    EXPECT_EQ(engine.stats().ditLoads, 1);

    r.loras = {{lora, 1.0}};
    const std::vector<float> styled = latentsOf(engine, r);
    EXPECT_EQ(engine.stats().ditLoads, 2); // a new LoRA list: the DiT is reloaded and merged
    ASSERT_EQ(styled.size(), base.size());
    EXPECT_NE(styled, base);
    EXPECT_EQ(latentsOf(engine, r), styled); // the same list: warm, and the same take
    EXPECT_EQ(engine.stats().ditLoads, 2);

    r.loras = {{lora, 0.0}};
    EXPECT_EQ(latentsOf(engine, r), base); // strength 0 is no LoRA, bit for bit
    r.loras.clear();
    EXPECT_EQ(latentsOf(engine, r), base); // removed: the base weights exactly
    EXPECT_EQ(engine.stats().ditLoads, 4);

    // Half the strength is another take again.
    r.loras = {{lora, 0.5}};
    const std::vector<float> half = latentsOf(engine, r);
    EXPECT_NE(half, base);
    EXPECT_NE(half, styled);
}

TEST_F(LoraEngineTest, ALoraForAnotherShapeIsRefusedNamingTheFileAndTheTensor) {
    modeltest::TempDir dir;
    const DitConfig dit = resolveModelSet("demo").dit;
    const std::string wide = dir.file("wide.safetensors");
    testing::writeDemoLora(wide, dit, 4, 1, dit.dim * 2);
    Engine engine(options());
    GenerationRequest r = request();
    r.loras = {{wide, 1.0}};
    try {
        engine.generate(r);
        FAIL() << "a LoRA for another model shape was merged";
    } catch (const EngineError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find(wide), std::string::npos) << m;
        EXPECT_NE(m.find("tensor 'diffusion_model.blocks.0.self_attn.q.lora_down.weight'"),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find("another model shape"), std::string::npos) << m;
    }
    // The engine still runs the base model afterwards.
    r.loras.clear();
    EXPECT_EQ(engine.generate(r).status, GenerationStatus::Done);

    r.loras = {{dir.file("missing.safetensors"), 1.0}};
    try {
        engine.generate(r);
        FAIL() << "a missing LoRA file was accepted";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.safetensors"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace sfs::inference
