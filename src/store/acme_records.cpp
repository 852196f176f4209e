#include "store/acme_records.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view epoch_row = "~epoch";

AcmeAccountRecord read_account(const SqlRow& r) {
    return {.id = r.integer(0),
            .authority = r.text(1),
            .thumbprint = r.text(2),
            .jwk = r.text(3),
            .contact = split_names(r.text(4)),
            .status = r.text(5),
            .created_at = from_unix_seconds(r.integer(6)),
            .eab_kid = r.text(7),
            .external_account_binding = r.text(8)};
}

constexpr std::string_view account_columns =
    "id, authority, thumbprint, jwk, contact, status, created_at, eab_kid, external_account_binding";

std::optional<AcmeAccountRecord> first_account(const SqlResult& r) {
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_account(r.rows[0]);
}

AcmeChallengeRecord read_challenge(const SqlRow& r) {
    AcmeChallengeRecord c{.id = r.integer(0),
                          .authorization_id = r.integer(1),
                          .type = r.text(2),
                          .token = r.text(3),
                          .status = r.text(4),
                          .error = r.text(6)};
    if (!r.is_null(5)) {
        c.validated_at = from_unix_seconds(r.integer(5));
    }
    return c;
}

constexpr std::string_view challenge_columns =
    "id, authorization_id, type, token, status, validated_at, error";

}  // namespace

void insert_acme_account(Transaction& tx, AcmeAccountRecord& account) {
    try {
        account.id =
            tx.run(
                  "INSERT INTO acme_accounts (authority, thumbprint, jwk, contact, status, created_at, "
                  "eab_kid, external_account_binding) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                  {account.authority,
                   account.thumbprint,
                   account.jwk,
                   join_names(account.contact),
                   account.status,
                   to_unix_seconds(account.created_at),
                   account.eab_kid,
                   account.external_account_binding})
                .rows.at(0)
                .integer(0);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(
                ErrorCode::conflict,
                account.eab_kid.empty()
                    ? fmt::format("authority \"{}\" already has an ACME account with key thumbprint {}",
                                  account.authority,
                                  account.thumbprint)
                    : fmt::format("authority \"{}\" already has an ACME account with key thumbprint {} "
                                  "or bound with external account kid \"{}\"",
                                  account.authority,
                                  account.thumbprint,
                                  account.eab_kid));
        }
        throw;
    }
}

std::optional<AcmeAccountRecord> find_acme_account(Transaction& tx, std::int64_t id) {
    return first_account(
        tx.run(fmt::format("SELECT {} FROM acme_accounts WHERE id = $1", account_columns), {id}));
}

std::optional<AcmeAccountRecord> find_acme_account_by_thumbprint(Transaction& tx,
                                                                 std::string_view authority,
                                                                 std::string_view thumbprint) {
    return first_account(tx.run(
        fmt::format("SELECT {} FROM acme_accounts WHERE authority = $1 AND thumbprint = $2", account_columns),
        {authority, thumbprint}));
}

std::optional<AcmeAccountRecord> find_acme_account_by_eab_kid(Transaction& tx,
                                                              std::string_view authority,
                                                              std::string_view eab_kid) {
    return first_account(tx.run(
        fmt::format("SELECT {} FROM acme_accounts WHERE authority = $1 AND eab_kid = $2", account_columns),
        {authority, eab_kid}));
}

void update_acme_account(Transaction& tx, const AcmeAccountRecord& account) {
    SqlResult r;
    try {
        r = tx.run(
            "UPDATE acme_accounts SET thumbprint = $1, jwk = $2, contact = $3, status = $4 WHERE id = $5",
            {account.thumbprint, account.jwk, join_names(account.contact), account.status, account.id});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(
                ErrorCode::conflict,
                fmt::format("another ACME account already has key thumbprint {}", account.thumbprint));
        }
        throw;
    }
    if (r.affected == 0) {
        throw Error(ErrorCode::not_found, fmt::format("no ACME account {}", account.id));
    }
}

void insert_acme_order(Transaction& tx,
                       AcmeOrderRecord& order,
                       std::vector<AcmeAuthorizationRecord>& authorizations) {
    order.id =
        tx.run(
              "INSERT INTO acme_orders (account_id, authority, status, identifiers, expires, created_at, "
              "error, certificate_serial) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
              {order.account_id,
               order.authority,
               order.status,
               join_names(order.identifiers),
               to_unix_seconds(order.expires),
               to_unix_seconds(order.created_at),
               order.error,
               order.certificate_serial})
            .rows.at(0)
            .integer(0);
    order.authorization_ids.clear();
    for (AcmeAuthorizationRecord& authz : authorizations) {
        authz.order_id = order.id;
        authz.id =
            tx.run(
                  "INSERT INTO acme_authorizations (order_id, account_id, identifier, status, expires) "
                  "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                  {authz.order_id,
                   authz.account_id,
                   authz.identifier,
                   authz.status,
                   to_unix_seconds(authz.expires)})
                .rows.at(0)
                .integer(0);
        order.authorization_ids.push_back(authz.id);
        for (AcmeChallengeRecord& challenge : authz.challenges) {
            challenge.authorization_id = authz.id;
            challenge.id =
                tx.run(
                      "INSERT INTO acme_challenges (authorization_id, type, token, status, validated_at, "
                      "error) VALUES ($1, $2, $3, $4, NULL, $5) RETURNING id",
                      {challenge.authorization_id,
                       challenge.type,
                       challenge.token,
                       challenge.status,
                       challenge.error})
                    .rows.at(0)
                    .integer(0);
        }
    }
}

std::optional<AcmeOrderRecord> find_acme_order(Transaction& tx, std::int64_t id) {
    const SqlResult r = tx.run(
        "SELECT id, account_id, authority, status, identifiers, expires, created_at, error, "
        "certificate_serial "
        "FROM acme_orders WHERE id = $1",
        {id});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    const SqlRow& row = r.rows[0];
    AcmeOrderRecord order{.id = row.integer(0),
                          .account_id = row.integer(1),
                          .authority = row.text(2),
                          .status = row.text(3),
                          .identifiers = split_names(row.text(4)),
                          .expires = from_unix_seconds(row.integer(5)),
                          .created_at = from_unix_seconds(row.integer(6)),
                          .error = row.text(7),
                          .certificate_serial = row.text(8)};
    for (const SqlRow& a :
         tx.run("SELECT id FROM acme_authorizations WHERE order_id = $1 ORDER BY id", {id}).rows) {
        order.authorization_ids.push_back(a.integer(0));
    }
    return order;
}

std::vector<std::int64_t> acme_order_ids(Transaction& tx, std::int64_t account_id) {
    std::vector<std::int64_t> ids;
    for (const SqlRow& r :
         tx.run("SELECT id FROM acme_orders WHERE account_id = $1 ORDER BY id", {account_id}).rows) {
        ids.push_back(r.integer(0));
    }
    return ids;
}

std::optional<AcmeAuthorizationRecord> find_acme_authorization(Transaction& tx, std::int64_t id) {
    const SqlResult r = tx.run(
        "SELECT id, order_id, account_id, identifier, status, expires FROM acme_authorizations WHERE id = $1",
        {id});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    const SqlRow& row = r.rows[0];
    AcmeAuthorizationRecord authz{.id = row.integer(0),
                                  .order_id = row.integer(1),
                                  .account_id = row.integer(2),
                                  .identifier = row.text(3),
                                  .status = row.text(4),
                                  .expires = from_unix_seconds(row.integer(5))};
    for (const SqlRow& c :
         tx.run(fmt::format("SELECT {} FROM acme_challenges WHERE authorization_id = $1 ORDER BY id",
                            challenge_columns),
                {id})
             .rows) {
        authz.challenges.push_back(read_challenge(c));
    }
    return authz;
}

std::optional<AcmeChallengeRecord> find_acme_challenge(Transaction& tx, std::int64_t id) {
    const SqlResult r =
        tx.run(fmt::format("SELECT {} FROM acme_challenges WHERE id = $1", challenge_columns), {id});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_challenge(r.rows[0]);
}

bool set_acme_order_status(Transaction& tx,
                           std::int64_t id,
                           std::string_view from,
                           std::string_view to,
                           std::string_view error,
                           std::string_view certificate_serial) {
    return tx.run(
                 "UPDATE acme_orders SET status = $1, error = $2, certificate_serial = $3 "
                 "WHERE id = $4 AND status = $5",
                 {to, error, certificate_serial, id, from})
               .affected == 1;
}

bool set_acme_authorization_status(Transaction& tx,
                                   std::int64_t id,
                                   std::string_view from,
                                   std::string_view to) {
    return tx.run("UPDATE acme_authorizations SET status = $1 WHERE id = $2 AND status = $3", {to, id, from})
               .affected == 1;
}

bool set_acme_challenge_status(Transaction& tx,
                               std::int64_t id,
                               std::string_view from,
                               std::string_view to,
                               core::TimePoint at,
                               std::string_view error) {
    return tx.run(
                 "UPDATE acme_challenges SET status = $1, validated_at = $2, error = $3 "
                 "WHERE id = $4 AND status = $5",
                 {to, to_unix_seconds(at), error, id, from})
               .affected == 1;
}

bool record_nonce_use(Transaction& tx,
                      std::string_view nonce,
                      core::TimePoint issued_at,
                      core::TimePoint now) {
    // One statement on the accepting path: it inserts only a nonce issued at or after the epoch.
    const std::int64_t issued = to_unix_seconds(issued_at);
    if (tx.run("INSERT INTO acme_nonces (nonce, issued_at) SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT) "
               "WHERE CAST($2 AS BIGINT) >= (SELECT issued_at FROM acme_nonces WHERE nonce = $3) "
               "ON CONFLICT DO NOTHING",
               {nonce, issued, epoch_row})
            .affected == 1) {
        return true;
    }
    tx.run("INSERT INTO acme_nonces (nonce, issued_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
           {epoch_row, to_unix_seconds(now)});
    return false;
}

void forget_nonces_before(Transaction& tx, core::TimePoint before) {
    tx.run("DELETE FROM acme_nonces WHERE issued_at < $1 AND nonce <> $2",
           {to_unix_seconds(before), epoch_row});
}

}  // namespace certfleet::store
