#pragma once
// The memory guardrail (issue 16): does the project's next take fit the device? The engine's
// check (Engine::checkMemory: the estimate by part, the device's free memory plus what the warm
// engine holds, and the single settings changes that would fit) runs OFF the UI thread, on a
// thread of its own, whenever the render settings or the duration change (a short debounce
// merges a burst of edits) and after each generation. The inspector shows the latest status and
// its suggestions as buttons (applySuggestion makes the settings, one undo step); Generate
// refuses a take the latest status says does not fit. The engine checks again before it loads
// anything, so a status that is not current yet never lets a take through that cannot fit.

#include "sfs/core/project/project.h"
#include "sfs/inference/engine.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <functional>

namespace sfs::core {
class ProjectDocument;
} // namespace sfs::core

namespace sfs::ui {

// One check's outcome, for the settings and duration it was made for.
struct MemoryStatus {
    core::RenderSettings settings;
    int frames = 0;
    bool checked = false; // the check ran; else `error` says why it could not
    QString error;        // settings the rules refuse, a model folder that cannot be read, ...
    inference::MemoryCheck check;
    // The self-attention window the KV cache holds, in latent frames, as generate() plans it
    // (the whole take's when it attends to all of it).
    qint64 windowLatentFrames = 0;
};

// `settings` changed as `suggestion` (of `check`) says: a smaller window and sink, TAEHV as the
// final decoder (then no separate preview), the text encoder on the CPU, a lower precision, or
// all of them (Combined).
core::RenderSettings applySuggestion(core::RenderSettings settings,
                                     const inference::MemorySuggestion& suggestion,
                                     const inference::MemoryCheck& check);

class MemoryGuard : public QObject {
    Q_OBJECT
public:
    // Runs one check; called on the guard's thread (Engine::checkMemory is thread-safe).
    using Checker = std::function<inference::MemoryCheck(const inference::GenerationRequest&)>;

    MemoryGuard(core::ProjectDocument* document, Checker checker, QObject* parent = nullptr);
    // Waits for a check in flight (one estimate: milliseconds).
    ~MemoryGuard() override;

    // The latest finished check (checked == false and no error before the first).
    const MemoryStatus& status() const { return m_status; }
    // The latest status is for the project's settings and duration as they are now.
    bool isCurrent() const;
    // A check is waiting for the debounce or running.
    bool isPending() const;

public Q_SLOTS:
    // Checks the project's settings again (after the debounce).
    void refresh();

Q_SIGNALS:
    void statusChanged();

private:
    void startCheck();
    void checkFinished();

    core::ProjectDocument* m_document;
    Checker m_checker;
    QThreadPool m_pool;
    QTimer m_debounce;
    QFutureWatcher<MemoryStatus> m_watcher;
    bool m_running = false;
    bool m_again = false; // the settings changed while a check ran: check once more after it
    MemoryStatus m_status;
};

} // namespace sfs::ui
