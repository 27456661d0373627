// `sfstudio-cli batch plan|run|submit|status|collect`: batches of renders for a render farm
// (docs/farm.md). The batch file, its state and Slurm are core/batch; an item renders through
// the same function as `render` (render_command.h).

#include "commands.h"
#include "render_command.h"
#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "sfs/core/batch/batch_file.h"
#include "sfs/core/batch/batch_index.h"
#include "sfs/core/batch/batch_render.h"
#include "sfs/core/batch/batch_state.h"
#include "sfs/core/batch/slurm.h"
#include "sfs/core/project/save_file.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <system_error>

namespace sfs::cli {

namespace {

std::string text(const QString& s) {
    return s.toStdString();
}

// A path as the user reads it: relative to the batch's folder when inside it.
std::string shown(const core::Batch& batch, const QString& path) {
    const QString relative = QDir(batch.folder()).relativeFilePath(path);
    return text(relative.startsWith(QLatin1String("..")) ? path : relative);
}

std::string itemCount(size_t n) {
    return std::to_string(n) + (n == 1 ? " item" : " items");
}

// The batch named by the one positional argument; prints the error and returns false.
bool loadBatchArgument(const CommandLine& cmd, const std::string& command, core::Batch& batch,
                       Context& ctx) {
    if (cmd.positional().size() != 1) {
        throw UsageError("expects one BATCH file (JSON, \"format\": \"sfstudio-batch\")");
    }
    core::FileError error;
    if (!core::loadBatch(QString::fromStdString(cmd.positional()[0]), batch, error)) {
        ctx.err << "sfstudio-cli batch " << command << ": " << text(error.toString()) << "\n";
        return false;
    }
    return true;
}

// checkBatch()'s problems, one line each; true when there are none.
bool reportProblems(const core::Batch& batch, const std::string& command, Context& ctx) {
    const std::vector<core::BatchProblem> problems = core::checkBatch(batch);
    for (const core::BatchProblem& p : problems) {
        ctx.err << "sfstudio-cli batch " << command << ": " << text(batch.file) << ": "
                << text(p.label) << " " << text(p.entry) << ": " << text(p.problem) << "\n";
    }
    return problems.empty();
}

void printItem(const core::Batch& batch, const core::BatchItem& item, std::ostream& out) {
    out << text(core::paddedItemIndex(item.index)) << "  " << shown(batch, item.project)
        << "  seed " << item.seed << "  " << shown(batch, item.output)
        << (batch.outputKind == core::BatchOutputKind::ImageSequence ? "/" : "") << "\n";
}

int runPlan(const CommandLine& cmd, Context& ctx) {
    core::Batch batch;
    if (!loadBatchArgument(cmd, "plan", batch, ctx)) {
        return 1;
    }
    for (const core::BatchItem& item : batch.items) {
        printItem(batch, item, ctx.out);
    }
    if (!reportProblems(batch, "plan", ctx)) {
        return 1;
    }
    ctx.out << itemCount(batch.items.size()) << ": every project and model checked\n";
    return 0;
}

// Where `batch run` renders an item before renaming it into place: a hidden folder beside the
// output, so that the rename stays on one file system and an existing output is always whole.
QString stagingFolderFor(const core::BatchItem& item) {
    const QFileInfo output(item.output);
    return output.dir().filePath(QLatin1Char('.') + output.fileName() + QStringLiteral(".partial"));
}

int runItem(const CommandLine& cmd, Context& ctx) {
    if (!cmd.has("item")) {
        throw UsageError("needs --item N (the item's index, as `batch plan` lists them)");
    }
    core::Batch batch;
    if (!loadBatchArgument(cmd, "run", batch, ctx)) {
        return 1;
    }
    const int index = cmd.integer("item");
    if (index < 0 || index >= int(batch.items.size())) {
        throw UsageError("--item " + std::to_string(index) + ": the batch has items 0 to " +
                         std::to_string(batch.items.size() - 1));
    }
    const core::BatchItem& item = batch.items[size_t(index)];
    const std::string label = text(item.label());
    if (QFileInfo::exists(item.output)) {
        ctx.out << label << ": " << text(item.output) << " exists, skipped\n";
        return 0;
    }
    const bool sequence = batch.outputKind == core::BatchOutputKind::ImageSequence;
    const QString staging = stagingFolderFor(item);
    // A staging folder left by a killed run holds nothing worth keeping.
    QDir(staging).removeRecursively();
    if (!QDir().mkpath(staging)) {
        ctx.err << "sfstudio-cli batch run: " << label << ": cannot create " << text(staging)
                << "\n";
        return 1;
    }
    // Whatever happens (an exception included), the staging folder goes.
    struct RemoveOnExit {
        QString folder;
        ~RemoveOnExit() { QDir(folder).removeRecursively(); }
    } removeStaging{staging};
    const QString staged = QDir(staging).filePath(QFileInfo(item.output).fileName());

    RenderJob job;
    job.command = "batch run";
    job.project = item.project;
    job.overrides = core::renderOverridesFor(item);
    job.overridesAreOptions = false;
    // A folder of frames exactly as `render -o FOLDER/` writes it (PNG, frame_0000.png, …).
    job.output = sequence ? renderOutputPath(staged, job.sequence.format, false) : staged;
    job.outputShownAs = item.output; // once renamed into place
    job.keepPartialOutput = false;
    // Items of one project run side by side: none saves the project file (their takes would
    // overwrite each other's); each take's files stay in the staging folder, the output is what
    // the batch keeps.
    job.saveProject = false;
    job.takeFolder = QDir(staging).filePath(QStringLiteral("take"));
    job.threads = cmd.integer("threads");
    ctx.err << label << " -> " << text(item.output) << "\n";
    const int status = runRenderJob(job, ctx);
    if (status == 0) {
        std::error_code error;
        std::filesystem::rename(text(staged), text(item.output), error);
        if (error) {
            ctx.err << "sfstudio-cli batch run: " << label << ": cannot move " << text(staged)
                    << " to " << text(item.output) << ": " << error.message() << "\n";
            return 1;
        }
        ctx.out << "Item " << item.index << " done\n";
    }
    return status;
}

// The scheduler's view: asked only when something was submitted before.
core::QueueSnapshot currentQueue(const core::BatchState& state) {
    return state.submissions.empty() ? core::QueueSnapshot{} : core::querySlurmQueue();
}

bool loadState(const core::Batch& batch, const std::string& command, core::BatchState& state,
               Context& ctx) {
    core::FileError error;
    if (!core::loadBatchState(core::batchStatePath(batch), state, error)) {
        ctx.err << "sfstudio-cli batch " << command << ": " << text(error.toString()) << "\n";
        return false;
    }
    return true;
}

QString logFolderFor(const core::Batch& batch) {
    return batch.companionPath(QStringLiteral(".logs"));
}

// Every item's output folder exists (made now) and takes a new file: refused before anything
// is submitted otherwise.
bool outputFoldersWritable(const core::Batch& batch, Context& ctx) {
    std::map<QString, QString> problems; // by folder: each checked once
    bool ok = true;
    for (const core::BatchItem& item : batch.items) {
        const QString folder = QFileInfo(item.output).absolutePath();
        if (!problems.count(folder)) {
            QString problem;
            if (!QDir().mkpath(folder)) {
                problem = QStringLiteral("cannot be created");
            } else {
                QTemporaryFile probe(
                    QDir(folder).filePath(QStringLiteral(".sfstudio-probe-XXXXXX")));
                if (!probe.open()) {
                    problem = QStringLiteral("is not writable (%1)").arg(probe.errorString());
                }
            }
            problems.emplace(folder, problem);
        }
        if (!problems.at(folder).isEmpty()) {
            ctx.err << "sfstudio-cli batch submit: " << text(item.label()) << ": output folder "
                    << text(folder) << " " << text(problems.at(folder)) << "\n";
            ok = false;
        }
    }
    return ok;
}

std::string absoluteProgramPath() {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string("sfstudio-cli") : self.string();
}

int runSubmit(const CommandLine& cmd, Context& ctx) {
    if (!cmd.flag("slurm")) {
        throw UsageError("needs a scheduler: --slurm (the one built in; docs/farm.md shows "
                         "`batch run --item N` under others)");
    }
    core::SlurmOptions options;
    options.partition = QString::fromStdString(cmd.str("partition"));
    options.gpusPerTask = cmd.integer("gpus-per-task");
    options.cpusPerTask = cmd.integer("cpus-per-task");
    options.mem = QString::fromStdString(cmd.str("mem"));
    options.time = QString::fromStdString(cmd.str("time"));
    options.maxParallel = cmd.integer("max-parallel");
    if (const QString problem = options.problem(); !problem.isEmpty()) {
        throw UsageError(text(problem));
    }
    core::Batch batch;
    if (!loadBatchArgument(cmd, "submit", batch, ctx)) {
        return 1;
    }
    if (!reportProblems(batch, "submit", ctx) || !outputFoldersWritable(batch, ctx)) {
        ctx.err << "Nothing submitted.\n";
        return 1;
    }
    core::BatchState state;
    if (!loadState(batch, "submit", state, ctx)) {
        return 1;
    }
    const bool dryRun = cmd.flag("dry-run");
    std::vector<core::ItemReport> reports;
    try {
        reports = core::batchStatus(batch, state, currentQueue(state));
    } catch (const core::SlurmError& e) {
        ctx.err << "sfstudio-cli batch submit: " << e.what() << "\nNothing submitted.\n";
        return 1;
    }
    std::vector<int> pending;
    int done = 0;
    for (size_t i = 0; i < reports.size(); ++i) {
        const core::ItemStatus s = reports[i].status;
        if (s == core::ItemStatus::Done) {
            ++done;
        } else if (s == core::ItemStatus::NotSubmitted || s == core::ItemStatus::Failed) {
            pending.push_back(int(i));
        }
    }
    if (pending.empty()) {
        ctx.out << "Nothing to submit: " << done << " of " << itemCount(batch.items.size())
                << " done, " << batch.items.size() - size_t(done) << " queued\n";
        return 0;
    }
    const QString logs = logFolderFor(batch);
    if (!QDir().mkpath(logs)) {
        ctx.err << "sfstudio-cli batch submit: cannot create the log folder " << text(logs)
                << "\nNothing submitted.\n";
        return 1;
    }
    core::SlurmScriptRequest request;
    request.cli = QString::fromStdString(absoluteProgramPath());
    request.batchFile = batch.file;
    request.jobName = QStringLiteral("sfstudio-") + QFileInfo(batch.file).completeBaseName();
    request.logFolder = logs;
    request.items = pending;
    request.options = options;
    const QString scriptText = core::makeSlurmScript(request);
    const QString script = batch.companionPath(QStringLiteral(".slurm.sh"));
    if (const QString problem = core::saveFileAtomically(script, scriptText.toUtf8());
        !problem.isEmpty()) {
        ctx.err << "sfstudio-cli batch submit: " << text(script) << ": " << text(problem)
                << "\nNothing submitted.\n";
        return 1;
    }
    if (dryRun) {
        ctx.out << text(scriptText);
        ctx.err << "Dry run: wrote " << text(script) << " for " << pending.size()
                << " items; nothing submitted\n";
        return 0;
    }
    core::BatchSubmission submission;
    try {
        submission.job = core::submitSlurmScript(script);
    } catch (const core::SlurmError& e) {
        ctx.err << "sfstudio-cli batch submit: " << e.what() << "\nNothing submitted.\n";
        return 1;
    }
    submission.items = pending;
    submission.submitted = QDateTime::currentDateTimeUtc();
    submission.script = script;
    state.submissions.push_back(submission);
    const QString statePath = core::batchStatePath(batch);
    if (const QString problem = core::saveBatchState(statePath, state); !problem.isEmpty()) {
        ctx.err << "sfstudio-cli batch submit: job " << text(submission.job)
                << " was submitted, but " << text(statePath)
                << " could not be saved: " << text(problem) << "\n";
        return 1;
    }
    ctx.out << "Submitted job " << text(submission.job) << ": items "
            << text(core::slurmArraySpec(pending, 0)) << " (" << pending.size() << " of "
            << batch.items.size() << ")\n";
    return 0;
}

// The last non-empty line of a task's log (why it failed, usually), or empty.
QString lastLogLine(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const qint64 tail = 4096;
    if (file.size() > tail) {
        file.seek(file.size() - tail);
    }
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        // A terminal's progress bar redraws with \r: the last state counts.
        const QString line = it->section(QLatin1Char('\r'), -1).trimmed();
        if (!line.isEmpty()) {
            return line;
        }
    }
    return {};
}

int runStatus(const CommandLine& cmd, Context& ctx) {
    core::Batch batch;
    core::BatchState state;
    if (!loadBatchArgument(cmd, "status", batch, ctx) || !loadState(batch, "status", state, ctx)) {
        return 1;
    }
    std::vector<core::ItemReport> reports;
    try {
        reports = core::batchStatus(batch, state, currentQueue(state));
    } catch (const core::SlurmError& e) {
        ctx.err << "sfstudio-cli batch status: " << e.what() << "\n";
        return 1;
    }
    std::map<core::ItemStatus, int> counts;
    for (size_t i = 0; i < reports.size(); ++i) {
        const core::BatchItem& item = batch.items[i];
        const core::ItemReport& r = reports[i];
        ++counts[r.status];
        std::string status = text(core::toString(r.status));
        status.resize(std::max<size_t>(status.size(), 13), ' ');
        ctx.out << text(core::paddedItemIndex(item.index)) << "  " << status << "  ";
        if (r.status == core::ItemStatus::Done || r.job.isEmpty()) {
            ctx.out << shown(batch, item.output);
        } else {
            ctx.out << "job " << text(r.job) << ", task " << item.index;
        }
        if (r.status == core::ItemStatus::Failed) {
            const QString log = core::slurmTaskLog(logFolderFor(batch), r.job, item.index);
            ctx.out << " ("
                    << (r.queueState.isEmpty() ? std::string("no longer in the queue")
                                               : text(r.queueState))
                    << "); log " << shown(batch, log);
            if (const QString last = lastLogLine(log); !last.isEmpty()) {
                ctx.out << ": " << text(last);
            }
        }
        ctx.out << "\n";
    }
    ctx.out << itemCount(batch.items.size()) << ":";
    const char* separator = " ";
    for (const core::ItemStatus s :
         {core::ItemStatus::Done, core::ItemStatus::Running, core::ItemStatus::Pending,
          core::ItemStatus::Failed, core::ItemStatus::NotSubmitted}) {
        if (counts[s] > 0) {
            ctx.out << separator << counts[s] << " " << text(core::toString(s));
            separator = ", ";
        }
    }
    ctx.out << "\n";
    return counts[core::ItemStatus::Done] == int(batch.items.size()) ? 0 : 1;
}

int runCollect(const CommandLine& cmd, Context& ctx) {
    core::Batch batch;
    if (!loadBatchArgument(cmd, "collect", batch, ctx)) {
        return 1;
    }
    core::BatchIndex index;
    try {
        index = core::writeBatchIndex(batch);
    } catch (const std::runtime_error& e) {
        ctx.err << "sfstudio-cli batch collect: " << e.what() << "\n";
        return 1;
    }
    for (const QString& notice : index.notices) {
        ctx.err << "note: " << text(notice) << "\n";
    }
    ctx.out << "Wrote " << text(index.path) << ": " << index.itemsDone << " of "
            << batch.items.size() << " items rendered\n";
    return 0;
}

} // namespace

void registerBatchCommands(Registry& registry) {
    registry.push_back(Command{
        "batch plan",
        "List a batch's items (index, project, seed, output) and check every project and model",
        "BATCH",
        {},
        runPlan});
    registry.push_back(
        Command{"batch run",
                "Render one item of a batch, as `render` would; skipped when its output exists",
                "BATCH --item N",
                {{"item", "N", "the item's index (a Slurm array task id)", ""},
                 {"threads", "N", "CPU threads for torch (0 = number of cores)", "0"}},
                runItem});
    registry.push_back(Command{
        "batch submit",
        "Submit the items neither done nor queued as a Slurm job array",
        "BATCH --slurm",
        {{"slurm", "", "submit to Slurm with sbatch (the script is written beside BATCH)", ""},
         {"partition", "P", "Slurm partition", ""},
         {"gpus-per-task", "N", "GPUs per item", "0"},
         {"cpus-per-task", "N", "CPU cores per item (also torch's threads)", "0"},
         {"mem", "M", "memory per item's node, e.g. 32G", ""},
         {"time", "T", "time limit per item, e.g. 1:00:00", ""},
         {"max-parallel", "K", "at most K items at once (the array's %K)", "0"},
         {"dry-run", "", "write and print the script; submit nothing", ""}},
        runSubmit});
    registry.push_back(
        Command{"batch status",
                "Each item's status: pending, running, done, failed (exit 0 when all are done)",
                "BATCH",
                {},
                runStatus});
    registry.push_back(Command{"batch collect",
                               "Write index.html beside a batch's outputs (first frames, seeds, "
                               "projects, links)",
                               "BATCH",
                               {},
                               runCollect});
    registry.push_back(
        Command{"batch",
                "Batches of renders for a render farm (plan, run, submit, status, collect)",
                "plan|run|submit|status|collect BATCH",
                {},
                [](const CommandLine&, Context& ctx) {
                    ctx.err << "Batch commands (run 'sfstudio-cli batch NAME --help'): plan, run, "
                               "submit, status, collect. The format: docs/farm.md.\n";
                    return 2;
                }});
}

} // namespace sfs::cli

#else // no media: no render, so no batches

namespace sfs::cli {
void registerBatchCommands(Registry&) {}
} // namespace sfs::cli

#endif
