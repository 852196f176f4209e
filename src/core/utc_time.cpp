#include "core/utc_time.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::core {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::month;
using std::chrono::seconds;
using std::chrono::year;
using std::chrono::year_month_day;

// Reads exactly `width` decimal digits at `pos`; returns -1 if they are not all digits.
int digits_at(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) {
        return -1;
    }
    int value = 0;
    const char* begin = text.data() + pos;
    const auto [ptr, ec] = std::from_chars(begin, begin + width, value);
    if (ec != std::errc{} || ptr != begin + width) {
        return -1;
    }
    return value;
}

}  // namespace

TimePoint earliest_time() noexcept {
    return TimePoint{std::chrono::sys_days{year{0} / 1 / 1}};
}

TimePoint latest_time() noexcept {
    return TimePoint{std::chrono::sys_days{year{9999} / 12 / 31}} + hours{23} + minutes{59} + seconds{59};
}

TimePoint from_civil(const CivilTime& civil, std::string_view field) {
    const year_month_day date{
        year{civil.year}, month{static_cast<unsigned>(civil.month)}, day{static_cast<unsigned>(civil.day)}};
    if (civil.year < 0 || civil.year > 9999 || !date.ok() || civil.hour < 0 || civil.hour > 23 ||
        civil.minute < 0 || civil.minute > 59 || civil.second < 0 || civil.second > 60) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z is not a valid UTC time",
                                field,
                                civil.year,
                                civil.month,
                                civil.day,
                                civil.hour,
                                civil.minute,
                                civil.second));
    }
    const int second = civil.second == 60 ? 59 : civil.second;
    return TimePoint{std::chrono::sys_days{date}} + hours{civil.hour} + minutes{civil.minute} +
           seconds{second};
}

CivilTime to_civil(TimePoint at) {
    if (at < earliest_time() || at > latest_time()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("time {} seconds after 1970 is outside years 0000-9999",
                                at.time_since_epoch().count()));
    }
    const auto midnight = std::chrono::floor<days>(at);
    const year_month_day date{midnight};
    const std::chrono::hh_mm_ss time{at - midnight};
    return {.year = static_cast<int>(date.year()),
            .month = static_cast<int>(static_cast<unsigned>(date.month())),
            .day = static_cast<int>(static_cast<unsigned>(date.day())),
            .hour = static_cast<int>(time.hours().count()),
            .minute = static_cast<int>(time.minutes().count()),
            .second = static_cast<int>(time.seconds().count())};
}

std::string format_time(TimePoint at) {
    const CivilTime c = to_civil(at);
    return fmt::format(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

std::string format_compact_time(TimePoint at) {
    const CivilTime c = to_civil(at);
    return fmt::format(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

TimePoint parse_time(std::string_view text, std::string_view field) {
    const auto bad = [&] {
        return Error(
            ErrorCode::invalid_input,
            fmt::format("{}: \"{}\" is not a time (use 2026-01-31 or 2026-01-31T12:00:00Z)", field, text));
    };
    // YYYY-MM-DD[THH:MM:SS[.fff](Z|+00:00)]
    CivilTime civil{
        .year = digits_at(text, 0, 4), .month = digits_at(text, 5, 2), .day = digits_at(text, 8, 2)};
    if (text.size() < 10 || text[4] != '-' || text[7] != '-' || civil.year < 0 || civil.month < 0 ||
        civil.day < 0) {
        throw bad();
    }
    if (text.size() > 10) {
        if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text.size() < 19 || text[13] != ':' ||
            text[16] != ':') {
            throw bad();
        }
        civil.hour = digits_at(text, 11, 2);
        civil.minute = digits_at(text, 14, 2);
        civil.second = digits_at(text, 17, 2);
        if (civil.hour < 0 || civil.minute < 0 || civil.second < 0) {
            throw bad();
        }
        std::string_view rest = text.substr(19);
        if (!rest.empty() && rest.front() == '.') {
            rest.remove_prefix(1);
            while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
                rest.remove_prefix(1);
            }
        }
        if (rest != "Z" && rest != "z" && rest != "+00:00") {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: \"{}\" must be in UTC (end it with Z)", field, text));
        }
    }
    return from_civil(civil, field);
}

TimePoint add_checked(TimePoint from, Seconds length, std::string_view field) {
    if (length.count() < 0 || from > latest_time() || length > latest_time() - from) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} from {} ends after 9999-12-31T23:59:59Z, the last date a certificate "
                                "can carry (RFC 5280 4.1.2.5)",
                                field,
                                format_duration(length),
                                format_time(from)));
    }
    return from + length;
}

}  // namespace certfleet::core
