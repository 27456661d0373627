#include "sfs/inference/command_line.h"

#include <algorithm>
#include <optional>
#include <sstream>

namespace sfs::inference {

namespace {
// `text` read whole by `parse` (std::stoi, std::stod, ...): nothing when it is malformed, out of
// range or has trailing characters ("12x").
template <typename T, typename Parse>
std::optional<T> parseWhole(const std::string& text, Parse parse) {
    try {
        size_t used = 0;
        const T value = parse(text, &used);
        if (used == text.size()) {
            return value;
        }
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

int toInt(const std::string& text, size_t* used) {
    return std::stoi(text, used);
}
double toDouble(const std::string& text, size_t* used) {
    return std::stod(text, used);
}

// Option --name's value read as T, or a UsageError naming the option and the value.
template <typename T, typename Parse>
T valueOf(const std::string& name, const std::string& text, const char* what, Parse parse) {
    if (const std::optional<T> value = parseWhole<T>(text, parse)) {
        return *value;
    }
    throw UsageError("option --" + name + " expects " + what + ", got '" + text + "'");
}
} // namespace

CommandLine::CommandLine(std::vector<OptionSpec> specs, const std::vector<std::string>& args)
    : m_specs(std::move(specs)) {
    bool optionsEnded = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
            m_positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec& s = spec(name);
        if (s.valueName.empty()) {
            if (inlineValue) {
                throw UsageError("option --" + name + " takes no value");
            }
            m_values[name] = "1";
        } else if (inlineValue) {
            m_values[name] = *inlineValue;
            m_all[name].push_back(*inlineValue);
        } else {
            if (i + 1 >= args.size()) {
                throw UsageError("option --" + name + " needs a value (" + s.valueName + ")");
            }
            m_values[name] = args[++i];
            m_all[name].push_back(m_values[name]);
        }
    }
}

std::vector<std::string> CommandLine::all(const std::string& name) const {
    spec(name);
    const auto it = m_all.find(name);
    return it == m_all.end() ? std::vector<std::string>{} : it->second;
}

const OptionSpec& CommandLine::spec(const std::string& name) const {
    auto it = std::find_if(m_specs.begin(), m_specs.end(),
                           [&](const OptionSpec& s) { return s.name == name; });
    if (it == m_specs.end()) {
        throw UsageError("unknown option --" + name);
    }
    return *it;
}

bool CommandLine::flag(const std::string& name) const {
    return has(name);
}

bool CommandLine::has(const std::string& name) const {
    spec(name);
    return m_values.count(name) != 0;
}

std::string CommandLine::str(const std::string& name) const {
    const OptionSpec& s = spec(name);
    auto it = m_values.find(name);
    return it != m_values.end() ? it->second : s.defaultValue;
}

int CommandLine::integer(const std::string& name) const {
    return valueOf<int>(name, str(name), "an integer", toInt);
}

double CommandLine::number(const std::string& name) const {
    return valueOf<double>(name, str(name), "a number", toDouble);
}

std::pair<int, int> CommandLine::size(const std::string& name) const {
    const std::string v = str(name);
    const auto x = v.find('x');
    if (x != std::string::npos) {
        const auto w = parseWhole<int>(v.substr(0, x), toInt);
        const auto h = parseWhole<int>(v.substr(x + 1), toInt);
        if (w && h) {
            return {*w, *h};
        }
    }
    throw UsageError("option --" + name + " expects WIDTHxHEIGHT, got '" + v + "'");
}

std::string describeOptions(const std::vector<OptionSpec>& specs) {
    std::ostringstream out;
    for (const OptionSpec& s : specs) {
        std::string left = "  --" + s.name + (s.valueName.empty() ? "" : " " + s.valueName);
        out << left;
        out << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << s.help;
        if (!s.defaultValue.empty()) {
            out << " (default: " << s.defaultValue << ")";
        }
        out << "\n";
    }
    return out.str();
}

} // namespace sfs::inference
