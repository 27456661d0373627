#include "model_setup/model_folder_report.h"

#include "sfs/inference/model_set.h"

#include <QCoreApplication>
#include <QDir>
#include <QLocale>

#include <exception>

namespace sfs::ui {

namespace {

using inference::ModelRole;

QString tr(const char* text) {
    return QCoreApplication::translate("sfs::ui::ModelFolderReport", text);
}

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

QString roleLabel(ModelRole role) {
    switch (role) {
    case ModelRole::Dit:
        return tr("DiT (video model)");
    case ModelRole::Vae:
        return tr("VAE (final decoder)");
    case ModelRole::TextEncoder:
        return tr("Text encoder");
    case ModelRole::Tokenizer:
        return tr("Tokenizer");
    case ModelRole::Taehv:
        return tr("TAEHV (preview decoder)");
    case ModelRole::Lora: // not a role of a model folder (projects choose LoRAs by file)
    case ModelRole::Vace: // not a row of this dialog yet (issue 18 left it to the CLI)
    case ModelRole::Unknown:
        break;
    }
    return {};
}

} // namespace

ModelFolderReport inspectModelFolder(const QString& folder) {
    ModelFolderReport report;
    report.folder = folder;
    const std::string name =
        folder.isEmpty() ? std::string(inference::kDemoModelName) : folder.toStdString();
    inference::ModelInventory inventory;
    try {
        inventory = inference::discoverModels(name);
    } catch (const std::exception& e) {
        report.error = q(e.what());
        report.problems << report.error;
        return report;
    }
    report.demo = inventory.demo;
    const QDir root(q(inventory.root));
    for (ModelRole role : {ModelRole::Dit, ModelRole::Vae, ModelRole::TextEncoder,
                           ModelRole::Tokenizer, ModelRole::Taehv}) {
        ModelRoleRow row;
        row.role = role;
        row.roleLabel = roleLabel(role);
        row.required = inference::modelRoleRequired(role);
        row.lookFor = q(inference::modelRoleLookFor(role));
        const inference::DiscoveredFile* best = inventory.best(role);
        for (const inference::DiscoveredFile& f : inventory.files) {
            if (f.role != role) {
                continue;
            }
            const QString file = root.relativeFilePath(q(f.path));
            for (const std::string& p : f.problems) {
                row.problems << tr("%1 cannot be used: %2").arg(file, q(p));
            }
            if (f.usable() && &f != best) {
                row.notes << tr("%1 is also a %2; using %3 (the preferred one)")
                                 .arg(file, row.roleLabel,
                                      best ? root.relativeFilePath(q(best->path)) : QString());
            }
        }
        if (best) {
            row.found = true;
            row.file = root.relativeFilePath(q(best->path));
            row.dtype = q(best->dtype);
            row.size = QLocale().formattedDataSize(static_cast<qint64>(best->bytes));
            row.configuration = q(best->configSummary());
            if (!best->knownAs.empty()) {
                row.configuration += QStringLiteral(" (%1)").arg(q(best->knownAs));
            }
            for (const std::string& n : best->notes) {
                row.notes << q(n);
            }
        }
        report.rows << row;
    }
    // The roles must also fit together (the DiT's text width is the encoder's, ...).
    try {
        (void)inference::resolveModelSet(inventory);
        report.usable = true;
    } catch (const inference::ModelSetError& e) {
        for (const inference::RoleProblem& p : e.problems()) {
            for (ModelRoleRow& row : report.rows) {
                if (row.role != p.role) {
                    continue;
                }
                if (p.file.empty() && !row.found) {
                    continue; // missing: said once below, with what to look for
                }
                const QString file = root.relativeFilePath(q(p.file));
                const QString line = p.file.empty()
                                         ? q(p.problem)
                                         : tr("%1 cannot be used: %2").arg(file, q(p.problem));
                if (!row.problems.contains(line)) {
                    row.problems << line;
                }
                if (!p.file.empty() && file == row.file) {
                    row.found = false; // found, but it does not fit the others
                }
            }
        }
    } catch (const std::exception& e) {
        report.problems << q(e.what());
    }
    // A file discovery could not even classify (truncated, damaged): its problem, by name.
    for (const inference::DiscoveredFile& f : inventory.files) {
        if (f.role == ModelRole::Unknown) {
            for (const std::string& p : f.problems) {
                report.problems
                    << tr("%1 cannot be used: %2").arg(root.relativeFilePath(q(f.path)), q(p));
            }
        }
    }
    for (const ModelRoleRow& row : report.rows) {
        if (!row.found && row.required && row.problems.isEmpty()) {
            report.problems << tr("%1 is missing: look for %2").arg(row.roleLabel, row.lookFor);
        }
        for (const QString& p : row.problems) {
            report.problems << QStringLiteral("%1: %2").arg(row.roleLabel, p);
        }
    }
    return report;
}

} // namespace sfs::ui
