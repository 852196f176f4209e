#include "cli/completion.hpp"

#include <gtest/gtest.h>

namespace certfleet::cli {
namespace {

using Words = std::vector<std::string>;

struct Tree {
    CLI::App app{"test", "certfleet"};
    std::string out;
    std::string format;
    bool json = false;
    Tree() {
        app.add_subcommand("inspect", "Show.")->group("Inspect");
        CLI::App* ca = app.add_subcommand("ca", "Authorities.");
        ca->group("Authority");
        CLI::App* init = ca->add_subcommand("init", "Create a CA.");
        init->add_option("--out", out, "Where");
        init->add_flag("--json", json, "JSON");
        ca->add_subcommand("import", "Import a CA.");
        CLI::App* bundle = app.add_subcommand("bundle", "Write files.");
        bundle->group("Deploy");
        bundle->add_option("--format", format, "Format");
        bundle->add_option("--out", out, "Where");
    }
};

TEST(CompleteWords, OffersCommandsThenSubcommands) {
    Tree tree;
    EXPECT_EQ(complete_words(tree.app, {""}), (Words{"inspect", "ca", "bundle"}));
    EXPECT_EQ(complete_words(tree.app, {"c"}), (Words{"ca"}));
    EXPECT_EQ(complete_words(tree.app, {"ca", "i"}), (Words{"init", "import"}));
    EXPECT_EQ(complete_words(tree.app, {"ca", "init", ""}), Words{});  // a leaf: file names
}

TEST(CompleteWords, OffersTheOptionsOfTheCommandNamed) {
    Tree tree;
    EXPECT_EQ(complete_words(tree.app, {"ca", "init", "--j"}), (Words{"--json"}));
    EXPECT_EQ(complete_words(tree.app, {"bundle", "--f"}), (Words{"--format"}));
    const Words all = complete_words(tree.app, {"bundle", "--"});
    EXPECT_NE(std::find(all.begin(), all.end(), "--help"), all.end());
    EXPECT_NE(std::find(all.begin(), all.end(), "--out"), all.end());
}

TEST(CompleteWords, LeavesAnOptionsValueToFileNames) {
    Tree tree;
    EXPECT_EQ(complete_words(tree.app, {"bundle", "--out", ""}), Words{});
    EXPECT_EQ(complete_words(tree.app, {"bundle", "--out", "x", "--f"}), (Words{"--format"}));
    EXPECT_EQ(complete_words(tree.app, {"bundle", "--out=x", "--f"}), (Words{"--format"}));
}

}  // namespace
}  // namespace certfleet::cli
