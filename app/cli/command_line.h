#pragma once
// A small, dependency-free command-line parser for sfstudio-cli's subcommands.
// Options: --name value, --name=value, boolean --flag; "--" ends options; the rest positional.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sfs::cli {

struct OptionSpec {
    std::string name;      // without the leading dashes
    std::string valueName; // empty for a boolean flag
    std::string help;
    std::string defaultValue; // shown in help; returned by value() when absent
};

// Thrown for bad usage; main prints it with the command's usage and exits with 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class CommandLine {
public:
    CommandLine(std::vector<OptionSpec> specs, const std::vector<std::string>& args);

    bool flag(const std::string& name) const;
    bool has(const std::string& name) const;
    // The option's value, or its spec's default.
    std::string value(const std::string& name) const;
    int intValue(const std::string& name) const;
    double doubleValue(const std::string& name) const;
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    const OptionSpec& spec(const std::string& name) const;

    std::vector<OptionSpec> m_specs;
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

// "  --name VALUE   help (default: x)" lines for a usage text.
std::string describeOptions(const std::vector<OptionSpec>& specs);

} // namespace sfs::cli
