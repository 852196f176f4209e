#include "cli/help_formatter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HelpFormatter, ListsOneLinePerCommandUnderItsGroup) {
    CLI::App app{"The tool.", "certfleet"};
    app.formatter(std::make_shared<HelpFormatter>());
    app.add_subcommand("inspect", "Show what files hold.\n\nReads PEM, DER and more.\n\nExit status: 0 read.")
        ->group("Inspect and verify");
    app.add_subcommand("ca", "Create and show authorities.")->group("Authority");
    const std::string help = app.help();
    EXPECT_THAT(help, HasSubstr("Usage: certfleet COMMAND [OPTIONS]"));
    EXPECT_THAT(help, HasSubstr("Inspect and verify:\n  inspect"));
    EXPECT_THAT(help, HasSubstr("Show what files hold.\n"));
    EXPECT_THAT(help, HasSubstr("Authority:\n  ca"));
    EXPECT_THAT(help, Not(HasSubstr("Reads PEM")));
    EXPECT_THAT(help, Not(HasSubstr("Exit status: 0 read")));
}

TEST(HelpFormatter, KeepsTheWholeTextInTheCommandsOwnHelp) {
    CLI::App app{"The tool.", "certfleet"};
    app.formatter(std::make_shared<HelpFormatter>());
    CLI::App* inspect = app.add_subcommand("inspect", "Show what files hold.\n\nExit status: 0 read.");
    EXPECT_THAT(inspect->help("certfleet"), HasSubstr("Exit status: 0 read."));
    EXPECT_EQ(summary_of(*inspect), "Show what files hold.");
}

}  // namespace
}  // namespace certfleet::cli
