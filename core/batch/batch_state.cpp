#include "sfs/core/batch/batch_state.h"

#include "sfs/core/project/save_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace sfs::core {

namespace {

const char* const kStateFormat = "sfstudio-batch-state";

} // namespace

const BatchSubmission* BatchState::latestFor(int item) const {
    for (auto it = submissions.rbegin(); it != submissions.rend(); ++it) {
        for (const int i : it->items) {
            if (i == item) {
                return &*it;
            }
        }
    }
    return nullptr;
}

QString batchStatePath(const Batch& batch) {
    return batch.companionPath(QStringLiteral(".state.json"));
}

bool loadBatchState(const QString& path, BatchState& out, FileError& error) {
    error = FileError{path, {}, {}};
    QFile file(path);
    if (!file.exists()) {
        out = BatchState{};
        error = FileError{};
        return true;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        error.problem = QStringLiteral("cannot be read: %1").arg(file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        error.problem = QStringLiteral("not a batch state file (malformed JSON: %1)")
                            .arg(parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kStateFormat)) {
        error.pointer = QStringLiteral("/format");
        error.problem = QStringLiteral("is not \"%1\"").arg(QLatin1String(kStateFormat));
        return false;
    }
    if (root.value(QStringLiteral("version")).toInt(0) > kBatchStateVersion) {
        error.pointer = QStringLiteral("/version");
        error.problem = QStringLiteral("written by a newer sfstudio (this one reads version %1)")
                            .arg(kBatchStateVersion);
        return false;
    }
    BatchState state;
    const QJsonArray submissions = root.value(QStringLiteral("submissions")).toArray();
    for (qsizetype s = 0; s < submissions.size(); ++s) {
        const QJsonObject o = submissions.at(s).toObject();
        BatchSubmission submission;
        submission.job = o.value(QStringLiteral("job")).toString();
        submission.submitted =
            QDateTime::fromString(o.value(QStringLiteral("submitted")).toString(), Qt::ISODate);
        submission.script = o.value(QStringLiteral("script")).toString();
        for (const QJsonValue& item : o.value(QStringLiteral("items")).toArray()) {
            submission.items.push_back(item.toInt(-1));
        }
        if (submission.job.isEmpty()) {
            error.pointer = QStringLiteral("/submissions/%1/job").arg(s);
            error.problem = QStringLiteral("required field is missing");
            return false;
        }
        state.submissions.push_back(std::move(submission));
    }
    out = std::move(state);
    error = FileError{};
    return true;
}

QString saveBatchState(const QString& path, const BatchState& state) {
    QJsonArray submissions;
    for (const BatchSubmission& s : state.submissions) {
        QJsonArray items;
        for (const int i : s.items) {
            items.append(i);
        }
        submissions.append(QJsonObject{
            {QStringLiteral("job"), s.job},
            {QStringLiteral("items"), items},
            {QStringLiteral("submitted"), s.submitted.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("script"), s.script},
        });
    }
    const QJsonObject root{
        {QStringLiteral("format"), QLatin1String(kStateFormat)},
        {QStringLiteral("version"), kBatchStateVersion},
        {QStringLiteral("submissions"), submissions},
    };
    return saveFileAtomically(path, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

QString toString(ItemStatus status) {
    switch (status) {
    case ItemStatus::NotSubmitted:
        return QStringLiteral("not submitted");
    case ItemStatus::Pending:
        return QStringLiteral("pending");
    case ItemStatus::Running:
        return QStringLiteral("running");
    case ItemStatus::Done:
        return QStringLiteral("done");
    case ItemStatus::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

bool isActiveQueueState(const QString& state) {
    // Slurm's job states that have not ended (squeue(1), "JOB STATE CODES").
    static const QStringList active{
        QStringLiteral("PENDING"),       QStringLiteral("CONFIGURING"), QStringLiteral("RUNNING"),
        QStringLiteral("COMPLETING"),    QStringLiteral("SUSPENDED"),   QStringLiteral("REQUEUED"),
        QStringLiteral("REQUEUE_HOLD"),  QStringLiteral("REQUEUE_FED"), QStringLiteral("RESIZING"),
        QStringLiteral("RESV_DEL_HOLD"), QStringLiteral("SIGNALING"),   QStringLiteral("STAGE_OUT"),
        QStringLiteral("STOPPED")};
    return active.contains(state);
}

std::vector<ItemReport> batchStatus(const Batch& batch, const BatchState& state,
                                    const QueueSnapshot& queue) {
    std::vector<ItemReport> reports;
    for (const BatchItem& item : batch.items) {
        ItemReport report;
        const BatchSubmission* submission = state.latestFor(item.index);
        if (submission != nullptr) {
            report.job = submission->job;
            if (const auto task = queue.find({submission->job, item.index}); task != queue.end()) {
                report.queueState = task->second;
            }
        }
        if (QFileInfo::exists(item.output)) {
            report.status = ItemStatus::Done;
        } else if (submission == nullptr) {
            report.status = ItemStatus::NotSubmitted;
        } else if (report.queueState == QLatin1String("PENDING") ||
                   report.queueState == QLatin1String("CONFIGURING") ||
                   report.queueState == QLatin1String("REQUEUED")) {
            report.status = ItemStatus::Pending;
        } else if (isActiveQueueState(report.queueState)) {
            report.status = ItemStatus::Running;
        } else {
            report.status = ItemStatus::Failed;
        }
        reports.push_back(report);
    }
    return reports;
}

} // namespace sfs::core
