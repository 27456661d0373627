#pragma once
// The C interface of the sfs_sentencepiece module (sentencepiece_module.cpp), which the
// tokenizer loads at run time with dlopen(RTLD_LOCAL | RTLD_DEEPBIND). It exists because
// libsentencepiece embeds its own protobuf-lite and exports its symbols: linked into a program
// that also loads LibTorch's libprotobuf, static initialisation crashes. Plain C types only, so
// the module and the programs need not share a C++ ABI. Every function catches everything.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Bumped whenever a signature below changes; the loader refuses other versions.
#define SFS_SPM_API_VERSION 1

typedef struct sfs_spm sfs_spm;               // a loaded model
typedef struct sfs_spm_pieces sfs_spm_pieces; // the result of one encode

int sfs_spm_api_version(void);
// The SentencePiece library version the module was built against.
const char* sfs_spm_library_version(void);

// Loads a model file. On failure returns NULL and writes a message into err.
sfs_spm* sfs_spm_load(const char* path, char* err, size_t err_size);
void sfs_spm_free(sfs_spm* model);

int sfs_spm_piece_count(const sfs_spm* model);
// Special ids as the model declares them (-1 when it has none).
int sfs_spm_pad_id(const sfs_spm* model);
int sfs_spm_eos_id(const sfs_spm* model);
int sfs_spm_unk_id(const sfs_spm* model);
// The id of a piece (the unk id when the model has no such piece).
int sfs_spm_piece_to_id(const sfs_spm* model, const char* piece, size_t len);
// The piece of an id, NUL-terminated and owned by the model; NULL when out of range.
const char* sfs_spm_id_to_piece(const sfs_spm* model, int id);

// Encodes UTF-8 text (the model's normaliser applies). with_surface != 0 also keeps the
// surface pieces. On failure returns NULL and writes a message into err.
sfs_spm_pieces* sfs_spm_encode(const sfs_spm* model, const char* text, size_t len, int with_surface,
                               char* err, size_t err_size);
size_t sfs_spm_pieces_size(const sfs_spm_pieces* pieces);
int sfs_spm_pieces_id(const sfs_spm_pieces* pieces, size_t i);
// The surface piece i (NUL-terminated), or NULL when not kept.
const char* sfs_spm_pieces_surface(const sfs_spm_pieces* pieces, size_t i);
void sfs_spm_pieces_free(sfs_spm_pieces* pieces);

#ifdef __cplusplus
}
#endif
