// sfs-golden DIR [--only COMPONENT] [--list]
// Exit 0 only when every case ran and passed.

#include "golden.h"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace sfs::golden {

std::vector<CaseKind>& registry() {
    static std::vector<CaseKind> kinds;
    return kinds;
}

std::shared_ptr<inference::io::SafetensorsFile> GoldenSet::open(const std::string& file) const {
    static std::map<std::string, std::shared_ptr<inference::io::SafetensorsFile>> cache;
    const std::string p = path(file);
    auto it = cache.find(p);
    if (it == cache.end()) {
        it = cache.emplace(p, inference::io::SafetensorsFile::open(p)).first;
    }
    return it->second;
}

at::Tensor loadF32(const GoldenSet& set, const std::string& file, const std::string& tensor) {
    return set.open(file)->load(tensor, at::kFloat);
}

bool hasTensor(const GoldenSet& set, const std::string& file, const std::string& tensor) {
    return set.open(file)->find(tensor) != nullptr;
}

namespace {
std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

std::string shapeOf(const at::Tensor& t) {
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}
} // namespace

void Report::line(bool ok, const std::string& what, const std::string& detail) {
    (ok ? m_passed : m_failed)++;
    std::cout << (ok ? "PASS " : "FAIL ") << m_component << "  " << m_file << "  " << what << "  "
              << detail << "\n";
}

void Report::check(const std::string& what, bool ok, const std::string& detail) {
    line(ok, what, detail);
}

void Report::compare(const std::string& tensor, const at::Tensor& mine, const at::Tensor& expected,
                     double rtol) {
    if (!mine.defined()) {
        line(false, tensor, "not produced");
        return;
    }
    if (mine.sizes() != expected.sizes()) {
        line(false, tensor, "shape " + shapeOf(mine) + " != expected " + shapeOf(expected));
        return;
    }
    const at::Tensor a = mine.detach().to(at::kCPU, at::kDouble);
    const at::Tensor b = expected.detach().to(at::kCPU, at::kDouble);
    const double maxExpected = b.numel() ? b.abs().max().item<double>() : 0.0;
    const double maxErr = b.numel() ? (a - b).abs().max().item<double>() : 0.0;
    const bool finite = a.numel() == 0 || at::isfinite(a).all().item<bool>();
    const double rel = maxExpected > 0 ? maxErr / maxExpected : maxErr;
    const bool ok = finite && std::isfinite(maxErr) && maxErr <= rtol * maxExpected;
    if (std::isfinite(rel)) {
        m_worst = std::max(m_worst, rel);
    }
    line(ok, tensor,
         "max_abs_err=" + fmt(maxErr) + " max_abs_expected=" + fmt(maxExpected) +
             " rel=" + fmt(rel) + " (tol " + fmt(rtol) + ")" + (finite ? "" : " NON-FINITE"));
}

void Report::compareExact(const std::string& tensor, const at::Tensor& mine,
                          const at::Tensor& expected) {
    if (!mine.defined()) {
        line(false, tensor, "not produced");
        return;
    }
    if (mine.sizes() != expected.sizes()) {
        line(false, tensor, "shape " + shapeOf(mine) + " != expected " + shapeOf(expected));
        return;
    }
    const at::Tensor a = mine.to(at::kCPU, at::kLong);
    const at::Tensor b = expected.to(at::kCPU, at::kLong);
    const int64_t mismatches = a.ne(b).sum().item<int64_t>();
    line(mismatches == 0, tensor,
         mismatches == 0 ? "exact" : std::to_string(mismatches) + " values differ");
}

namespace {

// Every tensor the manifest lists must be in the file with that dtype and shape.
void checkFileAgainstManifest(const GoldenSet& set, const std::string& file, Report& report) {
    const auto& entry = set.fileEntry(file);
    const auto st = set.open(file);
    const json::Value* tensors = entry.find("tensors");
    if (tensors == nullptr) {
        return;
    }
    int checked = 0;
    for (const auto& [name, desc] : tensors->asObject()) {
        const auto* info = st->find(name);
        if (info == nullptr) {
            report.fail("manifest", "tensor '" + name + "' is listed but not in the file");
            continue;
        }
        std::vector<int64_t> shape;
        for (const auto& d : desc.at("shape").asArray()) {
            shape.push_back(d.asInt());
        }
        if (shape != info->shape ||
            desc.at("dtype").asString() != inference::io::dtypeName(info->dtype)) {
            report.fail("manifest", "tensor '" + name + "' differs from its manifest entry");
            continue;
        }
        ++checked;
    }
    report.check("manifest", true, std::to_string(checked) + " tensors match their entries");
}

int usage() {
    std::cerr << "usage: sfs-golden DIR [--only tokenizer|t5|vae|taehv|dit] [--list]\n";
    return 2;
}

} // namespace
} // namespace sfs::golden

int main(int argc, char** argv) {
    using namespace sfs::golden;
    std::string dir;
    std::string only;
    bool list = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--only" && i + 1 < argc) {
            only = argv[++i];
        } else if (a == "--list") {
            list = true;
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else if (dir.empty()) {
            dir = a;
        } else {
            return usage();
        }
    }
    if (dir.empty()) {
        return usage();
    }
    std::set<std::string> components;
    for (const CaseKind& k : registry()) {
        components.insert(k.component);
    }
    if (list) {
        for (const CaseKind& k : registry()) {
            std::cout << k.component << "  " << k.filePattern << "\n";
        }
        return 0;
    }
    if (!only.empty() && components.count(only) == 0) {
        std::cerr << "sfs-golden: no case kind for component '" << only << "' in this build\n";
        return 2;
    }

    GoldenSet set;
    set.dir = dir;
    try {
        std::ifstream in(set.dir / "manifest.json", std::ios::binary);
        if (!in) {
            std::cerr << "sfs-golden: cannot read " << (set.dir / "manifest.json") << "\n";
            return 1;
        }
        std::stringstream text;
        text << in.rdbuf();
        set.manifest = sfs::inference::json::parse(text.str());
    } catch (const std::exception& e) {
        std::cerr << "sfs-golden: " << (set.dir / "manifest.json") << ": " << e.what() << "\n";
        return 1;
    }

    at::manual_seed(0);
    int passed = 0;
    int failed = 0;
    int cases = 0;
    for (const auto& [file, entry] : set.manifest.at("files").asObject()) {
        const CaseKind* kind = nullptr;
        for (const CaseKind& k : registry()) {
            if (std::regex_match(file, std::regex(k.filePattern))) {
                kind = &k;
                break;
            }
        }
        // The component a file belongs to is its name's first word (dit_..., tokenizer/...).
        const std::string component =
            kind != nullptr ? kind->component : file.substr(0, file.find_first_of("_./"));
        if (!only.empty() && component != only) {
            continue;
        }
        Report report(component, file);
        if (kind == nullptr) {
            report.fail("case", "no case kind in this build understands this file");
        } else {
            try {
                checkFileAgainstManifest(set, file, report);
                kind->run(set, file, report);
            } catch (const std::exception& e) {
                report.fail("case", std::string("error: ") + e.what());
            }
        }
        ++cases;
        passed += report.passed();
        failed += report.failed();
    }
    if (cases == 0) {
        std::cout << "no case ran\n";
        return 1;
    }
    std::cout << "golden: " << passed << " passed, " << failed << " failed\n";
    return failed == 0 ? 0 : 1;
}
