#pragma once
// The ACME records' behaviour on both back ends (instantiated next to StoreContract in
// sqlite_store_test.cpp and postgres_store_pgtest.cpp). Every test uses a fresh authority, so it also runs
// against a shared database.

#include "store/acme_records.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

namespace certfleet::store {

class AcmeRecordsContract : public StoreContract {
protected:
    AcmeAccountRecord new_account(const std::string& thumbprint, const std::string& eab_kid = "") {
        AcmeAccountRecord account{
            .authority = m_authority,
            .thumbprint = thumbprint,
            .jwk = R"({"crv":"P-256","kty":"EC","x":"x","y":"y"})",
            .contact = {"mailto:ops@example.test", "mailto:oncall@example.test"},
            .created_at = at(1'700'000'000),
            .eab_kid = eab_kid,
            .external_account_binding = eab_kid.empty() ? "" : R"({"protected":"e30"})"};
        m_store->commit([&](Transaction& tx) { insert_acme_account(tx, account); });
        return account;
    }

    std::pair<AcmeOrderRecord, std::vector<AcmeAuthorizationRecord>> new_order(std::int64_t account_id) {
        AcmeOrderRecord order{.account_id = account_id,
                              .authority = m_authority,
                              .identifiers = {"a.example.test", "b.example.test"},
                              .expires = at(1'700'086'400),
                              .created_at = at(1'700'000'000)};
        std::vector<AcmeAuthorizationRecord> authorizations;
        for (const auto& name : order.identifiers) {
            authorizations.push_back({.account_id = account_id,
                                      .identifier = name,
                                      .expires = at(1'700'086'400),
                                      .challenges = {{.token = "tok-" + name + "-" + unique_suffix()}}});
        }
        m_store->commit([&](Transaction& tx) { insert_acme_order(tx, order, authorizations); });
        return {order, authorizations};
    }
};

TEST_P(AcmeRecordsContract, KeepsAnAccountAndFindsItByIdAndByThumbprint) {
    const std::string thumbprint = "tp-" + unique_suffix();
    const AcmeAccountRecord account = new_account(thumbprint);
    ASSERT_GT(account.id, 0);
    const auto by_id = m_store->read([&](Transaction& tx) { return find_acme_account(tx, account.id); });
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->thumbprint, thumbprint);
    EXPECT_EQ(by_id->jwk, account.jwk);
    EXPECT_EQ(by_id->contact, account.contact);
    EXPECT_EQ(by_id->status, "valid");
    EXPECT_EQ(by_id->created_at, account.created_at);
    const auto by_key = m_store->read(
        [&](Transaction& tx) { return find_acme_account_by_thumbprint(tx, m_authority, thumbprint); });
    ASSERT_TRUE(by_key.has_value());
    EXPECT_EQ(by_key->id, account.id);
    EXPECT_FALSE(m_store->read([&](Transaction& tx) {
        return find_acme_account_by_thumbprint(tx, m_authority, "other-" + thumbprint);
    }));
}

TEST_P(AcmeRecordsContract, RefusesASecondAccountForTheSameKey) {
    const std::string thumbprint = "tp-" + unique_suffix();
    new_account(thumbprint);
    try {
        new_account(thumbprint);
        FAIL() << "a second account with one key was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find(thumbprint), std::string::npos);
    }
}

TEST_P(AcmeRecordsContract, BindsOneAccountPerExternalAccountKid) {
    const std::string kid = "kid-" + unique_suffix();
    const AcmeAccountRecord bound = new_account("tp-" + unique_suffix(), kid);
    new_account("tp-" + unique_suffix());  // accounts without a binding share the empty kid
    new_account("tp-" + unique_suffix());
    const auto found =
        m_store->read([&](Transaction& tx) { return find_acme_account_by_eab_kid(tx, m_authority, kid); });
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, bound.id);
    EXPECT_EQ(found->eab_kid, kid);
    EXPECT_EQ(found->external_account_binding, R"({"protected":"e30"})");
    try {
        new_account("tp-" + unique_suffix(), kid);
        FAIL() << "a second account bound with one kid was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find(kid), std::string::npos);
    }
}

TEST_P(AcmeRecordsContract, UpdatesAnAccountsKeyContactAndStatus) {
    AcmeAccountRecord account = new_account("tp-" + unique_suffix());
    const AcmeAccountRecord taken = new_account("tp-" + unique_suffix());
    account.thumbprint = "rolled-" + unique_suffix();
    account.contact = {};
    account.status = "deactivated";
    m_store->commit([&](Transaction& tx) { update_acme_account(tx, account); });
    const auto read = m_store->read([&](Transaction& tx) { return find_acme_account(tx, account.id); });
    EXPECT_EQ(read->thumbprint, account.thumbprint);
    EXPECT_TRUE(read->contact.empty());
    EXPECT_EQ(read->status, "deactivated");
    account.thumbprint = taken.thumbprint;
    EXPECT_THROW(m_store->commit([&](Transaction& tx) { update_acme_account(tx, account); }), core::Error);
    account.id = taken.id + 1'000'000;
    EXPECT_THROW(m_store->commit([&](Transaction& tx) { update_acme_account(tx, account); }), core::Error);
}

TEST_P(AcmeRecordsContract, KeepsAnOrderWithItsAuthorizationsAndChallenges) {
    const AcmeAccountRecord account = new_account("tp-" + unique_suffix());
    // Not a structured binding: clang 14 (the asan build) cannot capture one in a lambda.
    const auto created = new_order(account.id);
    const AcmeOrderRecord& order = created.first;
    const std::vector<AcmeAuthorizationRecord>& authorizations = created.second;
    const auto read = m_store->read([&](Transaction& tx) { return find_acme_order(tx, order.id); });
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->status, "pending");
    EXPECT_EQ(read->identifiers, order.identifiers);
    EXPECT_EQ(read->expires, order.expires);
    EXPECT_EQ(read->authorization_ids,
              (std::vector<std::int64_t>{authorizations[0].id, authorizations[1].id}));
    const auto authz =
        m_store->read([&](Transaction& tx) { return find_acme_authorization(tx, authorizations[1].id); });
    ASSERT_TRUE(authz.has_value());
    EXPECT_EQ(authz->order_id, order.id);
    EXPECT_EQ(authz->identifier, "b.example.test");
    ASSERT_EQ(authz->challenges.size(), 1U);
    EXPECT_EQ(authz->challenges[0].token, authorizations[1].challenges[0].token);
    EXPECT_EQ(authz->challenges[0].type, "http-01");
    EXPECT_FALSE(authz->challenges[0].validated_at.has_value());
    const auto challenge =
        m_store->read([&](Transaction& tx) { return find_acme_challenge(tx, authz->challenges[0].id); });
    ASSERT_TRUE(challenge.has_value());
    EXPECT_EQ(challenge->authorization_id, authz->id);
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return acme_order_ids(tx, account.id); }),
              std::vector<std::int64_t>{order.id});
}

// Two requests deciding from the same status: only the first change applies (e.g. a double finalize).
TEST_P(AcmeRecordsContract, AppliesAStatusChangeOnlyFromTheStatusItWasDecidedFrom) {
    const AcmeAccountRecord account = new_account("tp-" + unique_suffix());
    // Not a structured binding: clang 14 (the asan build) cannot capture one in a lambda.
    const auto created = new_order(account.id);
    const AcmeOrderRecord& order = created.first;
    const std::vector<AcmeAuthorizationRecord>& authorizations = created.second;
    const std::int64_t challenge_id = authorizations[0].challenges[0].id;
    bool first = false;
    bool second = true;
    m_store->commit([&](Transaction& tx) {
        first = set_acme_challenge_status(tx, challenge_id, "pending", "processing", at(1'700'000'100));
        second = set_acme_challenge_status(tx, challenge_id, "pending", "processing", at(1'700'000'100));
    });
    EXPECT_TRUE(first);
    EXPECT_FALSE(second);
    m_store->commit([&](Transaction& tx) {
        EXPECT_TRUE(set_acme_challenge_status(tx,
                                              challenge_id,
                                              "processing",
                                              "invalid",
                                              at(1'700'000'200),
                                              R"({"type":"urn:ietf:params:acme:error:connection"})"));
        EXPECT_TRUE(set_acme_authorization_status(tx, authorizations[0].id, "pending", "invalid"));
        EXPECT_TRUE(set_acme_order_status(tx, order.id, "pending", "ready"));
        EXPECT_TRUE(set_acme_order_status(tx, order.id, "ready", "processing"));
        EXPECT_FALSE(set_acme_order_status(tx, order.id, "ready", "processing"));
        EXPECT_TRUE(set_acme_order_status(tx, order.id, "processing", "valid", "", "0a1b2c"));
    });
    const auto challenge =
        m_store->read([&](Transaction& tx) { return find_acme_challenge(tx, challenge_id); });
    EXPECT_EQ(challenge->status, "invalid");
    EXPECT_EQ(challenge->validated_at, at(1'700'000'200));
    EXPECT_NE(challenge->error.find("connection"), std::string::npos);
    const auto read = m_store->read([&](Transaction& tx) { return find_acme_order(tx, order.id); });
    EXPECT_EQ(read->status, "valid");
    EXPECT_EQ(read->certificate_serial, "0a1b2c");
    // The schema refuses a status the RFC does not have.
    EXPECT_THROW(
        m_store->commit([&](Transaction& tx) { set_acme_order_status(tx, order.id, "valid", "done"); }),
        core::Error);
}

TEST_P(AcmeRecordsContract, ANonceIsRecordedOnceAndForgottenOnlyWhenOld) {
    const std::string nonce = "n-" + unique_suffix();
    bool first = false;
    bool again = true;
    m_store->commit(
        [&](Transaction& tx) { first = record_nonce_use(tx, nonce, at(1'700'000'000), at(1'700'000'001)); });
    m_store->commit(
        [&](Transaction& tx) { again = record_nonce_use(tx, nonce, at(1'700'000'000), at(1'700'000'002)); });
    EXPECT_TRUE(first);
    EXPECT_FALSE(again);
    m_store->commit([&](Transaction& tx) { forget_nonces_before(tx, at(1'600'000'000)); });
    m_store->commit(
        [&](Transaction& tx) { again = record_nonce_use(tx, nonce, at(1'700'000'000), at(1'700'000'003)); });
    EXPECT_FALSE(again);  // not old enough to be forgotten: still refused
}

// After a crash empties PostgreSQL's UNLOGGED table (simulated by deleting every row), nonces issued
// before the first refusal are refused: what the table forgot cannot be replayed.
TEST_P(AcmeRecordsContract, ALostNonceTableRefusesNoncesIssuedBeforeItWasNoticed) {
    // Empties the nonce table: the pg label runs one test at a time on its throwaway cluster.
    m_store->commit([](Transaction& tx) { tx.run("DELETE FROM acme_nonces"); });
    bool accepted = true;
    m_store->commit([&](Transaction& tx) {
        accepted = record_nonce_use(tx, "before-crash", at(1'700'000'000), at(1'700'000'100));
    });
    EXPECT_FALSE(accepted);
    m_store->commit([&](Transaction& tx) {
        accepted = record_nonce_use(tx, "also-before", at(1'700'000'050), at(1'700'000'101));
    });
    EXPECT_FALSE(accepted);
    m_store->commit([&](Transaction& tx) {
        accepted = record_nonce_use(tx, "after", at(1'700'000'100), at(1'700'000'102));
    });
    EXPECT_TRUE(accepted);
}

}  // namespace certfleet::store
