#include "sfs/core/render/take_export.h"

#include "sfs/core/media/image_file.h"
#include "sfs/core/render/provenance.h"
#include "sfs/core/render/take_recorder.h"

#include <QDir>
#include <QJsonDocument>
#include <QThread>

#include <algorithm>

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

TakeExportResult exportGrowingTake(const Project& project, const QString& projectPath,
                                   const QString& assetsDir, const TakeExportRequest& request,
                                   const GrowingTake& growth,
                                   const std::function<bool(int, int)>& keepGoing) {
    TakeExportResult result;
    result.output = request.output;
    const Take* take = findTake(project, request.takeId, &result.error);
    if (take == nullptr) {
        return result;
    }
    result.takeId = take->id;
    if (take->framesPath.isEmpty()) {
        result.error = QStringLiteral("take %1 stores no frames").arg(take->id);
        return result;
    }
    const int first = std::max(0, request.range.first);
    const int last = request.range.last < 0
                         ? take->durationFrames - 1
                         : std::min(request.range.last, take->durationFrames - 1);
    if (first > last) {
        result.error = QStringLiteral("take %1: frames %2 to %3 are not in its %4 frames")
                           .arg(take->id)
                           .arg(request.range.first)
                           .arg(request.range.last)
                           .arg(take->durationFrames);
        return result;
    }
    VideoOptions video = request.video;
    ImageSequenceOptions sequence = request.sequence;
    if (request.withProvenance) {
        // The clip carries the take as planned (complete), as `render -o` does.
        Take planned = *take;
        planned.status = TakeStatus::Complete;
        planned.chunksCompleted = planned.chunksPlanned();
        const QByteArray json =
            QJsonDocument(makeTakeProvenance(project, planned, projectPath, assetsDir, first, last,
                                             request.rate, &result.notices))
                .toJson(QJsonDocument::Compact);
        video.provenanceJson = json;
        sequence.provenanceJson = json;
    }
    std::unique_ptr<QueuedFrameWriter> writer = createWriter(request.output, video, sequence);
    if (!writer->begin(
            StreamFormat{QSize(take->settings.width, take->settings.height), request.rate})) {
        result.error = writer->errorString();
        return result;
    }
    const QDir folder(QDir(assetsDir).filePath(take->framesPath));
    const int total = last - first + 1;
    const auto cancel = [&] {
        result.cancelled = true;
        result.ok = writer->cancel();
        result.error = writer->errorString();
        result.notices += writer->notices();
        return result;
    };
    int next = first;
    for (;;) {
        // `ended` first: once it is set, framesReady is final.
        const bool ended = growth.ended.load();
        const int ready = std::min(growth.framesReady.load(), last + 1);
        for (; next < ready; ++next) {
            if (keepGoing && !keepGoing(next - first, total)) {
                return cancel();
            }
            const QString path = folder.filePath(TakeRecorder::frameFileName(next));
            QString error;
            const Frame frame = readImageFile(path, &error);
            if (frame.isNull() || !writer->write(frame)) {
                writer->abort();
                result.error = frame.isNull() ? error : writer->errorString();
                return result;
            }
            ++result.framesWritten;
        }
        if (next > last || ended) {
            break;
        }
        if (keepGoing && !keepGoing(next - first, total)) {
            return cancel();
        }
        QThread::msleep(40); // the next chunk is being generated
    }
    if (result.framesWritten == 0) {
        writer->cancel();
        result.error = QStringLiteral("take %1 ended before frame %2").arg(take->id).arg(first);
        return result;
    }
    if (next <= last) {
        result.notices << QStringLiteral("take %1 stopped: the export holds its first %2 frames")
                              .arg(take->id)
                              .arg(next);
    }
    result.ok = writer->finish();
    result.error = writer->errorString();
    result.notices += writer->notices();
    return result;
}

} // namespace sfs::core
