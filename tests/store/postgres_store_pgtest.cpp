// Runs the store contract against a real PostgreSQL server. scripts/test starts a throwaway cluster on
// 127.0.0.1 (scripts/with-postgres) and exports CERTFLEET_TEST_PG_URL; under scripts/test
// (CERTFLEET_REQUIRE_PG=1) a missing URL fails the run instead of skipping it.
#include "acme_records_contract.hpp"
#include "admin_records_contract.hpp"
#include "enrollment_records_contract.hpp"
#include "node_records_contract.hpp"
#include "store/store.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <optional>
#include <thread>

namespace certfleet::store {
namespace {

std::string postgres_url() {
    const char* url = std::getenv("CERTFLEET_TEST_PG_URL");
    return url == nullptr ? std::string{} : std::string(url);
}

class PostgresEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        if (postgres_url().empty() && std::getenv("CERTFLEET_REQUIRE_PG") != nullptr) {
            FAIL() << "CERTFLEET_TEST_PG_URL is not set but CERTFLEET_REQUIRE_PG is: run through "
                      "scripts/with-postgres";
        }
    }
};
const auto* const environment = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

TEST(PostgresStore, IsReachable) {
    if (postgres_url().empty()) {
        if (std::getenv("CERTFLEET_REQUIRE_PG") != nullptr) {
            FAIL() << "CERTFLEET_TEST_PG_URL is not set";
        }
        GTEST_SKIP() << "CERTFLEET_TEST_PG_URL is not set";
    }
    EXPECT_GE(open_store(postgres_url())->schema_version(), 1);
}

// Replicas share PostgreSQL: a server restart between two calls must cost at most one `unavailable`,
// never a hang, and the pool reconnects.
TEST(PostgresStore, SurvivesAServerRestartBetweenTwoCalls) {
    const char* restart = std::getenv("CERTFLEET_TEST_PG_RESTART");
    if (postgres_url().empty() || restart == nullptr) {
        GTEST_FAIL() << "needs CERTFLEET_TEST_PG_URL and CERTFLEET_TEST_PG_RESTART (scripts/with-postgres)";
    }
    auto store = open_store(postgres_url() + "?pool=2&connect_timeout=5&statement_timeout=10");
    static_cast<void>(store->authority_names());  // a pooled connection, opened before the restart
    ASSERT_EQ(std::system(restart), 0);
    // The first call after the restart may fail with unavailable (its connection was cut) or succeed.
    try {
        static_cast<void>(store->authority_names());
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unavailable) << e.what();
    }
    EXPECT_NO_THROW(static_cast<void>(store->authority_names()));
    EXPECT_NO_THROW(
        store->append_audit({.actor = "test:restart", .action = "test.restart", .outcome = "ok"}));
}

// Work that exactly one replica must do is claimed through PostgreSQL, not an election.
TEST(PostgresStore, OnlyOneTransactionClaimsAJobAtATime) {
    if (postgres_url().empty()) {
        GTEST_FAIL() << "needs CERTFLEET_TEST_PG_URL";
    }
    auto replica_a = open_store(postgres_url());
    auto replica_b = open_store(postgres_url());
    const std::string job = "crl-regeneration-" + unique_suffix();
    std::promise<void> a_holds;
    std::promise<void> b_done;
    bool b_claimed = true;
    std::thread a([&] {
        replica_a->commit([&](Transaction& tx) {
            EXPECT_TRUE(tx.try_claim(job));
            a_holds.set_value();
            b_done.get_future().wait();
        });
    });
    a_holds.get_future().wait();
    replica_b->commit([&](Transaction& tx) { b_claimed = tx.try_claim(job); });
    b_done.set_value();
    a.join();
    EXPECT_FALSE(b_claimed);
    bool claimed_after = false;
    replica_b->commit([&](Transaction& tx) { claimed_after = tx.try_claim(job); });
    EXPECT_TRUE(claimed_after);  // released when A committed
}

// A replica's LISTEN connection outlives a PostgreSQL restart: the first wait after it says notices may
// have been lost (so the server reads the table), and notices are heard again afterwards.
TEST_P(NodeRecordsContract, TheActionListenerSaysWhenItMissedNoticesAndHearsAgainAfterARestart) {
    const char* restart = std::getenv("CERTFLEET_TEST_PG_RESTART");
    if (restart == nullptr) {
        GTEST_FAIL() << "needs CERTFLEET_TEST_PG_RESTART (scripts/with-postgres)";
    }
    const std::unique_ptr<NotificationListener> listener = m_store->listen(std::string(node_action_channel));
    ASSERT_NE(listener, nullptr);
    ASSERT_EQ(std::system(restart), 0);
    bool said_lost = false;
    for (int attempt = 0; attempt < 50 && !said_lost; ++attempt) {  // bounded: about 10 s
        try {
            said_lost = !listener->wait(std::chrono::milliseconds(200)).has_value();
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::unavailable) << e.what();  // not back yet
        }
    }
    ASSERT_TRUE(said_lost) << "the listener never reported the lost connection";
    std::optional<NodeActionRecord> queued;
    for (int attempt = 0; attempt < 50 && !queued; ++attempt) {  // the pool reconnects on first use
        try {
            queued = queue("after-restart");
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::unavailable) << e.what();
        }
    }
    ASSERT_TRUE(queued.has_value());
    std::vector<std::string> heard;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (heard.empty() && std::chrono::steady_clock::now() < until) {
        const std::optional<std::vector<std::string>> notices =
            listener->wait(std::chrono::milliseconds(100));
        ASSERT_TRUE(notices.has_value()) << "the listening connection was lost again";
        for (const std::string& notice : *notices) {
            if (auto node = node_of_action_notice(notice, m_authority)) {
                heard.push_back(*node);
            }
        }
    }
    EXPECT_EQ(heard, std::vector<std::string>{"after-restart"});
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Postgres,
                         StoreContract,
                         ::testing::Values(StoreBackend{"postgres", postgres_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres,
                         NodeRecordsContract,
                         ::testing::Values(StoreBackend{"postgres", postgres_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres,
                         AcmeRecordsContract,
                         ::testing::Values(StoreBackend{"postgres", postgres_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres,
                         EnrollmentRecordsContract,
                         ::testing::Values(StoreBackend{"postgres", postgres_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres,
                         AdminRecordsContract,
                         ::testing::Values(StoreBackend{"postgres", postgres_url}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace certfleet::store
