#pragma once

#include "core/clock.hpp"
#include "core/duration.hpp"

#include <string>
#include <string_view>

namespace certfleet::core {

/// A calendar date and time of day in UTC, as ASN.1 times and RFC 3339 text write it.
struct CivilTime {
    int year = 1970;  ///< 0 to 9999
    int month = 1;    ///< 1 to 12
    int day = 1;      ///< 1 to the month's last day
    int hour = 0;
    int minute = 0;
    int second = 0;  ///< 0 to 59 (a leap second 60 is read as 59, as OpenSSL does)
};

/// The first moment a certificate date can name: 0000-01-01T00:00:00Z.
TimePoint earliest_time() noexcept;
/// The last moment a certificate date can name: 9999-12-31T23:59:59Z (RFC 5280 4.1.2.5).
TimePoint latest_time() noexcept;

/// Returns the moment `civil` names. Throws Error(invalid_input) naming `field` if a part is out of range.
TimePoint from_civil(const CivilTime& civil, std::string_view field);
/// Returns the calendar parts of `at`. Throws Error(invalid_input) if `at` is outside years 0000-9999.
CivilTime to_civil(TimePoint at);

/// Formats `at` as RFC 3339 UTC ("2026-01-31T12:00:00Z").
std::string format_time(TimePoint at);
/// Formats `at` for file names ("20260131T120000Z").
std::string format_compact_time(TimePoint at);
/// Parses "2026-01-31", "2026-01-31T12:00:00Z" (fractions ignored, "+00:00" accepted). Throws
/// Error(invalid_input) naming `field` if it is not such a time or not in UTC.
TimePoint parse_time(std::string_view text, std::string_view field);

/// Returns `from + length`. Throws Error(invalid_input) naming `field` if the result is past
/// 9999-12-31T23:59:59Z, the last date a certificate can carry.
TimePoint add_checked(TimePoint from, Seconds length, std::string_view field);

}  // namespace certfleet::core
