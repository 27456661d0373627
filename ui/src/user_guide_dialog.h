#pragma once
// Help > User Guide (F1): docs/user-guide.md, found where installedFiles.h says, shown as
// Markdown in a read-only browser. Works offline; links to other pages open in the system's
// browser. The file is read off the UI thread; a tool window, so it stays open beside the
// studio.

#include <QDialog>
#include <QPointer>

class QTextBrowser;

namespace sfs::ui {

class Job;

class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit UserGuideDialog(QWidget* parent = nullptr);

    // Finds and reads the guide (again); loaded() follows.
    void reload();
    QTextBrowser* browser() const { return m_browser; }
    // The file shown, or "" when none was found (the browser then says where it looked).
    QString guidePath() const { return m_path; }

Q_SIGNALS:
    void loaded(bool found);

private:
    QTextBrowser* m_browser;
    QString m_path;
    QPointer<Job> m_job;
};

} // namespace sfs::ui
