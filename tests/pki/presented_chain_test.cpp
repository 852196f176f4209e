#include "pki/presented_chain.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/object_reader.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

const core::TimePoint june_2026{std::chrono::seconds{1780272000}};

std::vector<Certificate> fixture(const std::string& name) {
    return read_certificates(certfleet::testing::read_fixture("pki/" + name), name);
}

TEST(PresentedChain, JudgesTheFirstCertificateWithTheRestAsIntermediatesAndAddsExpectations) {
    const TrustStore trust = TrustStore::from_paths({std::string(CERTFLEET_TEST_DATA) + "/pki/root.pem"});
    std::vector<Certificate> presented = fixture("server.pem");
    const std::vector<Certificate> chain = fixture("intermediate.pem");
    const ChainVerdict clean = verify_presented_chain(
        presented, chain, trust, {.at = june_2026, .purpose = Purpose::server}, {}, june_2026);
    EXPECT_TRUE(clean.is_clean());
    ASSERT_EQ(clean.chain.size(), 3U);
    // The same, the intermediate presented after the leaf (a fullchain file), and an expectation that fails.
    presented.push_back(chain[0].clone());
    const ChainVerdict with_expectation = verify_presented_chain(
        presented, {}, trust, {.at = june_2026}, {.issuer = "CN=Someone Else"}, june_2026);
    ASSERT_EQ(with_expectation.findings.size(), 1U);
    EXPECT_EQ(with_expectation.findings[0].code, FindingCode::issuer_mismatch);
    // Without the intermediate the chain is incomplete.
    const ChainVerdict incomplete =
        verify_presented_chain(fixture("server.pem"), {}, trust, {.at = june_2026}, {}, june_2026);
    EXPECT_FALSE(incomplete.is_clean());
    EXPECT_THROW(verify_presented_chain({}, {}, trust, {}, {}, june_2026), core::Error);
}

}  // namespace
}  // namespace certfleet::pki
