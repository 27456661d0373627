#pragma once
// Take storage: opening the frames a take keeps in the project's assets folder as a
// FrameSource (take_recorder.h writes them).

#include "sfs/core/media/frame_source.h"
#include "sfs/core/project/project.h"

#include <QString>

#include <memory>

namespace sfs::core {

// The take with `id`, or the newest one (the last created) when `id` is empty. Null, with a
// message, when the project has no takes or none with that id.
const Take* findTake(const Project& project, const QString& id, QString* error);

// The frames a take stored in `assetsDir`: a folder of images (in natural name order) or a
// video file, at most the frames of its completed chunks (Take::framesCompleted(): frames of an
// unfinished chunk are never part of a take). Null, with a message naming the take and the path,
// when the take stored no frames (only latents, which need the model's decoder) or they cannot be
// read.
std::unique_ptr<FrameSource> openTakeFrames(const Take& take, const QString& assetsDir,
                                            QString* error);

} // namespace sfs::core
