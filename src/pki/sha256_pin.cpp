#include "pki/sha256_pin.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace certfleet::pki {

std::string parse_sha256_fingerprint(std::string_view text, std::string_view field) {
    const auto equals = text.rfind('=');
    std::string hex(text.substr(equals == std::string_view::npos ? 0 : equals + 1));
    hex.erase(std::remove_if(
                  hex.begin(), hex.end(), [](unsigned char c) { return c == ':' || std::isspace(c) != 0; }),
              hex.end());
    std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
    if (hex.size() > 64 && hex.starts_with("sha256")) {  // "sha256:ab..." as some tools print it
        hex.erase(0, 6);
    }
    if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("{}: expected the 64 hex digits of a SHA-256", field));
    }
    return hex;
}

}  // namespace certfleet::pki
