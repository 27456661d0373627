#include "image_import.h"

#include "sfs/core/media/image_file.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/job.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>

namespace sfs::ui {

bool isImportableImage(const QString& path) {
    return core::importableImageSuffixes().contains(QFileInfo(path).suffix().toLower());
}

void importImages(core::ProjectDocument* document, const QStringList& files, QObject* context,
                  std::function<void(ImageImport)> done) {
    const QString assetsDir = document->assetsDir();
    Job* job = Job::start(
        QCoreApplication::translate("sfs::ui::ImageImport", "Importing images"),
        [files, assetsDir](JobContext& ctx) {
            ImageImport out;
            for (int i = 0; i < files.size() && !ctx.isCancelled(); ++i) {
                ctx.setProgress(i, files.size(), QFileInfo(files[i]).fileName());
                core::ImportedImage image;
                QString error;
                if (core::importImage(files[i], assetsDir, image, error)) {
                    out.images.push_back(image);
                } else {
                    out.errors << error;
                }
            }
            return out;
        },
        context);
    QPointer<core::ProjectDocument> doc(document);
    QObject::connect(job, &Job::finished, context, [job, doc, files, assetsDir, context, done] {
        job->deleteLater();
        if (doc == nullptr) {
            return;
        }
        if (doc->assetsDir() != assetsDir) {
            importImages(doc, files, context, done);
            return;
        }
        ImageImport result;
        if (job->state() == Job::State::Failed) {
            result.errors << job->error();
        } else {
            result = job->result<ImageImport>();
        }
        done(std::move(result));
    });
}

} // namespace sfs::ui
