#include "preview/take_frame_cache.h"

#include "preview/frame_image.h"
#include "sfs/core/media/frame_source.h"
#include "sfs/core/render/take_storage.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <vector>

namespace sfs::ui {

// What the worker works on: one take's source and the frames still wanted. Shared with the
// worker, so a cache that lets go of it (another take, or destroyed) never waits for a decode.
struct TakeFrameCache::Loader {
    std::mutex mutex; // everything but `source`, which only the one running worker touches
    TakeFrameCache* receiver = nullptr; // null once the cache has let go
    core::Take take;
    QString assetsDir;
    std::deque<int> wanted;
    quint64 generation = 0;
    int decoding = -1;
    bool running = false;

    std::unique_ptr<core::FrameSource> source;
    bool opened = false;
    QString openProblem;
};

TakeFrameCache::TakeFrameCache(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(1);
}

TakeFrameCache::~TakeFrameCache() {
    if (m_loader) {
        std::lock_guard<std::mutex> lock(m_loader->mutex);
        m_loader->receiver = nullptr;
        m_loader->wanted.clear();
    }
    m_pool.waitForDone(); // at most the decode under way
}

void TakeFrameCache::setTake(const core::Take& take, const QString& assetsDir) {
    const bool sameFrames =
        take.id == m_take.id && take.framesPath == m_take.framesPath && assetsDir == m_assetsDir;
    if (sameFrames && take.framesCompleted() == m_take.framesCompleted()) {
        m_take = take; // status or chunks planned: nothing to reload
        return;
    }
    if (m_loader) {
        std::lock_guard<std::mutex> lock(m_loader->mutex);
        m_loader->receiver = nullptr;
        m_loader->wanted.clear();
        m_loader.reset();
    }
    if (sameFrames) {
        // A take that grew (or shrank when stopped) keeps the frames it still has: stored frames
        // never change, only their count does.
        const int count = take.framesCompleted();
        for (auto it = m_frames.begin(); it != m_frames.end();) {
            it = it.key() < count ? std::next(it) : m_frames.erase(it);
        }
    } else {
        m_frames.clear();
    }
    m_take = take;
    m_assetsDir = assetsDir;
    m_available = -1;
    if (!m_problem.isEmpty()) {
        m_problem.clear();
        Q_EMIT problemChanged(m_problem);
    }
    if (!take.id.isEmpty()) {
        m_loader = std::make_shared<Loader>();
        m_loader->receiver = this;
        m_loader->generation = ++m_generation;
        m_loader->take = take;
        m_loader->assetsDir = assetsDir;
    }
}

int TakeFrameCache::frameCount() const {
    if (m_take.id.isEmpty()) {
        return 0;
    }
    const int completed = m_take.framesCompleted();
    return m_available < 0 ? completed : std::min(completed, m_available);
}

void TakeFrameCache::request(int frame, int direction) {
    const int count = frameCount();
    if (!m_loader || count == 0) {
        return;
    }
    frame = std::clamp(frame, 0, count - 1);
    m_lastRequested = frame;

    std::vector<int> order{frame};
    const int forward = direction < 0 ? -1 : 1;
    const int ahead = direction == 0 ? kAhead / 2 : kAhead;
    for (int i = 1; i <= ahead; ++i) {
        order.push_back(frame + forward * i);
    }
    for (int i = 1; i <= kBehind; ++i) {
        order.push_back(frame - forward * i);
    }
    std::deque<int> wanted;
    for (int index : order) {
        if (index >= 0 && index < count && !m_frames.contains(index)) {
            wanted.push_back(index);
        }
    }

    std::lock_guard<std::mutex> lock(m_loader->mutex);
    // The old wishes are stale: the playhead moved on.
    wanted.erase(std::remove(wanted.begin(), wanted.end(), m_loader->decoding), wanted.end());
    m_loader->wanted = std::move(wanted);
    if (!m_loader->running && !m_loader->wanted.empty()) {
        m_loader->running = true;
        std::shared_ptr<Loader> loader = m_loader;
        m_pool.start([loader] { decodeWanted(loader); });
    }
}

QImage TakeFrameCache::nearest(int frame, int* readyIndex) const {
    int best = -1;
    for (auto it = m_frames.cbegin(); it != m_frames.cend(); ++it) {
        if (best < 0 || std::abs(it.key() - frame) < std::abs(best - frame)) {
            best = it.key();
        }
    }
    if (readyIndex != nullptr) {
        *readyIndex = best;
    }
    return best < 0 ? QImage() : m_frames.value(best);
}

void TakeFrameCache::received(quint64 generation, int frame, const QImage& image,
                              const QString& problem, int available) {
    if (!m_loader || generation != m_loader->generation) {
        return; // posted before the cache let go of that take
    }
    const int count = frameCount();
    m_available = std::max(available, 0);
    if (frameCount() != count) {
        Q_EMIT frameCountChanged(frameCount());
    }
    if (image.isNull()) {
        if (!problem.isEmpty() && problem != m_problem) {
            m_problem = problem;
            Q_EMIT problemChanged(m_problem);
        }
        return;
    }
    m_frames.insert(frame, image);
    evict(m_lastRequested);
    Q_EMIT frameReady(frame);
}

void TakeFrameCache::evict(int around) {
    while (m_frames.size() > kCapacity) {
        auto farthest = m_frames.begin();
        for (auto it = m_frames.begin(); it != m_frames.end(); ++it) {
            if (std::abs(it.key() - around) > std::abs(farthest.key() - around)) {
                farthest = it;
            }
        }
        m_frames.erase(farthest);
    }
}

// Decodes wanted frames until none is left or the cache lets go.
void TakeFrameCache::decodeWanted(const std::shared_ptr<Loader>& loader) {
    for (;;) {
        int index = -1;
        {
            std::lock_guard<std::mutex> lock(loader->mutex);
            if (loader->receiver == nullptr || loader->wanted.empty()) {
                loader->running = false;
                loader->decoding = -1;
                return;
            }
            index = loader->wanted.front();
            loader->wanted.pop_front();
            loader->decoding = index;
        }
        if (!loader->opened) {
            loader->opened = true;
            loader->source =
                core::openTakeFrames(loader->take, loader->assetsDir, &loader->openProblem);
        }
        QImage image;
        QString problem = loader->openProblem;
        const int available = loader->source ? loader->source->frameCount() : -1;
        if (index < available) {
            const core::Frame frame = loader->source->frame(index, &problem);
            if (!frame.isNull()) {
                image = previewImage(frame);
            }
        } else if (available >= 0) {
            problem.clear(); // fewer frames on disk than its chunks say: received() learns that
        }
        std::lock_guard<std::mutex> lock(loader->mutex);
        loader->decoding = -1;
        // Posted under the lock: a cache letting go takes the lock first, so its receiver is
        // alive here, and a posted call dies with it.
        if (TakeFrameCache* receiver = loader->receiver) {
            const quint64 generation = loader->generation;
            QMetaObject::invokeMethod(
                receiver,
                [receiver, generation, index, image, problem, available] {
                    receiver->received(generation, index, image, problem, available);
                },
                Qt::QueuedConnection);
        }
    }
}

} // namespace sfs::ui
