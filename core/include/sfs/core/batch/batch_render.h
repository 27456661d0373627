#pragma once
// A batch item as a render: the same overrides `sfstudio-cli render` would get for it, and the
// check of every item (its project, its render settings, its model) before anything runs.

#include "sfs/core/batch/batch_file.h"
#include "sfs/core/render/render_job.h"

#include <QString>

#include <vector>

namespace sfs::core {

// The item's settings as the render's overrides: seed, frames, model, decoder, size. The one
// place where an item field becomes a render setting.
RenderOverrides renderOverridesFor(const BatchItem& item);

struct BatchProblem {
    int item = -1;   // the item's index
    QString label;   // BatchItem::label()
    QString entry;   // its entry's JSON pointer
    QString problem; // naming the project or model file
};

// Opens every item's project (its assets must exist), plans its render as `render` would and
// resolves its model (each model once; "demo" writes the built-in model's files to the user
// cache, as any use of it does). Returns every problem found; empty when all items can run.
// Reads keyframe images: not for the UI thread.
std::vector<BatchProblem> checkBatch(const Batch& batch);

} // namespace sfs::core
