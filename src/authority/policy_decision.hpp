#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::authority {

/// Why a policy refused a request (step-ca's NamePolicyError.Reason, extended to keys and validity).
enum class PolicyRefusalReason {
    name_not_allowed,              ///< a DNS name outside allowed_domains
    wildcard_not_allowed,          ///< "*.x" requested while allow_wildcards is false
    ip_not_allowed,                ///< an IP address outside allowed_ip_ranges
    name_kind_not_allowed,         ///< an email or URI name (policies cover DNS and IP only)
    validity_too_long,             ///< requested validity above max_validity
    key_type_not_allowed,          ///< key algorithm not in allowed_key_types
    key_too_small,                 ///< RSA modulus below min_rsa_bits
    subject_override_not_allowed,  ///< the operator replaced the CSR subject while the policy forbids it
};

/// Returns the stable snake_case name ("name_not_allowed").
std::string_view to_string(PolicyRefusalReason reason) noexcept;

/// One rule that refused, and on what.
struct PolicyRefusal {
    PolicyRefusalReason reason;
    std::string subject;  ///< the name, key or duration refused ("DNS:evil.example")
    std::string rule;     ///< the rule as configured ("allowed_domains: [example.com, *.example.com]")
};

/// The verdict on one request: allowed when no rule refused. A refusal is a value, not an error.
struct PolicyDecision {
    std::vector<PolicyRefusal> refusals;

    [[nodiscard]] bool allowed() const noexcept { return refusals.empty(); }
    /// Returns "name_not_allowed: DNS:evil.example (allowed_domains: ...); ..." for messages and the audit
    /// log.
    [[nodiscard]] std::string describe() const;
};

}  // namespace certfleet::authority
