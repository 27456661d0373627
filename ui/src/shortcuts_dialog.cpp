#include "shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHeaderView>
#include <QKeySequence>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sfs::ui {

ShortcutsDialog::ShortcutsDialog(QWidget* window, const QStringList& actionNames)
    : QDialog(window, Qt::Tool), m_window(window), m_actionNames(actionNames),
      m_table(new QTableWidget(this)) {
    setObjectName(QStringLiteral("shortcutsDialog"));
    m_table->setObjectName(QStringLiteral("shortcutsTable"));
    m_table->setColumnCount(2);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(460, 520);
    fill();
}

void ShortcutsDialog::fill() {
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    m_table->setRowCount(0);
    for (const QString& name : m_actionNames) {
        const auto* action = m_window->findChild<QAction*>(name);
        if (action == nullptr || action->shortcuts().isEmpty()) {
            continue;
        }
        QStringList keys;
        for (const QKeySequence& key : action->shortcuts()) {
            keys << key.toString(QKeySequence::NativeText);
        }
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto* text = new QTableWidgetItem(QString(action->text()).remove(QLatin1Char('&')));
        text->setToolTip(action->statusTip());
        m_table->setItem(row, 0, text);
        m_table->setItem(row, 1, new QTableWidgetItem(keys.join(QStringLiteral(", "))));
    }
    m_table->resizeColumnToContents(0);
}

void ShortcutsDialog::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        fill();
    }
    QDialog::changeEvent(event);
}

} // namespace sfs::ui
