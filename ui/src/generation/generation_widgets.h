#pragma once
// The generation's small widgets: a Banner (a non-modal message strip above the preview, with
// a "Details" expander and a dismiss button: errors and the demo model's notice) and the
// status bar's GenerationStatus (state, a progress bar, chunks, frames per second, time left).

#include "sfs/inference/engine.h"

#include <QFrame>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QToolButton;

namespace sfs::ui {

class GenerationController;

// Not modal: nothing waits for it, and it stays until dismissed or replaced.
class Banner : public QFrame {
    Q_OBJECT
public:
    enum class Tone { Info, Warning, Error };

    explicit Banner(Tone tone, QWidget* parent = nullptr);

    // Shows `text` (plain text); with `details`, a "Details" button expands them below.
    void showMessage(const QString& text, const QString& details = QString());
    QString text() const;
    QString details() const;
    bool detailsExpanded() const;
    void retranslate();

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyPalette();

    Tone m_tone;
    bool m_applyingPalette = false;
    QLabel* m_text;
    QToolButton* m_detailsButton;
    QToolButton* m_closeButton;
    QPlainTextEdit* m_details;
};

// The status bar's view of a generation: hidden while idle; otherwise what it does, a progress
// bar of frames, and "chunk 3/7 · 9.5 fps · 0:12 left".
class GenerationStatus : public QWidget {
    Q_OBJECT
public:
    explicit GenerationStatus(GenerationController* controller, QWidget* parent = nullptr);
    QString text() const; // what the label shows now

private:
    void refresh();

    GenerationController* m_controller;
    QLabel* m_label;
    QProgressBar* m_bar;
};

} // namespace sfs::ui
