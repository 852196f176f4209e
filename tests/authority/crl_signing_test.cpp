#include "store/crl_records.hpp"
#include "test_authority.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using std::chrono::hours;

const core::TimePoint t0{std::chrono::seconds{1'780'000'000}};

TEST(CrlIsDue, WhenLessThanAThirdOfTheLifetimeIsLeft) {
    const store::CrlRecord crl{.this_update = t0, .next_update = t0 + hours(30)};
    EXPECT_FALSE(crl_is_due(crl, t0));
    EXPECT_FALSE(crl_is_due(crl, t0 + hours(19)));
    EXPECT_TRUE(crl_is_due(crl, t0 + hours(20)));
    EXPECT_TRUE(crl_is_due(crl, t0 + hours(31)));
}

class CrlSigning : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        init_test_authority(*m_store, "main", t0);
    }
    [[nodiscard]] std::int64_t newest_number(const Authority& ca) const {
        return m_store->latest_crl(m_store->find_authority(ca.name())->active_issuer().id)->number;
    }
    std::unique_ptr<store::Store> m_store;
};

TEST_F(CrlSigning, AlwaysSignsTheNextNumberAndWhenDueKeepsACurrentCrl) {
    const Authority ca = Authority::open(*m_store, "main", test_passphrase());
    const pki::Crl first = ca.generate_crl(hours(30), {.name = "test", .at = t0});
    const std::int64_t number = newest_number(ca);

    const pki::Crl kept =
        ca.generate_crl(hours(30), {.name = "test", .at = t0 + hours(19)}, CrlRefresh::when_due);
    EXPECT_EQ(kept.der(), first.der()) << "a CRL with two thirds of its life left is kept";
    EXPECT_EQ(newest_number(ca), number);

    const pki::Crl next =
        ca.generate_crl(hours(30), {.name = "test", .at = t0 + hours(20)}, CrlRefresh::when_due);
    EXPECT_EQ(newest_number(ca), number + 1);
    EXPECT_EQ(next.crl_number(), std::to_string(number + 1));

    static_cast<void>(ca.generate_crl(hours(30), {.name = "test", .at = t0 + hours(20)}));
    EXPECT_EQ(newest_number(ca), number + 2) << "CrlRefresh::always signs even when the CRL is current";
}

TEST_F(CrlSigning, TheRootsCrlIsSignedWithTheIssuersAndKeptByItsOwnSchedule) {
    const Authority ca = Authority::open(*m_store, "main", test_passphrase());
    const std::int64_t issuer = m_store->find_authority("main")->active_issuer().id;
    static_cast<void>(ca.generate_crl(hours(30), {.name = "test", .at = t0}));
    const auto root_crl = m_store->latest_crl(issuer, store::CrlSigner::root);
    ASSERT_TRUE(root_crl.has_value());
    static_cast<void>(
        ca.generate_crl(hours(30), {.name = "test", .at = t0 + hours(1)}, CrlRefresh::when_due));
    EXPECT_EQ(m_store->latest_crl(issuer, store::CrlSigner::root)->number, root_crl->number);
}

}  // namespace
}  // namespace certfleet::authority
