#pragma once
// Help > Keyboard Shortcuts: every shortcut of the window's actions, read from the actions
// themselves (MainWindow::actionNames()), so the list can never disagree with the keys. A tool
// window: it stays open beside the studio while the user works.

#include <QDialog>

class QTableWidget;

namespace sfs::ui {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    // Lists the actions of `window` named in `actionNames` that have a shortcut, in that order.
    ShortcutsDialog(QWidget* window, const QStringList& actionNames);

    QTableWidget* table() const { return m_table; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void fill();

    QWidget* m_window;
    QStringList m_actionNames;
    QTableWidget* m_table;
};

} // namespace sfs::ui
