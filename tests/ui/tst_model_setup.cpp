// The model setup dialog on fixture folders made here from the small golden model files: every
// role found, roles missing (with the files to look for), a truncated file, a folder with two
// DiTs (one under a ComfyUI name), the built-in demo model, and a folder that does not exist.

#include "model_setup/model_setup_dialog.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using sfs::inference::ModelRole;
using sfs::ui::ModelFolderReport;
using sfs::ui::ModelRoleRow;
using sfs::ui::ModelSetupDialog;

namespace {

const QString kGolden = QStringLiteral(SFS_TEST_DATA_DIR "/golden");

// Copies the golden model files of `roles` into `dir`.
void copyRoles(const QString& dir, const QList<ModelRole>& roles) {
    for (ModelRole role : roles) {
        QString file;
        switch (role) {
        case ModelRole::Dit: {
            file = QStringLiteral("dit_weights.safetensors");
            // The head count is not in the weights: Wan's config.json gives it.
            QFile config(dir + QStringLiteral("/config.json"));
            QVERIFY(config.open(QIODevice::WriteOnly));
            config.write(R"({"_class_name": "WanModel", "model_type": "t2v", "dim": 64,
                "num_heads": 4, "num_layers": 2, "ffn_dim": 128, "freq_dim": 32, "text_dim": 32,
                "text_len": 16, "in_dim": 16, "out_dim": 16, "patch_size": [1, 2, 2],
                "qk_norm": true, "cross_attn_norm": true, "eps": 1e-06})");
            break;
        }
        case ModelRole::Vae:
            file = QStringLiteral("vae_weights.safetensors");
            break;
        case ModelRole::TextEncoder:
            file = QStringLiteral("t5_weights.safetensors");
            break;
        case ModelRole::Tokenizer:
            file = QStringLiteral("tokenizer/spiece.model");
            QDir(dir).mkpath(QStringLiteral("tokenizer"));
            break;
        case ModelRole::Taehv:
            file = QStringLiteral("taehv_weights.safetensors");
            break;
        case ModelRole::Vace:
        case ModelRole::Unknown:
            break;
        }
        QVERIFY2(QFile::copy(kGolden + QLatin1Char('/') + file, dir + QLatin1Char('/') + file),
                 qPrintable(file));
    }
}

const QList<ModelRole> kAllRoles{ModelRole::Dit, ModelRole::Vae, ModelRole::TextEncoder,
                                 ModelRole::Tokenizer, ModelRole::Taehv};

const ModelRoleRow& rowOf(const ModelFolderReport& report, ModelRole role) {
    for (const ModelRoleRow& row : report.rows) {
        if (row.role == role) {
            return row;
        }
    }
    qFatal("no row");
}

int tableRowOf(const ModelSetupDialog& dialog, ModelRole role) {
    const auto& rows = dialog.report().rows;
    for (int i = 0; i < rows.size(); ++i) {
        if (rows[i].role == role) {
            return i;
        }
    }
    return -1;
}

QString cell(const ModelSetupDialog& dialog, ModelRole role, int column) {
    const QTableWidgetItem* item = dialog.rolesTable()->item(tableRowOf(dialog, role), column);
    return item ? item->text() : QString();
}

// Shows `folder` in the dialog and waits for its inspection.
void inspect(ModelSetupDialog& dialog, const QString& folder) {
    QSignalSpy done(&dialog, &ModelSetupDialog::inspected);
    dialog.setFolder(folder);
    QVERIFY(dialog.isInspecting());
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(done.wait(10000));
    QVERIFY(!dialog.isInspecting());
}

} // namespace

class TestModelSetup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        // The demo model is written into the user cache: keep it in the test's own.
        QVERIFY(m_cache.isValid());
        qputenv("XDG_CACHE_HOME", m_cache.path().toUtf8());
    }

    void everyRoleFound() {
        QTemporaryDir dir;
        copyRoles(dir.path(), kAllRoles);
        ModelSetupDialog dialog(QString(), nullptr);
        inspect(dialog, dir.path());
        const ModelFolderReport& report = dialog.report();
        QVERIFY2(report.usable, qPrintable(report.problems.join('\n')));
        QVERIFY(!report.demo);
        QCOMPARE(report.rows.size(), 5);
        QCOMPARE(dialog.rolesTable()->rowCount(), 5);
        for (ModelRole role : kAllRoles) {
            QVERIFY(rowOf(report, role).found);
            QCOMPARE(cell(dialog, role, ModelSetupDialog::StatusColumn), QStringLiteral("Found"));
        }
        QCOMPARE(cell(dialog, ModelRole::Dit, ModelSetupDialog::FileColumn),
                 QStringLiteral("dit_weights.safetensors"));
        QCOMPARE(cell(dialog, ModelRole::Dit, ModelSetupDialog::DtypeColumn),
                 QStringLiteral("F32"));
        QVERIFY(!cell(dialog, ModelRole::Dit, ModelSetupDialog::SizeColumn).isEmpty());
        QVERIFY(cell(dialog, ModelRole::Dit, ModelSetupDialog::ConfigColumn)
                    .startsWith(QStringLiteral("dim 64, 2 layers")));
        QCOMPARE(cell(dialog, ModelRole::Tokenizer, ModelSetupDialog::FileColumn),
                 QStringLiteral("tokenizer/spiece.model"));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.problemsView()->toPlainText().isEmpty());
        QCOMPARE(dialog.chosenModelFolder(), dir.path());
    }

    void missingRolesNameTheFilesToLookFor() {
        QTemporaryDir dir;
        copyRoles(dir.path(), {ModelRole::Dit, ModelRole::Vae});
        ModelSetupDialog dialog(QString(), nullptr);
        inspect(dialog, dir.path());
        const ModelFolderReport& report = dialog.report();
        QVERIFY(!report.usable);
        QVERIFY(rowOf(report, ModelRole::Dit).found);
        QVERIFY(!rowOf(report, ModelRole::TextEncoder).found);
        QCOMPARE(cell(dialog, ModelRole::TextEncoder, ModelSetupDialog::StatusColumn),
                 QStringLiteral("Missing"));
        QCOMPARE(cell(dialog, ModelRole::Taehv, ModelSetupDialog::StatusColumn),
                 QStringLiteral("Missing (optional)"));
        // The exact file names, and where they are published.
        const QString lookFor =
            cell(dialog, ModelRole::TextEncoder, ModelSetupDialog::LookForColumn);
        QVERIFY2(lookFor.contains(QStringLiteral("models_t5_umt5-xxl-enc-bf16.pth")) &&
                     lookFor.contains(QStringLiteral("Wan-AI/Wan2.1-T2V-1.3B")),
                 qPrintable(lookFor));
        QVERIFY(cell(dialog, ModelRole::Tokenizer, ModelSetupDialog::LookForColumn)
                    .contains(QStringLiteral("spiece.model")));
        QVERIFY(cell(dialog, ModelRole::Dit, ModelSetupDialog::LookForColumn).isEmpty());
        const QString problems = dialog.problemsView()->toPlainText();
        QVERIFY2(problems.contains(QStringLiteral("Text encoder is missing: look for "
                                                  "models_t5_umt5-xxl-enc-bf16.pth")),
                 qPrintable(problems));
        QVERIFY(!problems.contains(QStringLiteral("TAEHV"))); // optional: not a problem
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("cannot be used yet")));
    }

    void aTruncatedFileIsAProblem() {
        QTemporaryDir dir;
        copyRoles(dir.path(), kAllRoles);
        QFile vae(dir.filePath(QStringLiteral("vae_weights.safetensors")));
        QVERIFY(vae.resize(vae.size() / 2));
        ModelSetupDialog dialog(QString(), nullptr);
        inspect(dialog, dir.path());
        const ModelFolderReport& report = dialog.report();
        QVERIFY(!report.usable);
        const QString problems = dialog.problemsView()->toPlainText();
        // The file says it holds more than it does: discovery cannot use it, so the VAE is
        // missing, and the problem names the file.
        QVERIFY(!rowOf(report, ModelRole::Vae).found);
        QVERIFY(!cell(dialog, ModelRole::Vae, ModelSetupDialog::LookForColumn).isEmpty());
        QVERIFY2(problems.contains(QStringLiteral("vae_weights.safetensors cannot be used: ")),
                 qPrintable(problems));
        QVERIFY(rowOf(report, ModelRole::Dit).found);
        QVERIFY(!dialog.okButton()->isEnabled());
    }

    void twoDitsOneIsUsed() {
        QTemporaryDir dir;
        copyRoles(dir.path(), kAllRoles);
        // The same DiT again under ComfyUI's release name: roles come from content.
        QVERIFY(QFile::copy(kGolden + QStringLiteral("/dit_weights.safetensors"),
                            dir.filePath(QStringLiteral("wan2.1_t2v_1.3B_fp16.safetensors"))));
        ModelSetupDialog dialog(QString(), nullptr);
        inspect(dialog, dir.path());
        const ModelFolderReport& report = dialog.report();
        QVERIFY2(report.usable, qPrintable(report.problems.join('\n')));
        const ModelRoleRow& dit = rowOf(report, ModelRole::Dit);
        QVERIFY(dit.found);
        QCOMPARE(dit.notes.filter(QStringLiteral("is also a DiT")).size(), 1);
        const QString other = dit.file == QStringLiteral("dit_weights.safetensors")
                                  ? QStringLiteral("wan2.1_t2v_1.3B_fp16.safetensors")
                                  : QStringLiteral("dit_weights.safetensors");
        QVERIFY2(dit.notes.filter(other).size() == 1, qPrintable(dit.notes.join('\n')));
        QVERIFY(dialog.rolesTable()
                    ->item(tableRowOf(dialog, ModelRole::Dit), ModelSetupDialog::FileColumn)
                    ->toolTip()
                    .contains(other));
        QVERIFY(dialog.okButton()->isEnabled());
    }

    void theDemoModelIsLabelledUntrained() {
        QTemporaryDir dir;
        ModelSetupDialog dialog(dir.path(), nullptr);
        inspect(dialog, QString());
        QVERIFY2(dialog.report().demo,
                 qPrintable(QStringLiteral("folder [%1] usable %2 problems: %3")
                                .arg(dialog.report().folder)
                                .arg(dialog.report().usable)
                                .arg(dialog.report().problems.join(QLatin1Char(10)))));
        QVERIFY(dialog.report().usable);
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("untrained")));
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("noise-like video")));
        QVERIFY(dialog.okButton()->isEnabled());
        QCOMPARE(dialog.chosenModelFolder(), QString()); // "" = the built-in demo model
    }

    void aFolderThatDoesNotExist() {
        QTemporaryDir dir;
        ModelSetupDialog dialog(QString(), nullptr);
        inspect(dialog, dir.filePath(QStringLiteral("nowhere")));
        QVERIFY(!dialog.report().error.isEmpty());
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("cannot be read")));
    }

private:
    QTemporaryDir m_cache;
};

QTEST_MAIN(TestModelSetup)
#include "tst_model_setup.moc"
