#include "keyframe_report.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace sfs::cli {

std::string formatKeyframeReport(const std::vector<inference::KeyframeReport>& reports) {
    if (reports.empty()) {
        return {};
    }
    constexpr size_t kColumns = 6;
    using Row = std::array<std::string, kColumns>;
    std::vector<Row> rows{{"frame", "latent", "strength", "rel-L2", "snap", "median"}};
    const auto number = [](double value, const char* format) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, format, value);
        return std::string(buffer);
    };
    for (const inference::KeyframeReport& r : reports) {
        rows.push_back({std::to_string(r.frame), std::to_string(r.latentFrame),
                        number(r.strength, "%.2f"), number(r.relativeL2, "%.4f"),
                        number(r.snap, "%.4f"), number(r.medianChange, "%.4f")});
    }
    std::array<size_t, kColumns> width{};
    for (const Row& row : rows) {
        for (size_t c = 0; c < kColumns; ++c) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    std::string out;
    for (const Row& row : rows) {
        for (size_t c = 0; c < kColumns; ++c) {
            out += std::string(c == 0 ? 0 : 2, ' ');
            out += std::string(width[c] - row[c].size(), ' ') + row[c];
        }
        out += '\n';
    }
    return out;
}

} // namespace sfs::cli
