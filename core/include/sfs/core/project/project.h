#pragma once
// The project a user storyboards: keyframes, prompt segments and markers on a timeline, render
// settings, and the takes generated from them. A plain value: copyable, comparable, no signals.
// Edits go through ProjectDocument (document.h) and the undo commands (commands.h).

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace sfs::core {

// How a keyframe image is brought to the project resolution.
enum class FitMode {
    Cover,   // scale to fill, crop the overflow (centred)
    Fit,     // scale to fit inside, black bars
    Stretch, // scale each axis on its own
};

// How a keyframe at frame 0 starts the take (docs/keyframes.md, "Two ways to start"): the
// take's first latent frame is generated and lands on it, or it is that latent frame itself,
// given to the model as context before the first chunk (the reference's image-to-video route;
// how a take is extended from another's last frame). Kept when the keyframe moves, used only
// while it is at frame 0.
enum class StartMode { Land, Context };

enum class Decoder { WanVae, Taehv };

// What the studio's live preview shows while a take generates: the final decoder's frames (the
// take's own, as they are stored), or a second, fast decoder's (TAEHV) while the final decoder
// makes the frames the take keeps. The CLI shows no preview and so runs no preview decoder.
enum class PreviewDecoder { Final, Taehv };

enum class TakeStatus {
    Complete,   // every chunk was generated
    Stopped,    // stopped (by the user, a failure or a crash) after `chunksCompleted` chunks
    Generating, // being generated now; `chunksCompleted` chunks are on disk so far
};

// The names used in the file format and on the command line ("cover", "wan-vae", ...).
QString toString(FitMode mode);
QString toString(StartMode mode);
QString toString(Decoder decoder);
QString toString(PreviewDecoder decoder);
QString toString(TakeStatus status);
std::optional<FitMode> fitModeFromString(const QString& name);
std::optional<StartMode> startModeFromString(const QString& name);
std::optional<Decoder> decoderFromString(const QString& name);
std::optional<PreviewDecoder> previewDecoderFromString(const QString& name);
std::optional<TakeStatus> takeStatusFromString(const QString& name);
QStringList fitModeNames();
QStringList startModeNames();
QStringList decoderNames();
QStringList previewDecoderNames();

struct Keyframe {
    QString id;
    int frame = 0;
    QString image;         // path inside the assets folder, e.g. "images/<hash>.png"
    QString sourceName;    // the file name it was imported from, for display
    double strength = 1.0; // 0..1: how far the landing blends toward the image (1: exactly)
    FitMode fit = FitMode::Cover;
    QString label;
    // The soft approach before the landing (docs/keyframes.md): over this many chunks before the
    // landing chunk, the first `approachSteps` denoising steps pull toward the keyframe, easing
    // in up to `approachWeight` (0..1). 0 chunks: no approach.
    int approachChunks = 2;
    double approachWeight = 0.5;
    int approachSteps = 1;
    // At frame 0: land on it, or start from it as context (file key "start", optional in
    // format version 2: absent means land).
    StartMode start = StartMode::Land;
    // Also steer by VACE (needs VACE weights; docs/keyframes.md "Keyframes with VACE"); file
    // keys "vace" and "vaceScale", optional in format version 4.
    bool vace = false;
    double vaceScale = 1.0; // VACE context scale, 0…2

    bool operator==(const Keyframe& o) const;
    bool operator!=(const Keyframe& o) const { return !(*this == o); }
};

struct PromptSegment {
    QString id;
    int startFrame = 0; // the segment runs until the next one starts (or the end)
    QString text;

    bool operator==(const PromptSegment& o) const;
    bool operator!=(const PromptSegment& o) const { return !(*this == o); }
};

// A named point on the timeline the user can jump to (the editors' "marker" or "guide"). One
// marker per frame, as in Kdenlive: a second one on the same frame is refused.
struct Marker {
    QString id;
    int frame = 0;
    QString name; // may be empty; at most rules::kMaxMarkerNameLength characters

    bool operator==(const Marker& o) const;
    bool operator!=(const Marker& o) const { return !(*this == o); }
};

// A LoRA merged into the DiT's weights for a render (format 4): its file, an absolute path as
// the model folder is, and how strongly it applies (1 = as trained, 0 = not at all).
struct LoraSetting {
    static constexpr double kMaxStrength = 10.0; // |strength|
    QString path;
    double strength = 1.0;
    bool operator==(const LoraSetting& o) const { return path == o.path && strength == o.strength; }
    bool operator!=(const LoraSetting& o) const { return !(*this == o); }
};

struct RenderSettings {
    static constexpr int kDefaultWidth = 832;
    static constexpr int kDefaultHeight = 480;
    static constexpr int kSizeStep = 16; // width and height are multiples of this
    static constexpr int kMinSize = 64;
    static constexpr int kMaxSize = 4096;
    // Seeds stay below 2^53 so that every JSON reader keeps them exact.
    static constexpr qint64 kMaxSeed = (qint64(1) << 53) - 1;
    static constexpr int kMaxTimestep = 1000;
    static constexpr int kMaxSteps = 50;
    static constexpr int kMaxAttentionWindow = 10000;

    int width = kDefaultWidth;
    int height = kDefaultHeight;
    qint64 seed = 0;
    std::vector<int> steps{1000, 750, 500, 250}; // denoising timesteps, strictly decreasing
    Decoder decoder = Decoder::WanVae;
    int attentionWindow = 0; // latent frames of context; 0 = the full context
    int sinkFrames = 0;      // latent frames kept at the start when the window rolls
    QString device = QStringLiteral("auto"); // "auto", "cpu", "cuda" or "cuda:N"
    QString modelFolder;                     // empty = the built-in demo model
    // Format 4 (optional keys; the defaults are what earlier versions did).
    PreviewDecoder previewDecoder = PreviewDecoder::Final;
    QString precision = QStringLiteral("auto"); // "auto", "float32", "bfloat16", "float16"
    // Where the text encoder runs: "auto" (the device's rules), "cpu", or "gpu" (the DiT's
    // device, freed after encoding).
    QString textEncoderDevice = QStringLiteral("auto");
    std::vector<LoraSetting> loras; // merged into the DiT in this order; empty: none
    // A reference image (style, identity) every chunk sees through VACE: a path inside the
    // assets folder, empty for none; file keys "referenceImage" and "referenceScale",
    // optional in format version 4.
    QString referenceImage;
    double referenceScale = 0.5; // VACE context scale, 0…2

    bool usesDemoModel() const { return modelFolder.isEmpty(); }
    bool operator==(const RenderSettings& o) const;
    bool operator!=(const RenderSettings& o) const { return !(*this == o); }
};

struct Take {
    QString id;
    QDateTime created; // UTC, millisecond precision
    RenderSettings settings;
    int durationFrames = 0; // the timeline length the take was generated for
    TakeStatus status = TakeStatus::Complete;
    int chunksCompleted = 0;
    QString latentsPath; // inside the assets folder; empty when none were stored
    QString framesPath;  // inside the assets folder (a file or a folder); empty when none
    // Lineage ("regenerate from here"): a take regenerated from chunk `branchChunk` of take
    // `parentTakeId` shares that take's chunks 0 … branchChunk − 1 (copied into its own files)
    // and was generated anew from there. Empty and 0 for a take generated from the start.
    QString parentTakeId;
    int branchChunk = 0;

    bool isBranch() const { return !parentTakeId.isEmpty(); }
    int chunksPlanned() const;
    // The frames of the chunks completed so far (a take's stored frames beyond these belong to
    // an unfinished chunk and are never shown or exported).
    int framesCompleted() const;
    bool operator==(const Take& o) const;
    bool operator!=(const Take& o) const { return !(*this == o); }
};

enum class KeyframeRole { Start, Middle, End };

struct Project {
    static constexpr int kDefaultDurationFrames = 81; // 7 chunks, about 5 s

    int durationFrames = kDefaultDurationFrames;
    RenderSettings settings;
    std::vector<Keyframe> keyframes;    // sorted by frame; frames and ids unique
    std::vector<PromptSegment> prompts; // sorted by start; the first starts at 0; they tile
    std::vector<Take> takes;            // oldest first
    std::vector<Marker> markers;        // sorted by frame; frames and ids unique

    // A new project: 81 frames, one empty prompt segment, default settings.
    static Project makeDefault();

    int keyframeIndex(const QString& id) const; // -1 when absent
    int keyframeIndexAt(int frame) const;       // -1 when no keyframe sits on `frame`
    int promptIndex(const QString& id) const;   // -1 when absent
    int promptIndexAtFrame(int frame) const;    // the segment covering `frame`
    int promptEndFrame(int index) const;        // exclusive
    int takeIndex(const QString& id) const;     // -1 when absent
    int markerIndex(const QString& id) const;   // -1 when absent
    int markerIndexAt(int frame) const;         // -1 when no marker sits on `frame`
    const Keyframe* keyframe(const QString& id) const;
    const PromptSegment* prompt(const QString& id) const;
    const Take* take(const QString& id) const;
    const Marker* marker(const QString& id) const;
    // The first marker after `frame` / the last one before it (not on it); nullptr when none.
    const Marker* nextMarker(int frame) const;
    const Marker* previousMarker(int frame) const;
    // The takes regenerated from take `takeId` (its direct children), oldest first.
    std::vector<const Take*> childTakes(const QString& takeId) const;
    KeyframeRole roleOf(const Keyframe& keyframe) const;
    int lastFrame() const { return durationFrames - 1; }

    // A fresh id with the given prefix ("k", "p", "t", "m") unused by any keyframe, prompt, take
    // or marker.
    QString newId(const QString& prefix) const;

    // Every asset path the project references (keyframe images, the reference image, take
    // latents and frames).
    QStringList assetPaths() const;

    bool operator==(const Project& o) const;
    bool operator!=(const Project& o) const { return !(*this == o); }
};

// The rules a valid project obeys, each returning the problem in words (empty when fine). The
// file loader adds the file and the field; the undo commands refuse edits that break them.
namespace rules {
inline constexpr int kMaxIdLength = 64;
inline constexpr int kMaxTextLength = 20000; // prompt text and labels, in UTF-16 code units
inline constexpr int kMaxLabelLength = 200;
inline constexpr int kMaxKeyframes = 10000;
inline constexpr int kMaxTakes = 10000;
inline constexpr int kMaxMarkers = 10000;
inline constexpr int kMaxMarkerNameLength = 200;

QString checkId(const QString& id);
QString checkDuration(int frames);
QString checkFrame(int frame, int durationFrames);
QString checkStrength(double strength);
inline constexpr int kMaxApproachChunks = 100;
inline constexpr int kMaxApproachSteps = 1000; // never more than a take's denoising steps
QString checkApproachChunks(int chunks);
QString checkApproachWeight(double weight);
QString checkApproachSteps(int steps);
inline constexpr double kMaxVaceScale = 2.0;
QString checkVaceScale(double scale); // a VACE context scale, 0…kMaxVaceScale
// One keyframe per latent frame: `frame` must not share its latent frame with another
// keyframe's `otherFrame` (frame 0 is latent frame 0 alone; f > 0 lies in ceil(f / 4)).
QString checkSeparateLatentFrames(int frame, int otherFrame);
// The same for a keyframe (added or moved) among the project's others (matched by id).
QString checkKeyframeLatentFrame(const Project& project, const Keyframe& keyframe);
QString checkLabel(const QString& label);
QString checkMarkerName(const QString& name);
QString checkPromptText(const QString& text);
QString checkAssetPath(const QString& path); // relative, inside the assets folder
QString checkSize(int pixels);               // width or height
QString checkSeed(qint64 seed);
QString checkSteps(const std::vector<int>& steps);
QString checkAttentionWindow(int window);
QString checkSinkFrames(int sinkFrames, int window);
QString checkDevice(const QString& device);
QString checkPrecision(const QString& precision);
QString checkTextEncoderDevice(const QString& device);
inline constexpr int kMaxLoras = 16;
QString checkLora(const LoraSetting& lora); // an absolute path, |strength| <= 10
QString checkLoras(const std::vector<LoraSetting>& loras);
// A complete take has every chunk of its duration; a stopped one stopped before the last; a
// generating one has done 0 … all of them.
QString checkTakeProgress(TakeStatus status, int chunksCompleted, int durationFrames);
// A take's own lineage fields: a root take has no parent and branch chunk 0; a branch keeps
// chunks 0 … branchChunk − 1 of its parent, so 1 ≤ branchChunk < its planned chunks.
QString checkTakeLineage(const QString& parentTakeId, int branchChunk, int durationFrames);
// The lineage of `take` among the project's takes (matched by id): its parent exists, is not
// the take itself, and following parents never comes back to it.
QString checkTakeParent(const Project& project, const Take& take);

// The first problem with `settings`: the field name ("width", "steps", ...) and the problem.
struct FieldProblem {
    QString field;
    QString problem;
    bool ok() const { return problem.isEmpty(); }
};
FieldProblem checkSettings(const RenderSettings& settings);
} // namespace rules

// A take whose generation ended without finishing it (stopped, failed, the process died): a
// generating take becomes stopped after the chunks it has, or complete when it has them all.
// Other takes are returned unchanged.
Take settledTake(Take take);

} // namespace sfs::core
