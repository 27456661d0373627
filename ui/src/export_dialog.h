#pragma once
// File > Export…: which take, what format (a video encoder, or an image-sequence format), its
// quality, the frame range, the size and the destination. Builds a TakeExportRequest; the main
// window runs it on a worker thread.

#include "sfs/core/project/project.h"
#include "sfs/core/render/take_export.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace sfs::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // `project` must have at least one take. `destinationStem` is the suggested output without
    // extension, e.g. "/home/me/Films/story_t2".
    ExportDialog(const core::Project& project, const QString& destinationStem,
                 QWidget* parent = nullptr);

    // What the user chose.
    core::TakeExportRequest request() const;
    // Frames the selected take stored (as its status says).
    int takeFrameCount() const;

    void accept() override; // checks the destination first

private:
    void takeChanged();
    void formatChanged();
    void encoderChanged();
    void browse();
    bool isVideo() const;
    QString formatKey() const;
    // The destination with the extension (and, for sequences, the frame number) the chosen
    // format needs.
    QString fittedDestination(const QString& path) const;

    core::Project m_project;
    QComboBox* m_take = nullptr;
    QComboBox* m_format = nullptr;
    QComboBox* m_encoder = nullptr;
    QSpinBox* m_crf = nullptr;
    QComboBox* m_preset = nullptr;
    QSpinBox* m_jpegQuality = nullptr;
    QSpinBox* m_first = nullptr;
    QSpinBox* m_last = nullptr;
    QCheckBox* m_originalSize = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QLineEdit* m_destination = nullptr;
    QCheckBox* m_keepPartial = nullptr;
    QCheckBox* m_provenance = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace sfs::ui
