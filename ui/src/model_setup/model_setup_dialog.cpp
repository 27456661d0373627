#include "model_setup/model_setup_dialog.h"

#include "sfs/ui/job.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sfs::ui {

ModelSetupDialog::ModelSetupDialog(const QString& currentFolder, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Model Setup"));
    auto* layout = new QVBoxLayout(this);

    auto* intro = new QLabel(
        tr("sfstudio reads the model files you already have. Choose the folder that holds them, "
           "or the built-in demo model to try every feature without a download."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* folderRow = new QHBoxLayout;
    m_folderEdit = new QLineEdit(this);
    m_folderEdit->setReadOnly(true);
    auto* browse = new QPushButton(tr("Choose Folder…"), this);
    auto* demo = new QPushButton(tr("Use the Built-in Demo Model"), this);
    demo->setToolTip(tr("Tiny, untrained: it produces noise-like video, not real footage. For "
                        "trying the studio without a download."));
    folderRow->addWidget(new QLabel(tr("Model:"), this));
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(browse);
    folderRow->addWidget(demo);
    layout->addLayout(folderRow);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Role"), tr("Status"), tr("File"), tr("Type"),
                                        tr("Size"), tr("Configuration"), tr("Files to look for")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(true);
    layout->addWidget(m_table, 1);

    layout->addWidget(new QLabel(tr("Problems:"), this));
    m_problems = new QPlainTextEdit(this);
    m_problems->setReadOnly(true);
    m_problems->setMaximumHeight(120);
    layout->addWidget(m_problems);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Use This Model"));
    layout->addWidget(m_buttons);

    connect(browse, &QPushButton::clicked, this, &ModelSetupDialog::browse);
    connect(demo, &QPushButton::clicked, this, &ModelSetupDialog::useDemo);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(1000, 520);
    setFolder(currentFolder);
}

ModelSetupDialog::~ModelSetupDialog() = default;

namespace {
const char* const kDefaultFolderKey = "models/defaultFolder";
} // namespace

QString defaultModelFolder() {
    return QSettings().value(QString::fromLatin1(kDefaultFolderKey)).toString();
}

void setDefaultModelFolder(const QString& folder) {
    QSettings().setValue(QString::fromLatin1(kDefaultFolderKey), folder);
}

std::optional<QString> ModelSetupDialog::choose(const QString& currentFolder, QWidget* parent) {
    ModelSetupDialog dialog(currentFolder, parent);
    if (dialog.exec() != QDialog::Accepted) {
        return std::nullopt;
    }
    setDefaultModelFolder(dialog.chosenModelFolder());
    return dialog.chosenModelFolder();
}

QPushButton* ModelSetupDialog::okButton() const {
    return m_buttons->button(QDialogButtonBox::Ok);
}

void ModelSetupDialog::setFolder(const QString& folder) {
    m_folder = folder;
    m_folderEdit->setText(folder.isEmpty() ? tr("Built-in demo model (untrained, noise-like video)")
                                           : QDir::toNativeSeparators(folder));
    m_status->setText(tr("Looking for model files…"));
    okButton()->setEnabled(false);
    if (m_job) {
        m_job->cancel(); // its result is ignored (generation below)
        m_job->deleteLater();
    }
    const int generation = ++m_generation;
    Job* job = Job::start(
        tr("Looking for model files"), [folder](JobContext&) { return inspectModelFolder(folder); },
        this);
    m_job = job;
    connect(job, &Job::finished, this, [this, job, generation] {
        job->deleteLater();
        if (generation != m_generation) {
            return;
        }
        m_job = nullptr;
        ModelFolderReport report;
        if (job->state() == Job::State::Failed) {
            report.folder = m_folder;
            report.error = job->error();
            report.problems << job->error();
        } else {
            report = job->result<ModelFolderReport>();
        }
        showReport(report);
        Q_EMIT inspected();
    });
}

void ModelSetupDialog::browse() {
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Choose the Model Folder"), m_folder.isEmpty() ? QDir::homePath() : m_folder);
    if (!folder.isEmpty()) {
        setFolder(folder);
    }
}

void ModelSetupDialog::useDemo() {
    setFolder(QString());
}

void ModelSetupDialog::showReport(const ModelFolderReport& report) {
    m_report = report;
    m_table->setRowCount(0);
    for (const ModelRoleRow& row : report.rows) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        QString status;
        if (row.found) {
            status = tr("Found");
        } else if (!row.problems.isEmpty()) {
            status = tr("Problem");
        } else {
            status = row.required ? tr("Missing") : tr("Missing (optional)");
        }
        const QStringList cells{row.roleLabel,
                                status,
                                row.file,
                                row.dtype,
                                row.size,
                                row.configuration,
                                row.found ? QString() : row.lookFor};
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            QStringList tip = row.problems + row.notes;
            if (!row.found) {
                tip << tr("Look for: %1").arg(row.lookFor);
            }
            item->setToolTip(tip.join(QLatin1Char('\n')));
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_problems->setPlainText(report.problems.join(QLatin1Char('\n')));
    if (!report.error.isEmpty()) {
        m_status->setText(tr("This folder cannot be read: %1").arg(report.error));
    } else if (report.demo) {
        m_status->setText(tr("The built-in demo model: tiny and untrained, it produces "
                             "noise-like video. Good for trying every feature; choose a folder "
                             "with the real model files for real video."));
    } else if (report.usable) {
        m_status->setText(tr("Every required model was found. Ready to generate."));
    } else {
        m_status->setText(tr("This folder cannot be used yet: see the problems below."));
    }
    okButton()->setEnabled(report.usable);
}

} // namespace sfs::ui
