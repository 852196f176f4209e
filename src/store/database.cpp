#include "store/database.hpp"

#include "core/error.hpp"
#include "store/migrations.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

std::unique_ptr<SqlConnection> connect(const StoreLocation& location) {
    if (location.dialect == SqlDialect::sqlite) {
        return connect_sqlite(location.target);
    }
    return connect_postgres(location.target, location.timeouts);
}

// SQLite: BEGIN IMMEDIATE takes the write lock at once, so two writers queue on the busy timeout instead
// of failing at their first write.
std::string_view begin_statement(SqlDialect dialect) noexcept {
    return dialect == SqlDialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN";
}

// Any key will do as long as every replica uses the same one: migrations run one process at a time.
constexpr std::int64_t migration_lock_key = 0x63657274666c6565;  // "certflee"

}  // namespace

bool Transaction::try_claim(std::string_view job) {
    if (dialect() == SqlDialect::sqlite) {
        return true;
    }
    const SqlResult r = run("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", {job});
    return !r.rows.empty() && r.rows[0].integer(0) == 1;
}

void Transaction::claim(std::string_view job) {
    if (dialect() != SqlDialect::sqlite) {
        run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {job});
    }
}

void Transaction::notify(std::string_view channel, std::string_view payload) {
    if (dialect() != SqlDialect::sqlite) {
        run("SELECT pg_notify($1, $2)", {channel, payload});
    }
}

std::unique_ptr<NotificationListener> Database::listen(std::string channel) const {
    if (m_location.dialect == SqlDialect::sqlite) {
        return nullptr;
    }
    return listen_postgres(m_location.target, m_location.timeouts, std::move(channel));
}

Database::Database(const StoreLocation& location)
    : m_location(location),
      m_pool([location] { return connect(location); },
             location.dialect == SqlDialect::sqlite ? 1 : std::max<std::size_t>(location.pool_size, 1)) {
    migrate();
}

void Database::commit(const UnitOfWork& unit) {
    PendingUnit pending{.unit = &unit};
    m_group_commit.submit(pending, [this](const std::vector<PendingUnit*>& batch) { commit_batch(batch); });
}

void Database::commit_batch(const std::vector<PendingUnit*>& batch) noexcept {
    const auto fail_all = [&batch](const std::exception_ptr& error) {
        for (PendingUnit* p : batch) {
            if (!p->error) {
                p->error = error;
            }
        }
    };
    try {
        ConnectionLease connection = m_pool.lease();
        try {
            connection->run_script(begin_statement(dialect()));
        } catch (const Error& e) {
            if (e.code() != ErrorCode::unavailable || connection->is_healthy()) {
                throw;
            }
            connection->reconnect();  // the server restarted under a pooled connection: one fresh try
            connection->run_script(begin_statement(dialect()));
        }
        Transaction tx(*connection);
        try {
            if (batch.size() == 1) {
                (*batch[0]->unit)(tx);
            } else {
                // Each unit in its own savepoint: one unit's failure (a serial already taken, a token
                // already used) rolls back that unit only.
                for (PendingUnit* p : batch) {
                    connection->run_script("SAVEPOINT unit");
                    try {
                        (*p->unit)(tx);
                        connection->run_script("RELEASE SAVEPOINT unit");
                    } catch (...) {
                        p->error = std::current_exception();
                        connection->run_script("ROLLBACK TO SAVEPOINT unit; RELEASE SAVEPOINT unit");
                    }
                }
            }
            connection->run_script("COMMIT");
        } catch (...) {
            fail_all(std::current_exception());
            if (connection->is_healthy()) {
                try {
                    connection->run_script("ROLLBACK");
                } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one reported
                }
            }
        }
    } catch (...) {
        fail_all(std::current_exception());
    }
}

int Database::schema_version() {
    return read([](Transaction& tx) {
        return static_cast<int>(
            tx.run("SELECT COALESCE(MAX(version), 0) FROM schema_version").rows.at(0).integer(0));
    });
}

void Database::migrate() {
    ConnectionLease connection = m_pool.lease();
    Transaction tx(*connection);
    connection->run_script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const auto current = [&tx] {
        return static_cast<int>(
            tx.run("SELECT COALESCE(MAX(version), 0) FROM schema_version").rows.at(0).integer(0));
    };
    for (const Migration& migration : migrations()) {
        connection->run_script(begin_statement(dialect()));
        try {
            if (dialect() == SqlDialect::postgres) {
                tx.run("SELECT pg_advisory_xact_lock($1)", {migration_lock_key});
            }
            if (migration.version > current()) {  // re-read under the lock: another process may migrate
                try {
                    if (dialect() == SqlDialect::sqlite) {
                        connection->run_script(migration.sqlite);
                    } else {
                        connection->run_script(migration.postgres.empty() ? to_postgres_ddl(migration.sqlite)
                                                                          : std::string(migration.postgres));
                    }
                    if (migration.backfill != nullptr) {
                        migration.backfill(tx);
                    }
                } catch (const Error& e) {
                    throw Error(ErrorCode::unavailable,
                                fmt::format("schema migration {} failed: {}", migration.version, e.what()));
                }
                tx.run("INSERT INTO schema_version (version) VALUES ($1)", {std::int64_t{migration.version}});
            }
            connection->run_script("COMMIT");
        } catch (...) {
            connection->run_script("ROLLBACK");
            throw;
        }
    }
    if (current() > static_cast<int>(migrations().size())) {
        throw Error(ErrorCode::unavailable, "the store's schema is newer than this certfleet understands");
    }
}

}  // namespace certfleet::store
