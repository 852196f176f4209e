#include "store/token_records.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view token_columns =
    "hash, authority, names, profile, created_at, expires_at, used_at, used_serial, created_by";

EnrollmentTokenRecord read_token(const SqlRow& r) {
    EnrollmentTokenRecord token{.hash = r.text(0),
                                .authority = r.text(1),
                                .names = split_names(r.text(2)),
                                .profile = r.text(3),
                                .created_at = from_unix_seconds(r.integer(4)),
                                .expires_at = from_unix_seconds(r.integer(5)),
                                .used_serial = r.text(7),
                                .created_by = r.text(8)};
    if (!r.is_null(6)) {
        token.used_at = from_unix_seconds(r.integer(6));
    }
    return token;
}

}  // namespace

void insert_enrollment_token(Transaction& tx, const EnrollmentTokenRecord& token) {
    try {
        tx.run(
            "INSERT INTO enrollment_tokens (hash, authority, names, profile, created_at, expires_at, "
            "used_at, "
            "used_serial, created_by) VALUES ($1, $2, $3, $4, $5, $6, NULL, '', $7)",
            {token.hash,
             token.authority,
             join_names(token.names),
             token.profile,
             to_unix_seconds(token.created_at),
             to_unix_seconds(token.expires_at),
             token.created_by});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            // The hash names the token only to whoever holds it; it is safe to say which one.
            throw Error(ErrorCode::conflict, fmt::format("a token with hash {} exists", token.hash));
        }
        throw;
    }
}

std::optional<EnrollmentTokenRecord> find_enrollment_token(Transaction& tx, std::string_view hash) {
    const SqlResult r =
        tx.run(fmt::format("SELECT {} FROM enrollment_tokens WHERE hash = $1", token_columns), {hash});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_token(r.rows[0]);
}

std::vector<EnrollmentTokenRecord> list_enrollment_tokens(Transaction& tx,
                                                          std::string_view authority,
                                                          bool include_used) {
    const SqlResult r = tx.run(
        fmt::format("SELECT {} FROM enrollment_tokens WHERE authority = $1 {} ORDER BY created_at DESC, hash",
                    token_columns,
                    include_used ? "" : "AND used_at IS NULL"),
        {authority});
    std::vector<EnrollmentTokenRecord> tokens;
    tokens.reserve(r.rows.size());
    for (const SqlRow& row : r.rows) {
        tokens.push_back(read_token(row));
    }
    return tokens;
}

bool consume_enrollment_token(Transaction& tx,
                              std::string_view hash,
                              core::TimePoint at,
                              std::string_view serial_hex) {
    // PostgreSQL (read committed): a second UPDATE of the row waits for the first transaction, then
    // re-checks `used_at IS NULL` on the committed row and changes nothing. SQLite has one writer.
    const std::int64_t now = to_unix_seconds(at);
    return tx.run(
                 "UPDATE enrollment_tokens SET used_at = $1, used_serial = $2 "
                 "WHERE hash = $3 AND used_at IS NULL AND expires_at > $1",
                 {now, serial_hex, hash})
               .affected == 1;
}

}  // namespace certfleet::store
