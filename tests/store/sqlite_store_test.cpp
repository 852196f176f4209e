#include "acme_records_contract.hpp"
#include "admin_records_contract.hpp"
#include "enrollment_records_contract.hpp"
#include "node_records_contract.hpp"
#include "store/sql_drivers.hpp"
#include "store/store.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::store {
namespace {

std::string fresh_sqlite_url() {
    const auto dir = std::filesystem::temp_directory_path() / ("certfleet-store-" + unique_suffix());
    std::filesystem::create_directories(dir);
    return "sqlite://" + (dir / "certfleet.db").string();
}

INSTANTIATE_TEST_SUITE_P(Sqlite,
                         StoreContract,
                         ::testing::Values(StoreBackend{"sqlite", fresh_sqlite_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite,
                         NodeRecordsContract,
                         ::testing::Values(StoreBackend{"sqlite", fresh_sqlite_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite,
                         AcmeRecordsContract,
                         ::testing::Values(StoreBackend{"sqlite", fresh_sqlite_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite,
                         EnrollmentRecordsContract,
                         ::testing::Values(StoreBackend{"sqlite", fresh_sqlite_url}),
                         [](const auto& param_info) { return param_info.param.name; });
INSTANTIATE_TEST_SUITE_P(Sqlite,
                         AdminRecordsContract,
                         ::testing::Values(StoreBackend{"sqlite", fresh_sqlite_url}),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(SqliteStore, UsesWriteAheadLogFile) {
    const std::string url = fresh_sqlite_url();
    auto store = open_store(url);
    AuthorityRecord ca{.name = "ca"};
    store->create_authority(ca, {.name = "t"});
    EXPECT_TRUE(std::filesystem::exists(url.substr(9) + "-wal"));
}

// "Returned => synced": in WAL mode only synchronous=FULL syncs the log at every commit.
TEST(SqliteStore, SyncsEveryCommit) {
    auto store = open_store(fresh_sqlite_url());
    EXPECT_EQ(store->read([](Transaction& tx) { return tx.run("PRAGMA synchronous").rows.at(0).integer(0); }),
              2);
    EXPECT_EQ(store->read([](Transaction& tx) { return tx.run("PRAGMA journal_mode").rows.at(0).text(0); }),
              "wal");
}

TEST(SqliteStore, CreatesTheDatabaseReadableByItsOwnerOnly) {
    const std::string url = fresh_sqlite_url();
    auto store = open_store(url);
    const auto perms = std::filesystem::status(url.substr(9)).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
}

TEST(SqlDrivers, TranslateSqliteDdlForPostgresWordByWord) {
    EXPECT_EQ(to_postgres_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, "
                              "b BLOB, my_INTEGER_col TEXT, BLOBS TEXT)"),
              "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n BIGINT NOT NULL, b BYTEA, my_INTEGER_col TEXT, "
              "BLOBS TEXT)");
}

TEST(OpenStore, ParsesPoolAndTimeoutsOutOfAPostgresUrl) {
    const StoreLocation l =
        parse_store_url("postgresql://u@h:5/db?sslmode=disable&pool=8&statement_timeout=7");
    EXPECT_EQ(l.dialect, SqlDialect::postgres);
    EXPECT_EQ(l.target, "postgresql://u@h:5/db?sslmode=disable");
    EXPECT_EQ(l.pool_size, 8U);
    EXPECT_EQ(l.timeouts.statement.count(), 7);
    EXPECT_EQ(l.timeouts.connect.count(), 5);
    EXPECT_THROW(parse_store_url("postgresql://u@h/db?pool=0"), core::Error);
    EXPECT_EQ(parse_store_url("sqlite:///var/lib/x.db").target, "/var/lib/x.db");
}

TEST(OpenStore, RefusesAnUnknownSchemeWithoutEchoingTheUrl) {
    try {
        open_store("mysql://user:secret@host/db");
        FAIL() << "accepted mysql://";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
    }
}

}  // namespace
}  // namespace certfleet::store
