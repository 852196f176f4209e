#include "authority/revocation.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace certfleet::authority {
namespace {

constexpr std::array<std::pair<RevocationReason, std::string_view>, 10> names{{
    {RevocationReason::unspecified, "unspecified"},
    {RevocationReason::key_compromise, "keyCompromise"},
    {RevocationReason::ca_compromise, "cACompromise"},
    {RevocationReason::affiliation_changed, "affiliationChanged"},
    {RevocationReason::superseded, "superseded"},
    {RevocationReason::cessation_of_operation, "cessationOfOperation"},
    {RevocationReason::certificate_hold, "certificateHold"},
    {RevocationReason::remove_from_crl, "removeFromCRL"},
    {RevocationReason::privilege_withdrawn, "privilegeWithdrawn"},
    {RevocationReason::aa_compromise, "aACompromise"},
}};

}  // namespace

RevocationReason parse_revocation_reason(std::string_view text) {
    for (const auto& [reason, name] : names) {
        if (name == text) {
            return reason;
        }
    }
    throw core::Error(core::ErrorCode::invalid_input,
                      fmt::format("reason: unknown revocation reason \"{}\" (use unspecified, keyCompromise, "
                                  "cACompromise, affiliationChanged, superseded, cessationOfOperation, "
                                  "certificateHold, privilegeWithdrawn or aACompromise)",
                                  text));
}

std::string_view to_string(RevocationReason reason) noexcept {
    for (const auto& [value, name] : names) {
        if (value == reason) {
            return name;
        }
    }
    return "unspecified";
}

}  // namespace certfleet::authority
