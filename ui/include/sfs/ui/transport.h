#pragma once
// The studio's playhead: the frame the user looks at, the take it shows, and whether it plays.
// One object per main window shared by the timeline (scrubbing, markers, I/O range), the preview
// (shows the frame, runs the playback clock) and the generation controller ("regenerate from
// the playhead"). It only holds and clamps state and says when it changed; who moves it decides.

#include <QObject>
#include <QString>

namespace sfs::ui {

class Transport : public QObject {
    Q_OBJECT
public:
    static constexpr int kFramesPerSecond = 16; // the model's output rate

    explicit Transport(QObject* parent = nullptr);

    // The timeline's length in frames (>= 1); the playhead and the range are clamped into it.
    int length() const { return m_length; }
    void setLength(int frames);

    int frame() const { return m_frame; }
    void setFrame(int frame); // clamped to [0, length - 1]
    void step(int frames) { setFrame(m_frame + frames); }

    // The take shown in the preview and the take lane (empty: none).
    QString takeId() const { return m_takeId; }
    void setTakeId(const QString& id);

    // Playback speed in multiples of real time: 0 stopped, negative plays backwards (J/K/L
    // shuttle doubles it per press up to ±8).
    double rate() const { return m_rate; }
    bool isPlaying() const { return m_rate != 0.0; }
    void setRate(double rate);
    void play() { setRate(1.0); }
    void pause() { setRate(0.0); }
    void togglePlay() { setRate(isPlaying() ? 0.0 : 1.0); }
    bool loops() const { return m_loop; }
    void setLoop(bool loop);

    // The in/out range (I/O keys): playback and export use [in, out]; both inclusive, in <= out.
    int inFrame() const { return m_in; }
    int outFrame() const { return m_out; }
    void setInFrame(int frame);  // moves out along when it would pass it
    void setOutFrame(int frame); // moves in along when it would pass it
    void clearRange();           // the whole timeline

Q_SIGNALS:
    void frameChanged(int frame);
    void lengthChanged(int frames);
    void takeChanged(const QString& id);
    void rateChanged(double rate);
    void loopChanged(bool loop);
    void rangeChanged(int in, int out);

private:
    int clamp(int frame) const;

    int m_length = 1;
    int m_frame = 0;
    QString m_takeId;
    double m_rate = 0.0;
    bool m_loop = true;
    int m_in = 0;
    int m_out = 0;
};

} // namespace sfs::ui
