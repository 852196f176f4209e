#pragma once

#include "core/clock.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::authority {

/// What an operator must hear about an authority's current CRL.
enum class CrlHealth { fresh, due, expired, missing };

/// Judges one issuer's newest CRL (nullopt: none yet): due when less than a third of its lifetime remains,
/// missing when certificates were revoked but no CRL was ever made (Puppet's expired-CRL outage,
/// puppetserver#2789).
CrlHealth judge_crl(const std::optional<store::CrlRecord>& crl, bool has_revocations, core::TimePoint now);

/// Returns "fresh", "due", "expired" or "missing".
std::string_view to_string(CrlHealth health) noexcept;

}  // namespace certfleet::authority
