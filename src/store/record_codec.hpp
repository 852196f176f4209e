#pragma once

#include "core/clock.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// Returns `at` as Unix seconds, the form both stores keep times in.
std::int64_t to_unix_seconds(core::TimePoint at) noexcept;
/// Returns the time point of `seconds` since the Unix epoch.
core::TimePoint from_unix_seconds(std::int64_t seconds) noexcept;
/// Returns subjectAltNames as one column (newline-separated; names hold no newline).
std::string join_names(const std::vector<std::string>& names);
/// Splits a column written by join_names.
std::vector<std::string> split_names(std::string_view column);

}  // namespace certfleet::store
