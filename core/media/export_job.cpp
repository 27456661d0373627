#include "sfs/core/media/export_job.h"

#include "sfs/core/media/image_sequence_writer.h"
#include "sfs/core/media/mp4_writer.h"

#include <QFileInfo>

namespace sfs::core {

bool isVideoPath(const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    return ext == QLatin1String("mp4") || ext == QLatin1String("m4v") ||
           ext == QLatin1String("mov");
}

std::unique_ptr<QueuedFrameWriter> createWriter(const QString& path, const VideoOptions& video,
                                                const ImageSequenceOptions& sequence) {
    if (isVideoPath(path)) {
        return std::make_unique<Mp4Writer>(path, video);
    }
    return std::make_unique<ImageSequenceWriter>(path, sequence);
}

ExportResult exportFrames(FrameSource& source, FrameSink& sink, const FrameRange& range,
                          FrameRate rate, const std::function<bool(int, int)>& keepGoing) {
    ExportResult result;
    int first = 0;
    int last = 0;
    if (!range.resolve(source.frameCount(), &first, &last, &result.error)) {
        return result;
    }
    if (!sink.begin(StreamFormat{source.frameSize(), rate})) {
        result.error = sink.errorString();
        return result;
    }
    const int total = last - first + 1;
    for (int i = first; i <= last; ++i) {
        if (keepGoing && !keepGoing(i - first, total)) {
            result.cancelled = true;
            result.ok = sink.cancel();
            result.error = sink.errorString();
            return result;
        }
        QString error;
        const Frame frame = source.frame(i, &error);
        if (frame.isNull()) {
            sink.abort();
            result.error = error;
            return result;
        }
        if (!sink.write(frame)) {
            sink.abort();
            result.error = sink.errorString();
            return result;
        }
        ++result.framesWritten;
    }
    result.ok = sink.finish();
    result.error = sink.errorString();
    return result;
}

} // namespace sfs::core
