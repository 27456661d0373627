#pragma once
// The inspector's view of the memory guardrail (generation/memory_guard.h), under the render
// settings: the estimate by part (DiT weights, KV cache for the window, decoders, activations,
// text encoder), the device's free memory, and — when the take does not fit — by how much and
// one button per setting change that fits. A button applies its change as one undo command.
// It only shows what the guard computed off the UI thread; nothing here estimates.

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace sfs::core {
class ProjectDocument;
} // namespace sfs::core

namespace sfs::ui {

class MemoryGuard;

class MemoryPanel : public QWidget {
    Q_OBJECT
public:
    MemoryPanel(core::ProjectDocument* document, MemoryGuard* guard, QWidget* parent = nullptr);

    void retranslate();

private:
    void showStatus();
    void applySuggestion(int index);

    core::ProjectDocument* m_document;
    MemoryGuard* m_guard;
    QLabel* m_title = nullptr;
    QLabel* m_estimate = nullptr; // the breakdown
    QLabel* m_verdict = nullptr;  // fits / short by
    QWidget* m_suggestions = nullptr;
    QVBoxLayout* m_suggestionLayout = nullptr;
};

} // namespace sfs::ui
