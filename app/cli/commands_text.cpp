// `sfstudio-cli tokenize`: the prompt as the UMT5 encoder sees it (cleaned text, pieces, ids).

#include "commands.h"
#include "sfs/inference/text.h"

#include <ostream>

namespace sfs::cli {

void registerTextCommands(Registry& registry) {
    registry.push_back(Command{
        "tokenize",
        "Show how a prompt is cleaned and tokenized for the UMT5 text encoder",
        "TEXT",
        {{"tokenizer", "PATH", "the umT5 SentencePiece model (spiece.model)", ""},
         {"text-len", "N", "token slots of the encoder input (Wan: 512)", "512"},
         {"pieces", "", "also list the SentencePiece pieces", ""}},
        [](const CommandLine& cmd, Context& ctx) {
            if (cmd.positional().size() != 1 || cmd.str("tokenizer").empty()) {
                throw UsageError("give --tokenizer PATH and one TEXT argument");
            }
            const int textLen = cmd.integer("text-len");
            if (textLen < 1) {
                throw UsageError("--text-len must be at least 1");
            }
            const auto tok = inference::Tokenizer::open(cmd.str("tokenizer"));
            const auto out = tok->encode(cmd.positional()[0], textLen);
            ctx.out << "cleaned: " << out.cleaned << "\n";
            if (cmd.flag("pieces")) {
                ctx.out << "pieces:";
                for (const std::string& p : tok->pieces(out.cleaned)) {
                    ctx.out << " " << p;
                }
                ctx.out << "\n";
            }
            ctx.out << "ids:";
            for (int64_t i = 0; i < out.length; ++i) {
                ctx.out << " " << out.ids[static_cast<size_t>(i)];
            }
            ctx.out << "\nlength: " << out.length << " of " << textLen << " (" << out.pieceCount
                    << " pieces" << (out.truncated ? ", truncated" : "") << ", then </s>)\n"
                    << "tokenizer: " << tok->backend() << "\n";
            return 0;
        }});
}

} // namespace sfs::cli
