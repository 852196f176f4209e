#include "pki/crl.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/certificate.hpp"
#include "pki/pem_reader.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;

Crl fixture_crl() {
    const auto blocks = read_pem_blocks(read_fixture("pki/intermediate.crl"), "intermediate.crl");
    return Crl::from_der(blocks.at(0).der, "intermediate.crl");
}

TEST(Crl, ListsTheRevokedSerialWithItsReason) {
    const Crl crl = fixture_crl();
    const Certificate revoked = Certificate::from_pem(read_fixture("pki/revoked.pem"), "revoked.pem");
    const auto entries = crl.revoked();
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0].serial_hex, revoked.serial_hex());
    EXPECT_EQ(entries[0].reason, "keyCompromise");
    EXPECT_LE(entries[0].revoked_at, crl.this_update());
}

TEST(Crl, ReadsIssuerNumberAndUpdateTimes) {
    const Crl crl = fixture_crl();
    EXPECT_EQ(crl.issuer(), "O=certfleet tests,CN=certfleet Test Sub CA");
    EXPECT_EQ(crl.crl_number(), "1");
    ASSERT_TRUE(crl.next_update().has_value());
    // make_data.sh: -crldays 30
    EXPECT_EQ(*crl.next_update() - crl.this_update(), std::chrono::hours(24 * 30));
    EXPECT_EQ(crl.signature_algorithm(), "ecdsa-with-SHA256");
}

TEST(Crl, RoundTripsDerAndPem) {
    const Crl crl = fixture_crl();
    const Crl again = Crl::from_der(crl.der(), "again");
    EXPECT_EQ(again.der(), crl.der());
    EXPECT_EQ(read_pem_blocks(crl.pem(), "pem").at(0).label, "X509 CRL");
}

TEST(Crl, RefusesWhatIsNotACrl) {
    EXPECT_THROW(Crl::from_der(to_bytes(read_fixture("pki/server.der")), "server.der"), core::Error);
    EXPECT_THROW(Crl::from_der({}, "empty"), core::Error);
}

}  // namespace
}  // namespace certfleet::pki
