#pragma once
// What the user has selected in the studio: one keyframe, prompt segment, marker or take (by id),
// or nothing. The timeline sets it, the inspector shows it, Delete removes it. One object per
// main window, shared by the panels; it holds ids, never copies of the items, so it can never
// disagree with the project (a selected id that the project no longer has reads as "nothing":
// call prune() after the project changed).

#include <QObject>
#include <QString>

namespace sfs::core {
struct Project;
}

namespace sfs::ui {

class Selection : public QObject {
    Q_OBJECT
public:
    enum class Kind { None, Keyframe, Prompt, Marker, Take };
    Q_ENUM(Kind)

    explicit Selection(QObject* parent = nullptr);

    Kind kind() const { return m_kind; }
    QString id() const { return m_id; } // empty when kind() is None
    bool isEmpty() const { return m_kind == Kind::None; }
    bool is(Kind kind, const QString& id) const { return m_kind == kind && m_id == id; }

    void select(Kind kind, const QString& id); // an empty id or Kind::None clears
    void clear();
    // Clears the selection when `project` no longer has the selected item.
    void prune(const core::Project& project);

Q_SIGNALS:
    void changed(sfs::ui::Selection::Kind kind, const QString& id);

private:
    Kind m_kind = Kind::None;
    QString m_id;
};

} // namespace sfs::ui
