// A database made by the release before issuer generations (schema 3, tests/data/store/
// make_landed_store.sh) opens, migrates and keeps working: issue, list, revoke, CRL.
#include "authority/authority.hpp"
#include "authority/ledger.hpp"
#include "core/file.hpp"
#include "pki/crl.hpp"
#include "store/migrations.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::authority {
namespace {

const std::string fixture_dir = std::string(CERTFLEET_SOURCE_DIR) + "/tests/data/store/";
const core::TimePoint now = core::parse_time("2026-12-01T00:00:00Z", "now");

TEST(MigratedStore, IssuesListsAndRevokesInADatabaseMadeByTheLandedRelease) {
    certfleet::testing::TempDir dir;
    const std::string db = dir.file("landed.db");
    std::filesystem::copy_file(fixture_dir + "landed-v3.db", db);
    auto store = store::open_store("sqlite://" + db);
    EXPECT_EQ(store->schema_version(), static_cast<int>(store::migrations().size()));

    const auto record = store->find_authority("legacy");
    ASSERT_TRUE(record.has_value());
    ASSERT_EQ(record->issuers.size(), 1U);
    const store::IssuerRecord& issuer = record->active_issuer();
    EXPECT_EQ(issuer.generation, 1);
    EXPECT_FALSE(issuer.key_id.empty());  // backfilled from the stored chain
    const auto legacy = store->list_certificates({.authority = "legacy"});
    ASSERT_GE(legacy.size(), 2U);
    for (const auto& c : legacy) {
        EXPECT_EQ(c.issuer_id, issuer.id) << c.serial_hex;
        EXPECT_EQ(c.authority_key_id, issuer.key_id) << c.serial_hex;  // backfilled from the DER
    }
    const auto old_crl = store->latest_crl(issuer.id);
    ASSERT_TRUE(old_crl.has_value());
    EXPECT_EQ(old_crl->number, 1);
    EXPECT_EQ(store->list_custom_chains({}).size(), 1U);

    const Authority ca = Authority::open(*store, "legacy", core::Secret("legacy store passphrase"));
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
    const pki::Csr csr = pki::Csr::create({.subject = "CN=new.example.com"}, key);
    const auto issued = ca.issue({.csr = &csr, .requester = "test:migration"}, now);
    EXPECT_TRUE(issued.certificate.is_issued_by(ca.issuer()));
    EXPECT_EQ(store->list_certificates({.authority = "legacy"}).size(), legacy.size() + 1);

    const pki::Certificate kept =
        pki::Certificate::from_pem(core::read_file(fixture_dir + "landed-kept.pem"), "kept");
    ca.revoke(kept.serial_hex(),
              RevocationReason::key_compromise,
              {.name = "test:migration", .at = now},
              std::chrono::hours(24));
    const auto crl = pki::Crl::from_der(store->latest_crl(issuer.id)->der, "crl");
    EXPECT_EQ(crl.crl_number(), "2");
    EXPECT_EQ(crl.revoked().size(), 2U);  // the one revoked by the old release, and this one
    EXPECT_EQ(Ledger(*store).crl_health("legacy", now), CrlHealth::fresh);
}

}  // namespace
}  // namespace certfleet::authority
