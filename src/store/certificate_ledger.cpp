#include "store/certificate_ledger.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view columns =
    "serial, authority, issuer_id, authority_key_id, subject, sans, not_before, not_after, profile, "
    "requester, "
    "status, revoked_at, revocation_reason, renews_serial, der";

// The statements that name every column, built once (the driver caches prepared statements by text).
const std::string& insert_sql() {
    static const std::string sql = fmt::format(
        "INSERT INTO certificates ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'valid', NULL, '', "
        "$11, $12)",
        columns);
    return sql;
}

const std::string& select_by_serial_sql() {
    static const std::string sql = fmt::format("SELECT {} FROM certificates WHERE serial = $1", columns);
    return sql;
}

const std::string& select_by_subject_sql() {
    static const std::string sql =
        fmt::format("SELECT {} FROM certificates WHERE subject = $1 ORDER BY not_before, serial", columns);
    return sql;
}

const std::string& select_filtered_sql() {
    static const std::string sql = fmt::format(
        "SELECT {} FROM certificates WHERE ($1 = '' OR authority = $1) AND ($2 = 0 OR issuer_id = $2) AND "
        "($3 = 0 OR not_after < $4) AND ($5 = 0 OR status = 'revoked') ORDER BY not_after, serial",
        columns);
    return sql;
}

CertificateRecord read_certificate(const SqlRow& r) {
    CertificateRecord c{
        .serial_hex = r.text(0),
        .authority = r.text(1),
        .issuer_id = r.integer_or_zero(2),
        .authority_key_id = r.text(3),
        .subject = r.text(4),
        .subject_alt_names = split_names(r.text(5)),
        .not_before = from_unix_seconds(r.integer(6)),
        .not_after = from_unix_seconds(r.integer(7)),
        .profile = r.text(8),
        .requester = r.text(9),
        .status = r.text(10) == "revoked" ? CertificateStatus::revoked : CertificateStatus::valid,
        .revocation_reason = r.text(12),
        .renews_serial = r.text(13),
        .der = r.blob(14)};
    if (!r.is_null(11)) {
        c.revoked_at = from_unix_seconds(r.integer(11));
    }
    return c;
}

std::vector<CertificateRecord> read_all(const SqlResult& result) {
    std::vector<CertificateRecord> out;
    out.reserve(result.rows.size());
    for (const SqlRow& r : result.rows) {
        out.push_back(read_certificate(r));
    }
    return out;
}

}  // namespace

std::string_view to_string(CertificateStatus status) noexcept {
    return status == CertificateStatus::revoked ? "revoked" : "valid";
}

void insert_certificate(Transaction& tx, const CertificateRecord& c) {
    const std::string sans = join_names(c.subject_alt_names);
    try {
        tx.run(insert_sql(),
               {c.serial_hex,
                c.authority,
                c.issuer_id == 0 ? SqlParam{nullptr} : SqlParam{c.issuer_id},
                c.authority_key_id,
                c.subject,
                sans,
                to_unix_seconds(c.not_before),
                to_unix_seconds(c.not_after),
                c.profile,
                c.requester,
                c.renews_serial,
                c.der});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(ErrorCode::conflict, fmt::format("serial {} is already taken", c.serial_hex));
        }
        throw;
    }
}

std::optional<CertificateRecord> find_certificate(Transaction& tx, std::string_view serial_hex) {
    const SqlResult r = tx.run(select_by_serial_sql(), {serial_hex});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_certificate(r.rows[0]);
}

std::vector<CertificateRecord> certificates_with_subject(Transaction& tx, std::string_view subject) {
    return read_all(tx.run(select_by_subject_sql(), {subject}));
}

std::vector<CertificateRecord> list_certificates(Transaction& tx, const CertificateFilter& filter) {
    return read_all(
        tx.run(select_filtered_sql(),
               {filter.authority,
                filter.issuer_id.value_or(0),
                std::int64_t{filter.not_after_before.has_value() ? 1 : 0},
                filter.not_after_before ? to_unix_seconds(*filter.not_after_before) : std::int64_t{0},
                std::int64_t{filter.revoked_only ? 1 : 0}}));
}

CertificateRecord revoke_certificate(Transaction& tx,
                                     std::string_view authority,
                                     std::string_view serial_hex,
                                     std::string_view reason,
                                     core::TimePoint at) {
    std::optional<CertificateRecord> current = find_certificate(tx, serial_hex);
    if (!current || current->authority != authority) {
        throw Error(
            ErrorCode::not_found,
            fmt::format("authority \"{}\" issued no certificate with serial {}", authority, serial_hex));
    }
    if (current->status == CertificateStatus::revoked) {
        throw Error(ErrorCode::conflict, fmt::format("certificate {} is already revoked", serial_hex));
    }
    tx.run(
        "UPDATE certificates SET status = 'revoked', revoked_at = $1, revocation_reason = $2 "
        "WHERE serial = $3 AND status = 'valid'",
        {to_unix_seconds(at), reason, serial_hex});
    current->status = CertificateStatus::revoked;
    current->revoked_at = at;
    current->revocation_reason = std::string(reason);
    return *current;
}

}  // namespace certfleet::store
