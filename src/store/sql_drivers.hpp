#pragma once
// The two drivers of the SQL layer. Only their .cpp files include sqlite3.h and libpq-fe.h.

#include "core/duration.hpp"
#include "store/sql_connection.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// Opens the SQLite database at `path` (":memory:" for a private one) in WAL mode with
/// synchronous=FULL (a COMMIT has reached the disk when it returns) and foreign keys on. A new file is
/// created 0600: it holds sealed CA keys and the audit log. Throws Error(unavailable) naming `path`.
std::unique_ptr<SqlConnection> connect_sqlite(const std::string& path);

/// How long a PostgreSQL connection may take to open and a statement to run.
struct PostgresTimeouts {
    core::Seconds connect{5};
    core::Seconds statement{30};
};

/// Returns schema DDL written for SQLite in PostgreSQL's words: "INTEGER PRIMARY KEY AUTOINCREMENT" becomes
/// "BIGSERIAL PRIMARY KEY", INTEGER becomes BIGINT (SQLite's are 64-bit) and BLOB becomes BYTEA, so each
/// migration is written once.
std::string to_postgres_ddl(std::string_view sqlite_ddl);

/// Opens a PostgreSQL connection from a libpq URI (without certfleet's own query parameters). Throws
/// Error(unavailable) naming the host when it cannot connect within `timeouts.connect`.
std::unique_ptr<SqlConnection> connect_postgres(const std::string& uri, const PostgresTimeouts& timeouts);

/// A dedicated PostgreSQL connection that LISTENs on one channel: how a replica learns at once of work
/// another process committed (PostgreSQL delivers a NOTIFY when its transaction commits, never before).
class NotificationListener {
public:
    NotificationListener() = default;
    NotificationListener(const NotificationListener&) = delete;
    NotificationListener& operator=(const NotificationListener&) = delete;
    NotificationListener(NotificationListener&&) = delete;
    NotificationListener& operator=(NotificationListener&&) = delete;
    virtual ~NotificationListener() = default;

    /// Waits up to `timeout` and returns the payloads of the notifications received, oldest first (empty
    /// when none came). Returns std::nullopt after the connection was lost and opened again: what was
    /// sent meanwhile is lost, so the caller reads the table instead. Throws Error(unavailable) naming the
    /// host when the server cannot be reached.
    virtual std::optional<std::vector<std::string>> wait(std::chrono::milliseconds timeout) = 0;
};

/// Opens a connection from a libpq URI and LISTENs on `channel` (an SQL identifier). Throws
/// Error(unavailable) naming the host when it cannot connect within `timeouts.connect`.
std::unique_ptr<NotificationListener> listen_postgres(const std::string& uri,
                                                      const PostgresTimeouts& timeouts,
                                                      std::string channel);

}  // namespace certfleet::store
