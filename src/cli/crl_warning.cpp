#include "cli/crl_warning.hpp"

#include "authority/ledger.hpp"
#include "cli/object_report.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <iostream>

namespace certfleet::cli {

CrlHealth warn_about_crl(store::Store& store, const std::string& authority, core::TimePoint now) {
    const CrlHealth health = authority::Ledger(store).crl_health(authority, now);
    const auto record = store.find_authority(authority);
    const auto crl = record ? store.latest_crl(record->active_issuer().id) : std::nullopt;
    if (!crl && (health == CrlHealth::due || health == CrlHealth::expired)) {
        std::cerr << fmt::format(
            "warning: authority \"{}\": a CRL of an older issuer generation is {}; run "
            "`certfleet crl generate`\n",
            authority,
            authority::to_string(health));
        return health;
    }
    switch (health) {
        case CrlHealth::fresh:
            break;
        case CrlHealth::due:
            std::cerr << fmt::format(
                "warning: authority \"{}\": CRL #{} expires {} ({}); run `certfleet crl generate`\n",
                authority,
                crl->number,
                pki::format_time(crl->next_update),
                remaining_text(crl->this_update, crl->next_update, now));
            break;
        case CrlHealth::expired:
            std::cerr << fmt::format(
                "warning: authority \"{}\": CRL #{} EXPIRED at {}; clients that check CRLs now refuse "
                "every certificate: run `certfleet crl generate`\n",
                authority,
                crl->number,
                pki::format_time(crl->next_update));
            break;
        case CrlHealth::missing:
            std::cerr << fmt::format(
                "warning: authority \"{}\" has revoked certificates but no CRL; run `certfleet crl "
                "generate`\n",
                authority);
            break;
    }
    return health;
}

}  // namespace certfleet::cli
