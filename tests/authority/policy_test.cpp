#include "authority/policy.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using pki::GeneralName;
using Kind = pki::GeneralName::Kind;
using std::chrono::hours;

const Policy strict = parse_policy(R"(
allowed_domains: [example.com, "*.example.com"]
allow_wildcards: false
allowed_ip_ranges: [10.0.0.0/8, "fd00::/8"]
max_validity: 90d
allowed_key_types: [ec, rsa]
min_rsa_bits: 3072
allow_subject_override: false
)",
                                   "policy.yaml");

const pki::KeyDescription ec256{.algorithm = "EC", .bits = 256, .curve = "P-256"};

struct Case {
    std::string title;
    PolicyRequest request;
    std::vector<PolicyRefusalReason> expected;  // empty: allowed
};

class PolicyTable : public ::testing::TestWithParam<Case> {};

TEST_P(PolicyTable, DecidesAndNamesTheRefusingRule) {
    const PolicyDecision decision = evaluate(strict, GetParam().request);
    std::vector<PolicyRefusalReason> reasons;
    for (const auto& r : decision.refusals) {
        reasons.push_back(r.reason);
    }
    EXPECT_EQ(reasons, GetParam().expected) << decision.describe();
    EXPECT_EQ(decision.allowed(), GetParam().expected.empty());
}

PolicyRequest request(std::vector<GeneralName> names, std::string cn = "") {
    return {
        .common_name = std::move(cn), .names = std::move(names), .validity = hours(24 * 30), .key = ec256};
}

INSTANTIATE_TEST_SUITE_P(
    Rules,
    PolicyTable,
    ::testing::Values(
        Case{"exact_domain", request({{Kind::dns, "example.com"}}), {}},
        Case{"subdomain", request({{Kind::dns, "db1.dc1.example.com"}}, "db1.dc1.example.com"), {}},
        Case{"case_insensitive", request({{Kind::dns, "DB1.Example.COM"}}), {}},
        Case{"foreign_domain", request({{Kind::dns, "evil.org"}}), {PolicyRefusalReason::name_not_allowed}},
        Case{"suffix_trick",
             request({{Kind::dns, "badexample.com"}}),
             {PolicyRefusalReason::name_not_allowed}},
        Case{"foreign_common_name",
             request({{Kind::dns, "a.example.com"}}, "evil.org"),
             {PolicyRefusalReason::name_not_allowed}},
        Case{
            "wildcard", request({{Kind::dns, "*.example.com"}}), {PolicyRefusalReason::wildcard_not_allowed}},
        Case{"ip_inside", request({{Kind::ip, "10.1.2.3"}}), {}},
        Case{"ipv6_inside", request({{Kind::ip, "fd12::1"}}), {}},
        Case{"ip_outside", request({{Kind::ip, "192.168.1.1"}}), {PolicyRefusalReason::ip_not_allowed}},
        Case{"email",
             request({{Kind::email, "ops@example.com"}}),
             {PolicyRefusalReason::name_kind_not_allowed}},
        Case{"too_long",
             {.names = {{Kind::dns, "a.example.com"}}, .validity = hours(24 * 365), .key = ec256},
             {PolicyRefusalReason::validity_too_long}},
        Case{"ed25519",
             {.names = {{Kind::dns, "a.example.com"}},
              .validity = hours(24),
              .key = {.algorithm = "Ed25519", .bits = 256}},
             {PolicyRefusalReason::key_type_not_allowed}},
        Case{"rsa_2048",
             {.names = {{Kind::dns, "a.example.com"}},
              .validity = hours(24),
              .key = {.algorithm = "RSA", .bits = 2048}},
             {PolicyRefusalReason::key_too_small}},
        Case{"rsa_3072",
             {.names = {{Kind::dns, "a.example.com"}},
              .validity = hours(24),
              .key = {.algorithm = "RSA", .bits = 3072}},
             {}},
        Case{"subject_override",
             {.names = {{Kind::dns, "a.example.com"}},
              .validity = hours(24),
              .key = ec256,
              .subject_overridden = true},
             {PolicyRefusalReason::subject_override_not_allowed}},
        Case{"several",
             request({{Kind::dns, "evil.org"}, {Kind::ip, "8.8.8.8"}}),
             {PolicyRefusalReason::name_not_allowed, PolicyRefusalReason::ip_not_allowed}}),
    [](const auto& param_info) { return param_info.param.title; });

TEST(Policy, AllowsEverythingWhenEmptyExceptSmallRsaKeys) {
    const Policy open = parse_policy("", "empty");
    EXPECT_TRUE(evaluate(open, request({{Kind::dns, "*.anything.org"}, {Kind::ip, "1.2.3.4"}})).allowed());
    const auto small = evaluate(open, {.validity = hours(24), .key = {.algorithm = "RSA", .bits = 1024}});
    ASSERT_EQ(small.refusals.size(), 1U);
    EXPECT_EQ(small.refusals[0].reason, PolicyRefusalReason::key_too_small);
}

TEST(Policy, DescribesTheRuleThatRefused) {
    const auto decision = evaluate(strict, request({{Kind::dns, "evil.org"}}));
    EXPECT_EQ(decision.describe(),
              "name_not_allowed: DNS:evil.org (allowed_domains: [example.com, *.example.com])");
}

TEST(Policy, RefusesMalformedFiles) {
    EXPECT_THROW(parse_policy("allowed_ip_ranges: [10.0.0.0/33]", "p"), core::Error);
    EXPECT_THROW(parse_policy("allowed_ip_ranges: [not-an-ip]", "p"), core::Error);
    EXPECT_THROW(parse_policy("allowed_key_types: [dsa]", "p"), core::Error);
    EXPECT_THROW(parse_policy("max_validity: forever", "p"), core::Error);
    EXPECT_THROW(parse_policy("allowed_domain: [typo.example]", "p"), core::Error);
    EXPECT_THROW(parse_policy("[unclosed", "p"), core::Error);
}

TEST(Policy, RoundTripsThroughYaml) {
    const Policy again = parse_policy(to_yaml(strict), "again");
    EXPECT_EQ(again.allowed_domains, strict.allowed_domains);
    EXPECT_EQ(again.allowed_ip_ranges, strict.allowed_ip_ranges);
    EXPECT_EQ(again.max_validity, strict.max_validity);
    EXPECT_EQ(again.allow_wildcards, false);
    EXPECT_EQ(again.min_rsa_bits, 3072);
    EXPECT_EQ(again.allow_subject_override, false);
}

}  // namespace
}  // namespace certfleet::authority
