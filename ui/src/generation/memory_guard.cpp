#include "generation/memory_guard.h"

#include "sfs/core/project/document.h"
#include "sfs/core/render/render_job.h"
#include "sfs/inference/frame_grid.h"

#include <QtConcurrent/QtConcurrentRun>

namespace sfs::ui {

namespace {

// A burst of edits (a spin box held down, typing a size) makes one check.
constexpr int kDebounceMs = 150;

MemoryStatus runCheck(const MemoryGuard::Checker& checker, const core::RenderSettings& settings,
                      int frames) {
    MemoryStatus status;
    status.settings = settings;
    status.frames = frames;
    try {
        const inference::GenerationRequest request = core::requestForSettings(settings, frames);
        const inference::GenerationRequest planned = inference::withPlannedAttention(request);
        status.windowLatentFrames =
            planned.windowLatentFrames == -1
                ? inference::chunksOf(request) * inference::frame_grid::kLatentFramesPerChunk
                : planned.windowLatentFrames;
        status.check = checker(request);
        status.checked = true;
    } catch (const std::exception& e) {
        status.error = QString::fromStdString(e.what());
    }
    return status;
}

} // namespace

core::RenderSettings applySuggestion(core::RenderSettings settings,
                                     const inference::MemorySuggestion& suggestion,
                                     const inference::MemoryCheck& check) {
    using Change = inference::MemorySuggestion::Change;
    const bool all = suggestion.change == Change::Combined;
    if ((all || suggestion.change == Change::SmallerWindow) && suggestion.windowLatentFrames > 0) {
        settings.attentionWindow = static_cast<int>(suggestion.windowLatentFrames);
        settings.sinkFrames = static_cast<int>(suggestion.sinkLatentFrames);
    }
    if ((all || suggestion.change == Change::TaehvDecoder) && suggestion.finalDecoder == "taehv") {
        settings.decoder = core::Decoder::Taehv;
        settings.previewDecoder = core::PreviewDecoder::Final; // TAEHV already: no second one
    }
    if ((all || suggestion.change == Change::TextEncoderOnCpu) && suggestion.textEncoderOnCpu) {
        settings.textEncoderDevice = QStringLiteral("cpu");
    }
    if ((all || suggestion.change == Change::LowerPrecision) &&
        suggestion.precision != inference::Precision::Auto &&
        suggestion.precision != check.precision) {
        settings.precision = QString::fromLatin1(inference::precisionName(suggestion.precision));
    }
    return settings;
}

MemoryGuard::MemoryGuard(core::ProjectDocument* document, Checker checker, QObject* parent)
    : QObject(parent), m_document(document), m_checker(std::move(checker)) {
    m_pool.setMaxThreadCount(1);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &MemoryGuard::startCheck);
    connect(&m_watcher, &QFutureWatcher<MemoryStatus>::finished, this, &MemoryGuard::checkFinished);
    connect(m_document, &core::ProjectDocument::settingsChanged, this, &MemoryGuard::refresh);
    connect(m_document, &core::ProjectDocument::durationChanged, this, &MemoryGuard::refresh);
    connect(m_document, &core::ProjectDocument::documentReset, this, &MemoryGuard::refresh);
    refresh();
}

MemoryGuard::~MemoryGuard() {
    m_watcher.disconnect(this);
    m_pool.waitForDone();
}

bool MemoryGuard::isCurrent() const {
    const core::Project& p = m_document->project();
    return (m_status.checked || !m_status.error.isEmpty()) && m_status.settings == p.settings &&
           m_status.frames == p.durationFrames;
}

bool MemoryGuard::isPending() const {
    return m_running || m_debounce.isActive();
}

void MemoryGuard::refresh() {
    m_debounce.start();
}

void MemoryGuard::startCheck() {
    if (m_running) {
        m_again = true;
        return;
    }
    m_running = true;
    m_again = false;
    // The worker gets copies: the user goes on editing.
    const core::RenderSettings settings = m_document->project().settings;
    const int frames = m_document->project().durationFrames;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [checker = m_checker, settings, frames] {
        return runCheck(checker, settings, frames);
    }));
}

void MemoryGuard::checkFinished() {
    m_running = false;
    m_status = m_watcher.result();
    Q_EMIT statusChanged();
    if (m_again) {
        startCheck();
    }
}

} // namespace sfs::ui
