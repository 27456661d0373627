// Undo commands: each edit undoes to the exact previous state (compared as the saved JSON) and
// redoes to the exact edited state; continuous gestures merge into one step; bad edits are
// refused without touching the project.

#include "project_fixtures.h"
#include "sfs/core/project/commands.h"
#include "sfs/core/project/document.h"

#include <QTemporaryDir>
#include <QUndoStack>
#include <gtest/gtest.h>

#include <functional>

using namespace sfs::core;

namespace {

class Commands : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(staging.isValid());
        Project p = sfs::test::richProject();
        doc.newProject(p);
    }

    QByteArray state() const { return serializeProject(doc.project()); }
    QUndoStack& stack() { return *doc.undoStack(); }

    // Pushes `command`, then checks undo -> before, redo -> after, twice over.
    void expectExactUndoRedo(std::unique_ptr<ProjectCommand> command) {
        const QByteArray before = state();
        const bool wasModified = doc.isModified();
        const int index = stack().index();
        const QString problem = doc.push(std::move(command));
        ASSERT_TRUE(problem.isEmpty()) << problem.toStdString();
        ASSERT_EQ(stack().index(), index + 1);
        const QByteArray after = state();
        ASSERT_NE(after, before) << "the edit changed nothing";
        EXPECT_TRUE(doc.isModified());
        for (int round = 0; round < 2; ++round) {
            stack().undo();
            EXPECT_EQ(state(), before) << "undo, round " << round;
            stack().redo();
            EXPECT_EQ(state(), after) << "redo, round " << round;
        }
        stack().undo();
        EXPECT_EQ(doc.isModified(), wasModified);
    }

    // Pushing `command` is refused with a problem containing `phrase`; nothing changes.
    void expectRefused(std::unique_ptr<ProjectCommand> command, const char* phrase) {
        const QByteArray before = state();
        const int count = stack().count();
        const QString problem = doc.push(std::move(command));
        EXPECT_TRUE(problem.contains(QString::fromUtf8(phrase))) << problem.toStdString();
        EXPECT_EQ(stack().count(), count);
        EXPECT_EQ(state(), before);
    }

    QTemporaryDir staging;
    ProjectDocument doc{nullptr, staging.path()};
};

QString kMid() {
    return QStringLiteral("k-mid");
}

} // namespace

TEST_F(Commands, AddKeyframe) {
    Keyframe k;
    k.frame = 30;
    k.image = QStringLiteral("images/new.png");
    k.strength = 0.4;
    k.label = QStringLiteral("new");
    auto command = std::make_unique<AddKeyframeCommand>(&doc, k);
    const QString id = command->keyframeId();
    EXPECT_FALSE(id.isEmpty());
    expectExactUndoRedo(std::move(command));
    stack().redo();
    ASSERT_NE(doc.project().keyframe(id), nullptr);
    EXPECT_EQ(doc.project().keyframes[1].id, id); // sorted between frames 0 and 45
}

TEST_F(Commands, DeleteKeyframe) {
    expectExactUndoRedo(std::make_unique<DeleteKeyframeCommand>(&doc, kMid()));
}

TEST_F(Commands, MoveKeyframe) {
    expectExactUndoRedo(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 80));
    // Across another keyframe: the order changes and comes back.
    expectExactUndoRedo(std::make_unique<MoveKeyframeCommand>(&doc, QStringLiteral("k1"), 50));
}

TEST_F(Commands, ChangeKeyframeStrengthImageFitAndLabel) {
    expectExactUndoRedo(std::make_unique<SetKeyframeStrengthCommand>(&doc, kMid(), 0.9));
    expectExactUndoRedo(std::make_unique<SetKeyframeImageCommand>(
        &doc, kMid(), QStringLiteral("images/other.png"), QStringLiteral("other.png")));
    expectExactUndoRedo(std::make_unique<SetKeyframeFitCommand>(&doc, kMid(), FitMode::Stretch));
    expectExactUndoRedo(
        std::make_unique<SetKeyframeLabelCommand>(&doc, kMid(), QStringLiteral("renamed")));
}

TEST_F(Commands, ChangeKeyframeApproach) {
    expectExactUndoRedo(std::make_unique<SetKeyframeApproachCommand>(&doc, kMid(), 4, 0.8, 2));
    ASSERT_TRUE(
        doc.push(std::make_unique<SetKeyframeApproachCommand>(&doc, kMid(), 4, 0.8, 2)).isEmpty());
    const Keyframe* k = doc.project().keyframe(kMid());
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->approachChunks, 4);
    EXPECT_DOUBLE_EQ(k->approachWeight, 0.8);
    EXPECT_EQ(k->approachSteps, 2);
}

TEST_F(Commands, ChangeKeyframeVace) {
    expectExactUndoRedo(std::make_unique<SetKeyframeVaceCommand>(&doc, kMid(), true, 1.5));
    ASSERT_TRUE(
        doc.push(std::make_unique<SetKeyframeVaceCommand>(&doc, kMid(), true, 1.5)).isEmpty());
    const Keyframe* k = doc.project().keyframe(kMid());
    ASSERT_NE(k, nullptr);
    EXPECT_TRUE(k->vace);
    EXPECT_DOUBLE_EQ(k->vaceScale, 1.5);
    expectRefused(std::make_unique<SetKeyframeVaceCommand>(&doc, kMid(), true, 2.5),
                  "VACE scale 2.5 is outside 0…2");
    // The project's reference image is a render setting (one undo step, checked).
    RenderSettings settings = doc.project().settings;
    settings.referenceImage = QStringLiteral("images/ref.png");
    settings.referenceScale = 0.75;
    expectExactUndoRedo(std::make_unique<SetRenderSettingsCommand>(&doc, settings));
    settings.referenceScale = 4.0;
    expectRefused(std::make_unique<SetRenderSettingsCommand>(&doc, settings),
                  "referenceScale: VACE scale 4 is outside 0…2");
}

TEST_F(Commands, AnApproachDragMergesIntoOneStep) {
    const quint64 drag = doc.newGesture();
    for (double w : {0.3, 0.4, 0.7}) {
        ASSERT_TRUE(
            doc.push(std::make_unique<SetKeyframeApproachCommand>(&doc, kMid(), 3, w, 1, drag))
                .isEmpty());
    }
    EXPECT_EQ(stack().count(), 1);
    EXPECT_DOUBLE_EQ(doc.project().keyframe(kMid())->approachWeight, 0.7);
}

TEST_F(Commands, AddSplitMergeDeleteAndEditPromptSegments) {
    auto add = std::make_unique<AddPromptSegmentCommand>(&doc, 40, QStringLiteral("added"));
    expectExactUndoRedo(std::move(add));
    expectExactUndoRedo(std::make_unique<SplitPromptSegmentCommand>(&doc, 70));
    expectExactUndoRedo(std::make_unique<MergePromptSegmentCommand>(&doc, QStringLiteral("p1")));
    expectExactUndoRedo(std::make_unique<DeletePromptSegmentCommand>(&doc, QStringLiteral("p1")));
    expectExactUndoRedo(std::make_unique<DeletePromptSegmentCommand>(&doc, QStringLiteral("p2")));
    expectExactUndoRedo(
        std::make_unique<SetPromptTextCommand>(&doc, QStringLiteral("p2"), QStringLiteral("t")));
    expectExactUndoRedo(
        std::make_unique<MovePromptBoundaryCommand>(&doc, QStringLiteral("p3"), 22));
}

TEST_F(Commands, PromptSegmentsKeepTilingTheTimeline) {
    const QString p1 = QStringLiteral("p1");
    auto split = std::make_unique<SplitPromptSegmentCommand>(&doc, 10);
    const QString newId = split->segmentId();
    ASSERT_TRUE(doc.push(std::move(split)).isEmpty());
    const Project& p = doc.project();
    ASSERT_EQ(p.prompts.size(), 4u);
    EXPECT_EQ(p.prompts[1].id, newId);
    EXPECT_EQ(p.prompts[1].startFrame, 10);
    EXPECT_EQ(p.prompts[1].text, p.prompts[0].text); // a split keeps the text
    EXPECT_EQ(p.promptEndFrame(0), 10);

    ASSERT_TRUE(doc.push(std::make_unique<MergePromptSegmentCommand>(&doc, p1)).isEmpty());
    ASSERT_EQ(p.prompts.size(), 3u);
    EXPECT_EQ(p.promptEndFrame(0), 21); // p1 covers what the merged one did

    // Deleting the first segment lets the next one start at 0.
    ASSERT_TRUE(doc.push(std::make_unique<DeletePromptSegmentCommand>(&doc, p1)).isEmpty());
    EXPECT_EQ(p.prompts.front().id, QStringLiteral("p2"));
    EXPECT_EQ(p.prompts.front().startFrame, 0);
}

TEST_F(Commands, ChangeRenderSettings) {
    RenderSettings s = doc.project().settings;
    s.width = 832;
    s.seed = 99;
    s.steps = {1000, 750, 500, 250};
    s.decoder = Decoder::WanVae;
    expectExactUndoRedo(std::make_unique<SetRenderSettingsCommand>(&doc, s));
}

TEST_F(Commands, ChangeDurationRemovesWhatFallsOffAndUndoBringsItBack) {
    ASSERT_TRUE(doc.push(std::make_unique<SetDurationCommand>(&doc, 33)).isEmpty());
    const Project& p = doc.project();
    EXPECT_EQ(p.durationFrames, 33);
    EXPECT_EQ(p.keyframes.size(), 1u); // frames 45 and 92 are gone
    EXPECT_EQ(p.prompts.size(), 2u);   // the one at 60 too
    ASSERT_EQ(p.markers.size(), 1u);   // markers as keyframes: only the one at 10 stays
    EXPECT_EQ(p.markers[0].frame, 10);
    stack().undo();
    EXPECT_TRUE(doc.project() == sfs::test::richProject());
    stack().redo();
    stack().undo();
    expectExactUndoRedo(std::make_unique<SetDurationCommand>(&doc, 33));
    expectExactUndoRedo(std::make_unique<SetDurationCommand>(&doc, 201));
}

TEST_F(Commands, AddAndDeleteTakes) {
    Take t = doc.project().takes.front();
    t.id.clear();
    t.created = QDateTime::currentDateTimeUtc();
    t.status = TakeStatus::Stopped;
    t.chunksCompleted = 1;
    auto add = std::make_unique<AddTakeCommand>(&doc, t);
    const QString id = add->takeId();
    expectExactUndoRedo(std::move(add));
    stack().redo();
    EXPECT_EQ(doc.project().takes.back().id, id);
    // Deleting the first take and undoing puts it back first.
    expectExactUndoRedo(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t1")));
    EXPECT_EQ(doc.project().takes.front().id, QStringLiteral("t1"));
}

TEST_F(Commands, DeletingATakeMovesItsBranchesUpToItsParent) {
    // t2 was regenerated from chunk 1 of t1; t3 from chunk 4 of t2 and t4 from chunk 1 of t2.
    Take t3 = doc.project().takes[1];
    t3.id = QStringLiteral("t3");
    t3.parentTakeId = QStringLiteral("t2");
    t3.branchChunk = 4;
    Take t4 = t3;
    t4.id = QStringLiteral("t4");
    t4.branchChunk = 1;
    ASSERT_TRUE(doc.push(std::make_unique<AddTakeCommand>(&doc, t3)).isEmpty());
    ASSERT_TRUE(doc.push(std::make_unique<AddTakeCommand>(&doc, t4)).isEmpty());
    const Project& p = doc.project();
    ASSERT_EQ(p.childTakes(QStringLiteral("t2")).size(), 2u);
    EXPECT_EQ(p.childTakes(QStringLiteral("t2"))[0]->id, QStringLiteral("t3"));

    expectExactUndoRedo(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t2")));
    ASSERT_TRUE(
        doc.push(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t2"))).isEmpty());
    // Their first chunks are t1's up to the earlier branch point (t2 kept 1 chunk of t1).
    EXPECT_EQ(p.take(QStringLiteral("t3"))->parentTakeId, QStringLiteral("t1"));
    EXPECT_EQ(p.take(QStringLiteral("t3"))->branchChunk, 1);
    EXPECT_EQ(p.take(QStringLiteral("t4"))->branchChunk, 1);
    EXPECT_EQ(p.childTakes(QStringLiteral("t1")).size(), 2u);
    // Deleting the root makes them roots.
    ASSERT_TRUE(
        doc.push(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t1"))).isEmpty());
    EXPECT_FALSE(p.take(QStringLiteral("t3"))->isBranch());
    EXPECT_EQ(p.take(QStringLiteral("t3"))->branchChunk, 0);
    stack().undo();
    stack().undo();
    EXPECT_EQ(p.take(QStringLiteral("t3"))->parentTakeId, QStringLiteral("t2"));
    EXPECT_EQ(p.take(QStringLiteral("t3"))->branchChunk, 4);

    // A branch of a take the project does not have is refused.
    Take orphan = t3;
    orphan.id = QStringLiteral("t5");
    orphan.parentTakeId = QStringLiteral("t9");
    expectRefused(std::make_unique<AddTakeCommand>(&doc, orphan), "no parent take \"t9\"");
    orphan.parentTakeId = QStringLiteral("t1");
    orphan.branchChunk = 0;
    expectRefused(std::make_unique<AddTakeCommand>(&doc, orphan), "branch chunk 0 is outside");
}

TEST_F(Commands, AnUpdateKeepsTheLineageTheProjectGivesTheTake) {
    Take t = doc.project().takes[1]; // the recorder's copy names t1
    ASSERT_TRUE(
        doc.push(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t1"))).isEmpty());
    t.chunksCompleted = 3;
    ASSERT_TRUE(doc.push(std::make_unique<UpdateTakeCommand>(&doc, t)).isEmpty());
    const Take* updated = doc.project().take(QStringLiteral("t2"));
    EXPECT_EQ(updated->chunksCompleted, 3);
    EXPECT_FALSE(updated->isBranch()) << "t1 is gone; the update must not bring its id back";
}

TEST_F(Commands, AddDeleteMoveAndRenameMarkers) {
    auto add =
        std::make_unique<AddMarkerCommand>(&doc, Marker{QString(), 30, QStringLiteral("Gust")});
    const QString id = add->markerId();
    EXPECT_TRUE(id.startsWith(QLatin1Char('m'))) << id.toStdString();
    expectExactUndoRedo(std::move(add));
    stack().redo();
    ASSERT_NE(doc.project().marker(id), nullptr);
    EXPECT_EQ(doc.project().markers[1].id, id); // sorted between frames 10 and 50
    expectExactUndoRedo(std::make_unique<DeleteMarkerCommand>(&doc, QStringLiteral("m1")));
    // Across another marker: the order changes and comes back.
    expectExactUndoRedo(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), 60));
    stack().redo();
    EXPECT_EQ(doc.project().markers.back().id, QStringLiteral("m_end"));
    EXPECT_EQ(doc.project().markers[2].id, QStringLiteral("m1"));
    stack().undo();
    expectExactUndoRedo(
        std::make_unique<RenameMarkerCommand>(&doc, QStringLiteral("m1"), QStringLiteral("Lift")));
    EXPECT_EQ(stack().undoText(), QStringLiteral("Add Marker"));
}

TEST_F(Commands, MarkerDragsAndTypingMergeIntoOneStep) {
    const QByteArray before = state();
    const quint64 drag = doc.newGesture();
    for (int frame = 11; frame <= 40; ++frame) {
        ASSERT_TRUE(
            doc.push(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), frame, drag))
                .isEmpty());
    }
    EXPECT_EQ(stack().count(), 1);
    EXPECT_EQ(stack().undoText(), QStringLiteral("Move Marker"));
    EXPECT_EQ(doc.project().marker(QStringLiteral("m1"))->frame, 40);
    const quint64 typing = doc.newGesture();
    QString name;
    for (QChar c : QStringLiteral("Sunset")) {
        name += c;
        ASSERT_TRUE(doc.push(std::make_unique<RenameMarkerCommand>(&doc, QStringLiteral("m1"), name,
                                                                   typing))
                        .isEmpty());
    }
    EXPECT_EQ(stack().count(), 2);
    EXPECT_EQ(stack().undoText(), QStringLiteral("Rename Marker"));
    // Typing in another marker's name is another step, even with the same gesture.
    ASSERT_TRUE(doc.push(std::make_unique<RenameMarkerCommand>(&doc, QStringLiteral("m_end"),
                                                               QStringLiteral("x"), typing))
                    .isEmpty());
    EXPECT_EQ(stack().count(), 3);
    stack().undo();
    stack().undo();
    stack().undo();
    EXPECT_EQ(state(), before);
    // A drag back to where it started leaves no step.
    const quint64 back = doc.newGesture();
    ASSERT_TRUE(doc.push(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), 20, back))
                    .isEmpty());
    ASSERT_TRUE(doc.push(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), 10, back))
                    .isEmpty());
    EXPECT_EQ(stack().index(), 0);
    EXPECT_EQ(state(), before);
}

TEST_F(Commands, BadMarkerEditsAreRefused) {
    expectRefused(std::make_unique<AddMarkerCommand>(&doc, Marker{QString(), 50, QString()}),
                  "frame 50 already has a marker");
    expectRefused(std::make_unique<AddMarkerCommand>(&doc, Marker{QString(), 93, QString()}),
                  "beyond the end of the timeline (last frame 92)");
    expectRefused(std::make_unique<AddMarkerCommand>(
                      &doc, Marker{QString(), 5, QString(rules::kMaxMarkerNameLength + 1, 'x')}),
                  "marker name is longer than 200 characters");
    expectRefused(
        std::make_unique<AddMarkerCommand>(&doc, Marker{QStringLiteral("m1"), 5, QString()}),
        "a marker \"m1\" exists already");
    expectRefused(std::make_unique<AddMarkerCommand>(&doc, Marker{QStringLiteral("a b"), 5, {}}),
                  "may contain only letters");
    expectRefused(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), 50),
                  "frame 50 already has a marker");
    expectRefused(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), -1),
                  "frame -1 is negative");
    expectRefused(
        std::make_unique<RenameMarkerCommand>(&doc, QStringLiteral("m1"), QString(201, 'y')),
        "longer than 200");
    expectRefused(std::make_unique<DeleteMarkerCommand>(&doc, QStringLiteral("m9")),
                  "there is no marker \"m9\"");
    expectRefused(std::make_unique<RenameMarkerCommand>(&doc, QStringLiteral("m9"), QString()),
                  "there is no marker");
    // Moving a marker onto its own frame is allowed (a drag that goes nowhere).
    EXPECT_TRUE(
        doc.push(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), 10)).isEmpty());
}

TEST(ProjectHelpers, MarkersAndTakeLineage) {
    const Project p = sfs::test::richProject(); // markers at 10, 50, 92
    EXPECT_EQ(p.markerIndex(QStringLiteral("m-blank")), 1);
    EXPECT_EQ(p.markerIndex(QStringLiteral("nope")), -1);
    EXPECT_EQ(p.markerIndexAt(92), 2);
    EXPECT_EQ(p.markerIndexAt(91), -1);
    EXPECT_EQ(p.marker(QStringLiteral("m_end"))->frame, 92);
    EXPECT_EQ(p.marker(QStringLiteral("x")), nullptr);
    EXPECT_EQ(p.nextMarker(0)->id, QStringLiteral("m1"));
    EXPECT_EQ(p.nextMarker(10)->id, QStringLiteral("m-blank")) << "not the one on the frame";
    EXPECT_EQ(p.nextMarker(92), nullptr);
    EXPECT_EQ(p.previousMarker(92)->id, QStringLiteral("m-blank"));
    EXPECT_EQ(p.previousMarker(11)->id, QStringLiteral("m1"));
    EXPECT_EQ(p.previousMarker(10), nullptr);
    ASSERT_EQ(p.childTakes(QStringLiteral("t1")).size(), 1u);
    EXPECT_EQ(p.childTakes(QStringLiteral("t1"))[0]->id, QStringLiteral("t2"));
    EXPECT_TRUE(p.childTakes(QStringLiteral("t2")).empty());
    EXPECT_TRUE(p.childTakes(QString()).empty()) << "root takes are nobody's children";
    EXPECT_TRUE(p.takes[1].isBranch());
    EXPECT_FALSE(p.takes[0].isBranch());
    for (int i = 0; i < 50; ++i) {
        const QString id = p.newId(QStringLiteral("m"));
        EXPECT_TRUE(id.startsWith(QLatin1Char('m')));
        EXPECT_EQ(p.markerIndex(id), -1);
    }
    // The lineage rules.
    EXPECT_TRUE(rules::checkTakeLineage(QString(), 0, 81).isEmpty());
    EXPECT_TRUE(rules::checkTakeLineage(QStringLiteral("t1"), 6, 81).isEmpty());
    EXPECT_FALSE(rules::checkTakeLineage(QStringLiteral("t1"), 7, 81).isEmpty());
    EXPECT_FALSE(rules::checkTakeLineage(QString(), 1, 81).isEmpty());
    EXPECT_FALSE(rules::checkTakeLineage(QStringLiteral("t 1"), 1, 81).isEmpty());
    Take self = p.takes[1];
    self.parentTakeId = self.id;
    EXPECT_TRUE(rules::checkTakeParent(p, self).contains(QStringLiteral("its own parent")));
    EXPECT_TRUE(rules::checkMarkerName(QString(200, 'n')).isEmpty());
}

TEST_F(Commands, ADragMergesIntoOneStep) {
    const QByteArray before = state();
    const quint64 drag = doc.newGesture();
    for (int frame = 46; frame <= 70; ++frame) {
        ASSERT_TRUE(
            doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), frame, drag)).isEmpty());
    }
    EXPECT_EQ(stack().count(), 1);
    EXPECT_EQ(doc.project().keyframe(kMid())->frame, 70);
    EXPECT_EQ(stack().undoText(), QStringLiteral("Move Keyframe"));
    stack().undo();
    EXPECT_EQ(state(), before);
    stack().redo();
    EXPECT_EQ(doc.project().keyframe(kMid())->frame, 70);

    // A second drag is a second step.
    const quint64 second = doc.newGesture();
    ASSERT_TRUE(
        doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 60, second)).isEmpty());
    ASSERT_TRUE(
        doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 61, second)).isEmpty());
    EXPECT_EQ(stack().count(), 2);
    // Moves without a gesture never merge.
    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 62)).isEmpty());
    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 63)).isEmpty());
    EXPECT_EQ(stack().count(), 4);
}

TEST_F(Commands, ADragBackToTheStartLeavesNoStep) {
    const quint64 drag = doc.newGesture();
    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 50, drag)).isEmpty());
    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 45, drag)).isEmpty());
    EXPECT_EQ(stack().count(), 0);
    EXPECT_FALSE(doc.isModified());
}

TEST_F(Commands, TypingAndSlidersMergePerTarget) {
    const QByteArray before = state();
    const quint64 typing = doc.newGesture();
    QString text;
    for (QChar c : QStringLiteral("a lake at dawn")) {
        text += c;
        ASSERT_TRUE(doc.push(std::make_unique<SetPromptTextCommand>(&doc, QStringLiteral("p2"),
                                                                    text, typing))
                        .isEmpty());
    }
    EXPECT_EQ(stack().count(), 1);
    // The same gesture on another segment does not merge into it.
    ASSERT_TRUE(doc.push(std::make_unique<SetPromptTextCommand>(&doc, QStringLiteral("p3"),
                                                                QStringLiteral("x"), typing))
                    .isEmpty());
    EXPECT_EQ(stack().count(), 2);

    const quint64 slider = doc.newGesture();
    for (double s : {0.31, 0.4, 0.55, 0.6}) {
        ASSERT_TRUE(doc.push(std::make_unique<SetKeyframeStrengthCommand>(&doc, kMid(), s, slider))
                        .isEmpty());
    }
    EXPECT_EQ(stack().count(), 3);
    EXPECT_DOUBLE_EQ(doc.project().keyframe(kMid())->strength, 0.6);

    const quint64 boundary = doc.newGesture();
    for (int f = 55; f >= 40; --f) {
        ASSERT_TRUE(doc.push(std::make_unique<MovePromptBoundaryCommand>(&doc, QStringLiteral("p3"),
                                                                         f, boundary))
                        .isEmpty());
    }
    EXPECT_EQ(stack().count(), 4);

    const quint64 seedBox = doc.newGesture();
    for (int seed = 1; seed <= 5; ++seed) {
        RenderSettings s = doc.project().settings;
        s.seed = seed;
        ASSERT_TRUE(
            doc.push(std::make_unique<SetRenderSettingsCommand>(&doc, s, seedBox)).isEmpty());
    }
    EXPECT_EQ(stack().count(), 5);

    const quint64 label = doc.newGesture();
    ASSERT_TRUE(doc.push(std::make_unique<SetKeyframeLabelCommand>(&doc, kMid(),
                                                                   QStringLiteral("a"), label))
                    .isEmpty());
    ASSERT_TRUE(doc.push(std::make_unique<SetKeyframeLabelCommand>(&doc, kMid(),
                                                                   QStringLiteral("ab"), label))
                    .isEmpty());
    EXPECT_EQ(stack().count(), 6);

    for (int i = 0; i < 6; ++i) {
        stack().undo();
    }
    EXPECT_EQ(state(), before);
}

TEST_F(Commands, NothingMergesAcrossASave) {
    const quint64 drag = doc.newGesture();
    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 50, drag)).isEmpty());
    stack().setClean();
    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 51, drag)).isEmpty());
    EXPECT_EQ(stack().count(), 2);
    stack().undo();
    EXPECT_FALSE(doc.isModified());
}

TEST_F(Commands, BadEditsAreRefused) {
    Keyframe k;
    k.frame = 45; // taken
    k.image = QStringLiteral("images/x.png");
    expectRefused(std::make_unique<AddKeyframeCommand>(&doc, k), "frame 45 already has a keyframe");
    k.frame = 93;
    expectRefused(std::make_unique<AddKeyframeCommand>(&doc, k), "beyond the end");
    k.frame = 10;
    k.image = QStringLiteral("../outside.png");
    expectRefused(std::make_unique<AddKeyframeCommand>(&doc, k), "inside the assets folder");
    k.image = QStringLiteral("images/x.png");
    k.id = QStringLiteral("k1");
    expectRefused(std::make_unique<AddKeyframeCommand>(&doc, k), "exists already");
    expectRefused(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 0), "frame 0 already has");
    expectRefused(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), -1), "negative");
    // One keyframe per latent frame: 91 and 92 both lie in latent frame 23, 45 and 46 in 12.
    expectRefused(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 91),
                  "frames 91 and 92 both lie in latent frame 23");
    k.id.clear();
    k.frame = 46;
    expectRefused(std::make_unique<AddKeyframeCommand>(&doc, k),
                  "frames 45 and 46 both lie in latent frame 12");
    k.frame = 10;
    k.approachChunks = -1;
    expectRefused(std::make_unique<AddKeyframeCommand>(&doc, k), "approach of -1 chunks");
    expectRefused(std::make_unique<SetKeyframeApproachCommand>(&doc, kMid(), -1, 0.5, 1),
                  "approach of -1 chunks is outside");
    expectRefused(std::make_unique<SetKeyframeApproachCommand>(&doc, kMid(), 2, 2.0, 1),
                  "approach weight 2 is outside 0…1");
    expectRefused(std::make_unique<SetKeyframeApproachCommand>(&doc, kMid(), 2, 0.5, -1),
                  "approach over -1 steps");
    expectRefused(std::make_unique<MoveKeyframeCommand>(&doc, QStringLiteral("nope"), 3),
                  "there is no keyframe \"nope\"");
    expectRefused(std::make_unique<DeleteKeyframeCommand>(&doc, QStringLiteral("nope")),
                  "no keyframe");
    expectRefused(std::make_unique<SetKeyframeStrengthCommand>(&doc, kMid(), 1.5), "outside 0…1");
    expectRefused(std::make_unique<SetKeyframeLabelCommand>(&doc, kMid(), QString(500, 'x')),
                  "longer than");
    expectRefused(std::make_unique<AddPromptSegmentCommand>(&doc, 0, QString()), "frame 0");
    expectRefused(std::make_unique<AddPromptSegmentCommand>(&doc, 21, QString()),
                  "already starts at frame 21");
    expectRefused(std::make_unique<SplitPromptSegmentCommand>(&doc, 93), "beyond the end");
    expectRefused(std::make_unique<MergePromptSegmentCommand>(&doc, QStringLiteral("p3")),
                  "no next one");
    expectRefused(std::make_unique<MovePromptBoundaryCommand>(&doc, QStringLiteral("p1"), 3),
                  "always starts at frame 0");
    expectRefused(std::make_unique<MovePromptBoundaryCommand>(&doc, QStringLiteral("p2"), 60),
                  "outside 1…59");
    expectRefused(std::make_unique<SetPromptTextCommand>(&doc, QStringLiteral("px"), QString()),
                  "no prompt segment \"px\"");
    RenderSettings s = doc.project().settings;
    s.height = 100;
    expectRefused(std::make_unique<SetRenderSettingsCommand>(&doc, s),
                  "height: 100 is not a multiple");
    expectRefused(std::make_unique<SetDurationCommand>(&doc, 80), "nearest: 81");
    Take t = doc.project().takes.front();
    t.id.clear();
    t.chunksCompleted = 3;
    expectRefused(std::make_unique<AddTakeCommand>(&doc, t), "a complete take of 81 frames has 7");
    expectRefused(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t9")), "no take");

    // The only prompt segment cannot go.
    doc.newProject();
    expectRefused(std::make_unique<DeletePromptSegmentCommand>(&doc, QStringLiteral("p1")),
                  "only prompt segment");
}

TEST_F(Commands, TheDocumentSignalsWhatChanged) {
    int keyframes = 0, prompts = 0, settings = 0, duration = 0, takes = 0, markers = 0, any = 0;
    QObject::connect(&doc, &ProjectDocument::markersChanged, [&] { ++markers; });
    QObject::connect(&doc, &ProjectDocument::keyframesChanged, [&] { ++keyframes; });
    QObject::connect(&doc, &ProjectDocument::promptsChanged, [&] { ++prompts; });
    QObject::connect(&doc, &ProjectDocument::settingsChanged, [&] { ++settings; });
    QObject::connect(&doc, &ProjectDocument::durationChanged, [&] { ++duration; });
    QObject::connect(&doc, &ProjectDocument::takesChanged, [&] { ++takes; });
    QObject::connect(&doc, &ProjectDocument::changed, [&] { ++any; });
    std::vector<bool> modified;
    QObject::connect(&doc, &ProjectDocument::modifiedChanged,
                     [&](bool m) { modified.push_back(m); });

    ASSERT_TRUE(doc.push(std::make_unique<MoveKeyframeCommand>(&doc, kMid(), 50)).isEmpty());
    EXPECT_EQ(keyframes, 1);
    ASSERT_TRUE(doc.push(std::make_unique<SplitPromptSegmentCommand>(&doc, 5)).isEmpty());
    EXPECT_EQ(prompts, 1);
    RenderSettings s = doc.project().settings;
    s.seed = 5;
    ASSERT_TRUE(doc.push(std::make_unique<SetRenderSettingsCommand>(&doc, s)).isEmpty());
    EXPECT_EQ(settings, 1);
    ASSERT_TRUE(
        doc.push(std::make_unique<DeleteTakeCommand>(&doc, QStringLiteral("t2"))).isEmpty());
    EXPECT_EQ(takes, 1);
    ASSERT_TRUE(doc.push(std::make_unique<SetDurationCommand>(&doc, 105)).isEmpty());
    EXPECT_EQ(duration, 1);
    EXPECT_EQ(markers, 0) << "a longer timeline keeps every marker";
    ASSERT_TRUE(
        doc.push(std::make_unique<MoveMarkerCommand>(&doc, QStringLiteral("m1"), 11)).isEmpty());
    EXPECT_EQ(markers, 1);
    ASSERT_TRUE(doc.push(std::make_unique<SetDurationCommand>(&doc, 33)).isEmpty());
    EXPECT_EQ(markers, 2) << "a shorter one cuts the markers beyond it";
    EXPECT_EQ(any, 7);
    EXPECT_EQ(modified, std::vector<bool>{true});
    while (stack().canUndo()) {
        stack().undo();
    }
    EXPECT_EQ(modified, (std::vector<bool>{true, false}));
    EXPECT_EQ(any, 14);
    EXPECT_EQ(markers, 4);
}
