// Which rules a profile applies to which certificate of a chain, the engine details a profile brings to
// verify_chain, and no false rejection of the roots Debian trusts.
#include "pki/server_profile.hpp"

#include "core/error.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::pki {
namespace {

using testing::fixture_path;
using testing::load_certificate;

Certificate profile_fixture(const std::string& name) {
    return load_certificate("profile/" + name + ".pem");
}

std::vector<Certificate> chain_of(std::initializer_list<const char*> names) {
    std::vector<Certificate> out;
    for (const char* name : names) {
        out.push_back(profile_fixture(name));
    }
    return out;
}

std::vector<FindingCode> codes_of(const std::vector<Finding>& findings) {
    std::vector<FindingCode> out;
    for (const Finding& finding : findings) {
        out.push_back(finding.code);
    }
    return out;
}

std::vector<FindingCode> profile_codes(std::initializer_list<const char*> names, ServerProfile profile) {
    return codes_of(check_server_profile(chain_of(names), {.profile = profile, .ends_at_anchor = true}));
}

TrustStore trust_of(std::initializer_list<const char*> names) {
    return TrustStore::from_certificates(chain_of(names), "profile anchors");
}

TEST(ServerProfile, ParsesItsNames) {
    EXPECT_EQ(parse_server_profile("default", "--profile"), ServerProfile::standard);
    EXPECT_EQ(parse_server_profile("strict", "--profile"), ServerProfile::strict);
    EXPECT_EQ(parse_server_profile("openssl", "--profile"), ServerProfile::off);
    EXPECT_THROW(parse_server_profile("lenient", "--profile"), core::Error);
}

TEST(ServerProfile, PassesACleanChainInEveryProfile) {
    for (const ServerProfile profile : {ServerProfile::standard, ServerProfile::strict}) {
        EXPECT_TRUE(profile_codes({"ok", "root"}, profile).empty()) << to_string(profile);
    }
}

TEST(ServerProfile, OffAppliesNoRule) {
    EXPECT_TRUE(profile_codes({"serial_zero", "root_eku"}, ServerProfile::off).empty());
}

TEST(ServerProfile, StrictRulesStayOutOfTheDefaultProfile) {
    EXPECT_TRUE(profile_codes({"eku_any", "root"}, ServerProfile::standard).empty());
    EXPECT_EQ(profile_codes({"eku_any", "root"}, ServerProfile::strict),
              std::vector<FindingCode>{FindingCode::eku_any_in_leaf});
}

TEST(ServerProfile, SerialRulesSkipTheTrustAnchor) {
    EXPECT_TRUE(profile_codes({"ok", "root_serial_zero"}, ServerProfile::strict).empty());
    EXPECT_EQ(profile_codes({"serial_zero", "root"}, ServerProfile::standard),
              std::vector<FindingCode>{FindingCode::serial_not_positive});
}

TEST(ServerProfile, JudgesATrustedLeafAsALeaf) {
    // A pinned certificate is trusted as it is, and still has to be a valid server certificate.
    for (const bool trusted : {true, false}) {
        EXPECT_EQ(codes_of(check_server_profile(chain_of({"san_underscore"}), {.ends_at_anchor = trusted})),
                  std::vector<FindingCode>{FindingCode::malformed_dns_name});
        EXPECT_EQ(codes_of(check_server_profile(chain_of({"serial_zero"}), {.ends_at_anchor = trusted})),
                  std::vector<FindingCode>{FindingCode::serial_not_positive});
    }
}

TEST(ServerProfile, AnchorRulesApplyToTheAnchorOnly) {
    EXPECT_EQ(profile_codes({"ok", "root_eku"}, ServerProfile::standard),
              std::vector<FindingCode>{FindingCode::eku_on_anchor});
    EXPECT_TRUE(
        codes_of(check_server_profile(chain_of({"ok", "root_eku"}), {.ends_at_anchor = false})).empty());
}

TEST(ServerProfile, JudgesTheCrlsUsed) {
    std::vector<Crl> crls;
    crls.push_back(testing::load_crl("profile/crl_unnumbered.pem"));
    EXPECT_EQ(
        codes_of(check_server_profile(chain_of({"ok", "root"}), {.ends_at_anchor = true, .crls = &crls})),
        std::vector<FindingCode>{FindingCode::crl_number_missing});
}

// verify_chain with a profile: the engine details.

TEST(ServerProfileEngine, NotAfterEqualToTheValidationTimeIsStillValid) {
    const core::TimePoint not_after = parse_time("2030-01-01T00:00:00Z", "test");
    const TrustStore trust = TrustStore::from_path(fixture_path("root.pem"));
    std::vector<Certificate> untrusted;
    untrusted.push_back(load_certificate("intermediate.pem"));
    const Certificate leaf = load_certificate("verify/soon.pem");
    EXPECT_EQ(codes_of(verify_chain(leaf, untrusted, trust, {.at = not_after}).findings),
              std::vector<FindingCode>{FindingCode::expired});
    EXPECT_TRUE(verify_chain(leaf, untrusted, trust, {.at = not_after, .profile = ServerProfile::standard})
                    .is_clean());
    const core::TimePoint after = not_after + std::chrono::seconds(1);
    EXPECT_EQ(
        codes_of(
            verify_chain(leaf, untrusted, trust, {.at = after, .profile = ServerProfile::standard}).findings),
        std::vector<FindingCode>{FindingCode::expired});
}

TEST(ServerProfileEngine, TrustAnchorNeedsNoKeyUsageUnderStrictChecks) {
    const VerifyOptions strict{.strictness = Strictness::strict};
    const Certificate leaf = profile_fixture("no_ku_leaf");
    const TrustStore trust = trust_of({"root_no_ku"});
    EXPECT_EQ(codes_of(verify_chain(leaf, {}, trust, strict).findings),
              std::vector<FindingCode>{FindingCode::malformed_certificate});
    VerifyOptions with_profile = strict;
    with_profile.profile = ServerProfile::standard;
    EXPECT_TRUE(verify_chain(leaf, {}, trust, with_profile).is_clean());
}

TEST(ServerProfileEngine, RetriesPathBuildingWithoutTheFailedPathsIntermediates) {
    // OpenSSL takes the first issuer it finds, ica_b_forbidden, whose SAN nc_forbid_ca excludes; the
    // same key certified by root2 gives a valid path.
    const std::vector<Certificate> untrusted = chain_of({"ica_b_forbidden", "nc_forbid_ca", "ica_b_root2"});
    const TrustStore trust = trust_of({"root", "root2"});
    const Certificate leaf = profile_fixture("ica_b_leaf");
    EXPECT_EQ(codes_of(verify_chain(leaf, untrusted, trust, {}).findings),
              std::vector<FindingCode>{FindingCode::name_constraint_violation});
    const ChainVerdict verdict = verify_chain(leaf, untrusted, trust, {.profile = ServerProfile::standard});
    EXPECT_TRUE(verdict.is_clean()) << verdict.findings.front().message;
    ASSERT_EQ(verdict.chain.size(), 3U);
    EXPECT_EQ(verdict.chain[2].subject_common_name(), "certfleet Profile Root 2");
}

TEST(ServerProfileEngine, SelfIssuedIntermediatesDoNotCountAgainstTheDepth) {
    const std::vector<Certificate> untrusted = chain_of({"ica_c_rollover", "ica_c"});
    const TrustStore trust = trust_of({"root"});
    const Certificate leaf = profile_fixture("ica_c_leaf");
    // OpenSSL stops building at the depth: the chain is too long, and so incomplete.
    EXPECT_THAT(codes_of(verify_chain(leaf, untrusted, trust, {.max_depth = 1}).findings),
                ::testing::Contains(FindingCode::chain_too_long));
    EXPECT_TRUE(verify_chain(leaf, untrusted, trust, {.max_depth = 1, .profile = ServerProfile::standard})
                    .is_clean());
    // The rollover is not counted, the rest still is: two intermediates, one of them counted, exceed 0.
    EXPECT_THAT(
        codes_of(verify_chain(leaf, untrusted, trust, {.max_depth = 0, .profile = ServerProfile::standard})
                     .findings),
        ::testing::Contains(FindingCode::chain_too_long));
}

TEST(ServerProfileEngine, ASelfSignedAnchorWithABrokenSignatureIsReported) {
    const Certificate broken = profile_fixture("root_bad_sig");
    const TrustStore trust = TrustStore::from_certificates(chain_of({"root_bad_sig"}), "broken root");
    const Certificate leaf = profile_fixture("ok");
    EXPECT_TRUE(verify_chain(leaf, {}, trust, {}).is_clean());  // OpenSSL trusts it as it is
    EXPECT_EQ(codes_of(verify_chain(leaf, {}, trust, {.profile = ServerProfile::standard}).findings),
              std::vector<FindingCode>{FindingCode::bad_self_signature});
}

// No false rejection on real material: every root Debian trusts verifies as an anchor under the
// default profile (Debian's store has roots with serial 0 and roots with AKI issuer/serial).
TEST(ServerProfile, EveryRootInTheSystemStoreVerifiesAsAnAnchor) {
    const std::filesystem::path store = "/etc/ssl/certs";
    ASSERT_TRUE(std::filesystem::exists(store / "ca-certificates.crt")) << "install ca-certificates";
    int roots = 0;
    for (const auto& entry : std::filesystem::directory_iterator(store)) {
        if (entry.path().extension() != ".pem") {
            continue;
        }
        const std::string path = entry.path().string();
        std::vector<Certificate> root;
        root.push_back(Certificate::from_pem(core::read_file(path), path));
        // As the anchor of a chain: the rules for anchors under the default profile, and OpenSSL's own
        // verification of the root against itself with the engine details of the profile.
        EXPECT_TRUE(check_anchor(root.front(), 1, ServerProfile::standard).empty())
            << path << ": " << check_anchor(root.front(), 1, ServerProfile::standard).front().message;
        const TrustStore trust = TrustStore::from_certificates(root, path);
        const ChainVerdict verdict = verify_chain(root.front(), {}, trust, {.profile = ServerProfile::off});
        EXPECT_TRUE(verdict.is_clean()) << path << ": " << verdict.findings.front().message;
        ++roots;
    }
    EXPECT_GT(roots, 100);
}

}  // namespace
}  // namespace certfleet::pki
