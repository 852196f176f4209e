#include "pki/expectations.hpp"

#include "core/error.hpp"
#include "pki/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

using ::testing::HasSubstr;
using testing::load_certificate;
using testing::load_csr;
using testing::load_key;

const core::TimePoint june_2026 = core::TimePoint{std::chrono::seconds{1780272000}};  // 2026-06-01

std::vector<Certificate> chain_of(const std::string& leaf) {
    std::vector<Certificate> out;
    out.push_back(load_certificate(leaf));
    out.push_back(load_certificate("intermediate.pem"));
    out.push_back(load_certificate("root.pem"));
    return out;
}

TEST(Expectations, AcceptsTheDirectIssuerWrittenInEitherOrderAndCase) {
    const Certificate leaf = load_certificate("server.pem");
    EXPECT_FALSE(check_issuer(leaf, "O=certfleet tests,CN=certfleet Test Sub CA"));
    // Canonical comparison (RFC 5280 7.1): case and inner whitespace do not matter.
    EXPECT_FALSE(check_issuer(leaf, "O=Certfleet  Tests,CN=CERTFLEET test sub ca"));
    EXPECT_FALSE(check_issuer(leaf, "CN=certfleet Test Sub CA,O=certfleet tests"));
    EXPECT_TRUE(check_issuer(leaf, "CN=certfleet Test Sub CA"));  // an attribute missing is another name
}

TEST(Expectations, ReportsIssuerMismatchNamingBothIssuers) {
    const auto finding =
        check_issuer(load_certificate("server.pem"), "CN=certfleet Test Root,O=certfleet tests");
    ASSERT_TRUE(finding);
    EXPECT_EQ(finding->code, FindingCode::issuer_mismatch);
    EXPECT_EQ(finding->certificate_index, 0U);
    EXPECT_THAT(finding->message, HasSubstr("issued by \"O=certfleet tests,CN=certfleet Test Sub CA\""));
}

TEST(Expectations, RejectsAnIssuerThatIsNotAName) {
    EXPECT_THROW(check_issuer(load_certificate("server.pem"), "no equals sign"), core::Error);
}

TEST(Expectations, ReportsKeyMismatchOnlyForAnotherKey) {
    const Certificate leaf = load_certificate("server.pem");
    EXPECT_FALSE(check_key(leaf, load_key("server.key").public_key()));
    const auto finding = check_key(leaf, load_key("other.key").public_key());
    ASSERT_TRUE(finding);
    EXPECT_EQ(finding->code, FindingCode::key_mismatch);
    EXPECT_EQ(finding->message, "key does not match cert 0 (CN=node1.example.com)");
}

TEST(Expectations, AcceptsTheCertificateIssuedForTheCsrEvenWithReorderedSubject) {
    // `openssl ca` reorders the CSR's subject to its policy order (CN first); it is still that CSR.
    EXPECT_TRUE(check_csr(load_certificate("server.pem"), load_csr("server.csr")).empty());
}

TEST(Expectations, ReportsCsrMismatchForAnotherKeyOrSubject) {
    const auto findings = check_csr(load_certificate("revoked.pem"), load_csr("server.csr"));
    ASSERT_EQ(findings.size(), 2U);
    EXPECT_EQ(findings[0].code, FindingCode::csr_mismatch);
    EXPECT_THAT(findings[0].message, HasSubstr("public key differs"));
    EXPECT_THAT(findings[1].message, HasSubstr("subject \"CN=revoked.example.com\""));
}

TEST(Expectations, ReportsExpiresSoonForEveryCertificateOfTheChainUnderTheMinimum) {
    const core::TimePoint december_2029 = core::TimePoint{std::chrono::seconds{1890777600}};  // 2029-12-01
    std::vector<Certificate> chain = chain_of("verify/soon.pem");
    const auto findings = check_remaining(chain, core::parse_duration("60d", "test"), december_2029);
    ASSERT_EQ(findings.size(), 1U);
    EXPECT_EQ(findings[0].code, FindingCode::expires_soon);
    EXPECT_EQ(findings[0].certificate_index, 0U);
    EXPECT_THAT(findings[0].message, HasSubstr("expires 2030-01-01T00:00:00Z (31 days left, less than 60d)"));
    EXPECT_TRUE(check_remaining(chain, core::parse_duration("30d", "test"), december_2029).empty());
}

TEST(Expectations, LeavesExpiredCertificatesToTheVerifier) {
    EXPECT_TRUE(
        check_remaining(chain_of("expired.pem"), core::parse_duration("30d", "test"), june_2026).empty());
}

TEST(Expectations, RunsOnlyTheChecksAsked) {
    const std::vector<Certificate> chain = chain_of("server.pem");
    EXPECT_TRUE(check_expectations(chain, {}, june_2026).empty());
    const Csr csr = load_csr("server.csr");
    const Expectations all{.issuer = "CN=someone else",
                           .min_remaining = core::parse_duration("100y", "test"),
                           .key = load_key("other.key").public_key(),
                           .csr = &csr};
    std::vector<FindingCode> codes;
    for (const Finding& finding : check_expectations(chain, all, june_2026)) {
        codes.push_back(finding.code);
    }
    EXPECT_THAT(codes,
                ::testing::ElementsAre(FindingCode::issuer_mismatch,
                                       FindingCode::key_mismatch,
                                       FindingCode::expires_soon,
                                       FindingCode::expires_soon,
                                       FindingCode::expires_soon));
}

TEST(Expectations, RejectsAnEmptyChain) {
    EXPECT_THROW(check_expectations({}, {}, june_2026), core::Error);
}

}  // namespace
}  // namespace certfleet::pki
