#include "about_dialog.h"

#include "sfs/core/media/library_versions.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace sfs::ui {

namespace {
// The device probe may initialise CUDA, so it runs once, on a pool thread, and is shared.
QFuture<QString>& deviceProbe() {
    static QFuture<QString> probe = QtConcurrent::run(&core::computeDeviceDescription);
    return probe;
}

QString rowsToHtml(const QList<QPair<QString, QString>>& rows) {
    QString html = QStringLiteral("<table cellspacing='4'>");
    for (const auto& [name, version] : rows) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(name.toHtmlEscaped(), version.toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}
} // namespace

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About sfstudio"));
    setObjectName(QStringLiteral("aboutDialog"));
    auto* layout = new QVBoxLayout(this);

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/sfstudio-64.png")).pixmap(64, 64));
    auto* title = new QLabel(
        tr("<h2>sfstudio</h2><p>Real-time keyframe storyboarding with Self-Forcing video "
           "diffusion.</p>"),
        this);
    title->setWordWrap(true);
    m_versions = new QLabel(this);
    m_versions->setObjectName(QStringLiteral("versionsLabel"));
    m_versions->setTextInteractionFlags(Qt::TextSelectableByMouse);

    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(m_versions);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_plainText); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    auto rows = core::libraryVersions();
    auto update = [this, rows](const QString& device) {
        auto all = rows;
        all.append({tr("Compute device"), device});
        m_versions->setText(rowsToHtml(all));
        m_plainText.clear();
        for (const auto& [name, version] : all) {
            m_plainText += name + QStringLiteral(": ") + version + QLatin1Char('\n');
        }
    };
    QFuture<QString> probe = deviceProbe();
    if (probe.isFinished()) {
        update(probe.result());
    } else {
        update(tr("detecting…"));
        auto* watcher = new QFutureWatcher<QString>(this);
        connect(watcher, &QFutureWatcher<QString>::finished, this,
                [watcher, update] { update(watcher->result()); });
        watcher->setFuture(probe);
    }
}

QString AboutDialog::versionsText() const {
    return m_plainText;
}

} // namespace sfs::ui
