#pragma once
// What the model setup dialog shows about a folder: one row per role (DiT, VAE, text encoder,
// tokenizer, TAEHV) with the file found or what to look for, and the problems in plain words.
// Built from the engine's model discovery (sfs/inference/model_discovery.h, model_set.h), which
// reads file headers only; still file I/O, so build it off the UI thread (a Job).

#include "sfs/inference/model_discovery.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace sfs::ui {

struct ModelRoleRow {
    inference::ModelRole role = inference::ModelRole::Unknown;
    QString roleLabel; // "DiT", "VAE", "Text encoder", "Tokenizer", "TAEHV (preview)"
    bool required = true;
    bool found = false;    // a usable file fills the role
    QString file;          // the file used, relative to the folder
    QString dtype;         // "BF16", "F8_E4M3 (scaled) + BF16", ...
    QString size;          // "2.6 GB"
    QString configuration; // "dim 1536, 30 layers, ..." and the release it matches
    QString lookFor;       // the exact file names and where they are published
    QStringList problems;  // plain words: unusable files of this role, a misfit with the others
    QStringList notes;     // worth knowing: another candidate not used, fp8, demo, ...
};

struct ModelFolderReport {
    QString folder;           // as chosen ("" for the built-in demo model)
    bool demo = false;        // the built-in demo model: untrained, noise-like video
    bool usable = false;      // every required role found and the roles fit together
    QString error;            // the folder itself cannot be read (does not exist, ...)
    QList<ModelRoleRow> rows; // DiT, VAE, text encoder, tokenizer, TAEHV
    QStringList problems;     // every problem of every row, for a summary
};

// Inspects `folder` ("" or "demo": the built-in demo model). Never throws.
ModelFolderReport inspectModelFolder(const QString& folder);

} // namespace sfs::ui
