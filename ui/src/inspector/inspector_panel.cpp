#include "inspector/inspector_panel.h"

#include "image_import.h"
#include "inspector/lora_list_editor.h"
#include "inspector/memory_panel.h"
#include "inspector/token_counter.h"
#include "model_setup/model_setup_dialog.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/core/project/timeline.h"
#include "sfs/inference/model_discovery.h"
#include "sfs/ui/job.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>
#include <stdexcept>

namespace sfs::ui {

namespace {

constexpr int kThumbnailSize = 240;
constexpr int kReferenceThumbnailSize = 64; // a small picture beside the file name

// Accessible name and tooltip together: every control gets both.
void describe(QWidget* widget, const QString& name, const QString& tip) {
    widget->setAccessibleName(name);
    widget->setToolTip(tip);
}

QString stepsText(const std::vector<int>& steps) {
    QStringList parts;
    for (int t : steps) {
        parts << QString::number(t);
    }
    return parts.join(QStringLiteral(", "));
}

// Puts `text` in `edit` unless it is there already; a field being typed in keeps its cursor
// (as near as the new text allows).
void setLineText(QLineEdit* edit, const QString& text) {
    if (edit->text() == text) {
        return;
    }
    const int cursor = edit->cursorPosition();
    edit->setText(text);
    if (edit->hasFocus()) {
        edit->setCursorPosition(std::min<int>(cursor, static_cast<int>(text.size())));
    }
}

void setSpin(QSpinBox* spin, int value) {
    if (spin->value() != value) {
        spin->setValue(value);
    }
}

void setSpin(QDoubleSpinBox* spin, double value) {
    if (std::abs(spin->value() - value) > 1e-9) {
        spin->setValue(value);
    }
}

void setComboData(QComboBox* combo, const QString& data) {
    const int index = combo->findData(data);
    if (index >= 0) {
        combo->setCurrentIndex(index);
    } else if (combo->isEditable()) {
        combo->setEditText(data);
    }
}

// A word-wrapped label that keeps the height its lines need at its current width: in the
// scrolled inspector page the layout would otherwise squeeze it and cut lines off.
class WrappingLabel : public QLabel {
public:
    using QLabel::QLabel;

protected:
    void resizeEvent(QResizeEvent* event) override {
        QLabel::resizeEvent(event);
        const int needed = heightForWidth(event->size().width());
        if (needed > 0 && needed != minimumHeight()) {
            setMinimumHeight(needed); // a hard minimum: the page grows and scrolls instead
        }
    }
};

} // namespace

InspectorPanel::InspectorPanel(core::ProjectDocument* document, Selection* selection,
                               QWidget* parent)
    : QWidget(parent), m_document(document), m_selection(selection),
      m_tokenCounter(new PromptTokenCounter(this)) {
    setObjectName(QStringLiteral("inspectorPanel"));
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("inspectorTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("inspectorPages"));
    buildSettingsPage();
    buildKeyframePage();
    buildPromptPage();
    buildMarkerPage();
    buildTakePage();
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_pages);
    layout->addWidget(scroll, 1);

    // The rules' message for a refused edit, inline: never a dialog while typing.
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("inspectorProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette warning = m_problem->palette();
    warning.setColor(QPalette::WindowText, QColor(0xd0, 0x40, 0x30));
    m_problem->setPalette(warning);
    m_problem->hide();
    layout->addWidget(m_problem);

    connect(m_selection, &Selection::changed, this, [this] {
        endGesture();
        m_shown.clear(); // another item: every field shows its value
        showProblem(QString());
        refresh();
    });
    connect(m_document, &core::ProjectDocument::changed, this, [this] {
        m_selection->prune(m_document->project());
        refresh();
    });
    // Undo, redo or another panel's edit ends the gesture: the next keystroke is a new step.
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, [this] {
        if (!m_pushing) {
            endGesture();
        }
    });
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget* old, QWidget*) {
        if (old != nullptr && (old == m_gestureControl || old->parent() == m_gestureControl)) {
            endGesture();
        }
    });
    connect(m_tokenCounter, &PromptTokenCounter::counted, this, &InspectorPanel::showTokenCount);

    retranslate();
    refresh();
}

InspectorPanel::~InspectorPanel() = default;

InspectorPanel::Page InspectorPanel::currentPage() const {
    return static_cast<Page>(m_pages->currentIndex());
}

QString InspectorPanel::problem() const {
    return m_problem->text();
}

// ---- Building ---------------------------------------------------------------------------

void InspectorPanel::buildSettingsPage() {
    auto* page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("settingsPage"));
    m_settingsForm = new QFormLayout(page);

    m_width = new QSpinBox(page);
    m_width->setObjectName(QStringLiteral("widthSpin"));
    m_height = new QSpinBox(page);
    m_height->setObjectName(QStringLiteral("heightSpin"));
    for (QSpinBox* size : {m_width, m_height}) {
        size->setRange(core::RenderSettings::kMinSize, core::RenderSettings::kMaxSize);
        size->setSingleStep(core::RenderSettings::kSizeStep);
        size->setKeyboardTracking(false); // typed digits count once the number is whole
        connect(size, &QSpinBox::valueChanged, this, [this, size](int value) {
            editSettings(size, [size, value, this](core::RenderSettings& s) {
                (size == m_width ? s.width : s.height) = value;
                return QString();
            });
        });
        connect(size, &QSpinBox::editingFinished, this, &InspectorPanel::endGesture);
    }
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), page));
    sizeRow->addWidget(m_height);
    m_settingsForm->addRow(new QLabel(page), sizeRow);

    m_duration = new QSpinBox(page);
    m_duration->setObjectName(QStringLiteral("durationSpin"));
    m_duration->setRange(core::timeline::kMinDurationFrames, core::timeline::kMaxDurationFrames);
    m_duration->setSingleStep(core::timeline::kFramesPerChunk);
    m_duration->setKeyboardTracking(false);
    connect(m_duration, &QSpinBox::valueChanged, this, [this](int frames) {
        if (!m_filling && frames != m_document->project().durationFrames) {
            apply(std::make_unique<core::SetDurationCommand>(m_document, frames));
        }
    });
    m_durationSeconds = new QLabel(page);
    m_durationSeconds->setObjectName(QStringLiteral("durationSeconds"));
    auto* durationRow = new QHBoxLayout;
    durationRow->addWidget(m_duration, 1);
    durationRow->addWidget(m_durationSeconds);
    m_settingsForm->addRow(new QLabel(page), durationRow);

    m_seed = new QLineEdit(page);
    m_seed->setObjectName(QStringLiteral("seedEdit"));
    connect(m_seed, &QLineEdit::textEdited, this, [this](const QString& text) {
        editSettings(m_seed, [this, text](core::RenderSettings& s) {
            bool ok = false;
            const qint64 seed = text.trimmed().toLongLong(&ok);
            if (!ok) {
                return tr("The seed must be a whole number from 0 to %1.")
                    .arg(core::RenderSettings::kMaxSeed);
            }
            s.seed = seed;
            return QString();
        });
    });
    connect(m_seed, &QLineEdit::editingFinished, this, &InspectorPanel::endGesture);
    m_dice = new QToolButton(page);
    m_dice->setObjectName(QStringLiteral("diceButton"));
    m_dice->setText(QStringLiteral("⚄"));
    connect(m_dice, &QToolButton::clicked, this, &InspectorPanel::rollSeed);
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(m_dice);
    m_settingsForm->addRow(new QLabel(page), seedRow);

    m_steps = new QLineEdit(page);
    m_steps->setObjectName(QStringLiteral("stepsEdit"));
    connect(m_steps, &QLineEdit::textEdited, this, [this](const QString& text) {
        editSettings(m_steps, [this, text](core::RenderSettings& s) {
            std::vector<int> steps;
            for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                bool ok = false;
                const int t = part.trimmed().toInt(&ok);
                if (!ok) {
                    return tr("Steps are whole numbers separated by commas, e.g. 1000, 750, "
                              "500, 250.");
                }
                steps.push_back(t);
            }
            s.steps = steps;
            return QString();
        });
    });
    connect(m_steps, &QLineEdit::editingFinished, this, &InspectorPanel::endGesture);
    m_settingsForm->addRow(new QLabel(page), m_steps);

    m_decoder = new QComboBox(page);
    m_decoder->setObjectName(QStringLiteral("decoderCombo"));
    for (const QString& name : core::decoderNames()) {
        m_decoder->addItem(name, name);
    }
    connect(m_decoder, &QComboBox::activated, this, [this](int index) {
        const auto decoder = core::decoderFromString(m_decoder->itemData(index).toString());
        editSettings(m_decoder, [decoder](core::RenderSettings& s) {
            s.decoder = decoder.value_or(s.decoder);
            return QString();
        });
        endGesture();
    });
    m_settingsForm->addRow(new QLabel(page), m_decoder);

    // A combo of fixed choices whose item data is the setting's name in the file.
    const auto choiceCombo = [this, page](const char* objectName, const QStringList& names,
                                          void (*set)(core::RenderSettings&, const QString&)) {
        auto* combo = new QComboBox(page);
        combo->setObjectName(QString::fromLatin1(objectName));
        // Long item texts must not widen the dock: the inspector stays narrow.
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(12);
        for (const QString& name : names) {
            combo->addItem(name, name);
        }
        connect(combo, &QComboBox::activated, this, [this, combo, set](int index) {
            const QString name = combo->itemData(index).toString();
            editSettings(combo, [set, name](core::RenderSettings& s) {
                set(s, name);
                return QString();
            });
            endGesture();
        });
        m_settingsForm->addRow(new QLabel(page), combo);
        return combo;
    };
    m_previewDecoder =
        choiceCombo("previewDecoderCombo", core::previewDecoderNames(),
                    [](core::RenderSettings& s, const QString& name) {
                        s.previewDecoder =
                            core::previewDecoderFromString(name).value_or(s.previewDecoder);
                    });

    m_window = new QSpinBox(page);
    m_window->setObjectName(QStringLiteral("windowSpin"));
    m_sink = new QSpinBox(page);
    m_sink->setObjectName(QStringLiteral("sinkSpin"));
    for (QSpinBox* spin : {m_window, m_sink}) {
        spin->setRange(0, core::RenderSettings::kMaxAttentionWindow);
        spin->setKeyboardTracking(false);
        connect(spin, &QSpinBox::valueChanged, this, [this, spin](int value) {
            editSettings(spin, [this, spin, value](core::RenderSettings& s) {
                (spin == m_window ? s.attentionWindow : s.sinkFrames) = value;
                return QString();
            });
        });
        connect(spin, &QSpinBox::editingFinished, this, &InspectorPanel::endGesture);
    }
    auto* windowRow = new QHBoxLayout;
    windowRow->addWidget(m_window, 1);
    windowRow->addWidget(m_sink, 1);
    m_settingsForm->addRow(new QLabel(page), windowRow);

    m_device = new QComboBox(page);
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_device->setEditable(true); // "cuda:1" and the like
    for (const char* device : {"auto", "cpu", "cuda"}) {
        m_device->addItem(QString::fromLatin1(device), QString::fromLatin1(device));
    }
    const auto editDevice = [this] {
        const QString device = m_device->currentText().trimmed();
        editSettings(m_device, [device](core::RenderSettings& s) {
            s.device = device;
            return QString();
        });
        endGesture();
    };
    connect(m_device, &QComboBox::activated, this, editDevice);
    connect(m_device->lineEdit(), &QLineEdit::editingFinished, this, editDevice);
    m_settingsForm->addRow(new QLabel(page), m_device);
    m_precision =
        choiceCombo("precisionCombo",
                    {QStringLiteral("auto"), QStringLiteral("float32"), QStringLiteral("bfloat16"),
                     QStringLiteral("float16")},
                    [](core::RenderSettings& s, const QString& name) { s.precision = name; });
    m_textEncoder = choiceCombo(
        "textEncoderCombo", {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("gpu")},
        [](core::RenderSettings& s, const QString& name) { s.textEncoderDevice = name; });

    m_modelFolder = new QLineEdit(page);
    m_modelFolder->setObjectName(QStringLiteral("modelFolderEdit"));
    m_modelFolder->setReadOnly(true);
    m_chooseModel = new QPushButton(page);
    m_chooseModel->setObjectName(QStringLiteral("chooseModelButton"));
    connect(m_chooseModel, &QPushButton::clicked, this, &InspectorPanel::chooseModelFolder);
    m_demoModel = new QPushButton(page);
    m_demoModel->setObjectName(QStringLiteral("demoModelButton"));
    connect(m_demoModel, &QPushButton::clicked, this, [this] {
        editSettings(m_demoModel, [](core::RenderSettings& s) {
            s.modelFolder.clear();
            return QString();
        });
        endGesture();
    });
    auto* modelButtons = new QHBoxLayout;
    modelButtons->addWidget(m_chooseModel);
    modelButtons->addWidget(m_demoModel);
    modelButtons->addStretch(1);
    auto* modelColumn = new QVBoxLayout;
    modelColumn->addWidget(m_modelFolder);
    modelColumn->addLayout(modelButtons);
    m_settingsForm->addRow(new QLabel(page), modelColumn);

    // LoRAs merged into the DiT: a strength spun is one step, adding or removing one is one.
    m_loraList = new LoraListEditor(page);
    const auto editLoras = [this](const std::vector<core::LoraSetting>& loras) {
        editSettings(m_loraList, [loras](core::RenderSettings& s) {
            s.loras = loras;
            return QString();
        });
    };
    connect(m_loraList, &LoraListEditor::strengthEdited, this, editLoras);
    connect(m_loraList, &LoraListEditor::listEdited, this,
            [this, editLoras](const std::vector<core::LoraSetting>& loras) {
                endGesture();
                editLoras(loras);
                endGesture();
            });
    m_settingsForm->addRow(new QLabel(page), m_loraList);

    // The VACE reference image: a thumbnail and the file name, "Choose…" and "Clear", each one
    // undo step; its strength below (off while there is no image).
    m_referenceThumbnail = new QLabel(page);
    m_referenceThumbnail->setObjectName(QStringLiteral("referenceThumbnail"));
    m_referenceThumbnail->setFixedSize(kReferenceThumbnailSize, kReferenceThumbnailSize);
    m_referenceThumbnail->setAlignment(Qt::AlignCenter);
    m_referenceThumbnail->setFrameShape(QFrame::StyledPanel);
    m_referenceName = new QLabel(page);
    m_referenceName->setObjectName(QStringLiteral("referenceName"));
    m_referenceName->setWordWrap(true);
    m_chooseReference = new QPushButton(page);
    m_chooseReference->setObjectName(QStringLiteral("chooseReferenceButton"));
    connect(m_chooseReference, &QPushButton::clicked, this, &InspectorPanel::chooseReferenceImage);
    m_clearReference = new QPushButton(page);
    m_clearReference->setObjectName(QStringLiteral("clearReferenceButton"));
    connect(m_clearReference, &QPushButton::clicked, this, [this] {
        endGesture();
        editSettings(m_clearReference, [](core::RenderSettings& s) {
            s.referenceImage.clear();
            return QString();
        });
        endGesture();
    });
    // The picture and its name side by side, the buttons under them: the dock stays narrow.
    auto* referenceRow = new QHBoxLayout;
    referenceRow->addWidget(m_referenceThumbnail, 0, Qt::AlignTop);
    referenceRow->addWidget(m_referenceName, 1, Qt::AlignTop);
    auto* referenceButtons = new QHBoxLayout;
    referenceButtons->addWidget(m_chooseReference);
    referenceButtons->addWidget(m_clearReference);
    referenceButtons->addStretch(1);
    m_referenceHint = new WrappingLabel(page);
    m_referenceHint->setObjectName(QStringLiteral("referenceVaceHint"));
    m_referenceHint->setWordWrap(true);
    QPalette hintPalette = m_referenceHint->palette();
    hintPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x40, 0x30));
    m_referenceHint->setPalette(hintPalette);
    m_referenceHint->hide();
    auto* referenceColumn = new QVBoxLayout;
    referenceColumn->addLayout(referenceRow);
    referenceColumn->addLayout(referenceButtons);
    m_settingsForm->addRow(new QLabel(page), referenceColumn);
    m_settingsForm->addRow(m_referenceHint); // the form's full width: room for its lines

    m_referenceScale = new QDoubleSpinBox(page);
    m_referenceScale->setObjectName(QStringLiteral("referenceScaleSpin"));
    m_referenceScale->setRange(0.0, core::rules::kMaxVaceScale);
    m_referenceScale->setSingleStep(0.05);
    m_referenceScale->setDecimals(2);
    connect(m_referenceScale, &QDoubleSpinBox::valueChanged, this, [this](double scale) {
        editSettings(m_referenceScale, [scale](core::RenderSettings& s) {
            s.referenceScale = scale;
            return QString();
        });
    });
    connect(m_referenceScale, &QAbstractSpinBox::editingFinished, this,
            &InspectorPanel::endGesture);
    m_settingsForm->addRow(new QLabel(page), m_referenceScale);

    m_pages->addWidget(page);
}

void InspectorPanel::setMemoryGuard(MemoryGuard* guard) {
    if (m_memoryPanel != nullptr || guard == nullptr) {
        return;
    }
    m_memoryPanel = new MemoryPanel(m_document, guard, m_settingsForm->parentWidget());
    m_settingsForm->addRow(m_memoryPanel);
}

void InspectorPanel::buildKeyframePage() {
    auto* page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("keyframePage"));
    m_keyframeForm = new QFormLayout(page);

    m_image = new QLabel(page);
    m_image->setObjectName(QStringLiteral("keyframeImage"));
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setMinimumSize(kThumbnailSize / 2, kThumbnailSize / 3);
    m_keyframeForm->addRow(m_image);
    m_keyframeSource = new QLabel(page);
    m_keyframeSource->setObjectName(QStringLiteral("keyframeSource"));
    m_keyframeSource->setWordWrap(true);
    m_keyframeForm->addRow(new QLabel(page), m_keyframeSource);
    m_keyframeFrame = new QLabel(page);
    m_keyframeFrame->setObjectName(QStringLiteral("keyframeFrame"));
    m_keyframeForm->addRow(new QLabel(page), m_keyframeFrame);

    m_strengthSlider = new QSlider(Qt::Horizontal, page);
    m_strengthSlider->setObjectName(QStringLiteral("strengthSlider"));
    m_strengthSlider->setRange(0, 100);
    m_strength = new QDoubleSpinBox(page);
    m_strength->setObjectName(QStringLiteral("strengthSpin"));
    m_strength->setRange(0.0, 1.0);
    m_strength->setSingleStep(0.05);
    m_strength->setDecimals(2);
    const auto editStrength = [this](const QObject* control, double strength) {
        if (m_filling || m_selection->kind() != Selection::Kind::Keyframe) {
            return;
        }
        apply(std::make_unique<core::SetKeyframeStrengthCommand>(m_document, m_selection->id(),
                                                                 strength, gestureFor(control)));
    };
    connect(m_strengthSlider, &QSlider::valueChanged, this,
            [this, editStrength](int percent) { editStrength(m_strengthSlider, percent / 100.0); });
    connect(m_strengthSlider, &QSlider::sliderPressed, this, &InspectorPanel::endGesture);
    connect(m_strengthSlider, &QSlider::sliderReleased, this, &InspectorPanel::endGesture);
    connect(m_strength, &QDoubleSpinBox::valueChanged, this,
            [this, editStrength](double value) { editStrength(m_strength, value); });
    connect(m_strength, &QDoubleSpinBox::editingFinished, this, &InspectorPanel::endGesture);
    auto* strengthRow = new QHBoxLayout;
    strengthRow->addWidget(m_strengthSlider, 1);
    strengthRow->addWidget(m_strength);
    m_keyframeForm->addRow(new QLabel(page), strengthRow);

    m_fit = new QComboBox(page);
    m_fit->setObjectName(QStringLiteral("fitCombo"));
    for (const QString& name : core::fitModeNames()) {
        m_fit->addItem(name, name);
    }
    connect(m_fit, &QComboBox::activated, this, [this](int index) {
        const auto fit = core::fitModeFromString(m_fit->itemData(index).toString());
        if (fit && m_selection->kind() == Selection::Kind::Keyframe) {
            apply(
                std::make_unique<core::SetKeyframeFitCommand>(m_document, m_selection->id(), *fit));
        }
    });
    m_keyframeForm->addRow(new QLabel(page), m_fit);

    m_approachChunks = new QSpinBox(page);
    m_approachChunks->setObjectName(QStringLiteral("approachChunksSpin"));
    m_approachChunks->setRange(0, core::rules::kMaxApproachChunks);
    m_approachWeight = new QDoubleSpinBox(page);
    m_approachWeight->setObjectName(QStringLiteral("approachWeightSpin"));
    m_approachWeight->setRange(0.0, 1.0);
    m_approachWeight->setSingleStep(0.05);
    m_approachWeight->setDecimals(2);
    m_approachSteps = new QSpinBox(page);
    m_approachSteps->setObjectName(QStringLiteral("approachStepsSpin"));
    m_approachSteps->setRange(0, core::rules::kMaxApproachSteps);
    connect(m_approachChunks, &QSpinBox::valueChanged, this,
            [this] { editKeyframeApproach(m_approachChunks); });
    connect(m_approachWeight, &QDoubleSpinBox::valueChanged, this,
            [this] { editKeyframeApproach(m_approachWeight); });
    connect(m_approachSteps, &QSpinBox::valueChanged, this,
            [this] { editKeyframeApproach(m_approachSteps); });
    for (QAbstractSpinBox* spin : std::initializer_list<QAbstractSpinBox*>{
             m_approachChunks, m_approachWeight, m_approachSteps}) {
        connect(spin, &QAbstractSpinBox::editingFinished, this, &InspectorPanel::endGesture);
        m_keyframeForm->addRow(new QLabel(page), spin);
    }

    // VACE (docs/keyframes.md "Keyframes with VACE"): on or off, and its context scale.
    m_vace = new QCheckBox(page);
    m_vace->setObjectName(QStringLiteral("vaceCheck"));
    m_vaceScale = new QDoubleSpinBox(page);
    m_vaceScale->setObjectName(QStringLiteral("vaceScaleSpin"));
    m_vaceScale->setRange(0.0, core::rules::kMaxVaceScale);
    m_vaceScale->setSingleStep(0.1);
    m_vaceScale->setDecimals(2);
    connect(m_vace, &QCheckBox::toggled, this, [this] {
        editKeyframeVace(m_vace);
        endGesture();
    });
    connect(m_vaceScale, &QDoubleSpinBox::valueChanged, this,
            [this] { editKeyframeVace(m_vaceScale); });
    connect(m_vaceScale, &QAbstractSpinBox::editingFinished, this, &InspectorPanel::endGesture);
    m_keyframeForm->addRow(new QLabel(page), m_vace);
    m_keyframeForm->addRow(new QLabel(page), m_vaceScale);

    m_label = new QLineEdit(page);
    m_label->setObjectName(QStringLiteral("labelEdit"));
    connect(m_label, &QLineEdit::textEdited, this, [this](const QString& text) {
        if (m_selection->kind() == Selection::Kind::Keyframe) {
            apply(std::make_unique<core::SetKeyframeLabelCommand>(m_document, m_selection->id(),
                                                                  text, gestureFor(m_label)));
        }
    });
    connect(m_label, &QLineEdit::editingFinished, this, &InspectorPanel::endGesture);
    m_keyframeForm->addRow(new QLabel(page), m_label);

    m_pages->addWidget(page);
}

void InspectorPanel::buildPromptPage() {
    auto* page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("promptPage"));
    auto* layout = new QVBoxLayout(page);
    m_promptRange = new QLabel(page);
    m_promptRange->setObjectName(QStringLiteral("promptRange"));
    layout->addWidget(m_promptRange);
    m_promptText = new QPlainTextEdit(page);
    m_promptText->setObjectName(QStringLiteral("promptTextEdit"));
    m_promptText->setTabChangesFocus(true);
    connect(m_promptText, &QPlainTextEdit::textChanged, this, [this] {
        if (m_filling || m_selection->kind() != Selection::Kind::Prompt) {
            return;
        }
        const QString text = m_promptText->toPlainText();
        m_tokenCounter->request(text);
        apply(std::make_unique<core::SetPromptTextCommand>(m_document, m_selection->id(), text,
                                                           gestureFor(m_promptText)));
    });
    layout->addWidget(m_promptText, 1);
    m_tokenCount = new QLabel(page);
    m_tokenCount->setObjectName(QStringLiteral("tokenCount"));
    m_tokenCount->setWordWrap(true);
    layout->addWidget(m_tokenCount);
    m_pages->addWidget(page);
}

void InspectorPanel::buildMarkerPage() {
    auto* page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("markerPage"));
    m_markerForm = new QFormLayout(page);
    m_markerName = new QLineEdit(page);
    m_markerName->setObjectName(QStringLiteral("markerNameEdit"));
    connect(m_markerName, &QLineEdit::textEdited, this, [this](const QString& name) {
        if (m_selection->kind() == Selection::Kind::Marker) {
            apply(std::make_unique<core::RenameMarkerCommand>(m_document, m_selection->id(), name,
                                                              gestureFor(m_markerName)));
        }
    });
    connect(m_markerName, &QLineEdit::editingFinished, this, &InspectorPanel::endGesture);
    m_markerForm->addRow(new QLabel(page), m_markerName);
    m_markerFrame = new QSpinBox(page);
    m_markerFrame->setObjectName(QStringLiteral("markerFrameSpin"));
    m_markerFrame->setKeyboardTracking(false);
    connect(m_markerFrame, &QSpinBox::valueChanged, this, [this](int frame) {
        if (!m_filling && m_selection->kind() == Selection::Kind::Marker) {
            apply(std::make_unique<core::MoveMarkerCommand>(m_document, m_selection->id(), frame,
                                                            gestureFor(m_markerFrame)));
        }
    });
    connect(m_markerFrame, &QSpinBox::editingFinished, this, &InspectorPanel::endGesture);
    m_markerTime = new QLabel(page);
    m_markerTime->setObjectName(QStringLiteral("markerTime"));
    auto* frameRow = new QHBoxLayout;
    frameRow->addWidget(m_markerFrame, 1);
    frameRow->addWidget(m_markerTime);
    m_markerForm->addRow(new QLabel(page), frameRow);
    m_pages->addWidget(page);
}

void InspectorPanel::buildTakePage() {
    auto* page = new QWidget(m_pages);
    page->setObjectName(QStringLiteral("takePage"));
    auto* layout = new QVBoxLayout(page);
    m_takeInfo = new QLabel(page);
    m_takeInfo->setObjectName(QStringLiteral("takeInfo"));
    m_takeInfo->setWordWrap(true);
    m_takeInfo->setTextFormat(Qt::PlainText);
    m_takeInfo->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_takeInfo->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_takeInfo);
    layout->addStretch(1);
    m_pages->addWidget(page);
}

void InspectorPanel::retranslate() {
    const auto row = [](QFormLayout* form, QWidget* field, const QString& text) {
        if (QWidget* label = form->labelForField(field)) {
            if (auto* l = qobject_cast<QLabel*>(label)) {
                l->setText(text);
                l->setBuddy(field); // the mnemonic focuses the field
            }
        }
    };
    // Whether `layout` or a layout nested in it holds `widget`.
    const std::function<bool(QLayout*, QWidget*)> holds = [&holds](QLayout* layout,
                                                                   QWidget* widget) {
        for (int i = 0; i < layout->count(); ++i) {
            QLayoutItem* item = layout->itemAt(i);
            if (item->widget() == widget ||
                (item->layout() != nullptr && holds(item->layout(), widget))) {
                return true;
            }
        }
        return false;
    };
    const auto rowOfLayout = [&holds](QFormLayout* form, QWidget* fieldInside,
                                      const QString& text) {
        for (int i = 0; i < form->rowCount(); ++i) {
            QLayoutItem* field = form->itemAt(i, QFormLayout::FieldRole);
            QLayoutItem* label = form->itemAt(i, QFormLayout::LabelRole);
            if (field != nullptr && field->layout() != nullptr && label != nullptr &&
                holds(field->layout(), fieldInside)) {
                if (auto* l = qobject_cast<QLabel*>(label->widget())) {
                    l->setText(text);
                    l->setBuddy(fieldInside);
                }
            }
        }
    };
    // Render settings.
    rowOfLayout(m_settingsForm, m_width, tr("&Size:"));
    describe(m_width, tr("Width"), tr("Video width in pixels (a multiple of 16)"));
    describe(m_height, tr("Height"), tr("Video height in pixels (a multiple of 16)"));
    m_width->setSuffix(tr(" px"));
    m_height->setSuffix(tr(" px"));
    rowOfLayout(m_settingsForm, m_duration, tr("&Duration:"));
    describe(m_duration, tr("Duration"),
             tr("Timeline length in frames: whole chunks of 12 frames, less 3 for the first "
                "(9, 21, … 81 = 5 s)"));
    m_duration->setSuffix(tr(" frames"));
    rowOfLayout(m_settingsForm, m_seed, tr("S&eed:"));
    describe(m_seed, tr("Seed"),
             tr("The noise seed: the same seed and settings give the same take"));
    describe(m_dice, tr("Random seed"), tr("Roll a new random seed"));
    row(m_settingsForm, m_steps, tr("S&teps:"));
    describe(m_steps, tr("Denoising steps"),
             tr("The denoising timesteps, strictly decreasing, e.g. 1000, 750, 500, 250"));
    row(m_settingsForm, m_decoder, tr("Dec&oder:"));
    describe(m_decoder, tr("Decoder"),
             tr("The decoder of the final frames: wan-vae (full quality) or taehv (fast)"));
    m_decoder->setItemText(m_decoder->findData(QStringLiteral("wan-vae")),
                           tr("Wan VAE (full quality)"));
    m_decoder->setItemText(m_decoder->findData(QStringLiteral("taehv")), tr("TAEHV (fast)"));
    row(m_settingsForm, m_previewDecoder, tr("&Preview:"));
    describe(m_previewDecoder, tr("Preview decoder"),
             tr("What the live preview shows while a take generates: the final decoder's "
                "frames, or TAEHV's fast ones while the final decoder makes the take"));
    m_previewDecoder->setItemText(m_previewDecoder->findData(QStringLiteral("final")),
                                  tr("The final decoder's frames"));
    m_previewDecoder->setItemText(m_previewDecoder->findData(QStringLiteral("taehv")),
                                  tr("TAEHV (fast preview)"));
    rowOfLayout(m_settingsForm, m_window, tr("&Window / sink:"));
    describe(m_window, tr("Attention window"),
             tr("Latent frames of context the model attends to; 0 = the whole take so far"));
    m_window->setSpecialValueText(tr("Full context"));
    describe(m_sink, tr("Sink frames"),
             tr("Latent frames at the start kept in view when the window rolls on"));
    m_sink->setSuffix(tr(" sink"));
    row(m_settingsForm, m_device, tr("De&vice:"));
    describe(m_device, tr("Device"), tr("Where the model runs: auto, cpu, cuda or cuda:N"));
    row(m_settingsForm, m_precision, tr("P&recision:"));
    describe(m_precision, tr("Precision"),
             tr("The number format of the models' weights and caches: lower precision halves "
                "the memory; float16 runs on a GPU only. Auto: bfloat16 on a GPU, float32 on "
                "the CPU"));
    m_precision->setItemText(m_precision->findData(QStringLiteral("auto")), tr("Auto"));
    m_precision->setItemText(m_precision->findData(QStringLiteral("float16")),
                             tr("float16 (GPU only)"));
    row(m_settingsForm, m_textEncoder, tr("Te&xt encoder:"));
    describe(m_textEncoder, tr("Text encoder device"),
             tr("Where the text encoder runs when a prompt is encoded: on the CPU, or on the "
                "GPU (freed after encoding). Auto: the GPU when it has 24 GiB or more"));
    m_textEncoder->setItemText(m_textEncoder->findData(QStringLiteral("auto")), tr("Auto"));
    m_textEncoder->setItemText(m_textEncoder->findData(QStringLiteral("cpu")), tr("CPU"));
    m_textEncoder->setItemText(m_textEncoder->findData(QStringLiteral("gpu")),
                               tr("GPU (freed after encoding)"));
    if (m_memoryPanel != nullptr) {
        m_memoryPanel->retranslate();
    }
    rowOfLayout(m_settingsForm, m_modelFolder, tr("&Model:"));
    describe(m_modelFolder, tr("Model folder"), tr("The folder of model files the project uses"));
    m_modelFolder->setPlaceholderText(tr("Built-in demo model (untrained)"));
    m_chooseModel->setText(tr("Choose…"));
    describe(m_chooseModel, tr("Choose model folder"), tr("Pick a folder of model files"));
    row(m_settingsForm, m_loraList, tr("LoRA:"));
    m_demoModel->setText(tr("Demo"));
    describe(m_demoModel, tr("Use the demo model"),
             tr("Use the built-in demo model (untrained: it makes structured noise)"));
    rowOfLayout(m_settingsForm, m_chooseReference, tr("Re&ference:"));
    const QString referenceTip =
        tr("An image every chunk is steered toward by VACE: its style or its subject's "
           "identity (needs VACE weights; the demo model has them)");
    describe(m_referenceThumbnail, tr("Reference image"), referenceTip);
    describe(m_referenceName, tr("Reference image file"), referenceTip);
    m_chooseReference->setText(tr("Choose…"));
    describe(m_chooseReference, tr("Choose reference image"),
             tr("Pick an image file; it is copied into the project's assets"));
    m_clearReference->setText(tr("Clear"));
    describe(m_clearReference, tr("Clear reference image"),
             tr("Generate without a reference image"));
    m_referenceHint->setText(
        tr("This model has no VACE weights, so a take with a reference image cannot be "
           "generated: add Wan2.1-VACE-1.3B's weights to the model folder, use the demo model, "
           "or clear the image."));
    row(m_settingsForm, m_referenceScale, tr("Reference stren&gth:"));
    describe(m_referenceScale, tr("Reference strength"),
             tr("How strongly the reference image steers every chunk (the VACE context scale, "
                "0…%1)")
                 .arg(core::rules::kMaxVaceScale));

    // Keyframe.
    describe(m_image, tr("Keyframe image"), tr("The keyframe's image"));
    row(m_keyframeForm, m_keyframeSource, tr("File:"));
    row(m_keyframeForm, m_keyframeFrame, tr("Frame:"));
    rowOfLayout(m_keyframeForm, m_strength, tr("St&rength:"));
    describe(m_strengthSlider, tr("Strength"),
             tr("How far the landing frame blends toward the image (1: exactly the image)"));
    describe(m_strength, tr("Strength"),
             tr("How far the landing frame blends toward the image (1: exactly the image)"));
    row(m_keyframeForm, m_fit, tr("&Fit:"));
    describe(m_fit, tr("Fit"),
             tr("How the image meets the video size: cover (crop), fit (bars) or stretch"));
    m_fit->setItemText(m_fit->findData(QStringLiteral("cover")), tr("Cover (crop)"));
    m_fit->setItemText(m_fit->findData(QStringLiteral("fit")), tr("Fit (bars)"));
    m_fit->setItemText(m_fit->findData(QStringLiteral("stretch")), tr("Stretch"));
    row(m_keyframeForm, m_approachChunks, tr("&Approach:"));
    describe(m_approachChunks, tr("Approach chunks"),
             tr("Chunks before the landing that are pulled toward the image; 0: none"));
    m_approachChunks->setSuffix(tr(" chunks"));
    row(m_keyframeForm, m_approachWeight, tr("Approach &weight:"));
    describe(m_approachWeight, tr("Approach weight"),
             tr("The largest pull toward the image during the approach (0…1)"));
    row(m_keyframeForm, m_approachSteps, tr("Approach ste&ps:"));
    describe(m_approachSteps, tr("Approach steps"),
             tr("The early denoising steps in which the approach pulls"));
    row(m_keyframeForm, m_vace, tr("VA&CE:"));
    m_vace->setText(tr("Steer by VACE"));
    describe(m_vace, tr("VACE"),
             tr("Also steer toward the image with VACE: a context in the landing chunk, a "
                "reference in the approach (needs VACE weights)"));
    row(m_keyframeForm, m_vaceScale, tr("VACE &scale:"));
    describe(m_vaceScale, tr("VACE scale"),
             tr("How strongly the VACE context acts (0…%1)").arg(core::rules::kMaxVaceScale));
    row(m_keyframeForm, m_label, tr("&Label:"));
    describe(m_label, tr("Label"), tr("A name for the keyframe, shown on the timeline"));

    // Prompt.
    describe(m_promptText, tr("Prompt text"),
             tr("What the video shows from this segment's first frame on"));
    describe(m_tokenCount, tr("Token count"),
             tr("Prompt tokens against the text encoder's limit; words beyond it are ignored"));

    // Marker.
    row(m_markerForm, m_markerName, tr("&Name:"));
    describe(m_markerName, tr("Marker name"), tr("The marker's name, shown on the timeline"));
    rowOfLayout(m_markerForm, m_markerFrame, tr("&Frame:"));
    describe(m_markerFrame, tr("Marker frame"), tr("The frame the marker sits on"));

    // Take.
    describe(m_takeInfo, tr("Take details"), tr("How this take was generated"));

    if (m_tokens >= 0) {
        showTokenCount(m_tokens, m_tokensExact, m_tokensWhy);
    }
    refresh();
}

void InspectorPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

// ---- Following the document ------------------------------------------------------------

void InspectorPanel::refresh() {
    const core::Project& p = m_document->project();
    Page page = Page::Settings;
    switch (m_selection->kind()) {
    case Selection::Kind::Keyframe:
        page = p.keyframe(m_selection->id()) ? Page::Keyframe : Page::Settings;
        break;
    case Selection::Kind::Prompt:
        page = p.prompt(m_selection->id()) ? Page::Prompt : Page::Settings;
        break;
    case Selection::Kind::Marker:
        page = p.marker(m_selection->id()) ? Page::Marker : Page::Settings;
        break;
    case Selection::Kind::Take:
        page = p.take(m_selection->id()) ? Page::Take : Page::Settings;
        break;
    case Selection::Kind::None:
        break;
    }
    m_filling = true;
    m_pages->setCurrentIndex(static_cast<int>(page));
    switch (page) {
    case Page::Settings:
        m_title->setText(tr("Render Settings"));
        fillSettings();
        break;
    case Page::Keyframe:
        m_title->setText(tr("Keyframe"));
        fillKeyframe();
        break;
    case Page::Prompt:
        m_title->setText(tr("Prompt Segment"));
        fillPrompt();
        break;
    case Page::Marker:
        m_title->setText(tr("Marker"));
        fillMarker();
        break;
    case Page::Take:
        m_title->setText(tr("Take"));
        fillTake();
        break;
    }
    m_filling = false;
}

void InspectorPanel::fillSettings() {
    const core::Project& p = m_document->project();
    const core::RenderSettings& s = p.settings;
    if (!userOwns(m_width, s.width)) {
        setSpin(m_width, s.width);
    }
    if (!userOwns(m_height, s.height)) {
        setSpin(m_height, s.height);
    }
    if (!userOwns(m_duration, p.durationFrames)) {
        setSpin(m_duration, p.durationFrames);
    }
    m_durationSeconds->setText(tr("%1 s").arg(
        QLocale().toString(core::timeline::secondsForFrames(p.durationFrames), 'f', 2)));
    // A number being typed keeps its spelling ("007" is seed 7; "1000,750" the same steps as
    // "1000, 750").
    bool seedOk = false;
    const bool sameSeed = m_seed->text().trimmed().toLongLong(&seedOk) == s.seed && seedOk;
    if (!userOwns(m_seed, s.seed) && !sameSeed) {
        setLineText(m_seed, QString::number(s.seed));
    }
    std::vector<int> typedSteps;
    for (const QString& part : m_steps->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        typedSteps.push_back(part.trimmed().toInt());
    }
    if (!userOwns(m_steps, stepsText(s.steps)) && typedSteps != s.steps) {
        setLineText(m_steps, stepsText(s.steps));
    }
    setComboData(m_decoder, core::toString(s.decoder));
    setComboData(m_previewDecoder, core::toString(s.previewDecoder));
    setComboData(m_precision, s.precision);
    setComboData(m_textEncoder, s.textEncoderDevice);
    if (!userOwns(m_window, s.attentionWindow)) {
        setSpin(m_window, s.attentionWindow);
    }
    if (!userOwns(m_sink, s.sinkFrames)) {
        setSpin(m_sink, s.sinkFrames);
    }
    m_sink->setEnabled(s.attentionWindow > 0); // sink frames matter only when the window rolls
    if (!m_device->lineEdit()->hasFocus()) {
        setComboData(m_device, s.device);
    }
    m_modelFolder->setText(s.modelFolder);
    m_demoModel->setEnabled(!s.usesDemoModel());
    m_loraList->setLoras(s.loras);

    const bool hasReference = !s.referenceImage.isEmpty();
    if (!m_importingReference.isEmpty()) {
        m_referenceName->setText(
            tr("Importing %1…").arg(QFileInfo(m_importingReference).fileName()));
    } else {
        const QString unreadable = m_thumbnailErrors.value(s.referenceImage);
        m_referenceName->setText(!hasReference          ? tr("None")
                                 : unreadable.isEmpty() ? referenceName(s.referenceImage)
                                                        : unreadable);
    }
    loadThumbnail(m_referenceThumbnail, s.referenceImage);
    m_chooseReference->setEnabled(m_importingReference.isEmpty());
    m_clearReference->setEnabled(hasReference);
    if (!userOwns(m_referenceScale, s.referenceScale)) {
        setSpin(m_referenceScale, s.referenceScale);
    }
    m_referenceScale->setEnabled(hasReference); // the strength of no image means nothing
    checkVaceWeights(s.modelFolder);
    m_referenceHint->setVisible(hasReference && !m_modelHasVace);
}

void InspectorPanel::fillKeyframe() {
    const core::Keyframe* k = m_document->project().keyframe(m_selection->id());
    m_keyframeSource->setText(k->sourceName.isEmpty() ? k->image : k->sourceName);
    m_keyframeFrame->setText(
        tr("%1 (%2 s)")
            .arg(k->frame)
            .arg(QLocale().toString(core::timeline::secondsForFrames(k->frame), 'f', 2)));
    setSpin(m_strength, k->strength);
    if (m_strengthSlider->value() != qRound(k->strength * 100) &&
        !m_strengthSlider->isSliderDown()) {
        m_strengthSlider->setValue(qRound(k->strength * 100));
    }
    setComboData(m_fit, core::toString(k->fit));
    if (!userOwns(m_approachChunks, k->approachChunks)) {
        setSpin(m_approachChunks, k->approachChunks);
    }
    if (!userOwns(m_approachWeight, k->approachWeight)) {
        setSpin(m_approachWeight, k->approachWeight);
    }
    if (!userOwns(m_approachSteps, k->approachSteps)) {
        setSpin(m_approachSteps, k->approachSteps);
    }
    if (m_vace->isChecked() != k->vace) {
        m_vace->setChecked(k->vace);
    }
    if (!userOwns(m_vaceScale, k->vaceScale)) {
        setSpin(m_vaceScale, k->vaceScale);
    }
    m_vaceScale->setEnabled(k->vace);
    if (!userOwns(m_label, k->label)) {
        setLineText(m_label, k->label);
    }
    loadThumbnail(m_image, k->image);
}

void InspectorPanel::fillPrompt() {
    const core::Project& p = m_document->project();
    const int index = p.promptIndex(m_selection->id());
    const core::PromptSegment& segment = p.prompts[static_cast<size_t>(index)];
    const int end = p.promptEndFrame(index) - 1;
    m_promptRange->setText(
        tr("Frames %1–%2 (%3–%4 s)")
            .arg(segment.startFrame)
            .arg(end)
            .arg(QLocale().toString(core::timeline::secondsForFrames(segment.startFrame), 'f', 2))
            .arg(QLocale().toString(core::timeline::secondsForFrames(end + 1), 'f', 2)));
    const bool otherTokenizer = m_tokenCounter->setModelFolder(p.settings.modelFolder);
    if (!userOwns(m_promptText, segment.text) && m_promptText->toPlainText() != segment.text) {
        // Undo, redo or another view changed it: keep the cursor where it was, as far as the
        // new text reaches.
        const int cursor = m_promptText->textCursor().position();
        m_promptText->setPlainText(segment.text);
        QTextCursor c = m_promptText->textCursor();
        c.setPosition(std::min<int>(cursor, static_cast<int>(segment.text.size())));
        m_promptText->setTextCursor(c);
        m_tokenCounter->request(segment.text);
    } else if (m_tokens < 0 || otherTokenizer) {
        m_tokenCounter->request(m_promptText->toPlainText());
    }
}

void InspectorPanel::fillMarker() {
    const core::Project& p = m_document->project();
    const core::Marker* m = p.marker(m_selection->id());
    if (!userOwns(m_markerName, m->name)) {
        setLineText(m_markerName, m->name);
    }
    m_markerFrame->setRange(0, p.lastFrame());
    if (!userOwns(m_markerFrame, m->frame)) {
        setSpin(m_markerFrame, m->frame);
    }
    m_markerTime->setText(
        tr("%1 s").arg(QLocale().toString(core::timeline::secondsForFrames(m->frame), 'f', 2)));
}

void InspectorPanel::fillTake() {
    const core::Project& p = m_document->project();
    const core::Take* t = p.take(m_selection->id());
    const core::RenderSettings& s = t->settings;
    QStringList lines;
    lines << tr("Take %1, made %2")
                 .arg(t->id, QLocale().toString(t->created.toLocalTime(), QLocale::ShortFormat));
    QString status;
    switch (t->status) {
    case core::TakeStatus::Complete:
        status = tr("complete: %1 of %2 chunks").arg(t->chunksCompleted).arg(t->chunksPlanned());
        break;
    case core::TakeStatus::Stopped:
        status =
            tr("stopped after %1 of %2 chunks").arg(t->chunksCompleted).arg(t->chunksPlanned());
        break;
    case core::TakeStatus::Generating:
        status =
            tr("generating: %1 of %2 chunks done").arg(t->chunksCompleted).arg(t->chunksPlanned());
        break;
    }
    lines << tr("Status: %1").arg(status);
    lines << tr("Frames: %1 of %2 (%3 s)")
                 .arg(t->framesCompleted())
                 .arg(t->durationFrames)
                 .arg(QLocale().toString(core::timeline::secondsForFrames(t->durationFrames), 'f',
                                         2));
    lines << tr("Size: %1 × %2").arg(s.width).arg(s.height);
    lines << tr("Seed: %1").arg(s.seed);
    lines << tr("Steps: %1").arg(stepsText(s.steps));
    lines << tr("Decoder: %1").arg(core::toString(s.decoder));
    lines << (s.attentionWindow == 0 ? tr("Attention: full context")
                                     : tr("Attention: window of %1 latent frames, %2 sink")
                                           .arg(s.attentionWindow)
                                           .arg(s.sinkFrames));
    lines << tr("Device: %1").arg(s.device);
    lines << tr("Model: %1")
                 .arg(s.usesDemoModel() ? tr("built-in demo model (untrained)") : s.modelFolder);
    lines << (t->isBranch() ? tr("Regenerated from chunk %1 of take %2")
                                  .arg(t->branchChunk)
                                  .arg(t->parentTakeId)
                            : tr("Generated from the start"));
    const auto children = p.childTakes(t->id);
    if (!children.empty()) {
        QStringList ids;
        for (const core::Take* child : children) {
            ids << child->id;
        }
        lines << tr("Regenerated as: %1").arg(ids.join(QStringLiteral(", ")));
    }
    m_takeInfo->setText(lines.join(QLatin1Char('\n')));
}

void InspectorPanel::loadThumbnail(QLabel* target, const QString& imagePath) {
    if (const auto shown = m_shownImages.constFind(target);
        shown != m_shownImages.constEnd() && *shown == imagePath) {
        return;
    }
    m_shownImages.insert(target, imagePath);
    // The cache keeps one size; a smaller label gets it scaled down.
    const auto show = [target](const QPixmap& pixmap) {
        const QSize box = target->maximumSize();
        target->setPixmap(pixmap.width() > box.width() || pixmap.height() > box.height()
                              ? pixmap.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                              : pixmap);
    };
    if (imagePath.isEmpty()) {
        target->clear();
        return;
    }
    if (const auto it = m_thumbnails.constFind(imagePath); it != m_thumbnails.constEnd()) {
        show(*it);
        return;
    }
    target->setPixmap(QPixmap());
    target->setText(tr("Loading…"));
    const QString file = m_document->assetFilePath(imagePath);
    // Decoding a large image (an EXR, a photo) takes a while: never on the UI thread.
    auto* job = Job::start(
        tr("Loading keyframe image"),
        [file](JobContext&) {
            QImage image;
            if (core::imageSupportAvailable()) {
                QString problem;
                const core::Frame frame =
                    core::readImageFile(file, &problem, core::ImageFormats::Importable);
                if (frame.isNull()) {
                    throw std::runtime_error(problem.toStdString());
                }
                image = QImage(frame.constData(), frame.width(), frame.height(), frame.stride(),
                               QImage::Format_RGB888)
                            .copy();
            } else {
                QImageReader reader(file);
                image = reader.read();
                if (image.isNull()) {
                    throw std::runtime_error(
                        QStringLiteral("%1: %2").arg(file, reader.errorString()).toStdString());
                }
            }
            return image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio,
                                Qt::SmoothTransformation);
        },
        this);
    connect(job, &Job::finished, this, [this, job, target, imagePath, show] {
        job->deleteLater();
        const bool current = m_shownImages.value(target) == imagePath;
        if (job->state() != Job::State::Finished) {
            if (current) {
                const QString message = tr("The image cannot be shown: %1").arg(job->error());
                // The small reference thumbnail has no room for the sentence: its name says it.
                if (target == m_referenceThumbnail) {
                    target->setText(QStringLiteral("⚠"));
                    m_thumbnailErrors.insert(imagePath, message);
                    refresh();
                } else {
                    target->setText(message);
                }
            }
            return;
        }
        const QPixmap pixmap = QPixmap::fromImage(job->result<QImage>());
        m_thumbnails.insert(imagePath, pixmap);
        m_thumbnailErrors.remove(imagePath);
        if (current) {
            show(pixmap);
        }
    });
}

void InspectorPanel::checkVaceWeights(const QString& modelFolder) {
    if (m_vaceFolder == modelFolder) {
        return;
    }
    m_vaceFolder = modelFolder;
    m_modelHasVace = true; // no hint until the look says otherwise
    if (modelFolder.isEmpty()) {
        return; // the built-in demo model has VACE blocks
    }
    // Discovery reads file headers: quick, but I/O, so never on the UI thread.
    auto* job = Job::start(
        tr("Looking for VACE weights"),
        [modelFolder](JobContext&) {
            return inference::discoverModels(modelFolder.toStdString())
                       .best(inference::ModelRole::Vace) != nullptr;
        },
        this);
    connect(job, &Job::finished, this, [this, job, modelFolder] {
        job->deleteLater();
        // A folder that cannot be read says so when a take starts; no hint here.
        if (m_vaceFolder == modelFolder && job->state() == Job::State::Finished) {
            m_modelHasVace = job->result<bool>();
            if (currentPage() == Page::Settings) {
                refresh();
            }
        }
    });
}

QString InspectorPanel::referenceName(const QString& assetPath) const {
    if (const auto it = m_referenceSourceNames.constFind(assetPath);
        it != m_referenceSourceNames.constEnd()) {
        return *it;
    }
    // Assets are named by their content: a keyframe of the same picture knows its file name.
    for (const core::Keyframe& k : m_document->project().keyframes) {
        if (k.image == assetPath && !k.sourceName.isEmpty()) {
            return k.sourceName;
        }
    }
    return QFileInfo(assetPath).fileName();
}

// ---- Editing -----------------------------------------------------------------------------

bool InspectorPanel::apply(std::unique_ptr<core::ProjectCommand> command) {
    m_pushing = true;
    const QString problem = m_document->push(std::move(command));
    m_pushing = false;
    showProblem(problem);
    return problem.isEmpty();
}

void InspectorPanel::showProblem(const QString& problem) {
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

bool InspectorPanel::userOwns(const QWidget* field, const QVariant& projectValue) {
    const auto it = m_shown.constFind(field);
    const bool moved = it == m_shown.constEnd() || *it != projectValue;
    m_shown.insert(field, projectValue);
    return field->hasFocus() && !moved;
}

quint64 InspectorPanel::gestureFor(const QObject* control) {
    if (control != m_gestureControl || m_gesture == 0) {
        m_gestureControl = control;
        m_gesture = m_document->newGesture();
    }
    return m_gesture;
}

void InspectorPanel::endGesture() {
    m_gestureControl = nullptr;
    m_gesture = 0;
}

void InspectorPanel::editSettings(const QObject* control,
                                  const std::function<QString(core::RenderSettings&)>& change) {
    if (m_filling) {
        return;
    }
    core::RenderSettings settings = m_document->project().settings;
    if (const QString problem = change(settings); !problem.isEmpty()) {
        showProblem(problem);
        return;
    }
    if (settings == m_document->project().settings) {
        showProblem(QString());
        return;
    }
    apply(std::make_unique<core::SetRenderSettingsCommand>(m_document, settings,
                                                           gestureFor(control)));
}

void InspectorPanel::editKeyframeApproach(const QObject* control) {
    if (m_filling || m_selection->kind() != Selection::Kind::Keyframe) {
        return;
    }
    apply(std::make_unique<core::SetKeyframeApproachCommand>(
        m_document, m_selection->id(), m_approachChunks->value(), m_approachWeight->value(),
        m_approachSteps->value(), gestureFor(control)));
}

void InspectorPanel::editKeyframeVace(const QObject* control) {
    if (m_filling || m_selection->kind() != Selection::Kind::Keyframe) {
        return;
    }
    apply(std::make_unique<core::SetKeyframeVaceCommand>(m_document, m_selection->id(),
                                                         m_vace->isChecked(), m_vaceScale->value(),
                                                         gestureFor(control)));
}

void InspectorPanel::rollSeed() {
    endGesture();
    const qint64 seed = static_cast<qint64>(
        QRandomGenerator::global()->bounded(quint64(core::RenderSettings::kMaxSeed) + 1));
    editSettings(m_dice, [seed](core::RenderSettings& s) {
        s.seed = seed;
        return QString();
    });
    endGesture(); // one roll, one step
}

void InspectorPanel::chooseModelFolder() {
    const std::optional<QString> chosen =
        ModelSetupDialog::choose(m_document->project().settings.modelFolder, this);
    if (!chosen || *chosen == m_document->project().settings.modelFolder) {
        return;
    }
    const QString folder = *chosen; // "" = the built-in demo model
    endGesture();
    editSettings(m_chooseModel, [folder](core::RenderSettings& s) {
        s.modelFolder = folder;
        return QString();
    });
    endGesture();
}

void InspectorPanel::chooseReferenceImage() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose Reference Image"), QString(),
                                                      core::imageFileDialogFilter(tr("Images")));
    if (!file.isEmpty()) {
        importReferenceImage(file);
    }
}

void InspectorPanel::importReferenceImage(const QString& file) {
    if (!m_importingReference.isEmpty()) {
        return; // one at a time: the button is off meanwhile
    }
    m_importingReference = file;
    showProblem(QString());
    refresh();
    importImages(m_document, {file}, this, [this](ImageImport result) {
        m_importingReference.clear();
        QString error = result.errors.join(QLatin1Char('\n'));
        if (!result.images.empty()) {
            const core::ImportedImage image = result.images.front();
            m_referenceSourceNames.insert(image.assetPath, image.sourceName);
            endGesture();
            editSettings(m_chooseReference, [&image](core::RenderSettings& s) {
                s.referenceImage = image.assetPath;
                return QString();
            });
            endGesture();
            error = problem();
        } else {
            showProblem(error);
        }
        refresh();
        Q_EMIT referenceImageImported(error);
    });
}

void InspectorPanel::showTokenCount(int tokens, bool exact, const QString& why) {
    m_tokens = tokens;
    m_tokensExact = exact;
    m_tokensWhy = why;
    const int limit = PromptTokenCounter::kTokenLimit;
    QString text = exact ? tr("%1 / %2 tokens").arg(tokens).arg(limit)
                         : tr("≈ %1 / %2 tokens (estimate: no tokenizer)").arg(tokens).arg(limit);
    if (tokens > limit) {
        text += QLatin1Char(' ') + tr("— over the limit: the words past it are ignored");
    }
    m_tokenCount->setText(text);
    m_tokenCount->setToolTip(exact ? tr("Counted with the model's tokenizer")
                                   : tr("Estimated from the text's length: %1").arg(why));
    QPalette palette = m_tokenCount->palette();
    palette.setColor(QPalette::WindowText,
                     tokens > limit ? QColor(0xd0, 0x40, 0x30)
                                    : QApplication::palette().color(QPalette::WindowText));
    m_tokenCount->setPalette(palette);
}

} // namespace sfs::ui
