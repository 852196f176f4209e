#pragma once
// The thin SQL layer every record kind is written once over (as Botan's Certificate_Store_In_SQL sits on
// its SQL_Database): a connection runs one statement with positional parameters ($1, $2 ... in both
// dialects; the SQLite driver rewrites them) and returns its rows. Two small drivers implement it:
// sqlite_driver.cpp and postgres_driver.cpp, the only files that include sqlite3.h or libpq-fe.h.

#include "pki/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace certfleet::store {

/// Hashes SQL text for the drivers' prepared-statement caches, so a lookup takes a string_view.
struct SqlTextHash {
    // The standard's name for heterogeneous lookup, so not CamelCase.
    using is_transparent = void;  // NOLINT(readability-identifier-naming)
    std::size_t operator()(std::string_view text) const noexcept {
        return std::hash<std::string_view>{}(text);
    }
};

/// Which SQL the connection speaks; records use it only where the dialects differ in more than
/// placeholders (e.g. advisory locks).
enum class SqlDialect { sqlite, postgres };

/// A statement parameter: NULL, a 64-bit integer, text or a blob. Views: the caller keeps the data alive
/// for the call.
using SqlParam = std::variant<std::nullptr_t, std::int64_t, std::string_view, std::span<const std::uint8_t>>;

/// A column value as read: NULL, integer, text or blob.
using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string, pki::Bytes>;

/// One row of a result, its columns in SELECT order.
class SqlRow {
public:
    explicit SqlRow(std::vector<SqlValue> values) : m_values(std::move(values)) {}
    /// Returns true if column `i` is NULL.
    [[nodiscard]] bool is_null(std::size_t i) const {
        return std::holds_alternative<std::nullptr_t>(m_values.at(i));
    }
    /// Returns column `i` as an integer (text holding digits is converted: PostgreSQL sends text).
    [[nodiscard]] std::int64_t integer(std::size_t i) const;
    /// Returns column `i` as text ("" for NULL).
    [[nodiscard]] std::string text(std::size_t i) const;
    /// Returns column `i` as bytes ("" for NULL).
    [[nodiscard]] pki::Bytes blob(std::size_t i) const;
    /// Returns column `i` as an integer, or 0 when NULL.
    [[nodiscard]] std::int64_t integer_or_zero(std::size_t i) const { return is_null(i) ? 0 : integer(i); }

private:
    std::vector<SqlValue> m_values;
};

/// What a statement returned: its rows and how many rows it changed.
struct SqlResult {
    std::vector<SqlRow> rows;
    std::int64_t affected = 0;
};

/// One database connection. Not shared between threads: the Database leases it to one at a time.
class SqlConnection {
public:
    SqlConnection() = default;
    SqlConnection(const SqlConnection&) = delete;
    SqlConnection(SqlConnection&&) = delete;
    SqlConnection& operator=(const SqlConnection&) = delete;
    SqlConnection& operator=(SqlConnection&&) = delete;
    virtual ~SqlConnection() = default;

    /// Returns the dialect.
    [[nodiscard]] virtual SqlDialect dialect() const noexcept = 0;
    /// Runs one statement with $1..$N `params`. Statements are prepared once per connection and cached.
    /// Throws Error(conflict) on a unique or check constraint violation, Error(unavailable) when the
    /// database is unreachable, busy or timed out, Error(internal) for anything else.
    virtual SqlResult run(std::string_view sql, std::span<const SqlParam> params) = 0;
    /// Runs a script of several statements without parameters (migrations, BEGIN, COMMIT, SAVEPOINT).
    virtual void run_script(std::string_view sql) = 0;
    /// Returns true if the connection is usable; a broken one is reconnected by the pool or dropped.
    [[nodiscard]] virtual bool is_healthy() noexcept = 0;
    /// Reconnects a broken connection. Throws Error(unavailable) if the database cannot be reached.
    virtual void reconnect() = 0;
};

}  // namespace certfleet::store
