#include "agent/renewal_schedule.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace certfleet::agent {

core::TimePoint renewal_time(core::TimePoint not_before,
                             core::TimePoint not_after,
                             std::optional<core::Seconds> renew_before,
                             std::string_view serial_hex) {
    const core::Seconds lifetime = std::max(core::Seconds{0}, not_after - not_before);
    const auto jitter_span = lifetime.count() / 20;
    const auto jitter = jitter_span == 0 ? 0
                                         : static_cast<long long>(std::hash<std::string_view>{}(serial_hex) %
                                                                  static_cast<std::size_t>(jitter_span));
    core::TimePoint due = not_before + lifetime * 2 / 3 - core::Seconds{jitter};
    if (renew_before) {
        due = std::min(due, not_after - *renew_before);
    }
    return due;
}

}  // namespace certfleet::agent
