// The Inspector's LoRA list (render settings): it shows the project's LoRAs, a strength spun is
// one undo step, removing one is another, and undo brings the list back.

#include "inspector/inspector_panel.h"
#include "inspector/lora_list_editor.h"
#include "inspector_harness.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/selection.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using sfs::core::LoraSetting;
using sfs::core::ProjectDocument;
using sfs::ui::InspectorPanel;
using sfs::ui::Selection;

class TestLoraList : public QObject {
    Q_OBJECT

    QTemporaryDir m_staging;
    sfs::ui::testing::InspectorHarness m_inspector;

    QUndoStack& stack() { return *m_inspector.doc->undoStack(); }
    const std::vector<LoraSetting>& loras() { return m_inspector.doc->project().settings.loras; }
    // Rows the list replaced are deleted later (a row's own button may be what replaced them).
    static void settle() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }
    template <typename T>
    T* child(const QString& name) {
        return sfs::ui::testing::child<T>(m_inspector.panel.get(), name);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_staging.isValid());
    }

    void init() {
        sfs::core::Project p = sfs::core::Project::makeDefault();
        p.settings.loras = {{QStringLiteral("/loras/style.safetensors"), 0.8},
                            {QStringLiteral("/models/longlive/lora.pt"), 1.0}};
        m_inspector.openDocument(m_staging.path(), p);
        QVERIFY(m_inspector.showPanel(QSize(360, 700)));
    }

    void cleanup() { m_inspector.close(); }

    void showsTheProjectsLoras() {
        QCOMPARE(child<QLabel>(QStringLiteral("loraName0"))->text(),
                 QStringLiteral("style.safetensors"));
        QCOMPARE(child<QLabel>(QStringLiteral("loraName1"))->text(), QStringLiteral("lora.pt"));
        QCOMPARE(child<QDoubleSpinBox>(QStringLiteral("loraStrength0"))->value(), 0.8);
    }

    void aStrengthEditIsOneUndoStep() {
        const int before = stack().count();
        auto* strength = child<QDoubleSpinBox>(QStringLiteral("loraStrength0"));
        strength->setValue(0.7);
        strength->setValue(0.6);
        QCOMPARE(loras()[0].strength, 0.6);
        QCOMPARE(loras()[1].strength, 1.0);
        QCOMPARE(stack().count(), before + 1); // the spin merges into one step
        stack().undo();
        settle();
        QCOMPARE(loras()[0].strength, 0.8);
        QCOMPARE(child<QDoubleSpinBox>(QStringLiteral("loraStrength0"))->value(), 0.8);
    }

    void removingALoraIsUndoable() {
        child<QToolButton>(QStringLiteral("removeLora0"))->click();
        settle();
        QCOMPARE(loras().size(), size_t(1));
        QCOMPARE(loras()[0].path, QStringLiteral("/models/longlive/lora.pt"));
        QCOMPARE(child<QLabel>(QStringLiteral("loraName0"))->text(), QStringLiteral("lora.pt"));
        stack().undo();
        settle();
        QCOMPARE(loras().size(), size_t(2));
        QCOMPARE(child<QLabel>(QStringLiteral("loraName1"))->text(), QStringLiteral("lora.pt"));
    }
};

QTEST_MAIN(TestLoraList)
#include "tst_lora_list.moc"
