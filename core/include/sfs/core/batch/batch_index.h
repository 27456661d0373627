#pragma once
// `sfstudio-cli batch collect`: an index.html beside a batch's outputs, with the first frame of
// each finished item, its seed and project, and a link to its clip or folder of frames.

#include "sfs/core/batch/batch_file.h"

#include <QString>
#include <QStringList>

namespace sfs::core {

struct BatchIndex {
    QString path;        // the index.html written
    int itemsDone = 0;   // items whose output exists (shown with their first frame)
    QStringList notices; // outputs whose first frame could not be read (named)
};

// The folder the index goes into: the deepest folder that holds every item's output.
QString batchIndexFolder(const Batch& batch);

// Writes <batchIndexFolder>/index.html and the first frames as PNGs in index_files/ (atomically,
// each file whole). Items not done yet are listed as such. Throws std::runtime_error naming the
// file that could not be written.
BatchIndex writeBatchIndex(const Batch& batch);

} // namespace sfs::core
