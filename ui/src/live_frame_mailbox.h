#pragma once
// A latest-wins mailbox for one frame, the one store of live frames in the studio: the decode
// worker puts every frame, the UI thread takes whatever is newest (the generation controller
// holds one per run; the preview's LatestFrameMailbox adds a wake-up signal around one). So the UI
// holds at most one pending frame, a slow UI sees fewer frames rather than later ones, and frames
// never go backwards (they are put in order). put() says when the box was empty, which is when the
// producer must wake the consumer (one wake-up per batch, not per frame).

#include <QImage>

#include <mutex>
#include <optional>

namespace sfs::ui {

class LiveFrameMailbox {
public:
    struct Item {
        int frameIndex = 0;
        QImage image;
    };

    // Replaces what is waiting. True when nothing was waiting (wake the consumer).
    bool put(int frameIndex, QImage image) {
        std::lock_guard<std::mutex> lock(m_mutex);
        const bool wasEmpty = !m_item.has_value();
        m_item = Item{frameIndex, std::move(image)};
        ++m_put;
        return wasEmpty;
    }

    // The newest frame, or nothing; the box is empty afterwards.
    std::optional<Item> take() {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::optional<Item> item = std::move(m_item);
        m_item.reset();
        return item;
    }

    // Frames put so far (those replaced before anyone took them included).
    long long framesPut() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_put;
    }

private:
    mutable std::mutex m_mutex;
    std::optional<Item> m_item;
    long long m_put = 0;
};

} // namespace sfs::ui
