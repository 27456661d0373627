// The render job: project → engine request → take, exporter, preview (render_job.h).
#include "sfs/core/render/render_job.h"

#include "sfs/core/media/image_file.h"
#include "sfs/core/project/keyframe_image.h"
#include "sfs/core/project/timeline.h"
#include "sfs/inference/latents_file.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace sfs::core {

namespace {

std::string text(const QString& s) {
    return s.toStdString();
}

// The grid durations around `frames`, for messages: "9, 21, 33".
QString nearbyDurations(int frames) {
    const int chunks = std::max(1, timeline::chunksForFrames(std::max(frames, 1)));
    QStringList list;
    for (int c = std::max(1, chunks - 1); c <= chunks + 1; ++c) {
        list << QString::number(timeline::framesForChunks(c));
    }
    return list.join(QStringLiteral(", "));
}

[[noreturn]] void refuse(const QString& setting, const QString& problem) {
    throw RenderSetupError(text(setting + QStringLiteral(": ") + problem));
}

// A keyframe image this many times smaller than the video (by its fit) is upscaled with a
// warning: it will look soft, and the video lands on the soft image.
constexpr double kQuietUpscale = 2.0;

// The project's keyframes inside the rendered frames, each image read and fitted to the video
// size (the engine takes fitted RGB). Reads files: never on the UI thread.
void planKeyframes(const Project& project, const RenderOverrides& overrides,
                   const QString& assetsDir, RenderPlan& plan) {
    inference::GenerationRequest& r = plan.request;
    if (overrides.start && (project.keyframes.empty() || project.keyframes.front().frame != 0)) {
        refuse(QStringLiteral("--start"),
               QStringLiteral("%1 needs a keyframe at frame 0, and the project has none")
                   .arg(toString(*overrides.start)));
    }
    for (const Keyframe& k : project.keyframes) {
        const QString name = k.sourceName.isEmpty() ? k.image : k.sourceName;
        if (k.frame >= r.frames) {
            plan.warnings << QStringLiteral("keyframe %1 (%2) at frame %3 lies beyond the %4 "
                                            "rendered frames and is left out")
                                 .arg(k.id, name)
                                 .arg(k.frame)
                                 .arg(r.frames);
            continue;
        }
        const QString path = QDir(assetsDir).filePath(k.image);
        QString error;
        const Frame image = readImageFile(path, &error, ImageFormats::Importable);
        if (image.isNull()) {
            refuse(
                QStringLiteral("keyframe %1").arg(k.id),
                QStringLiteral("the image of frame %1 cannot be read: %2").arg(k.frame).arg(error));
        }
        const double upscale = fitUpscale(image.size(), r.width, r.height, k.fit);
        if (upscale > kQuietUpscale) {
            plan.warnings << QStringLiteral("keyframe %1 (%2, %3×%4) is much smaller than the "
                                            "%5×%6 video: it is upscaled %7 times and will look "
                                            "soft")
                                 .arg(k.id, name)
                                 .arg(image.width())
                                 .arg(image.height())
                                 .arg(r.width)
                                 .arg(r.height)
                                 .arg(upscale, 0, 'f', 1);
        }
        const Frame fitted = fitImage(image, r.width, r.height, k.fit);
        inference::KeyframeImage key;
        key.frame = k.frame;
        key.width = fitted.width();
        key.height = fitted.height();
        key.rgb = packedRgb(fitted);
        key.strength = static_cast<float>(k.strength);
        key.approachChunks = k.approachChunks;
        key.approachWeight = static_cast<float>(k.approachWeight);
        key.approachSteps = k.approachSteps;
        key.vace = overrides.keyframeVace.value_or(k.vace);
        key.vaceScale = static_cast<float>(overrides.vaceScale.value_or(k.vaceScale));
        if (k.frame == 0) {
            const StartMode start = overrides.start.value_or(k.start);
            key.startMode = start == StartMode::Context ? inference::StartMode::Context
                                                        : inference::StartMode::Land;
        }
        r.keyframes.push_back(std::move(key));
    }
}

// The reference image every chunk sees through VACE: the override's file, else the project's
// asset; fitted to cover the video.
void planReference(const RenderSettings& settings, const RenderOverrides& overrides,
                   const QString& assetsDir, RenderPlan& plan) {
    const QString path = overrides.referenceImage
                             ? *overrides.referenceImage
                             : (settings.referenceImage.isEmpty()
                                    ? QString()
                                    : QDir(assetsDir).filePath(settings.referenceImage));
    if (path.isEmpty()) {
        return;
    }
    const QString setting =
        overrides.referenceImage ? QStringLiteral("--reference") : QStringLiteral("referenceImage");
    QString error;
    const Frame image = readImageFile(path, &error, ImageFormats::Importable);
    if (image.isNull()) {
        refuse(setting, QStringLiteral("the reference image %1 cannot be read: %2")
                            .arg(QDir::toNativeSeparators(path), error));
    }
    inference::GenerationRequest& r = plan.request;
    const Frame fitted = fitImage(image, r.width, r.height, FitMode::Cover);
    r.reference.width = fitted.width();
    r.reference.height = fitted.height();
    r.reference.rgb = packedRgb(fitted);
    r.reference.scale =
        static_cast<float>(overrides.referenceScale.value_or(settings.referenceScale));
}

} // namespace

QString engineModelName(const RenderSettings& settings) {
    return settings.usesDemoModel() ? QStringLiteral("demo") : settings.modelFolder;
}

inference::GenerationRequest requestForSettings(const RenderSettings& settings, int frames) {
    if (const rules::FieldProblem problem = rules::checkSettings(settings); !problem.ok()) {
        refuse(problem.field, problem.problem);
    }
    inference::GenerationRequest r;
    r.model = text(engineModelName(settings));
    // checkSettings has vetted the names.
    r.device.device = *inference::tryParseDevice(text(settings.device));
    r.device.precision = *inference::tryParsePrecision(text(settings.precision));
    r.device.textEncoder = *inference::tryParseTextEncoderDevice(text(settings.textEncoderDevice));
    r.width = settings.width;
    r.height = settings.height;
    r.frames = frames;
    r.seed = static_cast<uint64_t>(settings.seed);
    r.steps.assign(settings.steps.begin(), settings.steps.end());
    if (settings.attentionWindow > 0) {
        r.windowLatentFrames = settings.attentionWindow;
        r.sinkLatentFrames = settings.sinkFrames;
    }
    r.finalDecoder = text(toString(settings.decoder));
    if (settings.previewDecoder == PreviewDecoder::Taehv && settings.decoder != Decoder::Taehv) {
        r.previewDecoder = text(toString(Decoder::Taehv)); // the engine's name for it
    }
    return r;
}

RenderPlan planRender(const Project& project, const RenderOverrides& overrides,
                      const QString& assetsDir) {
    RenderPlan plan;
    RenderSettings settings = project.settings;
    int frames = project.durationFrames;
    const Take* source = nullptr;
    if (!overrides.fromTake.isEmpty()) {
        // Regenerating continues the source take: its settings and length, the project's prompts.
        source = project.take(overrides.fromTake);
        if (source == nullptr) {
            QStringList ids;
            for (const Take& t : project.takes) {
                ids << t.id;
            }
            refuse(QStringLiteral("--take"),
                   QStringLiteral("the project has no take \"%1\" (its takes: %2)")
                       .arg(overrides.fromTake, ids.isEmpty() ? QStringLiteral("none")
                                                              : ids.join(QStringLiteral(", "))));
        }
        if (source->latentsPath.isEmpty()) {
            refuse(QStringLiteral("--take"),
                   QStringLiteral("take %1 stored no latents, so it cannot be regenerated from a "
                                  "chunk")
                       .arg(source->id));
        }
        if (overrides.fromChunk < 1 || overrides.fromChunk > source->chunksCompleted) {
            refuse(QStringLiteral("--from-chunk"),
                   QStringLiteral("%1 is not a chunk of take %2 to regenerate from (1 to %3: the "
                                  "chunks before it are kept)")
                       .arg(overrides.fromChunk)
                       .arg(source->id)
                       .arg(source->chunksCompleted));
        }
        settings = source->settings;
        frames = source->durationFrames;
        plan.keptLatents = QDir(assetsDir).filePath(source->latentsPath);
    }
    if (overrides.model) {
        settings.modelFolder = *overrides.model == QLatin1String("demo")
                                   ? QString()
                                   : QFileInfo(*overrides.model).absoluteFilePath();
    }
    if (overrides.seed) {
        settings.seed = *overrides.seed;
    }
    if (overrides.decoder) {
        settings.decoder = *overrides.decoder;
    }
    if (overrides.device) {
        settings.device = *overrides.device;
    }
    if (overrides.width) {
        settings.width = *overrides.width;
    }
    if (overrides.height) {
        settings.height = *overrides.height;
    }
    if (overrides.precision) {
        settings.precision = *overrides.precision;
    }
    if (overrides.textEncoderDevice) {
        settings.textEncoderDevice = *overrides.textEncoderDevice;
    }
    if (overrides.previewDecoder) {
        settings.previewDecoder = *overrides.previewDecoder;
    }
    if (overrides.loras) {
        settings.loras = *overrides.loras;
        for (LoraSetting& l : settings.loras) {
            l.path = QFileInfo(l.path).absoluteFilePath();
        }
    }
    if (const rules::FieldProblem problem = rules::checkSettings(settings); !problem.ok()) {
        refuse(problem.field, problem.problem);
    }
    if (overrides.frames) {
        const int wanted = *overrides.frames;
        if (!timeline::isValidDuration(wanted)) {
            refuse(QStringLiteral("--frames"),
                   QStringLiteral("%1 is not a whole number of chunks (12n - 3 frames: %2, …)")
                       .arg(wanted)
                       .arg(nearbyDurations(wanted)));
        }
        if (wanted > frames) {
            refuse(QStringLiteral("--frames"),
                   QStringLiteral("%1 is longer than the %2 frames to render")
                       .arg(wanted)
                       .arg(frames));
        }
        frames = wanted;
    }
    if (source != nullptr && overrides.fromChunk >= timeline::chunksForFrames(frames)) {
        refuse(QStringLiteral("--from-chunk"),
               QStringLiteral("%1 leaves nothing to regenerate in %2 frames (%3 chunks)")
                   .arg(overrides.fromChunk)
                   .arg(frames)
                   .arg(timeline::chunksForFrames(frames)));
    }

    plan.request = requestForSettings(settings, frames);
    inference::GenerationRequest& r = plan.request;
    r.prompts = planPrompts(project, frames);
    for (const LoraSetting& l : settings.loras) {
        r.loras.push_back({text(l.path), l.strength});
    }
    if (source != nullptr) {
        r.start.fromChunk = overrides.fromChunk;
        r.start.keptLatents = text(plan.keptLatents);
    }
    planKeyframes(project, overrides, assetsDir, plan);
    planReference(settings, overrides, assetsDir, plan);
    plan.take.settings = settings;
    plan.take.durationFrames = frames;
    plan.take.storeLatents = true;
    if (source != nullptr) {
        plan.take.parentTakeId = source->id;
        plan.take.branchChunk = overrides.fromChunk;
    }
    return plan;
}

std::vector<inference::PromptSegment> planPrompts(const Project& project, int frames) {
    std::vector<inference::PromptSegment> prompts;
    for (const PromptSegment& segment : project.prompts) {
        if (segment.startFrame >= frames) {
            break; // starts after the rendered frames
        }
        if (segment.text.trimmed().isEmpty()) {
            refuse(QStringLiteral("prompt %1").arg(segment.id),
                   QStringLiteral("the segment from frame %1 has no text").arg(segment.startFrame));
        }
        prompts.push_back({segment.startFrame, text(segment.text)});
    }
    if (prompts.empty()) {
        refuse(QStringLiteral("prompts"), QStringLiteral("the project has no prompt"));
    }
    return prompts;
}

namespace {

// Streams the latents the engine delivers into the take's chunk folder. Regenerating, the
// chunks the engine keeps but does not deliver are copied from the source take first.
class LatentsStore {
public:
    LatentsStore(const QString& folder, const RenderPlan& plan) : m_plan(plan) {
        const auto& r = plan.request;
        const inference::LatentFrameSize size{16, r.height / 8, r.width / 8};
        m_writer = std::make_unique<inference::TakeLatentsWriter>(text(folder), size);
    }

    // Stores chunk `latents.chunk`; returns the chunks on disk. The engine delivers every chunk
    // in order, the kept ones of a regenerated take first (flagged kept, replayed from the
    // source take), so the new take's latents are whole.
    int store(const inference::ChunkLatents& latents, uint64_t seed) {
        const auto have = static_cast<int64_t>(m_writer->info().chunks.size());
        if (latents.chunk < have) {
            return static_cast<int>(have); // delivered again: already stored
        }
        if (latents.chunk != have) {
            throw std::runtime_error("the engine delivered chunk " + std::to_string(latents.chunk) +
                                     "'s latents out of order");
        }
        m_writer->append(latents.values.data(), latents.frames, seedOf(latents.chunk, seed));
        return static_cast<int>(m_writer->info().chunks.size());
    }

    const std::string& folder() const { return m_writer->folder(); }
    int chunks() const { return static_cast<int>(m_writer->info().chunks.size()); }

    // A take that stopped keeps the latents of its completed chunks only: the engine runs
    // ahead of the decoder, so chunks whose frames never made it would otherwise stay behind.
    void keepOnly(int chunks) {
        if (chunks < this->chunks()) {
            m_writer = std::make_unique<inference::TakeLatentsWriter>(
                m_writer->folder(), m_writer->info().frameSize, chunks);
        }
    }

private:
    const inference::TakeLatents& source() {
        if (!m_source) {
            m_source = inference::readTakeLatents(m_plan.request.start.keptLatents);
        }
        return *m_source;
    }

    // A kept chunk keeps the seed it was made with.
    uint64_t seedOf(int64_t chunk, uint64_t fallback) {
        if (chunk < m_plan.request.start.fromChunk) {
            const auto& chunks = source().info.chunks;
            if (chunk < static_cast<int64_t>(chunks.size()) && chunks[chunk].seed) {
                return *chunks[chunk].seed;
            }
        }
        return fallback;
    }

    const RenderPlan& m_plan;
    std::unique_ptr<inference::TakeLatentsWriter> m_writer;
    std::optional<inference::TakeLatents> m_source;
};

} // namespace

RenderResult runRender(inference::Engine& engine, const RenderPlan& plan, TakeRecorder& recorder,
                       const RenderOutputs& outputs, const RenderCallbacks& callbacks,
                       const std::function<bool()>& cancel) {
    RenderResult result;
    QElapsedTimer timer;
    timer.start();
    // A preview decoder runs only for someone who watches it (the CLI does not).
    inference::GenerationRequest r = plan.request;
    if (!callbacks.preview) {
        r.previewDecoder.clear();
    }
    const StreamFormat format{QSize(r.width, r.height), FrameRate{timeline::kFps, 1}};
    FrameSink* exporter = outputs.exporter;
    if (exporter != nullptr && !exporter->begin(format)) {
        result.error = exporter->errorString();
        return result;
    }

    bool started = false;
    std::unique_ptr<LatentsStore> latents;
    inference::GenerationObserver observer;
    observer.stage = [&](inference::Stage stage) {
        if (stage == inference::Stage::Generating && !started) {
            // The models are loaded, the memory checked and the prompts encoded: only now does
            // the take enter the project.
            if (!recorder.start(plan.take)) {
                throw std::runtime_error(text(recorder.errorString()));
            }
            started = true;
            result.takeId = recorder.take().id;
            if (!recorder.begin(format)) {
                throw std::runtime_error(text(recorder.errorString()));
            }
            latents = std::make_unique<LatentsStore>(recorder.latentsFolder(), plan);
        }
        if (callbacks.stage) {
            callbacks.stage(stage);
        }
    };
    observer.latents = [&](const inference::ChunkLatents& chunk) {
        const int stored = latents->store(chunk, r.seed);
        if (!recorder.latentsStored(stored)) {
            throw std::runtime_error(text(recorder.errorString()));
        }
        if (callbacks.chunkDenoised) {
            callbacks.chunkDenoised(static_cast<int>(chunk.chunk));
        }
    };
    observer.frame = [&](const inference::RgbFrame& rgb) {
        const Frame frame = Frame::fromRgb(rgb.width, rgb.height, rgb.width * 3, rgb.rgb.data());
        if (!recorder.write(frame)) {
            throw std::runtime_error(text(recorder.errorString()));
        }
        if (exporter != nullptr && !exporter->write(frame)) {
            throw std::runtime_error(text(exporter->errorString()));
        }
        ++result.framesWritten;
        if (callbacks.frame) {
            callbacks.frame(rgb);
        }
    };
    observer.progress = callbacks.progress;
    observer.previewFrame = callbacks.preview;
    observer.warning = [&](const std::string& message) {
        if (callbacks.warning) {
            callbacks.warning(QString::fromStdString(message));
        }
    };

    inference::GenerationResult generated;
    QString failure;
    try {
        generated = engine.generate(r, observer, cancel);
        result.keyframes = generated.keyframes;
    } catch (const std::exception& e) {
        failure = QString::fromStdString(e.what());
    }

    if (!failure.isEmpty()) {
        result.error = started ? recorder.fail(failure) : failure;
        if (exporter != nullptr) {
            exporter->abort();
        }
    } else if (generated.status == inference::GenerationStatus::Stopped) {
        result.stopped = true;
        result.ok = !started || recorder.stop();
        if (exporter != nullptr) {
            exporter->cancel(); // keeps the whole frames so far, or removes them: its options
        }
        if (!result.ok) {
            result.error = recorder.errorString();
        }
    } else {
        result.ok = recorder.finish();
        if (!result.ok) {
            result.error = recorder.errorString();
        }
        if (exporter != nullptr) {
            if (!result.ok) {
                exporter->abort();
            } else if (!exporter->finish()) {
                result.ok = false;
                result.error = exporter->errorString();
            }
        }
    }
    result.chunksCompleted = started ? recorder.take().chunksCompleted : 0;
    if (latents && recorder.take().status == TakeStatus::Stopped) {
        try {
            latents->keepOnly(result.chunksCompleted);
        } catch (const std::exception& e) {
            // The take is still valid (readers ignore chunks beyond its count): say so, go on.
            if (callbacks.warning) {
                callbacks.warning(QString::fromStdString(e.what()));
            }
        }
    }

    // The whole take's latents as one file, when asked for and there are any.
    if (result.ok && !outputs.latentsFile.isEmpty() && latents && latents->chunks() > 0) {
        try {
            inference::writeLatentsFile(text(outputs.latentsFile),
                                        inference::readTakeLatents(latents->folder()));
        } catch (const std::exception& e) {
            result.ok = false;
            result.error = QString::fromStdString(e.what());
        }
    }
    result.seconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

} // namespace sfs::core
