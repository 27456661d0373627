#include "sfs/core/project/project.h"

#include "sfs/core/project/timeline.h"
#include "sfs/inference/device_policy.h"

#include <QDir>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace sfs::core {

namespace {

template <typename Enum>
struct NameOf {
    Enum value;
    const char* name;
};

const NameOf<FitMode> kFitNames[] = {
    {FitMode::Cover, "cover"}, {FitMode::Fit, "fit"}, {FitMode::Stretch, "stretch"}};
const NameOf<StartMode> kStartNames[] = {{StartMode::Land, "land"},
                                         {StartMode::Context, "context"}};
const NameOf<Decoder> kDecoderNames[] = {{Decoder::WanVae, "wan-vae"}, {Decoder::Taehv, "taehv"}};
const NameOf<PreviewDecoder> kPreviewDecoderNames[] = {{PreviewDecoder::Final, "final"},
                                                       {PreviewDecoder::Taehv, "taehv"}};
const NameOf<TakeStatus> kStatusNames[] = {{TakeStatus::Complete, "complete"},
                                           {TakeStatus::Stopped, "stopped"},
                                           {TakeStatus::Generating, "generating"}};

template <typename Enum, size_t N>
QString nameOf(const NameOf<Enum> (&table)[N], Enum value) {
    for (const auto& entry : table) {
        if (entry.value == value) {
            return QString::fromLatin1(entry.name);
        }
    }
    return {};
}

template <typename Enum, size_t N>
std::optional<Enum> valueOf(const NameOf<Enum> (&table)[N], const QString& name) {
    for (const auto& entry : table) {
        if (name == QLatin1String(entry.name)) {
            return entry.value;
        }
    }
    return std::nullopt;
}

template <typename Enum, size_t N>
QStringList namesOf(const NameOf<Enum> (&table)[N]) {
    QStringList names;
    for (const auto& entry : table) {
        names << QString::fromLatin1(entry.name);
    }
    return names;
}

template <typename T>
int indexWhere(const std::vector<T>& items, const QString& id) {
    for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

} // namespace

QString toString(FitMode mode) {
    return nameOf(kFitNames, mode);
}
QString toString(StartMode mode) {
    return nameOf(kStartNames, mode);
}
QString toString(Decoder decoder) {
    return nameOf(kDecoderNames, decoder);
}
QString toString(PreviewDecoder decoder) {
    return nameOf(kPreviewDecoderNames, decoder);
}
QString toString(TakeStatus status) {
    return nameOf(kStatusNames, status);
}
std::optional<FitMode> fitModeFromString(const QString& name) {
    return valueOf(kFitNames, name);
}
std::optional<StartMode> startModeFromString(const QString& name) {
    return valueOf(kStartNames, name);
}
std::optional<Decoder> decoderFromString(const QString& name) {
    return valueOf(kDecoderNames, name);
}
std::optional<PreviewDecoder> previewDecoderFromString(const QString& name) {
    return valueOf(kPreviewDecoderNames, name);
}
std::optional<TakeStatus> takeStatusFromString(const QString& name) {
    return valueOf(kStatusNames, name);
}
QStringList fitModeNames() {
    return namesOf(kFitNames);
}
QStringList startModeNames() {
    return namesOf(kStartNames);
}
QStringList decoderNames() {
    return namesOf(kDecoderNames);
}
QStringList previewDecoderNames() {
    return namesOf(kPreviewDecoderNames);
}

bool Keyframe::operator==(const Keyframe& o) const {
    return id == o.id && frame == o.frame && image == o.image && sourceName == o.sourceName &&
           strength == o.strength && fit == o.fit && label == o.label &&
           approachChunks == o.approachChunks && approachWeight == o.approachWeight &&
           approachSteps == o.approachSteps && start == o.start && vace == o.vace &&
           vaceScale == o.vaceScale;
}

bool PromptSegment::operator==(const PromptSegment& o) const {
    return id == o.id && startFrame == o.startFrame && text == o.text;
}

bool Marker::operator==(const Marker& o) const {
    return id == o.id && frame == o.frame && name == o.name;
}

bool RenderSettings::operator==(const RenderSettings& o) const {
    return width == o.width && height == o.height && seed == o.seed && steps == o.steps &&
           decoder == o.decoder && attentionWindow == o.attentionWindow &&
           sinkFrames == o.sinkFrames && device == o.device && modelFolder == o.modelFolder &&
           previewDecoder == o.previewDecoder && precision == o.precision &&
           textEncoderDevice == o.textEncoderDevice && loras == o.loras &&
           referenceImage == o.referenceImage && referenceScale == o.referenceScale;
}

int Take::chunksPlanned() const {
    return timeline::chunksForFrames(durationFrames);
}

int Take::framesCompleted() const {
    return timeline::framesForChunks(chunksCompleted);
}

Take settledTake(Take take) {
    if (take.status == TakeStatus::Generating) {
        take.status = take.chunksCompleted >= take.chunksPlanned() ? TakeStatus::Complete
                                                                   : TakeStatus::Stopped;
    }
    return take;
}

bool Take::operator==(const Take& o) const {
    return id == o.id && created == o.created && settings == o.settings &&
           durationFrames == o.durationFrames && status == o.status &&
           chunksCompleted == o.chunksCompleted && latentsPath == o.latentsPath &&
           framesPath == o.framesPath && parentTakeId == o.parentTakeId &&
           branchChunk == o.branchChunk;
}

Project Project::makeDefault() {
    Project p;
    p.prompts.push_back(PromptSegment{QStringLiteral("p1"), 0, QString()});
    return p;
}

int Project::keyframeIndex(const QString& id) const {
    return indexWhere(keyframes, id);
}
int Project::promptIndex(const QString& id) const {
    return indexWhere(prompts, id);
}
int Project::takeIndex(const QString& id) const {
    return indexWhere(takes, id);
}
int Project::markerIndex(const QString& id) const {
    return indexWhere(markers, id);
}

int Project::markerIndexAt(int frame) const {
    for (size_t i = 0; i < markers.size(); ++i) {
        if (markers[i].frame == frame) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const Marker* Project::marker(const QString& id) const {
    const int i = markerIndex(id);
    return i < 0 ? nullptr : &markers[static_cast<size_t>(i)];
}

const Marker* Project::nextMarker(int frame) const {
    for (const Marker& m : markers) {
        if (m.frame > frame) {
            return &m;
        }
    }
    return nullptr;
}

const Marker* Project::previousMarker(int frame) const {
    for (auto it = markers.rbegin(); it != markers.rend(); ++it) {
        if (it->frame < frame) {
            return &*it;
        }
    }
    return nullptr;
}

std::vector<const Take*> Project::childTakes(const QString& takeId) const {
    std::vector<const Take*> children;
    for (const Take& t : takes) {
        if (!takeId.isEmpty() && t.parentTakeId == takeId) {
            children.push_back(&t);
        }
    }
    return children;
}

int Project::keyframeIndexAt(int frame) const {
    for (size_t i = 0; i < keyframes.size(); ++i) {
        if (keyframes[i].frame == frame) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int Project::promptIndexAtFrame(int frame) const {
    int found = prompts.empty() ? -1 : 0;
    for (size_t i = 0; i < prompts.size(); ++i) {
        if (prompts[i].startFrame <= frame) {
            found = static_cast<int>(i);
        }
    }
    return found;
}

int Project::promptEndFrame(int index) const {
    const size_t next = static_cast<size_t>(index) + 1;
    return next < prompts.size() ? prompts[next].startFrame : durationFrames;
}

const Keyframe* Project::keyframe(const QString& id) const {
    const int i = keyframeIndex(id);
    return i < 0 ? nullptr : &keyframes[static_cast<size_t>(i)];
}

const PromptSegment* Project::prompt(const QString& id) const {
    const int i = promptIndex(id);
    return i < 0 ? nullptr : &prompts[static_cast<size_t>(i)];
}

const Take* Project::take(const QString& id) const {
    const int i = takeIndex(id);
    return i < 0 ? nullptr : &takes[static_cast<size_t>(i)];
}

KeyframeRole Project::roleOf(const Keyframe& k) const {
    if (k.frame == 0) {
        return KeyframeRole::Start;
    }
    return k.frame == lastFrame() ? KeyframeRole::End : KeyframeRole::Middle;
}

QString Project::newId(const QString& prefix) const {
    auto used = [this](const QString& id) {
        return keyframeIndex(id) >= 0 || promptIndex(id) >= 0 || takeIndex(id) >= 0 ||
               markerIndex(id) >= 0;
    };
    QString id;
    do {
        id = prefix + QString::number(QRandomGenerator::global()->generate(), 16)
                          .rightJustified(8, QLatin1Char('0'));
    } while (used(id));
    return id;
}

QStringList Project::assetPaths() const {
    QStringList paths;
    for (const Keyframe& k : keyframes) {
        paths << k.image;
    }
    if (!settings.referenceImage.isEmpty()) {
        paths << settings.referenceImage;
    }
    for (const Take& t : takes) {
        for (const QString& p : {t.latentsPath, t.framesPath}) {
            if (!p.isEmpty()) {
                paths << p;
            }
        }
    }
    paths.removeDuplicates();
    return paths;
}

bool Project::operator==(const Project& o) const {
    return durationFrames == o.durationFrames && settings == o.settings &&
           keyframes == o.keyframes && prompts == o.prompts && takes == o.takes &&
           markers == o.markers;
}

namespace rules {

QString checkId(const QString& id) {
    static const QRegularExpression kPattern(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (id.isEmpty()) {
        return QStringLiteral("must not be empty");
    }
    if (id.size() > kMaxIdLength) {
        return QStringLiteral("is longer than %1 characters").arg(kMaxIdLength);
    }
    if (!kPattern.match(id).hasMatch()) {
        return QStringLiteral("\"%1\" may contain only letters, digits, '-' and '_'").arg(id);
    }
    return {};
}

QString checkDuration(int frames) {
    if (timeline::isValidDuration(frames)) {
        return {};
    }
    if (frames < timeline::kMinDurationFrames || frames > timeline::kMaxDurationFrames) {
        return QStringLiteral("%1 frames is outside %2…%3")
            .arg(frames)
            .arg(timeline::kMinDurationFrames)
            .arg(timeline::kMaxDurationFrames);
    }
    return QStringLiteral("%1 frames is not on the chunk grid (12n − 3 frames); nearest: %2")
        .arg(frames)
        .arg(timeline::snapDuration(frames));
}

QString checkFrame(int frame, int durationFrames) {
    if (frame < 0) {
        return QStringLiteral("frame %1 is negative").arg(frame);
    }
    if (frame >= durationFrames) {
        return QStringLiteral("frame %1 is beyond the end of the timeline (last frame %2)")
            .arg(frame)
            .arg(durationFrames - 1);
    }
    return {};
}

QString checkStrength(double strength) {
    if (!std::isfinite(strength) || strength < 0.0 || strength > 1.0) {
        return QStringLiteral("strength %1 is outside 0…1").arg(strength);
    }
    return {};
}

QString checkApproachChunks(int chunks) {
    if (chunks < 0 || chunks > kMaxApproachChunks) {
        return QStringLiteral("approach of %1 chunks is outside 0…%2")
            .arg(chunks)
            .arg(kMaxApproachChunks);
    }
    return {};
}

QString checkApproachWeight(double weight) {
    if (!std::isfinite(weight) || weight < 0.0 || weight > 1.0) {
        return QStringLiteral("approach weight %1 is outside 0…1").arg(weight);
    }
    return {};
}

QString checkVaceScale(double scale) {
    if (!std::isfinite(scale) || scale < 0.0 || scale > kMaxVaceScale) {
        return QStringLiteral("VACE scale %1 is outside 0…%2").arg(scale).arg(kMaxVaceScale);
    }
    return {};
}

QString checkApproachSteps(int steps) {
    if (steps < 0 || steps > kMaxApproachSteps) {
        return QStringLiteral("approach over %1 steps is outside 0…%2")
            .arg(steps)
            .arg(kMaxApproachSteps);
    }
    return {};
}

QString checkSeparateLatentFrames(int frame, int otherFrame) {
    const int latent = timeline::latentFrameOfFrame(frame);
    if (frame == otherFrame || latent != timeline::latentFrameOfFrame(otherFrame)) {
        return {};
    }
    return QStringLiteral("frames %1 and %2 both lie in latent frame %3 (video frames %4…%5); "
                          "the model holds one keyframe per latent frame")
        .arg(std::min(frame, otherFrame))
        .arg(std::max(frame, otherFrame))
        .arg(latent)
        .arg(timeline::firstFrameOfLatentFrame(latent))
        .arg(timeline::firstFrameOfLatentFrame(latent) + timeline::framesOfLatentFrame(latent) - 1);
}

QString checkKeyframeLatentFrame(const Project& project, const Keyframe& keyframe) {
    for (const Keyframe& other : project.keyframes) {
        if (other.id == keyframe.id) {
            continue;
        }
        const QString problem = checkSeparateLatentFrames(keyframe.frame, other.frame);
        if (!problem.isEmpty()) {
            return problem;
        }
    }
    return {};
}

QString checkLabel(const QString& label) {
    if (label.size() > kMaxLabelLength) {
        return QStringLiteral("label is longer than %1 characters").arg(kMaxLabelLength);
    }
    return {};
}

QString checkMarkerName(const QString& name) {
    if (name.size() > kMaxMarkerNameLength) {
        return QStringLiteral("marker name is longer than %1 characters").arg(kMaxMarkerNameLength);
    }
    return {};
}

QString checkPromptText(const QString& text) {
    if (text.size() > kMaxTextLength) {
        return QStringLiteral("prompt is longer than %1 characters").arg(kMaxTextLength);
    }
    return {};
}

QString checkAssetPath(const QString& path) {
    if (path.isEmpty()) {
        return QStringLiteral("asset path must not be empty");
    }
    if (path.size() > 1024) {
        return QStringLiteral("asset path is longer than 1024 characters");
    }
    if (path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\\')) ||
        path.contains(QLatin1Char(':')) || path.contains(QChar(0))) {
        return QStringLiteral("asset path \"%1\" must be relative to the assets folder, with '/' "
                              "separators")
            .arg(path);
    }
    for (const QString& part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String("..")) {
            return QStringLiteral("asset path \"%1\" must stay inside the assets folder (no empty, "
                                  "'.' or '..' parts)")
                .arg(path);
        }
    }
    return {};
}

QString checkSize(int pixels) {
    if (pixels < RenderSettings::kMinSize || pixels > RenderSettings::kMaxSize) {
        return QStringLiteral("%1 is outside %2…%3 pixels")
            .arg(pixels)
            .arg(RenderSettings::kMinSize)
            .arg(RenderSettings::kMaxSize);
    }
    if (pixels % RenderSettings::kSizeStep != 0) {
        return QStringLiteral("%1 is not a multiple of %2 pixels")
            .arg(pixels)
            .arg(RenderSettings::kSizeStep);
    }
    return {};
}

QString checkSeed(qint64 seed) {
    if (seed < 0 || seed > RenderSettings::kMaxSeed) {
        return QStringLiteral("seed %1 is outside 0…%2").arg(seed).arg(RenderSettings::kMaxSeed);
    }
    return {};
}

QString checkSteps(const std::vector<int>& steps) {
    if (steps.empty()) {
        return QStringLiteral("the step list must not be empty");
    }
    if (steps.size() > static_cast<size_t>(RenderSettings::kMaxSteps)) {
        return QStringLiteral("more than %1 steps").arg(RenderSettings::kMaxSteps);
    }
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i] < 1 || steps[i] > RenderSettings::kMaxTimestep) {
            return QStringLiteral("step %1 is outside 1…%2")
                .arg(steps[i])
                .arg(RenderSettings::kMaxTimestep);
        }
        if (i > 0 && steps[i] >= steps[i - 1]) {
            return QStringLiteral("steps must decrease strictly (%1 follows %2)")
                .arg(steps[i])
                .arg(steps[i - 1]);
        }
    }
    return {};
}

QString checkAttentionWindow(int window) {
    if (window < 0 || window > RenderSettings::kMaxAttentionWindow) {
        return QStringLiteral("attention window %1 is outside 0…%2 latent frames")
            .arg(window)
            .arg(RenderSettings::kMaxAttentionWindow);
    }
    if (window > 0 && window < timeline::kLatentFramesPerChunk) {
        return QStringLiteral("an attention window of %1 latent frames is shorter than a chunk "
                              "(%2); use 0 for the full context")
            .arg(window)
            .arg(timeline::kLatentFramesPerChunk);
    }
    return {};
}

QString checkSinkFrames(int sinkFrames, int window) {
    if (sinkFrames < 0 || sinkFrames > RenderSettings::kMaxAttentionWindow) {
        return QStringLiteral("sink frames %1 is outside 0…%2")
            .arg(sinkFrames)
            .arg(RenderSettings::kMaxAttentionWindow);
    }
    if (window > 0 && sinkFrames > window - timeline::kLatentFramesPerChunk) {
        return QStringLiteral("%1 sink frames leave no room for a chunk in a window of %2 latent "
                              "frames")
            .arg(sinkFrames)
            .arg(window);
    }
    return {};
}

QString checkDevice(const QString& device) {
    // The inference device policy owns the grammar of device names.
    return QString::fromStdString(inference::deviceNameProblem(device.toStdString()));
}

QString checkPrecision(const QString& precision) {
    if (inference::tryParsePrecision(precision.toStdString())) {
        return {};
    }
    return QStringLiteral("precision \"%1\" is not one of %2")
        .arg(precision, QString::fromLatin1(inference::kPrecisionChoices));
}

QString checkTextEncoderDevice(const QString& device) {
    if (inference::tryParseTextEncoderDevice(device.toStdString())) {
        return {};
    }
    return QStringLiteral("text encoder device \"%1\" is not one of %2")
        .arg(device, QString::fromLatin1(inference::kTextEncoderDeviceChoices));
}

QString checkTakeProgress(TakeStatus status, int chunksCompleted, int durationFrames) {
    const int planned = timeline::chunksForFrames(durationFrames);
    if (status == TakeStatus::Complete && chunksCompleted != planned) {
        return QStringLiteral("a complete take of %1 frames has %2 chunks, not %3")
            .arg(durationFrames)
            .arg(planned)
            .arg(chunksCompleted);
    }
    if (status == TakeStatus::Stopped && (chunksCompleted < 0 || chunksCompleted >= planned)) {
        return QStringLiteral("a stopped take of %1 chunks stops after 0…%2 chunks, not %3")
            .arg(planned)
            .arg(planned - 1)
            .arg(chunksCompleted);
    }
    if (status == TakeStatus::Generating && (chunksCompleted < 0 || chunksCompleted > planned)) {
        return QStringLiteral("a take of %1 chunks being generated has done 0…%1 chunks, not %2")
            .arg(planned)
            .arg(chunksCompleted);
    }
    return {};
}

QString checkTakeLineage(const QString& parentTakeId, int branchChunk, int durationFrames) {
    if (parentTakeId.isEmpty()) {
        return branchChunk == 0 ? QString()
                                : QStringLiteral("branch chunk %1 without a parent take (a take "
                                                 "generated from the start branches at 0)")
                                      .arg(branchChunk);
    }
    if (const QString problem = checkId(parentTakeId); !problem.isEmpty()) {
        return QStringLiteral("parent take id %1").arg(problem);
    }
    const int planned = timeline::chunksForFrames(durationFrames);
    if (branchChunk < 1 || branchChunk >= planned) {
        return QStringLiteral("branch chunk %1 is outside 1…%2 (a take of %3 chunks regenerated "
                              "from its parent keeps at least one chunk and makes at least one)")
            .arg(branchChunk)
            .arg(planned - 1)
            .arg(planned);
    }
    return {};
}

QString checkTakeParent(const Project& project, const Take& take) {
    if (take.parentTakeId.isEmpty()) {
        return {};
    }
    if (take.parentTakeId == take.id) {
        return QStringLiteral("take \"%1\" cannot be its own parent").arg(take.id);
    }
    // Walk up; a chain longer than the takes there are has come back on itself.
    QString parent = take.parentTakeId;
    for (size_t steps = 0; !parent.isEmpty(); ++steps) {
        const Take* p = project.take(parent);
        if (p == nullptr) {
            return QStringLiteral("there is no parent take \"%1\"").arg(parent);
        }
        if (p->id == take.id || steps > project.takes.size()) {
            return QStringLiteral("the parents of take \"%1\" lead back to it").arg(take.id);
        }
        parent = p->parentTakeId;
    }
    return {};
}

QString checkLora(const LoraSetting& lora) {
    if (lora.path.isEmpty()) {
        return QStringLiteral("a LoRA needs a file");
    }
    if (!QDir::isAbsolutePath(lora.path)) {
        return QStringLiteral("the LoRA file \"%1\" must be an absolute path").arg(lora.path);
    }
    if (!std::isfinite(lora.strength) || std::abs(lora.strength) > LoraSetting::kMaxStrength) {
        return QStringLiteral("the strength %1 of LoRA \"%2\" is outside -%3…%3")
            .arg(lora.strength)
            .arg(lora.path)
            .arg(LoraSetting::kMaxStrength);
    }
    return {};
}

QString checkLoras(const std::vector<LoraSetting>& loras) {
    if (loras.size() > static_cast<size_t>(kMaxLoras)) {
        return QStringLiteral("more than %1 LoRAs").arg(kMaxLoras);
    }
    for (const LoraSetting& l : loras) {
        if (const QString problem = checkLora(l); !problem.isEmpty()) {
            return problem;
        }
    }
    return {};
}

FieldProblem checkSettings(const RenderSettings& s) {
    const std::pair<const char*, QString> checks[] = {
        {"width", checkSize(s.width)},
        {"height", checkSize(s.height)},
        {"seed", checkSeed(s.seed)},
        {"steps", checkSteps(s.steps)},
        {"attentionWindow", checkAttentionWindow(s.attentionWindow)},
        {"sinkFrames", checkSinkFrames(s.sinkFrames, s.attentionWindow)},
        {"device", checkDevice(s.device)},
        {"precision", checkPrecision(s.precision)},
        {"textEncoder", checkTextEncoderDevice(s.textEncoderDevice)},
        {"loras", checkLoras(s.loras)},
        {"referenceImage",
         s.referenceImage.isEmpty() ? QString() : checkAssetPath(s.referenceImage)},
        {"referenceScale", checkVaceScale(s.referenceScale)},
    };
    for (const auto& [field, problem] : checks) {
        if (!problem.isEmpty()) {
            return {QString::fromLatin1(field), problem};
        }
    }
    return {};
}

} // namespace rules

} // namespace sfs::core
