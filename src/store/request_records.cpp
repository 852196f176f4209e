#include "store/request_records.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view request_columns =
    "id, authority, name, csr_pem, profile, state, certificate_serial, reason, source, submitted_at, "
    "decided_at, decided_by";

RequestState parse_state(const std::string& text) {
    if (text == "pending") {
        return RequestState::pending;
    }
    if (text == "issued") {
        return RequestState::issued;
    }
    if (text == "denied") {
        return RequestState::denied;
    }
    throw Error(ErrorCode::internal, fmt::format("certificate_requests.state: unknown \"{}\"", text));
}

CertificateRequestRecord read_request(const SqlRow& r) {
    CertificateRequestRecord request{.id = r.integer(0),
                                     .authority = r.text(1),
                                     .name = r.text(2),
                                     .csr_pem = r.text(3),
                                     .profile = r.text(4),
                                     .state = parse_state(r.text(5)),
                                     .certificate_serial = r.text(6),
                                     .reason = r.text(7),
                                     .source = r.text(8),
                                     .submitted_at = from_unix_seconds(r.integer(9)),
                                     .decided_by = r.text(11)};
    if (!r.is_null(10)) {
        request.decided_at = from_unix_seconds(r.integer(10));
    }
    return request;
}

std::vector<CertificateRequestRecord> read_requests(const SqlResult& r) {
    std::vector<CertificateRequestRecord> requests;
    requests.reserve(r.rows.size());
    for (const SqlRow& row : r.rows) {
        requests.push_back(read_request(row));
    }
    return requests;
}

}  // namespace

std::string_view to_string(RequestState state) noexcept {
    switch (state) {
        case RequestState::pending:
            return "pending";
        case RequestState::issued:
            return "issued";
        case RequestState::denied:
            return "denied";
    }
    return "pending";
}

void insert_certificate_request(Transaction& tx, CertificateRequestRecord& request) {
    // Looked up first to name the pending request; the unique index still decides a race (after a
    // failed statement PostgreSQL runs nothing more in the transaction, so no lookup after it).
    const SqlResult pending =
        tx.run("SELECT id FROM certificate_requests WHERE authority = $1 AND name = $2 AND state = 'pending'",
               {request.authority, request.name});
    const auto refuse = [&](const std::string& id) {
        throw Error(
            ErrorCode::conflict,
            fmt::format("{} already has a pending request{}: approve or deny it first", request.name, id));
    };
    if (!pending.rows.empty()) {
        refuse(fmt::format(" ({})", pending.rows[0].integer(0)));
    }
    try {
        request.id = tx.run(
                           "INSERT INTO certificate_requests (authority, name, csr_pem, profile, state, "
                           "certificate_serial, reason, source, submitted_at, decided_at, decided_by) "
                           "VALUES ($1, $2, $3, $4, 'pending', '', '', $5, $6, NULL, '') RETURNING id",
                           {request.authority,
                            request.name,
                            request.csr_pem,
                            request.profile,
                            request.source,
                            to_unix_seconds(request.submitted_at)})
                         .rows.at(0)
                         .integer(0);
        request.state = RequestState::pending;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            refuse("");
        }
        throw;
    }
}

std::optional<CertificateRequestRecord> find_certificate_request(Transaction& tx, std::int64_t id) {
    const SqlResult r =
        tx.run(fmt::format("SELECT {} FROM certificate_requests WHERE id = $1", request_columns), {id});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_request(r.rows[0]);
}

std::vector<CertificateRequestRecord> certificate_requests_named(Transaction& tx,
                                                                 std::string_view authority,
                                                                 std::string_view name) {
    return read_requests(tx.run(
        fmt::format("SELECT {} FROM certificate_requests WHERE authority = $1 AND name = $2 ORDER BY id DESC",
                    request_columns),
        {authority, name}));
}

std::vector<CertificateRequestRecord> list_certificate_requests(Transaction& tx,
                                                                std::string_view authority,
                                                                bool include_decided) {
    return read_requests(
        tx.run(fmt::format("SELECT {} FROM certificate_requests WHERE authority = $1 {} ORDER BY id",
                           request_columns,
                           include_decided ? "" : "AND state = 'pending'"),
               {authority}));
}

bool decide_certificate_request(Transaction& tx, std::int64_t id, const RequestDecision& decision) {
    if (decision.state == RequestState::pending) {
        throw Error(ErrorCode::internal, "a decision moves a request out of pending");
    }
    return tx.run(
                 "UPDATE certificate_requests SET state = $1, certificate_serial = $2, reason = $3, "
                 "decided_at = $4, decided_by = $5 WHERE id = $6 AND state = 'pending'",
                 {to_string(decision.state),
                  decision.certificate_serial,
                  decision.reason,
                  to_unix_seconds(decision.at),
                  decision.decided_by,
                  id})
               .affected == 1;
}

}  // namespace certfleet::store
