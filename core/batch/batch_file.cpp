#include "sfs/core/batch/batch_file.h"

#include "sfs/core/media/export_job.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/timeline.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace sfs::core {

namespace {

// Thrown inside the parser; parseBatch turns it into a FileError.
struct Refusal {
    QString pointer;
    QString problem;
};

[[noreturn]] void refuse(const QString& pointer, const QString& problem) {
    throw Refusal{pointer, problem};
}

const QStringList& topLevelKeys() {
    static const QStringList keys{QStringLiteral("format"), QStringLiteral("version"),
                                  QStringLiteral("output"), QStringLiteral("items")};
    return keys;
}

// Every field an entry may have. A new render setting for items is added here, in readEntry()
// and in renderOverridesFor() (batch_render.cpp).
const QStringList& entryKeys() {
    static const QStringList keys{QStringLiteral("project"), QStringLiteral("seed"),
                                  QStringLiteral("seeds"),   QStringLiteral("frames"),
                                  QStringLiteral("model"),   QStringLiteral("decoder"),
                                  QStringLiteral("size")};
    return keys;
}

const QStringList& placeholders() {
    static const QStringList names{QStringLiteral("{project}"), QStringLiteral("{seed}"),
                                   QStringLiteral("{item}")};
    return names;
}

void refuseUnknownKeys(const QJsonObject& object, const QStringList& known,
                       const QString& pointer) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key())) {
            refuse(
                pointer + QLatin1Char('/') + it.key(),
                QStringLiteral("unknown field (known: %1)").arg(known.join(QStringLiteral(", "))));
        }
    }
}

// A JSON number that is an integer exactly (seeds stay below 2^53, where doubles are exact).
qint64 integerAt(const QJsonValue& v, const QString& pointer) {
    const double d = v.toDouble();
    if (!v.isDouble() || !std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e15) {
        refuse(pointer, QStringLiteral("must be an integer, not %1")
                            .arg(v.isDouble() ? QString::number(d) : describeJsonType(v)));
    }
    return static_cast<qint64>(d);
}

QString stringAt(const QJsonValue& v, const QString& pointer) {
    if (!v.isString()) {
        refuse(pointer, QStringLiteral("must be a string, not %1").arg(describeJsonType(v)));
    }
    return v.toString();
}

qint64 seedAt(const QJsonValue& v, const QString& pointer) {
    const qint64 seed = integerAt(v, pointer);
    if (const QString problem = rules::checkSeed(seed); !problem.isEmpty()) {
        refuse(pointer, problem);
    }
    return seed;
}

// "WxH", each a size the project allows (a multiple of 16 from 64 to 4096).
void readSize(const QJsonValue& v, const QString& pointer, BatchItem& item) {
    const QString text = stringAt(v, pointer);
    static const QRegularExpression form(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$"));
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch()) {
        refuse(pointer,
               QStringLiteral("\"%1\" is not a size WIDTHxHEIGHT (e.g. \"832x480\")").arg(text));
    }
    const int width = m.captured(1).toInt();
    const int height = m.captured(2).toInt();
    for (const int pixels : {width, height}) {
        if (const QString problem = rules::checkSize(pixels); !problem.isEmpty()) {
            refuse(pointer, QStringLiteral("\"%1\": %2").arg(text, problem));
        }
    }
    item.width = width;
    item.height = height;
}

// The settings of one entry (everything but its seeds), paths made absolute from `folder`.
BatchItem readEntry(const QJsonObject& entry, const QString& pointer, const QDir& folder) {
    refuseUnknownKeys(entry, entryKeys(), pointer);
    BatchItem item;
    item.entry = pointer;
    const auto at = [&](const char* key) {
        return pointer + QLatin1Char('/') + QLatin1String(key);
    };
    if (!entry.contains(QStringLiteral("project"))) {
        refuse(at("project"), QStringLiteral("required field is missing (the project file, "
                                             "relative to the batch file)"));
    }
    const QString project = stringAt(entry.value(QStringLiteral("project")), at("project"));
    if (project.trimmed().isEmpty()) {
        refuse(at("project"), QStringLiteral("is empty"));
    }
    item.project = QDir::cleanPath(folder.absoluteFilePath(project));
    if (entry.contains(QStringLiteral("frames"))) {
        const qint64 frames = integerAt(entry.value(QStringLiteral("frames")), at("frames"));
        if (frames < 1 || frames > 1000000 || !timeline::isValidDuration(int(frames))) {
            refuse(at("frames"),
                   QStringLiteral("%1 is not a whole number of chunks (12n - 3 frames: 9, 21, 33, "
                                  "…)")
                       .arg(frames));
        }
        item.frames = int(frames);
    }
    if (entry.contains(QStringLiteral("model"))) {
        const QString model = stringAt(entry.value(QStringLiteral("model")), at("model"));
        if (model.trimmed().isEmpty()) {
            refuse(at("model"), QStringLiteral("is empty (\"demo\" or a model folder)"));
        }
        item.model = model == QLatin1String("demo")
                         ? model
                         : QDir::cleanPath(folder.absoluteFilePath(model));
    }
    if (entry.contains(QStringLiteral("decoder"))) {
        const QString name = stringAt(entry.value(QStringLiteral("decoder")), at("decoder"));
        item.decoder = decoderFromString(name);
        if (!item.decoder) {
            refuse(at("decoder"),
                   QStringLiteral("\"%1\" is not a decoder (wan-vae or taehv)").arg(name));
        }
    }
    if (entry.contains(QStringLiteral("size"))) {
        readSize(entry.value(QStringLiteral("size")), at("size"), item);
    }
    return item;
}

// The entry's seeds: "seed" (one) or "seeds" (a non-empty list), never both.
std::vector<qint64> readSeeds(const QJsonObject& entry, const QString& pointer) {
    const bool one = entry.contains(QStringLiteral("seed"));
    const bool many = entry.contains(QStringLiteral("seeds"));
    if (one == many) {
        refuse(pointer, one ? QStringLiteral("has both \"seed\" and \"seeds\": give one")
                            : QStringLiteral("needs \"seed\" (a number) or \"seeds\" (a list)"));
    }
    if (one) {
        return {seedAt(entry.value(QStringLiteral("seed")), pointer + QStringLiteral("/seed"))};
    }
    const QString listPointer = pointer + QStringLiteral("/seeds");
    const QJsonValue list = entry.value(QStringLiteral("seeds"));
    if (!list.isArray()) {
        refuse(listPointer,
               QStringLiteral("must be a list of seeds, not %1").arg(describeJsonType(list)));
    }
    const QJsonArray seeds = list.toArray();
    if (seeds.isEmpty()) {
        refuse(listPointer, QStringLiteral("is empty"));
    }
    std::vector<qint64> out;
    for (qsizetype i = 0; i < seeds.size(); ++i) {
        out.push_back(seedAt(seeds.at(i), listPointer + QLatin1Char('/') + QString::number(i)));
    }
    return out;
}

void checkPattern(const QString& pattern, BatchOutputKind& kind) {
    const QString at = QStringLiteral("/output");
    if (pattern.trimmed().isEmpty()) {
        refuse(at, QStringLiteral("is empty"));
    }
    static const QRegularExpression placeholder(QStringLiteral("\\{[^}]*\\}?"));
    for (auto it = placeholder.globalMatch(pattern); it.hasNext();) {
        const QString found = it.next().captured(0);
        if (!placeholders().contains(found)) {
            refuse(at, QStringLiteral("unknown placeholder %1 (known: %2)")
                           .arg(found, placeholders().join(QStringLiteral(", "))));
        }
    }
    if (pattern.endsWith(QLatin1Char('/'))) {
        kind = BatchOutputKind::ImageSequence;
    } else if (isVideoPath(pattern)) {
        kind = BatchOutputKind::Video;
    } else {
        refuse(at, QStringLiteral("\"%1\" must end in .mp4, .mov or .m4v (a clip per item) or in "
                                  "/ (a folder of PNG frames per item)")
                       .arg(pattern));
    }
}

// Two items writing the same file, or one writing into another's folder of frames, would
// overwrite each other: refused, naming both.
void refuseCollisions(const std::vector<BatchItem>& items) {
    std::vector<const BatchItem*> sorted;
    for (const BatchItem& item : items) {
        sorted.push_back(&item);
    }
    std::sort(sorted.begin(), sorted.end(), [](const BatchItem* a, const BatchItem* b) {
        return a->output != b->output ? a->output < b->output : a->index < b->index;
    });
    for (size_t i = 0; i + 1 < sorted.size(); ++i) {
        const BatchItem& a = *sorted[i];
        const BatchItem& b = *sorted[i + 1];
        const bool same = a.output == b.output;
        const bool inside = b.output.startsWith(a.output + QLatin1Char('/'));
        if (same || inside) {
            const BatchItem& first = a.index < b.index ? a : b;
            const BatchItem& second = a.index < b.index ? b : a;
            refuse(QStringLiteral("/output"),
                   QStringLiteral("%1 (%2) and %3 (%4) would both write %5%6; put {seed} or "
                                  "{item} in the pattern")
                       .arg(first.label(), first.entry, second.label(), second.entry, a.output,
                            same ? QString() : QStringLiteral(" (one inside the other)")));
        }
    }
}

} // namespace

QString BatchItem::label() const {
    return QStringLiteral("item %1 (%2, seed %3)")
        .arg(QString::number(index), QFileInfo(project).fileName(), QString::number(seed));
}

QString Batch::folder() const {
    return QFileInfo(file).absolutePath();
}

QString Batch::companionPath(const QString& suffix) const {
    return QDir(folder()).filePath(QFileInfo(file).completeBaseName() + suffix);
}

QString paddedItemIndex(int index) {
    return QStringLiteral("%1").arg(index, 4, 10, QLatin1Char('0'));
}

QString expandOutputPattern(const QString& pattern, const QString& projectName, qint64 seed,
                            int index) {
    QString out = pattern;
    out.replace(QStringLiteral("{project}"), projectName);
    out.replace(QStringLiteral("{seed}"), QString::number(seed));
    out.replace(QStringLiteral("{item}"), paddedItemIndex(index));
    return out;
}

bool parseBatch(const QByteArray& json, const QString& file, Batch& out, FileError& error) {
    error = FileError{file, {}, {}};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const int line = int(json.left(parseError.offset).count('\n')) + 1;
        error.problem =
            QStringLiteral("malformed JSON at line %1: %2").arg(line).arg(parseError.errorString());
        return false;
    }
    try {
        if (!doc.isObject()) {
            refuse(QString(), QStringLiteral("a batch file is a JSON object"));
        }
        const QJsonObject root = doc.object();
        const QJsonValue format = root.value(QStringLiteral("format"));
        if (format.toString() != QLatin1String("sfstudio-batch")) {
            refuse(QStringLiteral("/format"),
                   format.isUndefined()
                       ? QStringLiteral("missing: a batch file says \"format\": \"sfstudio-batch\"")
                       : QStringLiteral("is not \"sfstudio-batch\": not a batch file"));
        }
        if (!root.contains(QStringLiteral("version"))) {
            refuse(QStringLiteral("/version"), QStringLiteral("required field is missing"));
        }
        const qint64 version =
            integerAt(root.value(QStringLiteral("version")), QStringLiteral("/version"));
        if (version > kBatchFormatVersion) {
            refuse(QStringLiteral("/version"),
                   QStringLiteral("the file is batch format version %1, written by a newer "
                                  "sfstudio; this one reads versions up to %2")
                       .arg(version)
                       .arg(kBatchFormatVersion));
        }
        if (version < 1) {
            refuse(QStringLiteral("/version"),
                   QStringLiteral("version %1 does not exist (the first is 1)").arg(version));
        }
        refuseUnknownKeys(root, topLevelKeys(), QString());

        Batch batch;
        batch.file = QFileInfo(file).absoluteFilePath();
        if (!root.contains(QStringLiteral("output"))) {
            refuse(QStringLiteral("/output"),
                   QStringLiteral("required field is missing (e.g. \"renders/{project}/"
                                  "{seed}.mp4\")"));
        }
        batch.outputPattern =
            stringAt(root.value(QStringLiteral("output")), QStringLiteral("/output"));
        checkPattern(batch.outputPattern, batch.outputKind);

        const QJsonValue items = root.value(QStringLiteral("items"));
        if (!items.isArray()) {
            refuse(QStringLiteral("/items"),
                   QStringLiteral("must be a list of items, not %1").arg(describeJsonType(items)));
        }
        const QJsonArray entries = items.toArray();
        if (entries.isEmpty()) {
            refuse(QStringLiteral("/items"), QStringLiteral("the batch has no items"));
        }
        const QDir folder(batch.folder());
        for (qsizetype e = 0; e < entries.size(); ++e) {
            const QString pointer = QStringLiteral("/items/%1").arg(e);
            if (!entries.at(e).isObject()) {
                refuse(pointer, QStringLiteral("must be an object, not %1")
                                    .arg(describeJsonType(entries.at(e))));
            }
            const QJsonObject entry = entries.at(e).toObject();
            const BatchItem settings = readEntry(entry, pointer, folder);
            for (const qint64 seed : readSeeds(entry, pointer)) {
                BatchItem item = settings;
                item.index = int(batch.items.size());
                item.seed = seed;
                QString output = expandOutputPattern(
                    batch.outputPattern, projectNameFor(item.project), seed, item.index);
                item.output = QDir::cleanPath(folder.absoluteFilePath(output));
                batch.items.push_back(item);
            }
        }
        refuseCollisions(batch.items);
        out = std::move(batch);
        error = FileError{};
        return true;
    } catch (const Refusal& r) {
        error.pointer = r.pointer;
        error.problem = r.problem;
        return false;
    }
}

bool loadBatch(const QString& path, Batch& out, FileError& error) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QFile file(absolute);
    if (!file.exists()) {
        error = FileError{absolute, {}, QStringLiteral("no such file")};
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        error =
            FileError{absolute, {}, QStringLiteral("cannot be read: %1").arg(file.errorString())};
        return false;
    }
    return parseBatch(file.readAll(), absolute, out, error);
}

} // namespace sfs::core
