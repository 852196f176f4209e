// Two replicas sharing PostgreSQL sign CRLs of one authority at the same moment: every CRL gets its own
// number, none fails, and a due CRL is signed once, not once per replica. Needs CERTFLEET_TEST_PG_URL
// (scripts/with-postgres); fails without it.
#include "test_authority.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

namespace certfleet::authority {
namespace {

using std::chrono::hours;

const core::TimePoint t0{std::chrono::seconds{1'780'000'000}};

std::string postgres_url() {
    const char* url = std::getenv("CERTFLEET_TEST_PG_URL");
    return url == nullptr ? std::string{} : std::string(url);
}

// A database of its own on the throwaway server: other pg tests fill the shared one with authorities whose
// keys are sealed under other passphrases, and a store has one passphrase.
std::string fresh_database(const std::string& url) {
    const std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        throw std::runtime_error(PQerrorMessage(connection.get()));
    }
    const std::string name = "crl_replicas_" + std::to_string(std::random_device{}());
    const std::unique_ptr<PGresult, decltype(&PQclear)> created(
        PQexec(connection.get(), ("CREATE DATABASE " + name).c_str()), &PQclear);
    if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
        throw std::runtime_error(PQerrorMessage(connection.get()));
    }
    return url.substr(0, url.rfind('/') + 1) + name;
}

class CrlSigningReplicas : public ::testing::Test {
protected:
    void SetUp() override {
        if (postgres_url().empty()) {
            GTEST_FAIL() << "needs CERTFLEET_TEST_PG_URL (scripts/with-postgres)";
        }
        m_name = "replicas-" + std::to_string(std::random_device{}());
        const std::string database = fresh_database(postgres_url());
        m_replica_a = store::open_store(database + "?pool=4");
        m_replica_b = store::open_store(database + "?pool=4");
        init_test_authority(*m_replica_a, m_name, t0);
        m_issuer = m_replica_a->find_authority(m_name)->active_issuer().id;
    }
    // Runs `sign(ca)` on `per_replica` threads of each replica at once, each with its own Authority.
    template <class Sign>
    void on_both_replicas_at_once(int per_replica, Sign sign) {
        const Authority a = Authority::open(*m_replica_a, m_name, test_passphrase());
        const Authority b = Authority::open(*m_replica_b, m_name, test_passphrase());
        std::vector<std::thread> threads;
        for (int i = 0; i < per_replica; ++i) {
            threads.emplace_back([&] { sign(a); });
            threads.emplace_back([&] { sign(b); });
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
    }
    std::string m_name;
    std::unique_ptr<store::Store> m_replica_a;
    std::unique_ptr<store::Store> m_replica_b;
    std::int64_t m_issuer = 0;
};

TEST_F(CrlSigningReplicas, EveryCrlSignedAtOnceGetsItsOwnNumber) {
    const auto initial = m_replica_a->latest_crl(m_issuer);
    const std::int64_t before = initial ? initial->number : 0;
    std::mutex guard;
    std::vector<std::string> numbers;
    std::vector<std::string> errors;
    on_both_replicas_at_once(4, [&](const Authority& ca) {
        for (int round = 0; round < 3; ++round) {
            try {
                const pki::Crl crl = ca.generate_crl(hours(30), {.name = "test:replica", .at = t0});
                const std::lock_guard lock(guard);
                numbers.push_back(crl.crl_number().value_or("none"));
            } catch (const std::exception& e) {
                const std::lock_guard lock(guard);
                errors.emplace_back(e.what());
            }
        }
    });
    EXPECT_TRUE(errors.empty()) << errors.front();
    const std::set<std::string> distinct(numbers.begin(), numbers.end());
    EXPECT_EQ(numbers.size(), 24U);
    EXPECT_EQ(distinct.size(), numbers.size()) << "two CRLs of one issuer share a number";
    EXPECT_EQ(m_replica_b->latest_crl(m_issuer)->number, before + 24);
}

TEST_F(CrlSigningReplicas, ADueCrlIsSignedOnceWhateverTheNumberOfReplicas) {
    const Authority ca = Authority::open(*m_replica_a, m_name, test_passphrase());
    static_cast<void>(ca.generate_crl(hours(30), {.name = "test:replica", .at = t0}));
    const std::int64_t before = m_replica_a->latest_crl(m_issuer)->number;
    on_both_replicas_at_once(4, [&](const Authority& replica) {
        static_cast<void>(replica.generate_crl(
            hours(30), {.name = "test:replica", .at = t0 + hours(25)}, CrlRefresh::when_due));
    });
    EXPECT_EQ(m_replica_b->latest_crl(m_issuer)->number, before + 1);
}

}  // namespace
}  // namespace certfleet::authority
