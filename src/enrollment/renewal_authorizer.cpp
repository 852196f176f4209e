#include "enrollment/renewal_authorizer.hpp"

#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::enrollment {

RenewalDecision judge_renewal(const CurrentCertificate& current,
                              const std::vector<pki::GeneralName>& requested,
                              const RenewalRules& rules,
                              core::TimePoint now) {
    if (current.revoked) {
        return {RenewalVerdict::revoked,
                fmt::format("certificate {}: revoked, it cannot renew", current.serial_hex)};
    }
    if (now > current.not_after + rules.grace) {
        return {RenewalVerdict::expired,
                fmt::format("certificate {}: expired at {}{}: enroll again",
                            current.serial_hex,
                            pki::format_time(current.not_after),
                            rules.grace.count() > 0
                                ? fmt::format(" (grace {})", core::format_duration(rules.grace))
                                : std::string())};
    }
    if (requested.empty()) {
        return {RenewalVerdict::no_names, "the CSR names nothing"};
    }
    std::string foreign;
    for (const pki::GeneralName& name : requested) {
        if (std::find(current.names.begin(), current.names.end(), name) == current.names.end()) {
            foreign += (foreign.empty() ? "" : ", ") + pki::to_string(name);
        }
    }
    if (!foreign.empty()) {
        return {RenewalVerdict::foreign_names,
                fmt::format("certificate {} does not hold {}: a renewal may only carry its own names",
                            current.serial_hex,
                            foreign)};
    }
    return {RenewalVerdict::allowed, ""};
}

bool is_connected(bool holds_poll,
                  std::optional<core::TimePoint> last_poll,
                  core::Seconds wait,
                  core::TimePoint now) {
    if (holds_poll) {
        return true;
    }
    return last_poll && now - *last_poll <= 2 * wait;
}

}  // namespace certfleet::enrollment
