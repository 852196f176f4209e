#include "core/duration.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::core {

Seconds parse_duration(std::string_view text, std::string_view field) {
    const auto bad = [&] {
        return Error(
            ErrorCode::invalid_input,
            fmt::format("{}: \"{}\" is not a duration (use e.g. 90s, 15m, 12h, 30d, 2w, 10y)", field, text));
    };
    if (text.empty()) {
        throw bad();
    }
    long long count = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, count);
    if (ec != std::errc{} || ptr == text.data() || count < 0) {
        throw bad();
    }
    const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
    long long factor = 0;
    if (unit == "s") {
        factor = 1;
    } else if (unit == "m") {
        factor = 60;
    } else if (unit == "h") {
        factor = 3600;
    } else if (unit == "d" || unit.empty()) {
        factor = 86400;
    } else if (unit == "w") {
        factor = 7LL * 86400;
    } else if (unit == "y") {
        factor = 365LL * 86400;
    } else {
        throw bad();
    }
    constexpr long long max_seconds = 1000LL * 365 * 86400;  // beyond any certificate's lifetime
    if (count > max_seconds / factor) {
        throw bad();
    }
    return Seconds(count * factor);
}

std::string format_duration(Seconds value) {
    const long long s = value.count();
    if (s != 0 && s % 86400 == 0) {
        return fmt::format("{}d", s / 86400);
    }
    if (s != 0 && s % 3600 == 0) {
        return fmt::format("{}h", s / 3600);
    }
    if (s != 0 && s % 60 == 0) {
        return fmt::format("{}m", s / 60);
    }
    return fmt::format("{}s", s);
}

}  // namespace certfleet::core
