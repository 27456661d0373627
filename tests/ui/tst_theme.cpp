// Light and dark: the choice's names, and the palette each scheme sets.
#include "sfs/ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QTest>

using namespace sfs::ui;

class TestTheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void choicesReadAndWriteTheirNames() {
        for (ThemeChoice c : {ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark}) {
            QVERIFY(themeChoiceFromString(toString(c)) == std::optional<ThemeChoice>(c));
        }
        QVERIFY(themeChoiceFromString(QStringLiteral(" Dark ")) ==
                std::optional<ThemeChoice>(ThemeChoice::Dark));
        QVERIFY(!themeChoiceFromString(QStringLiteral("sepia")));
        QVERIFY(resolve(ThemeChoice::Dark) == ColorScheme::Dark);
        QVERIFY(resolve(ThemeChoice::Light) == ColorScheme::Light);
    }

    void theEnvironmentOverridesTheSettings() {
        qputenv("SFS_THEME", "dark");
        QVERIFY(savedThemeChoice() == ThemeChoice::Dark);
        qputenv("SFS_THEME", "nonsense"); // unknown: the settings' choice (unset: System)
        QVERIFY(savedThemeChoice() == ThemeChoice::System);
        qunsetenv("SFS_THEME");
    }

    void eachSchemeSetsAPaletteOfItsLightness() {
        applyColorScheme(ColorScheme::Dark);
        const QPalette dark = QApplication::palette();
        QVERIFY(dark.color(QPalette::Window).lightness() < 128);
        // Text stays readable on its background in both schemes.
        QVERIFY(dark.color(QPalette::Text).lightness() - dark.color(QPalette::Base).lightness() >
                100);
        applyColorScheme(ColorScheme::Light);
        const QPalette light = QApplication::palette();
        QVERIFY(light.color(QPalette::Window).lightness() >= 128);
        QVERIFY(light.color(QPalette::Base).lightness() - light.color(QPalette::Text).lightness() >
                100);
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
