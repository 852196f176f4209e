#include "agent/node_operation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

AgentConfig config_with(std::map<std::string, std::vector<std::string>> operations) {
    AgentConfig config;
    config.server = "https://ca.example.com:8443";
    config.operations = std::move(operations);
    config.operation_timeout = std::chrono::seconds(10);
    return config;
}

TEST(NodeOperation, NamesAreLowerCaseWordsThatCannotBeOptionsOrPaths) {
    for (const char* good : {"restart-kudu", "a", "0", "touch_marker.v2"}) {
        EXPECT_TRUE(is_operation_name(good)) << good;
    }
    for (const char* bad : {"", "-rf", ".hidden", "_x", "Restart", "a b", "a/b", "rm;ls", "ä"}) {
        EXPECT_FALSE(is_operation_name(bad)) << bad;
    }
}

TEST(NodeOperation, AnUnknownNameIsRefusedAndNothingRuns) {
    const auto marker = std::filesystem::temp_directory_path() / "certfleet-node-operation-refused";
    std::filesystem::remove(marker);
    const AgentConfig config = config_with({{"touch-marker", {"touch", marker.string()}}});
    const OperationResult result = run_operation(config, "rm-everything");
    EXPECT_EQ(result.outcome, OperationOutcome::refused);
    EXPECT_EQ(to_string(result.outcome), "refused");
    EXPECT_THAT(result.detail, HasSubstr("no operation rm-everything in this node's configuration"));
    EXPECT_THAT(result.detail, HasSubstr("touch-marker"));
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(NodeOperation, RunsTheConfiguredCommandAndReportsItsStatusButNotItsArguments) {
    const auto marker = std::filesystem::temp_directory_path() / "certfleet-node-operation-ran";
    std::filesystem::remove(marker);
    const AgentConfig config = config_with(
        {{"touch-marker", {"touch", marker.string()}},
         {"fail", {"sh", "-c", "echo one; echo --password=s3cret >/dev/null; echo boom; exit 3"}}});
    const OperationResult ran = run_operation(config, "touch-marker");
    EXPECT_EQ(ran.outcome, OperationOutcome::succeeded);
    EXPECT_EQ(ran.detail, "operation touch-marker: exit 0");
    EXPECT_TRUE(std::filesystem::exists(marker));
    std::filesystem::remove(marker);

    const OperationResult failed = run_operation(config, "fail");
    EXPECT_EQ(failed.outcome, OperationOutcome::failed);
    EXPECT_EQ(failed.detail, "operation fail: exit 3; output: one|boom");
    EXPECT_THAT(failed.detail, Not(HasSubstr("s3cret")));
}

TEST(NodeOperation, OutputShowingAPrivateKeyIsWithheldAndALongOneIsCut) {
    const AgentConfig config =
        config_with({{"leak", {"sh", "-c", "echo '-----BEGIN PRIVATE KEY-----'; echo MIIEvQIBADANBg"}},
                     {"chatty", {"sh", "-c", "for i in 1 2 3 4 5 6 7 8; do echo line$i; done; exit 1"}}});
    const OperationResult leak = run_operation(config, "leak");
    EXPECT_EQ(leak.outcome, OperationOutcome::succeeded);
    EXPECT_THAT(leak.detail, Not(HasSubstr("MIIE")));
    EXPECT_THAT(leak.detail, HasSubstr("output withheld"));
    EXPECT_EQ(run_operation(config, "chatty").detail,
              "operation chatty: exit 1; output: line4|line5|line6|line7|line8");
}

TEST(NodeOperation, AnOperationThatOutlivesItsTimeoutIsKilledAndFails) {
    AgentConfig config = config_with({{"hang", {"sleep", "30"}}});
    config.operation_timeout = std::chrono::seconds(1);
    const OperationResult result = run_operation(config, "hang");
    EXPECT_EQ(result.outcome, OperationOutcome::failed);
    EXPECT_THAT(result.detail, HasSubstr("timed out after 1s"));
}

TEST(NodeOperation, ACommandThatCannotStartFails) {
    const OperationResult result =
        run_operation(config_with({{"gone", {"/nonexistent/certfleet-x"}}}), "gone");
    EXPECT_EQ(result.outcome, OperationOutcome::failed);
    EXPECT_THAT(result.detail, HasSubstr("exit 127"));
}

}  // namespace
}  // namespace certfleet::agent
