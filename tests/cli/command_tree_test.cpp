#include "cli/command_tree.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A tree shaped like certfleet's: leaves and a group with its own commands.
struct Tree {
    CLI::App app{"test", "certfleet"};
    Tree() {
        app.add_subcommand("inspect", "Show what files hold.")->group("Inspect");
        app.add_subcommand("verify", "Verify chains.")->group("Inspect");
        CLI::App* ca = app.add_subcommand("ca", "Authorities.");
        ca->group("Authority");
        ca->add_subcommand("init", "Create a CA.");
        ca->add_subcommand("export-root-key", "Write the root key.");
    }
};

std::string error_of(CLI::App& app, const std::vector<std::string>& args) {
    try {
        resolve_command_words(app, args);
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

TEST(ClosestName, SuggestsTheNearestCommandOrNone) {
    const std::vector<std::string> names{"inspect", "verify", "ca", "cert", "crl", "scan", "probe"};
    EXPECT_EQ(closest_name("inpsect", names), "inspect");
    EXPECT_EQ(closest_name("verfy", names), "verify");
    EXPECT_EQ(closest_name("insp", names), "inspect");  // a prefix
    EXPECT_EQ(closest_name("frobnicate", names), std::nullopt);
}

TEST(ResolveCommandWords, FollowsCommandsDownToTheOneNamed) {
    Tree tree;
    EXPECT_EQ(resolve_command_words(tree.app, {"ca", "init", "--name", "x"}).get_name(), "init");
    EXPECT_EQ(resolve_command_words(tree.app, {"inspect", "node.pem"}).get_name(), "inspect");
    EXPECT_EQ(&resolve_command_words(tree.app, {"--help"}), &tree.app);
    EXPECT_EQ(resolve_command_words(tree.app, {"ca"}).get_name(), "ca");
}

TEST(ResolveCommandWords, NamesAnUnknownCommandAndTheClosestOne) {
    Tree tree;
    const std::string top = error_of(tree.app, {"inpsect", "node.pem"});
    EXPECT_THAT(top, HasSubstr("unknown command \"inpsect\"; did you mean \"inspect\"?"));
    const std::string nested = error_of(tree.app, {"ca", "initt"});
    EXPECT_THAT(nested, HasSubstr("unknown command \"ca initt\"; did you mean \"ca init\"?"));
    EXPECT_THAT(nested, HasSubstr("certfleet ca --help"));
    EXPECT_THAT(error_of(tree.app, {"frobnicate"}), Not(HasSubstr("did you mean")));
}

TEST(CommandPath, NamesACommandByTheWordsThatReachIt) {
    Tree tree;
    EXPECT_EQ(command_path(tree.app), "");
    EXPECT_EQ(command_path(*find_subcommand(*find_subcommand(tree.app, "ca"), "init")), "ca init");
    EXPECT_EQ(subcommand_names(tree.app), (std::vector<std::string>{"inspect", "verify", "ca"}));
}

}  // namespace
}  // namespace certfleet::cli
