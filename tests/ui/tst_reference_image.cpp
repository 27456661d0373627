// The Inspector's VACE reference image (render settings): choosing a file imports it into the
// assets folder off the UI thread and sets it, its strength is a spin box that is off without an
// image, Clear empties it; each is one undo step whose undo also restores the widgets; a file
// that is not an image is refused naming it, and the settings stay as they were.

#include "inspector/inspector_panel.h"
#include "inspector_harness.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/selection.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using sfs::core::ProjectDocument;
using sfs::core::RenderSettings;
using sfs::ui::InspectorPanel;
using sfs::ui::Selection;

class TestReferenceImage : public QObject {
    Q_OBJECT

    QTemporaryDir m_staging;
    QTemporaryDir m_files; // the user's image files, outside the project
    sfs::ui::testing::InspectorHarness m_inspector;

    QUndoStack& stack() { return *m_inspector.doc->undoStack(); }
    const RenderSettings& settings() { return m_inspector.doc->project().settings; }
    template <typename T>
    T* child(const QString& name) {
        return sfs::ui::testing::child<T>(m_inspector.panel.get(), name);
    }
    QLabel* name() { return child<QLabel>(QStringLiteral("referenceName")); }
    QDoubleSpinBox* strength() {
        return child<QDoubleSpinBox>(QStringLiteral("referenceScaleSpin"));
    }
    QPushButton* clear() { return child<QPushButton>(QStringLiteral("clearReferenceButton")); }

    // Imports `file` as the reference image and waits for the end; returns the error.
    QString import(const QString& file) {
        QSignalSpy done(m_inspector.panel.get(), &InspectorPanel::referenceImageImported);
        m_inspector.panel->importReferenceImage(file);
        if (!done.wait(10000)) {
            return QStringLiteral("the import never ended");
        }
        return done.first().at(0).toString();
    }
    QString pngFile(const QString& fileName, Qt::GlobalColor colour) {
        QImage image(48, 32, QImage::Format_RGB888);
        image.fill(colour);
        const QString path = m_files.filePath(fileName);
        if (!image.save(path)) {
            qFatal("cannot write %s", qPrintable(path));
        }
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_staging.isValid());
        QVERIFY(m_files.isValid());
    }

    void init() {
        m_inspector.openDocument(m_staging.path(), sfs::core::Project::makeDefault());
        QVERIFY(m_inspector.showPanel(QSize(360, 900)));
    }

    void cleanup() { m_inspector.close(); }

    void withoutAnImageTheStrengthIsOff() {
        QVERIFY(settings().referenceImage.isEmpty());
        QCOMPARE(name()->text(), QStringLiteral("None"));
        QVERIFY(!strength()->isEnabled());
        QVERIFY(!clear()->isEnabled());
        QCOMPARE(strength()->value(), settings().referenceScale);
        QVERIFY(!strength()->toolTip().isEmpty());
        auto* choose = child<QPushButton>(QStringLiteral("chooseReferenceButton"));
        QVERIFY(choose->isEnabled());
        // The row is labelled, and its mnemonic reaches the Choose button.
        QString rowLabel;
        for (const QLabel* label : m_inspector.panel->findChildren<QLabel*>()) {
            if (label->buddy() == choose) {
                rowLabel = label->text();
            }
        }
        QCOMPARE(rowLabel, QStringLiteral("Re&ference:"));
    }

    void choosingAnImageImportsItAsOneUndoStep() {
        if (!sfs::core::imageSupportAvailable()) {
            QSKIP("this build reads no images (SFS_WITH_MEDIA off)");
        }
        const QString file = pngFile(QStringLiteral("portrait.png"), Qt::darkCyan);
        const int before = stack().count();
        QCOMPARE(import(file), QString());
        const QString asset = settings().referenceImage;
        QVERIFY2(asset.startsWith(QStringLiteral("images/")), qPrintable(asset));
        QVERIFY(QFileInfo::exists(m_inspector.doc->assetFilePath(asset))); // copied into the assets
        QCOMPARE(stack().count(), before + 1);
        QCOMPARE(name()->text(), QStringLiteral("portrait.png"));
        QVERIFY(strength()->isEnabled());
        QVERIFY(clear()->isEnabled());
        QVERIFY(m_inspector.panel->problem().isEmpty());
        // Its thumbnail is decoded off the UI thread.
        auto* thumbnail = child<QLabel>(QStringLiteral("referenceThumbnail"));
        QTRY_VERIFY_WITH_TIMEOUT(!thumbnail->pixmap().isNull(), 5000);
        QCOMPARE(thumbnail->pixmap().toImage().pixelColor(10, 10), QColor(Qt::darkCyan));

        stack().undo();
        QVERIFY(settings().referenceImage.isEmpty());
        QCOMPARE(name()->text(), QStringLiteral("None"));
        QVERIFY(!strength()->isEnabled());
        stack().redo();
        QCOMPARE(settings().referenceImage, asset);
        QCOMPARE(name()->text(), QStringLiteral("portrait.png"));
    }

    void theStrengthIsOneUndoStep() {
        RenderSettings s = settings();
        s.referenceImage = QStringLiteral("images/0123456789abcdef0123456789abcdef.png");
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::SetRenderSettingsCommand>(
                        m_inspector.doc.get(), s))
                    .isEmpty());
        QVERIFY(strength()->isEnabled());
        const int before = stack().count();
        strength()->setValue(0.7);
        strength()->setValue(0.8);
        QCOMPARE(settings().referenceScale, 0.8);
        QCOMPARE(stack().count(), before + 1); // the spin merges into one step
        stack().undo();
        QCOMPARE(settings().referenceScale, 0.5);
        QCOMPARE(strength()->value(), 0.5);
        QCOMPARE(strength()->maximum(), sfs::core::rules::kMaxVaceScale);
    }

    void clearIsOneUndoStep() {
        RenderSettings s = settings();
        const QString asset = QStringLiteral("images/0123456789abcdef0123456789abcdef.png");
        s.referenceImage = asset;
        s.referenceScale = 1.25;
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::SetRenderSettingsCommand>(
                        m_inspector.doc.get(), s))
                    .isEmpty());
        const int before = stack().count();
        clear()->click();
        QVERIFY(settings().referenceImage.isEmpty());
        QCOMPARE(stack().count(), before + 1);
        QCOMPARE(name()->text(), QStringLiteral("None"));
        QVERIFY(!clear()->isEnabled());
        QVERIFY(!strength()->isEnabled());
        stack().undo();
        QCOMPARE(settings().referenceImage, asset);
        QCOMPARE(settings().referenceScale, 1.25);
        QVERIFY(strength()->isEnabled());
        QCOMPARE(strength()->value(), 1.25);
        QVERIFY(clear()->isEnabled());
    }

    void aBrokenImageIsRefusedNamingTheFile() {
        if (!sfs::core::imageSupportAvailable()) {
            QSKIP("this build reads no images (SFS_WITH_MEDIA off)");
        }
        const QString broken = m_files.filePath(QStringLiteral("broken.png"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a PNG\n");
        f.close();
        const RenderSettings before = settings();
        const int steps = stack().count();
        const QString error = import(broken);
        QVERIFY2(error.contains(broken), qPrintable(error));
        QCOMPARE(m_inspector.panel->problem(), error); // shown under the page
        QVERIFY(settings() == before);
        QCOMPARE(stack().count(), steps);
        QCOMPARE(name()->text(), QStringLiteral("None"));
        QVERIFY(child<QPushButton>(QStringLiteral("chooseReferenceButton"))->isEnabled());

        const QString missing = m_files.filePath(QStringLiteral("gone.png"));
        const QString noFile = import(missing);
        QVERIFY2(noFile.contains(missing), qPrintable(noFile));
        QVERIFY(settings() == before);
    }

    // A model folder without VACE weights: a reference image gets a hint (the take would be
    // refused); the demo model has VACE blocks.
    void aModelWithoutVaceWeightsGetsAHint() {
        QTemporaryDir models;
        RenderSettings s = settings();
        s.modelFolder = models.path(); // an empty folder: no VACE weights
        s.referenceImage = QStringLiteral("images/0123456789abcdef0123456789abcdef.png");
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::SetRenderSettingsCommand>(
                        m_inspector.doc.get(), s))
                    .isEmpty());
        auto* hint = child<QLabel>(QStringLiteral("referenceVaceHint"));
        QTRY_VERIFY_WITH_TIMEOUT(hint->isVisible(), 5000);
        clear()->click();
        QVERIFY(!hint->isVisible()); // no image, nothing to warn about
        stack().undo();
        QVERIFY(hint->isVisible());
        s.modelFolder.clear(); // the demo model
        QVERIFY(m_inspector.doc
                    ->push(std::make_unique<sfs::core::SetRenderSettingsCommand>(
                        m_inspector.doc.get(), s))
                    .isEmpty());
        QVERIFY(!hint->isVisible());
    }
};

QTEST_MAIN(TestReferenceImage)
#include "tst_reference_image.moc"
