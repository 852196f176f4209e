#include "authority/crl_health.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using std::chrono::hours;

const core::TimePoint t0{std::chrono::seconds{1'780'000'000}};

class CrlHealthTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        m_store->create_authority({.name = "ca", .chain_pem = "c", .encrypted_key_pem = "k"},
                                  {.name = "t", .at = t0});
    }
    void revoke_one() {
        m_store->insert_certificate({.serial_hex = "0a", .authority = "ca", .der = {1}},
                                    {.name = "t", .at = t0});
        m_store->revoke_certificate("0a", "superseded", {.name = "t", .at = t0});
    }
    void record_crl(core::TimePoint this_update, core::TimePoint next_update) {
        m_store->record_crl({.authority = "ca",
                             .number = ++m_number,
                             .this_update = this_update,
                             .next_update = next_update,
                             .der = {1}},
                            {.name = "t", .at = this_update});
    }
    std::unique_ptr<store::Store> m_store;
    std::int64_t m_number = 0;
};

TEST_F(CrlHealthTest, NothingRevokedAndNoCrlIsFine) {
    EXPECT_EQ(crl_health(*m_store, "ca", t0), CrlHealth::fresh);
}

TEST_F(CrlHealthTest, RevokedWithoutAnyCrlIsMissing) {
    revoke_one();
    EXPECT_EQ(crl_health(*m_store, "ca", t0), CrlHealth::missing);
}

TEST_F(CrlHealthTest, WarnsWhenAThirdOfTheLifetimeIsLeftLongBeforeExpiry) {
    record_crl(t0, t0 + hours(30 * 24));
    EXPECT_EQ(crl_health(*m_store, "ca", t0 + hours(19 * 24)), CrlHealth::fresh);
    EXPECT_EQ(crl_health(*m_store, "ca", t0 + hours(21 * 24)), CrlHealth::due);
    EXPECT_EQ(crl_health(*m_store, "ca", t0 + hours(30 * 24)), CrlHealth::expired);
    record_crl(t0 + hours(30 * 24), t0 + hours(60 * 24));  // the newest CRL counts
    EXPECT_EQ(crl_health(*m_store, "ca", t0 + hours(31 * 24)), CrlHealth::fresh);
}

}  // namespace
}  // namespace certfleet::authority
