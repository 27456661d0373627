#pragma once
// A FrameSink that encodes on its own thread behind a bounded queue, so encoding overlaps
// generation and memory stays bounded (write() blocks while the queue is full). Mp4Writer and
// ImageSequenceWriter are this class with their own encoder.
//
// Threads: begin(), write(), tryWrite() and finish() belong to the producer thread; cancel(),
// abort(), framesEncoded() and errorString() may be called from any thread (they wake a
// producer blocked in write()).

#include "sfs/core/media/export_options.h"
#include "sfs/core/media/frame_sink.h"

#include <QStringList>

#include <memory>

namespace sfs::core {

namespace media_detail {
class FrameEncoder;
}

class QueuedFrameWriter : public FrameSink {
public:
    ~QueuedFrameWriter() override; // an unfinished export is cancelled

    QueuedFrameWriter(const QueuedFrameWriter&) = delete;
    QueuedFrameWriter& operator=(const QueuedFrameWriter&) = delete;

    bool begin(const StreamFormat& format) override;
    bool write(const Frame& frame) override;
    bool finish() override;
    bool cancel() override;
    void abort() override;
    QString errorString() const override;

    enum class WriteStatus { Accepted, QueueFull, Failed };
    // write() that never blocks: QueueFull when the producer should try again later.
    WriteStatus tryWrite(const Frame& frame);

    // The file (or, for a sequence, the pattern) this export writes to.
    QString outputPath() const;
    // Frames handed over by write() so far, and frames already encoded.
    int framesWritten() const;
    int framesEncoded() const;
    // Things the user should know that are not errors, e.g. "833×481 padded to 834×482".
    QStringList notices() const;

protected:
    QueuedFrameWriter(std::unique_ptr<media_detail::FrameEncoder> encoder, int queueCapacity,
                      PartialOutput onCancel);

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace sfs::core
