#include "sfs/ui/transport.h"

#include <algorithm>

namespace sfs::ui {

Transport::Transport(QObject* parent) : QObject(parent) {}

int Transport::clamp(int frame) const {
    return std::clamp(frame, 0, m_length - 1);
}

void Transport::setLength(int frames) {
    frames = std::max(frames, 1);
    if (frames == m_length) {
        return;
    }
    const bool wholeRange = m_in == 0 && m_out == m_length - 1;
    m_length = frames;
    Q_EMIT lengthChanged(m_length);
    const int in = clamp(m_in);
    const int out = wholeRange ? m_length - 1 : clamp(m_out);
    if (in != m_in || out != m_out) {
        m_in = in;
        m_out = out;
        Q_EMIT rangeChanged(m_in, m_out);
    }
    setFrame(m_frame);
}

void Transport::setFrame(int frame) {
    frame = clamp(frame);
    if (frame == m_frame) {
        return;
    }
    m_frame = frame;
    Q_EMIT frameChanged(m_frame);
}

void Transport::setTakeId(const QString& id) {
    if (id == m_takeId) {
        return;
    }
    m_takeId = id;
    Q_EMIT takeChanged(m_takeId);
}

void Transport::setRate(double rate) {
    rate = std::clamp(rate, -8.0, 8.0);
    if (rate == m_rate) {
        return;
    }
    m_rate = rate;
    Q_EMIT rateChanged(m_rate);
}

void Transport::setLoop(bool loop) {
    if (loop == m_loop) {
        return;
    }
    m_loop = loop;
    Q_EMIT loopChanged(m_loop);
}

void Transport::setInFrame(int frame) {
    const int in = clamp(frame);
    const int out = std::max(m_out, in);
    if (in == m_in && out == m_out) {
        return;
    }
    m_in = in;
    m_out = out;
    Q_EMIT rangeChanged(m_in, m_out);
}

void Transport::setOutFrame(int frame) {
    const int out = clamp(frame);
    const int in = std::min(m_in, out);
    if (in == m_in && out == m_out) {
        return;
    }
    m_in = in;
    m_out = out;
    Q_EMIT rangeChanged(m_in, m_out);
}

void Transport::clearRange() {
    if (m_in == 0 && m_out == m_length - 1) {
        return;
    }
    m_in = 0;
    m_out = m_length - 1;
    Q_EMIT rangeChanged(m_in, m_out);
}

} // namespace sfs::ui
