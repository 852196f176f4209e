#pragma once
// The status changes RFC 8555 7.1.6 allows, as pure functions of (status, event, facts) so every route
// applies the same rule and a table test covers them. Side effects (validation, issuance, writes) are
// elsewhere; store/acme_records.hpp applies a change only if the row still has the status decided from.

#include "acme/problem.hpp"
#include "core/clock.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace certfleet::acme {

enum class ChallengeStatus { pending, processing, valid, invalid };
enum class AuthorizationStatus { pending, valid, invalid, deactivated, expired, revoked };
enum class OrderStatus { pending, ready, processing, valid, invalid };

/// Returns the RFC's word ("pending").
std::string_view to_string(ChallengeStatus status) noexcept;
std::string_view to_string(AuthorizationStatus status) noexcept;
std::string_view to_string(OrderStatus status) noexcept;
/// Parses the RFC's word as the store keeps it. Throws Error(internal) for anything else (a damaged row).
ChallengeStatus parse_challenge_status(std::string_view text);
AuthorizationStatus parse_authorization_status(std::string_view text);
OrderStatus parse_order_status(std::string_view text);

/// What happened to a challenge.
enum class ChallengeEvent {
    client_responded,      ///< POST to the challenge URL: "the client is ready for validation"
    validation_succeeded,  ///< the server fetched the key authorization
    validation_failed,     ///< the fetch failed or returned something else
};

/// Returns the challenge's next status. A response to a challenge that is no longer pending changes
/// nothing (RFC 8555 7.5.1 lets the client retry the POST); a validation result for a challenge that is
/// not processing is refused as malformed (a stale result must not overwrite a decided challenge).
Checked<ChallengeStatus> next(ChallengeStatus status, ChallengeEvent event);

/// What happened to an authorization.
enum class AuthorizationEvent {
    challenge_changed,   ///< one of its challenges changed status (facts.challenges)
    client_deactivated,  ///< POST {"status": "deactivated"} (RFC 8555 7.5.2)
    time_passed,         ///< re-evaluated at facts.now (expiry)
};

/// What an authorization's next status depends on besides its own.
struct AuthorizationFacts {
    std::vector<ChallengeStatus> challenges;
    core::TimePoint expires;
    core::TimePoint now;
};

/// Returns the authorization's next status: pending becomes valid when a challenge is valid, invalid when
/// one is invalid, expired at `expires`; pending or valid becomes deactivated on the client's request (any
/// other status refuses it: malformed); the final statuses never change.
Checked<AuthorizationStatus> next(AuthorizationStatus status,
                                  AuthorizationEvent event,
                                  const AuthorizationFacts& facts);

/// What happened to an order.
enum class OrderEvent {
    authorizations_changed,  ///< re-evaluated from facts.authorizations and facts.now
    finalize_requested,      ///< POST to the finalize URL with a CSR
    issuance_succeeded,
    issuance_failed,
};

/// What an order's next status depends on besides its own.
struct OrderFacts {
    std::vector<AuthorizationStatus> authorizations;
    core::TimePoint expires;
    core::TimePoint now;
};

/// Returns the order's next status (RFC 8555 7.1.6): pending becomes ready when every authorization is
/// valid and invalid when one is invalid, deactivated, expired or revoked, or when the order expired; only
/// a ready order may be finalized (to processing), anything else answers orderNotReady naming the status;
/// processing ends valid or invalid with the issuance; valid and invalid are final.
Checked<OrderStatus> next(OrderStatus status, OrderEvent event, const OrderFacts& facts);

}  // namespace certfleet::acme
