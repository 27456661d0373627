// `sfstudio-cli project check FILE`: validates a project and its assets, for scripts and for
// people who edit project files by hand; it also reads the project an exported clip carries.
// `sfstudio-cli project extract CLIP OUT.sfsproj` turns an exported clip back into a project.

#include "commands.h"
#include "sfs/build_config.h"
#include "sfs/core/media/image_file.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/timeline.h"
#if SFS_WITH_MEDIA
#include "sfs/core/render/provenance.h"
#endif

#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <QTemporaryDir>

#include <iomanip>
#include <ostream>
#include <sstream>

namespace sfs::cli {

namespace {

std::string str(const QString& s) {
    return s.toStdString();
}

std::string humanBytes(qint64 bytes) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1);
    if (bytes < 1024) {
        out << bytes << " B";
    } else if (bytes < 1024 * 1024) {
        out << bytes / 1024.0 << " KB";
    } else {
        out << bytes / (1024.0 * 1024.0) << " MB";
    }
    return out.str();
}

std::string joined(const std::vector<int>& frames) {
    std::ostringstream out;
    for (size_t i = 0; i < frames.size(); ++i) {
        out << (i == 0 ? "" : ", ") << frames[i];
    }
    return out.str();
}

// `assetsDir` holds the assets; for an export it is a temporary folder not worth naming.
void printSummary(const QString& path, const core::LoadedProject& loaded, const QString& assetsDir,
                  bool fromExport, std::ostream& out) {
    namespace tl = core::timeline;
    const core::Project& p = loaded.project;
    const core::RenderSettings& s = p.settings;
    out << str(QFileInfo(path).fileName()) << ": OK (format version " << loaded.fileVersion;
    if (loaded.fileVersion < core::kProjectFormatVersion) {
        out << ", upgraded to " << core::kProjectFormatVersion << " when saved";
    }
    out << ")\n";

    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(2) << tl::secondsForFrames(p.durationFrames);
    out << "  duration    " << p.durationFrames << " frames (" << seconds.str() << " s at "
        << tl::kFps << " fps, " << tl::chunksForFrames(p.durationFrames) << " chunks, "
        << tl::latentFramesForFrames(p.durationFrames) << " latent frames)\n";
    out << "  resolution  " << s.width << " x " << s.height << "\n";
    out << "  sampling    seed " << s.seed << ", steps " << joined(s.steps) << ", decoder "
        << str(core::toString(s.decoder)) << "\n";
    out << "  attention   ";
    if (s.attentionWindow == 0) {
        out << "full context\n";
    } else {
        out << "window " << s.attentionWindow << " latent frames, " << s.sinkFrames << " sink\n";
    }
    out << "  device      " << str(s.device) << "\n";
    out << "  model       " << (s.usesDemoModel() ? "built-in demo" : str(s.modelFolder)) << "\n";
    for (const core::LoraSetting& l : s.loras) {
        out << "  lora        " << str(l.path) << " (strength " << l.strength << ")\n";
    }

    std::vector<int> keyframeFrames;
    for (const core::Keyframe& k : p.keyframes) {
        keyframeFrames.push_back(k.frame);
    }
    out << "  keyframes   " << p.keyframes.size();
    if (!p.keyframes.empty()) {
        out << " at frames " << joined(keyframeFrames);
    }
    std::vector<int> starts;
    for (const core::PromptSegment& seg : p.prompts) {
        starts.push_back(seg.startFrame);
    }
    out << "\n  prompts     " << p.prompts.size() << " starting at frames " << joined(starts)
        << "\n";
    if (!p.markers.empty()) {
        std::vector<int> markerFrames;
        for (const core::Marker& m : p.markers) {
            markerFrames.push_back(m.frame);
        }
        out << "  markers     " << p.markers.size() << " at frames " << joined(markerFrames)
            << "\n";
    }
    int complete = 0;
    for (const core::Take& t : p.takes) {
        complete += t.status == core::TakeStatus::Complete ? 1 : 0;
    }
    out << "  takes       " << p.takes.size();
    if (!p.takes.empty()) {
        out << " (" << complete << " complete, " << p.takes.size() - complete << " stopped)";
    }
    out << "\n";
    for (const core::Take& t : p.takes) {
        out << "    " << str(t.id) << ": " << str(core::toString(t.status)) << ", "
            << t.chunksCompleted << " of " << t.chunksPlanned() << " chunks, " << t.settings.width
            << "x" << t.settings.height << ", seed " << t.settings.seed;
        if (t.isBranch()) {
            out << ", regenerated from chunk " << t.branchChunk << " of " << str(t.parentTakeId);
        }
        out << "\n";
    }

    const QDir assets(assetsDir);
    qint64 bytes = 0;
    const QStringList paths = p.assetPaths();
    for (const QString& asset : paths) {
        bytes += QFileInfo(assets.filePath(asset)).size();
    }
    out << "  assets      " << paths.size() << " referenced, " << humanBytes(bytes)
        << (fromExport ? std::string(", recovered from the export")
                       : " in " + str(QDir::toNativeSeparators(assets.path())))
        << "\n";
}

#if SFS_WITH_MEDIA
bool isExport(const QString& path) {
    return QFileInfo(path).suffix() != QLatin1String(core::kProjectSuffix) &&
           core::isExportedProjectPath(path);
}

void printExportOrigin(const core::OpenedExport& opened, std::ostream& out) {
    const QJsonObject take = opened.provenance.value(QStringLiteral("take")).toObject();
    const QJsonObject source = opened.provenance.value(QStringLiteral("sourceProject")).toObject();
    out << "  exported    take " << str(opened.takeId) << ", frames "
        << take.value(QStringLiteral("firstFrame")).toInt() << "-"
        << take.value(QStringLiteral("lastFrame")).toInt() << " at "
        << str(take.value(QStringLiteral("frameRate")).toString()) << " fps, by "
        << str(opened.provenance.value(QStringLiteral("generator")).toString()) << " on "
        << str(opened.provenance.value(QStringLiteral("exportedAt")).toString()) << "\n";
    const QString file = source.value(QStringLiteral("file")).toString();
    out << "  from        " << (file.isEmpty() ? std::string("an untitled project") : str(file))
        << "\n";
}

// An exported clip or sidecar: its project is checked like a project file, with the keyframe
// images it carries written to a temporary folder.
int checkExport(const QString& path, Context& ctx) {
    QTemporaryDir assets;
    if (!assets.isValid()) {
        ctx.err << "error: cannot make a temporary folder (" << str(assets.errorString()) << ")\n";
        return 1;
    }
    core::OpenedExport opened;
    core::FileError error;
    if (!core::openExportedProject(path, assets.path(), {}, &opened, &error)) {
        ctx.err << "error: " << str(error.toString()) << "\n";
        return 1;
    }
    for (const QString& warning : opened.loaded.warnings) {
        ctx.err << "warning: " << str(warning) << "\n";
    }
    printSummary(path, opened.loaded, assets.path(), true, ctx.out);
    printExportOrigin(opened, ctx.out);
    return 0;
}

int extractProject(const CommandLine& cmd, Context& ctx) {
    if (cmd.positional().size() != 2) {
        throw UsageError("expects an exported clip (.mp4/.mov) or sidecar (.json) and the "
                         "project file to write");
    }
    const QString input = QString::fromStdString(cmd.positional()[0]);
    const QString target =
        QFileInfo(core::withProjectSuffix(QString::fromStdString(cmd.positional()[1])))
            .absoluteFilePath();
    const QString assetsDir = core::assetsDirFor(target);
    if (QFileInfo::exists(target) && !cmd.flag("force")) {
        ctx.err << "error: " << str(target) << ": already exists (--force replaces it)\n";
        return 1;
    }
    const bool assetsExisted = QFileInfo::exists(assetsDir);
    core::OpenExportOptions options;
    options.dropMissingKeyframes = cmd.flag("drop-missing");
    core::OpenedExport opened;
    core::FileError error;
    const bool ok = core::openExportedProject(input, assetsDir, options, &opened, &error) &&
                    core::writeProjectFile(opened.loaded.project, target, error);
    if (!ok) {
        // Nothing half-made stays behind: an assets folder this run created goes again.
        if (!assetsExisted) {
            QDir(assetsDir).removeRecursively();
        }
        ctx.err << "error: " << str(error.toString()) << "\n";
        return 1;
    }
    for (const QString& warning : opened.loaded.warnings) {
        ctx.err << "warning: " << str(warning) << "\n";
    }
    ctx.out << "Wrote " << str(target) << " (take " << str(opened.takeId) << "'s storyboard and "
            << "settings, " << opened.loaded.project.keyframes.size() << " keyframes, "
            << opened.writtenAssets.size() << " images in " << str(assetsDir) << ")\n";
    return 0;
}
#endif

int checkProject(const CommandLine& cmd, Context& ctx) {
    if (cmd.positional().size() != 1) {
        throw UsageError("expects one project file");
    }
    const QString path = QString::fromStdString(cmd.positional().front());
#if SFS_WITH_MEDIA
    if (isExport(path)) {
        return checkExport(path, ctx);
    }
#endif
    core::LoadOptions options;
    options.assets = cmd.flag("no-decode") ? core::AssetCheck::Exists : core::AssetCheck::Decode;
    options.verifyHashes = true;
    core::LoadedProject loaded;
    core::FileError error;
    if (!core::loadProject(path, options, loaded, error)) {
        ctx.err << "error: " << str(error.toString()) << "\n";
        return 1;
    }
    for (const QString& warning : loaded.warnings) {
        ctx.err << "warning: " << str(warning) << "\n";
    }
    printSummary(path, loaded, core::assetsDirFor(QFileInfo(path).absoluteFilePath()), false,
                 ctx.out);
    if (options.assets == core::AssetCheck::Decode && !core::imageSupportAvailable()) {
        ctx.out << "  (images were checked for presence only: this build has no image "
                   "support)\n";
    }
    return 0;
}

} // namespace

void registerProjectCommands(Registry& registry) {
    registry.push_back(Command{
        "project check",
        "Validate a project file and its assets, or the project an exported clip or sidecar "
        "carries; print a summary or the first error",
        "FILE",
        {{"no-decode", "", "check that images exist without decoding them", ""}},
        checkProject});
#if SFS_WITH_MEDIA
    registry.push_back(Command{
        "project extract",
        "Write the project an exported clip (.mp4/.mov) or sidecar (.json) carries, with its "
        "keyframe images",
        "EXPORT OUT.sfsproj",
        {{"force", "", "replace OUT.sfsproj when it exists", ""},
         {"drop-missing", "", "leave out keyframes whose image cannot be recovered", ""}},
        extractProject});
#endif
}

} // namespace sfs::cli
