// The one option parser of sfstudio-cli and the benchmarks (sfs/inference/command_line.h).

#include "sfs/inference/command_line.h"

#include <gtest/gtest.h>

namespace {

using sfs::inference::CommandLine;
using sfs::inference::OptionSpec;
using sfs::inference::UsageError;

std::vector<OptionSpec> specs() {
    return {{"frames", "N", "frames", "8"},
            {"size", "WxH", "frame size", "832x480"},
            {"scale", "X", "a number", "0.5"},
            {"name", "TEXT", "a name", ""},
            {"quiet", "", "a flag", ""}};
}

std::string usageMessage(const std::vector<std::string>& args, const std::string& read = {}) {
    try {
        const CommandLine cmd(specs(), args);
        if (!read.empty()) {
            cmd.integer(read);
        }
    } catch (const UsageError& e) {
        return e.what();
    }
    return {};
}

TEST(CommandLine, ParsesValuesFlagsAndPositionals) {
    const CommandLine cmd(specs(), {"in.sfsproj", "--frames", "12", "--size=64x32", "--quiet", "--",
                                    "--not-an-option"});
    EXPECT_EQ(cmd.integer("frames"), 12);
    EXPECT_EQ(cmd.size("size"), std::make_pair(64, 32));
    EXPECT_TRUE(cmd.flag("quiet"));
    EXPECT_TRUE(cmd.has("frames"));
    EXPECT_FALSE(cmd.has("scale"));
    EXPECT_DOUBLE_EQ(cmd.number("scale"), 0.5); // the default
    EXPECT_EQ(cmd.str("name"), "");
    EXPECT_EQ(cmd.positional(), (std::vector<std::string>{"in.sfsproj", "--not-an-option"}));
}

TEST(CommandLine, ARepeatedOptionKeepsEveryValueInOrder) {
    const CommandLine cmd(specs(), {"--name", "a", "--name=b", "--frames", "3", "--name", "c"});
    EXPECT_EQ(cmd.all("name"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(cmd.str("name"), "c"); // the last one
    EXPECT_EQ(cmd.all("frames"), (std::vector<std::string>{"3"}));
    EXPECT_TRUE(cmd.all("scale").empty()); // not given: no values, not the default
    EXPECT_THROW(cmd.all("undeclared"), UsageError);
}

TEST(CommandLine, UsageErrorsNameTheOption) {
    EXPECT_EQ(usageMessage({"--nope"}), "unknown option --nope");
    EXPECT_EQ(usageMessage({"--frames"}), "option --frames needs a value (N)");
    EXPECT_EQ(usageMessage({"--quiet=1"}), "option --quiet takes no value");
    EXPECT_EQ(usageMessage({"--frames", "many"}, "frames"),
              "option --frames expects an integer, got 'many'");
    EXPECT_EQ(usageMessage({"--frames", "12x"}, "frames"),
              "option --frames expects an integer, got '12x'");
    const CommandLine cmd(specs(), {"--size", "64x", "--scale", "big"});
    EXPECT_THROW(cmd.size("size"), UsageError);
    EXPECT_THROW(cmd.number("scale"), UsageError);
    EXPECT_THROW(cmd.str("undeclared"), UsageError);
    // Callers that only know std::invalid_argument still catch usage errors.
    EXPECT_THROW(cmd.size("size"), std::invalid_argument);
}

TEST(CommandLine, DescribesOptionsWithDefaults) {
    const std::string text = sfs::inference::describeOptions(specs());
    EXPECT_NE(text.find("  --frames N"), std::string::npos);
    EXPECT_NE(text.find("(default: 832x480)"), std::string::npos);
    EXPECT_NE(text.find("  --quiet "), std::string::npos);
}

} // namespace
