#include "sfs/ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

namespace sfs::ui {

namespace {
const char* const kThemeKey = "appearance/theme";

bool isDark(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x21, 0x24);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x80, 0x80, 0x80);
    const QColor highlight(0x3d, 0x8e, 0xe0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabledText);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Light, window.lighter(150));
    p.setColor(QPalette::Midlight, window.lighter(125));
    // Mid draws separators and ticks on Window and Button: it must stand out from them.
    p.setColor(QPalette::Mid, window.lighter(170));
    p.setColor(QPalette::Dark, base.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, highlight.lighter(130));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, disabledText);
    }
    return p;
}
} // namespace

std::optional<ThemeChoice> themeChoiceFromString(const QString& name) {
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("system")) {
        return ThemeChoice::System;
    }
    if (n == QLatin1String("light")) {
        return ThemeChoice::Light;
    }
    if (n == QLatin1String("dark")) {
        return ThemeChoice::Dark;
    }
    return std::nullopt;
}

QString toString(ThemeChoice choice) {
    switch (choice) {
    case ThemeChoice::Light:
        return QStringLiteral("light");
    case ThemeChoice::Dark:
        return QStringLiteral("dark");
    case ThemeChoice::System:
        break;
    }
    return QStringLiteral("system");
}

ColorScheme systemColorScheme() {
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    switch (QGuiApplication::styleHints()->colorScheme()) {
    case Qt::ColorScheme::Dark:
        return ColorScheme::Dark;
    case Qt::ColorScheme::Light:
        return ColorScheme::Light;
    case Qt::ColorScheme::Unknown:
        break;
    }
#endif
    // GNOME and GTK desktops name a dark variant in GTK_THEME ("Adwaita:dark", "Yaru-dark").
    const QString gtkTheme = qEnvironmentVariable("GTK_THEME").toLower();
    if (gtkTheme.endsWith(QLatin1String(":dark")) || gtkTheme.endsWith(QLatin1String("-dark"))) {
        return ColorScheme::Dark;
    }
    // KDE and the gtk3/xdgdesktopportal platform themes hand Qt the desktop's palette.
    return isDark(QGuiApplication::palette()) ? ColorScheme::Dark : ColorScheme::Light;
}

ColorScheme resolve(ThemeChoice choice) {
    switch (choice) {
    case ThemeChoice::Light:
        return ColorScheme::Light;
    case ThemeChoice::Dark:
        return ColorScheme::Dark;
    case ThemeChoice::System:
        break;
    }
    return systemColorScheme();
}

void applyColorScheme(ColorScheme scheme) {
    const bool wantDark = scheme == ColorScheme::Dark;
    // The platform's own palette, before any palette we set (QStyle::standardPalette would be
    // the style's idea, not the desktop's).
    static const QPalette platformPalette = QGuiApplication::palette();
    if (isDark(platformPalette) == wantDark) {
        QApplication::setPalette(platformPalette);
        return;
    }
    // Fusion draws every control from the palette, so a palette of the other scheme reads well.
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
        QApplication::setStyle(fusion);
    }
    QApplication::setPalette(wantDark ? darkPalette() : QApplication::style()->standardPalette());
}

ThemeChoice savedThemeChoice() {
    if (const auto fromEnvironment = themeChoiceFromString(qEnvironmentVariable("SFS_THEME"))) {
        return *fromEnvironment;
    }
    return themeChoiceFromString(QSettings().value(QString::fromLatin1(kThemeKey)).toString())
        .value_or(ThemeChoice::System);
}

} // namespace sfs::ui
