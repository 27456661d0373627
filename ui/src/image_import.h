#pragma once
// Importing image files into a project's assets folder, off the UI thread: a Job
// (sfs/ui/job.h) copies each file with core::importImage (decoded to check it, stored under its
// content hash) and the caller pushes its undo commands on the UI thread when it has finished.
// The one importer of the studio: keyframe images (the timeline's drop and "replace image":
// AddKeyframeCommand, SetKeyframeImageCommand) and the project's VACE reference image (the
// inspector: SetRenderSettingsCommand).

#include "sfs/core/project/asset_store.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QObject;

namespace sfs::core {
class ProjectDocument;
}

namespace sfs::ui {

struct ImageImport {
    std::vector<core::ImportedImage> images; // in the order of the files given
    QStringList errors;                      // one sentence per file that could not be imported
};

// Imports `files` into `document`'s assets folder as a job, then calls `done` on the UI thread
// (not when `context` was destroyed first). When the assets folder moved while the job ran (an
// untitled project's first save), the files are imported again into the new one, so the
// commands never reference an asset the project's folder lacks.
void importImages(core::ProjectDocument* document, const QStringList& files, QObject* context,
                  std::function<void(ImageImport)> done);

// Whether `path`'s suffix is one of the importable image formats (for drag-and-drop).
bool isImportableImage(const QString& path);

} // namespace sfs::ui
