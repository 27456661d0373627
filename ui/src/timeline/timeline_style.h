#pragma once
// What the timeline's event code and its painting (timeline_view_paint.cpp) share: the colours
// that must not follow the palette and the time label.

#include "sfs/core/project/timeline.h"

#include <QColor>
#include <QString>

namespace sfs::ui::timeline_style {

// The playhead and the marks of a running generation keep their colours in both themes: they
// must stand out from any palette.
inline QColor playheadColor() {
    return {226, 64, 52};
}
inline QColor staleColor() {
    return {214, 40, 40};
}
inline QColor pendingColor() {
    return {235, 140, 20};
}

inline QColor withAlpha(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

// "m:ss" at whole seconds, else "m:ss +Nf" (N of the 16 frames of that second).
inline QString timecode(int frame) {
    const int fps = core::timeline::kFps;
    const int seconds = frame / fps;
    const QString time =
        QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    const int rest = frame % fps;
    return rest == 0 ? time : QStringLiteral("%1 +%2f").arg(time).arg(rest);
}

} // namespace sfs::ui::timeline_style
