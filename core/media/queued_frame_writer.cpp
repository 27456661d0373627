#include "sfs/core/media/queued_frame_writer.h"

#include "frame_encoder.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace sfs::core {

using media_detail::FrameEncoder;
using media_detail::MediaError;

using media_detail::sizeText;

struct QueuedFrameWriter::State {
    enum class Phase { Idle, Running, Stopping, Done };

    std::unique_ptr<FrameEncoder> encoder;
    int capacity = 8;
    PartialOutput onCancel = PartialOutput::Remove;

    mutable std::mutex mutex;
    std::condition_variable frameReady; // the writer thread waits for frames or a stop
    std::condition_variable roomFree;   // producers wait for room in the queue
    std::deque<Frame> queue;
    Phase phase = Phase::Idle;
    bool discardOutput = false; // stop without completing: drop queued frames, remove output
    bool noFramesIsError = true;
    bool failed = false;
    QString error;
    QStringList notices;
    StreamFormat format;
    std::atomic<int> written{0};
    std::atomic<int> encoded{0};

    std::mutex joinMutex;
    std::thread worker;

    // Records the first failure and wakes everyone. Caller holds `mutex`.
    void failLocked(const QString& message) {
        if (!failed) {
            failed = true;
            error = message;
        }
        frameReady.notify_all();
        roomFree.notify_all();
    }
    void fail(const QString& message) {
        std::lock_guard<std::mutex> lock(mutex);
        failLocked(message);
    }

    void run() {
        for (;;) {
            Frame frame;
            {
                std::unique_lock<std::mutex> lock(mutex);
                frameReady.wait(lock, [&] {
                    return failed || discardOutput || !queue.empty() || phase != Phase::Running;
                });
                if (failed || discardOutput || queue.empty()) {
                    break;
                }
                frame = std::move(queue.front());
                queue.pop_front();
                roomFree.notify_one();
            }
            try {
                encoder->encode(frame);
                ++encoded;
            } catch (const MediaError& e) {
                fail(e.message());
                break;
            } catch (const std::exception& e) {
                fail(QStringLiteral("%1: %2").arg(encoder->outputPath(),
                                                  QString::fromUtf8(e.what())));
                break;
            }
        }
        bool complete = false;
        bool noFramesIsErr = true;
        {
            std::lock_guard<std::mutex> lock(mutex);
            complete = !failed && !discardOutput;
            noFramesIsErr = noFramesIsError;
        }
        if (complete && encoded == 0) {
            if (noFramesIsErr) {
                fail(QStringLiteral("%1: no frames were written, so no file was made")
                         .arg(encoder->outputPath()));
            }
            complete = false;
        }
        if (complete) {
            try {
                encoder->complete();
                return;
            } catch (const MediaError& e) {
                fail(e.message());
            } catch (const std::exception& e) {
                fail(QStringLiteral("%1: %2").arg(encoder->outputPath(),
                                                  QString::fromUtf8(e.what())));
            }
        }
        encoder->discard();
    }

    // Ends the export: `complete` encodes what is queued and completes the output; otherwise
    // the queue is dropped and the output removed. Waits for the writer thread.
    bool stop(bool complete, bool noFramesIsErr) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (phase == Phase::Idle) {
                phase = Phase::Done;
                return true;
            }
            if (phase == Phase::Running) {
                phase = Phase::Stopping;
                noFramesIsError = noFramesIsErr;
            }
            if (!complete) {
                discardOutput = true;
                queue.clear();
            }
            frameReady.notify_all();
            roomFree.notify_all();
        }
        {
            std::lock_guard<std::mutex> join(joinMutex);
            if (worker.joinable()) {
                worker.join();
            }
        }
        std::lock_guard<std::mutex> lock(mutex);
        phase = Phase::Done;
        return !failed;
    }
};

QueuedFrameWriter::QueuedFrameWriter(std::unique_ptr<FrameEncoder> encoder, int queueCapacity,
                                     PartialOutput onCancel)
    : d(std::make_unique<State>()) {
    d->encoder = std::move(encoder);
    d->capacity = std::max(1, queueCapacity);
    d->onCancel = onCancel;
}

QueuedFrameWriter::~QueuedFrameWriter() {
    cancel();
}

bool QueuedFrameWriter::begin(const StreamFormat& format) {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        if (d->phase != State::Phase::Idle) {
            d->failLocked(QStringLiteral("%1: begin() was called twice").arg(outputPath()));
            return false;
        }
    }
    QString problem;
    if (format.frameSize.width() <= 0 || format.frameSize.height() <= 0) {
        problem =
            QStringLiteral("the frame size %1 is not a valid size").arg(sizeText(format.frameSize));
    } else if (!format.rate.isValid()) {
        problem = QStringLiteral("the frame rate %1/%2 is not a valid rate")
                      .arg(format.rate.num)
                      .arg(format.rate.den);
    }
    QStringList notices;
    if (problem.isEmpty()) {
        try {
            d->encoder->open(format, notices);
        } catch (const MediaError& e) {
            problem = e.message();
        } catch (const std::exception& e) {
            problem = QStringLiteral("%1: %2").arg(outputPath(), QString::fromUtf8(e.what()));
        }
    } else {
        problem = QStringLiteral("%1: %2").arg(outputPath(), problem);
    }
    std::lock_guard<std::mutex> lock(d->mutex);
    if (!problem.isEmpty()) {
        d->failLocked(problem);
        d->phase = State::Phase::Done;
        return false;
    }
    d->format = format;
    d->notices = notices;
    d->phase = State::Phase::Running;
    d->worker = std::thread([this] { d->run(); });
    return true;
}

bool QueuedFrameWriter::write(const Frame& frame) {
    std::unique_lock<std::mutex> lock(d->mutex);
    if (d->failed) {
        return false;
    }
    if (d->phase != State::Phase::Running) {
        if (d->phase == State::Phase::Idle) {
            d->failLocked(QStringLiteral("%1: write() before begin()").arg(outputPath()));
        }
        return false; // stopped: the frame is not part of the export
    }
    if (frame.size() != d->format.frameSize) {
        d->failLocked(QStringLiteral("%1: frame %2 is %3, but the export was started for %4")
                          .arg(outputPath())
                          .arg(d->written.load())
                          .arg(sizeText(frame.size()), sizeText(d->format.frameSize)));
        return false;
    }
    d->roomFree.wait(lock, [&] {
        return int(d->queue.size()) < d->capacity || d->failed || d->phase != State::Phase::Running;
    });
    if (d->failed || d->phase != State::Phase::Running) {
        return false;
    }
    d->queue.push_back(frame);
    ++d->written;
    d->frameReady.notify_one();
    return true;
}

QueuedFrameWriter::WriteStatus QueuedFrameWriter::tryWrite(const Frame& frame) {
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        if (d->phase == State::Phase::Running && !d->failed &&
            int(d->queue.size()) >= d->capacity) {
            return WriteStatus::QueueFull;
        }
    }
    // Only the producer thread adds frames, so there is room now and write() will not block.
    return write(frame) ? WriteStatus::Accepted : WriteStatus::Failed;
}

bool QueuedFrameWriter::finish() {
    return d->stop(true, true);
}

bool QueuedFrameWriter::cancel() {
    return d->stop(d->onCancel == PartialOutput::Keep, false);
}

void QueuedFrameWriter::abort() {
    d->stop(false, false);
}

QString QueuedFrameWriter::errorString() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->error;
}

QString QueuedFrameWriter::outputPath() const {
    return d->encoder->outputPath();
}

int QueuedFrameWriter::framesWritten() const {
    return d->written.load();
}

int QueuedFrameWriter::framesEncoded() const {
    return d->encoded.load();
}

QStringList QueuedFrameWriter::notices() const {
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->notices;
}

} // namespace sfs::core
