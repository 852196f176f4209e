#pragma once

#include <string_view>

namespace certfleet::authority {

/// RFC 5280 5.3.1 CRLReason (value 7 is unused by the RFC).
enum class RevocationReason {
    unspecified = 0,
    key_compromise = 1,
    ca_compromise = 2,
    affiliation_changed = 3,
    superseded = 4,
    cessation_of_operation = 5,
    certificate_hold = 6,
    remove_from_crl = 8,
    privilege_withdrawn = 9,
    aa_compromise = 10,
};

/// Parses the RFC name ("keyCompromise", "superseded"...). Throws Error(invalid_input) naming the choices.
RevocationReason parse_revocation_reason(std::string_view text);
/// Returns the RFC name ("keyCompromise").
std::string_view to_string(RevocationReason reason) noexcept;

}  // namespace certfleet::authority
