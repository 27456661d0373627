#pragma once
// Light or dark: the studio follows the system's colour scheme (or the user's choice in the
// settings, "appearance/theme" = system | light | dark). Every panel paints with QPalette roles,
// so switching the application palette is all a theme is.

#include <QString>

#include <optional>

namespace sfs::ui {

enum class ColorScheme { Light, Dark };
enum class ThemeChoice { System, Light, Dark };

std::optional<ThemeChoice> themeChoiceFromString(const QString& name); // "system", "light", "dark"
QString toString(ThemeChoice choice);

// The system's scheme: Qt's own answer where it has one (Qt 6.5+), else the desktop's hints
// (GTK_THEME=...:dark, QT_QPA_PLATFORMTHEME palettes), else the platform palette's lightness.
ColorScheme systemColorScheme();

// The scheme `choice` stands for.
ColorScheme resolve(ThemeChoice choice);

// Sets the application palette for `scheme`. Where the platform's palette already is that scheme
// it is kept (native look); otherwise the Fusion style with sfstudio's light or dark palette.
void applyColorScheme(ColorScheme scheme);

// The user's choice: the environment variable SFS_THEME when set (scripts, screenshots), else
// the settings' "appearance/theme"; System when unset or unknown.
ThemeChoice savedThemeChoice();

} // namespace sfs::ui
