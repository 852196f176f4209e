#pragma once
// The behaviour every Store implementation keeps, as one parameterised suite: instantiated for SQLite in
// sqlite_store_test.cpp (unit) and for PostgreSQL in postgres_store_pgtest.cpp (pg). Tests use fresh
// authority names, so they also run against a database that earlier tests wrote to.

#include "core/error.hpp"
#include "store/audit_log.hpp"
#include "store/authority_records.hpp"
#include "store/certificate_ledger.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "store/store_settings.hpp"

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
        AuthorityRecord record = authority_record(m_authority);
        m_store->create_authority(record, actor());
        m_issuer = record.issuers.at(0).id;
    }

    static core::TimePoint at(std::int64_t seconds) { return core::TimePoint{std::chrono::seconds{seconds}}; }
    static Actor actor(std::string name = "test:contract") {
        return {.name = std::move(name), .at = at(1'700'000'000)};
    }

    static AuthorityRecord authority_record(const std::string& name) {
        AuthorityRecord record{.name = name,
                               .root_key_pem = "root",
                               .profiles_yaml = "profiles: {}\n",
                               .policy_yaml = "policy: {}\n",
                               .created_at = at(1'700'000'000)};
        record.issuers.push_back(
            {.generation = 1,
             .chain_pem = "-----BEGIN CERTIFICATE-----\nchain\n-----END CERTIFICATE-----\n",
             .encrypted_key_pem =
                 "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----\n",
             .key_id = "aa:bb",
             .created_at = at(1'700'000'000)});
        return record;
    }

    CertificateRecord certificate(std::string serial, std::int64_t not_after = 1'800'000'000) const {
        return {.serial_hex = std::move(serial),
                .authority = m_authority,
                .issuer_id = m_issuer,
                .authority_key_id = "aa:bb",
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
    std::int64_t m_issuer = 0;
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
    AuthorityRecord expected = authority_record(m_authority);
    ASSERT_EQ(found->issuers.size(), 1U);
    EXPECT_EQ(found->active_issuer().id, m_issuer);
    EXPECT_EQ(found->active_issuer().chain_pem, expected.issuers[0].chain_pem);
    EXPECT_EQ(found->active_issuer().encrypted_key_pem, expected.issuers[0].encrypted_key_pem);
    EXPECT_EQ(found->active_issuer().key_id, "aa:bb");
    EXPECT_EQ(found->active_issuer().generation, 1);
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
    m_store->revoke_certificate(m_authority, later.serial_hex, "superseded", actor());
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
    m_store->revoke_certificate(m_authority, newer.serial_hex, "superseded", actor());
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
    m_store->revoke_certificate(m_authority, c.serial_hex, "keyCompromise", actor("test:operator"));
    const auto out = m_store->find_certificate(c.serial_hex);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->status, CertificateStatus::revoked);
    EXPECT_EQ(out->revocation_reason, "keyCompromise");
    ASSERT_TRUE(out->revoked_at.has_value());
    EXPECT_EQ(*out->revoked_at, actor().at);
    try {
        m_store->revoke_certificate(m_authority, c.serial_hex, "superseded", actor());
        FAIL() << "revoked twice";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    try {
        m_store->revoke_certificate(m_authority, "00" + c.serial_hex, "superseded", actor());
        FAIL() << "revoked an unknown serial";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::not_found);
    }
    EXPECT_EQ(m_store->find_certificate(c.serial_hex)->revocation_reason, "keyCompromise");
    // Scoped to the authority: another one cannot revoke it.
    const CertificateRecord d = certificate(serial());
    m_store->insert_certificate(d, actor());
    EXPECT_THROW(m_store->revoke_certificate("other-" + m_authority, d.serial_hex, "superseded", actor()),
                 core::Error);
    EXPECT_EQ(m_store->find_certificate(d.serial_hex)->status, CertificateStatus::valid);
}

TEST_P(StoreContract, KeepsCrlNumbersIncreasing) {
    EXPECT_FALSE(m_store->latest_crl(m_issuer).has_value());
    m_store->record_crl({.authority = m_authority,
                         .issuer_id = m_issuer,
                         .number = 1,
                         .this_update = at(100),
                         .next_update = at(200),
                         .der = {1, 2}},
                        actor());
    m_store->record_crl({.authority = m_authority,
                         .issuer_id = m_issuer,
                         .number = 2,
                         .this_update = at(150),
                         .next_update = at(250),
                         .der = {3}},
                        actor());
    EXPECT_THROW(m_store->record_crl(
                     {.authority = m_authority, .issuer_id = m_issuer, .number = 2, .der = {4}}, actor()),
                 core::Error);
    const auto latest = m_store->latest_crl(m_issuer);
    ASSERT_TRUE(latest.has_value());
    EXPECT_EQ(latest->number, 2);
    EXPECT_EQ(latest->next_update, at(250));
    EXPECT_EQ(latest->der, (pki::Bytes{3}));
}

TEST_P(StoreContract, AuditsEveryMutationWithWhoWhatAndOutcome) {
    const CertificateRecord c = certificate(serial());
    m_store->insert_certificate(c, actor("test:issuer"));
    m_store->revoke_certificate(m_authority, c.serial_hex, "superseded", actor("test:revoker"));
    m_store->append_audit({.at = at(1'700'000'001),
                           .actor = "test:x",
                           .action = "certificate.issue",
                           .target = m_authority,
                           .outcome = "refused: name_not_allowed",
                           .authority = m_authority});
    const auto log = m_store->audit_log({.limit = 3, .authority = m_authority});
    ASSERT_EQ(log.size(), 3U);
    EXPECT_EQ(log[0].outcome, "refused: name_not_allowed");
    EXPECT_EQ(log[1].action, "certificate.revoke");
    EXPECT_EQ(log[1].actor, "test:revoker");
    EXPECT_EQ(log[1].target, c.serial_hex);
    EXPECT_EQ(log[2].action, "certificate.issue");
    EXPECT_EQ(log[2].actor, "test:issuer");
    EXPECT_EQ(log[2].at, actor().at);
    EXPECT_GT(log[0].id, log[1].id);
    EXPECT_EQ(log[2].authority, m_authority);
    // Filtered by authority: another authority's entries are not listed.
    EXPECT_TRUE(m_store->audit_log({.limit = 10, .authority = "other-" + m_authority}).empty());
}

TEST_P(StoreContract, ReplacesACustomChainByNameAndSuffixAndKeepsTheHistory) {
    const std::string name = "cpvm-" + unique_suffix();
    const CustomChainRecord first{.name = name,
                                  .domain_suffix = "cloud.example.com",
                                  .certificate_pem = "server-1",
                                  .chain_pem = "root\nsub",
                                  .encrypted_key_pem = "sealed-1",
                                  .uploaded_at = at(1'700'000'000)};
    const CustomChainRecord stored = m_store->record_custom_chain(first, actor("test:first"));
    EXPECT_EQ(stored.seq, 1);
    EXPECT_GT(stored.id, 0);
    // Another suffix under the same name is a chain of its own.
    CustomChainRecord other = first;
    other.domain_suffix = "other.example.com";
    EXPECT_EQ(m_store->record_custom_chain(other, actor()).seq, 1);

    CustomChainRecord redo = first;
    redo.certificate_pem = "server-2";
    redo.encrypted_key_pem = "sealed-2";
    redo.uploaded_at = at(1'700'000'500);
    const CustomChainRecord replaced =
        m_store->record_custom_chain(redo, {.name = "test:redo", .at = at(1'700'000'500)});
    EXPECT_EQ(replaced.seq, 2);
    EXPECT_NE(replaced.id, stored.id);

    const auto current = m_store->list_custom_chains({.name = name, .domain_suffix = "cloud.example.com"});
    ASSERT_EQ(current.size(), 1U);
    EXPECT_EQ(current[0].certificate_pem, "server-2");
    EXPECT_EQ(current[0].encrypted_key_pem, "sealed-2");
    EXPECT_EQ(current[0].chain_pem, "root\nsub");
    EXPECT_EQ(current[0].uploaded_at, at(1'700'000'500));
    EXPECT_FALSE(current[0].replaced_at.has_value());

    const auto history = m_store->list_custom_chains(
        {.name = name, .domain_suffix = "cloud.example.com", .include_replaced = true});
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[0].seq, 2);  // newest first
    EXPECT_EQ(history[1].seq, 1);
    EXPECT_EQ(history[1].certificate_pem, "server-1");
    ASSERT_TRUE(history[1].replaced_at.has_value());
    EXPECT_EQ(*history[1].replaced_at, at(1'700'000'500));
    EXPECT_EQ(m_store->list_custom_chains({.name = name}).size(), 2U);  // one current per suffix

    const auto log = m_store->audit_log({.limit = 1});
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].action, "custom_chain.replace");
    EXPECT_EQ(log[0].actor, "test:redo");
    EXPECT_EQ(log[0].target, name + " cloud.example.com");
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

TEST_P(StoreContract, KeepsIssuerGenerationsAndTheirStates) {
    IssuerRecord second{.authority = m_authority,
                        .generation = 2,
                        .chain_pem = "gen2",
                        .encrypted_key_pem = "sealed2",
                        .key_id = "cc:dd",
                        .created_at = at(1'700'000'100)};
    m_store->commit([&](Transaction& tx) {
        second.id = insert_issuer(tx, second);
        set_issuer_state(tx, m_issuer, IssuerState::retiring);
    });
    const auto found = m_store->find_authority(m_authority);
    ASSERT_EQ(found->issuers.size(), 2U);
    EXPECT_EQ(found->active_issuer().id, second.id);
    EXPECT_EQ(found->active_issuer().key_id, "cc:dd");
    EXPECT_EQ(found->issuer_by_id(m_issuer)->state, IssuerState::retiring);
    EXPECT_THROW(m_store->commit([&](Transaction& tx) { insert_issuer(tx, second); }), core::Error);
    // Certificates and CRLs are per issuer.
    CertificateRecord old_one = certificate(serial());
    CertificateRecord new_one = certificate(serial());
    new_one.issuer_id = second.id;
    new_one.renews_serial = old_one.serial_hex;
    m_store->insert_certificate(old_one, actor());
    m_store->insert_certificate(new_one, actor());
    EXPECT_EQ(m_store->list_certificates({.authority = m_authority, .issuer_id = second.id}).size(), 1U);
    EXPECT_EQ(m_store->find_certificate(new_one.serial_hex)->renews_serial, old_one.serial_hex);
    EXPECT_EQ(m_store->find_certificate(new_one.serial_hex)->issuer_id, second.id);
    m_store->record_crl({.authority = m_authority, .issuer_id = second.id, .number = 1, .der = {9}}, actor());
    EXPECT_FALSE(m_store->latest_crl(m_issuer).has_value());
    EXPECT_EQ(m_store->latest_crl(second.id)->number, 1);
}

TEST_P(StoreContract, AUnitOfWorkCommitsEverythingOrNothing) {
    const CertificateRecord a = certificate(serial());
    const CertificateRecord b = certificate(serial());
    const std::string key = "unit-" + unique_suffix();
    m_store->commit([&](Transaction& tx) {
        insert_certificate(tx, a);
        insert_setting(tx, key, "v");
        append_audit(
            tx, {.at = at(1), .actor = "test:unit", .action = "unit.commit", .target = key, .outcome = "ok"});
    });
    EXPECT_TRUE(m_store->find_certificate(a.serial_hex).has_value());
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return find_setting(tx, key); }), "v");
    // A unit that fails half-way leaves nothing behind, its audit entry included.
    try {
        m_store->commit([&](Transaction& tx) {
            insert_certificate(tx, b);
            append_audit(tx,
                         {.at = at(2),
                          .actor = "test:unit",
                          .action = "unit.rollback",
                          .target = key,
                          .outcome = "ok"});
            throw core::Error(core::ErrorCode::forbidden, "refused half-way");
        });
        FAIL() << "the unit's error was swallowed";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::forbidden);
    }
    EXPECT_FALSE(m_store->find_certificate(b.serial_hex).has_value());
    EXPECT_EQ(m_store->audit_log({.limit = 1}).at(0).action, "unit.commit");
    // A conflict inside a unit (a setting already recorded) rolls back the unit's earlier writes too.
    try {
        m_store->commit([&](Transaction& tx) {
            insert_certificate(tx, b);
            insert_setting(tx, key, "again");
        });
        FAIL() << "a duplicate setting was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    EXPECT_FALSE(m_store->find_certificate(b.serial_hex).has_value());
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return find_setting(tx, key); }), "v");
}

// Group commit: units committed at once share a transaction; one colliding unit fails alone.
TEST_P(StoreContract, GroupCommitFailsOnlyTheUnitWithACollidingSerial) {
    const CertificateRecord taken = certificate(serial());
    m_store->insert_certificate(taken, actor());
    constexpr int threads = 8;
    constexpr int rounds = 10;
    std::atomic<int> conflicts{0};
    std::atomic<int> committed{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < rounds; ++i) {
                // Thread 0 always collides; the others always succeed.
                const CertificateRecord c = t == 0 ? taken : certificate(serial());
                try {
                    m_store->insert_certificate(c, actor());
                    ++committed;
                } catch (const core::Error& e) {
                    if (e.code() == core::ErrorCode::conflict) {
                        ++conflicts;
                    }
                }
            }
        });
    }
    for (auto& w : workers) {
        w.join();
    }
    EXPECT_EQ(conflicts.load(), rounds);
    EXPECT_EQ(committed.load(), (threads - 1) * rounds);
    EXPECT_EQ(m_store->list_certificates({.authority = m_authority}).size(),
              static_cast<std::size_t>((threads - 1) * rounds + 1));
}

}  // namespace certfleet::store
