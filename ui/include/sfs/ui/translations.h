#pragma once
// Loads sfstudio's and Qt's own translations for a locale into the application.

#include <QLocale>

namespace sfs::ui {

// Installs translators for `locale` (the system locale by default). Returns true when an
// sfstudio translation was found; English needs none and returns false.
bool installTranslations(const QLocale& locale = QLocale());

} // namespace sfs::ui
