#pragma once

#include "authority/policy_decision.hpp"
#include "core/duration.hpp"
#include "pki/public_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::authority {

/// Who may get which names from an authority. An absent list allows everything of its kind; an empty
/// list allows nothing.
struct Policy {
    /// "example.com" allows exactly that name; "*.example.com" allows every name below it.
    std::optional<std::vector<std::string>> allowed_domains;
    bool allow_wildcards = true;  ///< whether "*.x" names may be requested at all
    std::optional<std::vector<std::string>> allowed_ip_ranges;  ///< CIDR: "10.0.0.0/8", "fd00::/8"
    std::optional<core::Seconds> max_validity;
    std::optional<std::vector<std::string>> allowed_key_types;  ///< "rsa", "ec", "ed25519"
    int min_rsa_bits = 2048;
    bool allow_subject_override = true;
};

/// What a request asks for, as the policy sees it.
struct PolicyRequest {
    std::string common_name;  ///< "" when the subject has none
    std::vector<pki::GeneralName> names;
    core::Seconds validity{0};
    pki::KeyDescription key;
    bool subject_overridden = false;
};

/// Parses policy YAML (see examples/policy.yaml). Throws Error(invalid_input) naming `source` and the field,
/// including a malformed CIDR range.
Policy parse_policy(std::string_view yaml, std::string_view source);

/// Returns `policy` as YAML that parse_policy reads back.
std::string to_yaml(const Policy& policy);

/// Judges `request`: every rule that refuses adds one refusal. The commonName is judged as a DNS name
/// (or an IP address) when allowed_domains is set, since TLS clients still fall back to it.
PolicyDecision evaluate(const Policy& policy, const PolicyRequest& request);

}  // namespace certfleet::authority
