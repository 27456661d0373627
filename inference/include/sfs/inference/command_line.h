#pragma once
// The one command-line option parser of sfstudio-cli and the benchmarks: options are declared
// as data (OptionSpec) and parsed here. Options: --name value, --name=value, boolean --flag;
// "--" ends options; the rest is positional.
//
// Std-only (no torch, no Qt) so that the CLI builds with LibTorch alone. It lives in
// sfs_inference's public API because that is the lowest library both users link: the
// benchmarks (inference/bench) declare their options with it and the CLI (app/cli) parses every
// command with it; inference/ must not depend on app/.

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sfs::inference {

struct OptionSpec {
    std::string name;      // without the leading dashes
    std::string valueName; // e.g. "N", "WxH"; empty for a boolean flag
    std::string help;
    std::string defaultValue; // shown in help; returned by str() when absent
};

// Bad usage: an unknown option, a missing or malformed value. sfstudio-cli prints it with the
// command's usage and exits with 2. An invalid_argument, so callers that catch those still do.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

class CommandLine {
public:
    // Parses argv-style `args` against `specs`; throws UsageError.
    CommandLine(std::vector<OptionSpec> specs, const std::vector<std::string>& args);

    bool flag(const std::string& name) const;
    // True when the option was given (not only defaulted).
    bool has(const std::string& name) const;
    // The option's value, or its spec's default. Typed access throws UsageError naming the
    // option and the bad value.
    std::string str(const std::string& name) const;
    // Every value of an option given more than once, in order (str() gives the last one).
    std::vector<std::string> all(const std::string& name) const;
    int integer(const std::string& name) const;
    double number(const std::string& name) const;
    // "WxH" -> {W, H}
    std::pair<int, int> size(const std::string& name) const;
    const std::vector<std::string>& positional() const { return m_positional; }
    const std::vector<OptionSpec>& specs() const { return m_specs; }

private:
    const OptionSpec& spec(const std::string& name) const;

    std::vector<OptionSpec> m_specs;
    std::map<std::string, std::string> m_values;
    std::map<std::string, std::vector<std::string>> m_all;
    std::vector<std::string> m_positional;
};

// "  --name VALUE   help (default: x)" lines for a usage text.
std::string describeOptions(const std::vector<OptionSpec>& specs);

} // namespace sfs::inference
