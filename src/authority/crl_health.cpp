#include "authority/crl_health.hpp"

namespace certfleet::authority {

CrlHealth crl_health(store::Store& store, const std::string& authority, core::TimePoint now) {
    const auto crl = store.latest_crl(authority);
    if (!crl) {
        return store.list_certificates({.authority = authority, .revoked_only = true}).empty()
                   ? CrlHealth::fresh
                   : CrlHealth::missing;
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
