#pragma once
// ACME (RFC 8555) accounts, orders, authorizations and challenges, and the shared table of redeemed
// nonces. Statuses are kept as the RFC's words; acme/order_state_machine.hpp decides every change, and
// the set_* functions apply one only if the row is still in the status the decision was made from, so two
// replicas acting on one order at once cannot both move it (e.g. finalize twice).

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// An ACME account: its key (RFC 7638 thumbprint and canonical JWK), contact URLs and status.
struct AcmeAccountRecord {
    std::int64_t id = 0;  ///< assigned by the store; the account URL ends with it
    std::string authority;
    std::string thumbprint;            ///< unique per authority: one account per key
    std::string jwk;                   ///< the canonical JWK (RFC 7638 form)
    std::vector<std::string> contact;  ///< "mailto:ops@example.com"
    std::string status = "valid";      ///< valid, deactivated, revoked
    core::TimePoint created_at;
    /// The key identifier of the external account binding (RFC 8555 7.3.4) the account was created with,
    /// "" for none; unique per authority: one kid binds one account.
    std::string eab_kid;
    std::string external_account_binding;  ///< that binding's JWS (JSON), returned in the account object
};

/// One challenge of an authorization (certfleet offers http-01).
struct AcmeChallengeRecord {
    std::int64_t id = 0;
    std::int64_t authorization_id = 0;
    std::string type = "http-01";
    std::string token;               ///< base64url, 128 random bits or more (RFC 8555 8.3); unique
    std::string status = "pending";  ///< pending, processing, valid, invalid
    std::optional<core::TimePoint> validated_at;
    std::string error;  ///< the problem document (JSON) of a failed validation, "" otherwise
};

/// An authorization for one identifier of one order.
struct AcmeAuthorizationRecord {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::int64_t account_id = 0;
    std::string identifier;          ///< a DNS name, lower case
    std::string status = "pending";  ///< pending, valid, invalid, deactivated, expired, revoked
    core::TimePoint expires;
    std::vector<AcmeChallengeRecord> challenges;
};

/// An order: identifiers, status, and once valid the serial of its certificate.
struct AcmeOrderRecord {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string authority;
    std::string status = "pending";        ///< pending, ready, processing, valid, invalid
    std::vector<std::string> identifiers;  ///< DNS names, lower case, sorted
    core::TimePoint expires;
    core::TimePoint created_at;
    std::string error;               ///< the problem document (JSON) of an invalid order, "" otherwise
    std::string certificate_serial;  ///< lower-case hex once valid
    std::vector<std::int64_t> authorization_ids;  ///< read back by find_acme_order
};

/// Records a new account and assigns its id. Throws Error(conflict) if the authority has an account with
/// the same key thumbprint, or one bound with the same eab_kid.
void insert_acme_account(Transaction& tx, AcmeAccountRecord& account);
/// Returns the account of `authority` bound with external account key identifier `eab_kid`, or nullopt.
std::optional<AcmeAccountRecord> find_acme_account_by_eab_kid(Transaction& tx,
                                                              std::string_view authority,
                                                              std::string_view eab_kid);
/// Returns the account with `id`, or nullopt.
std::optional<AcmeAccountRecord> find_acme_account(Transaction& tx, std::int64_t id);
/// Returns the account of `authority` whose key has `thumbprint`, or nullopt.
std::optional<AcmeAccountRecord> find_acme_account_by_thumbprint(Transaction& tx,
                                                                 std::string_view authority,
                                                                 std::string_view thumbprint);
/// Replaces an account's key, contact and status (update, key rollover, deactivation). Throws
/// Error(not_found) for an unknown id, Error(conflict) if the new key belongs to another account.
void update_acme_account(Transaction& tx, const AcmeAccountRecord& account);

/// Records an order with its authorizations and their challenges; assigns every id (the order's into
/// each authorization, each authorization's into its challenges).
void insert_acme_order(Transaction& tx,
                       AcmeOrderRecord& order,
                       std::vector<AcmeAuthorizationRecord>& authorizations);
/// Returns the order with `id` and its authorization ids, or nullopt.
std::optional<AcmeOrderRecord> find_acme_order(Transaction& tx, std::int64_t id);
/// Returns the ids of an account's orders, oldest first.
std::vector<std::int64_t> acme_order_ids(Transaction& tx, std::int64_t account_id);
/// Returns the authorization with `id` and its challenges, or nullopt.
std::optional<AcmeAuthorizationRecord> find_acme_authorization(Transaction& tx, std::int64_t id);
/// Returns the challenge with `id`, or nullopt.
std::optional<AcmeChallengeRecord> find_acme_challenge(Transaction& tx, std::int64_t id);

/// Moves an order from `from` to `to` (with `error` and `certificate_serial` recorded) if it is still in
/// `from`; returns false if it was not (another request moved it first).
bool set_acme_order_status(Transaction& tx,
                           std::int64_t id,
                           std::string_view from,
                           std::string_view to,
                           std::string_view error = "",
                           std::string_view certificate_serial = "");
/// Moves an authorization from `from` to `to` if it is still in `from`; returns whether it moved.
bool set_acme_authorization_status(Transaction& tx,
                                   std::int64_t id,
                                   std::string_view from,
                                   std::string_view to);
/// Moves a challenge from `from` to `to` at `at` (with `error` for invalid) if it is still in `from`;
/// returns whether it moved.
bool set_acme_challenge_status(Transaction& tx,
                               std::int64_t id,
                               std::string_view from,
                               std::string_view to,
                               core::TimePoint at,
                               std::string_view error = "");

/// Records that `nonce`, issued at `issued_at`, is redeemed now. Returns true on its first redemption,
/// false if it was redeemed before or was issued before the table's epoch. On PostgreSQL the table is
/// UNLOGGED (no WAL, so no fsync at commit); a crash empties it, the epoch row with it, and the first
/// refusal after that writes a new epoch at `now`, so nonces issued before the crash are refused rather
/// than replayable.
bool record_nonce_use(Transaction& tx,
                      std::string_view nonce,
                      core::TimePoint issued_at,
                      core::TimePoint now);
/// Forgets redeemed nonces issued before `before` (their timestamps refuse them anyway).
void forget_nonces_before(Transaction& tx, core::TimePoint before);

}  // namespace certfleet::store
