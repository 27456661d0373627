#include <sfs/inference/model_config.h>

#include <algorithm>

namespace sfs::inference {

int64_t ParamSpec::numel() const {
    int64_t n = 1;
    for (const int64_t d : shape) {
        n *= d;
    }
    return n;
}

bool ParamSpec::accepts(const std::vector<int64_t>& stored) const {
    if (stored == shape) {
        return true;
    }
    return trailingRows && !shape.empty() && stored.size() == shape.size() &&
           stored[0] > shape[0] && std::equal(stored.begin() + 1, stored.end(), shape.begin() + 1);
}

int64_t parameterCount(const ParamList& list) {
    int64_t n = 0;
    for (const ParamSpec& p : list) {
        n += p.numel();
    }
    return n;
}

} // namespace sfs::inference
