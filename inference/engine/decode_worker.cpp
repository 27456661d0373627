#include "engine/decode_worker.h"

#include "sfs/build_config.h"
#include "sfs/inference/frame_grid.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#if SFS_TORCH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <cstring>
#include <optional>

namespace sfs::inference::engine {

#if SFS_TORCH_CUDA
struct ChunkReady {
    at::cuda::CUDAEvent event;
};

std::shared_ptr<ChunkReady> markChunkReady(const at::Tensor& latents) {
    if (!latents.is_cuda()) {
        return nullptr;
    }
    auto ready = std::make_shared<ChunkReady>();
    ready->event.record(c10::cuda::getCurrentCUDAStream(latents.device().index()));
    return ready;
}
#else
struct ChunkReady {};

std::shared_ptr<ChunkReady> markChunkReady(const at::Tensor&) {
    return nullptr;
}
#endif

DecodeWorker::DecodeWorker(std::unique_ptr<models::StreamDecoder> decoder, c10::Device device,
                           Policy policy, size_t capacity, FrameOut out, ChunkDone done)
    : m_decoder(std::move(decoder)), m_device(device), m_policy(policy),
      m_capacity(capacity < 1 ? 1 : capacity), m_out(std::move(out)), m_done(std::move(done)) {
    m_decoder->reset();
    m_thread = std::thread([this] { run(); });
}

DecodeWorker::~DecodeWorker() {
    if (m_thread.joinable()) {
        abort();
        m_thread.join();
    }
}

bool DecodeWorker::push(DecodeItem item) {
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_policy == Policy::KeepEvery) {
        m_changed.wait(
            lock, [&] { return m_queue.size() < m_capacity || m_aborted || m_error != nullptr; });
    }
    if (m_aborted || m_error != nullptr || m_closed) {
        return false;
    }
    m_queue.push_back(std::move(item));
    m_changed.notify_all();
    return true;
}

void DecodeWorker::close() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
}

void DecodeWorker::abort() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_aborted = true;
    m_queue.clear();
    m_changed.notify_all();
}

void DecodeWorker::join() {
    if (m_thread.joinable()) {
        m_thread.join();
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_error) {
        std::rethrow_exception(m_error);
    }
}

bool DecodeWorker::failed() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_error != nullptr;
}

void DecodeWorker::run() {
    c10::InferenceMode inference;
#if SFS_TORCH_CUDA
    // Decode on a stream of our own, so it overlaps the denoiser's work on the default stream.
    std::optional<c10::cuda::CUDAStreamGuard> onStream;
    if (m_device.is_cuda()) {
        onStream.emplace(c10::cuda::getStreamFromPool(false, m_device.index()));
    }
#endif
    try {
        for (;;) {
            DecodeItem item;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_changed.wait(lock, [&] { return !m_queue.empty() || m_closed || m_aborted; });
                if (m_aborted || m_queue.empty()) {
                    return;
                }
                item = std::move(m_queue.front());
                m_queue.pop_front();
                m_changed.notify_all(); // room for the denoiser
            }
            decodeOne(item);
        }
    } catch (...) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_error = std::current_exception();
        m_queue.clear();
        m_changed.notify_all();
    }
}

void DecodeWorker::decodeOne(const DecodeItem& item) {
    at::Tensor latents = item.latents;
    at::Tensor rgb;
#if SFS_TORCH_CUDA
    if (item.ready && latents.is_cuda()) {
        const c10::cuda::CUDAStream stream = c10::cuda::getCurrentCUDAStream(m_device.index());
        item.ready->event.block(stream); // the denoiser's writes to the chunk come first
        // The latents were allocated on the denoiser's stream; keep their memory from being
        // reused there while this stream still reads it.
        c10::cuda::CUDACachingAllocator::recordStream(latents.storage().data_ptr(), stream);
    }
#endif
    const at::Tensor frames = m_decoder->decode(latents);
    const at::Tensor device8 = models::toRgb8(frames); // [1, T, H, W, 3]
#if SFS_TORCH_CUDA
    if (device8.is_cuda()) {
        // Pinned host memory lets the copy run asynchronously on this stream; one wait per chunk.
        rgb = at::empty(device8.sizes(), at::TensorOptions().dtype(at::kByte).pinned_memory(true));
        rgb.copy_(device8, /*non_blocking=*/true);
        c10::cuda::getCurrentCUDAStream(m_device.index()).synchronize();
    }
#endif
    if (!rgb.defined()) {
        rgb = device8.to(at::kCPU).contiguous();
    }

    const int64_t count = rgb.size(1);
    const int height = static_cast<int>(rgb.size(2)), width = static_cast<int>(rgb.size(3));
    const size_t bytes = static_cast<size_t>(height) * static_cast<size_t>(width) * 3;
    const int64_t first = frame_grid::firstFrameOfLatentFrame(item.firstLatentFrame);
    bool drop = false;
    if (m_policy == Policy::DropWhenBehind) {
        std::lock_guard<std::mutex> lock(m_mutex);
        drop = !m_queue.empty(); // a newer chunk is waiting: show that one instead
    }
    if (drop) {
        m_dropped += count;
    } else {
        const uint8_t* data = rgb.data_ptr<uint8_t>();
        for (int64_t t = 0; t < count; ++t) {
            RgbFrame frame;
            frame.index = first + t;
            frame.width = width;
            frame.height = height;
            frame.kept = item.kept;
            frame.rgb.assign(data + static_cast<size_t>(t) * bytes,
                             data + static_cast<size_t>(t + 1) * bytes);
            if (m_out) {
                m_out(frame);
            }
            ++m_delivered;
        }
    }
    if (m_done) {
        m_done(item.chunk, count);
    }
}

} // namespace sfs::inference::engine
