#pragma once
// The behaviour every Store implementation keeps, as one parameterised suite: instantiated for SQLite in
// sqlite_store_test.cpp (unit) and for PostgreSQL in postgres_store_pgtest.cpp (pg). Tests use fresh
// authority names, so they also run against a database that earlier tests wrote to.

#include "core/error.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>

namespace certfleet::store {

/// How a back end gives the suite a store URL (a fresh one, or a shared one).
struct StoreBackend {
    std::string name;
    std::function<std::string()> make_url;
};

/// Names the back end in test listings instead of dumping its bytes.
inline void PrintTo(const StoreBackend& backend, std::ostream* out) {
    *out << backend.name;
}

inline std::string unique_suffix() {
    static std::atomic<int> counter{0};
    std::random_device random;
    return std::to_string(random()) + "-" + std::to_string(counter++);
}

class StoreContract : public ::testing::TestWithParam<StoreBackend> {
protected:
    void SetUp() override {
        m_url = GetParam().make_url();
        if (m_url.empty()) {
            GTEST_SKIP() << GetParam().name << ": no store URL given";
        }
        m_store = open_store(m_url);
        m_authority = "ca-" + unique_suffix();
        m_store->create_authority(authority_record(m_authority), actor());
    }

    static core::TimePoint at(std::int64_t seconds) { return core::TimePoint{std::chrono::seconds{seconds}}; }
    static Actor actor(std::string name = "test:contract") {
        return {.name = std::move(name), .at = at(1'700'000'000)};
    }

    static AuthorityRecord authority_record(const std::string& name) {
        return {.name = name,
                .chain_pem = "-----BEGIN CERTIFICATE-----\nchain\n-----END CERTIFICATE-----\n",
                .encrypted_key_pem =
                    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----\n",
                .root_key_pem = "root",
                .profiles_yaml = "profiles: {}\n",
                .policy_yaml = "policy: {}\n",
                .created_at = at(1'700'000'000)};
    }

    CertificateRecord certificate(std::string serial, std::int64_t not_after = 1'800'000'000) const {
        return {.serial_hex = std::move(serial),
                .authority = m_authority,
                .subject = "CN=node1.example.com",
                .subject_alt_names = {"DNS:node1.example.com", "IP:10.0.0.1"},
                .not_before = at(1'700'000'000),
                .not_after = at(not_after),
                .profile = "server",
                .requester = "test:contract",
                .der = {0x30, 0x03, 0x02, 0x01, 0x00, 0xff}};
    }

    std::string serial() const { return "7f" + unique_suffix(); }

    std::string m_url;
    std::unique_ptr<Store> m_store;
    std::string m_authority;
};

TEST_P(StoreContract, MigratesToTheLatestVersionOnOpenAndReopensCleanly) {
    EXPECT_EQ(m_store->schema_version(), static_cast<int>(migrations().size()));
    m_store.reset();
    const auto again = open_store(m_url);
    EXPECT_EQ(again->schema_version(), static_cast<int>(migrations().size()));
    EXPECT_TRUE(again->find_authority(m_authority).has_value());
}

TEST_P(StoreContract, KeepsAnAuthorityAndRefusesASecondWithTheSameName) {
    const auto found = m_store->find_authority(m_authority);
    ASSERT_TRUE(found.has_value());
    const AuthorityRecord expected = authority_record(m_authority);
    EXPECT_EQ(found->chain_pem, expected.chain_pem);
    EXPECT_EQ(found->encrypted_key_pem, expected.encrypted_key_pem);
    EXPECT_EQ(found->root_key_pem, "root");
    EXPECT_EQ(found->policy_yaml, expected.policy_yaml);
    EXPECT_EQ(found->created_at, expected.created_at);
    EXPECT_FALSE(m_store->find_authority("no-such-" + m_authority).has_value());
    try {
        m_store->create_authority(expected, actor());
        FAIL() << "a duplicate authority was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    const auto names = m_store->authority_names();
    EXPECT_NE(std::find(names.begin(), names.end(), m_authority), names.end());
}

TEST_P(StoreContract, RemovesTheRootKey) {
    m_store->update_root_key(m_authority, "", actor());
    EXPECT_EQ(m_store->find_authority(m_authority)->root_key_pem, "");
    EXPECT_THROW(m_store->update_root_key("no-such-" + m_authority, "", actor()), core::Error);
}

TEST_P(StoreContract, ReturnsACertificateExactlyAsRecorded) {
    const CertificateRecord in = certificate(serial());
    m_store->insert_certificate(in, actor());
    const auto out = m_store->find_certificate(in.serial_hex);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->authority, m_authority);
    EXPECT_EQ(out->subject, in.subject);
    EXPECT_EQ(out->subject_alt_names, in.subject_alt_names);
    EXPECT_EQ(out->not_before, in.not_before);
    EXPECT_EQ(out->not_after, in.not_after);
    EXPECT_EQ(out->profile, "server");
    EXPECT_EQ(out->requester, "test:contract");
    EXPECT_EQ(out->status, CertificateStatus::valid);
    EXPECT_FALSE(out->revoked_at.has_value());
    EXPECT_EQ(out->der, in.der);
    EXPECT_FALSE(m_store->find_certificate("00" + in.serial_hex).has_value());
}

TEST_P(StoreContract, RefusesADuplicateSerialAsAConflict) {
    const CertificateRecord first = certificate(serial());
    m_store->insert_certificate(first, actor());
    try {
        m_store->insert_certificate(first, actor());
        FAIL() << "a duplicate serial was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    // The store still works after the refused insert.
    m_store->insert_certificate(certificate(serial()), actor());
    EXPECT_EQ(m_store->list_certificates({.authority = m_authority}).size(), 2U);
}

TEST_P(StoreContract, ListsByExpiryAndRevocation) {
    const CertificateRecord soon = certificate(serial(), 1'700'100'000);
    const CertificateRecord later = certificate(serial(), 1'900'000'000);
    m_store->insert_certificate(later, actor());
    m_store->insert_certificate(soon, actor());
    const auto all = m_store->list_certificates({.authority = m_authority});
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].serial_hex, soon.serial_hex);  // ordered by not_after
    const auto expiring =
        m_store->list_certificates({.authority = m_authority, .not_after_before = at(1'800'000'000)});
    ASSERT_EQ(expiring.size(), 1U);
    EXPECT_EQ(expiring[0].serial_hex, soon.serial_hex);
    EXPECT_TRUE(m_store->list_certificates({.authority = m_authority, .revoked_only = true}).empty());
    m_store->revoke_certificate(later.serial_hex, "superseded", actor());
    const auto revoked = m_store->list_certificates({.authority = m_authority, .revoked_only = true});
    ASSERT_EQ(revoked.size(), 1U);
    EXPECT_EQ(revoked[0].serial_hex, later.serial_hex);
}

TEST_P(StoreContract, FindsEveryCertificateOfASubjectOldestFirst) {
    const std::string subject = "CN=drift-" + unique_suffix() + ".example.com";
    CertificateRecord newer = certificate(serial());
    newer.subject = subject;
    newer.not_before = at(1'700'200'000);
    CertificateRecord older = certificate(serial());
    older.subject = subject;
    const CertificateRecord other = certificate(serial());  // another subject
    m_store->insert_certificate(newer, actor());
    m_store->insert_certificate(older, actor());
    m_store->insert_certificate(other, actor());
    m_store->revoke_certificate(newer.serial_hex, "superseded", actor());
    const auto found = m_store->certificates_with_subject(subject);
    ASSERT_EQ(found.size(), 2U);
    EXPECT_EQ(found[0].serial_hex, older.serial_hex);  // ordered by not_before
    EXPECT_EQ(found[1].serial_hex, newer.serial_hex);
    EXPECT_EQ(found[1].status, CertificateStatus::revoked);
    EXPECT_EQ(found[0].subject_alt_names, older.subject_alt_names);
    EXPECT_EQ(found[0].der, older.der);
    EXPECT_TRUE(m_store->certificates_with_subject("CN=nobody-" + unique_suffix()).empty());
}

TEST_P(StoreContract, RevokesOnceWithReasonAndTime) {
    const CertificateRecord c = certificate(serial());
    m_store->insert_certificate(c, actor());
    m_store->revoke_certificate(c.serial_hex, "keyCompromise", actor("test:operator"));
    const auto out = m_store->find_certificate(c.serial_hex);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->status, CertificateStatus::revoked);
    EXPECT_EQ(out->revocation_reason, "keyCompromise");
    ASSERT_TRUE(out->revoked_at.has_value());
    EXPECT_EQ(*out->revoked_at, actor().at);
    try {
        m_store->revoke_certificate(c.serial_hex, "superseded", actor());
        FAIL() << "revoked twice";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    try {
        m_store->revoke_certificate("00" + c.serial_hex, "superseded", actor());
        FAIL() << "revoked an unknown serial";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::not_found);
    }
    EXPECT_EQ(m_store->find_certificate(c.serial_hex)->revocation_reason, "keyCompromise");
}

TEST_P(StoreContract, KeepsCrlNumbersIncreasing) {
    EXPECT_FALSE(m_store->latest_crl(m_authority).has_value());
    m_store->record_crl({.authority = m_authority,
                         .number = 1,
                         .this_update = at(100),
                         .next_update = at(200),
                         .der = {1, 2}},
                        actor());
    m_store->record_crl(
        {.authority = m_authority, .number = 2, .this_update = at(150), .next_update = at(250), .der = {3}},
        actor());
    EXPECT_THROW(m_store->record_crl({.authority = m_authority, .number = 2, .der = {4}}, actor()),
                 core::Error);
    const auto latest = m_store->latest_crl(m_authority);
    ASSERT_TRUE(latest.has_value());
    EXPECT_EQ(latest->number, 2);
    EXPECT_EQ(latest->next_update, at(250));
    EXPECT_EQ(latest->der, (pki::Bytes{3}));
}

TEST_P(StoreContract, AuditsEveryMutationWithWhoWhatAndOutcome) {
    const CertificateRecord c = certificate(serial());
    m_store->insert_certificate(c, actor("test:issuer"));
    m_store->revoke_certificate(c.serial_hex, "superseded", actor("test:revoker"));
    m_store->append_audit({.at = at(1'700'000'001),
                           .actor = "test:x",
                           .action = "certificate.issue",
                           .target = m_authority,
                           .outcome = "refused: name_not_allowed"});
    const auto log = m_store->audit_log(3);
    ASSERT_EQ(log.size(), 3U);
    EXPECT_EQ(log[0].outcome, "refused: name_not_allowed");
    EXPECT_EQ(log[1].action, "certificate.revoke");
    EXPECT_EQ(log[1].actor, "test:revoker");
    EXPECT_EQ(log[1].target, c.serial_hex);
    EXPECT_EQ(log[2].action, "certificate.issue");
    EXPECT_EQ(log[2].actor, "test:issuer");
    EXPECT_EQ(log[2].at, actor().at);
    EXPECT_GT(log[0].id, log[1].id);
}

TEST_P(StoreContract, RecordsEveryConcurrentInsert) {
    constexpr int threads = 4;
    constexpr int per_thread = 25;
    std::vector<std::thread> workers;
    std::vector<std::vector<std::string>> serials(threads);
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const CertificateRecord c = certificate(serial());
                m_store->insert_certificate(c, actor());
                serials[static_cast<std::size_t>(t)].push_back(c.serial_hex);
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    const auto all = m_store->list_certificates({.authority = m_authority});
    std::set<std::string> stored;
    for (const auto& c : all) {
        stored.insert(c.serial_hex);
    }
    EXPECT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
    for (const auto& list : serials) {
        for (const auto& s : list) {
            EXPECT_TRUE(stored.contains(s)) << s;
        }
    }
}

}  // namespace certfleet::store
