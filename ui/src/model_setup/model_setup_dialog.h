#pragma once
// The model setup dialog: choose a model folder (or the built-in demo model) and see, per role
// (DiT, VAE, text encoder, tokenizer, TAEHV), what was found — file, dtype, size, configuration
// — or which exact files to look for and where they are published, with discovery's problems in
// plain words. Discovery runs off the UI thread as a Job.
//
//     if (const auto folder = ModelSetupDialog::choose(current, this)) {
//         // *folder: "" = the built-in demo model, else a folder; the caller stores it in the
//         // project as an undo command (SetRenderSettingsCommand); choose() has already made it
//         // the default for new projects.
//     }

#include "model_setup/model_folder_report.h"
#include "sfs/ui/job.h"

#include <QDialog>
#include <QPointer>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace sfs::ui {

// The model folder new projects start with ("" = the built-in demo model): the last one chosen
// in this dialog, kept in the settings ("models/defaultFolder").
QString defaultModelFolder();
void setDefaultModelFolder(const QString& folder);

class ModelSetupDialog : public QDialog {
    Q_OBJECT
public:
    // Opens on `currentFolder` ("" = the built-in demo model) and inspects it.
    explicit ModelSetupDialog(const QString& currentFolder, QWidget* parent = nullptr);
    ~ModelSetupDialog() override;

    // Runs the dialog; the chosen folder ("" = demo) when accepted, nullopt when cancelled. An
    // accepted choice also becomes the default for new projects.
    static std::optional<QString> choose(const QString& currentFolder, QWidget* parent);

    // The folder shown and (when accepted) chosen: "" = the built-in demo model.
    QString chosenModelFolder() const { return m_folder; }
    // Shows `folder` ("" = demo) and inspects it in the background; inspected() follows.
    void setFolder(const QString& folder);
    // The last finished inspection (empty rows while the first one runs).
    const ModelFolderReport& report() const { return m_report; }
    bool isInspecting() const { return m_job != nullptr; }

    // The widgets, for tests.
    QTableWidget* rolesTable() const { return m_table; }
    QPushButton* okButton() const;
    QLabel* statusLabel() const { return m_status; }
    QPlainTextEdit* problemsView() const { return m_problems; }

    enum Column {
        RoleColumn,
        StatusColumn,
        FileColumn,
        DtypeColumn,
        SizeColumn,
        ConfigColumn,
        LookForColumn,
        ColumnCount
    };

Q_SIGNALS:
    void inspected();

private:
    void browse();
    void useDemo();
    void showReport(const ModelFolderReport& report);

    QString m_folder;
    ModelFolderReport m_report;
    QPointer<Job> m_job;
    int m_generation = 0; // the latest setFolder: older inspections are ignored
    QLineEdit* m_folderEdit = nullptr;
    QLabel* m_status = nullptr;
    QTableWidget* m_table = nullptr;
    QPlainTextEdit* m_problems = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace sfs::ui
