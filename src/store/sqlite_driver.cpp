// The SQLite driver: one sqlite3 handle, prepared statements cached by their SQL text (parsing a statement
// costs as much as running it), "$N" placeholders rewritten to SQLite's "?N".
#include "core/error.hpp"
#include "store/sql_drivers.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <unordered_map>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

struct DatabaseCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DatabasePtr = std::unique_ptr<sqlite3, DatabaseCloser>;
struct StatementFinalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// "$1" -> "?1": both mean the first parameter; SQLite would read "$1" as a named parameter.
std::string sqlite_placeholders(std::string_view sql) {
    std::string out(sql);
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') {
            out[i] = '?';
        }
    }
    return out;
}

class SqliteConnection final : public SqlConnection {
public:
    explicit SqliteConnection(std::string path) : m_path(std::move(path)) { open(); }

    [[nodiscard]] SqlDialect dialect() const noexcept override { return SqlDialect::sqlite; }

    // Parameters are bound SQLITE_STATIC (not copied): they outlive every step below, and the next run()
    // clears the bindings before anything reads them again.
    SqlResult run(std::string_view sql, std::span<const SqlParam> params) override {
        sqlite3_stmt* statement = prepared(sql);
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        for (std::size_t i = 0; i < params.size(); ++i) {
            bind(statement, static_cast<int>(i + 1), params[i]);
        }
        SqlResult result;
        const int columns = sqlite3_column_count(statement);
        for (;;) {
            const int rc = sqlite3_step(statement);
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc != SQLITE_ROW) {
                sqlite3_reset(statement);
                fail(rc, sql);
            }
            std::vector<SqlValue> values;
            values.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                values.push_back(column(statement, c));
            }
            result.rows.emplace_back(std::move(values));
        }
        result.affected = sqlite3_changes(m_db.get());
        sqlite3_reset(statement);  // ends the statement's read transaction at once
        return result;
    }

    void run_script(std::string_view sql) override {
        const std::string text(sql);
        const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) {
            fail(rc, sql);
        }
    }

    [[nodiscard]] bool is_healthy() noexcept override { return m_db != nullptr; }

    void reconnect() override {
        m_statements.clear();
        m_db.reset();
        open();
    }

private:
    void open() {
        // The file holds sealed CA keys and the audit log: create it 0600 (SQLite would use 0644, and gives
        // its -wal and -shm files the permissions of the database file).
        if (m_path != ":memory:") {
            const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            if (fd >= 0) {
                ::close(fd);
            }
        }
        sqlite3* raw = nullptr;
        const int rc =
            sqlite3_open_v2(m_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
        m_db.reset(raw);
        if (rc != SQLITE_OK) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("{}: cannot open the SQLite store: {}",
                                    m_path,
                                    raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
        }
        sqlite3_busy_timeout(m_db.get(), 10000);
        if (m_path != ":memory:") {
            run_script("PRAGMA journal_mode=WAL");
        }
        // In WAL mode FULL syncs the log on every commit; NORMAL would not (a crash could lose it).
        run_script("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
    }

    sqlite3_stmt* prepared(std::string_view sql) {
        if (auto it = m_statements.find(sql); it != m_statements.end()) {
            return it->second.get();
        }
        const std::string key(sql);
        const std::string text = sqlite_placeholders(sql);
        sqlite3_stmt* raw = nullptr;
        const int rc =
            sqlite3_prepare_v2(m_db.get(), text.c_str(), static_cast<int>(text.size()), &raw, nullptr);
        StatementPtr statement(raw);
        if (rc != SQLITE_OK) {
            fail(rc, sql);
        }
        return m_statements.emplace(key, std::move(statement)).first->second.get();
    }

    void bind(sqlite3_stmt* statement, int index, const SqlParam& param) {
        int rc = SQLITE_OK;
        if (const auto* n = std::get_if<std::int64_t>(&param)) {
            rc = sqlite3_bind_int64(statement, index, *n);
        } else if (const auto* s = std::get_if<std::string_view>(&param)) {
            rc = sqlite3_bind_text(statement, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
        } else if (const auto* b = std::get_if<std::span<const std::uint8_t>>(&param)) {
            rc = sqlite3_bind_blob(statement, index, b->data(), static_cast<int>(b->size()), SQLITE_STATIC);
        } else {
            rc = sqlite3_bind_null(statement, index);
        }
        if (rc != SQLITE_OK) {
            fail(rc, "bind");
        }
    }

    static SqlValue column(sqlite3_stmt* statement, int c) {
        switch (sqlite3_column_type(statement, c)) {
            case SQLITE_NULL:
                return nullptr;
            case SQLITE_INTEGER:
                return static_cast<std::int64_t>(sqlite3_column_int64(statement, c));
            case SQLITE_BLOB: {
                const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(statement, c));
                const auto n = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
                return p == nullptr ? pki::Bytes{} : pki::Bytes(p, p + n);
            }
            default: {
                const auto* p = sqlite3_column_text(statement, c);
                const auto n = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
                return p == nullptr ? std::string{} : std::string(reinterpret_cast<const char*>(p), n);
            }
        }
    }

    [[noreturn]] void fail(int rc, std::string_view what) const {
        const std::string message = sqlite3_errmsg(m_db.get());
        switch (rc & 0xff) {
            case SQLITE_CONSTRAINT:
                throw Error(ErrorCode::conflict, fmt::format("SQLite: {}", message));
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                throw Error(ErrorCode::unavailable, fmt::format("{}: database busy: {}", m_path, message));
            case SQLITE_IOERR:
            case SQLITE_FULL:
            case SQLITE_CANTOPEN:
            case SQLITE_READONLY:
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB:
                throw Error(ErrorCode::unavailable, fmt::format("{}: {}", m_path, message));
            default:
                throw Error(ErrorCode::internal,
                            fmt::format("{}: SQLite: {} (in \"{}\")", m_path, message, what.substr(0, 60)));
        }
    }

    std::string m_path;
    DatabasePtr m_db;
    // After m_db: finalised before the close. Looked up by string_view, without building a key per call.
    std::unordered_map<std::string, StatementPtr, SqlTextHash, std::equal_to<>> m_statements;
};

}  // namespace

std::unique_ptr<SqlConnection> connect_sqlite(const std::string& path) {
    return std::make_unique<SqliteConnection>(path);
}

}  // namespace certfleet::store
