// The model setup dialog on fixture folders made here from the small golden model files: every
// role found, roles missing (with the files to look for), a truncated file, a folder with two
// DiTs (one under a ComfyUI name), ComfyUI's files (an fp8 "scaled" DiT, the VAE, an fp16 text
// encoder under Hugging Face names), the built-in demo model, a folder that does not exist, and
// the choice becoming the default for new projects.

#include "model_setup/model_setup_dialog.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtEndian>
#include <QtMath>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>

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
        case ModelRole::Lora:
        case ModelRole::Vace:
        case ModelRole::Unknown:
            break;
        }
        QVERIFY2(QFile::copy(kGolden + QLatin1Char('/') + file, dir + QLatin1Char('/') + file),
                 qPrintable(file));
    }
}

// --- safetensors files rewritten as other tools publish them ----------------------------------

// The e4m3fn value of an fp8 code (1 sign, 4 exponent bits with bias 7, 3 mantissa bits; 0x7f
// and 0xff are NaN).
float e4m3Value(int code) {
    const int exponent = (code >> 3) & 0xF;
    const int mantissa = code & 0x7;
    const float magnitude = exponent == 0
                                ? float(mantissa) / 8.0f * std::ldexp(1.0f, -6)
                                : (1.0f + float(mantissa) / 8.0f) * std::ldexp(1.0f, exponent - 7);
    return (code & 0x80) != 0 ? -magnitude : magnitude;
}

// The nearest e4m3fn code of `value` (the quantiser ComfyUI's fp8 files come from).
char toE4M3(float value) {
    int best = 0;
    for (int code = 0; code < 256; ++code) {
        if ((code & 0x7F) != 0x7F &&
            std::fabs(e4m3Value(code) - value) < std::fabs(e4m3Value(best) - value)) {
            best = code;
        }
    }
    return char(best);
}

enum class Encoding { Float16, ScaledFp8Blocks };

// Rewrites the float32 safetensors file `from` as `to`: every tensor renamed by `rename`, in
// float16, or with the DiT's 2-D block weights as ComfyUI's fp8 "scaled" files store them (e4m3fn
// codes, a `<layer>.scale_weight` per layer and a `scaled_fp8` marker).
void rewriteSafetensors(const QString& from, const QString& to,
                        const std::function<QString(const QString&)>& rename, Encoding encoding) {
    QFile in(from);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray bytes = in.readAll();
    const auto headerSize = qFromLittleEndian<quint64>(bytes.constData());
    const QJsonObject header =
        QJsonDocument::fromJson(bytes.mid(8, qsizetype(headerSize))).object();
    const char* data = bytes.constData() + 8 + headerSize;
    QJsonObject outHeader;
    QByteArray outData;
    const auto add = [&](const QString& name, const char* dtype, const QJsonArray& shape,
                         const QByteArray& payload) {
        outHeader.insert(
            name, QJsonObject{{"dtype", QString::fromLatin1(dtype)},
                              {"shape", shape},
                              {"data_offsets",
                               QJsonArray{outData.size(), outData.size() + payload.size()}}});
        outData += payload;
    };
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == QStringLiteral("__metadata__")) {
            continue;
        }
        const QJsonObject tensor = it.value().toObject();
        QCOMPARE(tensor.value("dtype").toString(), QStringLiteral("F32"));
        const QJsonArray offsets = tensor.value("data_offsets").toArray();
        const qsizetype begin = qsizetype(offsets[0].toInteger());
        const qsizetype count = (qsizetype(offsets[1].toInteger()) - begin) / 4;
        QList<float> values(count);
        std::memcpy(values.data(), data + begin, size_t(count) * 4);
        const QJsonArray shape = tensor.value("shape").toArray();
        const QString name = rename(it.key());
        if (encoding == Encoding::Float16) {
            QByteArray half(count * 2, Qt::Uninitialized);
            for (qsizetype i = 0; i < count; ++i) {
                const qfloat16 h(values[i]);
                std::memcpy(half.data() + i * 2, &h, 2);
            }
            add(name, "F16", shape, half);
            continue;
        }
        if (shape.size() != 2 || !it.key().startsWith(QStringLiteral("blocks."))) {
            add(name, "F32", shape, bytes.mid(8 + qsizetype(headerSize) + begin, count * 4));
            continue;
        }
        float largest = 0;
        for (float v : values) {
            largest = std::max(largest, std::fabs(v));
        }
        const float scale = largest > 0 ? largest / 448.0f : 1.0f;
        QByteArray codes(count, Qt::Uninitialized);
        for (qsizetype i = 0; i < count; ++i) {
            codes[i] = toE4M3(values[i] / scale);
        }
        add(name, "F8_E4M3", shape, codes);
        QString layer = name;
        layer.chop(int(qstrlen(".weight")));
        add(layer + QStringLiteral(".scale_weight"), "F32", QJsonArray{},
            QByteArray(reinterpret_cast<const char*>(&scale), 4));
    }
    if (encoding == Encoding::ScaledFp8Blocks) {
        add(QStringLiteral("model.diffusion_model.scaled_fp8"), "F8_E4M3", QJsonArray{0},
            QByteArray());
    }
    QByteArray json = QJsonDocument(outHeader).toJson(QJsonDocument::Compact);
    QFile out(to);
    QVERIFY(out.open(QIODevice::WriteOnly));
    const quint64 length = quint64(json.size());
    QByteArray prefix(8, Qt::Uninitialized);
    qToLittleEndian(length, prefix.data());
    out.write(prefix + json + outData);
}

// Wan's T5 names -> Hugging Face's, which ComfyUI's umt5_xxl_*.safetensors use (spec C.6).
QString hfT5Name(const QString& wan) {
    if (wan == QStringLiteral("token_embedding.weight")) {
        return QStringLiteral("shared.weight");
    }
    if (wan == QStringLiteral("norm.weight")) {
        return QStringLiteral("encoder.final_layer_norm.weight");
    }
    static const QList<QPair<QString, QString>> table{
        {"norm1.", "layer.0.layer_norm."},
        {"attn.", "layer.0.SelfAttention."},
        {"pos_embedding.embedding.", "layer.0.SelfAttention.relative_attention_bias."},
        {"norm2.", "layer.1.layer_norm."},
        {"ffn.gate.0.", "layer.1.DenseReluDense.wi_0."},
        {"ffn.fc1.", "layer.1.DenseReluDense.wi_1."},
        {"ffn.fc2.", "layer.1.DenseReluDense.wo."},
    };
    QString name =
        QString(wan).replace(QStringLiteral("blocks."), QStringLiteral("encoder.block."));
    for (const auto& [from, to] : table) {
        if (name.contains(from)) {
            return name.replace(from, to);
        }
    }
    return name;
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
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_model_setup"));
        QSettings().clear();
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

    // ComfyUI's repackaged files, by their published names: an fp8 "scaled" DiT under
    // `model.diffusion_model.`, the VAE, and the text encoder in fp16 with Hugging Face names.
    void comfyUiFilesAndFp8AreFound() {
        QTemporaryDir dir;
        copyRoles(dir.path(), {ModelRole::Dit, ModelRole::Tokenizer, ModelRole::Taehv});
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("dit_weights.safetensors"))));
        const QString dit = QStringLiteral("wan2.1_t2v_1.3B_fp8_scaled.safetensors");
        rewriteSafetensors(
            kGolden + QStringLiteral("/dit_weights.safetensors"), dir.filePath(dit),
            [](const QString& n) { return QStringLiteral("model.diffusion_model.") + n; },
            Encoding::ScaledFp8Blocks);
        QVERIFY(QFile::copy(kGolden + QStringLiteral("/vae_weights.safetensors"),
                            dir.filePath(QStringLiteral("wan_2.1_vae.safetensors"))));
        const QString t5 = QStringLiteral("umt5_xxl_fp16.safetensors");
        rewriteSafetensors(kGolden + QStringLiteral("/t5_weights.safetensors"), dir.filePath(t5),
                           hfT5Name, Encoding::Float16);
        ModelSetupDialog dialog(QString(), nullptr);
        inspect(dialog, dir.path());
        const ModelFolderReport& report = dialog.report();
        QVERIFY2(report.usable, qPrintable(report.problems.join('\n')));
        QCOMPARE(cell(dialog, ModelRole::Dit, ModelSetupDialog::FileColumn), dit);
        const QString ditDtype = cell(dialog, ModelRole::Dit, ModelSetupDialog::DtypeColumn);
        QVERIFY2(ditDtype.contains(QStringLiteral("F8_E4M3")), qPrintable(ditDtype));
        QVERIFY(cell(dialog, ModelRole::Dit, ModelSetupDialog::ConfigColumn)
                    .startsWith(QStringLiteral("dim 64, 2 layers")));
        QCOMPARE(cell(dialog, ModelRole::Vae, ModelSetupDialog::FileColumn),
                 QStringLiteral("wan_2.1_vae.safetensors"));
        QCOMPARE(cell(dialog, ModelRole::TextEncoder, ModelSetupDialog::FileColumn), t5);
        QVERIFY(cell(dialog, ModelRole::TextEncoder, ModelSetupDialog::DtypeColumn)
                    .contains(QStringLiteral("F16")));
        for (ModelRole role : kAllRoles) {
            QCOMPARE(cell(dialog, role, ModelSetupDialog::StatusColumn), QStringLiteral("Found"));
        }
        QVERIFY(dialog.okButton()->isEnabled());
    }

    // What the user accepts becomes the default for new projects; Cancel leaves it.
    void theChoiceBecomesTheDefaultForNewProjects() {
        sfs::ui::setDefaultModelFolder(QStringLiteral("/models/old"));
        const auto answer = [](bool accept) {
            QTimer::singleShot(0, [accept] {
                auto* dialog = qobject_cast<ModelSetupDialog*>(QApplication::activeModalWidget());
                QVERIFY(dialog != nullptr);
                QVERIFY(
                    QTest::qWaitFor([dialog] { return dialog->okButton()->isEnabled(); }, 30000));
                accept ? dialog->okButton()->click() : dialog->reject();
            });
        };
        answer(false);
        QVERIFY(!ModelSetupDialog::choose(QString(), nullptr).has_value());
        QCOMPARE(sfs::ui::defaultModelFolder(), QStringLiteral("/models/old"));
        answer(true);
        QVERIFY(ModelSetupDialog::choose(QString(), nullptr) == std::optional<QString>(QString()));
        QCOMPARE(sfs::ui::defaultModelFolder(), QString()); // the built-in demo model
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
