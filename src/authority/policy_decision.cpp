#include "authority/policy_decision.hpp"

#include <fmt/format.h>

namespace certfleet::authority {

std::string_view to_string(PolicyRefusalReason reason) noexcept {
    switch (reason) {
        case PolicyRefusalReason::name_not_allowed:
            return "name_not_allowed";
        case PolicyRefusalReason::wildcard_not_allowed:
            return "wildcard_not_allowed";
        case PolicyRefusalReason::ip_not_allowed:
            return "ip_not_allowed";
        case PolicyRefusalReason::name_kind_not_allowed:
            return "name_kind_not_allowed";
        case PolicyRefusalReason::validity_too_long:
            return "validity_too_long";
        case PolicyRefusalReason::key_type_not_allowed:
            return "key_type_not_allowed";
        case PolicyRefusalReason::key_too_small:
            return "key_too_small";
        case PolicyRefusalReason::subject_override_not_allowed:
            return "subject_override_not_allowed";
    }
    return "unknown";
}

std::string PolicyDecision::describe() const {
    std::string out;
    for (const PolicyRefusal& r : refusals) {
        out += fmt::format("{}{}: {} ({})", out.empty() ? "" : "; ", to_string(r.reason), r.subject, r.rule);
    }
    return out;
}

}  // namespace certfleet::authority
