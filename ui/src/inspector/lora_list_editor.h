#pragma once
// The inspector's list of LoRAs (render settings, format 4): each file with its strength, a
// button to add one and one to remove each. It only shows and reports edits; the inspector turns
// them into undoable settings commands. Files are not read here (the UI thread does no I/O): a
// LoRA that does not fit the model is refused, naming the file and the tensor, when a take loads
// it.

#include "sfs/core/project/project.h"

#include <QWidget>

#include <vector>

class QPushButton;
class QVBoxLayout;

namespace sfs::ui {

class LoraListEditor : public QWidget {
    Q_OBJECT
public:
    explicit LoraListEditor(QWidget* parent = nullptr);

    // Shows `loras` (no signal).
    void setLoras(const std::vector<core::LoraSetting>& loras);
    const std::vector<core::LoraSetting>& loras() const { return m_loras; }

Q_SIGNALS:
    // A strength changed (repeated while the user spins it: one gesture).
    void strengthEdited(const std::vector<core::LoraSetting>& loras);
    // A LoRA was added or removed (one step each).
    void listEdited(const std::vector<core::LoraSetting>& loras);

protected:
    void changeEvent(QEvent* event) override; // a new language: texts again

private:
    void retranslate();
    void rebuild();
    void addLora();

    std::vector<core::LoraSetting> m_loras;
    QVBoxLayout* m_rows = nullptr;
    QPushButton* m_add = nullptr;
};

} // namespace sfs::ui
