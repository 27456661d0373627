#pragma once
// Prompt text for the UMT5 text encoder: the reference cleaning and the SentencePiece
// tokenizer (Wan's HuggingfaceTokenizer over google/umt5-xxl's spiece.model). Torch-free.
//
// SentencePiece is reached through a separately loaded module (libsentencepiece embeds a
// protobuf that crashes next to LibTorch's). Without it (a build with
// SFS_WITH_SENTENCEPIECE=OFF, or the module missing) text cannot be tokenized, but prompts
// can still be given as precomputed embeddings.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sfs::inference {

// Wan's cleaning (clean='whitespace'): ftfy.fix_text (the subset described in text_clean.cpp),
// html.unescape twice, strip, every run of Unicode whitespace to one space, strip.
// Input and output are UTF-8; malformed input bytes become U+FFFD.
std::string cleanPromptText(std::string_view utf8);

// One prompt as the encoder takes it.
struct TokenizedText {
    std::string cleaned;       // the cleaned text that was tokenized
    std::vector<int64_t> ids;  // text_len ids: pieces, </s>, then <pad>
    std::vector<int64_t> mask; // text_len values: 1 for pieces and </s>, 0 for padding
    int64_t length = 0;        // pieces kept + 1 (</s>) = number of 1s in mask
    int64_t pieceCount = 0;    // pieces before truncation
    bool truncated = false;    // pieceCount > text_len - 1
};

class TokenizerError : public std::runtime_error {
public:
    enum class Kind {
        Unavailable, // no SentencePiece in this build or process: use precomputed embeddings
        BadModel,    // the model file is missing, unreadable or not a SentencePiece model
        Failed,      // encoding failed, or bad arguments
    };
    TokenizerError(Kind kind, const std::string& message)
        : std::runtime_error(message), m_kind(kind) {}
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

class Tokenizer {
public:
    // Loads spiece.model. Throws TokenizerError (Unavailable or BadModel), naming the file.
    static std::shared_ptr<const Tokenizer> open(const std::string& modelPath);
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    // Cleans, tokenizes, truncates to textLen - 1 pieces, appends </s>, right-pads with <pad>.
    TokenizedText encode(std::string_view prompt, int textLen) const;

    // SentencePiece alone on already cleaned text: ids, or surface pieces ("▁cat").
    std::vector<int> pieceIds(std::string_view cleanedText) const;
    std::vector<std::string> pieces(std::string_view cleanedText) const;
    std::string idToPiece(int id) const;

    const std::string& modelPath() const;
    // What does the work, e.g. "SentencePiece 0.1.97 (module /usr/lib/sfstudio/...so)".
    std::string backend() const;
    int vocabSize() const;
    int padId() const;
    int eosId() const;
    int unkId() const;

private:
    struct Impl;
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Whether text can be tokenized in this process. When not, `why` (if given) says what is
// missing and that precomputed embeddings still work. Loads the SentencePiece module once.
bool tokenizerAvailable(std::string* why = nullptr);

// Where prompt embeddings are cached by default: $XDG_CACHE_HOME/sfstudio/prompts, else
// ~/.cache/sfstudio/prompts.
std::string defaultPromptCacheDir();

} // namespace sfs::inference
