#include "authority/crl_health.hpp"

namespace certfleet::authority {

CrlHealth judge_crl(const std::optional<store::CrlRecord>& crl, bool has_revocations, core::TimePoint now) {
    if (!crl) {
        return has_revocations ? CrlHealth::missing : CrlHealth::fresh;
    }
    if (now >= crl->next_update) {
        return CrlHealth::expired;
    }
    const auto lifetime = crl->next_update - crl->this_update;
    return (crl->next_update - now) * 3 < lifetime ? CrlHealth::due : CrlHealth::fresh;
}

std::string_view to_string(CrlHealth health) noexcept {
    switch (health) {
        case CrlHealth::fresh:
            return "fresh";
        case CrlHealth::due:
            return "due";
        case CrlHealth::expired:
            return "expired";
        case CrlHealth::missing:
            return "missing";
    }
    return "unknown";
}

}  // namespace certfleet::authority
