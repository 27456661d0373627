#pragma once
// A list of the project's takes to choose from: newest first, each with its status (complete,
// stopped, generating) and chunks; a take regenerated from another ("regenerate from here",
// Take::parentTakeId) follows its parent, indented one level deeper. The user's choice is announced
// by takeChosen(); the owner decides what it sets (the Transport's take, or the other side of a
// comparison).

#include <QComboBox>
#include <QStringList>

namespace sfs::core {
class ProjectDocument;
struct Take;
} // namespace sfs::core

namespace sfs::ui {

class TakeSelector : public QComboBox {
    Q_OBJECT
public:
    explicit TakeSelector(core::ProjectDocument* document, QWidget* parent = nullptr);

    QString currentTakeId() const;            // empty when the project has no takes
    void setCurrentTakeId(const QString& id); // without takeChosen()
    QStringList takeIds() const;              // in list order
    int depth(int index) const;               // 0 for a take generated from the start
    // The line a take gets (without indentation).
    static QString describe(const core::Take& take);

Q_SIGNALS:
    void takeChosen(const QString& id);

protected:
    void changeEvent(QEvent* event) override;

private:
    // Lists the takes again, keeping the current one when asked and still there; else the
    // newest is current (takeChosen() says so).
    void rebuild(bool keepCurrent);

    static constexpr int kDepthRole = Qt::UserRole + 1;

    core::ProjectDocument* m_document;
    bool m_rebuilding = false;
};

} // namespace sfs::ui
