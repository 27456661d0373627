// The reference prompt cleaning (ftfy subset, html.unescape twice, whitespace collapse) and
// the Unicode pieces under it, against outputs of the reference code itself
// (tests/data/text/*.json, made by scripts/text/make_text_fixtures.py).

#include "io/json.h"
#include "sfs/inference/text.h"
#include "text/text_clean.h"
#include "text/unicode.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace {

using sfs::inference::cleanPromptText;
namespace text = sfs::inference::text;
namespace json = sfs::inference::json;

json::Value readJson(const std::string& name) {
    std::ifstream in(std::string(SFS_TEST_DATA_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << name;
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
}

std::string u8(std::u32string_view s) {
    return text::encodeUtf8(s);
}

TEST(TextClean, MatchesTheReferenceOnEveryFixtureCase) {
    const json::Value doc = readJson("text/clean_cases.json");
    const auto& cases = doc.at("cases").asArray();
    ASSERT_GE(cases.size(), 30u);
    for (const auto& c : cases) {
        const std::string& input = c.at("input").asString();
        EXPECT_EQ(cleanPromptText(input), c.at("cleaned").asString())
            << "case: " << c.at("why").asString();
    }
}

TEST(TextClean, MatchesTheGoldenTokenizerCases) {
    const json::Value doc = readJson("golden/tokenizer/tokenizer_cases.json");
    for (const auto& c : doc.at("cases").asArray()) {
        EXPECT_EQ(cleanPromptText(c.at("input").asString()), c.at("cleaned").asString())
            << "case " << c.at("index").asInt();
    }
}

TEST(TextClean, UnescapesHtmlTwiceAfterFtfy) {
    // ftfy would keep unescaping, but a '<' switches it off: only the two html.unescape
    // passes of the reference remain.
    EXPECT_EQ(cleanPromptText("<p>&amp;amp;amp;lt;</p>"), "<p>&amp;lt;</p>");
    EXPECT_EQ(cleanPromptText("<p>&amp;amp;</p>"), "<p>&</p>");
    EXPECT_EQ(cleanPromptText("fish &amp;amp;amp;amp; chips"), "fish & chips");
    EXPECT_EQ(u8(text::htmlUnescape(U"&lt;&gt;&amp;&quot;&apos;&nbsp;")), "<>&\"'\u00a0");
    EXPECT_EQ(u8(text::htmlUnescape(U"&notit; &ampx &#x263a &#9731;")),
              "\u00acit; &x \u263a \u2603");
}

TEST(TextClean, CollapsesUnicodeWhitespace) {
    EXPECT_EQ(cleanPromptText("\t a \u00a0\u2009 b\r\n\u3000c \u2028"), "a b c");
    // Zero-width space is not whitespace; it stays.
    EXPECT_EQ(cleanPromptText("a\u200bb"), "a\u200bb");
    EXPECT_EQ(u8(text::collapseWhitespace(U"  x  y  ")), "x y");
    EXPECT_EQ(cleanPromptText(""), "");
    EXPECT_EQ(cleanPromptText(" \n\t "), "");
}

TEST(TextClean, RepairsMojibake) {
    EXPECT_EQ(cleanPromptText("a cafÃ© on the Champs-Ã‰lysÃ©es"), "a café on the Champs-Élysées");
    EXPECT_EQ(cleanPromptText("â€œHelloâ€\u009d, she saidâ€¦"), "\"Hello\", she said…");
    EXPECT_EQ(cleanPromptText("a dog ðŸ\u0090¶"), "a dog 🐶");
    EXPECT_EQ(u8(text::fixEncoding(U"Ã\u0083Â©")), "é"); // nested twice
    // Text that only looks a little like mojibake stays.
    EXPECT_EQ(cleanPromptText("„Straße“"), "\"Straße\"");
    EXPECT_EQ(cleanPromptText("naïve café"), "naïve café");
}

TEST(TextClean, NormalisesToNfcButNotNfkc) {
    EXPECT_EQ(cleanPromptText("Cafe\u0301"), "Caf\u00e9");
    EXPECT_EQ(cleanPromptText("\u212b"), "\u00c5");
    // ftfy does its own compatibility fixes: widths and Latin ligatures ...
    EXPECT_EQ(cleanPromptText("\uff21\uff22\uff23\u3000\uff11\uff12\uff13"), "ABC 123");
    EXPECT_EQ(cleanPromptText("\ufb00\ufb01\ufb02\ufb03\ufb04"), "fffiflffiffl");
    // ... but no NFKC: superscripts, roman numerals and circled digits stay as they are
    // (SentencePiece's nmt_nfkc normaliser maps them when it tokenizes).
    EXPECT_EQ(cleanPromptText("x\u00b2 \u2163 \u2460 \u00bd"), "x\u00b2 \u2163 \u2460 \u00bd");
}

TEST(TextClean, RemovesControlsAndTerminalEscapes) {
    EXPECT_EQ(cleanPromptText("\ufeffa\x01"
                              "b\x1b[1;31mc\x1b[0m"),
              "abc");
    // \v is one of the controls ftfy drops; \t and \f are whitespace.
    EXPECT_EQ(cleanPromptText("tab\tand\fform\vfeed"), "tab and formfeed");
}

TEST(TextClean, MalformedUtf8BecomesReplacementCharacters) {
    EXPECT_EQ(cleanPromptText(std::string("a\xff"
                                          "b\xc3",
                                          4)),
              "a\ufffdb\ufffd");
    EXPECT_EQ(text::decodeUtf8(std::string("\xe2\x82", 2)), std::u32string(U"\ufffd"));
    EXPECT_EQ(text::decodeUtf8(std::string("\xed\xa0\xbd\xed\xb8\x80", 6)),
              std::u32string(U"\U0001F600")); // CESU-8 pair
}

TEST(Unicode, NfcMatchesPythonOnEveryDecomposableCharacter) {
    const json::Value doc = readJson("text/nfc_cases.json");
    const auto& cases = doc.at("cases").asArray();
    ASSERT_GT(cases.size(), 2500u);
    int failures = 0;
    for (const auto& c : cases) {
        const std::u32string in = text::decodeUtf8(c.at("input").asString());
        const std::string got = u8(text::nfc(in));
        if (got != c.at("nfc").asString() && ++failures <= 10) {
            ADD_FAILURE() << "NFC of " << c.at("input").asString() << ": got " << got << ", want "
                          << c.at("nfc").asString();
        }
    }
    EXPECT_EQ(failures, 0);
    EXPECT_STREQ(text::unicodeVersion(), doc.at("unicode").asString().c_str());
}

TEST(Unicode, CombiningClassesAndHangul) {
    EXPECT_EQ(text::combiningClass(U'a'), 0);
    EXPECT_EQ(text::combiningClass(0x0301), 230);
    EXPECT_EQ(text::combiningClass(0x0323), 220);
    EXPECT_EQ(u8(text::nfc(U"\u1100\u1161\u11a8")), "\uac01");
    EXPECT_EQ(u8(text::nfc(U"\uac00\u11a8")), "\uac01");
    // A composition exclusion stays decomposed.
    EXPECT_EQ(u8(text::nfc(U"\u0958")), "\u0915\u093c");
}

} // namespace
