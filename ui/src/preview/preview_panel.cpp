#include "preview/preview_panel.h"

#include "preview/playback_clock.h"
#include "preview/playback_controls.h"
#include "preview/preview_widget.h"
#include "preview/take_selector.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/transport.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace sfs::ui {

PreviewPanel::PreviewPanel(core::ProjectDocument* document, Transport* transport, QWidget* parent)
    : QWidget(parent), m_document(document), m_transport(transport) {
    setObjectName(QStringLiteral("previewArea"));

    m_takes = new TakeSelector(document, this);
    m_takes->setObjectName(QStringLiteral("takeSelector"));
    m_compareTakes = new TakeSelector(document, this);
    m_compareTakes->setObjectName(QStringLiteral("compareTakeSelector"));
    m_modeBox = new QComboBox(this);
    m_modeBox->setObjectName(QStringLiteral("compareMode"));
    m_modeBox->addItems({QString(), QString(), QString()}); // texts in retranslate()
    m_flipButton = new QToolButton(this);
    m_flipButton->setObjectName(QStringLiteral("compareFlip"));
    m_flipButton->setCheckable(true);
    m_takeLabel = new QLabel(this);
    m_takeLabel->setBuddy(m_takes);
    m_modeLabel = new QLabel(this);
    m_modeLabel->setBuddy(m_modeBox);
    m_withLabel = new QLabel(this);
    m_withLabel->setBuddy(m_compareTakes);

    m_preview = new PreviewWidget(document, transport, this);
    m_compare = new PreviewWidget(document, transport, this);
    m_compare->setObjectName(QStringLiteral("comparePreviewWidget"));
    m_compare->setFollowsTransportTake(false);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_takeLabel);
    bar->addWidget(m_takes);
    bar->addSpacing(12);
    bar->addWidget(m_modeLabel);
    bar->addWidget(m_modeBox);
    bar->addWidget(m_withLabel);
    bar->addWidget(m_compareTakes);
    bar->addWidget(m_flipButton);
    bar->addStretch(1);
    auto* views = new QHBoxLayout;
    views->addWidget(m_preview, 1);
    views->addWidget(m_compare, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addLayout(views, 1);

    m_clock = new PlaybackClock(transport, this);
    m_controls = new PlaybackControls(transport, this);

    // The Transport's take and the selector agree; the selector picks the newest take when the
    // one shown goes (undone) or another project opens.
    connect(m_takes, &TakeSelector::takeChosen, this, &PreviewPanel::chooseTake);
    connect(transport, &Transport::takeChanged, m_takes, &TakeSelector::setCurrentTakeId);
    connect(m_compareTakes, &TakeSelector::takeChosen, this, &PreviewPanel::updateViews);
    connect(m_modeBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setCompareMode(static_cast<CompareMode>(index)); });
    connect(m_flipButton, &QToolButton::toggled, this, &PreviewPanel::setShowingB);
    if (document->project().take(transport->takeId()) == nullptr) {
        chooseTake(m_takes->currentTakeId());
    } else {
        m_takes->setCurrentTakeId(transport->takeId());
    }

    retranslate();
    updateViews();
}

void PreviewPanel::chooseTake(const QString& id) {
    m_transport->setTakeId(id);
}

void PreviewPanel::setCompareMode(CompareMode mode) {
    m_mode = mode;
    if (mode != CompareMode::Off && m_compareTakes->currentTakeId() == m_transport->takeId()) {
        // Comparing a take with itself shows nothing: start with another one.
        for (const QString& id : m_compareTakes->takeIds()) {
            if (id != m_transport->takeId()) {
                m_compareTakes->setCurrentTakeId(id);
                break;
            }
        }
    }
    if (m_modeBox->currentIndex() != int(mode)) {
        m_modeBox->setCurrentIndex(int(mode));
    }
    updateViews();
}

void PreviewPanel::setShowingB(bool showB) {
    m_showingB = showB;
    if (m_flipButton->isChecked() != showB) {
        m_flipButton->setChecked(showB);
    }
    updateViews();
}

void PreviewPanel::updateViews() {
    const bool comparing = m_mode != CompareMode::Off;
    // Not comparing, the other view has no take: it decodes nothing.
    m_compare->setTakeId(comparing ? m_compareTakes->currentTakeId() : QString());
    m_withLabel->setVisible(comparing);
    m_compareTakes->setVisible(comparing);
    m_flipButton->setVisible(m_mode == CompareMode::AB);
    m_preview->setVisible(m_mode != CompareMode::AB || !m_showingB);
    m_compare->setVisible(m_mode == CompareMode::SideBySide ||
                          (m_mode == CompareMode::AB && m_showingB));
    m_preview->setCaption(comparing ? QStringLiteral("A") : QString());
    m_compare->setCaption(QStringLiteral("B"));
}

void PreviewPanel::retranslate() {
    m_takeLabel->setText(tr("&Take:"));
    m_modeLabel->setText(tr("&Compare:"));
    m_withLabel->setText(tr("&with:"));
    m_modeBox->setItemText(int(CompareMode::Off), tr("Off"));
    m_modeBox->setItemText(int(CompareMode::SideBySide), tr("Side by side"));
    m_modeBox->setItemText(int(CompareMode::AB), tr("A/B"));
    m_flipButton->setText(tr("A/B"));
    m_flipButton->setToolTip(tr("Show the other take (A: the take chosen, B: the one compared)"));
    m_takes->setAccessibleName(tr("Take shown"));
    m_compareTakes->setAccessibleName(tr("Take compared"));
    m_preview->setAccessibleName(tr("Preview"));
    m_compare->setAccessibleName(tr("Compared take"));
}

void PreviewPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

} // namespace sfs::ui
