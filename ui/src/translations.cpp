#include "sfs/ui/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace sfs::ui {

bool installTranslations(const QLocale& locale) {
    auto* app = QCoreApplication::instance();
    // Qt's own strings (standard dialogs, QUndoStack's "Undo %1").
    auto* qtTranslator = new QTranslator(app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtTranslator);
    } else {
        delete qtTranslator;
    }
    auto* translator = new QTranslator(app);
    if (translator->load(locale, QStringLiteral("sfstudio"), QStringLiteral("_"),
                         QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(translator);
        return true;
    }
    delete translator;
    return false;
}

} // namespace sfs::ui
