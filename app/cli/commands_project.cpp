// `sfstudio-cli project check FILE`: validates a project and its assets, for scripts and for
// people who edit project files by hand.

#include "commands.h"
#include "sfs/core/image_import.h"
#include "sfs/core/project_file.h"
#include "sfs/core/timeline.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

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

void printSummary(const QString& path, const core::LoadedProject& loaded, std::ostream& out) {
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
    int complete = 0;
    for (const core::Take& t : p.takes) {
        complete += t.status == core::TakeStatus::Complete ? 1 : 0;
    }
    out << "  takes       " << p.takes.size();
    if (!p.takes.empty()) {
        out << " (" << complete << " complete, " << p.takes.size() - complete << " stopped)";
    }
    out << "\n";

    const QDir assets(core::assetsDirFor(QFileInfo(path).absoluteFilePath()));
    qint64 bytes = 0;
    const QStringList paths = p.assetPaths();
    for (const QString& asset : paths) {
        bytes += QFileInfo(assets.filePath(asset)).size();
    }
    out << "  assets      " << paths.size() << " referenced, " << humanBytes(bytes) << " in "
        << str(QDir::toNativeSeparators(assets.path())) << "\n";
}

int checkProject(const CommandLine& cmd, Context& ctx) {
    if (cmd.positional().size() != 1) {
        throw UsageError("expects one project file");
    }
    const QString path = QString::fromStdString(cmd.positional().front());
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
    printSummary(path, loaded, ctx.out);
    if (options.assets == core::AssetCheck::Decode && !core::imageSupportAvailable()) {
        ctx.out << "  (images were checked for presence only: this build has no image "
                   "support)\n";
    }
    return 0;
}

} // namespace

void registerProjectCommands(Registry& registry) {
    registry.push_back(
        Command{"project check",
                "Validate a project file and its assets; print a summary or the first error",
                "FILE",
                {{"no-decode", "", "check that images exist without decoding them", ""}},
                checkProject});
}

} // namespace sfs::cli
