#include "sfs/core/batch/slurm.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>

namespace sfs::core {

namespace {

constexpr int kSchedulerTimeoutMs = 120 * 1000;

// 'text' for the shell: single quotes, each ' written as '\''.
QString shellQuoted(const QString& text) {
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// An #SBATCH value: sbatch takes double quotes around one with spaces.
QString sbatchValue(const QString& text) {
    return text.contains(QLatin1Char(' ')) ? QLatin1Char('"') + text + QLatin1Char('"') : text;
}

QString slurmTemplate() {
    QFile file(QStringLiteral(":/sfstudio/farm/slurm_array.sh"));
    if (!file.open(QIODevice::ReadOnly)) {
        throw std::logic_error("the Slurm script template is not in the program's resources");
    }
    return QString::fromUtf8(file.readAll());
}

struct ProcessResult {
    QString out;
    QString err;
};

// Runs a scheduler command; throws SlurmError naming it when it is missing, hangs or fails.
ProcessResult runScheduler(const QString& program, const QStringList& arguments,
                           const QString& workingFolder = QString()) {
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty()) {
        throw SlurmError(QStringLiteral("%1 is not on PATH: this machine is not a Slurm submit "
                                        "host (--dry-run writes the script without submitting)")
                             .arg(program)
                             .toStdString());
    }
    QProcess process;
    if (!workingFolder.isEmpty()) {
        process.setWorkingDirectory(workingFolder);
    }
    process.start(path, arguments);
    const QString command = program + QLatin1Char(' ') + arguments.join(QLatin1Char(' '));
    if (!process.waitForStarted(kSchedulerTimeoutMs)) {
        throw SlurmError(QStringLiteral("%1 could not be started: %2")
                             .arg(command, process.errorString())
                             .toStdString());
    }
    if (!process.waitForFinished(kSchedulerTimeoutMs)) {
        process.kill();
        process.waitForFinished();
        throw SlurmError(QStringLiteral("%1 did not answer within %2 s")
                             .arg(command)
                             .arg(kSchedulerTimeoutMs / 1000)
                             .toStdString());
    }
    ProcessResult result{QString::fromUtf8(process.readAllStandardOutput()),
                         QString::fromUtf8(process.readAllStandardError()).trimmed()};
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        throw SlurmError(
            QStringLiteral("%1 failed (exit %2): %3")
                .arg(command)
                .arg(process.exitCode())
                .arg(result.err.isEmpty() ? QStringLiteral("(no message)") : result.err)
                .toStdString());
    }
    return result;
}

} // namespace

QString SlurmOptions::problem() const {
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_.,-]+$"));
    static const QRegularExpression memory(QStringLiteral("^[0-9]+[KMGT]?$"));
    static const QRegularExpression duration(QStringLiteral("^[0-9]+([-:][0-9]+){0,3}$"));
    if (!partition.isEmpty() && !name.match(partition).hasMatch()) {
        return QStringLiteral("--partition: \"%1\" is not a partition name").arg(partition);
    }
    if (gpusPerTask < 0) {
        return QStringLiteral("--gpus-per-task: %1 is negative").arg(gpusPerTask);
    }
    if (cpusPerTask < 0) {
        return QStringLiteral("--cpus-per-task: %1 is negative").arg(cpusPerTask);
    }
    if (!mem.isEmpty() && !memory.match(mem).hasMatch()) {
        return QStringLiteral("--mem: \"%1\" is not a size (16G, 16000M)").arg(mem);
    }
    if (!time.isEmpty() && !duration.match(time).hasMatch()) {
        return QStringLiteral("--time: \"%1\" is not a time limit (30, 1:00:00, 1-00:00:00)")
            .arg(time);
    }
    if (maxParallel < 0) {
        return QStringLiteral("--max-parallel: %1 is negative").arg(maxParallel);
    }
    return {};
}

QString slurmArraySpec(std::vector<int> items, int maxParallel) {
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    QStringList ranges;
    for (size_t i = 0; i < items.size();) {
        size_t j = i;
        while (j + 1 < items.size() && items[j + 1] == items[j] + 1) {
            ++j;
        }
        ranges << (i == j ? QString::number(items[i])
                          : QStringLiteral("%1-%2").arg(items[i]).arg(items[j]));
        i = j + 1;
    }
    QString spec = ranges.join(QLatin1Char(','));
    if (maxParallel > 0) {
        spec += QStringLiteral("%%1").arg(maxParallel);
    }
    return spec;
}

QString slurmTaskLog(const QString& logFolder, const QString& job, int item) {
    return QDir(logFolder).filePath(QStringLiteral("%1_%2.log").arg(job).arg(item));
}

QString makeSlurmScript(const SlurmScriptRequest& r) {
    QStringList options;
    const SlurmOptions& o = r.options;
    if (!o.partition.isEmpty()) {
        options << QStringLiteral("#SBATCH --partition=%1").arg(o.partition);
    }
    if (o.gpusPerTask > 0) {
        options << QStringLiteral("#SBATCH --gpus-per-task=%1").arg(o.gpusPerTask);
    }
    if (o.cpusPerTask > 0) {
        options << QStringLiteral("#SBATCH --cpus-per-task=%1").arg(o.cpusPerTask);
    }
    if (!o.mem.isEmpty()) {
        options << QStringLiteral("#SBATCH --mem=%1").arg(o.mem);
    }
    if (!o.time.isEmpty()) {
        options << QStringLiteral("#SBATCH --time=%1").arg(o.time);
    }
    QString script = slurmTemplate();
    if (options.isEmpty()) {
        script.remove(QStringLiteral("@SBATCH_OPTIONS@\n"));
    } else {
        script.replace(QStringLiteral("@SBATCH_OPTIONS@"), options.join(QLatin1Char('\n')));
    }
    script.replace(QStringLiteral("@JOB_NAME@"), sbatchValue(r.jobName));
    script.replace(QStringLiteral("@ARRAY@"), slurmArraySpec(r.items, o.maxParallel));
    // %A: the array's job id, %a: the task id (the item) -- slurmTaskLog() in Slurm's words.
    script.replace(QStringLiteral("@LOG@"),
                   sbatchValue(QDir(r.logFolder).filePath(QStringLiteral("%A_%a.log"))));
    script.replace(QStringLiteral("@LOG_FOLDER@"), r.logFolder);
    script.replace(QStringLiteral("@WORK_FOLDER@"),
                   sbatchValue(QFileInfo(r.batchFile).absolutePath()));
    script.replace(QStringLiteral("@CLI@"), shellQuoted(r.cli));
    script.replace(QStringLiteral("@BATCH_FILE_QUOTED@"), shellQuoted(r.batchFile));
    script.replace(QStringLiteral("@BATCH_FILE@"), r.batchFile);
    return script;
}

QueueSnapshot parseSqueue(const QString& text) {
    QueueSnapshot queue;
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList fields = line.trimmed().split(QLatin1Char('|'));
        if (fields.size() != 3) {
            continue;
        }
        bool ok = false;
        const int task = fields[1].toInt(&ok);
        if (ok) {
            queue[{fields[0], task}] = fields[2];
        }
    }
    return queue;
}

QString submitSlurmScript(const QString& script) {
    const ProcessResult result =
        runScheduler(QStringLiteral("sbatch"), {QStringLiteral("--parsable"), script},
                     QFileInfo(script).absolutePath());
    // --parsable: "<job id>" or "<job id>;<cluster>".
    const QString job = result.out.trimmed().section(QLatin1Char(';'), 0, 0);
    static const QRegularExpression number(QStringLiteral("^[0-9]+$"));
    if (!number.match(job).hasMatch()) {
        throw SlurmError(QStringLiteral("sbatch --parsable answered \"%1\", not a job id%2")
                             .arg(result.out.trimmed(), result.err.isEmpty()
                                                            ? QString()
                                                            : QStringLiteral(": ") + result.err)
                             .toStdString());
    }
    return job;
}

QueueSnapshot querySlurmQueue() {
    const ProcessResult result = runScheduler(
        QStringLiteral("squeue"),
        {QStringLiteral("--me"), QStringLiteral("--array"), QStringLiteral("--noheader"),
         QStringLiteral("--states=all"), QStringLiteral("--format=%F|%K|%T")});
    return parseSqueue(result.out);
}

} // namespace sfs::core
