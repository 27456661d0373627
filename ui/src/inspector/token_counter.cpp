#include "inspector/token_counter.h"

#include "sfs/inference/model_discovery.h"
#include "sfs/inference/text.h"
#include "sfs/ui/job.h"

#include <QRegularExpression>
#include <QTimer>

#include <map>
#include <mutex>
#include <stdexcept>

namespace sfs::ui {

namespace {

struct CountResult {
    int tokens = 0;
    bool exact = false;
    QString why;
};

// The SentencePiece model of a model folder ("" = the demo model); throws when there is none.
std::string findTokenizer(const QString& folder) {
    const std::string where =
        folder.isEmpty() ? std::string(inference::kDemoModelName) : folder.toStdString();
    const inference::ModelInventory inventory = inference::discoverModels(where);
    const inference::DiscoveredFile* file =
        inventory.best(inference::ModelRole::Tokenizer, [](const inference::DiscoveredFile& f) {
            return f.tokenizer && f.tokenizer->kind == "SentencePiece model";
        });
    if (file == nullptr) {
        throw std::runtime_error(inventory.root + " has no SentencePiece tokenizer (spiece.model)");
    }
    return file->path;
}

} // namespace

struct PromptTokenCounter::Shared {
    std::mutex mutex;
    // Per model folder: the tokenizer, or why there is none (asked once per folder).
    std::map<QString, std::shared_ptr<const inference::Tokenizer>> tokenizers;
    std::map<QString, QString> problems;

    // Loads on first use; the caller is a worker.
    std::shared_ptr<const inference::Tokenizer> tokenizerFor(const QString& folder, QString& why) {
        std::lock_guard lock(mutex);
        if (auto it = tokenizers.find(folder); it != tokenizers.end()) {
            return it->second;
        }
        if (auto it = problems.find(folder); it != problems.end()) {
            why = it->second;
            return nullptr;
        }
        std::string unavailable;
        try {
            if (!inference::tokenizerAvailable(&unavailable)) {
                throw std::runtime_error(unavailable);
            }
            auto tokenizer = inference::Tokenizer::open(findTokenizer(folder));
            tokenizers[folder] = tokenizer;
            return tokenizer;
        } catch (const std::exception& e) {
            why = QString::fromStdString(e.what());
            problems[folder] = why;
            return nullptr;
        }
    }
};

PromptTokenCounter::PromptTokenCounter(QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>()), m_debounce(new QTimer(this)) {
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, &PromptTokenCounter::start);
}

PromptTokenCounter::~PromptTokenCounter() = default;

bool PromptTokenCounter::setModelFolder(const QString& folder) {
    const bool changed = folder != m_modelFolder;
    m_modelFolder = folder;
    return changed;
}

void PromptTokenCounter::setDebounceMs(int ms) {
    m_debounce->setInterval(ms);
}

void PromptTokenCounter::request(const QString& text) {
    m_text = text;
    m_debounce->start();
}

int PromptTokenCounter::estimateTokens(const QString& text) {
    static const QRegularExpression kWords(QStringLiteral("\\w+|[^\\w\\s]"));
    int tokens = 0;
    auto it = kWords.globalMatch(text);
    while (it.hasNext()) {
        const qsizetype length = it.next().capturedLength();
        tokens += 1 + static_cast<int>(length / 6);
    }
    return tokens == 0 ? 0 : tokens + 1;
}

void PromptTokenCounter::start() {
    if (m_job != nullptr) {
        m_pending = true; // counted when the running one ends
        return;
    }
    const QString text = m_text;
    const QString folder = m_modelFolder;
    m_job = Job::start(
        tr("Counting prompt tokens"),
        [shared = m_shared, text, folder](JobContext&) {
            CountResult result;
            QString why;
            const auto tokenizer = shared->tokenizerFor(folder, why);
            if (tokenizer == nullptr) {
                result.tokens = estimateTokens(text);
                result.why = why;
                return result;
            }
            const std::string utf8 = text.toStdString();
            const inference::TokenizedText tokens = tokenizer->encode(utf8, kTokenLimit);
            result.tokens = tokens.pieceCount == 0 ? 0 : static_cast<int>(tokens.pieceCount) + 1;
            result.exact = true;
            return result;
        },
        this);
    connect(m_job, &Job::finished, this, [this] {
        Job* job = std::exchange(m_job, nullptr);
        job->deleteLater();
        if (m_pending) {
            m_pending = false;
            start(); // the text changed meanwhile: this count is stale
            return;
        }
        if (job->state() == Job::State::Finished) {
            const auto result = job->result<CountResult>();
            Q_EMIT counted(result.tokens, result.exact, result.why);
        } else {
            Q_EMIT counted(estimateTokens(m_text), false, job->error());
        }
    });
}

} // namespace sfs::ui
