#pragma once
// Enrollment tokens and the certificate request queue on both back ends (instantiated next to
// StoreContract in sqlite_store_test.cpp and postgres_store_pgtest.cpp). Fresh authority per test.

#include "store/request_records.hpp"
#include "store/token_records.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace certfleet::store {

class EnrollmentRecordsContract : public StoreContract {
protected:
    EnrollmentTokenRecord new_token(std::int64_t expires_at = 1'700'003'600) {
        EnrollmentTokenRecord token{.hash = "h" + unique_suffix(),
                                    .authority = m_authority,
                                    .names = {"DNS:node1.example.com", "IP:10.0.0.1"},
                                    .profile = "peer",
                                    .created_at = at(1'700'000'000),
                                    .expires_at = at(expires_at),
                                    .created_by = "cli:test"};
        m_store->commit([&](Transaction& tx) { insert_enrollment_token(tx, token); });
        return token;
    }

    CertificateRequestRecord new_request(const std::string& name) {
        CertificateRequestRecord request{.authority = m_authority,
                                         .name = name,
                                         .csr_pem = "-----BEGIN CERTIFICATE REQUEST-----\nx\n",
                                         .profile = "peer",
                                         .submitted_at = at(1'700'000'000)};
        m_store->commit([&](Transaction& tx) { insert_certificate_request(tx, request); });
        return request;
    }

    bool consume(const std::string& hash, std::int64_t when, const std::string& serial) {
        bool consumed = false;
        m_store->commit(
            [&](Transaction& tx) { consumed = consume_enrollment_token(tx, hash, at(when), serial); });
        return consumed;
    }
};

TEST_P(EnrollmentRecordsContract, KeepsATokenByItsHashAndConsumesItOnce) {
    const EnrollmentTokenRecord token = new_token();
    const auto found = m_store->read([&](Transaction& tx) { return find_enrollment_token(tx, token.hash); });
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->names, token.names);
    EXPECT_EQ(found->profile, "peer");
    EXPECT_EQ(found->expires_at, token.expires_at);
    EXPECT_FALSE(found->used_at.has_value());
    EXPECT_TRUE(consume(token.hash, 1'700'000'100, "0abc"));
    EXPECT_FALSE(consume(token.hash, 1'700'000'200, "0def"));
    const auto used = m_store->read([&](Transaction& tx) { return find_enrollment_token(tx, token.hash); });
    ASSERT_TRUE(used->used_at.has_value());
    EXPECT_EQ(*used->used_at, at(1'700'000'100));
    EXPECT_EQ(used->used_serial, "0abc");
    EXPECT_FALSE(
        m_store->read([&](Transaction& tx) { return find_enrollment_token(tx, "nope" + token.hash); }));
}

TEST_P(EnrollmentRecordsContract, DoesNotConsumeAnExpiredOrUnknownToken) {
    const EnrollmentTokenRecord token = new_token(1'700'000'500);
    EXPECT_FALSE(consume(token.hash, 1'700'000'500, "0abc"));  // expires_at itself is too late
    EXPECT_FALSE(consume("unknown" + token.hash, 1'700'000'100, "0abc"));
    EXPECT_TRUE(m_store->read([&](Transaction& tx) { return list_enrollment_tokens(tx, m_authority, false); })
                    .size() == 1U);
}

TEST_P(EnrollmentRecordsContract, RollsTheTokenBackWhenItsUnitOfWorkFails) {
    const EnrollmentTokenRecord token = new_token();
    EXPECT_THROW(m_store->commit([&](Transaction& tx) {
        ASSERT_TRUE(consume_enrollment_token(tx, token.hash, at(1'700'000'100), "0abc"));
        throw core::Error(core::ErrorCode::internal, "the certificate could not be recorded");
    }),
                 core::Error);
    EXPECT_TRUE(consume(token.hash, 1'700'000'200, "0def"));  // still unused after the rollback
}

TEST_P(EnrollmentRecordsContract, TwoStoresConsumingOneTokenAtOnceSucceedExactlyOnce) {
    const EnrollmentTokenRecord token = new_token();
    auto replica = open_store(m_url);
    std::atomic<int> wins{0};
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    const auto attempt = [&](Store& store, const std::string& serial) {
        start.wait();
        try {
            store.commit([&](Transaction& tx) {
                if (!consume_enrollment_token(tx, token.hash, at(1'700'000'100), serial)) {
                    throw core::Error(core::ErrorCode::forbidden, "token: already used");
                }
            });
            ++wins;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::forbidden) << e.what();
        }
    };
    std::thread a(attempt, std::ref(*m_store), "0a");
    std::thread b(attempt, std::ref(*replica), "0b");
    go.set_value();
    a.join();
    b.join();
    EXPECT_EQ(wins.load(), 1);
}

TEST_P(EnrollmentRecordsContract, QueuesOnePendingRequestPerNameAndDecidesItOnce) {
    const std::string name = "node-" + unique_suffix() + ".example.com";
    const CertificateRequestRecord first = new_request(name);
    ASSERT_GT(first.id, 0);
    try {
        new_request(name);
        FAIL() << "a second pending request for one name was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find(std::to_string(first.id)), std::string::npos) << e.what();
    }
    const auto pending =
        m_store->read([&](Transaction& tx) { return list_certificate_requests(tx, m_authority, false); });
    ASSERT_EQ(pending.size(), 1U);
    EXPECT_EQ(pending[0].name, name);
    EXPECT_EQ(pending[0].state, RequestState::pending);
    bool decided = false;
    m_store->commit([&](Transaction& tx) {
        decided = decide_certificate_request(tx,
                                             first.id,
                                             {.state = RequestState::denied,
                                              .reason = "unknown host",
                                              .decided_by = "cli:ops",
                                              .at = at(1'700'000'060)});
    });
    EXPECT_TRUE(decided);
    m_store->commit([&](Transaction& tx) {
        decided = decide_certificate_request(tx,
                                             first.id,
                                             {.state = RequestState::issued,
                                              .certificate_serial = "0a",
                                              .decided_by = "cli:ops",
                                              .at = at(1'700'000'070)});
    });
    EXPECT_FALSE(decided);  // a denied request stays denied
    const auto found = m_store->read([&](Transaction& tx) { return find_certificate_request(tx, first.id); });
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->state, RequestState::denied);
    EXPECT_EQ(found->reason, "unknown host");
    EXPECT_EQ(found->decided_by, "cli:ops");
    EXPECT_EQ(found->decided_at, at(1'700'000'060));
    EXPECT_TRUE(
        m_store->read([&](Transaction& tx) { return list_certificate_requests(tx, m_authority, false); })
            .empty());
    const CertificateRequestRecord second = new_request(name);  // once decided, the name may ask again
    const auto named =
        m_store->read([&](Transaction& tx) { return certificate_requests_named(tx, m_authority, name); });
    ASSERT_EQ(named.size(), 2U);
    EXPECT_EQ(named[0].id, second.id);
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return list_certificate_requests(tx, m_authority, true); })
                  .size(),
              2U);
}

}  // namespace certfleet::store
