#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace certfleet::core {

/// A duration as certfleet stores and prints it: whole seconds.
using Seconds = std::chrono::seconds;

/// Parses a duration written by an operator: "90s", "15m", "12h", "30d", "2w", "10y" (365 days),
/// or a bare number of days. Throws Error(invalid_input) naming `field` if it is not one.
Seconds parse_duration(std::string_view text, std::string_view field);

/// Formats a duration as the largest whole unit that fits ("30d", "12h", "90s").
std::string format_duration(Seconds value);

}  // namespace certfleet::core
