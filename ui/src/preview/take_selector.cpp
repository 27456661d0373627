#include "preview/take_selector.h"

#include "sfs/core/project/document.h"

#include <QEvent>
#include <QLocale>

#include <algorithm>
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
    return tr("%1 · %2 · %3 · %4/%5 chunks")
        .arg(take.id, QLocale().toString(take.created.toLocalTime(), QLocale::ShortFormat), status)
        .arg(take.chunksCompleted)
        .arg(take.chunksPlanned());
}

void TakeSelector::rebuild(bool keepCurrent) {
    const QString previous = currentTakeId();
    const QString current = keepCurrent ? previous : QString();
    m_rebuilding = true;
    clear();
    std::vector<const core::Take*> takes;
    for (const core::Take& take : m_document->project().takes) {
        takes.push_back(&take);
    }
    std::stable_sort(takes.begin(), takes.end(), [](const core::Take* a, const core::Take* b) {
        return a->created > b->created;
    });
    for (const core::Take* take : takes) {
        addItem(describe(*take), take->id);
        setItemData(count() - 1, describe(*take), Qt::ToolTipRole);
    }
    setCurrentIndex(std::max(findData(current), count() > 0 ? 0 : -1));
    setEnabled(count() > 0);
    m_rebuilding = false;
    if (currentTakeId() != previous || !keepCurrent) {
        Q_EMIT takeChosen(currentTakeId());
    }
}

void TakeSelector::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        rebuild(true);
    }
    QComboBox::changeEvent(event);
}

} // namespace sfs::ui
