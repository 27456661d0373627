#include "generation/generation_widgets.h"

#include "sfs/ui/generation_controller.h"
#include "sfs/ui/main_window.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSizePolicy>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace sfs::ui {

// ---- Banner ------------------------------------------------------------------------------------

Banner::Banner(Tone tone, QWidget* parent)
    : QFrame(parent), m_tone(tone), m_text(new QLabel(this)),
      m_detailsButton(new QToolButton(this)), m_closeButton(new QToolButton(this)),
      m_details(new QPlainTextEdit(this)) {
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsButton->setObjectName(QStringLiteral("bannerDetailsButton"));
    m_detailsButton->setCheckable(true);
    m_closeButton->setObjectName(QStringLiteral("bannerDismissButton"));
    m_closeButton->setAutoRaise(true);
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_details->setObjectName(QStringLiteral("bannerDetails"));
    m_details->setReadOnly(true);
    m_details->setMaximumHeight(120);
    m_details->hide();

    auto* row = new QHBoxLayout;
    row->addWidget(m_text, 1);
    row->addWidget(m_detailsButton, 0, Qt::AlignTop);
    row->addWidget(m_closeButton, 0, Qt::AlignTop);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(8, 4, 4, 4);
    column->addLayout(row);
    column->addWidget(m_details);

    connect(m_detailsButton, &QToolButton::toggled, m_details, &QWidget::setVisible);
    connect(m_closeButton, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    applyPalette();
    retranslate();
    hide();
}

void Banner::showMessage(const QString& text, const QString& details) {
    m_text->setText(text);
    m_details->setPlainText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setChecked(false);
    setAccessibleDescription(text);
    show();
}

QString Banner::text() const {
    return m_text->text();
}

QString Banner::details() const {
    return m_details->toPlainText();
}

bool Banner::detailsExpanded() const {
    return m_details->isVisible();
}

void Banner::retranslate() {
    m_detailsButton->setText(MainWindow::tr("Details"));
    m_closeButton->setToolTip(MainWindow::tr("Dismiss"));
    m_closeButton->setAccessibleName(MainWindow::tr("Dismiss"));
}

void Banner::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange && !m_applyingPalette) {
        applyPalette(); // the system switched between light and dark
    } else if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QFrame::changeEvent(event);
}

void Banner::applyPalette() {
    // A tint of the tone over the window colour: readable in light and dark themes alike.
    const QColor tint = m_tone == Tone::Error     ? QColor(220, 50, 47)
                        : m_tone == Tone::Warning ? QColor(230, 160, 0)
                                                  : QColor(38, 139, 210);
    QPalette p = parentWidget() != nullptr ? parentWidget()->palette() : palette();
    const QColor window = p.color(QPalette::Window);
    const auto mix = [](int a, int b) { return (a * 3 + b) / 4; };
    const QColor background(mix(window.red(), tint.red()), mix(window.green(), tint.green()),
                            mix(window.blue(), tint.blue()));
    p.setColor(QPalette::Window, background);
    m_applyingPalette = true;
    setPalette(p);
    m_applyingPalette = false;
}

// ---- GenerationStatus --------------------------------------------------------------------------

GenerationStatus::GenerationStatus(GenerationController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_label(new QLabel(this)),
      m_bar(new QProgressBar(this)) {
    setObjectName(QStringLiteral("generationStatus"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    m_label->setObjectName(QStringLiteral("generationStatusText"));
    // Sized to its text, at the right beside the model label (not stretched across the bar).
    m_label->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    m_bar->setObjectName(QStringLiteral("generationProgress"));
    m_bar->setMaximumWidth(160);
    m_bar->setMaximumHeight(14);
    m_bar->setTextVisible(false);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    connect(controller, &GenerationController::stateChanged, this, &GenerationStatus::refresh);
    connect(controller, &GenerationController::progressChanged, this, &GenerationStatus::refresh);
    refresh();
}

QString GenerationStatus::text() const {
    return m_label->text();
}

void GenerationStatus::refresh() {
    const GenerationController::State state = m_controller->state();
    setVisible(state != GenerationController::State::Idle);
    const inference::GenerationProgress& p = m_controller->progress();
    QString text = GenerationController::stateText(state, m_controller->kind());
    if (p.chunksTotal > 0 && state != GenerationController::State::Loading) {
        const int eta = int(p.etaSeconds + 0.5);
        //: Status bar while generating: chunks done of all, frames per second, time left.
        text += MainWindow::tr(" · chunk %1/%2 · %3 fps · %4:%5 left")
                    .arg(p.chunksDone)
                    .arg(p.chunksTotal)
                    .arg(p.framesPerSecond, 0, 'f', 1)
                    .arg(eta / 60)
                    .arg(eta % 60, 2, 10, QLatin1Char('0'));
    }
    m_label->setText(text);
    const bool running = m_controller->isActive();
    m_bar->setVisible(running);
    if (state == GenerationController::State::Loading || p.framesTotal <= 0) {
        m_bar->setRange(0, 0); // busy
    } else {
        m_bar->setRange(0, int(p.framesTotal));
        m_bar->setValue(int(p.framesDone));
    }
}

} // namespace sfs::ui
