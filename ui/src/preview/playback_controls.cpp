#include "preview/playback_controls.h"

#include "sfs/ui/transport.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>
#include <QWidget>

#include <cmath>

namespace sfs::ui {

PlaybackControls::PlaybackControls(Transport* transport, QWidget* host)
    : QObject(host), m_transport(transport), m_host(host) {
    add("actionPlayPause", QKeySequence(Qt::Key_Space), &PlaybackControls::togglePlay);
    add("actionShuttleBackward", QKeySequence(Qt::Key_J), &PlaybackControls::shuttleBackward);
    add("actionShuttlePause", QKeySequence(Qt::Key_K), &PlaybackControls::pause);
    add("actionShuttleForward", QKeySequence(Qt::Key_L), &PlaybackControls::shuttleForward);
    add("actionStepBackward", QKeySequence(Qt::Key_Left), &PlaybackControls::stepBackward);
    add("actionStepForward", QKeySequence(Qt::Key_Right), &PlaybackControls::stepForward);
    add("actionGoToStart", QKeySequence(Qt::Key_Home), &PlaybackControls::goToStart);
    add("actionGoToEnd", QKeySequence(Qt::Key_End), &PlaybackControls::goToEnd);
    add("actionSetIn", QKeySequence(Qt::Key_I), &PlaybackControls::setIn);
    add("actionSetOut", QKeySequence(Qt::Key_O), &PlaybackControls::setOut);
    add("actionClearRange", QKeySequence(Qt::ALT | Qt::Key_X), &PlaybackControls::clearRange);
    m_loopAction =
        add("actionLoop", QKeySequence(Qt::CTRL | Qt::Key_L), &PlaybackControls::toggleLoop);
    m_loopAction->setCheckable(true);
    m_loopAction->setChecked(transport->loops());
    connect(transport, &Transport::loopChanged, m_loopAction, &QAction::setChecked);

    host->addActions(m_actions);
    host->installEventFilter(this);
    // K held down: a shortcut's key press never reaches a widget, so watch what precedes it
    // (the shortcut-override query) and the release, application-wide.
    qApp->installEventFilter(this);
    retranslate();
}

QStringList PlaybackControls::actionNames() {
    return {QStringLiteral("actionPlayPause"),    QStringLiteral("actionShuttleBackward"),
            QStringLiteral("actionShuttlePause"), QStringLiteral("actionShuttleForward"),
            QStringLiteral("actionStepBackward"), QStringLiteral("actionStepForward"),
            QStringLiteral("actionGoToStart"),    QStringLiteral("actionGoToEnd"),
            QStringLiteral("actionSetIn"),        QStringLiteral("actionSetOut"),
            QStringLiteral("actionClearRange"),   QStringLiteral("actionLoop")};
}

QAction* PlaybackControls::action(const QString& objectName) const {
    for (QAction* a : m_actions) {
        if (a->objectName() == objectName) {
            return a;
        }
    }
    return nullptr;
}

QAction* PlaybackControls::add(const char* objectName, const QKeySequence& key,
                               void (PlaybackControls::*run)()) {
    auto* a = new QAction(this);
    a->setObjectName(QString::fromLatin1(objectName));
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, this, [this, run] {
        if (!textInputHasFocus()) {
            (this->*run)();
        } else if (m_loopAction != nullptr) {
            m_loopAction->setChecked(m_transport->loops()); // a checkable action flipped itself
        }
    });
    m_actions.append(a);
    return a;
}

void PlaybackControls::retranslate() {
    const auto describe = [this](const char* name, const QString& text, const QString& tip) {
        QAction* a = action(QString::fromLatin1(name));
        a->setText(text);
        a->setStatusTip(tip);
    };
    describe("actionPlayPause", tr("&Play/Pause"), tr("Play the take or pause it"));
    describe("actionShuttleBackward", tr("Play &Backward"),
             tr("Play backward; each press doubles the speed up to 8×"));
    describe("actionShuttlePause", tr("P&ause"), tr("Pause playback"));
    describe("actionShuttleForward", tr("Play &Forward"),
             tr("Play forward; each press doubles the speed up to 8×"));
    describe("actionStepBackward", tr("Previous F&rame"), tr("Step one frame back"));
    describe("actionStepForward", tr("&Next Frame"), tr("Step one frame forward"));
    describe("actionGoToStart", tr("Go to &Start"), tr("Move the playhead to the first frame"));
    describe("actionGoToEnd", tr("Go to &End"), tr("Move the playhead to the last frame"));
    describe("actionSetIn", tr("Set &In Point"), tr("Playback and export start at the playhead"));
    describe("actionSetOut", tr("Set &Out Point"), tr("Playback and export end at the playhead"));
    describe("actionClearRange", tr("&Clear In/Out"), tr("Play and export the whole timeline"));
    describe("actionLoop", tr("&Loop"), tr("Play the in/out range over and over"));
}

bool PlaybackControls::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_host && event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    const QEvent::Type type = event->type();
    if (type == QEvent::ShortcutOverride || type == QEvent::KeyRelease) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_K && !key->isAutoRepeat()) {
            m_kHeld = type == QEvent::ShortcutOverride && key->modifiers() == Qt::NoModifier;
        }
    } else if (type == QEvent::WindowDeactivate || type == QEvent::FocusOut) {
        m_kHeld = false; // the release may go to another application
    }
    return QObject::eventFilter(watched, event);
}

double PlaybackControls::shuttle(double rate, bool forward) {
    const double sign = forward ? 1.0 : -1.0;
    // Pressing against the direction of play (or from a pause) starts at normal speed.
    if (rate * sign <= 0.0) {
        return sign;
    }
    return sign * std::min(std::abs(rate) * 2.0, 8.0);
}

bool PlaybackControls::textInputHasFocus() {
    QWidget* w = QApplication::focusWidget();
    if (w == nullptr) {
        return false;
    }
    if (auto* line = qobject_cast<QLineEdit*>(w)) {
        return !line->isReadOnly();
    }
    if (auto* text = qobject_cast<QTextEdit*>(w)) {
        return !text->isReadOnly();
    }
    if (auto* plain = qobject_cast<QPlainTextEdit*>(w)) {
        return !plain->isReadOnly();
    }
    if (auto* combo = qobject_cast<QComboBox*>(w)) {
        return combo->isEditable();
    }
    return qobject_cast<QAbstractSpinBox*>(w) != nullptr;
}

void PlaybackControls::togglePlay() {
    m_transport->togglePlay();
}

void PlaybackControls::shuttleForward() {
    if (m_kHeld) {
        stepForward();
    } else {
        m_transport->setRate(shuttle(m_transport->rate(), true));
    }
}

void PlaybackControls::shuttleBackward() {
    if (m_kHeld) {
        stepBackward();
    } else {
        m_transport->setRate(shuttle(m_transport->rate(), false));
    }
}

void PlaybackControls::pause() {
    m_transport->pause();
}

void PlaybackControls::stepForward() {
    m_transport->pause();
    m_transport->step(1);
}

void PlaybackControls::stepBackward() {
    m_transport->pause();
    m_transport->step(-1);
}

void PlaybackControls::goToStart() {
    m_transport->setFrame(0);
}

void PlaybackControls::goToEnd() {
    m_transport->setFrame(m_transport->length() - 1);
}

void PlaybackControls::setIn() {
    m_transport->setInFrame(m_transport->frame());
}

void PlaybackControls::setOut() {
    m_transport->setOutFrame(m_transport->frame());
}

void PlaybackControls::clearRange() {
    m_transport->clearRange();
}

void PlaybackControls::toggleLoop() {
    m_transport->setLoop(m_loopAction->isChecked());
}

} // namespace sfs::ui
