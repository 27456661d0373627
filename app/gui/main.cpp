// sfstudio: the desktop studio.
//
//   sfstudio [PROJECT]              open PROJECT (or an exported clip)
//   sfstudio --generate PROJECT     open it and start generating at once
//   sfstudio --bench-ui [PROJECT]   measure the UI thread's longest stall while a take generates
//                                   (docs/benchmarks.md); prints the figures and exits

#include "sfs/core/project/document.h"
#include "sfs/ui/generation_controller.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/theme.h"
#include "sfs/ui/translations.h"
#include "sfs/ui/ui_stall_bench.h"
#include "sfs/version.h"

#include <QApplication>
#include <QFileInfo>
#include <QIcon>
#include <QStyleHints>
#include <QTimer>

#include <cstdio>

namespace {

// Runs `then` once the window's file job (the open) has ended, if the document is `path` then.
void whenOpened(sfs::ui::MainWindow& window, const QString& path, std::function<void()> then) {
    auto* poll = new QTimer(&window);
    poll->setInterval(50);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, path, then] {
        if (window.isBusy()) {
            return;
        }
        poll->deleteLater();
        poll->stop();
        if (window.document()->filePath() == QFileInfo(path).absoluteFilePath()) {
            then();
        }
    });
    poll->start();
}

// The project the UI benchmark generates when none is given: the demo model at 416x240,
// 33 frames (3 chunks), one prompt.
sfs::core::Project benchProject() {
    sfs::core::Project project = sfs::core::Project::makeDefault();
    project.settings.width = 416;
    project.settings.height = 240;
    project.settings.modelFolder.clear();
    project.durationFrames = 33;
    project.prompts.front().text =
        QStringLiteral("A paper boat on a calm lake at sunrise, gentle ripples.");
    return project;
}

int runUiBench(sfs::ui::MainWindow& window, const QString& path) {
    auto* bench = new sfs::ui::UiStallBench(&window);
    QObject::connect(
        bench, &sfs::ui::UiStallBench::finished, &window, [](const sfs::ui::UiStallReport& report) {
            std::printf("%s\n", qPrintable(report.describe()));
            std::fflush(stdout);
            QApplication::exit(report.generating.ticks == 0 ? 2 : report.goalMet() ? 0 : 1);
        });
    if (path.isEmpty()) {
        window.document()->newProject(benchProject());
        QTimer::singleShot(0, bench, &sfs::ui::UiStallBench::start);
    } else if (window.openProjectFile(path)) {
        whenOpened(window, path, [bench] { bench->start(); });
    } else {
        std::fprintf(stderr, "sfstudio --bench-ui: cannot open %s\n", qPrintable(path));
        return 2;
    }
    const int status = QApplication::exec();
    window.document()->close(); // an untitled bench project leaves no staging folder behind
    return status;
}

} // namespace

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

    QStringList files = QApplication::arguments().mid(1);
    const bool generate = files.removeAll(QStringLiteral("--generate")) > 0;
    const bool benchUi = files.removeAll(QStringLiteral("--bench-ui")) > 0;

    sfs::ui::MainWindow window;
    window.show();
    if (benchUi) {
        return runUiBench(window, files.value(0));
    }
    // Once the window is up: the start page (recent projects, and what a crashed session left
    // to recover), or the file given on the command line (the desktop file passes them) and,
    // with --generate, generate it once open. Changes to recover are then named in the status
    // bar and stay on the start page (File > Close Project).
    QTimer::singleShot(0, &window, [&window, files, generate] {
        if (files.isEmpty()) {
            window.showStartPage();
            return;
        }
        window.lookForRecovery();
        const QString path = files.first();
        if (window.openProjectFile(path) && generate) {
            // Generating needs the project: it starts once the open job has read it.
            whenOpened(window, path, [&window] { window.generation()->generate(); });
        }
    });
    return QApplication::exec();
}
