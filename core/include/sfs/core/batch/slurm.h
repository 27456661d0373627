#pragma once
// Slurm for batches: the sbatch script of a job array (from the template resource
// resources/farm/slurm_array.sh), and the two calls to the scheduler, `sbatch --parsable`
// and `squeue`. Each array task runs `sfstudio-cli batch run BATCH --item $SLURM_ARRAY_TASK_ID`.

#include "sfs/core/batch/batch_state.h"

#include <QString>

#include <stdexcept>
#include <vector>

namespace sfs::core {

// The scheduler could not be asked: the program is missing, or it failed (what() holds its
// standard error).
class SlurmError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `batch submit --slurm` options; empty / 0 = Slurm's default (not written into the script).
struct SlurmOptions {
    QString partition;
    int gpusPerTask = 0;
    int cpusPerTask = 0; // also the render's --threads
    QString mem;         // per node, as sbatch takes it: 16G, 16000M
    QString time;        // as sbatch takes it: 30, 1:00:00, 1-00:00:00
    int maxParallel = 0; // at most this many tasks at once (the array's %K)

    // Empty, or the first option whose value sbatch would not take (named as the option).
    QString problem() const;
};

// "0-3,5,7-9" (with "%K" when maxParallel > 0) for the given item indices (any order).
QString slurmArraySpec(std::vector<int> items, int maxParallel);

struct SlurmScriptRequest {
    QString cli;       // absolute path of the sfstudio-cli the tasks run
    QString batchFile; // absolute
    QString jobName;
    QString logFolder; // absolute; one log per task: <job>_<item>.log
    std::vector<int> items;
    SlurmOptions options;
};

// The script text: the template with the request filled in (paths quoted for the shell).
QString makeSlurmScript(const SlurmScriptRequest& request);

// The log of one task as the script names it.
QString slurmTaskLog(const QString& logFolder, const QString& job, int item);

// Parses `squeue --array --noheader --format=%F|%K|%T` output: (array job id, task id) ->
// state. Lines of jobs that are not arrays are left out.
QueueSnapshot parseSqueue(const QString& text);

// Submits `script` with `sbatch --parsable` (from the script's folder); returns the job id.
// Throws SlurmError when sbatch is missing or fails (its standard error in the message).
QString submitSlurmScript(const QString& script);

// The current user's tasks that Slurm still knows (any state), from squeue. Throws SlurmError.
QueueSnapshot querySlurmQueue();

} // namespace sfs::core
