// sfs_sentencepiece: a loadable module that wraps libsentencepiece behind the C interface of
// sentencepiece_api.h. Only this module links libsentencepiece; see that header for why.

#include "text/sentencepiece_api.h"

#include <sentencepiece_processor.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#define SFS_SPM_EXPORT extern "C" __attribute__((visibility("default")))

struct sfs_spm {
    sentencepiece::SentencePieceProcessor processor;
};

struct sfs_spm_pieces {
    std::vector<int> ids;
    std::vector<std::string> surface;
};

namespace {
void setError(char* err, size_t size, const std::string& message) {
    if (err != nullptr && size > 0) {
        std::snprintf(err, size, "%s", message.c_str());
    }
}
} // namespace

SFS_SPM_EXPORT int sfs_spm_api_version(void) {
    return SFS_SPM_API_VERSION;
}

SFS_SPM_EXPORT const char* sfs_spm_library_version(void) {
#ifdef SFS_SPM_LIBRARY_VERSION
    return SFS_SPM_LIBRARY_VERSION;
#else
    return "unknown";
#endif
}

SFS_SPM_EXPORT sfs_spm* sfs_spm_load(const char* path, char* err, size_t err_size) {
    try {
        auto model = std::make_unique<sfs_spm>();
        const auto status = model->processor.Load(path);
        if (!status.ok()) {
            setError(err, err_size, status.ToString());
            return nullptr;
        }
        return model.release();
    } catch (const std::exception& e) {
        setError(err, err_size, e.what());
    } catch (...) {
        setError(err, err_size, "unknown error");
    }
    return nullptr;
}

SFS_SPM_EXPORT void sfs_spm_free(sfs_spm* model) {
    delete model;
}

SFS_SPM_EXPORT int sfs_spm_piece_count(const sfs_spm* model) {
    return model->processor.GetPieceSize();
}

SFS_SPM_EXPORT int sfs_spm_pad_id(const sfs_spm* model) {
    return model->processor.pad_id();
}
SFS_SPM_EXPORT int sfs_spm_eos_id(const sfs_spm* model) {
    return model->processor.eos_id();
}
SFS_SPM_EXPORT int sfs_spm_unk_id(const sfs_spm* model) {
    return model->processor.unk_id();
}

SFS_SPM_EXPORT int sfs_spm_piece_to_id(const sfs_spm* model, const char* piece, size_t len) {
    try {
        return model->processor.PieceToId(std::string(piece, len));
    } catch (...) {
        return -1;
    }
}

SFS_SPM_EXPORT const char* sfs_spm_id_to_piece(const sfs_spm* model, int id) {
    if (id < 0 || id >= model->processor.GetPieceSize()) {
        return nullptr;
    }
    try {
        return model->processor.IdToPiece(id).c_str();
    } catch (...) {
        return nullptr;
    }
}

SFS_SPM_EXPORT sfs_spm_pieces* sfs_spm_encode(const sfs_spm* model, const char* text, size_t len,
                                              int with_surface, char* err, size_t err_size) {
    try {
        auto out = std::make_unique<sfs_spm_pieces>();
        const std::string input(text, len);
        auto status = model->processor.Encode(input, &out->ids);
        if (status.ok() && with_surface != 0) {
            status = model->processor.Encode(input, &out->surface);
        }
        if (!status.ok()) {
            setError(err, err_size, status.ToString());
            return nullptr;
        }
        return out.release();
    } catch (const std::exception& e) {
        setError(err, err_size, e.what());
    } catch (...) {
        setError(err, err_size, "unknown error");
    }
    return nullptr;
}

SFS_SPM_EXPORT size_t sfs_spm_pieces_size(const sfs_spm_pieces* pieces) {
    return pieces->ids.size();
}

SFS_SPM_EXPORT int sfs_spm_pieces_id(const sfs_spm_pieces* pieces, size_t i) {
    return i < pieces->ids.size() ? pieces->ids[i] : -1;
}

SFS_SPM_EXPORT const char* sfs_spm_pieces_surface(const sfs_spm_pieces* pieces, size_t i) {
    return i < pieces->surface.size() ? pieces->surface[i].c_str() : nullptr;
}

SFS_SPM_EXPORT void sfs_spm_pieces_free(sfs_spm_pieces* pieces) {
    delete pieces;
}
