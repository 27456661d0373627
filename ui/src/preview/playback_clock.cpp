#include "preview/playback_clock.h"

#include "sfs/ui/transport.h"

#include <algorithm>
#include <cmath>

namespace sfs::ui {

PlaybackClock::PlaybackClock(Transport* transport, QObject* parent)
    : QObject(parent), m_transport(transport) {
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PlaybackClock::tick);
    connect(transport, &Transport::rateChanged, this, &PlaybackClock::restart);
    connect(transport, &Transport::rangeChanged, this, &PlaybackClock::restart);
    connect(transport, &Transport::loopChanged, this, &PlaybackClock::restart);
    connect(transport, &Transport::frameChanged, this, [this] {
        if (!m_moving) {
            restart();
        }
    });
    restart();
}

int PlaybackClock::frameAt(int start, qint64 elapsedMs, double rate, int in, int out, bool loop,
                           bool* ended) {
    *ended = false;
    const auto advanced = static_cast<qint64>(
        std::floor(static_cast<double>(elapsedMs) * rate * Transport::kFramesPerSecond / 1000.0));
    const qint64 target = start + advanced;
    const qint64 span = qint64(out) - in + 1;
    if (target > out) {
        if (!loop) {
            *ended = true;
            return out;
        }
        return int(in + (target - in) % span);
    }
    if (target < in) {
        if (!loop) {
            *ended = true;
            return in;
        }
        return int(out - (out - target) % span);
    }
    return int(target);
}

void PlaybackClock::restart() {
    const double rate = m_transport->rate();
    if (rate == 0.0) {
        m_timer.stop();
        return;
    }
    const int in = m_transport->inFrame();
    const int out = m_transport->outFrame();
    int start = m_transport->frame();
    // Playback stays within the range: from outside it, or from its end, it starts over.
    if (rate > 0 && (start < in || start >= out)) {
        start = in;
    } else if (rate < 0 && (start > out || start <= in)) {
        start = out;
    }
    m_startFrame = start;
    m_elapsed.start();
    if (start != m_transport->frame()) {
        m_moving = true;
        m_transport->setFrame(start);
        m_moving = false;
    }
    // Twice per frame: a tick is then at most half a frame late.
    const double frameMs = 1000.0 / (Transport::kFramesPerSecond * std::abs(rate));
    m_timer.start(std::clamp(int(frameMs / 2), 2, 1000 / Transport::kFramesPerSecond / 2));
}

void PlaybackClock::tick() {
    bool ended = false;
    const int frame =
        frameAt(m_startFrame, m_elapsed.elapsed(), m_transport->rate(), m_transport->inFrame(),
                m_transport->outFrame(), m_transport->loops(), &ended);
    m_moving = true;
    m_transport->setFrame(frame);
    m_moving = false;
    if (ended) {
        m_transport->pause();
    }
}

} // namespace sfs::ui
