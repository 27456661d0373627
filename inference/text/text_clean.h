#pragma once
// The steps of the reference prompt cleaning, exposed for tests. cleanPromptText() in
// sfs/inference/text.h chains them.

#include <string>

namespace sfs::inference::text {

// The subset of ftfy 6.3.1 fix_text (default options) described in text_clean.cpp.
std::u32string fixText(const std::u32string& text);

// ftfy's mojibake repair alone (UTF-8 read as Latin-1 / Windows-1252), repeated until stable.
std::u32string fixEncoding(const std::u32string& text);

// Python's html.unescape (HTML5 rules: named references with and without ';', the longest
// legacy prefix, numeric references with the Windows-1252 fix-ups and invalid code points).
std::u32string htmlUnescape(const std::u32string& text);

// regex.sub(r'\s+', ' ', text).strip() with Unicode \s; strips Python's str.isspace set.
std::u32string collapseWhitespace(const std::u32string& text);

} // namespace sfs::inference::text
