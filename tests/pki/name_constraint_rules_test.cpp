// Each server-profile rule about nameConstraints, alone, on make_profile_data.sh fixtures.
#include "pki/fixtures.hpp"
#include "pki/profile_rules.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

Certificate profile_fixture(const std::string& name) {
    return testing::load_certificate("profile/" + name + ".pem");
}

template <class Rule>
void expect_rule(Rule rule, const std::string& bad, FindingCode code, const std::string& good) {
    EXPECT_EQ(rule(profile_fixture(good), 1), std::nullopt) << good;
    const RuleResult finding = rule(profile_fixture(bad), 1);
    ASSERT_TRUE(finding.has_value()) << bad;
    EXPECT_EQ(finding->code, code) << bad;
    EXPECT_EQ(finding->certificate_index, 1U);
}

TEST(NameConstraintRules, LeavesCarryNoNameConstraints) {
    expect_rule(check_leaf_without_name_constraints, "nc_leaf", FindingCode::name_constraints_in_leaf, "ok");
}

TEST(NameConstraintRules, NameConstraintsAreNotEmpty) {
    expect_rule(check_name_constraints_not_empty,
                "nc_empty_ca",
                FindingCode::name_constraints_empty,
                "nc_excluded_ca");
}

TEST(NameConstraintRules, DnsConstraintsAreDnsNames) {
    expect_rule(
        check_dns_constraints_valid, "nc_invalid_ca", FindingCode::name_constraint_invalid, "nc_excluded_ca");
    // The leading dot openssl writes is the strict rule's business, not this one's.
    EXPECT_EQ(check_dns_constraints_valid(profile_fixture("nc_dot_ca"), 1), std::nullopt);
}

TEST(NameConstraintRules, StrictDnsConstraintsHaveNoLeadingDot) {
    expect_rule(check_dns_constraints_without_leading_dot,
                "nc_dot_ca",
                FindingCode::name_constraint_leading_dot,
                "nc_excluded_ca");
}

TEST(NameConstraintRules, WildcardsDoNotReachAnExcludedSubtree) {
    const Certificate ca = profile_fixture("nc_excluded_ca");
    const RuleResult finding = check_wildcards_outside_excluded(profile_fixture("wildcard"), ca, 1);
    ASSERT_TRUE(finding.has_value());
    EXPECT_EQ(finding->code, FindingCode::wildcard_reaches_excluded);
    EXPECT_EQ(finding->message,
              "cert 1 (CN=certfleet Profile nc_excluded_ca): excludes dNSName \"bar.example.com\", which the "
              "leaf's wildcard subjectAltName DNS:*.example.com covers");
    EXPECT_EQ(check_wildcards_outside_excluded(profile_fixture("ok"), ca, 1), std::nullopt);
}

}  // namespace
}  // namespace certfleet::pki
