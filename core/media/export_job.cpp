#include "sfs/core/export_job.h"

#include "sfs/core/frame_files.h"
#include "sfs/core/image_sequence_writer.h"
#include "sfs/core/mp4_writer.h"

#include <QFileInfo>

namespace sfs::core {

bool ImageFolderSource::open(const QString& folder, QString* error) {
    m_files = listFrameFiles(folder, error);
    if (m_files.isEmpty()) {
        if (error->isEmpty()) {
            *error = QStringLiteral("%1: the folder holds no image files (png, jpg, tif, exr, …)")
                         .arg(folder);
        }
        return false;
    }
    const Frame first = readFrameFile(m_files.first(), error);
    if (first.isNull()) {
        return false;
    }
    m_size = first.size();
    return true;
}

Frame ImageFolderSource::frame(int index, QString* error) {
    if (index < 0 || index >= m_files.size()) {
        *error = QStringLiteral("frame %1 is outside the folder's %2 frames")
                     .arg(index)
                     .arg(m_files.size());
        return {};
    }
    Frame f = readFrameFile(m_files[index], error);
    if (!f.isNull() && f.size() != m_size) {
        *error = QStringLiteral("%1: the image is %2×%3, but the sequence's first frame is %4×%5")
                     .arg(m_files[index])
                     .arg(f.width())
                     .arg(f.height())
                     .arg(m_size.width())
                     .arg(m_size.height());
        return {};
    }
    return f;
}

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
