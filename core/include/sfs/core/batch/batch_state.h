#pragma once
// What a batch knows beside its file: which scheduler jobs took which items (the state file,
// "<stem>.state.json" beside the batch), and each item's status from that, the outputs on disk
// and the scheduler's queue. An output exists only once it is whole (`batch run` writes under a
// temporary name and renames), so an existing output means done.

#include "sfs/core/batch/batch_file.h"
#include "sfs/core/project/file_error.h"

#include <QDateTime>
#include <QString>

#include <map>
#include <utility>
#include <vector>

namespace sfs::core {

inline constexpr int kBatchStateVersion = 1;

struct BatchSubmission {
    QString job;            // the scheduler's job id (a Slurm array job)
    std::vector<int> items; // the items it runs, each as the array task of its index
    QDateTime submitted;    // UTC
    QString script;         // the script that was submitted (absolute)
};

struct BatchState {
    std::vector<BatchSubmission> submissions; // oldest first

    // The latest submission that took `item`, or nullptr.
    const BatchSubmission* latestFor(int item) const;
};

// "<batch folder>/<stem>.state.json".
QString batchStatePath(const Batch& batch);

// A missing file is an empty state. Errors name the file and the field.
bool loadBatchState(const QString& path, BatchState& out, FileError& error);
// Atomically. Empty, or the problem.
QString saveBatchState(const QString& path, const BatchState& state);

// A task as the scheduler's queue shows it: Slurm's state name ("PENDING", "RUNNING",
// "CANCELLED", …) by (array job id, task id).
using QueueSnapshot = std::map<std::pair<QString, int>, QString>;

enum class ItemStatus {
    NotSubmitted, // never handed to the scheduler
    Pending,      // queued, waiting
    Running,      // started, output not there yet
    Done,         // the output exists (whole)
    Failed,       // its task ended without the output (or the queue forgot it)
};
QString toString(ItemStatus status); // "not submitted", "pending", "running", "done", "failed"

struct ItemReport {
    ItemStatus status = ItemStatus::NotSubmitted;
    QString job;        // the latest job that took it; empty when none
    QString queueState; // the queue's state name for its task, when the queue still shows it
};

// True for the queue states of a task that has not ended (it may still write its output).
bool isActiveQueueState(const QString& state);

// Each item's status: done when its output exists; otherwise from its latest submission's task
// in `queue` (active: pending or running; ended or absent: failed); not submitted without one.
std::vector<ItemReport> batchStatus(const Batch& batch, const BatchState& state,
                                    const QueueSnapshot& queue);

} // namespace sfs::core
