#pragma once

#include "store/sql_connection.hpp"

#include <functional>
#include <initializer_list>
#include <string_view>

namespace certfleet::store {

/// The view a unit of work has of the database: statements run inside one transaction (or, for reads,
/// on one connection). Record functions (certificate_ledger.hpp, audit_log.hpp ...) take one, so several
/// of them join one commit.
class Transaction {
public:
    explicit Transaction(SqlConnection& connection) noexcept : m_connection(connection) {}

    /// Runs one statement with $1..$N `params`. Throws as SqlConnection::run.
    SqlResult run(std::string_view sql, std::initializer_list<SqlParam> params = {}) {
        return m_connection.run(sql, std::span<const SqlParam>(params.begin(), params.size()));
    }
    /// Returns the dialect, for the few statements that differ in more than placeholders.
    [[nodiscard]] SqlDialect dialect() const noexcept { return m_connection.dialect(); }
    /// Claims `job` for this transaction: returns true if no other transaction, in any process sharing the
    /// database, holds it; released at commit or rollback. PostgreSQL: a transaction-scoped advisory lock
    /// (pg_try_advisory_xact_lock), so work that exactly one replica must do (CRL regeneration, expiring
    /// actions) is claimed without an election. SQLite: always true (a write transaction is already the
    /// only writer, and SQLite has one server).
    bool try_claim(std::string_view job);
    /// Waits until no other transaction, in any process sharing the database, holds `job`, then holds it
    /// until commit or rollback: work every replica may start but only one at a time may do (signing an
    /// issuer's next CRL). PostgreSQL: pg_advisory_xact_lock, bounded by the statement timeout; SQLite:
    /// nothing to wait for (the write transaction is already the only writer).
    void claim(std::string_view job);
    /// Announces `payload` on `channel` to the processes listening there (Database::listen) once this
    /// transaction commits; nothing if it rolls back. PostgreSQL: pg_notify. SQLite: nothing (it has no
    /// other server to tell; its readers poll).
    void notify(std::string_view channel, std::string_view payload);

private:
    SqlConnection& m_connection;
};

/// Record operations that commit together, with their audit entry: all or none.
using UnitOfWork = std::function<void(Transaction&)>;

}  // namespace certfleet::store
