#pragma once
// Finds and loads the sfs_sentencepiece module (see sentencepiece_api.h) at run time.

#include "text/sentencepiece_api.h"

#include <string>
#include <vector>

namespace sfs::inference::text {

// The module's functions, resolved from a loaded copy.
struct SentencePieceApi {
    std::string path; // the module file that was loaded
    const char* (*libraryVersion)();
    sfs_spm* (*load)(const char*, char*, size_t);
    void (*free)(sfs_spm*);
    int (*pieceCount)(const sfs_spm*);
    int (*padId)(const sfs_spm*);
    int (*eosId)(const sfs_spm*);
    int (*unkId)(const sfs_spm*);
    int (*pieceToId)(const sfs_spm*, const char*, size_t);
    const char* (*idToPiece)(const sfs_spm*, int);
    sfs_spm_pieces* (*encode)(const sfs_spm*, const char*, size_t, int, char*, size_t);
    size_t (*piecesSize)(const sfs_spm_pieces*);
    int (*piecesId)(const sfs_spm_pieces*, size_t);
    const char* (*piecesSurface)(const sfs_spm_pieces*, size_t);
    void (*piecesFree)(sfs_spm_pieces*);
};

// The environment variable that names the module file, overriding the search.
constexpr const char* kSentencePieceModuleEnv = "SFS_SENTENCEPIECE_MODULE";

// Where the module is looked for, in order: $SFS_SENTENCEPIECE_MODULE alone when set;
// otherwise next to the executable, <exe>/../<libdir>/sfstudio (a relocated install), the
// build tree, the configured install libdir.
std::vector<std::string> sentencePieceModuleCandidates();

// Loads the first candidate that exists (dlopen with RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)
// and checks its interface version. On failure returns false and says why in `error`, naming
// every place looked at. Loaded modules stay loaded for the life of the process.
bool loadSentencePieceModule(const std::vector<std::string>& candidates, SentencePieceApi& api,
                             std::string& error);

// The process-wide module: loaded on first use from sentencePieceModuleCandidates(); nullptr
// when this build has no SentencePiece or the module cannot be loaded (`error` says why).
const SentencePieceApi* sentencePieceModule(std::string* error = nullptr);

} // namespace sfs::inference::text
