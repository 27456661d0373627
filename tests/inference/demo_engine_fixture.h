#pragma once
// The fixture of the engine tests on the built-in demo model: every test process shares one
// demo model folder under the temp directory (materialised atomically, so parallel test
// processes agree), XDG_CACHE_HOME is restored afterwards, and prompt embeddings and keyframe
// latents stay in memory.
// Skipped where the tokenizer module is missing (the prompts must be encoded).
#include "sfs/inference/engine.h"
#include "sfs/inference/text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <unistd.h>

namespace sfs::inference::testing {

class DemoEngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!tokenizerAvailable(&why)) {
            GTEST_SKIP() << "no tokenizer module: " << why;
        }
        const std::filesystem::path cache = std::filesystem::temp_directory_path() /
                                            ("sfs-engine-test-" + std::to_string(::getuid()));
        const char* old = std::getenv("XDG_CACHE_HOME");
        m_oldCache = old ? std::optional<std::string>(old) : std::nullopt;
        ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
    }
    void TearDown() override {
        if (m_oldCache) {
            ::setenv("XDG_CACHE_HOME", m_oldCache->c_str(), 1);
        } else {
            ::unsetenv("XDG_CACHE_HOME");
        }
    }

    static EngineOptions options() {
        EngineOptions o;
        o.diskPromptCache = false;
        o.keyframeCacheDir.clear(); // keyframe latents too (a test that wants disk sets one)
        return o;
    }

private:
    std::optional<std::string> m_oldCache;
};

} // namespace sfs::inference::testing
