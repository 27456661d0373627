// The application shell: menus, actions, shortcuts, docks, settings, About, translations.

#include "about_dialog.h"
#include "model_setup/model_setup_dialog.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/recent_files.h"
#include "sfs/ui/translations.h"
#include "shortcuts_dialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QMouseEvent>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QTranslator>
#include <QUndoStack>

using sfs::ui::MainWindow;

namespace {
QString actionText(const MainWindow& w, const char* name) {
    const auto* action = w.findChild<QAction*>(QString::fromLatin1(name));
    return action != nullptr ? action->text() : QStringLiteral("<no %1>").arg(QLatin1String(name));
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("sfstudio-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_main_window"));
        QSettings().clear();
    }

    void menusExistInOrder() {
        MainWindow w;
        QStringList titles;
        for (QAction* a : w.menuBar()->actions()) {
            titles << a->menu()->objectName();
        }
        QCOMPARE(titles, (QStringList{"menuFile", "menuEdit", "menuView", "menuPlayback",
                                      "menuGenerate", "menuHelp"}));
        QCOMPARE(w.findChild<QMenu*>("menuFile")->title(), QStringLiteral("&File"));
        QVERIFY(w.findChild<QMenu*>("menuOpenRecent") != nullptr);
    }

    void everyActionExistsInAMenu() {
        MainWindow w;
        for (const QString& name : MainWindow::actionNames()) {
            auto* action = w.findChild<QAction*>(name);
            QVERIFY2(action != nullptr, qPrintable(name));
            QVERIFY2(!action->text().isEmpty(), qPrintable(name));
            bool inMenu = false;
            for (QMenu* menu : w.findChildren<QMenu*>()) {
                inMenu = inMenu || menu->actions().contains(action);
            }
            QVERIFY2(inMenu, qPrintable(name));
        }
    }

    void standardShortcuts() {
        MainWindow w;
        auto shortcutOf = [&](const char* name) {
            return w.findChild<QAction*>(QString::fromLatin1(name))->shortcuts();
        };
        QCOMPARE(shortcutOf("actionNew"), QKeySequence::keyBindings(QKeySequence::New));
        QCOMPARE(shortcutOf("actionOpen"), QKeySequence::keyBindings(QKeySequence::Open));
        QCOMPARE(shortcutOf("actionSave"), QKeySequence::keyBindings(QKeySequence::Save));
        QCOMPARE(shortcutOf("actionSaveAs"), QKeySequence::keyBindings(QKeySequence::SaveAs));
        QCOMPARE(shortcutOf("actionQuit"), QKeySequence::keyBindings(QKeySequence::Quit));
        QCOMPARE(shortcutOf("actionUndo"), QKeySequence::keyBindings(QKeySequence::Undo));
        QCOMPARE(shortcutOf("actionRedo"), QKeySequence::keyBindings(QKeySequence::Redo));
    }

    void viewMenuTogglesDocks() {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* dock = w.findChild<QDockWidget*>("timelineDock");
        auto* toggle = w.findChild<QAction*>("actionToggleTimeline");
        QVERIFY(dock != nullptr && toggle != nullptr);
        QVERIFY(w.findChild<QMenu*>("menuView")->actions().contains(toggle));
        QVERIFY(dock->isVisible());
        toggle->trigger();
        QVERIFY(!dock->isVisible());
        toggle->trigger();
        QVERIFY(dock->isVisible());
        QVERIFY(w.findChild<QDockWidget*>("inspectorDock") != nullptr);
        QVERIFY(w.findChild<QWidget*>("previewArea") != nullptr);
    }

    void undoStackDrivesModifiedFlag() {
        MainWindow w;
        QVERIFY(!w.isWindowModified());
        w.undoStack()->push(new QUndoCommand(QStringLiteral("edit")));
        QVERIFY(w.isWindowModified());
        QVERIFY(w.findChild<QAction*>("actionUndo")->isEnabled());
        w.undoStack()->setClean();
        QVERIFY(!w.isWindowModified());
    }

    void recentFilesPersistAndCap() {
        {
            MainWindow w;
            w.recentFiles()->clear();
            for (int i = 0; i < 12; ++i) {
                w.recentFiles()->add(QStringLiteral("/tmp/p%1.sfsproj").arg(i));
            }
            w.recentFiles()->add(QStringLiteral("/tmp/p5.sfsproj")); // moves to top
            auto* menu = w.findChild<QMenu*>("menuOpenRecent");
            // 10 files, a separator and "Clear Menu".
            QCOMPARE(menu->actions().size(), 12);
            QCOMPARE(menu->actions().first()->data().toString(), QStringLiteral("/tmp/p5.sfsproj"));
        }
        sfs::ui::RecentFiles reloaded;
        QCOMPARE(reloaded.files().size(), sfs::ui::RecentFiles::kMaxEntries);
        QCOMPARE(reloaded.files().first(), QStringLiteral("/tmp/p5.sfsproj"));
        QCOMPARE(reloaded.files().at(1), QStringLiteral("/tmp/p11.sfsproj"));
        QVERIFY(!reloaded.files().contains(QStringLiteral("/tmp/p0.sfsproj")));
        reloaded.clear();
        QVERIFY(sfs::ui::RecentFiles().files().isEmpty());
    }

    void geometryIsRestored() {
        {
            MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(900, 640);
            QTRY_COMPARE(w.size(), QSize(900, 640));
            w.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(900, 640));
    }

    void aboutShowsVersionsAndDevice() {
        sfs::ui::AboutDialog about;
        const QString initial = about.versionsText();
        for (const char* name :
             {"sfstudio", "Qt", "LibTorch", "FFmpeg", "OpenImageIO", "Compute device"}) {
            QVERIFY2(initial.contains(QString::fromLatin1(name)), name);
        }
        QTRY_VERIFY_WITH_TIMEOUT(about.versionsText().contains(QStringLiteral("CPU")) ||
                                     about.versionsText().contains(QStringLiteral("CUDA")),
                                 20000);
    }

    // The model setup dialog opens from the Generate menu and from the status bar's model label;
    // what it returns becomes the project's model in one undo step, Cancel changes nothing.
    void modelSetupChangesTheModelInOneUndoStep() {
        MainWindow w;
        sfs::core::RenderSettings settings = w.document()->project().settings;
        settings.modelFolder = QStringLiteral("/models/self-forcing");
        QVERIFY(w.document()
                    ->push(std::make_unique<sfs::core::SetRenderSettingsCommand>(w.document(),
                                                                                 settings))
                    .isEmpty());
        const int steps = w.undoStack()->count();
        const auto answerDialog = [](bool chooseDemo) {
            QTimer::singleShot(0, [chooseDemo] {
                auto* dialog =
                    qobject_cast<sfs::ui::ModelSetupDialog*>(QApplication::activeModalWidget());
                QVERIFY(dialog != nullptr);
                QCOMPARE(dialog->chosenModelFolder(), QStringLiteral("/models/self-forcing"));
                if (chooseDemo) {
                    dialog->setFolder(QString());
                    dialog->accept();
                } else {
                    dialog->reject();
                }
            });
        };
        answerDialog(false);
        w.findChild<QAction*>("actionModelSetup")->trigger();
        QCOMPARE(w.undoStack()->count(), steps);
        QCOMPARE(w.document()->project().settings.modelFolder,
                 QStringLiteral("/models/self-forcing"));

        answerDialog(true);
        auto* label = w.findChild<QLabel*>("modelLabel");
        QMouseEvent release(QEvent::MouseButtonRelease, QPointF(2, 2), QPointF(2, 2),
                            Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(label, &release);
        QVERIFY(w.document()->project().settings.usesDemoModel());
        QCOMPARE(w.undoStack()->count(), steps + 1);
        QVERIFY(label->text().contains(QStringLiteral("untrained")));
        w.undoStack()->undo();
        QCOMPARE(w.document()->project().settings.modelFolder,
                 QStringLiteral("/models/self-forcing"));
    }

    // Help > Keyboard Shortcuts lists exactly the actions that have a shortcut, with their keys.
    void shortcutsOverviewListsEveryShortcutFromTheActions() {
        MainWindow w;
        QAction* open = w.findChild<QAction*>("actionShortcuts");
        QCOMPARE(open->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Question));
        open->trigger();
        auto* dialog = w.findChild<sfs::ui::ShortcutsDialog*>();
        QVERIFY(dialog != nullptr && dialog->isVisible());
        QTableWidget* table = dialog->table();
        QMap<QString, QString> listed;
        for (int row = 0; row < table->rowCount(); ++row) {
            listed.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
        }
        int withShortcut = 0;
        for (const QString& name : MainWindow::actionNames()) {
            const QAction* a = w.findChild<QAction*>(name);
            if (a->shortcuts().isEmpty()) {
                QVERIFY2(!listed.contains(QString(a->text()).remove('&')), qPrintable(name));
                continue;
            }
            ++withShortcut;
            QVERIFY2(listed.value(QString(a->text()).remove('&'))
                         .contains(a->shortcut().toString(QKeySequence::NativeText)),
                     qPrintable(name));
        }
        QCOMPARE(table->rowCount(), withShortcut);
        QVERIFY(listed.value(QStringLiteral("Generate"))
                    .startsWith(QKeySequence(Qt::CTRL | Qt::Key_Return)
                                    .toString(QKeySequence::NativeText))); // and Ctrl+Enter
        QCOMPARE(listed.value(QStringLiteral("Play/Pause")), QStringLiteral("Space")); // Playback
        open->trigger(); // a second time: the same window, raised
        QCOMPARE(w.findChildren<sfs::ui::ShortcutsDialog*>().size(), 1);
    }

    // docs/user-guide.md's shortcut table agrees with the actions: a row per action that has a
    // shortcut, naming all its keys, and no row for anything else. (Standard keys such as Save
    // As and Quit depend on the desktop: the guide may list keys this platform lacks.)
    void userGuideListsEveryShortcut() {
        MainWindow w;
        QFile guide(QStringLiteral(SFS_SOURCE_DIR "/docs/user-guide.md"));
        QVERIFY(guide.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(guide.readAll());
        const qsizetype begin = text.indexOf(QStringLiteral("| command | keys |"));
        QVERIFY(begin >= 0);
        QMap<QString, QString> rows; // command -> keys, as the guide lists them
        for (const QString& line : text.mid(begin).split('\n').mid(2)) {
            if (!line.startsWith('|')) {
                break;
            }
            const QStringList cells = line.split('|');
            rows.insert(cells.value(1).trimmed(), cells.value(2).trimmed());
        }
        QStringList texts;
        QString expected; // what a table for this platform would say, for the message
        for (const QString& name : MainWindow::actionNames()) {
            const QAction* a = w.findChild<QAction*>(name);
            const QString command = QString(a->text()).remove('&');
            texts << command;
            QStringList keys;
            for (const QKeySequence& key : a->shortcuts()) {
                keys << QStringLiteral("`%1`").arg(key.toString(QKeySequence::PortableText));
            }
            if (keys.isEmpty()) {
                continue;
            }
            expected += QStringLiteral("| %1 | %2 |\n").arg(command, keys.join(" or "));
            for (const QString& key : keys) {
                QVERIFY2(rows.value(command).split(QStringLiteral(" or ")).contains(key),
                         qPrintable(QStringLiteral("%1 %2 is missing; this platform's table:\n%3")
                                        .arg(command, key, expected)));
            }
        }
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            QVERIFY2(texts.contains(it.key()), qPrintable(it.key() + " is not an action"));
        }
    }

    void statusBarNamesTheModelAndWarnsAboutTheDemo() {
        MainWindow w;
        auto* label = w.findChild<QLabel*>("modelLabel");
        QVERIFY(label != nullptr);
        QVERIFY(w.document()->project().settings.usesDemoModel());
        QVERIFY(label->text().contains(QStringLiteral("untrained")));
        sfs::core::RenderSettings settings = w.document()->project().settings;
        settings.modelFolder = QStringLiteral("/models/self-forcing");
        QVERIFY(w.document()
                    ->push(std::make_unique<sfs::core::SetRenderSettingsCommand>(w.document(),
                                                                                 settings))
                    .isEmpty());
        QCOMPARE(label->text(), QStringLiteral("Model: self-forcing"));
        w.undoStack()->undo();
        QVERIFY(label->text().contains(QStringLiteral("untrained")));
    }

    void germanAndJapaneseTranslationsLoad() {
        QVERIFY(sfs::ui::installTranslations(QLocale(QLocale::German, QLocale::Germany)));
        {
            MainWindow w;
            QCOMPARE(w.findChild<QMenu*>("menuFile")->title(), QStringLiteral("&Datei"));
            QCOMPARE(w.findChild<QMenu*>("menuEdit")->title(), QStringLiteral("&Bearbeiten"));
            // Texts from core (the untitled project's name, undo command names) too.
            QVERIFY(w.windowTitle().startsWith(QStringLiteral("Unbenannt[*]")));
            // The studio's parts: playback, generation, the preview's compare bar.
            QCOMPARE(w.findChild<QMenu*>("menuPlayback")->title(), QStringLiteral("&Wiedergabe"));
            QCOMPARE(actionText(w, "actionGenerate"), QStringLiteral("&Generieren"));
            QCOMPARE(w.findChild<QAction*>("actionGenerate")->statusTip(),
                     QStringLiteral("Einen neuen Take der Zeitleiste generieren"));
            QCOMPARE(actionText(w, "actionContinue"), QStringLiteral("&Fortsetzen"));
            QCOMPARE(actionText(w, "actionLoop"), QStringLiteral("&Schleife"));
            QCOMPARE(w.findChild<QComboBox*>("compareMode")->itemText(1),
                     QStringLiteral("Nebeneinander"));
            // Plural forms: German has one and many.
            QCOMPARE(MainWindow::tr("Stopped: take %1 keeps %n whole chunk(s)", nullptr, 1),
                     QStringLiteral("Angehalten: Take %1 behält 1 vollständigen Chunk"));
            QCOMPARE(MainWindow::tr("Stopped: take %1 keeps %n whole chunk(s)", nullptr, 3),
                     QStringLiteral("Angehalten: Take %1 behält 3 vollständige Chunks"));
        }
        QVERIFY(sfs::ui::installTranslations(QLocale(QLocale::Japanese, QLocale::Japan)));
        {
            MainWindow w;
            QCOMPARE(w.findChild<QMenu*>("menuFile")->title(), QString::fromUtf8("ファイル(&F)"));
            QCOMPARE(w.findChild<QMenu*>("menuPlayback")->title(), QString::fromUtf8("再生(&P)"));
            QCOMPARE(actionText(w, "actionGenerate"), QString::fromUtf8("生成(&G)"));
            QCOMPARE(w.findChild<QAction*>("actionGenerate")->statusTip(),
                     QString::fromUtf8("タイムラインの新しいテイクを生成する"));
            QCOMPARE(actionText(w, "actionContinue"), QString::fromUtf8("続行(&C)"));
            QCOMPARE(actionText(w, "actionLoop"), QString::fromUtf8("ループ再生(&L)"));
            QCOMPARE(w.findChild<QComboBox*>("compareMode")->itemText(1),
                     QString::fromUtf8("左右に並べて表示"));
            QCOMPARE(
                MainWindow::tr("Stopped: take %1 keeps %n whole chunk(s)", nullptr, 3),
                QString::fromUtf8("停止しました: テイク %1 には完全なチャンクが 3 個残ります"));
        }
        // English is the source language: there is no translation to load.
        QVERIFY(!sfs::ui::installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
