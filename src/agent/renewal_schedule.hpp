#pragma once

#include "core/clock.hpp"
#include "core/duration.hpp"

#include <optional>
#include <string_view>

namespace certfleet::agent {

/// When a certificate is renewed: at two thirds of its lifetime less a jitter of up to 1/20 of it (so a
/// fleet issued at once does not renew at once), or `renew_before` ahead of notAfter, whichever comes
/// first. The jitter is derived from `serial_hex`, so the same certificate always gets the same time.
core::TimePoint renewal_time(core::TimePoint not_before,
                             core::TimePoint not_after,
                             std::optional<core::Seconds> renew_before,
                             std::string_view serial_hex);

}  // namespace certfleet::agent
