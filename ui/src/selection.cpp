#include "sfs/ui/selection.h"

#include "sfs/core/project/project.h"

namespace sfs::ui {

Selection::Selection(QObject* parent) : QObject(parent) {}

void Selection::select(Kind kind, const QString& id) {
    if (kind == Kind::None || id.isEmpty()) {
        clear();
        return;
    }
    if (is(kind, id)) {
        return;
    }
    m_kind = kind;
    m_id = id;
    Q_EMIT changed(m_kind, m_id);
}

void Selection::clear() {
    if (m_kind == Kind::None) {
        return;
    }
    m_kind = Kind::None;
    m_id.clear();
    Q_EMIT changed(m_kind, m_id);
}

void Selection::prune(const core::Project& project) {
    bool present = true;
    switch (m_kind) {
    case Kind::None:
        return;
    case Kind::Keyframe:
        present = project.keyframe(m_id) != nullptr;
        break;
    case Kind::Prompt:
        present = project.prompt(m_id) != nullptr;
        break;
    case Kind::Take:
        present = project.take(m_id) != nullptr;
        break;
    case Kind::Marker:
        present = project.marker(m_id) != nullptr;
        break;
    }
    if (!present) {
        clear();
    }
}

} // namespace sfs::ui
