#pragma once
// The transport's keyboard controls as QActions, with the keys of Shotcut and Kdenlive:
//
//   Space play/pause · J/K/L shuttle (L forward, J backward, each press doubling up to 8×; K
//   pauses; with K held, L and J step one frame) · Left/Right one frame · Home/End first/last
//   frame · I/O set the in/out point · Alt+X clear the range · Ctrl+L loop on/off
//
// The actions are added to `host` with Qt::WindowShortcut, so they work wherever the focus is in
// host's window, except in a text field: there Space, letters and arrows type and move the
// cursor (the field claims them first), and a transport key that still reaches an action while
// a field has the focus (Alt+X) does nothing. The integrator lists actions() in a Playback menu.

#include <QList>
#include <QObject>
#include <QStringList>

class QAction;
class QWidget;

namespace sfs::ui {

class Transport;

class PlaybackControls : public QObject {
    Q_OBJECT
public:
    PlaybackControls(Transport* transport, QWidget* host);

    // In menu order; object names are actionNames().
    QList<QAction*> actions() const { return m_actions; }
    QAction* action(const QString& objectName) const;
    static QStringList actionNames();

    // The next shuttle rate after pressing L (forward) or J (backward) at `rate`.
    static double shuttle(double rate, bool forward);
    // A widget where typing goes (line edits, text editors, spin boxes) has the focus.
    static bool textInputHasFocus();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QAction* add(const char* objectName, const QKeySequence& key, void (PlaybackControls::*run)());
    void retranslate();
    void togglePlay();
    void shuttleForward();
    void shuttleBackward();
    void pause();
    void stepForward();
    void stepBackward();
    void goToStart();
    void goToEnd();
    void setIn();
    void setOut();
    void clearRange();
    void toggleLoop();

    Transport* m_transport;
    QWidget* m_host;
    bool m_kHeld = false; // K is down: J and L step instead of shuttling
    QList<QAction*> m_actions;
    QAction* m_loopAction = nullptr;
};

} // namespace sfs::ui
