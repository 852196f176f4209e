#include "enrollment/autosign_rule.hpp"

#include <gtest/gtest.h>

namespace certfleet::enrollment {
namespace {

TEST(AutosignRule, GlobsMatchOneLabelPerStarCaseInsensitively) {
    const std::vector<std::tuple<const char*, const char*, bool>> table{
        {"*.nodes.example.com", "db1.nodes.example.com", true},
        {"*.nodes.example.com", "DB1.Nodes.Example.COM", true},
        {"*.nodes.example.com", "a.b.nodes.example.com", false},  // '*' stays within one label
        {"*.nodes.example.com", "nodes.example.com", false},
        {"*.nodes.example.com", "db1.nodes.example.org", false},
        {"web-??.example.com", "web-01.example.com", true},
        {"web-??.example.com", "web-1.example.com", false},
        {"web-*", "web-anything", true},
        {"node1.example.com", "node1.example.com", true},
        {"node1.example.com", "node10.example.com", false},
        {"*", "localhost", true},
        {"*", "a.b", false},
        {"*.*.example.com", "a.b.example.com", true},
        {"", "", true},
    };
    for (const auto& [glob, name, expected] : table) {
        EXPECT_EQ(glob_matches(glob, name), expected) << glob << " vs " << name;
    }
}

TEST(AutosignRule, SignsAGlobMatchQueuesTheRest) {
    const AutosignRules rules{.globs = {"*.nodes.example.com"}};
    EXPECT_EQ(judge_autosign(rules, "db1.nodes.example.com", std::nullopt).verdict, AutosignVerdict::sign);
    const AutosignDecision queued = judge_autosign(rules, "db1.example.com", std::nullopt);
    EXPECT_EQ(queued.verdict, AutosignVerdict::queue);
    EXPECT_EQ(queued.reason, "autosign: no rule matches db1.example.com");
}

TEST(AutosignRule, AConfiguredChallengeMustBeInTheCsr) {
    const AutosignRules rules{.globs = {"*.example.com"}, .challenge = core::Secret("s3cret")};
    EXPECT_EQ(judge_autosign(rules, "a.example.com", core::Secret("s3cret")).verdict, AutosignVerdict::sign);
    EXPECT_EQ(judge_autosign(rules, "a.example.com", core::Secret("wrong")).verdict, AutosignVerdict::queue);
    const AutosignDecision missing = judge_autosign(rules, "a.example.com", std::nullopt);
    EXPECT_EQ(missing.verdict, AutosignVerdict::queue);
    EXPECT_EQ(missing.reason.find("s3cret"), std::string::npos) << "a reason never shows the secret";
}

TEST(AutosignRule, ThePolicyExecutableDecidesWhatGlobsDoNot) {
    const AutosignRules rules{.globs = {"*.lab.example.com"}, .policy_executable = "/etc/certfleet/autosign"};
    EXPECT_EQ(judge_autosign(rules, "x.lab.example.com", std::nullopt).verdict, AutosignVerdict::sign);
    EXPECT_EQ(judge_autosign(rules, "prod.example.com", std::nullopt).verdict,
              AutosignVerdict::ask_policy_executable);
}

}  // namespace
}  // namespace certfleet::enrollment
