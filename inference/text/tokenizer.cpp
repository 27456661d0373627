// The umT5 tokenizer: reference cleaning, SentencePiece through the sfs_sentencepiece module,
// truncation, </s> and padding, as Wan's HuggingfaceTokenizer(seq_len, clean='whitespace')
// with add_special_tokens=True, padding='max_length', truncation=True.
//
// Known difference from the reference's fast HF tokenizer: a prompt that literally contains a
// special-token string ("</s>", "<pad>", "<extra_id_0>") is tokenized as plain text here; HF
// maps such strings to their single ids.

#include "sfs/build_config.h"
#include "sfs/inference/text.h"
#include "sfs/sentencepiece_paths.h"
#include "text/sentencepiece_loader.h"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace sfs::inference {

namespace text {

namespace {

// RTLD_LOCAL keeps the module's protobuf out of the global scope; RTLD_DEEPBIND makes the module
// and libsentencepiece resolve their own symbols before LibTorch's libprotobuf. AddressSanitizer
// refuses RTLD_DEEPBIND outright, so sanitized builds (the fuzz preset) load with RTLD_LOCAL only.
#if defined(__SANITIZE_ADDRESS__)
#define SFS_ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SFS_ASAN_BUILD 1
#endif
#endif
#if defined(SFS_ASAN_BUILD)
constexpr int kModuleDlopenFlags = RTLD_NOW | RTLD_LOCAL;
#else
constexpr int kModuleDlopenFlags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
#endif

bool fileExists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string executableDir() {
    std::string buf(4096, '\0');
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) {
        return {};
    }
    buf.resize(static_cast<size_t>(n));
    const auto slash = buf.rfind('/');
    return slash == std::string::npos ? std::string() : buf.substr(0, slash);
}

template <typename F>
bool resolve(void* handle, const char* name, F& fn, std::string& missing) {
    fn = reinterpret_cast<F>(::dlsym(handle, name));
    if (fn == nullptr) {
        missing += std::string(missing.empty() ? "" : ", ") + name;
        return false;
    }
    return true;
}

} // namespace

std::vector<std::string> sentencePieceModuleCandidates() {
    if (const char* env = std::getenv(kSentencePieceModuleEnv); env != nullptr && *env != '\0') {
        return {env};
    }
    std::vector<std::string> out;
    const auto add = [&out](const std::string& path) {
        const std::string p = std::filesystem::path(path).lexically_normal().string();
        if (std::find(out.begin(), out.end(), p) == out.end()) {
            out.push_back(p);
        }
    };
    const std::string exeDir = executableDir();
    if (!exeDir.empty()) {
        add(exeDir + "/" SFS_SPM_MODULE_FILE);
        add(exeDir + "/" SFS_SPM_RELATIVE_DIR "/" SFS_SPM_MODULE_FILE);
    }
    add(SFS_SPM_BUILD_DIR "/" SFS_SPM_MODULE_FILE);
    add(SFS_SPM_INSTALL_DIR "/" SFS_SPM_MODULE_FILE);
    return out;
}

bool loadSentencePieceModule(const std::vector<std::string>& candidates, SentencePieceApi& api,
                             std::string& error) {
    // Every candidate is tried in turn (a stale copy must not hide a good one further on);
    // the error lists what happened at each.
    std::string looked;
    bool found = false;
    for (const std::string& path : candidates) {
        looked += "\n  " + path;
        if (!fileExists(path)) {
            looked += " (not there)";
            continue;
        }
        found = true;
        void* handle = ::dlopen(path.c_str(), kModuleDlopenFlags);
        if (handle == nullptr) {
            const char* why = ::dlerror();
            looked += std::string(" (cannot be loaded: ") +
                      (why != nullptr ? why : "unknown dlopen error") + ")";
            continue;
        }
        int (*version)() = nullptr;
        std::string missing;
        if (!resolve(handle, "sfs_spm_api_version", version, missing)) {
            looked += " (not the sfstudio SentencePiece module: it lacks sfs_spm_api_version)";
            continue;
        }
        if (version() != SFS_SPM_API_VERSION) {
            looked += " (interface version " + std::to_string(version()) + ", this program needs " +
                      std::to_string(SFS_SPM_API_VERSION) + ": a module from another build?)";
            continue;
        }
        SentencePieceApi a;
        resolve(handle, "sfs_spm_library_version", a.libraryVersion, missing);
        resolve(handle, "sfs_spm_load", a.load, missing);
        resolve(handle, "sfs_spm_free", a.free, missing);
        resolve(handle, "sfs_spm_piece_count", a.pieceCount, missing);
        resolve(handle, "sfs_spm_pad_id", a.padId, missing);
        resolve(handle, "sfs_spm_eos_id", a.eosId, missing);
        resolve(handle, "sfs_spm_unk_id", a.unkId, missing);
        resolve(handle, "sfs_spm_piece_to_id", a.pieceToId, missing);
        resolve(handle, "sfs_spm_id_to_piece", a.idToPiece, missing);
        resolve(handle, "sfs_spm_encode", a.encode, missing);
        resolve(handle, "sfs_spm_pieces_size", a.piecesSize, missing);
        resolve(handle, "sfs_spm_pieces_id", a.piecesId, missing);
        resolve(handle, "sfs_spm_pieces_surface", a.piecesSurface, missing);
        resolve(handle, "sfs_spm_pieces_free", a.piecesFree, missing);
        if (!missing.empty()) {
            looked += " (lacks " + missing + ")";
            continue;
        }
        a.path = path;
        api = a;
        return true; // never dlclose'd: libsentencepiece's static state lives until exit
    }
    error = std::string(found ? "no usable SentencePiece module"
                              : "the SentencePiece module " SFS_SPM_MODULE_FILE " was not found") +
            "; looked at:" + looked;
    return false;
}

const SentencePieceApi* sentencePieceModule(std::string* error) {
#if SFS_WITH_SENTENCEPIECE
    static std::once_flag once;
    static SentencePieceApi api;
    static bool ok = false;
    static std::string loadError;
    std::call_once(once, [] {
        ok = loadSentencePieceModule(sentencePieceModuleCandidates(), api, loadError);
    });
    if (!ok && error != nullptr) {
        *error = loadError;
    }
    return ok ? &api : nullptr;
#else
    if (error != nullptr) {
        *error = "this build has no SentencePiece (configured with SFS_WITH_SENTENCEPIECE=OFF)";
    }
    return nullptr;
#endif
}

} // namespace text

namespace {

std::string unavailableMessage(const std::string& why) {
    return "the prompt tokenizer is not available: " + why +
           ". Prompts can still be given as precomputed embeddings (a .safetensors file with a "
           "'prompt_embeds' tensor, such as an entry of the prompt cache made where the "
           "tokenizer works).";
}

} // namespace

struct Tokenizer::Impl {
    const text::SentencePieceApi* api = nullptr;
    sfs_spm* model = nullptr;
    std::string path;
    int vocab = 0;
    int pad = 0;
    int eos = 1;
    int unk = 2;

    ~Impl() {
        if (model != nullptr) {
            api->free(model);
        }
    }

    // Encodes with SentencePiece alone; throws TokenizerError naming the model.
    std::vector<int> encode(std::string_view text, std::vector<std::string>* surface) const {
        char err[512] = {0};
        sfs_spm_pieces* p = api->encode(model, text.data(), text.size(), surface != nullptr ? 1 : 0,
                                        err, sizeof err);
        if (p == nullptr) {
            throw TokenizerError(TokenizerError::Kind::Failed,
                                 path + ": SentencePiece could not encode the text: " + err);
        }
        const size_t n = api->piecesSize(p);
        std::vector<int> ids(n);
        for (size_t i = 0; i < n; ++i) {
            ids[i] = api->piecesId(p, i);
            if (surface != nullptr) {
                const char* s = api->piecesSurface(p, i);
                surface->push_back(s != nullptr ? s : "");
            }
        }
        api->piecesFree(p);
        return ids;
    }

    // The id of a special piece: the model's own declaration, else the piece by name.
    int special(int declared, const char* piece) const {
        if (declared >= 0 && declared < vocab) {
            return declared;
        }
        const int id = api->pieceToId(model, piece, std::char_traits<char>::length(piece));
        const int unknown = api->unkId(model);
        if (id < 0 || id >= vocab || (id == unknown && std::string(piece) != "<unk>")) {
            throw TokenizerError(TokenizerError::Kind::BadModel,
                                 path + ": the SentencePiece model has no " + piece +
                                     " piece, which the umT5 encoder needs");
        }
        return id;
    }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

std::shared_ptr<const Tokenizer> Tokenizer::open(const std::string& modelPath) {
    std::string why;
    const text::SentencePieceApi* api = text::sentencePieceModule(&why);
    if (api == nullptr) {
        throw TokenizerError(TokenizerError::Kind::Unavailable, unavailableMessage(why));
    }
    if (!text::fileExists(modelPath)) {
        throw TokenizerError(TokenizerError::Kind::BadModel,
                             modelPath + ": the tokenizer model (spiece.model) does not exist");
    }
    auto impl = std::make_unique<Impl>();
    impl->api = api;
    impl->path = modelPath;
    char err[512] = {0};
    impl->model = api->load(modelPath.c_str(), err, sizeof err);
    if (impl->model == nullptr) {
        throw TokenizerError(TokenizerError::Kind::BadModel,
                             modelPath + ": not a usable SentencePiece model: " + err);
    }
    impl->vocab = api->pieceCount(impl->model);
    impl->pad = impl->special(api->padId(impl->model), "<pad>");
    impl->eos = impl->special(api->eosId(impl->model), "</s>");
    impl->unk = impl->special(api->unkId(impl->model), "<unk>");
    return std::shared_ptr<const Tokenizer>(new Tokenizer(std::move(impl)));
}

TokenizedText Tokenizer::encode(std::string_view prompt, int textLen) const {
    constexpr int kMaxTextLen = 1 << 20; // far beyond any encoder; guards the allocations
    if (textLen < 1 || textLen > kMaxTextLen) {
        throw TokenizerError(TokenizerError::Kind::Failed,
                             "text length must be between 1 (room for </s>) and " +
                                 std::to_string(kMaxTextLen) + ", got " + std::to_string(textLen));
    }
    TokenizedText out;
    out.cleaned = cleanPromptText(prompt);
    const std::vector<int> ids = m_impl->encode(out.cleaned, nullptr);
    out.pieceCount = static_cast<int64_t>(ids.size());
    const int64_t keep = std::min<int64_t>(out.pieceCount, textLen - 1);
    out.truncated = keep < out.pieceCount;
    out.length = keep + 1;
    out.ids.assign(static_cast<size_t>(textLen), m_impl->pad);
    out.mask.assign(static_cast<size_t>(textLen), 0);
    for (int64_t i = 0; i < keep; ++i) {
        out.ids[static_cast<size_t>(i)] = ids[static_cast<size_t>(i)];
    }
    out.ids[static_cast<size_t>(keep)] = m_impl->eos;
    std::fill(out.mask.begin(), out.mask.begin() + out.length, 1);
    return out;
}

std::vector<int> Tokenizer::pieceIds(std::string_view cleanedText) const {
    return m_impl->encode(cleanedText, nullptr);
}

std::vector<std::string> Tokenizer::pieces(std::string_view cleanedText) const {
    std::vector<std::string> surface;
    m_impl->encode(cleanedText, &surface);
    return surface;
}

std::string Tokenizer::idToPiece(int id) const {
    const char* piece = m_impl->api->idToPiece(m_impl->model, id);
    if (piece == nullptr) {
        throw TokenizerError(TokenizerError::Kind::Failed,
                             m_impl->path + ": no piece with id " + std::to_string(id) +
                                 " (vocabulary of " + std::to_string(m_impl->vocab) + ")");
    }
    return piece;
}

const std::string& Tokenizer::modelPath() const {
    return m_impl->path;
}
std::string Tokenizer::backend() const {
    return std::string("SentencePiece ") + m_impl->api->libraryVersion() + " (module " +
           m_impl->api->path + ")";
}
int Tokenizer::vocabSize() const {
    return m_impl->vocab;
}
int Tokenizer::padId() const {
    return m_impl->pad;
}
int Tokenizer::eosId() const {
    return m_impl->eos;
}
int Tokenizer::unkId() const {
    return m_impl->unk;
}

bool tokenizerAvailable(std::string* why) {
    std::string error;
    const bool ok = text::sentencePieceModule(&error) != nullptr;
    if (!ok && why != nullptr) {
        *why = unavailableMessage(error);
    }
    return ok;
}

} // namespace sfs::inference
