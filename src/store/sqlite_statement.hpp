#pragma once
// The SQLite handles of the embedded store, owned (RAII) and wrapped in a prepared statement with typed
// binds and column reads. Only the store's SQLite files include this header (STYLE.md section 1: no
// sqlite3.h outside store/).

#include "core/error.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store::sqlite {

struct DatabaseCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DatabasePtr = std::unique_ptr<sqlite3, DatabaseCloser>;
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

/// A prepared statement with typed binds and column reads.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql) : m_db(db) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
            throw core::Error(core::ErrorCode::internal,
                              fmt::format("SQLite: cannot prepare: {}", sqlite3_errmsg(db)));
        }
        m_statement.reset(raw);
    }
    Statement& bind(int index, std::string_view text) {
        check(sqlite3_bind_text(
            m_statement.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int index, std::int64_t value) {
        check(sqlite3_bind_int64(m_statement.get(), index, value));
        return *this;
    }
    Statement& bind(int index, const pki::Bytes& blob) {
        check(sqlite3_bind_blob(
            m_statement.get(), index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT));
        return *this;
    }
    /// Makes a cached statement ready for new bindings.
    Statement& reset() {
        sqlite3_reset(m_statement.get());
        sqlite3_clear_bindings(m_statement.get());
        return *this;
    }
    Statement& bind_null(int index) {
        check(sqlite3_bind_null(m_statement.get(), index));
        return *this;
    }
    /// Returns true while there is a row; throws on errors except constraint violations, reported as
    /// Error(conflict).
    bool step() {
        const int rc = sqlite3_step(m_statement.get());
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        if ((rc & 0xff) == SQLITE_CONSTRAINT) {
            throw core::Error(core::ErrorCode::conflict, fmt::format("SQLite: {}", sqlite3_errmsg(m_db)));
        }
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            throw core::Error(core::ErrorCode::unavailable,
                              fmt::format("SQLite: database busy: {}", sqlite3_errmsg(m_db)));
        }
        throw core::Error(core::ErrorCode::unavailable, fmt::format("SQLite: {}", sqlite3_errmsg(m_db)));
    }
    std::string text(int column) {
        const auto* p = sqlite3_column_text(m_statement.get(), column);
        return p == nullptr
                   ? std::string{}
                   : std::string(reinterpret_cast<const char*>(p),
                                 static_cast<std::size_t>(sqlite3_column_bytes(m_statement.get(), column)));
    }
    std::int64_t integer(int column) { return sqlite3_column_int64(m_statement.get(), column); }
    bool is_null(int column) { return sqlite3_column_type(m_statement.get(), column) == SQLITE_NULL; }
    pki::Bytes blob(int column) {
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(m_statement.get(), column));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(m_statement.get(), column));
        return p == nullptr ? pki::Bytes{} : pki::Bytes(p, p + n);
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) {
            throw core::Error(core::ErrorCode::internal,
                              fmt::format("SQLite: cannot bind: {}", sqlite3_errmsg(m_db)));
        }
    }
    sqlite3* m_db;
    StatementPtr m_statement;
};

}  // namespace certfleet::store::sqlite
