#include "sfs/core/project/project_file.h"

#include "sfs/build_config.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/save_file.h"
#include "sfs/core/project/timeline.h"
#include "sfs/inference/latents_file.h"
#include "sfs/version.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <algorithm>
#include <map>
#include <set>

namespace sfs::core {

namespace {

// Thrown inside the parser to unwind to parseProjectJson, which turns it into a FileError.
struct ParseFailure {
    QString pointer;
    QString problem;
};

QString escapePointerToken(const QString& token) {
    QString t = token;
    t.replace(QLatin1Char('~'), QStringLiteral("~0"));
    t.replace(QLatin1Char('/'), QStringLiteral("~1"));
    return t;
}

QString child(const QString& pointer, const QString& key) {
    return pointer + QLatin1Char('/') + escapePointerToken(key);
}
QString child(const QString& pointer, qsizetype index) {
    return pointer + QLatin1Char('/') + QString::number(index);
}

[[noreturn]] void failAt(const QString& pointer, const QString& problem) {
    throw ParseFailure{pointer, problem};
}

void require(const QString& problem, const QString& pointer) {
    if (!problem.isEmpty()) {
        failAt(pointer, problem);
    }
}

// A JSON object being read: typed accessors that fail with the field's pointer, and a record of
// the keys used so that unknown ones can be reported.
class ObjectReader {
public:
    ObjectReader(const QJsonValue& value, QString pointer) : m_pointer(std::move(pointer)) {
        if (!value.isObject()) {
            failAt(m_pointer,
                   QStringLiteral("must be an object, not %1").arg(describeJsonType(value)));
        }
        m_object = value.toObject();
    }

    const QString& pointer() const { return m_pointer; }
    QString at(const QString& key) const { return child(m_pointer, key); }
    bool has(const QString& key) const { return m_object.contains(key); }

    QJsonValue value(const QString& key, bool required = true) {
        m_used.insert(key);
        const QJsonValue v = m_object.value(key);
        if (required && v.isUndefined()) {
            failAt(at(key), QStringLiteral("required field is missing"));
        }
        return v;
    }

    QString string(const QString& key) {
        const QJsonValue v = value(key);
        if (!v.isString()) {
            failAt(at(key), QStringLiteral("must be a string, not %1").arg(describeJsonType(v)));
        }
        return v.toString();
    }
    QString optionalString(const QString& key, const QString& fallback = QString()) {
        return has(key) ? string(key) : (m_used.insert(key), fallback);
    }

    qint64 integer(const QString& key) { return toInteger(value(key), at(key)); }
    qint64 optionalInteger(const QString& key, qint64 fallback) {
        return has(key) ? integer(key) : (m_used.insert(key), fallback);
    }
    int smallInteger(const QString& key) { return toSmallInteger(integer(key), at(key)); }
    int optionalSmallInteger(const QString& key, int fallback) {
        return toSmallInteger(optionalInteger(key, fallback), at(key));
    }

    bool boolean(const QString& key) {
        const QJsonValue v = value(key);
        if (!v.isBool()) {
            failAt(at(key),
                   QStringLiteral("must be true or false, not %1").arg(describeJsonType(v)));
        }
        return v.toBool();
    }

    double number(const QString& key) {
        const QJsonValue v = value(key);
        if (!v.isDouble()) {
            failAt(at(key), QStringLiteral("must be a number, not %1").arg(describeJsonType(v)));
        }
        return v.toDouble();
    }

    QJsonArray array(const QString& key, bool required = true) {
        const QJsonValue v = value(key, required);
        if (!required && v.isUndefined()) {
            return {};
        }
        if (!v.isArray()) {
            failAt(at(key), QStringLiteral("must be an array, not %1").arg(describeJsonType(v)));
        }
        return v.toArray();
    }

    // Keys present in the object but never asked for.
    void reportUnknown(QStringList& warnings, const QString& file) const {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (m_used.count(it.key()) == 0) {
                warnings << QStringLiteral("%1: %2: unknown field ignored")
                                .arg(file, child(m_pointer, it.key()));
            }
        }
    }

    static qint64 toInteger(const QJsonValue& v, const QString& pointer) {
        if (!v.isDouble()) {
            failAt(pointer, QStringLiteral("must be an integer, not %1").arg(describeJsonType(v)));
        }
        // toInteger() gives the fallback for fractions and for numbers outside qint64.
        const qint64 a = v.toInteger(0);
        const qint64 b = v.toInteger(1);
        if (a != b) {
            failAt(pointer, QStringLiteral("must be an integer, not %1").arg(v.toDouble()));
        }
        return a;
    }

private:
    static int toSmallInteger(qint64 v, const QString& pointer) {
        if (v < -1000000000LL || v > 1000000000LL) {
            failAt(pointer, QStringLiteral("%1 is out of range").arg(v));
        }
        return static_cast<int>(v);
    }

    QJsonObject m_object;
    QString m_pointer;
    std::set<QString> m_used;
};

template <typename Enum>
Enum enumField(ObjectReader& r, const QString& key, std::optional<Enum> (*parse)(const QString&),
               const QStringList& names) {
    const QString s = r.string(key);
    const std::optional<Enum> e = parse(s);
    if (!e) {
        failAt(r.at(key),
               QStringLiteral("\"%1\" is not one of %2").arg(s, names.join(QStringLiteral(", "))));
    }
    return *e;
}

QString assetField(ObjectReader& r, const QString& key) {
    const QString path = r.string(key);
    require(rules::checkAssetPath(path), r.at(key));
    return path;
}

// Format 4's optional settings keys: absent, the default (what earlier versions did), so a
// version-3 file reads unchanged; written only when they differ from it.
void readVersion4Settings(ObjectReader& r, RenderSettings& s) {
    if (r.has(QStringLiteral("previewDecoder"))) {
        s.previewDecoder = enumField<PreviewDecoder>(
            r, QStringLiteral("previewDecoder"), previewDecoderFromString, previewDecoderNames());
    }
    s.precision = r.optionalString(QStringLiteral("precision"), s.precision);
    require(rules::checkPrecision(s.precision), r.at(QStringLiteral("precision")));
    s.textEncoderDevice = r.optionalString(QStringLiteral("textEncoder"), s.textEncoderDevice);
    require(rules::checkTextEncoderDevice(s.textEncoderDevice),
            r.at(QStringLiteral("textEncoder")));
}

void writeVersion4Settings(const RenderSettings& s, QJsonObject& o) {
    const RenderSettings defaults;
    if (s.previewDecoder != defaults.previewDecoder) {
        o[QStringLiteral("previewDecoder")] = toString(s.previewDecoder);
    }
    if (s.precision != defaults.precision) {
        o[QStringLiteral("precision")] = s.precision;
    }
    if (s.textEncoderDevice != defaults.textEncoderDevice) {
        o[QStringLiteral("textEncoder")] = s.textEncoderDevice;
    }
}

// Version 4: the LoRAs merged into the DiT (optional; absent = none, what every older file
// meant). Each {"path": absolute file, "strength": number}.
void readLoras(ObjectReader& r, RenderSettings& s, QStringList& warnings, const QString& file) {
    const QString at = r.at(QStringLiteral("loras"));
    const QJsonArray list = r.array(QStringLiteral("loras"), /*required=*/false);
    if (list.size() > rules::kMaxLoras) {
        failAt(at, QStringLiteral("more than %1 LoRAs").arg(rules::kMaxLoras));
    }
    for (qsizetype i = 0; i < list.size(); ++i) {
        ObjectReader l(list.at(i), child(at, i));
        LoraSetting lora;
        lora.path = l.string(QStringLiteral("path"));
        lora.strength =
            l.has(QStringLiteral("strength")) ? l.number(QStringLiteral("strength")) : 1.0;
        require(rules::checkLora(lora), l.pointer());
        l.reportUnknown(warnings, file);
        s.loras.push_back(lora);
    }
}

void writeLoras(const RenderSettings& s, QJsonObject& settings) {
    if (s.loras.empty()) {
        return; // absent: none (readers before version 4 read the file unchanged)
    }
    QJsonArray list;
    for (const LoraSetting& l : s.loras) {
        list.append(QJsonObject{{QStringLiteral("path"), l.path},
                                {QStringLiteral("strength"), l.strength}});
    }
    settings[QStringLiteral("loras")] = list;
}

RenderSettings readSettings(const QJsonValue& value, const QString& pointer, QStringList& warnings,
                            const QString& file) {
    ObjectReader r(value, pointer);
    RenderSettings s;
    s.width = r.smallInteger(QStringLiteral("width"));
    require(rules::checkSize(s.width), r.at(QStringLiteral("width")));
    s.height = r.smallInteger(QStringLiteral("height"));
    require(rules::checkSize(s.height), r.at(QStringLiteral("height")));
    s.seed = r.integer(QStringLiteral("seed"));
    require(rules::checkSeed(s.seed), r.at(QStringLiteral("seed")));
    const QJsonArray steps = r.array(QStringLiteral("steps"));
    s.steps.clear();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString at = child(r.at(QStringLiteral("steps")), i);
        const qint64 t = ObjectReader::toInteger(steps.at(i), at);
        if (t < 1 || t > RenderSettings::kMaxTimestep) {
            failAt(
                at,
                QStringLiteral("step %1 is outside 1…%2").arg(t).arg(RenderSettings::kMaxTimestep));
        }
        s.steps.push_back(static_cast<int>(t));
    }
    require(rules::checkSteps(s.steps), r.at(QStringLiteral("steps")));
    s.decoder = enumField<Decoder>(r, QStringLiteral("decoder"), decoderFromString, decoderNames());
    s.attentionWindow = r.smallInteger(QStringLiteral("attentionWindow"));
    require(rules::checkAttentionWindow(s.attentionWindow),
            r.at(QStringLiteral("attentionWindow")));
    s.sinkFrames = r.smallInteger(QStringLiteral("sinkFrames"));
    require(rules::checkSinkFrames(s.sinkFrames, s.attentionWindow),
            r.at(QStringLiteral("sinkFrames")));
    s.device = r.string(QStringLiteral("device"));
    require(rules::checkDevice(s.device), r.at(QStringLiteral("device")));
    s.modelFolder = r.string(QStringLiteral("modelFolder"));
    readVersion4Settings(r, s);
    readLoras(r, s, warnings, file);
    // Version 4 (VACE), optional: absent is no reference image.
    if (r.has(QStringLiteral("referenceImage"))) {
        s.referenceImage = assetField(r, QStringLiteral("referenceImage"));
    }
    if (r.has(QStringLiteral("referenceScale"))) {
        s.referenceScale = r.number(QStringLiteral("referenceScale"));
        require(rules::checkVaceScale(s.referenceScale), r.at(QStringLiteral("referenceScale")));
    }
    r.reportUnknown(warnings, file);
    return s;
}

QJsonObject settingsToJson(const RenderSettings& s) {
    QJsonArray steps;
    for (int t : s.steps) {
        steps.append(t);
    }
    QJsonObject o{{QStringLiteral("width"), s.width},
                  {QStringLiteral("height"), s.height},
                  {QStringLiteral("seed"), s.seed},
                  {QStringLiteral("steps"), steps},
                  {QStringLiteral("decoder"), toString(s.decoder)},
                  {QStringLiteral("attentionWindow"), s.attentionWindow},
                  {QStringLiteral("sinkFrames"), s.sinkFrames},
                  {QStringLiteral("device"), s.device},
                  {QStringLiteral("modelFolder"), s.modelFolder}};
    writeVersion4Settings(s, o);
    writeLoras(s, o);
    // Version 4 (VACE): written only when set, so a file without them reads as before.
    if (!s.referenceImage.isEmpty()) {
        o[QStringLiteral("referenceImage")] = s.referenceImage;
        o[QStringLiteral("referenceScale")] = s.referenceScale;
    }
    return o;
}

// Reads the frame field `key` of item `index` of a list: on the timeline, and not used by an
// earlier item (`seen` maps frames to items). `taken` says why a repeat is wrong: %1 the frame,
// %2 the earlier item's pointer.
int uniqueFrame(ObjectReader& r, const QString& key, int durationFrames,
                std::map<int, qsizetype>& seen, qsizetype index, const QString& taken) {
    const int frame = r.smallInteger(key);
    require(rules::checkFrame(frame, durationFrames), r.at(key));
    const auto [it, fresh] = seen.emplace(frame, index);
    if (!fresh) {
        QString list = r.pointer();
        list.truncate(list.lastIndexOf(QLatin1Char('/')));
        failAt(r.at(key), taken.arg(frame).arg(child(list, it->second)));
    }
    return frame;
}

// Checks that every item's id is valid and unused by an earlier item of the same list.
template <typename T>
void checkIds(const std::vector<T>& items, const QString& listPointer) {
    std::map<QString, size_t> seen;
    for (size_t i = 0; i < items.size(); ++i) {
        const QString at =
            child(child(listPointer, static_cast<qsizetype>(i)), QStringLiteral("id"));
        require(rules::checkId(items[i].id), at);
        const auto [it, fresh] = seen.emplace(items[i].id, i);
        if (!fresh) {
            failAt(at,
                   QStringLiteral("duplicate id \"%1\" (also used by %2)")
                       .arg(items[i].id, child(listPointer, static_cast<qsizetype>(it->second))));
        }
    }
}

// Every take's parent is a take of the file and no chain of parents loops (the messages of
// rules::checkTakeParent). Linear in the takes: a file may hold thousands.
void checkTakeParents(const std::vector<Take>& takes, const QString& takesAt) {
    const auto parentAt = [&](size_t i) {
        return child(child(takesAt, static_cast<qsizetype>(i)), QStringLiteral("parent"));
    };
    std::map<QString, size_t> index;
    for (size_t i = 0; i < takes.size(); ++i) {
        index.emplace(takes[i].id, i);
    }
    for (size_t i = 0; i < takes.size(); ++i) {
        const Take& t = takes[i];
        if (t.parentTakeId == t.id) {
            failAt(parentAt(i), QStringLiteral("take \"%1\" cannot be its own parent").arg(t.id));
        }
        if (t.isBranch() && index.count(t.parentTakeId) == 0) {
            failAt(parentAt(i),
                   QStringLiteral("there is no parent take \"%1\"").arg(t.parentTakeId));
        }
    }
    enum : char { kUnseen, kOnThisWalk, kReachesARoot };
    std::vector<char> state(takes.size(), kUnseen);
    for (size_t i = 0; i < takes.size(); ++i) {
        std::vector<size_t> walk;
        size_t j = i;
        while (state[j] == kUnseen) {
            state[j] = kOnThisWalk;
            walk.push_back(j);
            if (!takes[j].isBranch()) {
                break;
            }
            j = index.at(takes[j].parentTakeId);
        }
        if (state[j] == kOnThisWalk && takes[j].isBranch() && j != walk.back()) {
            failAt(parentAt(j),
                   QStringLiteral("the parents of take \"%1\" lead back to it").arg(takes[j].id));
        }
        for (size_t k : walk) {
            state[k] = kReachesARoot;
        }
    }
}

// ---- Upgrades. Each step turns version N - 1 into version N; older files run every step. ----

// Version 0 (the first prototype) kept everything at the top level: "frames", "resolution":
// [w, h], "seed", "steps", "decoder"; keyframes had no ids and a "weight" in percent; prompts
// were {"frame", "prompt"}; there were no takes and no fit modes (everything was cropped).
QJsonObject upgrade0To1(const QJsonObject& v0, const QString& prefix) {
    ObjectReader r(v0, prefix);
    QJsonObject v1;
    v1[QStringLiteral("format")] = QString::fromLatin1(kProjectFormatName);
    v1[QStringLiteral("durationFrames")] = r.value(QStringLiteral("frames"));

    const QJsonArray resolution = r.array(QStringLiteral("resolution"));
    if (resolution.size() != 2) {
        failAt(r.at(QStringLiteral("resolution")),
               QStringLiteral("must be [width, height], not %1 numbers").arg(resolution.size()));
    }
    QJsonObject settings{{QStringLiteral("width"), resolution.at(0)},
                         {QStringLiteral("height"), resolution.at(1)},
                         {QStringLiteral("seed"), r.value(QStringLiteral("seed"))},
                         {QStringLiteral("steps"), r.value(QStringLiteral("steps"))},
                         {QStringLiteral("decoder"), r.value(QStringLiteral("decoder"))},
                         {QStringLiteral("attentionWindow"), 0},
                         {QStringLiteral("sinkFrames"), 0},
                         {QStringLiteral("device"), QStringLiteral("auto")},
                         {QStringLiteral("modelFolder"), QString()}};
    v1[QStringLiteral("settings")] = settings;

    QJsonArray keyframes;
    const QJsonArray oldKeyframes = r.array(QStringLiteral("keyframes"));
    for (qsizetype i = 0; i < oldKeyframes.size(); ++i) {
        ObjectReader k(oldKeyframes.at(i), child(r.at(QStringLiteral("keyframes")), i));
        keyframes.append(
            QJsonObject{{QStringLiteral("id"), QStringLiteral("k%1").arg(i + 1)},
                        {QStringLiteral("frame"), k.value(QStringLiteral("frame"))},
                        {QStringLiteral("image"), k.value(QStringLiteral("image"))},
                        {QStringLiteral("strength"), k.number(QStringLiteral("weight")) / 100.0},
                        {QStringLiteral("fit"), toString(FitMode::Cover)}});
    }
    v1[QStringLiteral("keyframes")] = keyframes;

    QJsonArray prompts;
    const QJsonArray oldPrompts = r.array(QStringLiteral("prompts"));
    for (qsizetype i = 0; i < oldPrompts.size(); ++i) {
        ObjectReader p(oldPrompts.at(i), child(r.at(QStringLiteral("prompts")), i));
        prompts.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("p%1").arg(i + 1)},
                                   {QStringLiteral("start"), p.value(QStringLiteral("frame"))},
                                   {QStringLiteral("text"), p.value(QStringLiteral("prompt"))}});
    }
    v1[QStringLiteral("prompts")] = prompts;
    v1[QStringLiteral("takes")] = QJsonArray();
    v1[QStringLiteral("version")] = 1;
    return v1;
}

// Version 1 had no per-keyframe approach settings; version 2 adds them with the defaults a
// keyframe without them has always meant (Keyframe's defaults).
QJsonObject upgrade1To2(const QJsonObject& v1, const QString& prefix) {
    ObjectReader r(v1, prefix);
    QJsonObject v2 = v1;
    QJsonArray keyframes = r.array(QStringLiteral("keyframes"));
    const Keyframe defaults;
    for (qsizetype i = 0; i < keyframes.size(); ++i) {
        // Refuses a keyframe that is not an object, naming it, as the reader would.
        ObjectReader(keyframes.at(i), child(r.at(QStringLiteral("keyframes")), i));
        QJsonObject o = keyframes.at(i).toObject();
        o[QStringLiteral("approachChunks")] = defaults.approachChunks;
        o[QStringLiteral("approachWeight")] = defaults.approachWeight;
        o[QStringLiteral("approachSteps")] = defaults.approachSteps;
        keyframes[i] = o;
    }
    v2[QStringLiteral("keyframes")] = keyframes;
    v2[QStringLiteral("version")] = 2;
    return v2;
}

// Version 2 had no markers and no take lineage; version 3 adds the (then required) marker list,
// empty. Every version-2 take was generated from the start: a root take, which needs no keys.
QJsonObject upgrade2To3(const QJsonObject& v2) {
    QJsonObject v3 = v2;
    v3[QStringLiteral("markers")] = QJsonArray();
    v3[QStringLiteral("version")] = 3;
    return v3;
}

// The current version's reader. Items keep the file's order here (so that asset errors can
// name /keyframes/N); sortProject() puts them in timeline order afterwards.
Project readProject(const QJsonObject& json, const QString& prefix, QStringList& warnings,
                    const QString& file) {
    ObjectReader r(json, prefix);
    r.value(QStringLiteral("format"));
    r.value(QStringLiteral("version"));
    r.optionalString(QStringLiteral("generator"));
    Project p;
    p.durationFrames = r.smallInteger(QStringLiteral("durationFrames"));
    require(rules::checkDuration(p.durationFrames), r.at(QStringLiteral("durationFrames")));
    const qint64 fps = r.optionalInteger(QStringLiteral("fps"), timeline::kFps);
    if (fps != timeline::kFps) {
        failAt(r.at(QStringLiteral("fps")),
               QStringLiteral("%1 fps is not supported; the model runs at %2 fps")
                   .arg(fps)
                   .arg(timeline::kFps));
    }
    p.settings = readSettings(r.value(QStringLiteral("settings")), r.at(QStringLiteral("settings")),
                              warnings, file);

    const QString keyframesAt = r.at(QStringLiteral("keyframes"));
    const QJsonArray keyframes = r.array(QStringLiteral("keyframes"));
    if (keyframes.size() > rules::kMaxKeyframes) {
        failAt(keyframesAt, QStringLiteral("more than %1 keyframes").arg(rules::kMaxKeyframes));
    }
    std::map<int, qsizetype> keyframeAtFrame;
    std::map<int, qsizetype> keyframeInLatentFrame;
    for (qsizetype i = 0; i < keyframes.size(); ++i) {
        ObjectReader k(keyframes.at(i), child(keyframesAt, i));
        Keyframe kf;
        kf.id = k.string(QStringLiteral("id"));
        kf.frame = uniqueFrame(k, QStringLiteral("frame"), p.durationFrames, keyframeAtFrame, i,
                               QStringLiteral("frame %1 already has a keyframe (%2)"));
        const auto [sameLatent, isFirst] =
            keyframeInLatentFrame.emplace(timeline::latentFrameOfFrame(kf.frame), i);
        if (!isFirst) {
            const int otherFrame =
                keyframes.at(sameLatent->second).toObject().value(QStringLiteral("frame")).toInt();
            failAt(k.at(QStringLiteral("frame")),
                   QStringLiteral("%1 (%2)").arg(
                       rules::checkSeparateLatentFrames(kf.frame, otherFrame),
                       child(keyframesAt, sameLatent->second)));
        }
        kf.image = assetField(k, QStringLiteral("image"));
        kf.sourceName = k.optionalString(QStringLiteral("source"));
        kf.strength = k.number(QStringLiteral("strength"));
        require(rules::checkStrength(kf.strength), k.at(QStringLiteral("strength")));
        kf.fit = enumField<FitMode>(k, QStringLiteral("fit"), fitModeFromString, fitModeNames());
        kf.label = k.optionalString(QStringLiteral("label"));
        require(rules::checkLabel(kf.label), k.at(QStringLiteral("label")));
        kf.approachChunks = k.smallInteger(QStringLiteral("approachChunks"));
        require(rules::checkApproachChunks(kf.approachChunks),
                k.at(QStringLiteral("approachChunks")));
        kf.approachWeight = k.number(QStringLiteral("approachWeight"));
        require(rules::checkApproachWeight(kf.approachWeight),
                k.at(QStringLiteral("approachWeight")));
        kf.approachSteps = k.smallInteger(QStringLiteral("approachSteps"));
        require(rules::checkApproachSteps(kf.approachSteps), k.at(QStringLiteral("approachSteps")));
        // Optional within version 2 (added after it): absent is the landing every file meant.
        if (k.has(QStringLiteral("start"))) {
            kf.start = enumField<StartMode>(k, QStringLiteral("start"), startModeFromString,
                                            startModeNames());
        }
        // Version 4 (VACE), optional: absent is the training-free keyframe alone.
        if (k.has(QStringLiteral("vace"))) {
            kf.vace = k.boolean(QStringLiteral("vace"));
        }
        if (k.has(QStringLiteral("vaceScale"))) {
            kf.vaceScale = k.number(QStringLiteral("vaceScale"));
            require(rules::checkVaceScale(kf.vaceScale), k.at(QStringLiteral("vaceScale")));
        }
        k.reportUnknown(warnings, file);
        p.keyframes.push_back(kf);
    }
    checkIds(p.keyframes, keyframesAt);

    const QString promptsAt = r.at(QStringLiteral("prompts"));
    const QJsonArray prompts = r.array(QStringLiteral("prompts"));
    std::map<int, qsizetype> promptAtFrame;
    for (qsizetype i = 0; i < prompts.size(); ++i) {
        ObjectReader s(prompts.at(i), child(promptsAt, i));
        PromptSegment seg;
        seg.id = s.string(QStringLiteral("id"));
        seg.startFrame =
            uniqueFrame(s, QStringLiteral("start"), p.durationFrames, promptAtFrame, i,
                        QStringLiteral("a prompt segment already starts at frame %1 (%2)"));
        seg.text = s.string(QStringLiteral("text"));
        require(rules::checkPromptText(seg.text), s.at(QStringLiteral("text")));
        s.reportUnknown(warnings, file);
        p.prompts.push_back(seg);
    }
    if (prompts.size() > p.durationFrames) {
        failAt(promptsAt, QStringLiteral("more prompt segments than frames"));
    }
    if (promptAtFrame.count(0) == 0) {
        failAt(promptsAt, QStringLiteral("no prompt segment starts at frame 0 (segments must cover "
                                         "the whole timeline)"));
    }
    checkIds(p.prompts, promptsAt);

    const QString takesAt = r.at(QStringLiteral("takes"));
    const QJsonArray takes = r.array(QStringLiteral("takes"), false);
    if (takes.size() > rules::kMaxTakes) {
        failAt(takesAt, QStringLiteral("more than %1 takes").arg(rules::kMaxTakes));
    }
    for (qsizetype i = 0; i < takes.size(); ++i) {
        ObjectReader t(takes.at(i), child(takesAt, i));
        Take take;
        take.id = t.string(QStringLiteral("id"));
        const QString created = t.string(QStringLiteral("created"));
        take.created = QDateTime::fromString(created, Qt::ISODateWithMs);
        if (!take.created.isValid()) {
            failAt(t.at(QStringLiteral("created")),
                   QStringLiteral("\"%1\" is not an ISO 8601 date and time").arg(created));
        }
        take.created = take.created.toUTC();
        take.settings = readSettings(t.value(QStringLiteral("settings")),
                                     t.at(QStringLiteral("settings")), warnings, file);
        take.durationFrames = t.smallInteger(QStringLiteral("durationFrames"));
        require(rules::checkDuration(take.durationFrames), t.at(QStringLiteral("durationFrames")));
        take.status =
            enumField<TakeStatus>(t, QStringLiteral("status"), takeStatusFromString,
                                  {toString(TakeStatus::Complete), toString(TakeStatus::Stopped),
                                   toString(TakeStatus::Generating)});
        take.chunksCompleted = t.smallInteger(QStringLiteral("chunksCompleted"));
        require(rules::checkTakeProgress(take.status, take.chunksCompleted, take.durationFrames),
                t.at(QStringLiteral("chunksCompleted")));
        if (t.has(QStringLiteral("latents"))) {
            take.latentsPath = assetField(t, QStringLiteral("latents"));
        }
        if (t.has(QStringLiteral("frames"))) {
            take.framesPath = assetField(t, QStringLiteral("frames"));
        }
        if (t.has(QStringLiteral("parent"))) {
            take.parentTakeId = t.string(QStringLiteral("parent"));
            require(rules::checkId(take.parentTakeId), t.at(QStringLiteral("parent")));
            take.branchChunk = t.smallInteger(QStringLiteral("branchChunk"));
        } else {
            take.branchChunk = t.optionalSmallInteger(QStringLiteral("branchChunk"), 0);
        }
        require(rules::checkTakeLineage(take.parentTakeId, take.branchChunk, take.durationFrames),
                t.at(QStringLiteral("branchChunk")));
        t.reportUnknown(warnings, file);
        p.takes.push_back(take);
    }
    checkIds(p.takes, takesAt);
    checkTakeParents(p.takes, takesAt); // once every take is known: any order is fine

    const QString markersAt = r.at(QStringLiteral("markers"));
    const QJsonArray markers = r.array(QStringLiteral("markers"));
    if (markers.size() > rules::kMaxMarkers) {
        failAt(markersAt, QStringLiteral("more than %1 markers").arg(rules::kMaxMarkers));
    }
    std::map<int, qsizetype> markerAtFrame;
    for (qsizetype i = 0; i < markers.size(); ++i) {
        ObjectReader m(markers.at(i), child(markersAt, i));
        Marker marker;
        marker.id = m.string(QStringLiteral("id"));
        marker.frame = uniqueFrame(m, QStringLiteral("frame"), p.durationFrames, markerAtFrame, i,
                                   QStringLiteral("frame %1 already has a marker (%2)"));
        marker.name = m.optionalString(QStringLiteral("name"));
        require(rules::checkMarkerName(marker.name), m.at(QStringLiteral("name")));
        m.reportUnknown(warnings, file);
        p.markers.push_back(marker);
    }
    checkIds(p.markers, markersAt);
    r.reportUnknown(warnings, file);
    return p;
}

void sortProject(Project& p) {
    std::stable_sort(p.keyframes.begin(), p.keyframes.end(),
                     [](const Keyframe& a, const Keyframe& b) { return a.frame < b.frame; });
    std::stable_sort(
        p.prompts.begin(), p.prompts.end(),
        [](const PromptSegment& a, const PromptSegment& b) { return a.startFrame < b.startFrame; });
    std::stable_sort(p.markers.begin(), p.markers.end(),
                     [](const Marker& a, const Marker& b) { return a.frame < b.frame; });
}

// Parses, upgrades and reads; items stay in file order.
bool parseUnsorted(const QJsonObject& root, const QString& file, const QString& prefix,
                   LoadedProject& out, FileError& error) {
    try {
        ObjectReader r(root, prefix);
        const QJsonValue format = r.value(QStringLiteral("format"));
        if (format != QJsonValue(QString::fromLatin1(kProjectFormatName))) {
            failAt(r.at(QStringLiteral("format")),
                   QStringLiteral("this is not an sfstudio project (format %1, expected \"%2\")")
                       .arg(format.isString()
                                ? QLatin1Char('"') + format.toString() + QLatin1Char('"')
                                : describeJsonType(format),
                            QString::fromLatin1(kProjectFormatName)));
        }
        const qint64 version = ObjectReader::toInteger(r.value(QStringLiteral("version")),
                                                       r.at(QStringLiteral("version")));
        if (version > kProjectFormatVersion) {
            failAt(
                r.at(QStringLiteral("version")),
                QStringLiteral("the file is format version %1, written by a newer sfstudio; this "
                               "sfstudio (%2) reads versions up to %3")
                    .arg(version)
                    .arg(QStringLiteral(SFS_VERSION_STRING))
                    .arg(kProjectFormatVersion));
        }
        if (version < 0) {
            failAt(r.at(QStringLiteral("version")),
                   QStringLiteral("version %1 is negative").arg(version));
        }
        QJsonObject json = root;
        if (version < 1) {
            json = upgrade0To1(json, prefix);
        }
        if (version < 2) {
            json = upgrade1To2(json, prefix);
        }
        if (version < 3) {
            json = upgrade2To3(json);
        }
        // Version 4 only adds optional keys (readVersion4Settings): 3 -> 4 is the identity.
        LoadedProject loaded;
        loaded.fileVersion = static_cast<int>(version);
        // Warnings about unknown fields only make sense for the current layout.
        QStringList warnings;
        loaded.project = readProject(json, prefix, warnings, file);
        if (version == kProjectFormatVersion) {
            loaded.warnings = warnings;
        }
        out = std::move(loaded);
        return true;
    } catch (const ParseFailure& f) {
        error = FileError{file, f.pointer, f.problem};
        return false;
    }
}

bool readJsonFile(const QString& path, QByteArray& bytes, FileError& error) {
    const QFileInfo info(path);
    if (!info.exists()) {
        error = FileError{path, QString(), QStringLiteral("no such file")};
        return false;
    }
    if (!info.isFile()) {
        error = FileError{path, QString(), QStringLiteral("not a file")};
        return false;
    }
    if (info.size() > kMaxProjectFileBytes) {
        error = FileError{path, QString(),
                          QStringLiteral("the file is larger than %1 MB; not a project")
                              .arg(kMaxProjectFileBytes >> 20)};
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = FileError{path, QString(), QStringLiteral("cannot open: ") + file.errorString()};
        return false;
    }
    bytes = file.read(kMaxProjectFileBytes + 1);
    return true;
}

bool parseRoot(const QByteArray& json, const QString& file, QJsonObject& root, FileError& error) {
    if (json.trimmed().isEmpty()) {
        error = FileError{file, QString(), QStringLiteral("the file is empty")};
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray head = json.left(parseError.offset);
        const qsizetype line = head.count('\n') + 1;
        const qsizetype column = parseError.offset - (head.lastIndexOf('\n') + 1) + 1;
        error = FileError{file, QString(),
                          QStringLiteral("malformed JSON at line %1, column %2: %3")
                              .arg(line)
                              .arg(column)
                              .arg(parseError.errorString())};
        return false;
    }
    if (!doc.isObject()) {
        error = FileError{file, QString(), QStringLiteral("the top level must be a JSON object")};
        return false;
    }
    root = doc.object();
    return true;
}

} // namespace

QString describeJsonType(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

QString projectNameFor(const QString& projectPath) {
    QString name = QFileInfo(projectPath).fileName();
    const QString suffix = QLatin1Char('.') + QString::fromLatin1(kProjectSuffix);
    if (name.endsWith(suffix, Qt::CaseInsensitive)) {
        name.chop(suffix.size());
    }
    return name;
}

QString withProjectSuffix(const QString& path) {
    const QString suffix = QLatin1Char('.') + QString::fromLatin1(kProjectSuffix);
    return path.endsWith(suffix, Qt::CaseInsensitive) ? path : path + suffix;
}

bool parseProjectJson(const QJsonObject& root, const QString& fileForMessages,
                      const QString& pointerPrefix, LoadedProject& out, FileError& error) {
    LoadedProject loaded;
    if (!parseUnsorted(root, fileForMessages, pointerPrefix, loaded, error)) {
        return false;
    }
    sortProject(loaded.project);
    out = std::move(loaded);
    return true;
}

bool parseProject(const QByteArray& json, const QString& fileForMessages, LoadedProject& out,
                  FileError& error) {
    QJsonObject root;
    return parseRoot(json, fileForMessages, root, error) &&
           parseProjectJson(root, fileForMessages, QString(), out, error);
}

bool checkAssets(const Project& project, const QString& assetsDir, const QString& file,
                 const LoadOptions& options, QStringList& warnings, FileError& error) {
    if (options.assets == AssetCheck::None) {
        return true;
    }
    const QDir dir(assetsDir);
    auto missing = [&](const QString& pointer, const QString& path, bool folderAllowed) {
        const QFileInfo info(dir.filePath(path));
        if (info.isFile() || (folderAllowed && info.isDir())) {
            return false;
        }
        error = FileError{file, pointer,
                          QStringLiteral("asset \"%1\" is missing (looked for %2)")
                              .arg(path, QDir::toNativeSeparators(info.absoluteFilePath()))};
        return true;
    };
    QSet<QString> decoded;
    for (size_t i = 0; i < project.keyframes.size(); ++i) {
        const Keyframe& k = project.keyframes[i];
        const QString at = QStringLiteral("/keyframes/%1/image").arg(i);
        if (missing(at, k.image, false)) {
            return false;
        }
        const QString path = dir.filePath(k.image);
        if (options.assets == AssetCheck::Decode && imageSupportAvailable() &&
            !decoded.contains(k.image)) {
            decoded.insert(k.image); // keyframes often share an image
            QString problem;
            if (readImageFile(path, &problem, ImageFormats::Importable).isNull()) {
                error = FileError{
                    file, at,
                    QStringLiteral("image \"%1\" cannot be used: %2")
                        .arg(k.image, problem.replace(path + QStringLiteral(": "), QString()))};
                return false;
            }
        }
        const QString baseName = QFileInfo(k.image).completeBaseName();
        if (options.verifyHashes && baseName.size() == 32) {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly) && contentHash(f.readAll()) != baseName) {
                warnings << QStringLiteral("%1: %2: the content of \"%3\" does not match its "
                                           "content-hashed name")
                                .arg(file, at, k.image);
            }
        }
    }
    for (size_t i = 0; i < project.takes.size(); ++i) {
        const Take& t = project.takes[i];
        if (!t.latentsPath.isEmpty() &&
            missing(QStringLiteral("/takes/%1/latents").arg(i), t.latentsPath, true)) {
            return false;
        }
        if (!t.framesPath.isEmpty() &&
            missing(QStringLiteral("/takes/%1/frames").arg(i), t.framesPath, true)) {
            return false;
        }
    }
    return true;
}

void settleInterruptedTakes(Project& project, const QString& assetsDir, const QString& file,
                            QStringList& warnings) {
    const QDir dir(assetsDir);
    for (Take& take : project.takes) {
        if (take.status != TakeStatus::Generating) {
            continue;
        }
        const int recorded = take.chunksCompleted;
        QStringList dropped;
        int framesOnDisk = 0;
        if (!take.framesPath.isEmpty()) {
            const QFileInfo frames(dir.filePath(take.framesPath));
            if (frames.isDir()) {
                QString ignored;
                framesOnDisk = int(listFrameFiles(frames.filePath(), &ignored).size());
            } else if (frames.isFile()) {
                framesOnDisk = take.framesCompleted(); // a video file: written whole or not at all
            } else {
                dropped << take.framesPath;
                take.framesPath.clear();
            }
        }
        // The recorder writes a chunk's frames before it counts the chunk; whole chunks only.
        int chunksOnDisk = 0;
        while (chunksOnDisk < take.chunksCompleted &&
               timeline::framesForChunks(chunksOnDisk + 1) <= framesOnDisk) {
            ++chunksOnDisk;
        }
        const QFileInfo latents(dir.filePath(take.latentsPath));
        if (!take.latentsPath.isEmpty() && latents.isDir()) {
            // A chunk folder (latents_file.h): a chunk counts once its latents are there too.
            int latentChunks = 0;
            while (latentChunks < chunksOnDisk &&
                   QFileInfo::exists(QString::fromStdString(inference::TakeLatentsWriter::chunkPath(
                       latents.filePath().toStdString(), latentChunks)))) {
                ++latentChunks;
            }
            chunksOnDisk = latentChunks;
        } else if (!take.latentsPath.isEmpty() && !latents.isFile()) {
            dropped << take.latentsPath;
            take.latentsPath.clear();
        }
        take.chunksCompleted = chunksOnDisk;
        take = settledTake(take);
        QString warning = QStringLiteral("%1: take %2 was still being generated when its program "
                                         "ended; it is kept as %3 after %4 of %5 chunks")
                              .arg(file, take.id, toString(take.status))
                              .arg(take.chunksCompleted)
                              .arg(take.chunksPlanned());
        if (take.chunksCompleted < recorded) {
            warning += QStringLiteral(" (the file counted %1; the frames on disk hold %2)")
                           .arg(recorded)
                           .arg(take.chunksCompleted);
        }
        if (!dropped.isEmpty()) {
            warning +=
                QStringLiteral("; never written: %1").arg(dropped.join(QStringLiteral(", ")));
        }
        warnings << warning;
    }
}

bool loadProject(const QString& path, const LoadOptions& options, LoadedProject& out,
                 FileError& error, const QString& assetsDir) {
    const QString file = QFileInfo(path).absoluteFilePath();
    const QString assets = assetsDir.isEmpty() ? assetsDirFor(file) : assetsDir;
    QByteArray bytes;
    QJsonObject root;
    LoadedProject loaded;
    if (!readJsonFile(file, bytes, error) || !parseRoot(bytes, file, root, error) ||
        !parseUnsorted(root, file, QString(), loaded, error)) {
        return false;
    }
    settleInterruptedTakes(loaded.project, assets, file, loaded.warnings);
    if (!checkAssets(loaded.project, assets, file, options, loaded.warnings, error)) {
        return false;
    }
    sortProject(loaded.project);
    out = std::move(loaded);
    return true;
}

QJsonObject projectToJson(const Project& p) {
    QJsonArray keyframes;
    for (const Keyframe& k : p.keyframes) {
        QJsonObject o{{QStringLiteral("id"), k.id},
                      {QStringLiteral("frame"), k.frame},
                      {QStringLiteral("image"), k.image},
                      {QStringLiteral("strength"), k.strength},
                      {QStringLiteral("fit"), toString(k.fit)},
                      {QStringLiteral("approachChunks"), k.approachChunks},
                      {QStringLiteral("approachWeight"), k.approachWeight},
                      {QStringLiteral("approachSteps"), k.approachSteps}};
        if (!k.sourceName.isEmpty()) {
            o[QStringLiteral("source")] = k.sourceName;
        }
        if (!k.label.isEmpty()) {
            o[QStringLiteral("label")] = k.label;
        }
        if (k.start != StartMode::Land) {
            o[QStringLiteral("start")] = toString(k.start); // absent: land (readers before it)
        }
        if (k.vace || k.vaceScale != 1.0) { // version 4 (VACE): absent is off, scale 1
            o[QStringLiteral("vace")] = k.vace;
            o[QStringLiteral("vaceScale")] = k.vaceScale;
        }
        keyframes.append(o);
    }
    QJsonArray prompts;
    for (const PromptSegment& s : p.prompts) {
        prompts.append(QJsonObject{{QStringLiteral("id"), s.id},
                                   {QStringLiteral("start"), s.startFrame},
                                   {QStringLiteral("text"), s.text}});
    }
    QJsonArray takes;
    for (const Take& t : p.takes) {
        QJsonObject o{{QStringLiteral("id"), t.id},
                      {QStringLiteral("created"), t.created.toUTC().toString(Qt::ISODateWithMs)},
                      {QStringLiteral("settings"), settingsToJson(t.settings)},
                      {QStringLiteral("durationFrames"), t.durationFrames},
                      {QStringLiteral("status"), toString(t.status)},
                      {QStringLiteral("chunksCompleted"), t.chunksCompleted}};
        if (!t.latentsPath.isEmpty()) {
            o[QStringLiteral("latents")] = t.latentsPath;
        }
        if (!t.framesPath.isEmpty()) {
            o[QStringLiteral("frames")] = t.framesPath;
        }
        if (t.isBranch()) {
            o[QStringLiteral("parent")] = t.parentTakeId;
            o[QStringLiteral("branchChunk")] = t.branchChunk;
        }
        takes.append(o);
    }
    QJsonArray markers;
    for (const Marker& m : p.markers) {
        QJsonObject o{{QStringLiteral("id"), m.id}, {QStringLiteral("frame"), m.frame}};
        if (!m.name.isEmpty()) {
            o[QStringLiteral("name")] = m.name;
        }
        markers.append(o);
    }
    return QJsonObject{
        {QStringLiteral("format"), QString::fromLatin1(kProjectFormatName)},
        {QStringLiteral("version"), kProjectFormatVersion},
        {QStringLiteral("generator"), QStringLiteral("sfstudio " SFS_VERSION_STRING)},
        {QStringLiteral("fps"), timeline::kFps},
        {QStringLiteral("durationFrames"), p.durationFrames},
        {QStringLiteral("settings"), settingsToJson(p.settings)},
        {QStringLiteral("keyframes"), keyframes},
        {QStringLiteral("prompts"), prompts},
        {QStringLiteral("takes"), takes},
        {QStringLiteral("markers"), markers}};
}

QByteArray serializeProject(const Project& project) {
    return QJsonDocument(projectToJson(project)).toJson(QJsonDocument::Indented);
}

bool writeProjectFile(const Project& project, const QString& path, FileError& error) {
    if (const QString why = saveFileAtomically(path, serializeProject(project)); !why.isEmpty()) {
        error = FileError{path, QString(), QStringLiteral("cannot save: ") + why};
        return false;
    }
    return true;
}

} // namespace sfs::core
