#pragma once
// Help > About: sfstudio and library versions, and the compute device (probed off the UI thread).

#include <QDialog>

class QLabel;

namespace sfs::ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);

    // The text shown, for tests and for copying into bug reports.
    QString versionsText() const;

private:
    QLabel* m_versions = nullptr;
    QString m_plainText;
};

} // namespace sfs::ui
