// sfstudio-cli: the headless renderer, model inspector and benchmark runner.

#include "commands.h"
#include "sfs/inference/runtime_info.h"
#include "sfs/version.h"

#if defined(SFS_CLI_WITH_CORE)
#include "sfs/core/media/library_versions.h"
#endif

#include <algorithm>
#include <iostream>
#include <sstream>

namespace {

using sfs::cli::Command;
using sfs::cli::Registry;

Registry buildRegistry() {
    Registry registry;
    sfs::cli::registerInfoCommands(registry);
    sfs::cli::registerBenchCommands(registry);
#if defined(SFS_CLI_WITH_CORE)
    sfs::cli::registerProjectCommands(registry);
#endif
    sfs::cli::registerTextCommands(registry);
    sfs::cli::registerModelCommands(registry);
#if defined(SFS_CLI_WITH_CORE)
    sfs::cli::registerExportCommands(registry);
    sfs::cli::registerRenderCommands(registry);
    sfs::cli::registerBatchCommands(registry);
    sfs::cli::registerEncodeCommands(registry);
#endif
    sfs::cli::registerBenchOverview(registry);
    return registry;
}

void printVersion(std::ostream& out) {
    out << "sfstudio-cli " << SFS_VERSION_STRING << "\n";
#if defined(SFS_CLI_WITH_CORE)
    for (const auto& [name, version] : sfs::core::libraryVersions()) {
        if (name != QStringLiteral("sfstudio")) {
            out << name.toStdString() << " " << version.toStdString() << "\n";
        }
    }
#else
    out << "LibTorch " << sfs::inference::torchVersion() << "\n";
    out << "Qt, FFmpeg, OpenImageIO: not built in\n";
#endif
}

void printOverview(const Registry& registry, std::ostream& out) {
    out << "Usage: sfstudio-cli <command> [options]\n"
           "       sfstudio-cli help <command>\n"
           "       sfstudio-cli --version\n\n"
           "Commands:\n";
    // By name, so that each family's commands stand together (`bench` before `bench dit`).
    std::vector<const Command*> sorted;
    size_t width = 0;
    for (const Command& c : registry) {
        sorted.push_back(&c);
        width = std::max(width, c.name.size());
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const Command* a, const Command* b) { return a->name < b->name; });
    for (const Command* command : sorted) {
        const Command& c = *command;
        out << "  " << c.name << std::string(width + 3 - c.name.size(), ' ') << c.summary << "\n";
    }
    out << "\nExit status: 0 success, 1 failure, 2 usage error, 3 interrupted (render).\n";
}

void printCommandHelp(const Command& c, std::ostream& out) {
    out << "Usage: sfstudio-cli " << c.name << (c.options.empty() ? "" : " [options]")
        << (c.usage.empty() ? "" : " " + c.usage) << "\n\n"
        << c.summary << "\n";
    if (!c.options.empty()) {
        out << "\nOptions:\n" << sfs::cli::describeOptions(c.options);
    }
}

// The command whose (possibly multi-word) name matches the longest prefix of args.
const Command* findCommand(const Registry& registry, const std::vector<std::string>& args,
                           size_t& consumed) {
    const Command* best = nullptr;
    consumed = 0;
    for (const Command& c : registry) {
        std::istringstream words(c.name);
        std::string word;
        size_t i = 0;
        bool match = true;
        while (words >> word) {
            if (i >= args.size() || args[i] != word) {
                match = false;
                break;
            }
            ++i;
        }
        if (match && i > consumed) {
            best = &c;
            consumed = i;
        }
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const Registry registry = buildRegistry();
    sfs::cli::Context ctx{std::cout, std::cerr};

    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        printOverview(registry, std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version" || args[0] == "-V") {
        printVersion(std::cout);
        return 0;
    }
    if (args[0] == "help") {
        std::vector<std::string> rest(args.begin() + 1, args.end());
        size_t consumed = 0;
        if (const Command* c = findCommand(registry, rest, consumed); c != nullptr) {
            printCommandHelp(*c, std::cout);
            return 0;
        }
        printOverview(registry, std::cout);
        return rest.empty() ? 0 : 2;
    }

    size_t consumed = 0;
    const Command* command = findCommand(registry, args, consumed);
    if (command == nullptr) {
        std::cerr << "sfstudio-cli: unknown command '" << args[0] << "'\n\n";
        printOverview(registry, std::cerr);
        return 2;
    }
    std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed), args.end());
    for (std::string& arg : rest) {
        if (arg == "--") {
            break; // the rest is positional
        }
        for (const auto& [shortForm, name] : command->shortOptions) {
            if (arg == shortForm) {
                arg = "--" + name;
            }
        }
    }
    if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
        printCommandHelp(*command, std::cout);
        return 0;
    }
    try {
        const sfs::cli::CommandLine cmdline(command->options, rest);
        return command->run(cmdline, ctx);
    } catch (const sfs::cli::UsageError& e) {
        std::cerr << "sfstudio-cli " << command->name << ": " << e.what() << "\n\n";
        printCommandHelp(*command, std::cerr);
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "sfstudio-cli " << command->name << ": " << e.what() << "\n";
        return 1;
    }
}
