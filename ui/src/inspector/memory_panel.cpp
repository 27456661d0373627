#include "inspector/memory_panel.h"

#include "generation/memory_guard.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace sfs::ui {

namespace {

QString bytes(uint64_t n) {
    return QString::fromStdString(inference::formatBytes(n));
}

QString row(const QString& part, const QString& amount) {
    return QStringLiteral("<tr><td>%1</td><td>&nbsp;&nbsp;%2</td></tr>")
        .arg(part.toHtmlEscaped(), amount.toHtmlEscaped());
}

} // namespace

MemoryPanel::MemoryPanel(core::ProjectDocument* document, MemoryGuard* guard, QWidget* parent)
    : QWidget(parent), m_document(document), m_guard(guard) {
    setObjectName(QStringLiteral("memoryPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_estimate = new QLabel(this);
    m_estimate->setObjectName(QStringLiteral("memoryEstimate"));
    m_estimate->setTextFormat(Qt::RichText);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("memoryVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_suggestions = new QWidget(this);
    m_suggestionLayout = new QVBoxLayout(m_suggestions);
    m_suggestionLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_estimate);
    layout->addWidget(m_verdict);
    layout->addWidget(m_suggestions);
    connect(m_guard, &MemoryGuard::statusChanged, this, &MemoryPanel::showStatus);
    retranslate();
}

void MemoryPanel::retranslate() {
    m_title->setText(tr("Memory"));
    setAccessibleName(tr("Memory estimate"));
    setToolTip(tr("The memory the next take needs on its device, estimated from the render "
                  "settings, against the memory the device has free"));
    showStatus();
}

void MemoryPanel::showStatus() {
    const MemoryStatus& status = m_guard->status();
    // Rebuilt on every status: the buttons belong to the check they came from.
    while (QLayoutItem* item = m_suggestionLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QPalette verdictPalette = palette();
    if (!status.checked) {
        m_estimate->clear();
        m_verdict->setPalette(verdictPalette);
        m_verdict->setText(status.error.isEmpty() ? tr("Estimating…")
                                                  : tr("No estimate: %1").arg(status.error));
        return;
    }
    const inference::MemoryCheck& c = status.check;
    const inference::MemoryEstimate& need = c.need;
    const QString device = c.device.kind == inference::DeviceKind::Cuda
                               ? QString::fromStdString(c.deviceLabel)
                               : tr("the CPU");
    QString table = QStringLiteral("<table>");
    table +=
        row(tr("DiT weights (%1)").arg(QString::fromLatin1(inference::precisionName(c.precision))),
            bytes(need.ditWeights));
    table += row(tr("KV cache (window of %n latent frame(s))", nullptr,
                    static_cast<int>(status.windowLatentFrames)),
                 bytes(need.kvCache));
    table += row(tr("DiT activations"), bytes(need.ditActivations));
    table += row(tr("Decoders"), bytes(need.decoders));
    table += c.textEncoderOnDevice
                 ? row(tr("Text encoder (while encoding)"), bytes(need.textEncoder))
                 : row(tr("Text encoder"), tr("on another device"));
    table += row(tr("Peak on %1").arg(device), bytes(need.total()));
    table +=
        row(tr("Free on %1").arg(device), c.available == 0 ? tr("unknown") : bytes(c.available));
    table += QStringLiteral("</table>");
    m_estimate->setText(table);

    if (c.available == 0) {
        m_verdict->setText(tr("The device's free memory is unknown: not checked."));
    } else if (c.fits()) {
        m_verdict->setText(tr("Fits, with %1 to spare.").arg(bytes(c.available - need.total())));
    } else {
        verdictPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x40, 0x30));
        m_verdict->setText(
            c.suggestions.empty()
                ? tr("Does not fit: %1 short. No setting change is enough; use a smaller size, "
                     "fewer frames or another device.")
                      .arg(bytes(c.shortBy()))
                : tr("Does not fit: %1 short. Any of these settings would fit:")
                      .arg(bytes(c.shortBy())));
    }
    m_verdict->setPalette(verdictPalette);

    using Change = inference::MemorySuggestion::Change;
    for (size_t i = 0; i < c.suggestions.size(); ++i) {
        const inference::MemorySuggestion& s = c.suggestions[i];
        QString what;
        switch (s.change) {
        case Change::SmallerWindow:
            what = tr("A window of %1 latent frames (sink %2)")
                       .arg(s.windowLatentFrames)
                       .arg(s.sinkLatentFrames);
            break;
        case Change::TaehvDecoder:
            what = tr("TAEHV as the decoder");
            break;
        case Change::TextEncoderOnCpu:
            what = tr("The text encoder on the CPU");
            break;
        case Change::LowerPrecision:
            what = tr("%1 instead of %2")
                       .arg(QString::fromLatin1(inference::precisionName(s.precision)),
                            QString::fromLatin1(inference::precisionName(c.precision)));
            break;
        case Change::Combined:
            what = tr("All of these together");
            break;
        }
        auto* button =
            new QPushButton(tr("%1 (needs %2)").arg(what, bytes(s.need.total())), m_suggestions);
        button->setObjectName(QStringLiteral("memorySuggestion"));
        button->setAccessibleName(what);
        button->setToolTip(tr("Change the render settings to this (undoable)"));
        connect(button, &QPushButton::clicked, this,
                [this, index = static_cast<int>(i)] { applySuggestion(index); });
        m_suggestionLayout->addWidget(button);
    }
}

void MemoryPanel::applySuggestion(int index) {
    const MemoryStatus& status = m_guard->status();
    if (index < 0 || static_cast<size_t>(index) >= status.check.suggestions.size()) {
        return;
    }
    const core::RenderSettings settings =
        ui::applySuggestion(m_document->project().settings,
                            status.check.suggestions[static_cast<size_t>(index)], status.check);
    if (settings != m_document->project().settings) {
        m_document->push(std::make_unique<core::SetRenderSettingsCommand>(m_document, settings));
    }
}

} // namespace sfs::ui
