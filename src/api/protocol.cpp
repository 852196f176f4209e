#include "api/protocol.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace certfleet::api {

std::optional<Version> parse_version(std::string_view text) {
    std::array<int, 3> parts{};
    std::size_t count = 0;
    while (!text.empty()) {
        if (count == parts.size()) {
            return std::nullopt;
        }
        const std::size_t dot = text.find('.');
        const std::string_view part = text.substr(0, dot);
        int value = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc{} || end != part.data() + part.size() || value < 0) {
            return std::nullopt;
        }
        parts.at(count++) = value;
        if (dot == std::string_view::npos) {
            break;
        }
        text.remove_prefix(dot + 1);
        if (text.empty()) {
            return std::nullopt;  // "1.2."
        }
    }
    if (count == 0) {
        return std::nullopt;
    }
    return Version{.major = parts[0], .minor = parts[1], .patch = parts[2]};
}

std::string to_string(const Version& version) {
    return fmt::format("{}.{}.{}", version.major, version.minor, version.patch);
}

}  // namespace certfleet::api
