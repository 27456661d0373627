#include "sfs/core/render/take_export.h"

#include "sfs/core/render/provenance.h"

#include <QJsonDocument>

namespace sfs::core {

TakeExportResult exportTake(const Project& project, const QString& projectPath,
                            const QString& assetsDir, const TakeExportRequest& request,
                            const std::function<bool(int, int)>& keepGoing) {
    TakeExportResult result;
    result.output = request.output;
    const Take* take = findTake(project, request.takeId, &result.error);
    if (take == nullptr) {
        return result;
    }
    result.takeId = take->id;
    std::unique_ptr<FrameSource> source = openTakeFrames(*take, assetsDir, &result.error);
    if (!source) {
        return result;
    }
    int first = 0;
    int last = 0;
    if (!request.range.resolve(source->frameCount(), &first, &last, &result.error)) {
        result.error = QStringLiteral("take %1: %2").arg(take->id, result.error);
        return result;
    }
    VideoOptions video = request.video;
    ImageSequenceOptions sequence = request.sequence;
    if (request.withProvenance) {
        const QByteArray json =
            QJsonDocument(makeTakeProvenance(project, *take, projectPath, assetsDir, first, last,
                                             request.rate, &result.notices))
                .toJson(QJsonDocument::Compact);
        video.provenanceJson = json;
        sequence.provenanceJson = json;
    }
    std::unique_ptr<QueuedFrameWriter> writer = createWriter(request.output, video, sequence);
    static_cast<ExportResult&>(result) =
        exportFrames(*source, *writer, request.range, request.rate, keepGoing);
    result.notices += writer->notices();
    return result;
}

} // namespace sfs::core
