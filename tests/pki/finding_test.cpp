#include "pki/finding.hpp"

#include "pki/fixtures.hpp"

#include <gtest/gtest.h>
#include <openssl/x509_vfy.h>

#include <set>

namespace certfleet::pki {
namespace {

TEST(Finding, CodesHaveStableDistinctNames) {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(FindingCode::bad_self_signature); ++i) {
        names.insert(to_string(static_cast<FindingCode>(i)));
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(FindingCode::bad_self_signature) + 1);
    EXPECT_EQ(to_string(FindingCode::serial_not_positive), "serial_not_positive");
    EXPECT_EQ(to_string(FindingCode::bad_self_signature), "bad_self_signature");
    EXPECT_EQ(to_string(FindingCode::host_mismatch), "host_mismatch");
    EXPECT_EQ(to_string(FindingCode::chain_incomplete), "chain_incomplete");
    EXPECT_EQ(to_string(FindingCode::expires_soon), "expires_soon");
}

TEST(Finding, MapsOpensslVerifyErrorsToCodes) {
    EXPECT_EQ(finding_code_for_verify_error(X509_V_ERR_CERT_HAS_EXPIRED), FindingCode::expired);
    EXPECT_EQ(finding_code_for_verify_error(X509_V_ERR_HOSTNAME_MISMATCH), FindingCode::host_mismatch);
    EXPECT_EQ(finding_code_for_verify_error(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
              FindingCode::chain_incomplete);
    EXPECT_EQ(finding_code_for_verify_error(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN),
              FindingCode::untrusted_root);
    // Anything the table does not name keeps OpenSSL's text under the catch-all code.
    EXPECT_EQ(finding_code_for_verify_error(X509_V_ERR_OUT_OF_MEM), FindingCode::verification_failed);
    EXPECT_EQ(finding_code_for_verify_error(X509_V_ERR_UNSPECIFIED), FindingCode::verification_failed);
}

TEST(Finding, DescribesACertificateByCommonNameAndIndex) {
    EXPECT_EQ(describe_certificate(1, testing::load_certificate("intermediate.pem")),
              "cert 1 (CN=certfleet Test Sub CA)");
}

}  // namespace
}  // namespace certfleet::pki
