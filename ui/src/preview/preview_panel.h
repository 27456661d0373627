#pragma once
// The studio's centre (object name "previewArea"): the take selector, the preview and the
// comparison of two takes, the playback clock and the transport's keys.
//
//   [Take: t3 · … ▾]  [Compare: Off | Side by side | A/B ▾]  [with: t2 ▾]  [A/B]
//   ┌──── A: the Transport's take (and the live frames) ────┐┌──── B: side by side ────┐
//
// Both views follow the same Transport frame. Side by side shows both; A/B shows one at a time
// and the A/B button (or setShowingB()) flips between them, both kept decoded at the playhead
// so the flip is instant. The generation controller feeds preview() (PreviewWidget's API).

#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace sfs::core {
class ProjectDocument;
}

namespace sfs::ui {

class PlaybackClock;
class PlaybackControls;
class PreviewWidget;
class TakeSelector;
class Transport;

class PreviewPanel : public QWidget {
    Q_OBJECT
public:
    enum class CompareMode { Off, SideBySide, AB };

    PreviewPanel(core::ProjectDocument* document, Transport* transport, QWidget* parent = nullptr);

    PreviewWidget* preview() const { return m_preview; }        // A: the Transport's take
    PreviewWidget* comparePreview() const { return m_compare; } // B
    TakeSelector* takeSelector() const { return m_takes; }
    TakeSelector* compareSelector() const { return m_compareTakes; }
    PlaybackControls* playbackControls() const { return m_controls; }
    PlaybackClock* playbackClock() const { return m_clock; }

    CompareMode compareMode() const { return m_mode; }
    void setCompareMode(CompareMode mode);
    bool isShowingB() const { return m_showingB; }
    void setShowingB(bool showB); // A/B mode: which take is in view

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateViews();
    void chooseTake(const QString& id);

    core::ProjectDocument* m_document;
    Transport* m_transport;
    PreviewWidget* m_preview;
    PreviewWidget* m_compare;
    TakeSelector* m_takes;
    TakeSelector* m_compareTakes;
    QComboBox* m_modeBox;
    QToolButton* m_flipButton;
    QLabel* m_takeLabel;
    QLabel* m_modeLabel;
    QLabel* m_withLabel;
    PlaybackClock* m_clock;
    PlaybackControls* m_controls;
    CompareMode m_mode = CompareMode::Off;
    bool m_showingB = false;
};

} // namespace sfs::ui
