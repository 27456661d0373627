#include "sfs/ui/ui_stall_bench.h"

#include "sfs/ui/generation_controller.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/transport.h"

#include <QAbstractScrollArea>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>
#include <numeric>

namespace sfs::ui {

QString UiStallReport::describe() const {
    return QStringLiteral("ui-bench: %1 after %2 s; longest UI-thread stall %3 ms (99th "
                          "percentile %4 ms, mean tick gap %5 ms, %6 gaps over 16 ms) in %7 "
                          "ticks of a 1 ms timer; %8 live frames, %9 repaint/scroll rounds; "
                          "goal <= 16 ms: %10")
        .arg(outcome)
        .arg(seconds, 0, 'f', 1)
        .arg(longestStallMs, 0, 'f', 1)
        .arg(p99StallMs, 0, 'f', 1)
        .arg(meanGapMs, 0, 'f', 2)
        .arg(gapsOver16Ms)
        .arg(ticks)
        .arg(liveFrames)
        .arg(drives)
        .arg(longestStallMs <= 16.0 ? QStringLiteral("met") : QStringLiteral("missed"));
}

UiStallBench::UiStallBench(MainWindow* window)
    : QObject(window), m_window(window), m_ticker(new QTimer(this)), m_driver(new QTimer(this)) {
    m_ticker->setTimerType(Qt::PreciseTimer);
    m_ticker->setInterval(1);
    connect(m_ticker, &QTimer::timeout, this, &UiStallBench::tick);
    m_driver->setTimerType(Qt::PreciseTimer);
    m_driver->setInterval(16);
    connect(m_driver, &QTimer::timeout, this, &UiStallBench::drive);
    GenerationController* generation = window->generation();
    connect(generation, &GenerationController::liveFrame, this, [this] { ++m_report.liveFrames; });
    connect(generation, &GenerationController::stateChanged, this, [this, generation] {
        if (m_ticker->isActive() && !generation->isActive()) {
            end();
        }
    });
}

bool UiStallBench::start() {
    m_gapsMs.clear();
    m_gapsMs.reserve(1 << 16);
    m_report = UiStallReport{};
    m_clock.start();
    m_lastTickNs = 0;
    m_ticker->start();
    m_driver->start();
    if (!m_window->generation()->generate()) {
        m_ticker->stop();
        m_driver->stop();
        return false;
    }
    return true;
}

void UiStallBench::tick() {
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastTickNs > 0) {
        m_gapsMs.push_back(float(double(now - m_lastTickNs) / 1e6));
    }
    m_lastTickNs = now;
}

void UiStallBench::drive() {
    ++m_report.drives;
    m_window->repaint(); // synchronous: the paint's cost lands in the gap it causes
    Transport* transport = m_window->transport();
    transport->setFrame((transport->frame() + 1) % transport->length());
    for (QAbstractScrollArea* area : m_window->findChildren<QAbstractScrollArea*>()) {
        for (QScrollBar* bar : {area->horizontalScrollBar(), area->verticalScrollBar()}) {
            if (bar->maximum() > bar->minimum()) {
                const int next = bar->value() + bar->singleStep();
                bar->setValue(next > bar->maximum() ? bar->minimum() : next);
            }
        }
    }
}

void UiStallBench::end() {
    m_ticker->stop();
    m_driver->stop();
    const GenerationController* generation = m_window->generation();
    m_report.outcome = GenerationController::stateText(generation->state(), generation->kind());
    if (!generation->lastError().isEmpty()) {
        m_report.outcome += QStringLiteral(": ") + generation->lastError();
    }
    m_report.seconds = double(m_clock.nsecsElapsed()) / 1e9;
    m_report.ticks = static_cast<long long>(m_gapsMs.size());
    if (!m_gapsMs.empty()) {
        std::vector<float> sorted = m_gapsMs;
        std::sort(sorted.begin(), sorted.end());
        m_report.longestStallMs = sorted.back();
        m_report.p99StallMs = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
        m_report.meanGapMs =
            std::accumulate(sorted.begin(), sorted.end(), 0.0) / double(sorted.size());
        m_report.gapsOver16Ms =
            std::count_if(sorted.begin(), sorted.end(), [](float g) { return g > 16.0f; });
    }
    Q_EMIT finished(m_report);
}

} // namespace sfs::ui
