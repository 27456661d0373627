// Format 4's render settings in the studio (issue 16): the preview decoder, the precision and the
// text encoder's device as undoable inspector edits; the memory guardrail on a simulated device
// memory (the estimate off the UI thread, Generate refused with a banner, each suggestion a
// button that makes the take fit, one undo step); and the live preview fed by the preview
// decoder while the take keeps the final decoder's frames (the demo model at 64x64).

#include "generation/memory_guard.h"
#include "inspector/inspector_panel.h"
#include "inspector_harness.h"
#include "sfs/core/project/document.h"
#include "sfs/inference/text.h"
#include "sfs/ui/generation_controller.h"
#include "sfs/ui/selection.h"
#include "sfs/ui/transport.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QMap>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <atomic>
#include <memory>
#include <unistd.h>

using sfs::core::ProjectDocument;
using sfs::ui::GenerationController;
using sfs::ui::InspectorPanel;
using sfs::ui::MemoryGuard;
using sfs::ui::Selection;

namespace {

constexpr int kWaitMs = 60000;

sfs::core::Project tinyProject(int frames) {
    sfs::core::Project p = sfs::core::Project::makeDefault();
    p.settings.width = 64;
    p.settings.height = 64;
    p.settings.seed = 7;
    p.settings.modelFolder.clear(); // the demo model
    p.settings.device = QStringLiteral("cpu");
    p.durationFrames = frames;
    p.prompts.front().text = QStringLiteral("a paper boat on a lake");
    return p;
}

template <typename T>
T* child(QWidget* parent, const char* name) {
    return sfs::ui::testing::child<T>(parent, QString::fromLatin1(name));
}

// Picks the item with `data` as the user does (an activated item is an edit).
void choose(QComboBox* combo, const QString& data) {
    const int index = combo->findData(data);
    QVERIFY2(index >= 0, qPrintable(data));
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index);
}

// Waits for the guard's status of the project as it is now, checked with `available` free.
bool waitForCheck(const MemoryGuard& guard, uint64_t available) {
    return QTest::qWaitFor(
        [&] {
            return guard.isCurrent() && !guard.isPending() && guard.status().checked &&
                   guard.status().check.available == available;
        },
        kWaitMs);
}

QImage rgb(const QImage& image) {
    return image.convertToFormat(QImage::Format_RGB888);
}

} // namespace

class TestMemoryGuard : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        // The demo model's files are shared with the engine tests (written once, atomically).
        qputenv(
            "XDG_CACHE_HOME",
            QDir::temp().filePath(QStringLiteral("sfs-engine-test-%1").arg(::getuid())).toUtf8());
        QVERIFY(m_dir.isValid());
    }

    void newSettingsAreUndoableInspectorEdits() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("undo")));
        doc.newProject(tinyProject(21));
        Selection selection;
        InspectorPanel panel(&doc, &selection);
        QUndoStack& stack = *doc.undoStack();
        const sfs::core::RenderSettings before = doc.project().settings;

        auto* preview = child<QComboBox>(&panel, "previewDecoderCombo");
        auto* precision = child<QComboBox>(&panel, "precisionCombo");
        auto* encoder = child<QComboBox>(&panel, "textEncoderCombo");
        QCOMPARE(preview->currentData().toString(), QStringLiteral("final"));
        QCOMPARE(precision->currentData().toString(), QStringLiteral("auto"));
        QCOMPARE(encoder->currentData().toString(), QStringLiteral("auto"));

        choose(preview, QStringLiteral("taehv"));
        QVERIFY(doc.project().settings.previewDecoder == sfs::core::PreviewDecoder::Taehv);
        choose(precision, QStringLiteral("bfloat16"));
        QCOMPARE(doc.project().settings.precision, QStringLiteral("bfloat16"));
        choose(encoder, QStringLiteral("gpu"));
        QCOMPARE(doc.project().settings.textEncoderDevice, QStringLiteral("gpu"));
        QCOMPARE(stack.count(), 3); // one step each

        stack.undo();
        QCOMPARE(doc.project().settings.textEncoderDevice, QStringLiteral("auto"));
        QCOMPARE(encoder->currentData().toString(), QStringLiteral("auto")); // the panel follows
        stack.undo();
        QCOMPARE(doc.project().settings.precision, QStringLiteral("auto"));
        QCOMPARE(precision->currentData().toString(), QStringLiteral("auto"));
        stack.undo();
        QVERIFY(doc.project().settings == before);
        QCOMPARE(preview->currentData().toString(), QStringLiteral("final"));
        stack.redo();
        QVERIFY(doc.project().settings.previewDecoder == sfs::core::PreviewDecoder::Taehv);
        QCOMPARE(preview->currentData().toString(), QStringLiteral("taehv"));
    }

    // 45 frames of the demo model on a CPU with 3/4 of what they need free: refused, and every
    // suggested setting, applied from its button, fits (and needs less); undo brings it back.
    void theGuardrailRefusesAndItsSuggestionsFit() {
        ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("guard")));
        sfs::core::Project project = tinyProject(45);
        project.settings.decoder = sfs::core::Decoder::WanVae;
        doc.newProject(project);
        auto free = std::make_shared<std::atomic<uint64_t>>(64ull << 30);
        sfs::inference::EngineOptions options;
        options.diskPromptCache = false;
        options.machine = sfs::inference::RuntimeInfo{}; // a CPU only
        options.hostMemoryBytes = 128ull << 30;
        options.freeMemory = [free](const sfs::inference::DeviceName&) { return free->load(); };
        GenerationController controller(&doc, nullptr, nullptr, options);
        MemoryGuard& guard = *controller.memoryGuard();
        Selection selection;
        InspectorPanel panel(&doc, &selection);
        panel.setMemoryGuard(&guard);

        QVERIFY(waitForCheck(guard, free->load()));
        QVERIFY2(guard.status().check.fits(), guard.status().check.report().c_str());
        const uint64_t need = guard.status().check.need.total();
        QVERIFY(need > 0);
        QCOMPARE(guard.status().windowLatentFrames, qint64(12)); // 4 chunks, full context
        QVERIFY(child<QLabel>(&panel, "memoryVerdict")->text().startsWith(QStringLiteral("Fits")));
        QVERIFY(child<QLabel>(&panel, "memoryEstimate")->text().contains(QStringLiteral("KV")));

        free->store(need * 3 / 4);
        guard.refresh();
        QVERIFY(waitForCheck(guard, need * 3 / 4));
        const sfs::inference::MemoryCheck tight = guard.status().check;
        QVERIFY(!tight.fits());
        QVERIFY2(!tight.suggestions.empty(), tight.report().c_str());
        QVERIFY(
            child<QLabel>(&panel, "memoryVerdict")
                ->text()
                .contains(QString::fromStdString(sfs::inference::formatBytes(tight.shortBy()))));

        // Generate refuses at once, in the banner, and nothing starts.
        QSignalSpy failed(&controller, &GenerationController::failed);
        QVERIFY(!controller.generate());
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("more than")));
        QVERIFY(controller.state() == GenerationController::State::Idle);
        QVERIFY(controller.takeId().isEmpty());

        const sfs::core::RenderSettings before = doc.project().settings;
        const size_t suggestions = tight.suggestions.size();
        for (size_t i = 0; i < suggestions; ++i) {
            const QList<QPushButton*> buttons =
                panel.findChildren<QPushButton*>(QStringLiteral("memorySuggestion"));
            QCOMPARE(size_t(buttons.size()), suggestions);
            const int steps = doc.undoStack()->index();
            buttons[int(i)]->click();
            QCOMPARE(doc.undoStack()->index(), steps + 1); // one undo step
            QVERIFY(doc.project().settings != before);
            QVERIFY(waitForCheck(guard, free->load()));
            const sfs::inference::MemoryCheck applied = guard.status().check;
            QVERIFY2(applied.fits(), applied.report().c_str());
            QVERIFY(applied.need.total() < tight.need.total());
            QVERIFY(applied.need.total() == tight.suggestions[i].need.total());
            doc.undoStack()->undo();
            QVERIFY(doc.project().settings == before);
            QVERIFY(waitForCheck(guard, free->load()));
            QVERIFY(!guard.status().check.fits());
        }
    }

    // With TAEHV as the preview decoder the live frames are TAEHV's, which differ from the Wan
    // VAE frames the take stores; without one they are the take's own frames.
    void theLivePreviewComesFromThePreviewDecoder() {
        std::string why;
        if (!sfs::inference::tokenizerAvailable(&why)) {
            QSKIP(
                qPrintable(QStringLiteral("no tokenizer module: ") + QString::fromStdString(why)));
        }
        for (const auto source :
             {sfs::core::PreviewDecoder::Taehv, sfs::core::PreviewDecoder::Final}) {
            ProjectDocument doc(nullptr, m_dir.filePath(QStringLiteral("preview")));
            sfs::core::Project project = tinyProject(21);
            project.settings.decoder = sfs::core::Decoder::WanVae;
            project.settings.previewDecoder = source;
            doc.newProject(project);
            sfs::ui::Transport transport;
            sfs::inference::EngineOptions options;
            options.diskPromptCache = false;
            GenerationController controller(&doc, &transport, nullptr, options);
            QMap<int, QImage> live;
            connect(&controller, &GenerationController::liveFrame, this,
                    [&live](int index, const QImage& image) { live.insert(index, image); });
            QVERIFY(
                QTest::qWaitFor([&] { return !controller.memoryGuard()->isPending(); }, kWaitMs));
            QVERIFY(controller.generate());
            QVERIFY(QTest::qWaitFor([&] { return !controller.isActive(); }, kWaitMs));
            QVERIFY2(controller.state() == GenerationController::State::Finished,
                     qPrintable(controller.lastError()));
            QVERIFY(!live.isEmpty());
            const sfs::core::Take* take = doc.project().take(controller.takeId());
            QVERIFY(take != nullptr);
            int differing = 0;
            for (auto it = live.constBegin(); it != live.constEnd(); ++it) {
                QCOMPARE(it.value().size(), QSize(64, 64));
                const QImage stored(QDir(doc.assetsDir())
                                        .filePath(take->framesPath +
                                                  QStringLiteral("/%1.png").arg(it.key(), 6, 10,
                                                                                QLatin1Char('0'))));
                QVERIFY(!stored.isNull());
                differing += rgb(stored) != rgb(it.value()) ? 1 : 0;
            }
            if (source == sfs::core::PreviewDecoder::Taehv) {
                QCOMPARE(differing, int(live.size())); // every live frame is TAEHV's
            } else {
                QCOMPARE(differing, 0); // the take's own frames
            }
            doc.close();
        }
    }
};

QTEST_MAIN(TestMemoryGuard)
#include "tst_memory_guard.moc"
