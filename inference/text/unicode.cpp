#include "text/unicode.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace sfs::inference::text {

namespace {

struct CombiningRange {
    char32_t first;
    char32_t last;
    int ccc;
};
struct Decomposition {
    char32_t cp;
    char32_t first;
    char32_t second; // 0: singleton
    bool composes;   // a primary composite: NFC recombines first + second into cp
};
struct Replacement {
    char32_t cp;
    const char* utf8;
};
struct Entity {
    const char* name;
    const char* utf8;
};

#include "text/text_tables.inc"

constexpr char32_t kReplacement = 0xFFFD;

// Hangul syllables decompose and compose by arithmetic (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr int kLCount = 19, kVCount = 21, kTCount = 28;
constexpr int kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

const Decomposition* findDecomposition(char32_t c) {
    const auto* end = std::end(kDecompositions);
    const auto* it = std::lower_bound(std::begin(kDecompositions), end, c,
                                      [](const Decomposition& d, char32_t v) { return d.cp < v; });
    return it != end && it->cp == c ? it : nullptr;
}

void decomposeInto(char32_t c, std::u32string& out) {
    if (c >= kSBase && c < kSBase + kSCount) {
        const int s = static_cast<int>(c - kSBase);
        out.push_back(kLBase + s / kNCount);
        out.push_back(kVBase + (s % kNCount) / kTCount);
        if (s % kTCount != 0) {
            out.push_back(kTBase + s % kTCount);
        }
        return;
    }
    const Decomposition* d = findDecomposition(c);
    if (d == nullptr) {
        out.push_back(c);
        return;
    }
    decomposeInto(d->first, out);
    if (d->second != 0) {
        decomposeInto(d->second, out);
    }
}

const std::unordered_map<uint64_t, char32_t>& compositions() {
    static const std::unordered_map<uint64_t, char32_t> table = [] {
        std::unordered_map<uint64_t, char32_t> t;
        for (const Decomposition& d : kDecompositions) {
            if (d.composes) {
                t.emplace((static_cast<uint64_t>(d.first) << 32) | d.second, d.cp);
            }
        }
        return t;
    }();
    return table;
}

// The primary composite of a pair, or 0.
char32_t compose(char32_t a, char32_t b) {
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    }
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
        b < kTBase + kTCount) {
        return a + (b - kTBase);
    }
    const auto& t = compositions();
    const auto it = t.find((static_cast<uint64_t>(a) << 32) | b);
    return it == t.end() ? 0 : it->second;
}

} // namespace

const char* unicodeVersion() {
    return SFS_UNICODE_VERSION;
}

std::u32string decodeUtf8(std::string_view bytes) {
    std::u32string out;
    out.reserve(bytes.size());
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t n = bytes.size();
    size_t i = 0;
    // Reads one sequence at i, allowing surrogates (checked by the caller); returns its length
    // or 0 when malformed, and skips a maximal bad subsequence in `bad`.
    const auto readOne = [&](size_t at, char32_t& cp, size_t& bad) -> size_t {
        const unsigned char b0 = p[at];
        size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (b0 < 0x80) {
            cp = b0;
            return 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            cp = b0 & 0x0F;
            lo = b0 == 0xE0 ? 0xA0 : 0x80;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            cp = b0 & 0x07;
            lo = b0 == 0xF0 ? 0x90 : 0x80;
            hi = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            bad = 1;
            return 0;
        }
        for (size_t k = 1; k < len; ++k) {
            const size_t j = at + k;
            const unsigned char lower = k == 1 ? lo : 0x80;
            const unsigned char upper = k == 1 ? hi : 0xBF;
            if (j >= n || p[j] < lower || p[j] > upper) {
                bad = k;
                return 0;
            }
            cp = (cp << 6) | (p[j] & 0x3F);
        }
        return len;
    };
    while (i < n) {
        char32_t cp = 0;
        size_t bad = 0;
        const size_t len = readOne(i, cp, bad);
        if (len == 0) {
            out.push_back(kReplacement);
            i += bad;
            continue;
        }
        i += len;
        if (cp >= 0xD800 && cp <= 0xDBFF && i < n) {
            char32_t low = 0;
            size_t badLow = 0;
            const size_t lenLow = readOne(i, low, badLow);
            if (lenLow != 0 && low >= 0xDC00 && low <= 0xDFFF) {
                out.push_back(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
                i += lenLow;
                continue;
            }
        }
        out.push_back(cp >= 0xD800 && cp <= 0xDFFF ? kReplacement : cp);
    }
    return out;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        c = kReplacement;
    }
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        appendUtf8(out, c);
    }
    return out;
}

int combiningClass(char32_t c) {
    const auto* end = std::end(kCombiningRanges);
    const auto* it =
        std::upper_bound(std::begin(kCombiningRanges), end, c,
                         [](char32_t v, const CombiningRange& r) { return v < r.first; });
    if (it == std::begin(kCombiningRanges)) {
        return 0;
    }
    --it;
    return c <= it->last ? it->ccc : 0;
}

std::u32string nfc(std::u32string_view text) {
    // Canonical decomposition.
    std::u32string d;
    d.reserve(text.size());
    for (char32_t c : text) {
        decomposeInto(c, d);
    }
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (size_t i = 0; i < d.size();) {
        if (combiningClass(d[i]) == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < d.size() && combiningClass(d[j]) != 0) {
            ++j;
        }
        std::stable_sort(
            d.begin() + static_cast<std::ptrdiff_t>(i), d.begin() + static_cast<std::ptrdiff_t>(j),
            [](char32_t a, char32_t b) { return combiningClass(a) < combiningClass(b); });
        i = j;
    }
    // Canonical composition.
    std::u32string out;
    out.reserve(d.size());
    size_t starter = std::u32string::npos; // index in `out` of the last starter
    int lastClass = -1;                    // class of the last character appended after it
    for (char32_t c : d) {
        const int cc = combiningClass(c);
        if (starter != std::u32string::npos) {
            const bool blocked = lastClass != -1 && (lastClass == 0 || lastClass >= cc);
            if (!blocked) {
                const char32_t composite = compose(out[starter], c);
                if (composite != 0) {
                    out[starter] = composite;
                    continue;
                }
            }
        }
        if (cc == 0) {
            starter = out.size();
            lastClass = -1;
        } else {
            lastClass = cc;
        }
        out.push_back(c);
    }
    return out;
}

bool isWhiteSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

bool isPythonSpace(char32_t c) {
    return isWhiteSpace(c) || (c >= 0x1C && c <= 0x1F);
}

namespace {
template <size_t N>
const char* findEntity(const Entity (&table)[N], std::string_view name) {
    const auto* end = std::end(table);
    const auto* it =
        std::lower_bound(std::begin(table), end, name,
                         [](const Entity& e, std::string_view v) { return e.name < v; });
    return it != end && it->name == name ? it->utf8 : nullptr;
}
} // namespace

const char* html5Entity(std::string_view name) {
    return findEntity(kHtml5Entities, name);
}

const char* upperCaseEntity(std::string_view name) {
    return findEntity(kUpperCaseEntities, name);
}

const char* standardWidthForm(char32_t c) {
    const auto* end = std::end(kWidthMap);
    const auto* it = std::lower_bound(std::begin(kWidthMap), end, c,
                                      [](const Replacement& r, char32_t v) { return r.cp < v; });
    return it != end && it->cp == c ? it->utf8 : nullptr;
}

} // namespace sfs::inference::text
