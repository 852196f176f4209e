// The PostgreSQL driver: one libpq connection (and the LISTEN connection of a replica) with connect and
// statement timeouts and TCP keepalives, statements prepared once per connection, bytea sent and read as
// bytes. PostgreSQL's default synchronous_commit=on makes COMMIT durable before it returns.
#include "core/error.hpp"
#include "store/sql_drivers.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <memory>
#include <poll.h>
#include <string>
#include <unordered_map>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

struct ConnectionCloser {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using ConnectionPtr = std::unique_ptr<PGconn, ConnectionCloser>;
struct ResultClearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

constexpr unsigned bytea_oid = 17;
constexpr unsigned int8_oid = 20;
constexpr unsigned int2_oid = 21;
constexpr unsigned int4_oid = 23;
constexpr unsigned bool_oid = 16;

// Decodes bytea in PostgreSQL's hex output format ("\x0a1b...").
pki::Bytes decode_bytea(std::string_view hex) {
    if (!hex.starts_with("\\x")) {
        throw Error(ErrorCode::internal, "PostgreSQL: bytea is not in hex format (bytea_output)");
    }
    pki::Bytes out;
    out.reserve((hex.size() - 2) / 2);
    for (std::size_t i = 2; i + 1 < hex.size(); i += 2) {
        unsigned value = 0;
        std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
        out.push_back(static_cast<unsigned char>(value));
    }
    return out;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

// Opens a connection with the connect timeout and TCP keepalives (a dead server is noticed within about
// 25 s). Throws Error(unavailable) naming the host.
ConnectionPtr open_connection(const std::string& uri, const PostgresTimeouts& timeouts) {
    const std::string connect_timeout = std::to_string(timeouts.connect.count());
    // expand_dbname: the URI's parts are used, and the keywords after it add what it does not say.
    const std::array<const char*, 7> keywords{"dbname",
                                              "connect_timeout",
                                              "keepalives",
                                              "keepalives_idle",
                                              "keepalives_interval",
                                              "keepalives_count",
                                              nullptr};
    const std::array<const char*, 7> values{
        uri.c_str(), connect_timeout.c_str(), "1", "10", "5", "3", nullptr};
    ConnectionPtr connection(PQconnectdbParams(keywords.data(), values.data(), 1));
    if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
        const std::string why = connection ? PQerrorMessage(connection.get()) : "out of memory";
        const std::string host =
            connection && PQhost(connection.get()) != nullptr
                ? fmt::format("{}:{}", PQhost(connection.get()), PQport(connection.get()))
                : "the PostgreSQL store";
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot connect: {}", host, trimmed(why)));
    }
    return connection;
}

// The value of row `r`, column `c`, by its column type: bytea as bytes, integers and booleans as integers,
// everything else as text.
SqlValue value_at(const PGresult* result, int r, int c) {
    if (PQgetisnull(result, r, c) == 1) {
        return nullptr;
    }
    const std::string_view text(PQgetvalue(result, r, c),
                                static_cast<std::size_t>(PQgetlength(result, r, c)));
    const unsigned type = PQftype(result, c);
    if (type == bytea_oid) {
        return decode_bytea(text);
    }
    if (type == int8_oid || type == int4_oid || type == int2_oid) {
        std::int64_t n = 0;
        std::from_chars(text.data(), text.data() + text.size(), n);
        return n;
    }
    if (type == bool_oid) {
        return std::int64_t{text == "t" ? 1 : 0};
    }
    return std::string(text);
}

class PostgresConnection final : public SqlConnection {
public:
    PostgresConnection(std::string uri, const PostgresTimeouts& timeouts)
        : m_uri(std::move(uri)), m_timeouts(timeouts) {
        connect();
    }

    [[nodiscard]] SqlDialect dialect() const noexcept override { return SqlDialect::postgres; }

    SqlResult run(std::string_view sql, std::span<const SqlParam> params) override {
        const std::string& name = prepared(sql);
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<int> lengths(params.size(), 0);
        std::vector<int> formats(params.size(), 0);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const SqlParam& p = params[i];
            if (const auto* n = std::get_if<std::int64_t>(&p)) {
                texts[i] = std::to_string(*n);
                values[i] = texts[i].c_str();
            } else if (const auto* s = std::get_if<std::string_view>(&p)) {
                texts[i] = std::string(*s);
                values[i] = texts[i].c_str();
            } else if (const auto* b = std::get_if<std::span<const std::uint8_t>>(&p)) {
                texts[i].assign(b->begin(), b->end());
                values[i] = texts[i].data();
                lengths[i] = static_cast<int>(b->size());
                formats[i] = 1;
            }
            if (formats[i] == 0 && values[i] != nullptr) {
                lengths[i] = static_cast<int>(texts[i].size());
            }
        }
        const ResultPtr result(PQexecPrepared(m_connection.get(),
                                              name.c_str(),
                                              static_cast<int>(params.size()),
                                              values.data(),
                                              lengths.data(),
                                              formats.data(),
                                              0));
        check(result.get(), sql);
        SqlResult out;
        const int rows = PQntuples(result.get());
        const int columns = PQnfields(result.get());
        out.rows.reserve(static_cast<std::size_t>(rows));
        for (int r = 0; r < rows; ++r) {
            std::vector<SqlValue> row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                row.push_back(value_at(result.get(), r, c));
            }
            out.rows.emplace_back(std::move(row));
        }
        const char* affected = PQcmdTuples(result.get());
        if (affected != nullptr && *affected != '\0') {
            std::from_chars(affected, affected + std::char_traits<char>::length(affected), out.affected);
        }
        return out;
    }

    void run_script(std::string_view sql) override {
        const ResultPtr result(PQexec(m_connection.get(), std::string(sql).c_str()));
        check(result.get(), sql);
    }

    [[nodiscard]] bool is_healthy() noexcept override {
        return m_connection && PQstatus(m_connection.get()) == CONNECTION_OK;
    }

    void reconnect() override {
        m_prepared.clear();
        connect();
    }

private:
    void connect() {
        m_connection = open_connection(m_uri, m_timeouts);
        run_script(fmt::format("SET client_min_messages = warning; SET statement_timeout = {}",
                               m_timeouts.statement.count() * 1000));
    }

    const std::string& prepared(std::string_view sql) {
        if (auto it = m_prepared.find(sql); it != m_prepared.end()) {
            return it->second;
        }
        const std::string key(sql);
        std::string name = fmt::format("certfleet_{}", m_prepared.size() + 1);
        const ResultPtr result(PQprepare(m_connection.get(), name.c_str(), key.c_str(), 0, nullptr));
        check(result.get(), sql);
        return m_prepared.emplace(key, std::move(name)).first->second;
    }

    void check(const PGresult* result, std::string_view sql) {
        const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            return;
        }
        const char* state_field = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
        const std::string state = state_field != nullptr ? state_field : "";
        const std::string message = trimmed(PQerrorMessage(m_connection.get()));
        if (PQstatus(m_connection.get()) != CONNECTION_OK || state.starts_with("08") ||
            state.starts_with("57") || state.starts_with("53")) {
            // 08: connection, 57: operator intervention (shutdown, statement timeout), 53: resources.
            throw Error(ErrorCode::unavailable, fmt::format("PostgreSQL store unavailable: {}", message));
        }
        if (state.starts_with("23")) {
            throw Error(ErrorCode::conflict, fmt::format("PostgreSQL: {}", message));
        }
        if (state == "40001" || state == "40P01") {
            throw Error(ErrorCode::unavailable, fmt::format("PostgreSQL: retry: {}", message));
        }
        throw Error(ErrorCode::internal,
                    fmt::format("PostgreSQL: {} (in \"{}\")", message, sql.substr(0, 60)));
    }

    std::string m_uri;
    PostgresTimeouts m_timeouts;
    ConnectionPtr m_connection;
    // SQL text -> prepared statement name
    std::unordered_map<std::string, std::string, SqlTextHash, std::equal_to<>> m_prepared;
};

struct LibpqMemoryFreer {
    void operator()(void* memory) const noexcept { PQfreemem(memory); }
};

class PostgresListener final : public NotificationListener {
public:
    PostgresListener(std::string uri, const PostgresTimeouts& timeouts, std::string channel)
        : m_uri(std::move(uri)), m_timeouts(timeouts), m_channel(std::move(channel)) {
        open();
    }

    std::optional<std::vector<std::string>> wait(std::chrono::milliseconds timeout) override {
        if (!m_connection) {
            open();
            return std::nullopt;
        }
        std::vector<std::string> payloads = received();
        if (!payloads.empty()) {
            return payloads;
        }
        pollfd socket{.fd = PQsocket(m_connection.get()), .events = POLLIN, .revents = 0};
        const int ready = ::poll(&socket, 1, static_cast<int>(timeout.count()));
        if (ready < 0 && errno == EINTR) {
            return payloads;
        }
        if (ready < 0 || (ready > 0 && PQconsumeInput(m_connection.get()) == 0) ||
            PQstatus(m_connection.get()) != CONNECTION_OK) {
            m_connection.reset();  // lost (a restarted server): open again, and say so
            open();
            return std::nullopt;
        }
        return received();
    }

private:
    void open() {
        ConnectionPtr connection = open_connection(m_uri, m_timeouts);
        const std::unique_ptr<char, LibpqMemoryFreer> name(
            PQescapeIdentifier(connection.get(), m_channel.c_str(), m_channel.size()));
        if (!name) {
            throw Error(ErrorCode::internal,
                        fmt::format("PostgreSQL: cannot quote channel \"{}\"", m_channel));
        }
        const ResultPtr result(PQexec(connection.get(), fmt::format("LISTEN {}", name.get()).c_str()));
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("PostgreSQL store unavailable: LISTEN {}: {}",
                                    m_channel,
                                    trimmed(PQerrorMessage(connection.get()))));
        }
        m_connection = std::move(connection);
    }

    std::vector<std::string> received() {
        std::vector<std::string> payloads;
        while (true) {
            const std::unique_ptr<PGnotify, LibpqMemoryFreer> notice(PQnotifies(m_connection.get()));
            if (!notice) {
                return payloads;
            }
            payloads.emplace_back(notice->extra);
        }
    }

    std::string m_uri;
    PostgresTimeouts m_timeouts;
    std::string m_channel;
    ConnectionPtr m_connection;
};

// Replaces whole words only: "INTEGER" inside another identifier stays.
void replace_words(std::string& text, std::string_view word, std::string_view by) {
    const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
    std::size_t at = text.find(word);
    while (at != std::string::npos) {
        const bool starts = at == 0 || !is_word(text[at - 1]);
        const bool ends = at + word.size() == text.size() || !is_word(text[at + word.size()]);
        std::size_t next = at + word.size();
        if (starts && ends) {
            text.replace(at, word.size(), by);
            next = at + by.size();
        }
        at = text.find(word, next);
    }
}

}  // namespace

std::string to_postgres_ddl(std::string_view sqlite_ddl) {
    std::string out(sqlite_ddl);
    replace_words(out, "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY");
    replace_words(out, "INTEGER", "BIGINT");
    replace_words(out, "BLOB", "BYTEA");
    return out;
}

std::unique_ptr<SqlConnection> connect_postgres(const std::string& uri, const PostgresTimeouts& timeouts) {
    return std::make_unique<PostgresConnection>(uri, timeouts);
}

std::unique_ptr<NotificationListener> listen_postgres(const std::string& uri,
                                                      const PostgresTimeouts& timeouts,
                                                      std::string channel) {
    return std::make_unique<PostgresListener>(uri, timeouts, std::move(channel));
}

}  // namespace certfleet::store
