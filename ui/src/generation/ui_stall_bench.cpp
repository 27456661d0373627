#include "sfs/ui/ui_stall_bench.h"

#include "sfs/ui/generation_controller.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/transport.h"

#include <QAbstractScrollArea>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>
#include <time.h>

namespace sfs::ui {

namespace {

// CPU time this thread has used (ns).
qint64 threadCpuNs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

double percentile99(std::vector<float> values) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, values.size() * 99 / 100)];
}

} // namespace

QString UiStallFigures::describe() const {
    return QStringLiteral("%1 s, %2 ticks: longest stall %3 ms (p99 %4 ms, %5 gaps > 16 ms); "
                          "UI thread's own work in a gap at most %6 ms (p99 %7 ms)")
        .arg(seconds, 0, 'f', 1)
        .arg(ticks)
        .arg(longestStallMs, 0, 'f', 1)
        .arg(p99StallMs, 0, 'f', 1)
        .arg(gapsOver16Ms)
        .arg(longestBusyMs, 0, 'f', 1)
        .arg(p99BusyMs, 0, 'f', 1);
}

QString UiStallReport::describe() const {
    return QStringLiteral("ui-bench: generation %1; %2 live frames, %3 repaint/scroll rounds\n"
                          "  baseline (idle):  %4\n"
                          "  while generating: %5\n"
                          "  goal: the UI thread's own work <= 16 ms per stall: %6")
        .arg(outcome)
        .arg(liveFrames)
        .arg(drives)
        .arg(baseline.describe(), generating.describe(),
             goalMet() ? QStringLiteral("met") : QStringLiteral("missed"));
}

UiStallBench::UiStallBench(MainWindow* window, int baselineMs)
    : QObject(window), m_window(window), m_baselineMs(baselineMs), m_ticker(new QTimer(this)),
      m_driver(new QTimer(this)) {
    m_ticker->setTimerType(Qt::PreciseTimer);
    m_ticker->setInterval(1);
    connect(m_ticker, &QTimer::timeout, this, &UiStallBench::tick);
    m_driver->setTimerType(Qt::PreciseTimer);
    m_driver->setInterval(16);
    connect(m_driver, &QTimer::timeout, this, &UiStallBench::drive);
    GenerationController* generation = window->generation();
    connect(generation, &GenerationController::liveFrame, this, [this] { ++m_report.liveFrames; });
    connect(generation, &GenerationController::stateChanged, this, [this, generation] {
        if (m_generating && !generation->isActive()) {
            end();
        }
    });
}

void UiStallBench::start() {
    m_report = UiStallReport{};
    m_gapsMs.clear();
    m_busyMs.clear();
    m_clock.start();
    m_lastTickNs = 0;
    m_ticker->start();
    m_driver->start();
    QTimer::singleShot(m_baselineMs, this, &UiStallBench::startGenerating);
}

void UiStallBench::startGenerating() {
    m_report.baseline = close();
    if (!m_window->generation()->generate()) {
        m_report.outcome = QStringLiteral("did not start");
        end();
        return;
    }
    m_generating = true;
}

void UiStallBench::tick() {
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 cpu = threadCpuNs();
    if (m_lastTickNs > 0) {
        m_gapsMs.push_back(float(double(now - m_lastTickNs) / 1e6));
        m_busyMs.push_back(float(double(cpu - m_lastTickCpuNs) / 1e6));
    }
    m_lastTickNs = now;
    m_lastTickCpuNs = cpu;
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

// The figures of the phase that ends now; the next phase starts from here.
UiStallFigures UiStallBench::close() {
    UiStallFigures f;
    f.seconds = double(m_clock.restart()) / 1e3;
    f.ticks = static_cast<long long>(m_gapsMs.size());
    if (!m_gapsMs.empty()) {
        f.longestStallMs = *std::max_element(m_gapsMs.begin(), m_gapsMs.end());
        f.p99StallMs = percentile99(m_gapsMs);
        f.gapsOver16Ms =
            std::count_if(m_gapsMs.begin(), m_gapsMs.end(), [](float g) { return g > 16.0f; });
        f.longestBusyMs = *std::max_element(m_busyMs.begin(), m_busyMs.end());
        f.p99BusyMs = percentile99(m_busyMs);
    }
    m_gapsMs.clear();
    m_busyMs.clear();
    m_lastTickNs = 0;
    return f;
}

void UiStallBench::end() {
    m_ticker->stop();
    m_driver->stop();
    if (m_generating) {
        m_generating = false;
        m_report.generating = close();
        const GenerationController* generation = m_window->generation();
        m_report.outcome = GenerationController::stateText(generation->state(), generation->kind());
        if (!generation->lastError().isEmpty()) {
            m_report.outcome += QStringLiteral(": ") + generation->lastError();
        }
    }
    Q_EMIT finished(m_report);
}

} // namespace sfs::ui
