#pragma once
// `sfstudio --bench-ui [PROJECT]`: how long the UI thread stalls while a take generates.
//
// It starts a generation in a main window and, until the generation ends, measures the gaps
// between the ticks of a 1 ms timer on the UI thread (a stall is a gap: the event loop could not
// run the timer because something held it), while every 16 ms it drives what a user would: the
// window repaints synchronously, the playhead steps a frame (the timeline and preview follow it)
// and every scroll area (the timeline's view, when there is one) scrolls a step. Live frames go
// where the window sends them. Figures: docs/benchmarks.md; the goal is <= 16 ms (one frame of a
// 60 Hz display).

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <vector>

class QTimer;

namespace sfs::ui {

class MainWindow;

struct UiStallReport {
    QString outcome;            // the generation's end state ("Finished", "Failed: …")
    double seconds = 0;         // measured time (the generation's)
    long long ticks = 0;        // 1 ms timer ticks seen
    double longestStallMs = 0;  // the longest gap between ticks
    double p99StallMs = 0;      // 99th percentile gap
    double meanGapMs = 0;
    long long gapsOver16Ms = 0;
    int liveFrames = 0; // frames the UI received (liveFrame)
    int drives = 0;     // repaint + scroll + playhead rounds

    QString describe() const; // one paragraph for the terminal and benchmarks.md
};

class UiStallBench : public QObject {
    Q_OBJECT
public:
    explicit UiStallBench(MainWindow* window);

    // Starts the generation of the window's project and the measurement; false when the
    // generation did not start. finished() follows when it has ended.
    bool start();

Q_SIGNALS:
    void finished(const sfs::ui::UiStallReport& report);

private:
    void tick();
    void drive();
    void end();

    MainWindow* m_window;
    QTimer* m_ticker;
    QTimer* m_driver;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    std::vector<float> m_gapsMs;
    UiStallReport m_report;
};

} // namespace sfs::ui
