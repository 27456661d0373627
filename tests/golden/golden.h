#pragma once
// sfs-golden: replays the reference procedures described by a golden set's manifest.json and
// compares every stored tensor. Each component (tokenizer, t5, vae, taehv, dit) registers the
// case kinds it understands with SFS_GOLDEN_CASE in its own golden_<component>.cpp; a file of
// the manifest that no registered kind claims fails the run.

#include "io/json.h"
#include "io/safetensors.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sfs::golden {

namespace json = inference::json;

// The set being checked.
struct GoldenSet {
    std::filesystem::path dir;
    json::Value manifest;

    const json::Value& configs() const { return manifest.at("configs"); }
    const json::Value& fileEntry(const std::string& file) const {
        return manifest.at("files").at(file);
    }
    std::string path(const std::string& file) const { return (dir / file).string(); }
    // Opens a file of the set (cached).
    std::shared_ptr<inference::io::SafetensorsFile> open(const std::string& file) const;
};

// Collects the per-tensor comparisons of one case and prints one line each.
class Report {
public:
    explicit Report(std::string component, std::string file)
        : m_component(std::move(component)), m_file(std::move(file)) {}

    // Floats: pass when max|mine - expected| <= rtol * max|expected| (shapes must match).
    void compare(const std::string& tensor, const at::Tensor& mine, const at::Tensor& expected,
                 double rtol = 1e-4);
    // Ids and masks: exact equality.
    void compareExact(const std::string& tensor, const at::Tensor& mine,
                      const at::Tensor& expected);
    // A check that is not a tensor comparison (a count, a frame mapping, ...).
    void check(const std::string& what, bool ok, const std::string& detail);
    void fail(const std::string& what, const std::string& detail) { check(what, false, detail); }

    int passed() const { return m_passed; }
    int failed() const { return m_failed; }
    // Largest relative error seen in this case (for closing notes).
    double worstRelative() const { return m_worst; }

private:
    void line(bool ok, const std::string& what, const std::string& detail);

    std::string m_component;
    std::string m_file;
    int m_passed = 0;
    int m_failed = 0;
    double m_worst = 0.0;
};

// A case kind: a component, which manifest files it claims, and how to replay them.
struct CaseKind {
    std::string component;   // tokenizer, t5, vae, taehv, dit
    std::string filePattern; // ECMAScript regex on the manifest's file name
    std::function<void(const GoldenSet&, const std::string& file, Report&)> run;
};

std::vector<CaseKind>& registry();

struct Registrar {
    Registrar(CaseKind kind) { registry().push_back(std::move(kind)); }
};

#define SFS_GOLDEN_CONCAT2(a, b) a##b
#define SFS_GOLDEN_CONCAT(a, b) SFS_GOLDEN_CONCAT2(a, b)
#define SFS_GOLDEN_CASE(component, pattern, fn)                                                    \
    static ::sfs::golden::Registrar SFS_GOLDEN_CONCAT(sfsGoldenRegistrar, __LINE__)(               \
        ::sfs::golden::CaseKind{component, pattern, fn})

// Helpers for runners.
at::Tensor loadF32(const GoldenSet& set, const std::string& file, const std::string& tensor);
bool hasTensor(const GoldenSet& set, const std::string& file, const std::string& tensor);

} // namespace sfs::golden
