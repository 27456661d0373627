#include "user_guide_dialog.h"

#include "installed_files.h"
#include "sfs/ui/job.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

#include <stdexcept>

namespace sfs::ui {

namespace {

struct GuideText {
    QString path; // "" when not found
    QString markdown;
};

GuideText readGuide() {
    GuideText guide;
    guide.path = userGuidePath();
    if (guide.path.isEmpty()) {
        return guide;
    }
    QFile file(guide.path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw std::runtime_error(
            QStringLiteral("%1: %2").arg(guide.path, file.errorString()).toStdString());
    }
    guide.markdown = QString::fromUtf8(file.readAll());
    return guide;
}

} // namespace

UserGuideDialog::UserGuideDialog(QWidget* parent)
    : QDialog(parent, Qt::Window), m_browser(new QTextBrowser(this)) {
    setObjectName(QStringLiteral("userGuideDialog"));
    setWindowTitle(tr("sfstudio User Guide"));
    m_browser->setObjectName(QStringLiteral("userGuideBrowser"));
    m_browser->setAccessibleName(tr("User guide"));
    m_browser->setOpenExternalLinks(true);
    m_browser->setReadOnly(true);
    m_browser->document()->setDocumentMargin(16); // the text off the frame, as on a page
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(760, 820);
    reload();
}

void UserGuideDialog::reload() {
    if (m_job != nullptr) {
        return;
    }
    m_browser->setPlainText(tr("Loading…"));
    m_job = Job::start(
        tr("Reading the user guide"), [](JobContext&) { return readGuide(); }, this);
    connect(m_job, &Job::finished, this, [this, job = m_job.data()] {
        job->deleteLater();
        m_job = nullptr;
        if (job->state() == Job::State::Failed) {
            m_path.clear();
            m_browser->setPlainText(tr("The user guide could not be read: %1").arg(job->error()));
            Q_EMIT loaded(false);
            return;
        }
        const auto guide = job->result<GuideText>();
        m_path = guide.path;
        if (m_path.isEmpty()) {
            m_browser->setPlainText(
                tr("The user guide (user-guide.md) was not found. sfstudio looked in:\n\n%1")
                    .arg(userGuideCandidates().join(QLatin1Char('\n'))));
            Q_EMIT loaded(false);
            return;
        }
        // Relative links and images resolve beside the guide.
        m_browser->setSearchPaths({QFileInfo(m_path).path()});
        m_browser->setMarkdown(guide.markdown);
        Q_EMIT loaded(true);
    });
}

} // namespace sfs::ui
