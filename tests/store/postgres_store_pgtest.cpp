// Runs the store contract against a real PostgreSQL server. scripts/test starts a throwaway cluster on
// 127.0.0.1 (scripts/with-postgres) and exports CERTFLEET_TEST_PG_URL; under scripts/test
// (CERTFLEET_REQUIRE_PG=1) a missing URL fails the run instead of skipping it.
#include "store/store.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

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

}  // namespace

INSTANTIATE_TEST_SUITE_P(Postgres,
                         StoreContract,
                         ::testing::Values(StoreBackend{"postgres", postgres_url}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace certfleet::store
