#include "models/demo_model.h"

#include "io/json.h"
#include "io/safetensors.h"
#include "io/weights.h"
#include "models/config_json.h"
#include "sfs/inference/bench.h"
#include "text/content_hash.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

// The demo tokenizer (a 512-piece SentencePiece unigram model) is embedded in the binary.
extern const unsigned char sfs_demo_spiece_model[];
extern const std::size_t sfs_demo_spiece_model_size;

namespace sfs::inference::models {

namespace fs = std::filesystem;

namespace {

// Bump when the demo's configurations, seeds or file layout change: an older copy in a user's
// cache is then rebuilt.
constexpr int kDemoVersion = 3; // 2: weights drawn from the parameter lists; 3: VACE blocks
constexpr const char* kDemoNotice =
    "sfstudio built-in demo model: tiny, seeded random weights, UNTRAINED (output is noise)";

DemoModelConfig makeDemoConfig() {
    DemoModelConfig c;
    c.dit.dim = 128;
    c.dit.numHeads = 2; // head dim 64
    c.dit.numLayers = 2;
    c.dit.ffnDim = 256;
    c.dit.freqDim = 64;
    c.dit.textDim = 64;
    c.dit.textLen = 64;

    c.t5.vocab = 512; // the embedded tokenizer's vocabulary
    c.t5.dim = 64;
    c.t5.dimAttn = 64;
    c.t5.dimFfn = 128;
    c.t5.numHeads = 4;
    c.t5.numLayers = 2;

    c.vae.dim = 16;
    c.vae.numResBlocks = 1;

    c.taehv.encoderWidth = 16;
    c.taehv.decoderWidths = {32, 32, 16, 16};

    // One VACE block for main layer 0 (the reference default: every 2nd layer).
    c.vace.dim = c.dit.dim;
    c.vace.ffnDim = c.dit.ffnDim;
    c.vace.numHeads = c.dit.numHeads;
    c.vace.layers = VaceConfig::defaultLayers((c.dit.numLayers + 1) / 2, c.dit.numLayers);
    return c;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
        throw std::runtime_error(p.string() + ": cannot write the demo model file");
    }
}

std::string fileHash(const fs::path& p) {
    const std::string bytes = readFile(p);
    return text::toHex(text::hash64(bytes));
}

void writeWeights(const fs::path& path, const io::Weights& weights, const std::string& role) {
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const std::string& name : weights.names()) {
        tensors.emplace_back(name, weights.get(name));
    }
    io::writeSafetensors(path.string(), tensors,
                         {{"sfstudio.demo", kDemoNotice},
                          {"sfstudio.demo.role", role},
                          {"sfstudio.demo.version", std::to_string(kDemoVersion)}});
}

const char* const kFiles[] = {DemoModelFiles::dit,      DemoModelFiles::vae,
                              DemoModelFiles::t5,       DemoModelFiles::taehv,
                              DemoModelFiles::vace,     DemoModelFiles::tokenizer,
                              DemoModelFiles::ditConfig};

// The marker records the version and every file's hash; a copy is intact when they match.
bool intact(const fs::path& folder) {
    std::error_code ec;
    if (!fs::is_regular_file(folder / DemoModelFiles::marker, ec)) {
        return false;
    }
    try {
        const json::Value marker = json::parse(readFile(folder / DemoModelFiles::marker));
        if (marker.at("version").asInt() != kDemoVersion) {
            return false;
        }
        const json::Value& hashes = marker.at("files");
        for (const char* f : kFiles) {
            if (!fs::is_regular_file(folder / f, ec) ||
                hashes.at(f).asString() != fileHash(folder / f)) {
                return false;
            }
        }
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

void writeDemoFiles(const fs::path& dir) {
    const DemoModelConfig& c = demoModelConfig();
    // Seeds are fixed: the demo is the same model on every machine and every run.
    writeWeights(dir / DemoModelFiles::dit,
                 makeRandomDitWeights(c.dit, 0xD17D3E0001ull, at::kFloat), "dit");
    writeWeights(dir / DemoModelFiles::vae,
                 makeRandomVaeWeights(c.vae, 0xD17D3E0002ull, at::kFloat, c10::Device(c10::kCPU)),
                 "vae");
    writeWeights(dir / DemoModelFiles::t5, makeRandomT5Weights(c.t5, 0xD17D3E0003ull, at::kFloat),
                 "text-encoder");
    writeWeights(
        dir / DemoModelFiles::taehv,
        makeRandomTaehvWeights(c.taehv, 0xD17D3E0004ull, at::kFloat, c10::Device(c10::kCPU)),
        "taehv");
    writeWeights(dir / DemoModelFiles::vace,
                 makeRandomVaceWeights(c.vace, 0xD17D3E0005ull, at::kFloat), "vace");
    writeFile(dir / DemoModelFiles::tokenizer,
              std::string(reinterpret_cast<const char*>(sfs_demo_spiece_model),
                          sfs_demo_spiece_model_size));
    // Wan's config.json gives what DiT weights do not store (head count, text length).
    writeFile(dir / DemoModelFiles::ditConfig, ditConfigJson(c.dit));

    std::ostringstream marker;
    marker << "{\n  \"note\": \"" << kDemoNotice << "\",\n  \"version\": " << kDemoVersion
           << ",\n  \"files\": {";
    bool first = true;
    for (const char* f : kFiles) {
        marker << (first ? "\n" : ",\n") << "    \"" << f << "\": \"" << fileHash(dir / f) << "\"";
        first = false;
    }
    marker << "\n  }\n}\n";
    writeFile(dir / DemoModelFiles::marker, marker.str());
}

} // namespace

const DemoModelConfig& demoModelConfig() {
    static const DemoModelConfig config = makeDemoConfig();
    return config;
}

void materializeDemoModel(const std::string& folder) {
    const fs::path target(folder);
    if (intact(target)) {
        return;
    }
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    // One writer per process (the studio's model dialog and the engine may both ask at once):
    // the temporary folder is named by the process, and the check-and-replace below must not
    // interleave. Other processes have their own temporary folder; the rename is atomic.
    static std::mutex writing;
    const std::lock_guard<std::mutex> lock(writing);
    if (intact(target)) {
        return;
    }
    const fs::path tmp =
        target.parent_path() / (target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    fs::remove_all(tmp, ec);
    if (!fs::create_directories(tmp, ec)) {
        throw std::runtime_error(tmp.string() + ": cannot create the demo model folder (" +
                                 ec.message() + ")");
    }
    try {
        writeDemoFiles(tmp);
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
    // Replace a damaged or older copy. Another process may have finished first: then keep its
    // copy (it is the same model).
    if (!intact(target)) {
        fs::remove_all(target, ec);
        fs::rename(tmp, target, ec);
    }
    fs::remove_all(tmp, ec);
    if (!intact(target)) {
        throw std::runtime_error(folder + ": the demo model could not be written (" +
                                 (ec ? ec.message() : std::string("files damaged")) + ")");
    }
}

} // namespace sfs::inference::models

namespace sfs::inference {

void writeRealShapedRandomModel(const std::string& folder) {
    using namespace models;
    const fs::path dir(folder);
    const fs::path done = dir / "sfstudio-random-model.json";
    std::error_code ec;
    if (fs::is_regular_file(done, ec)) {
        return;
    }
    DemoModelConfig c;                       // the released shapes, but for the text encoder
    c.t5.vocab = demoModelConfig().t5.vocab; // the demo tokenizer's pieces
    c.t5.dim = c.dit.textDim;                // the width the DiT reads
    c.t5.numHeads = 1;
    c.t5.dimAttn = 64;
    c.t5.dimFfn = 256;
    c.t5.numLayers = 1;
    fs::create_directories(dir, ec);
    const auto write = [&](const char* name, const io::Weights& weights) {
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const std::string& n : weights.names()) {
            tensors.emplace_back(n, weights.get(n));
        }
        io::writeSafetensors((dir / name).string(), tensors,
                             {{"sfstudio.random", "seeded random weights at the real shapes "
                                                  "(benchmarks): UNTRAINED"}});
    };
    write(DemoModelFiles::dit, makeRandomDitWeights(c.dit, 0x5EA1000001ull, at::kBFloat16));
    write(DemoModelFiles::vae,
          makeRandomVaeWeights(c.vae, 0x5EA1000002ull, at::kFloat, c10::Device(c10::kCPU)));
    write(DemoModelFiles::t5, makeRandomT5Weights(c.t5, 0x5EA1000003ull, at::kFloat));
    write(DemoModelFiles::taehv,
          makeRandomTaehvWeights(c.taehv, 0x5EA1000004ull, at::kFloat, c10::Device(c10::kCPU)));
    writeFile(dir / DemoModelFiles::tokenizer,
              std::string(reinterpret_cast<const char*>(sfs_demo_spiece_model),
                          sfs_demo_spiece_model_size));
    writeFile(dir / DemoModelFiles::ditConfig, ditConfigJson(c.dit));
    writeFile(done, "{\"note\": \"seeded random weights at the real shapes, UNTRAINED\"}\n");
}

} // namespace sfs::inference
