// The Inspector: the page for each kind of selection, edits as undo commands that merge while
// typing or dragging, refreshing after undo, refused values shown inline, the token count.

#include "inspector/inspector_panel.h"
#include "inspector/token_counter.h"
#include "inspector_harness.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/inference/text.h"
#include "sfs/ui/main_window.h"
#include "sfs/ui/translations.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTranslator>
#include <QUndoStack>

using sfs::core::ProjectDocument;
using sfs::ui::InspectorPanel;
using sfs::ui::Selection;

namespace {

const QString kImage = QStringLiteral("images/3ec46305de0ea4e94ffca65a220486c9.png");

// A keyframe with an image on disk, two prompt segments, two markers and a take regenerated
// from another; the model folder holds the golden tokenizer (spiece.model).
sfs::core::Project storyboard() {
    using namespace sfs::core;
    Project p = Project::makeDefault();
    p.settings.modelFolder = QStringLiteral(SFS_TEST_DATA_DIR "/golden/tokenizer");
    p.prompts[0].text = QStringLiteral("A paper boat");
    p.prompts.push_back(PromptSegment{QStringLiteral("p2"), 33, QStringLiteral("A bridge")});
    Keyframe k;
    k.id = QStringLiteral("k1");
    k.frame = 40;
    k.image = kImage;
    k.sourceName = QStringLiteral("boat.png");
    k.strength = 0.5;
    p.keyframes.push_back(k);
    p.markers = {Marker{QStringLiteral("m1"), 12, QStringLiteral("Wave")},
                 Marker{QStringLiteral("m2"), 60, QString()}};
    Take root;
    root.id = QStringLiteral("t1");
    root.created = QDateTime::currentDateTimeUtc();
    root.settings = p.settings;
    root.durationFrames = p.durationFrames;
    root.status = TakeStatus::Complete;
    root.chunksCompleted = 7;
    Take branch = root;
    branch.id = QStringLiteral("t2");
    branch.parentTakeId = root.id;
    branch.branchChunk = 3;
    branch.status = TakeStatus::Stopped;
    branch.chunksCompleted = 5;
    p.takes = {root, branch};
    return p;
}

template <typename T>
T* child(QWidget* parent, const char* name) {
    return sfs::ui::testing::child<T>(parent, QString::fromLatin1(name));
}

} // namespace

class TestInspector : public QObject {
    Q_OBJECT

    QTemporaryDir m_staging;
    sfs::ui::testing::InspectorHarness m_inspector;

    QUndoStack& stack() { return *m_inspector.doc->undoStack(); }
    const sfs::core::Project& project() { return m_inspector.doc->project(); }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_staging.isValid());
    }

    void init() {
        m_inspector.openDocument(m_staging.path(), storyboard());
        QVERIFY(QDir().mkpath(m_inspector.doc->assetFilePath(QStringLiteral("images"))));
        QVERIFY(QFile::copy(
            QStringLiteral(SFS_SOURCE_DIR "/resources/examples/paper-boat.sfsproj.assets/") +
                kImage,
            m_inspector.doc->assetFilePath(kImage)));
        QVERIFY(m_inspector.showPanel(QSize(360, 700)));
    }

    void cleanup() { m_inspector.close(); }

    void selectingEachKindShowsItsPage() {
        QCOMPARE(m_inspector.panel->currentPage(), InspectorPanel::Page::Settings);
        QCOMPARE(child<QLineEdit>(m_inspector.panel.get(), "seedEdit")->text(),
                 QStringLiteral("0"));
        QVERIFY(!child<QSpinBox>(m_inspector.panel.get(), "sinkSpin")->isEnabled()); // full context

        m_inspector.selection->select(Selection::Kind::Keyframe, QStringLiteral("k1"));
        QCOMPARE(m_inspector.panel->currentPage(), InspectorPanel::Page::Keyframe);
        QCOMPARE(child<QDoubleSpinBox>(m_inspector.panel.get(), "strengthSpin")->value(), 0.5);
        QCOMPARE(child<QSlider>(m_inspector.panel.get(), "strengthSlider")->value(), 50);
        QCOMPARE(child<QLabel>(m_inspector.panel.get(), "keyframeSource")->text(),
                 QStringLiteral("boat.png"));

        m_inspector.selection->select(Selection::Kind::Prompt, QStringLiteral("p2"));
        QCOMPARE(m_inspector.panel->currentPage(), InspectorPanel::Page::Prompt);
        QCOMPARE(child<QPlainTextEdit>(m_inspector.panel.get(), "promptTextEdit")->toPlainText(),
                 QStringLiteral("A bridge"));
        QVERIFY(child<QLabel>(m_inspector.panel.get(), "promptRange")
                    ->text()
                    .startsWith(QStringLiteral("Frames 33–80")));

        m_inspector.selection->select(Selection::Kind::Marker, QStringLiteral("m1"));
        QCOMPARE(m_inspector.panel->currentPage(), InspectorPanel::Page::Marker);
        QCOMPARE(child<QLineEdit>(m_inspector.panel.get(), "markerNameEdit")->text(),
                 QStringLiteral("Wave"));
        QCOMPARE(child<QSpinBox>(m_inspector.panel.get(), "markerFrameSpin")->value(), 12);

        m_inspector.selection->select(Selection::Kind::Take, QStringLiteral("t2"));
        QCOMPARE(m_inspector.panel->currentPage(), InspectorPanel::Page::Take);
        const QString info = child<QLabel>(m_inspector.panel.get(), "takeInfo")->text();
        QVERIFY2(info.contains(QStringLiteral("stopped after 5 of 7 chunks")), qPrintable(info));
        QVERIFY2(info.contains(QStringLiteral("Regenerated from chunk 3 of take t1")),
                 qPrintable(info));
        m_inspector.selection->select(Selection::Kind::Take, QStringLiteral("t1"));
        QVERIFY(child<QLabel>(m_inspector.panel.get(), "takeInfo")
                    ->text()
                    .contains(QStringLiteral("Regenerated as: t2")));

        // An item that goes (here by an edit elsewhere) takes the panel back to the settings.
        m_inspector.selection->select(Selection::Kind::Marker, QStringLiteral("m2"));
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::DeleteMarkerCommand>(m_inspector.doc.get(),
                                                                            QStringLiteral("m2")))
                    .isEmpty());
        QCOMPARE(m_inspector.panel->currentPage(), InspectorPanel::Page::Settings);
        QVERIFY(m_inspector.selection->isEmpty());
    }

    void everyControlHasAnAccessibleNameAndATooltip() {
        for (QWidget* w : m_inspector.panel->findChildren<QWidget*>()) {
            const bool control = qobject_cast<QAbstractSpinBox*>(w) ||
                                 qobject_cast<QLineEdit*>(w) || qobject_cast<QComboBox*>(w) ||
                                 qobject_cast<QAbstractButton*>(w) || qobject_cast<QSlider*>(w) ||
                                 qobject_cast<QPlainTextEdit*>(w);
            if (!control || w->objectName().isEmpty() || w->objectName().startsWith("qt_")) {
                continue; // the parts Qt makes inside spin boxes and combo boxes
            }
            QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
            QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->objectName()));
        }
        // Every form row says what its field is, and its mnemonic reaches the field.
        int labelled = 0;
        for (QLabel* label : m_inspector.panel->findChildren<QLabel*>()) {
            if (label->buddy() != nullptr) {
                QVERIFY2(!label->text().isEmpty(), qPrintable(label->buddy()->objectName()));
                ++labelled;
            }
        }
        QVERIFY2(labelled >= 16, qPrintable(QString::number(labelled)));
    }

    void theKeyframeImageLoadsOffTheUiThread() {
        m_inspector.selection->select(Selection::Kind::Keyframe, QStringLiteral("k1"));
        auto* image = child<QLabel>(m_inspector.panel.get(), "keyframeImage");
        QTRY_VERIFY(!image->pixmap().isNull());
        QVERIFY(image->pixmap().width() <= 240);
    }

    void strengthStepsMergeWhileHeldAndUndoRefreshesThePanel() {
        m_inspector.selection->select(Selection::Kind::Keyframe, QStringLiteral("k1"));
        auto* spin = child<QDoubleSpinBox>(m_inspector.panel.get(), "strengthSpin");
        spin->setFocus();
        for (int i = 0; i < 3; ++i) {
            QTest::keyClick(spin, Qt::Key_Up);
        }
        QCOMPARE(project().keyframe("k1")->strength, 0.65);
        QCOMPARE(stack().count(), 1);
        QCOMPARE(stack().undoText(), QStringLiteral("Change Keyframe Strength"));
        QCOMPARE(child<QSlider>(m_inspector.panel.get(), "strengthSlider")->value(), 65);
        // Enter ends the edit: the next step is an undo step of its own.
        QTest::keyClick(spin, Qt::Key_Return);
        QTest::keyClick(spin, Qt::Key_Up);
        QCOMPARE(stack().count(), 2);
        stack().undo();
        stack().undo();
        QCOMPARE(project().keyframe("k1")->strength, 0.5);
        QCOMPARE(spin->value(), 0.5);
        QCOMPARE(child<QSlider>(m_inspector.panel.get(), "strengthSlider")->value(), 50);

        // A slider drag is one step too.
        auto* slider = child<QSlider>(m_inspector.panel.get(), "strengthSlider");
        slider->setSliderDown(true);
        Q_EMIT slider->sliderPressed();
        for (int v : {55, 60, 70}) {
            slider->setValue(v);
        }
        slider->setSliderDown(false);
        Q_EMIT slider->sliderReleased();
        QCOMPARE(stack().count(), 1);
        QCOMPARE(project().keyframe("k1")->strength, 0.7);
    }

    // Keyframes with VACE: the check box and the scale are undo steps, and undo refreshes them.
    void vaceIsAKeyframeOptionWithItsScale() {
        m_inspector.selection->select(Selection::Kind::Keyframe, QStringLiteral("k1"));
        auto* check = child<QCheckBox>(m_inspector.panel.get(), "vaceCheck");
        auto* scale = child<QDoubleSpinBox>(m_inspector.panel.get(), "vaceScaleSpin");
        QVERIFY(!check->isChecked());
        QVERIFY(!scale->isEnabled());
        check->click();
        QVERIFY(project().keyframe("k1")->vace);
        QCOMPARE(stack().undoText(), QStringLiteral("Change Keyframe VACE"));
        QVERIFY(scale->isEnabled());
        scale->setFocus();
        QTest::keyClick(scale, Qt::Key_Down);
        QCOMPARE(project().keyframe("k1")->vaceScale, 0.9);
        QCOMPARE(stack().count(), 2);
        stack().undo();
        stack().undo();
        QVERIFY(!project().keyframe("k1")->vace);
        QVERIFY(!check->isChecked());
        QCOMPARE(scale->value(), 1.0);
    }

    void promptTypingIsOneUndoStepAndUndoKeepsTheEditorInStep() {
        m_inspector.selection->select(Selection::Kind::Prompt, QStringLiteral("p1"));
        auto* editor = child<QPlainTextEdit>(m_inspector.panel.get(), "promptTextEdit");
        editor->setFocus();
        editor->moveCursor(QTextCursor::End);
        QTest::keyClicks(editor, QStringLiteral(" drifts"));
        QCOMPARE(project().prompt("p1")->text, QStringLiteral("A paper boat drifts"));
        QCOMPARE(stack().count(), 1);
        QCOMPARE(stack().undoText(), QStringLiteral("Edit Prompt"));
        QCOMPARE(editor->textCursor().position(), 19); // never moved by the panel's refresh

        stack().undo();
        QCOMPARE(editor->toPlainText(), QStringLiteral("A paper boat"));
        QCOMPARE(editor->textCursor().position(), 12);
        // Typing after an undo is a new step, not a merge into the undone one.
        QTest::keyClicks(editor, QStringLiteral("!"));
        QCOMPARE(project().prompt("p1")->text, QStringLiteral("A paper boat!"));
        QCOMPARE(stack().count(), 1);
        QCOMPARE(stack().index(), 1);
        stack().undo();
        stack().redo();
        QCOMPARE(editor->toPlainText(), QStringLiteral("A paper boat!"));
    }

    void seedTypingMergesAndTheDiceRolls() {
        auto* seed = child<QLineEdit>(m_inspector.panel.get(), "seedEdit");
        seed->setFocus();
        seed->selectAll();
        QTest::keyClicks(seed, QStringLiteral("12345"));
        QCOMPARE(project().settings.seed, qint64(12345));
        QCOMPARE(stack().count(), 1);
        QCOMPARE(stack().undoText(), QStringLiteral("Change Render Settings"));
        QTest::mouseClick(child<QToolButton>(m_inspector.panel.get(), "diceButton"),
                          Qt::LeftButton);
        QCOMPARE(stack().count(), 2);
        QVERIFY(project().settings.seed != qint64(12345));
        QCOMPARE(seed->text(), QString::number(project().settings.seed));
        stack().undo();
        QCOMPARE(seed->text(), QStringLiteral("12345"));
    }

    void refusedValuesShowTheRuleAndPushNothing() {
        const sfs::core::Project before = project();
        auto* steps = child<QLineEdit>(m_inspector.panel.get(), "stepsEdit");
        steps->setFocus();
        steps->end(false);
        QTest::keyClick(steps, Qt::Key_0); // "…, 2500"
        QVERIFY2(
            m_inspector.panel->problem().contains(QStringLiteral("step 2500 is outside 1…1000")),
            qPrintable(m_inspector.panel->problem()));
        auto* problem = child<QLabel>(m_inspector.panel.get(), "inspectorProblem");
        QVERIFY(problem->isVisible());
        QCOMPARE(stack().count(), 0);
        QVERIFY(project() == before);

        auto* width = child<QSpinBox>(m_inspector.panel.get(), "widthSpin");
        width->setFocus();
        width->selectAll();
        QTest::keyClicks(width, QStringLiteral("830"));
        QTest::keyClick(width, Qt::Key_Return);
        QVERIFY2(
            m_inspector.panel->problem().contains(QStringLiteral("830 is not a multiple of 16")),
            qPrintable(m_inspector.panel->problem()));
        QCOMPARE(stack().count(), 0);

        auto* seed = child<QLineEdit>(m_inspector.panel.get(), "seedEdit");
        seed->setFocus();
        seed->selectAll();
        QTest::keyClicks(seed, QStringLiteral("x"));
        QVERIFY(m_inspector.panel->problem().contains(QStringLiteral("whole number")));
        QCOMPARE(stack().count(), 0);
        QVERIFY(project() == before);
        // Another edit of the project (a take arriving, the timeline) leaves the field being
        // typed in alone; undo of a change to its own value would not.
        QVERIFY(
            m_inspector.doc
                ->push(std::make_unique<sfs::core::SetDurationCommand>(m_inspector.doc.get(), 93))
                .isEmpty());
        QCOMPARE(seed->text(), QStringLiteral("x"));
        QCOMPARE(child<QSpinBox>(m_inspector.panel.get(), "durationSpin")->value(), 93);
        stack().undo();

        // The next accepted edit clears the message.
        width->selectAll();
        QTest::keyClicks(width, QStringLiteral("848"));
        QTest::keyClick(width, Qt::Key_Return);
        QCOMPARE(project().settings.width, 848);
        QVERIFY(m_inspector.panel->problem().isEmpty());
        QVERIFY(!problem->isVisible());

        // A marker onto another marker's frame: refused, named.
        m_inspector.selection->select(Selection::Kind::Marker, QStringLiteral("m1"));
        auto* frame = child<QSpinBox>(m_inspector.panel.get(), "markerFrameSpin");
        frame->setFocus();
        frame->selectAll();
        QTest::keyClicks(frame, QStringLiteral("60"));
        QTest::keyClick(frame, Qt::Key_Return);
        QVERIFY2(
            m_inspector.panel->problem().contains(QStringLiteral("frame 60 already has a marker")),
            qPrintable(m_inspector.panel->problem()));
        QCOMPARE(project().marker("m1")->frame, 12);
    }

    void markerRenamingMergesWhileTyping() {
        m_inspector.selection->select(Selection::Kind::Marker, QStringLiteral("m1"));
        auto* name = child<QLineEdit>(m_inspector.panel.get(), "markerNameEdit");
        name->setFocus();
        name->end(false);
        QTest::keyClicks(name, QStringLiteral(" crest"));
        QCOMPARE(project().marker("m1")->name, QStringLiteral("Wave crest"));
        QCOMPARE(stack().count(), 1);
        QCOMPARE(stack().undoText(), QStringLiteral("Rename Marker"));
        stack().undo();
        QCOMPARE(name->text(), QStringLiteral("Wave"));
    }

    void theTokenCountFollowsTheText() {
        QCOMPARE(sfs::ui::PromptTokenCounter::estimateTokens(QString()), 0);
        QCOMPARE(sfs::ui::PromptTokenCounter::estimateTokens(QStringLiteral("a cat")), 3);
        m_inspector.selection->select(Selection::Kind::Prompt, QStringLiteral("p1"));
        auto* count = child<QLabel>(m_inspector.panel.get(), "tokenCount");
        QTRY_VERIFY(count->text().contains(QStringLiteral("/ 512 tokens")));
        const bool exact = sfs::inference::tokenizerAvailable();
        QCOMPARE(count->text().contains(QStringLiteral("estimate")), !exact);
        const QString first = count->text();
        // A much longer text counts more, after the debounce, without blocking typing.
        auto* editor = child<QPlainTextEdit>(m_inspector.panel.get(), "promptTextEdit");
        editor->setFocus();
        editor->moveCursor(QTextCursor::End);
        QTest::keyClicks(editor, QStringLiteral(" under a stone bridge at dawn"));
        QTRY_VERIFY(count->text() != first);
        const int before = first.section(QLatin1Char(' '), exact ? 0 : 1, exact ? 0 : 1).toInt();
        const int after =
            count->text().section(QLatin1Char(' '), exact ? 0 : 1, exact ? 0 : 1).toInt();
        QVERIFY2(after > before, qPrintable(count->text()));
        // Over the limit it says so.
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::SetPromptTextCommand>(
                        m_inspector.doc.get(), QStringLiteral("p1"),
                        QStringLiteral("word ").repeated(700)))
                    .isEmpty());
        QTRY_VERIFY(count->text().contains(QStringLiteral("over the limit")));
    }

    void itSpeaksGermanAndJapaneseAndFollowsALanguageChange() {
        QVERIFY(sfs::ui::installTranslations(QLocale(QLocale::German, QLocale::Germany)));
        QCoreApplication::processEvents(); // LanguageChange reaches the open panel
        auto* title = child<QLabel>(m_inspector.panel.get(), "inspectorTitle");
        QCOMPARE(title->text(), QStringLiteral("Render-Einstellungen"));
        QCOMPARE(child<QPushButton>(m_inspector.panel.get(), "chooseModelButton")->text(),
                 QStringLiteral("Auswählen…"));
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::AddMarkerCommand>(
                        m_inspector.doc.get(), sfs::core::Marker{QString(), 30, QString()}))
                    .isEmpty());
        QCOMPARE(stack().undoText(), QStringLiteral("Marker hinzufügen"));
        QVERIFY(sfs::ui::installTranslations(QLocale(QLocale::Japanese, QLocale::Japan)));
        QCoreApplication::processEvents();
        QCOMPARE(title->text(), QString::fromUtf8("レンダリング設定"));
        // Back to English (the source language): without translators.
        for (QTranslator* t : qApp->findChildren<QTranslator*>()) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
        QCoreApplication::processEvents();
        QCOMPARE(title->text(), QStringLiteral("Render Settings"));
    }

    void theMainWindowShowsItInTheInspectorDock() {
        sfs::ui::MainWindow w;
        QVERIFY(w.selection() != nullptr);
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("inspectorDock"));
        QVERIFY(dock != nullptr);
        QCOMPARE(dock->widget(), static_cast<QWidget*>(w.inspector()));
        QCOMPARE(w.inspector()->currentPage(), InspectorPanel::Page::Settings);
    }
};

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
