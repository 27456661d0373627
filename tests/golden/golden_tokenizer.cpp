// Tokenizer cases: tokenizer/tokenizer_expected.safetensors holds the ids and masks Wan's
// HuggingfaceTokenizer made for the strings of tokenizer/tokenizer_cases.json (next to it),
// with tokenizer/spiece.model. Cleaned text and pieces are checked too, ids and masks exactly.

#include "golden.h"
#include "sfs/inference/text.h"

#include <ATen/ATen.h>

#include <fstream>
#include <sstream>

namespace {

using namespace sfs::golden;

json::Value readJsonFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : " ") + s;
    }
    return out;
}

void tokenizerCase(const GoldenSet& set, const std::string& file, Report& report) {
    const auto& cfg = set.configs().at("tokenizer");
    const int textLen = static_cast<int>(cfg.at("text_len").asInt());
    const std::filesystem::path dir = (set.dir / file).parent_path();
    const json::Value cases = readJsonFile(dir / "tokenizer_cases.json");
    const auto tok = sfs::inference::Tokenizer::open((dir / "spiece.model").string());

    const bool idsOk = tok->padId() == cfg.at("pad_id").asInt() &&
                       tok->eosId() == cfg.at("eos_id").asInt() &&
                       tok->unkId() == cfg.at("unk_id").asInt() &&
                       tok->vocabSize() == cfg.at("vocab_size").asInt();
    report.check("special ids", idsOk,
                 "pad " + std::to_string(tok->padId()) + ", eos " + std::to_string(tok->eosId()) +
                     ", unk " + std::to_string(tok->unkId()) + ", vocab " +
                     std::to_string(tok->vocabSize()));

    const auto& list = cases.at("cases").asArray();
    const auto n = static_cast<int64_t>(list.size());
    at::Tensor ids = at::zeros({n, textLen}, at::kLong);
    at::Tensor mask = at::zeros({n, textLen}, at::kLong);
    std::vector<std::string> badCleaned;
    std::vector<std::string> badPieces;
    for (int64_t i = 0; i < n; ++i) {
        const auto& c = list[static_cast<size_t>(i)];
        const auto out = tok->encode(c.at("input").asString(), textLen);
        if (out.cleaned != c.at("cleaned").asString()) {
            badCleaned.push_back(std::to_string(i) + " ('" + out.cleaned + "')");
        }
        std::vector<std::string> want;
        for (const auto& p : c.at("pieces").asArray()) {
            want.push_back(p.asString());
        }
        if (tok->pieces(out.cleaned) != want ||
            out.pieceCount != static_cast<int64_t>(want.size())) {
            badPieces.push_back(std::to_string(i));
        }
        for (int j = 0; j < textLen; ++j) {
            ids[i][j] = out.ids[static_cast<size_t>(j)];
            mask[i][j] = out.mask[static_cast<size_t>(j)];
        }
    }
    report.check("cleaned text", badCleaned.empty(),
                 badCleaned.empty()
                     ? std::to_string(n) + " of " + std::to_string(n) + " cases match"
                     : "cases differ: " + joined(badCleaned));
    report.check("pieces", badPieces.empty(),
                 badPieces.empty() ? std::to_string(n) + " of " + std::to_string(n) + " cases match"
                                   : "cases differ: " + joined(badPieces));
    const auto st = set.open(file);
    report.compareExact("input_ids", ids, st->load("input_ids"));
    report.compareExact("attention_mask", mask, st->load("attention_mask"));
}

} // namespace

SFS_GOLDEN_CASE("tokenizer", "tokenizer/tokenizer_expected\\.safetensors", tokenizerCase);
