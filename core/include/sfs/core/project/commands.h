#pragma once
// Every edit of a project is one of these undo commands, pushed with ProjectDocument::push(),
// which refuses (and reports) an edit that does not apply. Undo restores the exact previous
// state. Commands given the same non-zero gesture (ProjectDocument::newGesture()) and target
// merge into one undo step: a keyframe drag, a slider drag, typing in a field.

#include "sfs/core/project/project.h"

#include <QUndoCommand>

#include <optional>
#include <vector>

namespace sfs::core {

class ProjectDocument;

class ProjectCommand : public QUndoCommand {
public:
    // Why this edit cannot be applied to the document as it is now; empty when it can.
    virtual QString problem() const = 0;

protected:
    ProjectCommand(ProjectDocument* document, const QString& text);
    ProjectDocument& document() const { return *m_document; }
    const Project& project() const;

private:
    ProjectDocument* m_document;
};

// ---- Keyframes ----------------------------------------------------------------------------

class AddKeyframeCommand : public ProjectCommand {
public:
    // An empty keyframe.id gets a fresh one.
    AddKeyframeCommand(ProjectDocument* document, Keyframe keyframe);
    QString keyframeId() const { return m_keyframe.id; }
    QString problem() const override;
    void redo() override;
    void undo() override;

private:
    Keyframe m_keyframe;
};

class DeleteKeyframeCommand : public ProjectCommand {
public:
    DeleteKeyframeCommand(ProjectDocument* document, QString keyframeId);
    QString problem() const override;
    void redo() override;
    void undo() override;

private:
    QString m_keyframeId;
    std::optional<Keyframe> m_removed;
};

// A change to one keyframe's fields.
class KeyframeEditCommand : public ProjectCommand {
public:
    QString problem() const override;
    void redo() override;
    void undo() override;
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand* other) override;

protected:
    KeyframeEditCommand(ProjectDocument* document, const QString& text, QString keyframeId,
                        int mergeId, quint64 gesture);
    virtual void apply(Keyframe& keyframe) const = 0;
    // The problem with the edited keyframe; empty when fine.
    virtual QString check(const Keyframe& edited) const = 0;

private:
    QString m_keyframeId;
    int m_mergeId;
    quint64 m_gesture;
    std::optional<Keyframe> m_before;
    std::optional<Keyframe> m_after;
};

class MoveKeyframeCommand : public KeyframeEditCommand {
public:
    MoveKeyframeCommand(ProjectDocument* document, QString keyframeId, int frame,
                        quint64 gesture = 0);

protected:
    void apply(Keyframe& keyframe) const override { keyframe.frame = m_frame; }
    QString check(const Keyframe& edited) const override;

private:
    int m_frame;
};

class SetKeyframeStrengthCommand : public KeyframeEditCommand {
public:
    SetKeyframeStrengthCommand(ProjectDocument* document, QString keyframeId, double strength,
                               quint64 gesture = 0);

protected:
    void apply(Keyframe& keyframe) const override { keyframe.strength = m_strength; }
    QString check(const Keyframe& edited) const override;

private:
    double m_strength;
};

// The soft approach before a keyframe's landing (Keyframe::approach*); edits of one drag
// (`gesture`) merge into one undo step.
class SetKeyframeApproachCommand : public KeyframeEditCommand {
public:
    SetKeyframeApproachCommand(ProjectDocument* document, QString keyframeId, int chunks,
                               double weight, int steps, quint64 gesture = 0);

protected:
    void apply(Keyframe& keyframe) const override;
    QString check(const Keyframe& edited) const override;

private:
    int m_chunks;
    double m_weight;
    int m_steps;
};

// Whether a keyframe is also steered by VACE, and its context scale (Keyframe::vace*); edits of
// one drag (`gesture`) merge into one undo step.
class SetKeyframeVaceCommand : public KeyframeEditCommand {
public:
    SetKeyframeVaceCommand(ProjectDocument* document, QString keyframeId, bool vace, double scale,
                           quint64 gesture = 0);

protected:
    void apply(Keyframe& keyframe) const override;
    QString check(const Keyframe& edited) const override;

private:
    bool m_vace;
    double m_scale;
};

class SetKeyframeImageCommand : public KeyframeEditCommand {
public:
    // `image` is a path inside the assets folder (see importImage()).
    SetKeyframeImageCommand(ProjectDocument* document, QString keyframeId, QString image,
                            QString sourceName);

protected:
    void apply(Keyframe& keyframe) const override;
    QString check(const Keyframe& edited) const override;

private:
    QString m_image;
    QString m_sourceName;
};

class SetKeyframeFitCommand : public KeyframeEditCommand {
public:
    SetKeyframeFitCommand(ProjectDocument* document, QString keyframeId, FitMode fit);

protected:
    void apply(Keyframe& keyframe) const override { keyframe.fit = m_fit; }
    QString check(const Keyframe&) const override { return {}; }

private:
    FitMode m_fit;
};

class SetKeyframeLabelCommand : public KeyframeEditCommand {
public:
    SetKeyframeLabelCommand(ProjectDocument* document, QString keyframeId, QString label,
                            quint64 gesture = 0);

protected:
    void apply(Keyframe& keyframe) const override { keyframe.label = m_label; }
    QString check(const Keyframe& edited) const override;

private:
    QString m_label;
};

// ---- Prompt segments ----------------------------------------------------------------------

// A change to the list of prompt segments (which tile the timeline).
class PromptEditCommand : public ProjectCommand {
public:
    QString problem() const override { return check(project()); }
    void redo() override;
    void undo() override;
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand* other) override;

protected:
    PromptEditCommand(ProjectDocument* document, const QString& text, int mergeId = -1,
                      QString target = QString(), quint64 gesture = 0);
    virtual QString check(const Project& project) const = 0;
    virtual std::vector<PromptSegment> edited(const Project& project) const = 0;

private:
    int m_mergeId;
    QString m_target;
    quint64 m_gesture;
    std::optional<std::vector<PromptSegment>> m_before;
    std::optional<std::vector<PromptSegment>> m_after;
};

// A new segment starting at `startFrame` with `text`; the segment it lands in ends there.
class AddPromptSegmentCommand : public PromptEditCommand {
public:
    AddPromptSegmentCommand(ProjectDocument* document, int startFrame, QString text);
    QString segmentId() const { return m_newId; }

protected:
    QString check(const Project& project) const override;
    std::vector<PromptSegment> edited(const Project& project) const override;

private:
    int m_startFrame;
    QString m_text;
    QString m_newId;
};

// Splits the segment covering `frame` in two; the new second part starts at `frame` and keeps
// the text.
class SplitPromptSegmentCommand : public PromptEditCommand {
public:
    SplitPromptSegmentCommand(ProjectDocument* document, int frame);
    QString segmentId() const { return m_newId; }

protected:
    QString check(const Project& project) const override;
    std::vector<PromptSegment> edited(const Project& project) const override;

private:
    int m_frame;
    QString m_newId;
};

// Merges a segment with the next one; the merged segment keeps the first one's id and text.
class MergePromptSegmentCommand : public PromptEditCommand {
public:
    MergePromptSegmentCommand(ProjectDocument* document, QString segmentId);

protected:
    QString check(const Project& project) const override;
    std::vector<PromptSegment> edited(const Project& project) const override;

private:
    QString m_segmentId;
};

// Removes a segment; the previous one grows over its frames (or, for the first, the next one
// starts at 0). The last remaining segment cannot be deleted.
class DeletePromptSegmentCommand : public PromptEditCommand {
public:
    DeletePromptSegmentCommand(ProjectDocument* document, QString segmentId);

protected:
    QString check(const Project& project) const override;
    std::vector<PromptSegment> edited(const Project& project) const override;

private:
    QString m_segmentId;
};

class SetPromptTextCommand : public PromptEditCommand {
public:
    SetPromptTextCommand(ProjectDocument* document, QString segmentId, QString text,
                         quint64 gesture = 0);

protected:
    QString check(const Project& project) const override;
    std::vector<PromptSegment> edited(const Project& project) const override;

private:
    QString m_segmentId;
    QString m_text;
};

// Moves the boundary where a segment starts (not the first one's, which is always frame 0).
class MovePromptBoundaryCommand : public PromptEditCommand {
public:
    MovePromptBoundaryCommand(ProjectDocument* document, QString segmentId, int startFrame,
                              quint64 gesture = 0);

protected:
    QString check(const Project& project) const override;
    std::vector<PromptSegment> edited(const Project& project) const override;

private:
    QString m_segmentId;
    int m_startFrame;
};

// ---- Markers ------------------------------------------------------------------------------

// Adds a marker; refused on a frame that has one (one marker per frame).
class AddMarkerCommand : public ProjectCommand {
public:
    // An empty marker.id gets a fresh one ("m…").
    AddMarkerCommand(ProjectDocument* document, Marker marker);
    QString markerId() const { return m_marker.id; }
    QString problem() const override;
    void redo() override;
    void undo() override;

private:
    Marker m_marker;
};

class DeleteMarkerCommand : public ProjectCommand {
public:
    DeleteMarkerCommand(ProjectDocument* document, QString markerId);
    QString problem() const override;
    void redo() override;
    void undo() override;

private:
    QString m_markerId;
    std::optional<Marker> m_removed;
};

// A change to one marker's fields; edits of one gesture (a drag, typing) merge into one step.
class MarkerEditCommand : public ProjectCommand {
public:
    QString problem() const override;
    void redo() override;
    void undo() override;
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand* other) override;

protected:
    MarkerEditCommand(ProjectDocument* document, const QString& text, QString markerId, int mergeId,
                      quint64 gesture);
    virtual void apply(Marker& marker) const = 0;
    virtual QString check(const Marker& edited) const = 0;

private:
    QString m_markerId;
    int m_mergeId;
    quint64 m_gesture;
    std::optional<Marker> m_before;
    std::optional<Marker> m_after;
};

class MoveMarkerCommand : public MarkerEditCommand {
public:
    MoveMarkerCommand(ProjectDocument* document, QString markerId, int frame, quint64 gesture = 0);

protected:
    void apply(Marker& marker) const override { marker.frame = m_frame; }
    QString check(const Marker& edited) const override;

private:
    int m_frame;
};

class RenameMarkerCommand : public MarkerEditCommand {
public:
    RenameMarkerCommand(ProjectDocument* document, QString markerId, QString name,
                        quint64 gesture = 0);

protected:
    void apply(Marker& marker) const override { marker.name = m_name; }
    QString check(const Marker& edited) const override;

private:
    QString m_name;
};

// ---- Settings and timeline ----------------------------------------------------------------

class SetRenderSettingsCommand : public ProjectCommand {
public:
    SetRenderSettingsCommand(ProjectDocument* document, RenderSettings settings,
                             quint64 gesture = 0);
    QString problem() const override;
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    RenderSettings m_after;
    std::optional<RenderSettings> m_before;
    quint64 m_gesture;
};

// Changes the timeline length (a grid duration, see timeline.h). Keyframes, segments and markers
// beyond the new end are removed; undo brings them back.
class SetDurationCommand : public ProjectCommand {
public:
    SetDurationCommand(ProjectDocument* document, int durationFrames);
    QString problem() const override;
    void redo() override;
    void undo() override;

private:
    struct Timeline {
        int durationFrames;
        std::vector<Keyframe> keyframes;
        std::vector<PromptSegment> prompts;
        std::vector<Marker> markers;
    };
    int m_durationFrames;
    std::optional<Timeline> m_before;
};

// ---- Takes --------------------------------------------------------------------------------

// Adds a take: a finished one (its files already in the assets folder) or one being generated
// (status Generating; its files arrive as it grows, see render/take_recorder.h). The
// UpdateTakeCommands of a take that follow it directly merge into it, so undo removes the whole
// take in one step; redo brings it back as it was then (a generating take comes back stopped).
class AddTakeCommand : public ProjectCommand {
public:
    // An empty take.id gets a fresh one.
    AddTakeCommand(ProjectDocument* document, Take take);
    QString takeId() const { return m_take.id; }
    QString problem() const override;
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    Take m_take;
};

// A take's new state (chunks completed, status) as its generation goes on: replaces the take
// with the same id (and creation time), keeping the lineage the project gives it (a deletion
// may have re-parented it meanwhile). Merges into the AddTakeCommand or UpdateTakeCommand of
// the same take on top of the stack; after another edit, or after a save (Qt never merges into
// the saved state), it is a step of its own.
class UpdateTakeCommand : public ProjectCommand {
public:
    UpdateTakeCommand(ProjectDocument* document, Take take);
    QString takeId() const { return m_after.id; }
    const Take& take() const { return m_after; }
    QString problem() const override;
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    Take m_after;
    std::optional<Take> m_before;
};

// Removes a take from the project. Its files stay in the assets folder, so undo can restore it.
// Takes regenerated from it move up to its parent (their kept chunks are the parent's too, up to
// the earlier of the two branch chunks), or become root takes when it had none.
class DeleteTakeCommand : public ProjectCommand {
public:
    DeleteTakeCommand(ProjectDocument* document, QString takeId);
    QString problem() const override;
    void redo() override;
    void undo() override;

private:
    QString m_takeId;
    std::optional<std::vector<Take>> m_before;
    std::optional<std::vector<Take>> m_after;
};

} // namespace sfs::core
