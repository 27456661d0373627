#pragma once
// The one interface every frame producer is read through, and the sources media knows: a folder
// of images and a video file. A take's stored frames open as one of these
// (sfs/core/render/take_storage.h); the generator will be another.

#include "sfs/core/media/frame.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>

namespace sfs::core {

class FrameSource {
public:
    virtual ~FrameSource() = default;
    virtual int frameCount() const = 0;
    virtual QSize frameSize() const = 0;
    // Frame `index` (0-based), or a null frame with a message naming what failed.
    virtual Frame frame(int index, QString* error) = 0;
};

// The image files of a folder in natural name order; every file must have the first one's size.
class ImageFolderSource : public FrameSource {
public:
    // Lists the folder and reads the first frame's size; false with a message on failure.
    bool open(const QString& folder, QString* error);

    int frameCount() const override { return int(m_files.size()); }
    QSize frameSize() const override { return m_size; }
    Frame frame(int index, QString* error) override;
    const QStringList& files() const { return m_files; }

private:
    QStringList m_files;
    QSize m_size;
};

// Frames decoded from a video file (any format FFmpeg reads), in presentation order. Reading
// forward is sequential; asking for an earlier frame reopens the file.
class VideoFileSource : public FrameSource {
public:
    VideoFileSource();
    ~VideoFileSource() override;
    VideoFileSource(const VideoFileSource&) = delete;
    VideoFileSource& operator=(const VideoFileSource&) = delete;

    // Opens the file and counts its frames (a full demux pass, no decoding).
    bool open(const QString& path, QString* error);
    int frameCount() const override;
    QSize frameSize() const override;
    Frame frame(int index, QString* error) override;

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace sfs::core
