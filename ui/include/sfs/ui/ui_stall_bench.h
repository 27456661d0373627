#pragma once
// `sfstudio --bench-ui [PROJECT]`: how long the UI thread stalls while a take generates.
//
// A 1 ms timer on the UI thread measures the gaps between its ticks (a stall is a gap: the event
// loop could not run the timer), while every 16 ms the bench drives what a user would: the
// window repaints synchronously, the playhead steps a frame (the timeline and preview follow it)
// and every scroll area (the timeline's view, when there is one) scrolls a step. Two phases, the
// same driving in both: a baseline of a few seconds with nothing generating (the machine's own
// scheduling noise), then the generation of the window's project until it ends. For each gap it
// also reads the UI thread's CPU time, so that a stall the studio causes (its own work) is told
// apart from the thread waiting for a core (a loaded machine). Figures: docs/benchmarks.md; the
// goal is <= 16 ms (one frame of a 60 Hz display).

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <vector>

class QTimer;

namespace sfs::ui {

class MainWindow;

// The gaps of one phase.
struct UiStallFigures {
    double seconds = 0;
    long long ticks = 0;
    double longestStallMs = 0; // the longest gap between ticks (wall clock)
    double p99StallMs = 0;
    long long gapsOver16Ms = 0;
    // The most CPU time the UI thread spent inside one gap: the studio's own work in a stall.
    double longestBusyMs = 0;
    double p99BusyMs = 0;

    QString describe() const;
};

struct UiStallReport {
    QString outcome; // the generation's end state ("Finished", "Failed: …")
    UiStallFigures baseline;
    UiStallFigures generating;
    int liveFrames = 0; // frames the UI received (liveFrame)
    int drives = 0;     // repaint + playhead + scroll rounds

    bool goalMet() const { return generating.longestBusyMs <= 16.0; }
    QString describe() const; // for the terminal and benchmarks.md
};

class UiStallBench : public QObject {
    Q_OBJECT
public:
    explicit UiStallBench(MainWindow* window, int baselineMs = 5000);

    // Starts the baseline, then the generation of the window's project. finished() follows
    // when the generation has ended (or could not start: outcome says so).
    void start();

Q_SIGNALS:
    void finished(const sfs::ui::UiStallReport& report);

private:
    void tick();
    void drive();
    void startGenerating();
    UiStallFigures close();
    void end();

    MainWindow* m_window;
    int m_baselineMs;
    QTimer* m_ticker;
    QTimer* m_driver;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    qint64 m_lastTickCpuNs = 0;
    std::vector<float> m_gapsMs;
    std::vector<float> m_busyMs;
    bool m_generating = false;
    UiStallReport m_report;
};

} // namespace sfs::ui
