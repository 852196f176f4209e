#include "authority/ledger.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using std::chrono::hours;

const core::TimePoint t0{std::chrono::seconds{1'780'000'000}};

class LedgerTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        store::AuthorityRecord ca{.name = "ca"};
        ca.issuers.push_back({.chain_pem = "c", .encrypted_key_pem = "k"});
        m_store->create_authority(ca, {.name = "t", .at = t0});
        m_issuer = ca.issuers[0].id;
    }
    void revoke_one() {
        m_store->insert_certificate(
            {.serial_hex = "0a", .authority = "ca", .issuer_id = m_issuer, .der = {1}},
            {.name = "t", .at = t0});
        Ledger(*m_store).revoke("ca", "0a", RevocationReason::superseded, {.name = "t", .at = t0});
    }
    void record_crl(core::TimePoint this_update, core::TimePoint next_update) {
        m_store->record_crl({.authority = "ca",
                             .issuer_id = m_issuer,
                             .number = ++m_number,
                             .this_update = this_update,
                             .next_update = next_update,
                             .der = {1}},
                            {.name = "t", .at = this_update});
    }
    std::unique_ptr<store::Store> m_store;
    std::int64_t m_number = 0;
    std::int64_t m_issuer = 0;
};

TEST_F(LedgerTest, NothingRevokedAndNoCrlIsFine) {
    EXPECT_EQ(Ledger(*m_store).crl_health("ca", t0), CrlHealth::fresh);
}

TEST_F(LedgerTest, RevokedWithoutAnyCrlIsMissing) {
    revoke_one();
    EXPECT_EQ(Ledger(*m_store).crl_health("ca", t0), CrlHealth::missing);
}

TEST_F(LedgerTest, WarnsWhenAThirdOfTheLifetimeIsLeftLongBeforeExpiry) {
    record_crl(t0, t0 + hours(30 * 24));
    EXPECT_EQ(Ledger(*m_store).crl_health("ca", t0 + hours(19 * 24)), CrlHealth::fresh);
    EXPECT_EQ(Ledger(*m_store).crl_health("ca", t0 + hours(21 * 24)), CrlHealth::due);
    EXPECT_EQ(Ledger(*m_store).crl_health("ca", t0 + hours(30 * 24)), CrlHealth::expired);
    record_crl(t0 + hours(30 * 24), t0 + hours(60 * 24));  // the newest CRL counts
    EXPECT_EQ(Ledger(*m_store).crl_health("ca", t0 + hours(31 * 24)), CrlHealth::fresh);
}

// Regression: `cert revoke SERIAL --ca no-such-ca` exited 0 and revoked.
TEST_F(LedgerTest, RevokeIsScopedToAnExistingAuthority) {
    m_store->insert_certificate({.serial_hex = "0b", .authority = "ca", .issuer_id = m_issuer, .der = {1}},
                                {.name = "t", .at = t0});
    for (const char* authority : {"no-such-ca", ""}) {
        try {
            Ledger(*m_store).revoke(authority, "0b", RevocationReason::superseded, {.name = "t", .at = t0});
            FAIL() << authority;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::not_found) << e.what();
        }
    }
    EXPECT_EQ(m_store->find_certificate("0b")->status, store::CertificateStatus::valid);
    EXPECT_THROW(Ledger(*m_store).crl_health("no-such-ca", t0), core::Error);
}

}  // namespace
}  // namespace certfleet::authority
