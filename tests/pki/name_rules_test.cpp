// Each server-profile rule about the leaf's names, alone, on make_profile_data.sh fixtures.
#include "pki/fixtures.hpp"
#include "pki/profile_rules.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

Certificate profile_fixture(const std::string& name) {
    return testing::load_certificate("profile/" + name + ".pem");
}

// Expects `rule` to pass the fixture `good` and to find `code` in `bad`; returns the finding's message.
template <class Rule>
std::string expect_rule(Rule rule, const std::string& bad, FindingCode code, const std::string& good = "ok") {
    EXPECT_EQ(rule(profile_fixture(good), 0), std::nullopt) << good;
    const RuleResult finding = rule(profile_fixture(bad), 0);
    if (!finding) {
        ADD_FAILURE() << bad << ": no finding";
        return "";
    }
    EXPECT_EQ(finding->code, code) << bad;
    EXPECT_EQ(finding->certificate_index, 0U);
    return finding->message;
}

TEST(NameRules, DnsNamesAreValid) {
    EXPECT_EQ(
        expect_rule(check_san_dns_names, "san_underscore", FindingCode::malformed_dns_name),
        "cert 0 (CN=node_1.example.com): subjectAltName DNS:node_1.example.com is not a valid DNS name");
    EXPECT_EQ(check_san_dns_names(profile_fixture("wildcard"), 0), std::nullopt);
}

TEST(NameRules, StrictLeavesHaveASubjectAltName) {
    expect_rule(check_san_present, "san_missing", FindingCode::san_missing);
}

TEST(NameRules, SubjectAltNameIsNotCriticalBesideASubject) {
    expect_rule(check_san_not_critical, "san_critical", FindingCode::san_critical_with_subject);
}

TEST(NameRules, IpCommonNameIsTheCanonicalTextOfASanAddress) {
    EXPECT_EQ(expect_rule(
                  check_common_name_ip, "cn_ip_zeros", FindingCode::common_name_ip_not_canonical, "cn_ip_ok"),
              "cert 0 (CN=192.168.001.001): commonName 192.168.001.001 is not the canonical text of a "
              "subjectAltName IP address");
    EXPECT_EQ(check_common_name_ip(profile_fixture("ok"), 0), std::nullopt);  // a DNS commonName
}

TEST(NameRules, CommonNameMatchesItsSanInCase) {
    expect_rule(check_common_name_case, "cn_case", FindingCode::common_name_case_mismatch);
}

TEST(NameRules, DomainCommonNameIsAscii) {
    expect_rule(check_common_name_ascii, "cn_utf8", FindingCode::common_name_not_ascii);
}

TEST(NameRules, HexIpCommonNameIsNotCanonical) {
    // "0xC0A80101" is 192.168.1.1 to inet_aton(3), but not its canonical text.
    EXPECT_EQ(check_common_name_ip(profile_fixture("cn_ip_hex"), 0)->code,
              FindingCode::common_name_ip_not_canonical);
}

TEST(NameRules, WildcardsDoNotCoverAPublicSuffix) {
    const auto icann_only = [](const Certificate& c, std::size_t i) {
        return check_wildcard_public_suffix(c, i, false);
    };
    const auto with_private = [](const Certificate& c, std::size_t i) {
        return check_wildcard_public_suffix(c, i, true);
    };
    EXPECT_EQ(expect_rule(icann_only, "wildcard_icann", FindingCode::wildcard_public_suffix, "wildcard"),
              "cert 0 (CN=*.co.uk): subjectAltName DNS:*.co.uk covers the whole public suffix co.uk");
    EXPECT_EQ(icann_only(profile_fixture("wildcard_private"), 0), std::nullopt);
    expect_rule(with_private, "wildcard_private", FindingCode::wildcard_public_suffix, "wildcard");
}

}  // namespace
}  // namespace certfleet::pki
