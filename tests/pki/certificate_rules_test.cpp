// Each server-profile rule about one certificate, alone, on a fixture of make_profile_data.sh that breaks
// it and on ok.pem (or root.pem) that does not.
#include "pki/fixtures.hpp"
#include "pki/profile_rules.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

using testing::load_certificate;
using testing::load_crl;

Certificate profile_fixture(const std::string& name) {
    return load_certificate("profile/" + name + ".pem");
}

// Expects `rule` to pass ok.pem and to find `code` in the fixture `bad`, naming it as cert `index`.
template <class Rule>
void expect_rule(Rule rule, const std::string& bad, FindingCode code, const std::string& good = "ok") {
    EXPECT_EQ(rule(profile_fixture(good), 0), std::nullopt) << good;
    const RuleResult finding = rule(profile_fixture(bad), 2);
    ASSERT_TRUE(finding.has_value()) << bad;
    EXPECT_EQ(finding->code, code) << bad;
    EXPECT_EQ(finding->certificate_index, 2U);
    EXPECT_TRUE(finding->message.starts_with("cert 2 (CN=")) << finding->message;
}

TEST(CertificateRules, SerialNumbersArePositive) {
    expect_rule(check_serial_positive, "serial_zero", FindingCode::serial_not_positive);
    expect_rule(check_serial_positive, "serial_negative", FindingCode::serial_not_positive);
    EXPECT_EQ(check_serial_positive(profile_fixture("serial_long"), 0), std::nullopt);
}

TEST(CertificateRules, SerialNumbersHaveAtMostTwentyOctets) {
    expect_rule(check_serial_length, "serial_long", FindingCode::serial_too_long);
    EXPECT_NE(check_serial_length(profile_fixture("serial_long"), 0)->message.find("21 octets"),
              std::string::npos);
}

TEST(CertificateRules, KeysAreNotDsa) {
    expect_rule(check_not_dsa, "dsa", FindingCode::dsa_key);
}

TEST(CertificateRules, RsaModulusSizesAreWholeBytes) {
    expect_rule(check_rsa_size, "rsa2052", FindingCode::rsa_size_not_byte_multiple);
    EXPECT_EQ(check_rsa_size(load_certificate("server.pem"), 0), std::nullopt);  // RSA 2048
}

TEST(CertificateRules, LeavesAreVersion3) {
    expect_rule(check_version_3, "v1", FindingCode::leaf_not_v3);
}

TEST(CertificateRules, CaFlagComesWithKeyCertSign) {
    expect_rule(check_ca_flag_has_cert_sign, "ca_no_cert_sign", FindingCode::leaf_ca_without_cert_sign);
    EXPECT_EQ(check_ca_flag_has_cert_sign(profile_fixture("ca_leaf"), 0), std::nullopt);
    EXPECT_EQ(check_ca_flag_has_cert_sign(profile_fixture("root"), 0), std::nullopt);
}

TEST(CertificateRules, AuthorityInfoAccessDecodes) {
    expect_rule(check_aia_decodes, "aia_malformed", FindingCode::malformed_aia);
    EXPECT_EQ(check_aia_decodes(load_certificate("server.pem"), 0), std::nullopt);
}

TEST(CertificateRules, StrictPolicyConstraintsAreCritical) {
    expect_rule(
        check_policy_constraints_critical, "pc_noncritical_ca", FindingCode::policy_constraints_not_critical);
    EXPECT_EQ(check_policy_constraints_critical(load_certificate("verify/policy_ca.pem"), 0), std::nullopt);
}

TEST(CertificateRules, ExtendedKeyUsageListsAPurpose) {
    expect_rule(check_eku_not_empty, "eku_empty", FindingCode::eku_empty);
    EXPECT_EQ(check_eku_not_empty(profile_fixture("eku_missing"), 0), std::nullopt);
}

TEST(CertificateRules, LeafExtendedKeyUsageIsNotCritical) {
    expect_rule(check_eku_not_critical, "eku_critical", FindingCode::eku_critical);
}

TEST(CertificateRules, RootsCarryNoExtendedKeyUsage) {
    expect_rule(check_anchor_without_eku, "root_eku", FindingCode::eku_on_anchor, "root");
}

TEST(CertificateRules, StrictLeavesDoNotAllowAnyExtendedKeyUsage) {
    expect_rule(check_eku_not_any, "eku_any", FindingCode::eku_any_in_leaf);
}

TEST(CertificateRules, RootAuthorityKeyIdentifierHasKeyIdentifier) {
    expect_rule(
        check_anchor_aki_has_key_id, "root_aki_issuer", FindingCode::anchor_aki_without_key_id, "root");
}

TEST(CertificateRules, RootAuthorityKeyIdentifierIsItsSubjectKeyIdentifier) {
    expect_rule(check_anchor_aki_matches_ski, "root_aki_mismatch", FindingCode::anchor_aki_mismatch, "root");
}

TEST(CertificateRules, StrictRootAuthorityKeyIdentifierNamesNoIssuer) {
    expect_rule(
        check_anchor_aki_key_id_only, "root_aki_issuer", FindingCode::anchor_aki_issuer_serial, "root");
}

TEST(CertificateRules, SelfSignedAnchorSignatureVerifies) {
    expect_rule(check_anchor_self_signature, "root_bad_sig", FindingCode::bad_self_signature, "root");
    EXPECT_EQ(check_anchor_self_signature(load_certificate("root.pem"), 0), std::nullopt);
}

TEST(CertificateRules, CrlsCarryACrlNumber) {
    EXPECT_EQ(check_crl_number(load_crl("profile/crl_numbered.pem")), std::nullopt);
    const std::optional<Finding> finding = check_crl_number(load_crl("profile/crl_unnumbered.pem"));
    ASSERT_TRUE(finding.has_value());
    EXPECT_EQ(finding->code, FindingCode::crl_number_missing);
    EXPECT_EQ(finding->message, "CRL of CN=certfleet Profile Root: no cRLNumber extension");
}

}  // namespace
}  // namespace certfleet::pki
