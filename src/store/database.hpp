#pragma once

#include "core/error.hpp"
#include "store/connection_pool.hpp"
#include "store/group_commit.hpp"
#include "store/sql_drivers.hpp"
#include "store/transaction.hpp"

#include <memory>
#include <string>
#include <type_traits>

namespace certfleet::store {

/// Where a store is and how to reach it, parsed from its URL (store_url.hpp).
struct StoreLocation {
    SqlDialect dialect = SqlDialect::sqlite;
    std::string target;  ///< SQLite path (":memory:" too) or the libpq URI without certfleet's parameters
    std::size_t pool_size = 1;  ///< PostgreSQL connections (?pool=N); SQLite always 1
    PostgresTimeouts timeouts;  ///< ?connect_timeout=S&statement_timeout=S
};

/// A database with a connection pool, its schema migrated, and units of work committed durably with
/// group commit.
class Database {
public:
    /// Opens (and migrates) the database. Throws Error(unavailable) if it cannot be reached or its schema
    /// is newer than this binary knows.
    explicit Database(const StoreLocation& location);

    /// Runs `unit` in a transaction and returns once it is committed and synced. Concurrent units may share
    /// one commit; each runs inside its own savepoint, so a unit that throws is rolled back alone and its
    /// exception is rethrown here, the others commit. Throws Error(unavailable) if the commit fails.
    void commit(const UnitOfWork& unit);

    /// Runs `query` (reads only) on a pooled connection outside any explicit transaction; returns its result.
    /// A read that fails because the server restarted under the pooled connection is tried once more on a
    /// new connection (reads are idempotent).
    template <class Query>
    auto read(Query&& query) -> std::invoke_result_t<Query, Transaction&> {
        ConnectionLease connection = m_pool.lease();
        try {
            Transaction tx(*connection);
            return query(tx);
        } catch (const core::Error& e) {
            if (e.code() != core::ErrorCode::unavailable || connection->is_healthy()) {
                throw;
            }
        }
        connection->reconnect();
        Transaction tx(*connection);
        return query(tx);
    }

    /// Returns the dialect.
    [[nodiscard]] SqlDialect dialect() const noexcept { return m_location.dialect; }
    /// Opens a dedicated connection listening on `channel` (see Transaction::notify); nullptr on SQLite,
    /// where no other server can commit behind this process's back except the CLI, and readers poll.
    /// Throws Error(unavailable) naming the host.
    [[nodiscard]] std::unique_ptr<NotificationListener> listen(std::string channel) const;
    /// Returns the schema version the database is at.
    int schema_version();

private:
    void commit_batch(const std::vector<PendingUnit*>& batch) noexcept;
    void migrate();

    StoreLocation m_location;
    ConnectionPool m_pool;
    GroupCommit m_group_commit;
};

}  // namespace certfleet::store
