#pragma once

#include "core/secret.hpp"
#include "pki/csr.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::enrollment {

/// The server config's autosign rules for pending requests (Puppet's `autosign` setting): a request is
/// signed at once when its name matches a glob and, if a challenge is configured, the CSR carries it
/// as its challengePassword attribute; or when the policy executable approves it.
struct AutosignRules {
    std::vector<std::string> globs;         ///< "*.nodes.example.com", "web-??.example.com"
    std::optional<core::Secret> challenge;  ///< the shared challengePassword, if one is required
    std::string policy_executable;          ///< gets the CSR on stdin and the name as argument; exit 0 = sign
};

/// Returns true if `name` matches `glob`: '*' is any run of characters except '.', '?' one character
/// except '.', matching is case-insensitive (DNS names), so "*.example.com" does not sign
/// "a.b.example.com" nor "example.com".
bool glob_matches(std::string_view glob, std::string_view name);

/// How a pending request is decided without an operator.
enum class AutosignVerdict { sign, ask_policy_executable, queue };

/// A verdict and why.
struct AutosignDecision {
    AutosignVerdict verdict = AutosignVerdict::queue;
    std::string reason;
};

/// Decides a request for `name` whose CSR carries `challenge` (nullopt: none), under `rules`.
/// A glob match signs only with the right challenge when one is configured; otherwise the policy
/// executable (if any) is asked; otherwise the request waits for an operator.
AutosignDecision judge_autosign(const AutosignRules& rules,
                                std::string_view name,
                                const std::optional<core::Secret>& challenge);

/// Returns the CSR's challengePassword attribute (PKCS#9), or nullopt when it has none.
std::optional<core::Secret> challenge_password(const pki::Csr& csr);

}  // namespace certfleet::enrollment
