#pragma once
// enrollment/ owns the decisions of getting a node its first certificate and keeping it: one-time
// bootstrap tokens bound to names, the pending-request queue and its autosign rules, which names a
// renewal may carry, and whether a node counts as connected. The decisions are pure functions over
// values (tested as tables); the store records, server/ and cli/ call these.

#include "core/clock.hpp"
#include "core/secret.hpp"
#include "pki/subject_alt_names.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::enrollment {

/// A token as the store keeps it: only its hash, the names it grants and its life.
struct TokenGrant {
    std::string hash;                     ///< hash_token() of the token
    std::vector<pki::GeneralName> names;  ///< the CSR may name these and nothing else
    core::TimePoint expires_at;
    std::optional<core::TimePoint> used_at;  ///< set once, in the unit of work that issues
};

/// A token just made: the secret for the operator (printed once) and the hash for the store.
struct NewToken {
    core::Secret token;  ///< "cft_" + 43 base64url characters (256 random bits)
    std::string hash;
};

/// Draws a new token from OpenSSL's CSPRNG. Throws Error(internal) if the RNG fails.
NewToken generate_token();

/// Returns the lower-case hex SHA-256 of `token`: what the store indexes, so a leaked database grants
/// nothing.
std::string hash_token(std::string_view token);

/// Why a token was or was not accepted.
enum class TokenVerdict { accepted, unknown, expired, used, names_not_granted };

/// A decision and, when refused, a message naming the reason (never the token).
struct TokenDecision {
    TokenVerdict verdict = TokenVerdict::unknown;
    std::string message;
};

/// Judges one use of a token: `grant` as found by hash (nullopt: no such token), the names the CSR asks
/// for, at `now`. Accepted only if the token is known, unused, unexpired and every requested name is
/// granted.
TokenDecision judge_token_use(const std::optional<TokenGrant>& grant,
                              const std::vector<pki::GeneralName>& requested,
                              core::TimePoint now);

}  // namespace certfleet::enrollment
