// sfstudio: the desktop studio.

#include "sfs/core/project/document.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/theme.h"
#include "sfs/ui/translations.h"
#include "sfs/version.h"

#include <QApplication>
#include <QIcon>
#include <QStyleHints>
#include <QTimer>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral(SFS_APPLICATION_NAME));
    QApplication::setApplicationDisplayName(QStringLiteral("sfstudio"));
    QApplication::setApplicationVersion(QStringLiteral(SFS_VERSION_STRING));
    QApplication::setOrganizationName(QStringLiteral(SFS_ORGANIZATION_NAME));
    QApplication::setOrganizationDomain(QStringLiteral(SFS_ORGANIZATION_DOMAIN));
    QApplication::setDesktopFileName(QStringLiteral("io.sfstudio.sfstudio"));
    // PNG renderings back the SVG where Qt's SVG icon engine plugin is not installed.
    QIcon icon(QStringLiteral(":/icons/sfstudio.svg"));
    for (int size : {32, 64, 256}) {
        icon.addFile(QStringLiteral(":/icons/sfstudio-%1.png").arg(size), QSize(size, size));
    }
    QApplication::setWindowIcon(icon);
    sfs::ui::installTranslations();
    sfs::ui::applyColorScheme(sfs::ui::resolve(sfs::ui::savedThemeChoice()));
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    // Follow the desktop when it switches between light and dark while the studio runs.
    QObject::connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, &app, [] {
        if (sfs::ui::savedThemeChoice() == sfs::ui::ThemeChoice::System) {
            sfs::ui::applyColorScheme(sfs::ui::systemColorScheme());
        }
    });
#endif

    sfs::ui::MainWindow window;
    window.show();
    // Once the window is up: offer what a crashed session left, then open a file given on the
    // command line (the desktop file passes them).
    const QStringList files = QApplication::arguments().mid(1);
    QTimer::singleShot(0, &window, [&window, files] {
        window.offerRecovery();
        if (!files.isEmpty() && !window.document()->isModified()) {
            window.openProjectFile(files.first());
        }
    });
    return QApplication::exec();
}
