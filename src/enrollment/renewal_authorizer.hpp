#pragma once

#include "core/clock.hpp"
#include "core/duration.hpp"
#include "pki/subject_alt_names.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::enrollment {

/// The certificate a node renews with, as the store and the handshake know it.
struct CurrentCertificate {
    std::string serial_hex;
    std::vector<pki::GeneralName> names;  ///< its subjectAltNames (and DNS commonName)
    core::TimePoint not_after;
    bool revoked = false;
};

/// The policy's renewal rules.
struct RenewalRules {
    core::Seconds grace{0};  ///< how long past notAfter a certificate may still renew itself (0: never)
};

/// Why a renewal was or was not allowed.
enum class RenewalVerdict { allowed, revoked, expired, foreign_names, no_names };

/// A verdict and, when refused, a message naming the serial and the names at fault.
struct RenewalDecision {
    RenewalVerdict verdict = RenewalVerdict::allowed;
    std::string message;
};

/// Judges a renewal over mTLS: the current certificate must be unrevoked, unexpired at `now` (or within
/// the grace window), and the new CSR may carry only names the current certificate has.
RenewalDecision judge_renewal(const CurrentCertificate& current,
                              const std::vector<pki::GeneralName>& requested,
                              const RenewalRules& rules,
                              core::TimePoint now);

/// Whether a node counts as connected (seed 001's "No connection with X" otherwise): it holds a
/// long-poll now, or its last poll ended within two wait periods of `now`.
bool is_connected(bool holds_poll,
                  std::optional<core::TimePoint> last_poll,
                  core::Seconds wait,
                  core::TimePoint now);

}  // namespace certfleet::enrollment
