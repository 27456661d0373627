#pragma once
// Plays the Transport: while its rate is not 0, moves its frame at 16 fps × rate within the
// in/out range, looping there when the transport loops and pausing at the end when it does not.
// The frame shown is always the one the elapsed time says (computed from when playback started,
// not counted per tick), so a late tick drops frames instead of drifting. Moving the playhead
// by hand (scrubbing, stepping) while playing goes on from there.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace sfs::ui {

class Transport;

class PlaybackClock : public QObject {
    Q_OBJECT
public:
    explicit PlaybackClock(Transport* transport, QObject* parent = nullptr);

    // The frame `elapsedMs` after leaving `start` at `rate` within [in, out] (both inclusive);
    // *ended is set when a transport that does not loop reached the end (the result is then
    // that end). Pure: the rule the clock follows, tested on its own.
    static int frameAt(int start, qint64 elapsedMs, double rate, int in, int out, bool loop,
                       bool* ended);

private:
    void restart(); // a new anchor: playback starts, or its rate, range or frame was changed
    void tick();

    Transport* m_transport;
    QTimer m_timer;
    QElapsedTimer m_elapsed;
    int m_startFrame = 0;
    bool m_moving = false; // the clock itself is setting the transport's frame
};

} // namespace sfs::ui
