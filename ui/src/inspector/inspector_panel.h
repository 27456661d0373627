#pragma once
// The Inspector: the details of what the Selection names, editable, or — with nothing selected
// — the project's render settings. One page per kind:
//
//   nothing    the render settings: size, duration, seed (with a dice button), steps, decoder,
//              preview decoder, attention window and sink, device, precision, the text
//              encoder's device, model folder (shown; "Choose…" picks one), LoRAs, the VACE
//              reference image (a thumbnail, "Choose…" imports one into the assets folder off
//              the UI thread, "Clear") and its strength, and with a memory guard the memory
//              estimate and the settings that fit (memory_panel.h)
//   keyframe   its image (a thumbnail decoded off the UI thread), strength, fit, the approach
//              (chunks, weight, steps) and label
//   prompt     its text, with a live token count against the encoder's 512-token limit
//   marker     its name and frame
//   take       what it was generated with and how far it got, and its parent take (read only)
//
// Every change is an undo command pushed through the ProjectDocument; the edits of one gesture
// (typing in a field, dragging a slider, holding a spin box arrow) share a gesture id and so
// merge into one undo step. A change the project's rules refuse pushes nothing and shows the
// rule's message under the page. The panel follows the document (undo and redo included)
// without moving the cursor of a field being typed in.
//
// MainWindow puts it in the Inspector dock; it needs only the document and the selection.

#include "sfs/core/project/project.h"
#include "sfs/ui/selection.h"

#include <QHash>
#include <QPixmap>
#include <QVariant>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QCheckBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QStackedWidget;
class QToolButton;

namespace sfs::core {
class ProjectCommand;
class ProjectDocument;
} // namespace sfs::core

namespace sfs::ui {

class MemoryGuard;
class MemoryPanel;
class LoraListEditor;
class PromptTokenCounter;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    enum class Page { Settings, Keyframe, Prompt, Marker, Take };
    Q_ENUM(Page)

    InspectorPanel(core::ProjectDocument* document, Selection* selection,
                   QWidget* parent = nullptr);
    ~InspectorPanel() override;

    Page currentPage() const;
    // The rule's message for the last refused edit; empty after an accepted one.
    QString problem() const;
    PromptTokenCounter* tokenCounter() const { return m_tokenCounter; }
    // Shows `guard`'s memory estimate under the render settings (MainWindow: the generation
    // controller's guard). Call once.
    void setMemoryGuard(MemoryGuard* guard);

public Q_SLOTS:
    // The model setup dialog (model_setup/model_setup_dialog.h) on the project's model; the
    // folder chosen (or the demo model) becomes the render settings' model, one undo step.
    void chooseModelFolder();
    // Asks for an image file and makes it the project's VACE reference image
    // (importReferenceImage).
    void chooseReferenceImage();

public:
    // Imports `file` into the project's assets folder (a job; the panel stays usable) and then
    // makes it the reference image, one undo step. A file that cannot be imported leaves the
    // settings as they were and shows why, naming the file. referenceImageImported() tells the
    // end.
    void importReferenceImage(const QString& file);

Q_SIGNALS:
    // An importReferenceImage() has ended: `error` is empty when the image is set.
    void referenceImageImported(const QString& error);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildSettingsPage();
    void buildKeyframePage();
    void buildPromptPage();
    void buildMarkerPage();
    void buildTakePage();
    void retranslate();

    // Shows the page for the selection and fills it from the project.
    void refresh();
    void fillSettings();
    void fillKeyframe();
    void fillPrompt();
    void fillMarker();
    void fillTake();
    // Shows the image at `imagePath` (in the assets folder; empty: none) in `target`, decoded
    // off the UI thread and scaled to fit the label's maximum size.
    void loadThumbnail(QLabel* target, const QString& imagePath);
    // Looks for VACE weights in the model folder (off the UI thread) once per folder; the
    // reference image's hint says when there are none.
    void checkVaceWeights(const QString& modelFolder);
    // The file name a reference asset was imported from, as far as the panel knows.
    QString referenceName(const QString& assetPath) const;

    // Pushes `command`; shows its problem when refused. True when applied.
    bool apply(std::unique_ptr<core::ProjectCommand> command);
    void showProblem(const QString& problem);
    // True when `field` is being edited and the project's value has not moved since it was
    // last shown there: the user's text (perhaps not a valid value yet) stays. Records the value.
    bool userOwns(const QWidget* field, const QVariant& projectValue);
    // The gesture of a continuous edit of `control`: the same until endGesture().
    quint64 gestureFor(const QObject* control);
    void endGesture();

    // Edits the render settings: `change` alters a copy, or returns why the field's text is
    // not a value.
    void editSettings(const QObject* control,
                      const std::function<QString(core::RenderSettings&)>& change);
    void editKeyframeApproach(const QObject* control);
    void editKeyframeVace(const QObject* control);
    void rollSeed();
    void showTokenCount(int tokens, bool exact, const QString& why);

    core::ProjectDocument* m_document;
    Selection* m_selection;
    PromptTokenCounter* m_tokenCounter;

    QStackedWidget* m_pages = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_problem = nullptr;

    // Render settings.
    QFormLayout* m_settingsForm = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QSpinBox* m_duration = nullptr;
    QLabel* m_durationSeconds = nullptr;
    QLineEdit* m_seed = nullptr;
    QToolButton* m_dice = nullptr;
    QLineEdit* m_steps = nullptr;
    QComboBox* m_decoder = nullptr;
    QComboBox* m_previewDecoder = nullptr;
    QComboBox* m_precision = nullptr;
    QComboBox* m_textEncoder = nullptr;
    MemoryPanel* m_memoryPanel = nullptr;
    QSpinBox* m_window = nullptr;
    QSpinBox* m_sink = nullptr;
    QComboBox* m_device = nullptr;
    QLineEdit* m_modelFolder = nullptr;
    QPushButton* m_chooseModel = nullptr;
    QPushButton* m_demoModel = nullptr;
    LoraListEditor* m_loraList = nullptr;   // settings.loras (lora_list_editor.h)
    QLabel* m_referenceThumbnail = nullptr; // settings.referenceImage
    QLabel* m_referenceName = nullptr;
    QPushButton* m_chooseReference = nullptr;
    QPushButton* m_clearReference = nullptr;
    QDoubleSpinBox* m_referenceScale = nullptr; // settings.referenceScale
    QLabel* m_referenceHint = nullptr;          // the model has no VACE weights

    // Keyframe.
    QFormLayout* m_keyframeForm = nullptr;
    QLabel* m_image = nullptr;
    QLabel* m_keyframeSource = nullptr;
    QLabel* m_keyframeFrame = nullptr;
    QSlider* m_strengthSlider = nullptr;
    QDoubleSpinBox* m_strength = nullptr;
    QComboBox* m_fit = nullptr;
    QSpinBox* m_approachChunks = nullptr;
    QDoubleSpinBox* m_approachWeight = nullptr;
    QSpinBox* m_approachSteps = nullptr;
    QCheckBox* m_vace = nullptr; // also steer by VACE (Keyframe::vace)
    QDoubleSpinBox* m_vaceScale = nullptr;
    QLineEdit* m_label = nullptr;

    // Prompt segment.
    QLabel* m_promptRange = nullptr;
    QPlainTextEdit* m_promptText = nullptr;
    QLabel* m_tokenCount = nullptr;

    // Marker.
    QFormLayout* m_markerForm = nullptr;
    QLineEdit* m_markerName = nullptr;
    QSpinBox* m_markerFrame = nullptr;
    QLabel* m_markerTime = nullptr;

    // Take (read only).
    QFormLayout* m_takeForm = nullptr;
    QLabel* m_takeInfo = nullptr;

    const QObject* m_gestureControl = nullptr;
    quint64 m_gesture = 0;
    bool m_pushing = false; // our own push: the undo stack's index moves, the gesture goes on
    bool m_filling = false; // filling controls from the project: their signals are not edits
    QHash<const QLabel*, QString> m_shownImages; // the image each thumbnail shows or loads
    QHash<QString, QPixmap> m_thumbnails;
    QHash<QString, QString> m_thumbnailErrors; // why an image could not be shown
    QString m_importingReference; // the file being imported as the reference image, if any
    QHash<QString, QString> m_referenceSourceNames; // asset path -> the file it came from
    std::optional<QString> m_vaceFolder; // the model folder whose VACE weights were looked for
    bool m_modelHasVace = true;          // what the last look found (true until found otherwise)
    QHash<const QWidget*, QVariant> m_shown; // the project value each field last showed
    int m_tokens = -1;
    bool m_tokensExact = false;
    QString m_tokensWhy;
};

} // namespace sfs::ui
