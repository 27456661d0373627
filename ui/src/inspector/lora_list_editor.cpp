#include "inspector/lora_list_editor.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace sfs::ui {

LoraListEditor::LoraListEditor(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("loraList"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_rows = new QVBoxLayout;
    layout->addLayout(m_rows);
    m_add = new QPushButton(this);
    m_add->setObjectName(QStringLiteral("addLoraButton"));
    connect(m_add, &QPushButton::clicked, this, &LoraListEditor::addLora);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    retranslate();
}

void LoraListEditor::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void LoraListEditor::retranslate() {
    m_add->setText(tr("Add LoRA…"));
    m_add->setAccessibleName(tr("Add LoRA"));
    m_add->setToolTip(tr("Merge a LoRA file (PEFT, diffusers or ComfyUI) into the video model"));
    rebuild();
}

void LoraListEditor::setLoras(const std::vector<core::LoraSetting>& loras) {
    if (loras == m_loras) {
        return; // keeps the row being edited (and its focus)
    }
    m_loras = loras;
    rebuild();
}

void LoraListEditor::rebuild() {
    // Later, not now: a row's own Remove button may be what is running this.
    const auto drop = [](QWidget* w) {
        if (w != nullptr) {
            w->hide();
            w->deleteLater();
        }
    };
    while (QLayoutItem* item = m_rows->takeAt(0)) {
        if (QLayout* row = item->layout()) {
            while (QLayoutItem* child = row->takeAt(0)) {
                drop(child->widget());
                delete child;
            }
        }
        drop(item->widget());
        delete item;
    }
    if (m_loras.empty()) {
        auto* none = new QLabel(tr("No LoRA"), this);
        none->setObjectName(QStringLiteral("noLoraLabel"));
        none->setEnabled(false);
        m_rows->addWidget(none);
        return;
    }
    for (size_t i = 0; i < m_loras.size(); ++i) {
        const core::LoraSetting& lora = m_loras[i];
        auto* row = new QHBoxLayout;
        auto* name = new QLabel(QFileInfo(lora.path).fileName(), this);
        name->setToolTip(lora.path);
        name->setObjectName(QStringLiteral("loraName%1").arg(i));
        auto* strength = new QDoubleSpinBox(this);
        strength->setObjectName(QStringLiteral("loraStrength%1").arg(i));
        strength->setRange(-core::LoraSetting::kMaxStrength, core::LoraSetting::kMaxStrength);
        strength->setDecimals(2);
        strength->setSingleStep(0.05);
        strength->setValue(lora.strength);
        strength->setAccessibleName(tr("Strength of LoRA %1").arg(name->text()));
        strength->setToolTip(tr("1 applies the LoRA as trained, 0 not at all"));
        connect(strength, &QDoubleSpinBox::valueChanged, this, [this, i](double value) {
            if (i < m_loras.size() && m_loras[i].strength != value) {
                m_loras[i].strength = value;
                Q_EMIT strengthEdited(m_loras);
            }
        });
        auto* remove = new QToolButton(this);
        remove->setObjectName(QStringLiteral("removeLora%1").arg(i));
        remove->setText(tr("Remove"));
        remove->setAccessibleName(tr("Remove LoRA %1").arg(name->text()));
        remove->setToolTip(remove->accessibleName());
        connect(remove, &QToolButton::clicked, this, [this, i] {
            if (i < m_loras.size()) {
                std::vector<core::LoraSetting> loras = m_loras;
                loras.erase(loras.begin() + static_cast<std::ptrdiff_t>(i));
                Q_EMIT listEdited(loras);
            }
        });
        row->addWidget(name, 1);
        row->addWidget(strength);
        row->addWidget(remove);
        m_rows->addLayout(row);
    }
}

void LoraListEditor::addLora() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Add LoRA"), QString(),
        tr("LoRA files (*.safetensors *.pt *.pth *.ckpt *.bin);;All files (*)"));
    if (file.isEmpty()) {
        return;
    }
    std::vector<core::LoraSetting> loras = m_loras;
    loras.push_back({QFileInfo(file).absoluteFilePath(), 1.0});
    Q_EMIT listEdited(loras);
}

} // namespace sfs::ui
