#pragma once
// File > Export for the main window: asks what to export (ExportDialog), then runs the export
// as a Job behind a window-modal progress dialog with Cancel. One export at a time.

#include <QObject>
#include <QString>

class QProgressDialog;
class QWidget;

namespace sfs::core {
class ProjectDocument;
struct TakeExportRequest;
} // namespace sfs::core

namespace sfs::ui {

class Job;

class ExportController : public QObject {
    Q_OBJECT
public:
    ExportController(core::ProjectDocument* document, QWidget* window);

    // The running export, or null.
    Job* job() const { return m_job; }
    bool isRunning() const { return m_job != nullptr; }
    // Whether this build can export and the project has a take to export.
    bool canExport() const;

    // Asks in the export dialog (starting in `folder`), then start().
    void exportTake(const QString& folder);
    // Starts exporting a copy of the project as it is now; returns at once (false when an
    // export already runs or this build has no media support). finished() reports the end.
    bool start(const core::TakeExportRequest& request);

Q_SIGNALS:
    void runningChanged(bool running);
    // `message` is what the status bar or the error message told the user.
    void finished(bool ok, const QString& output, const QString& message);
    void failed(const QString& text, const QString& details);
    void statusMessage(const QString& text, int timeoutMs);

private:
    void finish(Job& job);

    core::ProjectDocument* m_document;
    QWidget* m_window;
    Job* m_job = nullptr;
    QProgressDialog* m_progress = nullptr;
};

} // namespace sfs::ui
