#include "sfs/core/project/commands.h"

#include "project/document_editor.h"
#include "sfs/core/project/document.h"

#include <QCoreApplication>

#include <algorithm>

namespace sfs::core {

using detail::DocumentEditor;

namespace {

// QUndoCommand::id() values of the commands that merge.
enum MergeId {
    kMoveKeyframe = 1001,
    kKeyframeStrength,
    kKeyframeApproach,
    kKeyframeLabel,
    kKeyframeVace,
    kPromptText,
    kPromptBoundary,
    kRenderSettings,
    kTake, // a take's progress merges into the step that added it
    kMoveMarker,
    kMarkerName,
};

QString noKeyframe(const QString& id) {
    return QStringLiteral("there is no keyframe \"%1\"").arg(id);
}
QString noSegment(const QString& id) {
    return QStringLiteral("there is no prompt segment \"%1\"").arg(id);
}
QString noMarker(const QString& id) {
    return QStringLiteral("there is no marker \"%1\"").arg(id);
}

// A marker's frame: on the timeline and free of other markers (`self`: the marker's own id).
QString checkMarkerFrame(const Project& p, int frame, const QString& self) {
    if (const QString problem = rules::checkFrame(frame, p.durationFrames); !problem.isEmpty()) {
        return problem;
    }
    const int other = p.markerIndexAt(frame);
    if (other >= 0 && p.markers[static_cast<size_t>(other)].id != self) {
        return QStringLiteral("frame %1 already has a marker").arg(frame);
    }
    return {};
}

std::vector<PromptSegment> sortedByStart(std::vector<PromptSegment> prompts) {
    std::stable_sort(
        prompts.begin(), prompts.end(),
        [](const PromptSegment& a, const PromptSegment& b) { return a.startFrame < b.startFrame; });
    return prompts;
}

// A new segment may start on any frame of the timeline except 0 and existing starts.
QString checkNewStart(const Project& p, int frame) {
    if (frame == 0) {
        return QStringLiteral("frame 0 already starts the first prompt segment");
    }
    QString problem = rules::checkFrame(frame, p.durationFrames);
    if (problem.isEmpty() && p.promptIndexAtFrame(frame) >= 0 &&
        p.prompts[static_cast<size_t>(p.promptIndexAtFrame(frame))].startFrame == frame) {
        problem = QStringLiteral("a prompt segment already starts at frame %1").arg(frame);
    }
    return problem;
}

// What is wrong with a take's own fields (id and place in the project aside); empty when fine.
QString takeProblem(const Take& take) {
    QString problem;
    if (!take.created.isValid()) {
        problem = QStringLiteral("the take has no creation time");
    }
    if (problem.isEmpty()) {
        const rules::FieldProblem s = rules::checkSettings(take.settings);
        problem = s.ok() ? QString() : QStringLiteral("%1: %2").arg(s.field, s.problem);
    }
    for (const QString& check :
         {rules::checkDuration(take.durationFrames),
          rules::checkTakeProgress(take.status, take.chunksCompleted, take.durationFrames),
          rules::checkTakeLineage(take.parentTakeId, take.branchChunk, take.durationFrames),
          take.latentsPath.isEmpty() ? QString() : rules::checkAssetPath(take.latentsPath),
          take.framesPath.isEmpty() ? QString() : rules::checkAssetPath(take.framesPath)}) {
        if (problem.isEmpty()) {
            problem = check;
        }
    }
    return problem;
}

} // namespace

ProjectCommand::ProjectCommand(ProjectDocument* document, const QString& text)
    : QUndoCommand(text), m_document(document) {}

const Project& ProjectCommand::project() const {
    return DocumentEditor::project(*m_document);
}

// ---- Keyframes ----------------------------------------------------------------------------

AddKeyframeCommand::AddKeyframeCommand(ProjectDocument* document, Keyframe keyframe)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Add Keyframe")),
      m_keyframe(std::move(keyframe)) {
    if (m_keyframe.id.isEmpty()) {
        m_keyframe.id = project().newId(QStringLiteral("k"));
    }
}

QString AddKeyframeCommand::problem() const {
    const Project& p = project();
    for (const QString& problem :
         {rules::checkId(m_keyframe.id), rules::checkFrame(m_keyframe.frame, p.durationFrames),
          rules::checkAssetPath(m_keyframe.image), rules::checkStrength(m_keyframe.strength),
          rules::checkLabel(m_keyframe.label),
          rules::checkApproachChunks(m_keyframe.approachChunks),
          rules::checkApproachWeight(m_keyframe.approachWeight),
          rules::checkApproachSteps(m_keyframe.approachSteps)}) {
        if (!problem.isEmpty()) {
            return problem;
        }
    }
    if (p.keyframeIndex(m_keyframe.id) >= 0) {
        return QStringLiteral("a keyframe \"%1\" exists already").arg(m_keyframe.id);
    }
    if (p.keyframeIndexAt(m_keyframe.frame) >= 0) {
        return QStringLiteral("frame %1 already has a keyframe").arg(m_keyframe.frame);
    }
    if (const QString problem = rules::checkKeyframeLatentFrame(p, m_keyframe);
        !problem.isEmpty()) {
        return problem;
    }
    if (p.keyframes.size() >= static_cast<size_t>(rules::kMaxKeyframes)) {
        return QStringLiteral("a project holds at most %1 keyframes").arg(rules::kMaxKeyframes);
    }
    return {};
}

void AddKeyframeCommand::redo() {
    DocumentEditor::insertKeyframe(document(), m_keyframe);
}
void AddKeyframeCommand::undo() {
    DocumentEditor::removeKeyframe(document(), m_keyframe.id);
}

DeleteKeyframeCommand::DeleteKeyframeCommand(ProjectDocument* document, QString keyframeId)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Delete Keyframe")),
      m_keyframeId(std::move(keyframeId)) {}

QString DeleteKeyframeCommand::problem() const {
    return project().keyframe(m_keyframeId) ? QString() : noKeyframe(m_keyframeId);
}

void DeleteKeyframeCommand::redo() {
    if (!m_removed) {
        m_removed = *project().keyframe(m_keyframeId);
    }
    DocumentEditor::removeKeyframe(document(), m_keyframeId);
}

void DeleteKeyframeCommand::undo() {
    DocumentEditor::insertKeyframe(document(), *m_removed);
}

KeyframeEditCommand::KeyframeEditCommand(ProjectDocument* document, const QString& text,
                                         QString keyframeId, int mergeId, quint64 gesture)
    : ProjectCommand(document, text), m_keyframeId(std::move(keyframeId)),
      m_mergeId(gesture == 0 ? -1 : mergeId), m_gesture(gesture) {}

QString KeyframeEditCommand::problem() const {
    const Keyframe* k = project().keyframe(m_keyframeId);
    if (k == nullptr) {
        return noKeyframe(m_keyframeId);
    }
    Keyframe edited = *k;
    apply(edited);
    return check(edited);
}

void KeyframeEditCommand::redo() {
    if (!m_after) {
        m_before = *project().keyframe(m_keyframeId);
        m_after = *m_before;
        apply(*m_after);
    }
    DocumentEditor::replaceKeyframe(document(), *m_after);
}

void KeyframeEditCommand::undo() {
    DocumentEditor::replaceKeyframe(document(), *m_before);
}

bool KeyframeEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const KeyframeEditCommand*>(other);
    if (o == nullptr || o->id() != id() || o->m_gesture != m_gesture ||
        o->m_keyframeId != m_keyframeId) {
        return false;
    }
    m_after = o->m_after;
    setObsolete(m_after == m_before); // a drag back to where it started leaves no step
    return true;
}

MoveKeyframeCommand::MoveKeyframeCommand(ProjectDocument* document, QString keyframeId, int frame,
                                         quint64 gesture)
    : KeyframeEditCommand(document,
                          QCoreApplication::translate("sfs::core::ProjectCommand", "Move Keyframe"),
                          std::move(keyframeId), kMoveKeyframe, gesture),
      m_frame(frame) {}

QString MoveKeyframeCommand::check(const Keyframe& edited) const {
    const QString problem = rules::checkFrame(edited.frame, project().durationFrames);
    if (!problem.isEmpty()) {
        return problem;
    }
    const int other = project().keyframeIndexAt(edited.frame);
    if (other >= 0 && project().keyframes[static_cast<size_t>(other)].id != edited.id) {
        return QStringLiteral("frame %1 already has a keyframe").arg(edited.frame);
    }
    return rules::checkKeyframeLatentFrame(project(), edited);
}

SetKeyframeStrengthCommand::SetKeyframeStrengthCommand(ProjectDocument* document,
                                                       QString keyframeId, double strength,
                                                       quint64 gesture)
    : KeyframeEditCommand(
          document,
          QCoreApplication::translate("sfs::core::ProjectCommand", "Change Keyframe Strength"),
          std::move(keyframeId), kKeyframeStrength, gesture),
      m_strength(strength) {}

QString SetKeyframeStrengthCommand::check(const Keyframe& edited) const {
    return rules::checkStrength(edited.strength);
}

SetKeyframeApproachCommand::SetKeyframeApproachCommand(ProjectDocument* document,
                                                       QString keyframeId, int chunks,
                                                       double weight, int steps, quint64 gesture)
    : KeyframeEditCommand(
          document,
          QCoreApplication::translate("sfs::core::ProjectCommand", "Change Keyframe Approach"),
          std::move(keyframeId), kKeyframeApproach, gesture),
      m_chunks(chunks), m_weight(weight), m_steps(steps) {}

void SetKeyframeApproachCommand::apply(Keyframe& keyframe) const {
    keyframe.approachChunks = m_chunks;
    keyframe.approachWeight = m_weight;
    keyframe.approachSteps = m_steps;
}

QString SetKeyframeApproachCommand::check(const Keyframe& edited) const {
    for (const QString& problem : {rules::checkApproachChunks(edited.approachChunks),
                                   rules::checkApproachWeight(edited.approachWeight),
                                   rules::checkApproachSteps(edited.approachSteps)}) {
        if (!problem.isEmpty()) {
            return problem;
        }
    }
    return {};
}

SetKeyframeVaceCommand::SetKeyframeVaceCommand(ProjectDocument* document, QString keyframeId,
                                               bool vace, double scale, quint64 gesture)
    : KeyframeEditCommand(
          document,
          QCoreApplication::translate("sfs::core::ProjectCommand", "Change Keyframe VACE"),
          std::move(keyframeId), kKeyframeVace, gesture),
      m_vace(vace), m_scale(scale) {}

void SetKeyframeVaceCommand::apply(Keyframe& keyframe) const {
    keyframe.vace = m_vace;
    keyframe.vaceScale = m_scale;
}

QString SetKeyframeVaceCommand::check(const Keyframe& edited) const {
    return rules::checkVaceScale(edited.vaceScale);
}

SetKeyframeImageCommand::SetKeyframeImageCommand(ProjectDocument* document, QString keyframeId,
                                                 QString image, QString sourceName)
    : KeyframeEditCommand(
          document,
          QCoreApplication::translate("sfs::core::ProjectCommand", "Change Keyframe Image"),
          std::move(keyframeId), -1, 0),
      m_image(std::move(image)), m_sourceName(std::move(sourceName)) {}

void SetKeyframeImageCommand::apply(Keyframe& keyframe) const {
    keyframe.image = m_image;
    keyframe.sourceName = m_sourceName;
}

QString SetKeyframeImageCommand::check(const Keyframe& edited) const {
    return rules::checkAssetPath(edited.image);
}

SetKeyframeFitCommand::SetKeyframeFitCommand(ProjectDocument* document, QString keyframeId,
                                             FitMode fit)
    : KeyframeEditCommand(
          document, QCoreApplication::translate("sfs::core::ProjectCommand", "Change Keyframe Fit"),
          std::move(keyframeId), -1, 0),
      m_fit(fit) {}

SetKeyframeLabelCommand::SetKeyframeLabelCommand(ProjectDocument* document, QString keyframeId,
                                                 QString label, quint64 gesture)
    : KeyframeEditCommand(
          document,
          QCoreApplication::translate("sfs::core::ProjectCommand", "Change Keyframe Label"),
          std::move(keyframeId), kKeyframeLabel, gesture),
      m_label(std::move(label)) {}

QString SetKeyframeLabelCommand::check(const Keyframe& edited) const {
    return rules::checkLabel(edited.label);
}

// ---- Prompt segments ----------------------------------------------------------------------

PromptEditCommand::PromptEditCommand(ProjectDocument* document, const QString& text, int mergeId,
                                     QString target, quint64 gesture)
    : ProjectCommand(document, text), m_mergeId(gesture == 0 ? -1 : mergeId),
      m_target(std::move(target)), m_gesture(gesture) {}

void PromptEditCommand::redo() {
    if (!m_after) {
        m_before = project().prompts;
        m_after = sortedByStart(edited(project()));
    }
    DocumentEditor::setPrompts(document(), *m_after);
}

void PromptEditCommand::undo() {
    DocumentEditor::setPrompts(document(), *m_before);
}

bool PromptEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const PromptEditCommand*>(other);
    if (o == nullptr || o->id() != id() || o->m_gesture != m_gesture || o->m_target != m_target) {
        return false;
    }
    m_after = o->m_after;
    setObsolete(m_after == m_before);
    return true;
}

AddPromptSegmentCommand::AddPromptSegmentCommand(ProjectDocument* document, int startFrame,
                                                 QString text)
    : PromptEditCommand(
          document, QCoreApplication::translate("sfs::core::ProjectCommand", "Add Prompt Segment")),
      m_startFrame(startFrame), m_text(std::move(text)),
      m_newId(project().newId(QStringLiteral("p"))) {}

QString AddPromptSegmentCommand::check(const Project& p) const {
    const QString problem = checkNewStart(p, m_startFrame);
    return problem.isEmpty() ? rules::checkPromptText(m_text) : problem;
}

std::vector<PromptSegment> AddPromptSegmentCommand::edited(const Project& p) const {
    std::vector<PromptSegment> prompts = p.prompts;
    prompts.push_back(PromptSegment{m_newId, m_startFrame, m_text});
    return prompts;
}

SplitPromptSegmentCommand::SplitPromptSegmentCommand(ProjectDocument* document, int frame)
    : PromptEditCommand(document, QCoreApplication::translate("sfs::core::ProjectCommand",
                                                              "Split Prompt Segment")),
      m_frame(frame), m_newId(project().newId(QStringLiteral("p"))) {}

QString SplitPromptSegmentCommand::check(const Project& p) const {
    return checkNewStart(p, m_frame);
}

std::vector<PromptSegment> SplitPromptSegmentCommand::edited(const Project& p) const {
    std::vector<PromptSegment> prompts = p.prompts;
    const PromptSegment& covering = p.prompts[static_cast<size_t>(p.promptIndexAtFrame(m_frame))];
    prompts.push_back(PromptSegment{m_newId, m_frame, covering.text});
    return prompts;
}

MergePromptSegmentCommand::MergePromptSegmentCommand(ProjectDocument* document, QString segmentId)
    : PromptEditCommand(document, QCoreApplication::translate("sfs::core::ProjectCommand",
                                                              "Merge Prompt Segments")),
      m_segmentId(std::move(segmentId)) {}

QString MergePromptSegmentCommand::check(const Project& p) const {
    const int i = p.promptIndex(m_segmentId);
    if (i < 0) {
        return noSegment(m_segmentId);
    }
    if (static_cast<size_t>(i) + 1 >= p.prompts.size()) {
        return QStringLiteral("the last prompt segment has no next one to merge with");
    }
    return {};
}

std::vector<PromptSegment> MergePromptSegmentCommand::edited(const Project& p) const {
    std::vector<PromptSegment> prompts = p.prompts;
    prompts.erase(prompts.begin() + p.promptIndex(m_segmentId) + 1);
    return prompts;
}

DeletePromptSegmentCommand::DeletePromptSegmentCommand(ProjectDocument* document, QString segmentId)
    : PromptEditCommand(document, QCoreApplication::translate("sfs::core::ProjectCommand",
                                                              "Delete Prompt Segment")),
      m_segmentId(std::move(segmentId)) {}

QString DeletePromptSegmentCommand::check(const Project& p) const {
    if (p.promptIndex(m_segmentId) < 0) {
        return noSegment(m_segmentId);
    }
    if (p.prompts.size() <= 1) {
        return QStringLiteral("the only prompt segment cannot be deleted");
    }
    return {};
}

std::vector<PromptSegment> DeletePromptSegmentCommand::edited(const Project& p) const {
    std::vector<PromptSegment> prompts = p.prompts;
    const int i = p.promptIndex(m_segmentId);
    prompts.erase(prompts.begin() + i);
    if (i == 0) {
        prompts.front().startFrame = 0; // the next segment now covers the start
    }
    return prompts;
}

SetPromptTextCommand::SetPromptTextCommand(ProjectDocument* document, QString segmentId,
                                           QString text, quint64 gesture)
    : PromptEditCommand(document,
                        QCoreApplication::translate("sfs::core::ProjectCommand", "Edit Prompt"),
                        kPromptText, segmentId, gesture),
      m_segmentId(std::move(segmentId)), m_text(std::move(text)) {}

QString SetPromptTextCommand::check(const Project& p) const {
    return p.promptIndex(m_segmentId) < 0 ? noSegment(m_segmentId) : rules::checkPromptText(m_text);
}

std::vector<PromptSegment> SetPromptTextCommand::edited(const Project& p) const {
    std::vector<PromptSegment> prompts = p.prompts;
    prompts[static_cast<size_t>(p.promptIndex(m_segmentId))].text = m_text;
    return prompts;
}

MovePromptBoundaryCommand::MovePromptBoundaryCommand(ProjectDocument* document, QString segmentId,
                                                     int startFrame, quint64 gesture)
    : PromptEditCommand(
          document,
          QCoreApplication::translate("sfs::core::ProjectCommand", "Move Prompt Boundary"),
          kPromptBoundary, segmentId, gesture),
      m_segmentId(std::move(segmentId)), m_startFrame(startFrame) {}

QString MovePromptBoundaryCommand::check(const Project& p) const {
    const int i = p.promptIndex(m_segmentId);
    if (i < 0) {
        return noSegment(m_segmentId);
    }
    if (i == 0) {
        return QStringLiteral("the first prompt segment always starts at frame 0");
    }
    const int previous = p.prompts[static_cast<size_t>(i) - 1].startFrame;
    const int end = p.promptEndFrame(i);
    if (m_startFrame <= previous || m_startFrame >= end) {
        return QStringLiteral("frame %1 is outside %2…%3, between the neighbouring segments")
            .arg(m_startFrame)
            .arg(previous + 1)
            .arg(end - 1);
    }
    return {};
}

std::vector<PromptSegment> MovePromptBoundaryCommand::edited(const Project& p) const {
    std::vector<PromptSegment> prompts = p.prompts;
    prompts[static_cast<size_t>(p.promptIndex(m_segmentId))].startFrame = m_startFrame;
    return prompts;
}

// ---- Markers ------------------------------------------------------------------------------

AddMarkerCommand::AddMarkerCommand(ProjectDocument* document, Marker marker)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Add Marker")),
      m_marker(std::move(marker)) {
    if (m_marker.id.isEmpty()) {
        m_marker.id = project().newId(QStringLiteral("m"));
    }
}

QString AddMarkerCommand::problem() const {
    const Project& p = project();
    for (const QString& problem :
         {rules::checkId(m_marker.id), checkMarkerFrame(p, m_marker.frame, m_marker.id),
          rules::checkMarkerName(m_marker.name)}) {
        if (!problem.isEmpty()) {
            return problem;
        }
    }
    if (p.markerIndex(m_marker.id) >= 0) {
        return QStringLiteral("a marker \"%1\" exists already").arg(m_marker.id);
    }
    if (p.markers.size() >= static_cast<size_t>(rules::kMaxMarkers)) {
        return QStringLiteral("a project holds at most %1 markers").arg(rules::kMaxMarkers);
    }
    return {};
}

void AddMarkerCommand::redo() {
    DocumentEditor::insertMarker(document(), m_marker);
}
void AddMarkerCommand::undo() {
    DocumentEditor::removeMarker(document(), m_marker.id);
}

DeleteMarkerCommand::DeleteMarkerCommand(ProjectDocument* document, QString markerId)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Delete Marker")),
      m_markerId(std::move(markerId)) {}

QString DeleteMarkerCommand::problem() const {
    return project().marker(m_markerId) ? QString() : noMarker(m_markerId);
}

void DeleteMarkerCommand::redo() {
    if (!m_removed) {
        m_removed = *project().marker(m_markerId);
    }
    DocumentEditor::removeMarker(document(), m_markerId);
}

void DeleteMarkerCommand::undo() {
    DocumentEditor::insertMarker(document(), *m_removed);
}

MarkerEditCommand::MarkerEditCommand(ProjectDocument* document, const QString& text,
                                     QString markerId, int mergeId, quint64 gesture)
    : ProjectCommand(document, text), m_markerId(std::move(markerId)),
      m_mergeId(gesture == 0 ? -1 : mergeId), m_gesture(gesture) {}

QString MarkerEditCommand::problem() const {
    const Marker* m = project().marker(m_markerId);
    if (m == nullptr) {
        return noMarker(m_markerId);
    }
    Marker edited = *m;
    apply(edited);
    return check(edited);
}

void MarkerEditCommand::redo() {
    if (!m_after) {
        m_before = *project().marker(m_markerId);
        m_after = *m_before;
        apply(*m_after);
    }
    DocumentEditor::replaceMarker(document(), *m_after);
}

void MarkerEditCommand::undo() {
    DocumentEditor::replaceMarker(document(), *m_before);
}

bool MarkerEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const MarkerEditCommand*>(other);
    if (o == nullptr || o->id() != id() || o->m_gesture != m_gesture ||
        o->m_markerId != m_markerId) {
        return false;
    }
    m_after = o->m_after;
    setObsolete(m_after == m_before); // a drag back to where it started leaves no step
    return true;
}

MoveMarkerCommand::MoveMarkerCommand(ProjectDocument* document, QString markerId, int frame,
                                     quint64 gesture)
    : MarkerEditCommand(document,
                        QCoreApplication::translate("sfs::core::ProjectCommand", "Move Marker"),
                        std::move(markerId), kMoveMarker, gesture),
      m_frame(frame) {}

QString MoveMarkerCommand::check(const Marker& edited) const {
    return checkMarkerFrame(project(), edited.frame, edited.id);
}

RenameMarkerCommand::RenameMarkerCommand(ProjectDocument* document, QString markerId, QString name,
                                         quint64 gesture)
    : MarkerEditCommand(document,
                        QCoreApplication::translate("sfs::core::ProjectCommand", "Rename Marker"),
                        std::move(markerId), kMarkerName, gesture),
      m_name(std::move(name)) {}

QString RenameMarkerCommand::check(const Marker& edited) const {
    return rules::checkMarkerName(edited.name);
}

// ---- Settings and timeline ----------------------------------------------------------------

SetRenderSettingsCommand::SetRenderSettingsCommand(ProjectDocument* document,
                                                   RenderSettings settings, quint64 gesture)
    : ProjectCommand(document, QCoreApplication::translate("sfs::core::ProjectCommand",
                                                           "Change Render Settings")),
      m_after(std::move(settings)), m_gesture(gesture) {}

QString SetRenderSettingsCommand::problem() const {
    const rules::FieldProblem p = rules::checkSettings(m_after);
    return p.ok() ? QString() : QStringLiteral("%1: %2").arg(p.field, p.problem);
}

void SetRenderSettingsCommand::redo() {
    if (!m_before) {
        m_before = project().settings;
    }
    DocumentEditor::setSettings(document(), m_after);
}

void SetRenderSettingsCommand::undo() {
    DocumentEditor::setSettings(document(), *m_before);
}

int SetRenderSettingsCommand::id() const {
    return m_gesture == 0 ? -1 : kRenderSettings;
}

bool SetRenderSettingsCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const SetRenderSettingsCommand*>(other);
    if (o == nullptr || o->m_gesture != m_gesture) {
        return false;
    }
    m_after = o->m_after;
    setObsolete(m_after == m_before);
    return true;
}

SetDurationCommand::SetDurationCommand(ProjectDocument* document, int durationFrames)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Change Duration")),
      m_durationFrames(durationFrames) {}

QString SetDurationCommand::problem() const {
    return rules::checkDuration(m_durationFrames);
}

void SetDurationCommand::redo() {
    const Project& p = project();
    if (!m_before) {
        m_before = Timeline{p.durationFrames, p.keyframes, p.prompts, p.markers};
    }
    std::vector<Keyframe> keyframes;
    std::copy_if(m_before->keyframes.begin(), m_before->keyframes.end(),
                 std::back_inserter(keyframes),
                 [this](const Keyframe& k) { return k.frame < m_durationFrames; });
    std::vector<PromptSegment> prompts;
    std::copy_if(m_before->prompts.begin(), m_before->prompts.end(), std::back_inserter(prompts),
                 [this](const PromptSegment& s) { return s.startFrame < m_durationFrames; });
    std::vector<Marker> markers;
    std::copy_if(m_before->markers.begin(), m_before->markers.end(), std::back_inserter(markers),
                 [this](const Marker& m) { return m.frame < m_durationFrames; });
    DocumentEditor::setTimeline(document(), m_durationFrames, keyframes, prompts, markers);
}

void SetDurationCommand::undo() {
    DocumentEditor::setTimeline(document(), m_before->durationFrames, m_before->keyframes,
                                m_before->prompts, m_before->markers);
}

// ---- Takes --------------------------------------------------------------------------------

AddTakeCommand::AddTakeCommand(ProjectDocument* document, Take take)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Add Take")),
      m_take(std::move(take)) {
    if (m_take.id.isEmpty()) {
        m_take.id = project().newId(QStringLiteral("t"));
    }
}

QString AddTakeCommand::problem() const {
    const Project& p = project();
    QString problem = rules::checkId(m_take.id);
    if (problem.isEmpty() && p.takeIndex(m_take.id) >= 0) {
        problem = QStringLiteral("a take \"%1\" exists already").arg(m_take.id);
    }
    if (problem.isEmpty()) {
        problem = takeProblem(m_take);
    }
    if (problem.isEmpty()) {
        problem = rules::checkTakeParent(p, m_take);
    }
    if (problem.isEmpty() && p.takes.size() >= static_cast<size_t>(rules::kMaxTakes)) {
        problem = QStringLiteral("a project holds at most %1 takes").arg(rules::kMaxTakes);
    }
    return problem;
}

void AddTakeCommand::redo() {
    DocumentEditor::insertTake(document(), static_cast<int>(project().takes.size()), m_take);
}

int AddTakeCommand::id() const {
    return kTake;
}

void AddTakeCommand::undo() {
    // Redo brings the take back as it was when removed; whoever was generating it has stopped
    // writing (see TakeRecorder), so a generating take comes back stopped.
    if (const Take* current = project().take(m_take.id)) {
        m_take = settledTake(*current);
    }
    DocumentEditor::removeTake(document(), m_take.id);
}

bool AddTakeCommand::mergeWith(const QUndoCommand* other) {
    const auto* update = dynamic_cast<const UpdateTakeCommand*>(other);
    if (update == nullptr || update->takeId() != m_take.id) {
        return false;
    }
    m_take = update->take();
    return true;
}

UpdateTakeCommand::UpdateTakeCommand(ProjectDocument* document, Take take)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Update Take")),
      m_after(std::move(take)) {
    // The recorder's copy still names the parent it started from.
    if (const Take* current = project().take(m_after.id)) {
        m_after.parentTakeId = current->parentTakeId;
        m_after.branchChunk = current->branchChunk;
    }
}

int UpdateTakeCommand::id() const {
    return kTake;
}

QString UpdateTakeCommand::problem() const {
    const Take* current = project().take(m_after.id);
    if (current == nullptr) {
        return QStringLiteral("there is no take \"%1\"").arg(m_after.id);
    }
    if (current->created != m_after.created) {
        return QStringLiteral("take \"%1\" was created at another time").arg(m_after.id);
    }
    return takeProblem(m_after);
}

void UpdateTakeCommand::redo() {
    if (!m_before) {
        m_before = *project().take(m_after.id);
    }
    DocumentEditor::replaceTake(document(), m_after);
}

void UpdateTakeCommand::undo() {
    DocumentEditor::replaceTake(document(), *m_before);
}

bool UpdateTakeCommand::mergeWith(const QUndoCommand* other) {
    const auto* update = dynamic_cast<const UpdateTakeCommand*>(other);
    if (update == nullptr || update->takeId() != m_after.id) {
        return false;
    }
    m_after = update->m_after;
    return true;
}

DeleteTakeCommand::DeleteTakeCommand(ProjectDocument* document, QString takeId)
    : ProjectCommand(document,
                     QCoreApplication::translate("sfs::core::ProjectCommand", "Delete Take")),
      m_takeId(std::move(takeId)) {}

QString DeleteTakeCommand::problem() const {
    return project().take(m_takeId) ? QString()
                                    : QStringLiteral("there is no take \"%1\"").arg(m_takeId);
}

void DeleteTakeCommand::redo() {
    if (!m_after) {
        const Project& p = project();
        m_before = p.takes;
        const Take removed = *p.take(m_takeId);
        m_after.emplace();
        for (const Take& t : p.takes) {
            if (t.id == m_takeId) {
                continue;
            }
            Take kept = t;
            if (kept.parentTakeId == m_takeId) {
                // Its first chunks are the removed take's, whose first chunks are its parent's.
                kept.parentTakeId = removed.parentTakeId;
                kept.branchChunk =
                    removed.isBranch() ? std::min(kept.branchChunk, removed.branchChunk) : 0;
            }
            m_after->push_back(kept);
        }
    }
    DocumentEditor::setTakes(document(), *m_after);
}

void DeleteTakeCommand::undo() {
    DocumentEditor::setTakes(document(), *m_before);
}

} // namespace sfs::core
