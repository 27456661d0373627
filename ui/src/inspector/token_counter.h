#pragma once
// Counts a prompt's tokens against the text encoder's limit (512 rows: UMT5's text_len), for the
// inspector's live count. Finding and loading the tokenizer (discovering the model folder,
// reading spiece.model) and tokenizing run off the UI thread as a Job; requests are debounced,
// the latest one wins. Without a tokenizer (a build without SentencePiece, a model folder with
// none) the count is an estimate from the text's length, and says so.

#include <QObject>
#include <QString>

#include <memory>

class QTimer;

namespace sfs::ui {

class Job;

class PromptTokenCounter : public QObject {
    Q_OBJECT
public:
    static constexpr int kTokenLimit = 512; // including the closing </s>

    explicit PromptTokenCounter(QObject* parent = nullptr);
    ~PromptTokenCounter() override;

    // The project's model folder ("" = the built-in demo model); its tokenizer is used. True
    // when it changed (counts made so far used another tokenizer).
    bool setModelFolder(const QString& folder);
    // How long the text must stay unchanged before it is counted (default 150 ms).
    void setDebounceMs(int ms);
    // Counts `text` once it has stayed for the debounce time; then counted() follows.
    void request(const QString& text);

    // A guess without a tokenizer: about one SentencePiece piece per word plus one per 6
    // characters of longer words, and the closing </s>; 0 for empty text.
    static int estimateTokens(const QString& text);

Q_SIGNALS:
    // `tokens` includes the closing </s> (0 for empty text). `exact` false: an estimate, and
    // `why` says why no tokenizer was used.
    void counted(int tokens, bool exact, const QString& why);

private:
    void start();

    struct Shared; // the loaded tokenizers, shared with the workers
    std::shared_ptr<Shared> m_shared;
    QTimer* m_debounce = nullptr;
    Job* m_job = nullptr;
    QString m_text;
    QString m_modelFolder;
    bool m_pending = false; // a request arrived while a count ran
};

} // namespace sfs::ui
