#include "sfs/core/batch/batch_render.h"

#include "sfs/core/project/asset_store.h"
#include "sfs/core/project/project_file.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/model_set.h"

#include <map>

namespace sfs::core {

RenderOverrides renderOverridesFor(const BatchItem& item) {
    RenderOverrides o;
    o.seed = item.seed;
    o.frames = item.frames;
    o.model = item.model;
    o.decoder = item.decoder;
    o.width = item.width;
    o.height = item.height;
    return o;
}

std::vector<BatchProblem> checkBatch(const Batch& batch) {
    std::vector<BatchProblem> problems;
    const auto report = [&](const BatchItem& item, const QString& problem) {
        problems.push_back({item.index, item.label(), item.entry, problem});
    };
    std::map<QString, LoadedProject> projects; // by path: loaded once
    std::map<QString, QString> projectErrors;
    std::map<std::string, std::string> modelErrors; // by engine model name: resolved once
    for (const BatchItem& item : batch.items) {
        if (!projects.count(item.project) && !projectErrors.count(item.project)) {
            LoadedProject loaded;
            FileError error;
            if (loadProject(item.project, LoadOptions{AssetCheck::Exists}, loaded, error)) {
                projects.emplace(item.project, std::move(loaded));
            } else {
                projectErrors.emplace(item.project, error.toString());
            }
        }
        if (const auto failed = projectErrors.find(item.project); failed != projectErrors.end()) {
            report(item, failed->second);
            continue;
        }
        RenderPlan plan;
        try {
            plan = planRender(projects.at(item.project).project, renderOverridesFor(item),
                              assetsDirFor(item.project));
            inference::validateRequest(plan.request);
        } catch (const std::exception& e) {
            // planRender names the setting as the command line's option ("--frames: …").
            QString problem = QString::fromStdString(e.what());
            if (problem.startsWith(QLatin1String("--"))) {
                problem.remove(0, 2);
            }
            report(item, QStringLiteral("%1: %2").arg(item.project, problem));
            continue;
        }
        const std::string& model = plan.request.model;
        if (!modelErrors.count(model)) {
            try {
                inference::resolveModelSet(model);
                modelErrors.emplace(model, std::string());
            } catch (const std::exception& e) {
                modelErrors.emplace(model, e.what());
            }
        }
        if (!modelErrors.at(model).empty()) {
            report(item,
                   QStringLiteral("model: %1").arg(QString::fromStdString(modelErrors.at(model))));
        }
    }
    return problems;
}

} // namespace sfs::core
