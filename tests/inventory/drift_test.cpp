#include "inventory/drift.hpp"

#include "core/file.hpp"
#include "inventory/inventory_report.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace certfleet::inventory {
namespace {

const std::string pki_dir = std::string(CERTFLEET_TEST_DATA) + "/pki/";

pki::Certificate fixture(const std::string& name) {
    return pki::Certificate::from_pem(core::read_file(pki_dir + name), name);
}

CertificateRecord found(const std::string& name) {
    return make_record(fixture(name), name, name + ": block 1", "pem");
}

const store::Actor test_actor{.name = "test:drift",
                              .at = core::TimePoint{std::chrono::seconds{1'700'000'000}}};

/// The store's record of a certificate we "issued": the fixture itself, as authority/ would record it.
store::CertificateRecord issued(const std::string& name) {
    const pki::Certificate cert = fixture(name);
    store::CertificateRecord record{.serial_hex = cert.serial_hex(),
                                    .authority = "main",
                                    .subject = cert.subject(),
                                    .subject_alt_names = {},
                                    .not_before = cert.not_before(),
                                    .not_after = cert.not_after(),
                                    .profile = "server",
                                    .requester = "test:drift",
                                    .der = cert.der()};
    for (const pki::GeneralName& san : cert.subject_alt_names()) {
        record.subject_alt_names.push_back(pki::to_string(san));
    }
    return record;
}

/// A scan's records judged against a real SQLite store in a temporary directory.
class DriftAgainstStore : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite://" + m_dir.file("certfleet.db"));
        store::AuthorityRecord main{.name = "main", .created_at = test_actor.at};
        main.issuers.push_back({.chain_pem = core::read_file(pki_dir + "intermediate.pem") +
                                             core::read_file(pki_dir + "root.pem"),
                                .encrypted_key_pem = "-"});
        m_store->create_authority(main, test_actor);
    }

    Drift judge(const std::string& name) {
        std::vector<CertificateRecord> records{found(name)};
        add_drift(records, *m_store);
        EXPECT_TRUE(records[0].drift.has_value());
        return records[0].drift.value_or(Drift{});
    }

    testing::TempDir m_dir;
    std::unique_ptr<store::Store> m_store;
};

TEST_F(DriftAgainstStore, OursAndNewest) {
    m_store->insert_certificate(issued("server.pem"), test_actor);
    const Drift drift = judge("server.pem");
    EXPECT_TRUE(drift.issued_by_us);
    EXPECT_EQ(drift.authority, "main");
    EXPECT_FALSE(drift.revoked);
    EXPECT_TRUE(drift.newest_for_names);
    EXPECT_EQ(drift.newer_serial, "");
    EXPECT_EQ(drift_label(drift), "ok");
}

TEST_F(DriftAgainstStore, OursButSupersededByALaterCertificateForTheSameNames) {
    m_store->insert_certificate(issued("server.pem"), test_actor);
    store::CertificateRecord newer = issued("server.pem");
    newer.serial_hex = "0abc01";
    newer.not_before += std::chrono::hours(24);
    newer.subject_alt_names.push_back("DNS:extra.example.com");  // covers every name, and one more
    m_store->insert_certificate(newer, test_actor);
    const Drift drift = judge("server.pem");
    EXPECT_TRUE(drift.issued_by_us);
    EXPECT_FALSE(drift.newest_for_names);
    EXPECT_EQ(drift.newer_serial, "0abc01");
    EXPECT_EQ(drift_label(drift), "STALE");
}

TEST_F(DriftAgainstStore, IgnoresLaterCertificatesThatAreRevokedOrMissANameOrAreOlder) {
    m_store->insert_certificate(issued("server.pem"), test_actor);
    store::CertificateRecord revoked = issued("server.pem");
    revoked.serial_hex = "0abc02";
    revoked.not_before += std::chrono::hours(24);
    m_store->insert_certificate(revoked, test_actor);
    m_store->revoke_certificate("main", "0abc02", "superseded", test_actor);
    store::CertificateRecord fewer_names = issued("server.pem");
    fewer_names.serial_hex = "0abc03";
    fewer_names.not_before += std::chrono::hours(48);
    fewer_names.subject_alt_names.pop_back();
    m_store->insert_certificate(fewer_names, test_actor);
    store::CertificateRecord older = issued("server.pem");
    older.serial_hex = "0abc04";
    older.not_before -= std::chrono::hours(24);
    m_store->insert_certificate(older, test_actor);
    const Drift drift = judge("server.pem");
    EXPECT_TRUE(drift.issued_by_us);
    EXPECT_TRUE(drift.newest_for_names) << drift.newer_serial;
}

TEST_F(DriftAgainstStore, NotOursWhenTheSerialIsUnknownOrTheBytesDiffer) {
    EXPECT_FALSE(judge("server.pem").issued_by_us);
    EXPECT_EQ(drift_label(judge("server.pem")), "FOREIGN");
    store::CertificateRecord same_serial = issued("server.pem");
    same_serial.der = fixture("expired.pem").der();  // a serial collision with another certificate
    m_store->insert_certificate(same_serial, test_actor);
    const Drift drift = judge("server.pem");
    EXPECT_FALSE(drift.issued_by_us);
    EXPECT_EQ(drift.authority, "");
}

TEST_F(DriftAgainstStore, ForeignCertificateIsStaleWhenWeIssuedANewerOneForItsNames) {
    store::CertificateRecord ours = issued("server.pem");
    ours.serial_hex = "0abc05";
    ours.not_before += std::chrono::hours(24);
    ours.der = fixture("expired.pem").der();
    m_store->insert_certificate(ours, test_actor);
    const Drift drift = judge("server.pem");
    EXPECT_FALSE(drift.issued_by_us);
    EXPECT_FALSE(drift.newest_for_names);
    EXPECT_EQ(drift.newer_serial, "0abc05");
}

TEST_F(DriftAgainstStore, RevokedInTheStore) {
    m_store->insert_certificate(issued("server.pem"), test_actor);
    m_store->revoke_certificate("main", fixture("server.pem").serial_hex(), "keyCompromise", test_actor);
    const Drift drift = judge("server.pem");
    EXPECT_TRUE(drift.issued_by_us);
    EXPECT_TRUE(drift.revoked);
    EXPECT_EQ(drift_label(drift), "REVOKED");
}

// Regression: our own CA certificates (root, intermediate, uploaded chains) showed as FOREIGN.
TEST_F(DriftAgainstStore, OurOwnCaCertificatesAreOurs) {
    for (const char* name : {"root.pem", "intermediate.pem"}) {
        const Drift drift = judge(name);
        EXPECT_TRUE(drift.issued_by_us) << name;
        EXPECT_EQ(drift.authority, "main") << name;
        EXPECT_EQ(drift_label(drift), "ok") << name;
    }
    m_store->record_custom_chain({.name = "cpvm",
                                  .domain_suffix = "cloud.example.com",
                                  .certificate_pem = core::read_file(pki_dir + "server.pem"),
                                  .chain_pem = core::read_file(pki_dir + "root.pem"),
                                  .encrypted_key_pem = "-"},
                                 test_actor);
    EXPECT_EQ(judge("server.pem").authority, "custom chain cpvm");
    EXPECT_EQ(drift_label(judge("server.pem")), "ok");
}

TEST(JudgeDrift, BreaksANotBeforeTieOnNotAfter) {
    const CertificateRecord record = found("server.pem");
    store::CertificateRecord same_start = issued("server.pem");
    same_start.serial_hex = "0abc06";
    same_start.not_after += std::chrono::hours(1);
    store::CertificateRecord same_both = issued("server.pem");
    same_both.serial_hex = "0abc07";
    EXPECT_EQ(judge_drift(record, issued("server.pem"), {same_start, same_both}).newer_serial, "0abc06");
    EXPECT_TRUE(judge_drift(record, issued("server.pem"), {same_both}).newest_for_names);
}

}  // namespace
}  // namespace certfleet::inventory
