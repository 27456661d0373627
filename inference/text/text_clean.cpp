// The reference prompt cleaning of Wan's HuggingfaceTokenizer(clean='whitespace'):
//   1. text = ftfy.fix_text(text)                       (ftfy 6.3.1, default options)
//   2. text = html.unescape(html.unescape(text)).strip()
//   3. text = regex.sub(r'\s+', ' ', text).strip()
//
// ftfy is a large heuristic library; this is the part of fix_text that matters for prompts,
// with its default options and in its order (per line, repeated until nothing changes):
//   - unescape_html "auto": HTML5 entities ending in ';', ftfy's upper-case variants
//     (&EACUTE; -> É) and numeric references; off from the first line holding a '<' on;
//   - fix_encoding for UTF-8 that was decoded as Latin-1 or Windows-1252 ("cafÃ©", "â€œ",
//     "ðŸ˜€"), also nested twice or more and embedded in otherwise good text;
//   - fix_c1_controls, fix_latin_ligatures, fix_character_width (full/halfwidth forms, U+3000),
//     uncurl_quotes, fix_line_breaks, fix_surrogates (in the UTF-8 decoder),
//     remove_terminal_escapes, remove_control_chars;
//   - NFC normalisation (the tokenizer's own nmt_nfkc normaliser does the rest).
// Not covered (the text is left as it is, where ftfy might change it):
//   - mojibake from other single-byte encodings (Windows-1250/1251/1253/1254/1257, ISO-8859-2,
//     MacRoman, CP437);
//   - ftfy's full "badness" score: our detector is simpler (see isMojibakeSequence), so rare
//     legitimate sequences such as "Ã©" are repaired and rare mojibake is missed;
//   - restore_byte_a0 (mojibake whose U+00A0 became a space, "voilÃ le"), and
//     replace_lossy_sequences (mojibake with U+FFFD inside, "â€�");
//   - "utf-8-variants" decoding (CESU-8 and Java's C0 80 inside mojibake);
//   - segments longer than ftfy's max_decode_length (10^6 characters) are not split.

#include "text/text_clean.h"

#include "sfs/inference/text.h"
#include "text/unicode.h"

#include <array>
#include <cstdint>
#include <optional>

namespace sfs::inference {
namespace text {

namespace {

using U32 = std::u32string;

void appendUtf8String(U32& out, const char* utf8) {
    out += decodeUtf8(utf8);
}

// Windows-1252 for bytes 0x80..0x9F (0: unassigned; "sloppy" codecs keep the C1 control).
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The byte a character came from if text was decoded as sloppy Windows-1252 (which keeps
// unassigned bytes as C1 controls), or -1.
int sloppyCp1252Byte(char32_t c) {
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
        return static_cast<int>(c);
    }
    for (size_t i = 0; i < kCp1252High.size(); ++i) {
        if (kCp1252High[i] == c || (kCp1252High[i] == 0 && c == 0x80 + i)) {
            return static_cast<int>(0x80 + i);
        }
    }
    return -1;
}

// The byte a character came from if text was decoded as Latin-1, or -1.
int latin1Byte(char32_t c) {
    return c <= 0xFF ? static_cast<int>(c) : -1;
}

// Decodes bytes as strict UTF-8; nullopt when they are not.
std::optional<U32> strictUtf8(const std::string& bytes) {
    const U32 decoded = decodeUtf8(bytes);
    if (encodeUtf8(decoded) != bytes) {
        return std::nullopt; // something became U+FFFD or a CESU pair was joined
    }
    return decoded;
}

std::optional<U32> reinterpret(const U32& text, int (*byteOf)(char32_t)) {
    std::string bytes;
    bytes.reserve(text.size());
    for (char32_t c : text) {
        const int b = byteOf(c);
        if (b < 0) {
            return std::nullopt;
        }
        bytes.push_back(static_cast<char>(b));
    }
    return strictUtf8(bytes);
}

// Punctuation and spaces that often stand for themselves next to accented capitals (German
// „Straße“, French « À »): a two-byte sequence ending in one of them needs a Â/Ã lead.
bool isCommonPunctuation(char32_t c) {
    switch (c) {
    case 0xA0:   // no-break space
    case 0xAB:   // «
    case 0xBB:   // »
    case 0xB7:   // middle dot
    case 0x2013: // en dash
    case 0x2014: // em dash
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2022: // bullet
    case 0x2026: // ellipsis
        return true;
    default:
        return false;
    }
}

// Length of the mojibake sequence starting at text[i] (UTF-8 bytes read as Windows-1252 or
// Latin-1), or 0. `decoded` receives the character it stands for.
size_t mojibakeSequenceAt(const U32& text, size_t i, char32_t& decoded) {
    const int lead = sloppyCp1252Byte(text[i]);
    size_t len = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
    } else if (lead == 0xF0 || lead == 0xF3) { // the leads of assigned supplementary planes
        len = 4;
    } else {
        return 0;
    }
    if (i + len > text.size()) {
        return 0;
    }
    std::string bytes(1, static_cast<char>(lead));
    for (size_t k = 1; k < len; ++k) {
        const int b = sloppyCp1252Byte(text[i + k]);
        if (b < 0x80 || b > 0xBF) {
            return 0;
        }
        bytes.push_back(static_cast<char>(b));
    }
    const auto chars = strictUtf8(bytes);
    if (!chars || chars->size() != 1) {
        return 0;
    }
    decoded = (*chars)[0];
    if (len == 2 && lead > 0xC3 && isCommonPunctuation(text[i + 1])) {
        return 0;
    }
    // Samaritan..Arabic Extended (à + no-break space + », French) and Mongolian (á + ...):
    // such sequences are far likelier to be intended than mojibake.
    if (len == 3 &&
        ((decoded >= 0x0800 && decoded <= 0x08FF) || (decoded >= 0x1800 && decoded <= 0x18FF))) {
        return 0;
    }
    return len;
}

bool containsMojibake(const U32& text) {
    char32_t decoded = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (mojibakeSequenceAt(text, i, decoded) != 0) {
            return true;
        }
    }
    return false;
}

// Windows-1252 bytes 0x80..0xBF that rarely stand for themselves next to mojibake: a run is
// not repaired right after one (ftfy's "strict continuation"), so a big garble stays whole.
bool isStrictContinuation(char32_t c) {
    const int b = sloppyCp1252Byte(c);
    return b >= 0x80 && b <= 0xBF && c != 0xA0 && !isCommonPunctuation(c);
}

// Repairs every run of mojibake sequences in place (ftfy decode_inconsistent_utf8).
U32 repairEmbedded(const U32& text) {
    U32 out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        char32_t decoded = 0;
        const bool after = i > 0 && isStrictContinuation(text[i - 1]);
        const size_t len = after ? 0 : mojibakeSequenceAt(text, i, decoded);
        if (len == 0) {
            out.push_back(text[i++]);
            continue;
        }
        // A run of sequences is repaired as a whole.
        size_t next = len;
        do {
            out.push_back(decoded);
            i += next;
            next = i < text.size() ? mojibakeSequenceAt(text, i, decoded) : 0;
        } while (next != 0);
    }
    return out;
}

U32 fixEncodingOnce(const U32& text) {
    bool ascii = true;
    for (char32_t c : text) {
        ascii = ascii && c < 0x80;
    }
    if (ascii || !containsMojibake(text)) {
        return text;
    }
    // The whole text is UTF-8 that went through Latin-1 or Windows-1252.
    if (auto fixed = reinterpret(text, latin1Byte)) {
        return *fixed;
    }
    if (auto fixed = reinterpret(text, sloppyCp1252Byte)) {
        return *fixed;
    }
    // Mojibake embedded in text that is otherwise fine.
    return repairEmbedded(text);
}

U32 fixC1Controls(const U32& text) {
    U32 out = text;
    for (char32_t& c : out) {
        if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0) {
            c = kCp1252High[c - 0x80];
        }
    }
    return out;
}

U32 fixLatinLigatures(const U32& text) {
    struct Ligature {
        char32_t c;
        const char* letters;
    };
    // ftfy's list: Dutch, Afrikaans and Serbo-Croatian digraphs and the typographic f-ligatures
    // (not æ or œ, which are letters of their own).
    static const Ligature kLigatures[] = {
        {0x0132, "IJ"},      {0x0133, "ij"},      {0x0149, "\u02BCn"}, {0x01C4, "D\u017D"},
        {0x01C5, "D\u017E"}, {0x01C6, "d\u017E"}, {0x01C7, "LJ"},      {0x01C8, "Lj"},
        {0x01C9, "lj"},      {0x01CA, "NJ"},      {0x01CB, "Nj"},      {0x01CC, "nj"},
        {0x01F1, "DZ"},      {0x01F2, "Dz"},      {0x01F3, "dz"},      {0xFB00, "ff"},
        {0xFB01, "fi"},      {0xFB02, "fl"},      {0xFB03, "ffi"},     {0xFB04, "ffl"},
        {0xFB05, "\u017Ft"}, {0xFB06, "st"}};
    U32 out;
    out.reserve(text.size());
    for (char32_t c : text) {
        const Ligature* hit = nullptr;
        for (const Ligature& l : kLigatures) {
            if (l.c == c) {
                hit = &l;
            }
        }
        if (hit != nullptr) {
            appendUtf8String(out, hit->letters);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

U32 fixCharacterWidth(const U32& text) {
    U32 out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (const char* standard = standardWidthForm(c)) {
            appendUtf8String(out, standard);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

U32 uncurlQuotes(const U32& text) {
    U32 out = text;
    for (char32_t& c : out) {
        if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) {
            c = U'\'';
        } else if (c >= 0x201C && c <= 0x201F) {
            c = U'"';
        }
    }
    return out;
}

U32 fixLineBreaks(const U32& text) {
    U32 out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c == U'\r' && i + 1 < text.size() && text[i + 1] == U'\n') {
            continue; // the \n follows
        }
        out.push_back(c == U'\r' || c == 0x2028 || c == 0x2029 || c == 0x85 ? U'\n' : c);
    }
    return out;
}

// ESC [ (digits or ;)* letter
U32 removeTerminalEscapes(const U32& text) {
    U32 out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == 0x1B && i + 1 < text.size() && text[i + 1] == U'[') {
            size_t j = i + 2;
            while (j < text.size() && ((text[j] >= U'0' && text[j] <= U'9') || text[j] == U';')) {
                ++j;
            }
            if (j < text.size() &&
                ((text[j] >= U'a' && text[j] <= U'z') || (text[j] >= U'A' && text[j] <= U'Z'))) {
                i = j;
                continue;
            }
        }
        out.push_back(text[i]);
    }
    return out;
}

// C0 controls other than \t \n \f \r, DEL, deprecated Arabic format controls, the BOM and
// interlinear annotation / object replacement characters.
U32 removeControlChars(const U32& text) {
    U32 out;
    out.reserve(text.size());
    for (char32_t c : text) {
        const bool control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
                             (c >= 0x206A && c <= 0x206F) || c == 0xFEFF ||
                             (c >= 0xFFF9 && c <= 0xFFFC);
        if (!control) {
            out.push_back(c);
        }
    }
    return out;
}

bool isAsciiAlnum(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

std::string asciiOnly(const U32& s, size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) {
        out.push_back(static_cast<char>(s[i]));
    }
    return out;
}

// ftfy's unescape_html: &#?[0-9A-Za-z]{1,24}; when it names an entity ending in ';' (or an
// upper-cased one), or is a numeric reference Python decodes completely.
U32 ftfyUnescapeHtml(const U32& text) {
    U32 out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] != U'&') {
            out.push_back(text[i++]);
            continue;
        }
        const bool numeric = i + 1 < text.size() && text[i + 1] == U'#';
        const size_t start = i + (numeric ? 2 : 1);
        size_t j = start;
        while (j < text.size() && isAsciiAlnum(text[j])) {
            ++j;
        }
        const size_t run = j - start;
        if (run < 1 || run > 24 || j >= text.size() || text[j] != U';') {
            out.push_back(text[i++]);
            continue;
        }
        const U32 match = text.substr(i, j + 1 - i);
        U32 replacement = match;
        if (!numeric) {
            const std::string name = asciiOnly(text, start, j + 1);
            const char* value = html5Entity(name);
            if (value == nullptr) {
                value = upperCaseEntity(name);
            }
            if (value != nullptr) {
                replacement = decodeUtf8(value);
            }
        } else {
            const U32 decoded = htmlUnescape(match);
            if (decoded.find(U';') == U32::npos) {
                replacement = decoded;
            }
        }
        out += replacement;
        i = j + 1;
    }
    return out;
}

// One line of fix_text (ftfy's fix_and_explain loop).
U32 fixSegment(U32 text, bool unescapeHtml) {
    for (int round = 0; round < 16; ++round) {
        const U32 before = text;
        if (unescapeHtml) {
            text = ftfyUnescapeHtml(text);
        }
        text = fixEncoding(text);
        text = fixC1Controls(text);
        text = fixLatinLigatures(text);
        text = fixCharacterWidth(text);
        text = uncurlQuotes(text);
        text = fixLineBreaks(text);
        text = removeTerminalEscapes(text);
        text = removeControlChars(text);
        text = nfc(text);
        if (text == before) {
            break;
        }
    }
    return text;
}

// Numeric reference after "&#": digits (or x + hex digits) and an optional ';'. Returns the
// number of characters used (0: not a reference) and the code point, saturated.
size_t numericReference(const U32& s, size_t at, uint32_t& value) {
    size_t i = at;
    const bool hex = i < s.size() && (s[i] == U'x' || s[i] == U'X');
    if (hex) {
        ++i;
    }
    const size_t digitsStart = i;
    uint64_t v = 0;
    for (; i < s.size(); ++i) {
        const char32_t c = s[i];
        int d = -1;
        if (c >= U'0' && c <= U'9') {
            d = static_cast<int>(c - U'0');
        } else if (hex && c >= U'a' && c <= U'f') {
            d = static_cast<int>(c - U'a' + 10);
        } else if (hex && c >= U'A' && c <= U'F') {
            d = static_cast<int>(c - U'A' + 10);
        }
        if (d < 0) {
            break;
        }
        v = std::min<uint64_t>(v * (hex ? 16 : 10) + static_cast<uint64_t>(d), 0x7FFFFFFF);
    }
    if (i == digitsStart) {
        return 0;
    }
    if (i < s.size() && s[i] == U';') {
        ++i;
    }
    value = static_cast<uint32_t>(v);
    return i - at;
}

void appendNumericReference(U32& out, uint32_t num) {
    if (num == 0x00) {
        out.push_back(0xFFFD);
    } else if (num == 0x0D) {
        out.push_back(U'\r');
    } else if (num >= 0x80 && num <= 0x9F) {
        const char32_t c = kCp1252High[num - 0x80];
        out.push_back(c != 0 ? c : static_cast<char32_t>(num));
    } else if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
        out.push_back(0xFFFD);
    } else if ((num >= 0x01 && num <= 0x08) || num == 0x0B || (num >= 0x0E && num <= 0x1F) ||
               (num >= 0x7F && num <= 0x9F) || (num >= 0xFDD0 && num <= 0xFDEF) ||
               (num & 0xFFFE) == 0xFFFE) {
        // Python's _invalid_codepoints: dropped.
    } else {
        out.push_back(num);
    }
}

bool endsNamedReference(char32_t c) {
    return c == U'\t' || c == U'\n' || c == U'\f' || c == U' ' || c == U'<' || c == U'&' ||
           c == U'#' || c == U';';
}

} // namespace

std::u32string fixEncoding(const std::u32string& text) {
    U32 current = text;
    for (int round = 0; round < 8; ++round) {
        U32 next = fixEncodingOnce(current);
        if (next == current) {
            break;
        }
        current = std::move(next);
    }
    return current;
}

std::u32string fixText(const std::u32string& text) {
    // ftfy fixes line by line; "auto" HTML unescaping stops for good at the first line that
    // holds a '<' (it looks like real HTML from there on).
    U32 out;
    bool unescapeHtml = true;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find(U'\n', pos);
        end = end == U32::npos ? text.size() : end + 1;
        const U32 segment = text.substr(pos, end - pos);
        if (segment.find(U'<') != U32::npos) {
            unescapeHtml = false;
        }
        out += fixSegment(segment, unescapeHtml);
        pos = end;
    }
    return out;
}

std::u32string htmlUnescape(const std::u32string& text) {
    if (text.find(U'&') == U32::npos) {
        return text;
    }
    U32 out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] != U'&' || i + 1 >= text.size()) {
            out.push_back(text[i++]);
            continue;
        }
        if (text[i + 1] == U'#') {
            uint32_t num = 0;
            const size_t used = numericReference(text, i + 2, num);
            if (used == 0) {
                out.push_back(text[i++]);
                continue;
            }
            appendNumericReference(out, num);
            i += 2 + used;
            continue;
        }
        // Named: up to 32 characters that cannot end a reference, and an optional ';'.
        size_t j = i + 1;
        while (j < text.size() && j - (i + 1) < 32 && !endsNamedReference(text[j])) {
            ++j;
        }
        if (j == i + 1) {
            out.push_back(text[i++]);
            continue;
        }
        if (j < text.size() && text[j] == U';') {
            ++j;
        }
        const U32 name = text.substr(i + 1, j - (i + 1));
        const char* value = html5Entity(encodeUtf8(name));
        if (value != nullptr) {
            out += decodeUtf8(value);
        } else {
            // The longest prefix (at least 2 characters) that is a legacy name.
            bool found = false;
            for (size_t x = name.size() - 1; x >= 2 && x < name.size(); --x) {
                if (const char* v = html5Entity(encodeUtf8(name.substr(0, x)))) {
                    out += decodeUtf8(v);
                    out += name.substr(x);
                    found = true;
                    break;
                }
            }
            if (!found) {
                out.push_back(U'&');
                out += name;
            }
        }
        i = j;
    }
    return out;
}

std::u32string collapseWhitespace(const std::u32string& text) {
    U32 out;
    out.reserve(text.size());
    bool inSpace = false;
    for (char32_t c : text) {
        if (isWhiteSpace(c)) {
            inSpace = true;
            continue;
        }
        if (inSpace) {
            out.push_back(U' ');
            inSpace = false;
        }
        out.push_back(c);
    }
    if (inSpace) {
        out.push_back(U' ');
    }
    size_t begin = 0;
    size_t end = out.size();
    while (begin < end && isPythonSpace(out[begin])) {
        ++begin;
    }
    while (end > begin && isPythonSpace(out[end - 1])) {
        --end;
    }
    return out.substr(begin, end - begin);
}

} // namespace text

std::string cleanPromptText(std::string_view utf8) {
    using namespace text;
    U32 t = fixText(decodeUtf8(utf8));
    t = htmlUnescape(htmlUnescape(t));
    // .strip() then the whitespace collapse, whose own strip covers the first one: \s is a
    // subset of Python's isspace, and what the first strip removes the collapse would too.
    t = collapseWhitespace(t);
    return encodeUtf8(t);
}

} // namespace sfs::inference
