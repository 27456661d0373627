#pragma once
// A decode worker: one thread that takes finished chunks' latents from a queue, decodes them in
// order through one StreamDecoder and hands out 8-bit RGB frames. The engine runs one for the
// final frames (bounded queue, never drops: the denoiser waits when it is full) and optionally
// one for preview frames (the denoiser never waits; when a newer chunk is already waiting after
// a chunk is decoded, that chunk's frames are dropped, so a slow consumer sees fewer frames
// instead of later ones). Every chunk is still decoded, since a stream decoder's causal state
// needs all latents.
//
// On CUDA the worker decodes on a stream of its own, ordered after the denoiser's work on the
// chunk by an event (no host wait on the generating thread), and copies frames to the host
// through pinned memory.
#include "models/stream_decoder.h"
#include "sfs/inference/engine.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace sfs::inference::engine {

// Marks, on the generating thread, that a chunk's latents are complete on their device.
struct ChunkReady;
std::shared_ptr<ChunkReady> markChunkReady(const at::Tensor& latents);

struct DecodeItem {
    int64_t chunk = 0;
    int64_t firstLatentFrame = 0;
    at::Tensor latents; // [1, f, C, h, w] on the DiT's device
    std::shared_ptr<ChunkReady> ready;
    bool kept = false; // its frames are flagged kept (RgbFrame::kept)
};

class DecodeWorker {
public:
    enum class Policy { KeepEvery, DropWhenBehind };
    using FrameOut = std::function<void(const RgbFrame&)>;
    // After each chunk's frames: the chunk and how many frames it gave.
    using ChunkDone = std::function<void(int64_t chunk, int64_t frames)>;

    // capacity: chunks queued before push() waits (KeepEvery); DropWhenBehind never waits.
    DecodeWorker(std::unique_ptr<models::StreamDecoder> decoder, c10::Device device, Policy policy,
                 size_t capacity, FrameOut out, ChunkDone done = {});
    ~DecodeWorker(); // aborts and joins when still running
    DecodeWorker(const DecodeWorker&) = delete;
    DecodeWorker& operator=(const DecodeWorker&) = delete;

    // Queues a chunk; waits while the queue is full. False when the worker has failed or was
    // aborted (the chunk is not queued).
    bool push(DecodeItem item);
    // No more chunks: the worker decodes what is queued, then ends.
    void close();
    // Stop soon: queued chunks are dropped.
    void abort();
    // Waits for the thread; rethrows its exception.
    void join();
    bool failed() const;

    int64_t framesDelivered() const { return m_delivered; }
    int64_t framesDropped() const { return m_dropped; }

private:
    void run();
    void decodeOne(const DecodeItem& item);

    std::unique_ptr<models::StreamDecoder> m_decoder;
    c10::Device m_device;
    Policy m_policy;
    size_t m_capacity;
    FrameOut m_out;
    ChunkDone m_done;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<DecodeItem> m_queue;
    bool m_closed = false;
    bool m_aborted = false;
    std::exception_ptr m_error;
    int64_t m_delivered = 0; // written by the worker; read after join()
    int64_t m_dropped = 0;
    std::thread m_thread;
};

} // namespace sfs::inference::engine
