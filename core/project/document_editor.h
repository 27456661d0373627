#pragma once
// The primitive, non-undoable edits of a ProjectDocument, for the undo commands only. Each keeps
// the project's order invariants and emits the matching change signals.

#include "sfs/core/project/document.h"

namespace sfs::core::detail {

class DocumentEditor {
public:
    static const Project& project(const ProjectDocument& d) { return d.m_project; }

    static void insertKeyframe(ProjectDocument& d, const Keyframe& keyframe);
    static void removeKeyframe(ProjectDocument& d, const QString& id);
    // Replaces the keyframe with the same id (its frame may change).
    static void replaceKeyframe(ProjectDocument& d, const Keyframe& keyframe);
    static void setPrompts(ProjectDocument& d, const std::vector<PromptSegment>& prompts);
    static void setSettings(ProjectDocument& d, const RenderSettings& settings);
    // The duration and everything placed on the timeline (what a duration change can cut).
    static void setTimeline(ProjectDocument& d, int durationFrames,
                            const std::vector<Keyframe>& keyframes,
                            const std::vector<PromptSegment>& prompts,
                            const std::vector<Marker>& markers);
    static void insertTake(ProjectDocument& d, int index, const Take& take);
    static void removeTake(ProjectDocument& d, const QString& id);
    // Replaces the take with the same id, in place.
    static void replaceTake(ProjectDocument& d, const Take& take);
    // Replaces the whole list of takes (a deletion that re-parents its children).
    static void setTakes(ProjectDocument& d, const std::vector<Take>& takes);
    static void insertMarker(ProjectDocument& d, const Marker& marker);
    static void removeMarker(ProjectDocument& d, const QString& id);
    // Replaces the marker with the same id (its frame may change).
    static void replaceMarker(ProjectDocument& d, const Marker& marker);

private:
    static void sortKeyframes(ProjectDocument& d);
    static void sortMarkers(ProjectDocument& d);
};

} // namespace sfs::core::detail
