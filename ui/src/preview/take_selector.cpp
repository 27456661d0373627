#include "preview/take_selector.h"

#include "sfs/core/project/document.h"

#include <QEvent>
#include <QLocale>
#include <QSet>

#include <algorithm>
#include <functional>
#include <vector>

namespace sfs::ui {

TakeSelector::TakeSelector(core::ProjectDocument* document, QWidget* parent)
    : QComboBox(parent), m_document(document) {
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(document, &core::ProjectDocument::takesChanged, this, [this] { rebuild(true); });
    // Another project: its newest take, even where an id happens to be the same.
    connect(document, &core::ProjectDocument::documentReset, this, [this] { rebuild(false); });
    connect(this, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!m_rebuilding && index >= 0) {
            Q_EMIT takeChosen(itemData(index).toString());
        }
    });
    rebuild(false);
}

QString TakeSelector::currentTakeId() const {
    return currentData().toString();
}

void TakeSelector::setCurrentTakeId(const QString& id) {
    const bool wasRebuilding = m_rebuilding;
    m_rebuilding = true;
    setCurrentIndex(findData(id));
    m_rebuilding = wasRebuilding;
}

QStringList TakeSelector::takeIds() const {
    QStringList ids;
    for (int i = 0; i < count(); ++i) {
        ids << itemData(i).toString();
    }
    return ids;
}

QString TakeSelector::describe(const core::Take& take) {
    QString status;
    switch (take.status) {
    case core::TakeStatus::Complete:
        status = tr("complete");
        break;
    case core::TakeStatus::Stopped:
        status = tr("stopped");
        break;
    case core::TakeStatus::Generating:
        status = tr("generating");
        break;
    }
    //: A take in the take selector: id, when it was made, status, chunks done of planned.
    QString text =
        tr("%1 · %2 · %3 · %4/%5 chunks")
            .arg(take.id, QLocale().toString(take.created.toLocalTime(), QLocale::ShortFormat),
                 status)
            .arg(take.chunksCompleted)
            .arg(take.chunksPlanned());
    if (take.isBranch()) {
        //: A take regenerated from chunk %1 of take %2 ("regenerate from here").
        text += tr(" · from chunk %1 of %2").arg(take.branchChunk).arg(take.parentTakeId);
    }
    return text;
}

void TakeSelector::rebuild(bool keepCurrent) {
    const QString previous = currentTakeId();
    const QString current = keepCurrent ? previous : QString();
    m_rebuilding = true;
    clear();
    const core::Project& project = m_document->project();
    const auto newestFirst = [](std::vector<const core::Take*> takes) {
        std::stable_sort(takes.begin(), takes.end(), [](const core::Take* a, const core::Take* b) {
            return a->created > b->created;
        });
        return takes;
    };
    // Takes regenerated from another follow it, indented; each list newest first.
    QSet<QString> listed; // a malformed lineage must not loop
    const std::function<void(const core::Take&, int)> add = [&](const core::Take& take, int depth) {
        if (listed.contains(take.id)) {
            return;
        }
        listed.insert(take.id);
        addItem(QString(depth * 4, QLatin1Char(' ')) +
                    (depth > 0 ? QStringLiteral("↳ ") : QString()) + describe(take),
                take.id);
        setItemData(count() - 1, describe(take), Qt::ToolTipRole);
        setItemData(count() - 1, depth, kDepthRole);
        for (const core::Take* child : newestFirst(project.childTakes(take.id))) {
            add(*child, depth + 1);
        }
    };
    std::vector<const core::Take*> roots;
    for (const core::Take& take : project.takes) {
        if (!take.isBranch() || project.take(take.parentTakeId) == nullptr) {
            roots.push_back(&take);
        }
    }
    for (const core::Take* take : newestFirst(roots)) {
        add(*take, 0);
    }
    setCurrentIndex(std::max(findData(current), count() > 0 ? 0 : -1));
    setEnabled(count() > 0);
    m_rebuilding = false;
    if (currentTakeId() != previous || !keepCurrent) {
        Q_EMIT takeChosen(currentTakeId());
    }
}

int TakeSelector::depth(int index) const {
    return itemData(index, kDepthRole).toInt();
}

void TakeSelector::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        rebuild(true);
    }
    QComboBox::changeEvent(event);
}

} // namespace sfs::ui
