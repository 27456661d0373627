// `sfstudio-cli models inspect PATH`: which model files a folder (or one file) holds, their
// configurations and problems, and what is still missing. Reads headers only.

#include "commands.h"
#include "sfs/inference/model_discovery.h"

#include <filesystem>
#include <iomanip>
#include <ostream>

namespace sfs::cli {

namespace {

namespace inf = sfs::inference;

std::string withSeparators(int64_t n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<size_t>(i), ",");
    }
    return digits;
}

std::string displayPath(const std::string& root, const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) {
        return path;
    }
    const std::string rel = std::filesystem::relative(path, root, ec).string();
    return ec || rel.empty() ? path : rel;
}

void printFile(const inf::DiscoveredFile& f, const std::string& root, std::ostream& out) {
    const std::string params =
        f.role == inf::ModelRole::Tokenizer || f.role == inf::ModelRole::Unknown
            ? "-"
            : withSeparators(f.parameters);
    out << std::left << std::setw(14) << inf::modelRoleName(f.role) << std::setw(24)
        << (f.dtype.empty() ? "-" : f.dtype) << std::right << std::setw(15) << params << "  "
        << displayPath(root, f.path) << "\n";
    const std::string indent(14, ' ');
    std::string format = f.format;
    if (!f.section.empty()) {
        format += ", state dict '" + f.section + "'";
    }
    if (!format.empty()) {
        out << indent << "format:  " << format << "\n";
    }
    if (!f.naming.empty()) {
        out << indent << "names:   " << f.naming << "\n";
    }
    if (const std::string config = f.configSummary(); !config.empty()) {
        out << indent << "config:  " << config << (f.knownAs.empty() ? "" : " = " + f.knownAs)
            << "\n";
    }
    for (const std::string& note : f.notes) {
        out << indent << "note:    " << note << "\n";
    }
    for (const std::string& problem : f.problems) {
        out << indent << "PROBLEM: " << problem << "\n";
    }
}

int inspect(const CommandLine& cmd, Context& ctx) {
    if (cmd.positional().size() != 1) {
        throw UsageError("expects one PATH (a model folder or a file)");
    }
    const inf::ModelInventory inv = inf::discoverModels(cmd.positional()[0]);
    const std::string path = inv.root; // "demo" resolves to the demo model's folder
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(path, ec);

    if (inv.demo) {
        ctx.out << "NOTE: " << inf::kDemoModelWarning << "\n";
    }
    ctx.out << (folder ? "Model files in " : "Model file ") << path << "\n\n"
            << std::left << std::setw(14) << "ROLE" << std::setw(24) << "DTYPE" << std::right
            << std::setw(15) << "PARAMETERS"
            << "  FILE\n";
    for (const inf::DiscoveredFile& f : inv.files) {
        printFile(f, path, ctx.out);
    }
    if (inv.files.empty()) {
        ctx.out << "(no model, checkpoint or tokenizer files)\n";
    }
    if (!folder) {
        return inv.files.front().usable() ? 0 : 1;
    }

    ctx.out << "\nRoles:\n";
    for (const inf::ModelRole role :
         {inf::ModelRole::Dit, inf::ModelRole::Vae, inf::ModelRole::TextEncoder,
          inf::ModelRole::Tokenizer, inf::ModelRole::Taehv, inf::ModelRole::Vace}) {
        ctx.out << "  " << std::left << std::setw(14) << inf::modelRoleName(role);
        if (const inf::DiscoveredFile* f = inv.best(role)) {
            ctx.out << "ok: " << displayPath(path, f->path) << "\n";
        } else {
            ctx.out << (inf::modelRoleRequired(role) ? "MISSING (required)" : "missing (optional)")
                    << ": look for " << inf::modelRoleLookFor(role) << "\n";
        }
    }
    if (!inv.complete()) {
        ctx.err << "sfstudio-cli models inspect: required models are missing in " << path << "\n";
        return 1;
    }
    return 0;
}

} // namespace

void registerModelCommands(Registry& registry) {
    registry.push_back(Command{
        "models inspect",
        "List the model files in a folder (or one file, or 'demo' for the built-in untrained demo "
        "model): role, dtype, parameters, configuration and problems; exits 1 if a required "
        "model is missing (or the file is unusable)",
        "PATH|demo",
        {},
        inspect});
}

} // namespace sfs::cli
