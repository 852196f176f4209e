#include "acme/external_account_keys.hpp"

#include "acme/base64url.hpp"
#include "core/error.hpp"
#include "core/private_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace certfleet::acme {
namespace {

using core::Error;
using core::ErrorCode;

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r';
}

// Splits `line` at blanks into at most three words (a third one means the line has the wrong shape).
std::vector<std::string_view> words_of(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size() && out.size() < 3) {
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && !is_blank(line[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(line.substr(start, i - start));
        }
    }
    return out;
}

bool is_printable_ascii(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c <= '~'; });
}

}  // namespace

ExternalAccountKeys ExternalAccountKeys::parse(const core::Secret& text, std::string_view source) {
    ExternalAccountKeys out;
    const std::string_view all = text.reveal();
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < all.size();) {
        const std::size_t end = std::min(all.find('\n', start), all.size());
        const std::string_view line = all.substr(start, end - start);
        start = end + 1;
        ++line_number;
        const std::vector<std::string_view> words = words_of(line);
        if (words.empty() || words[0].starts_with('#')) {
            continue;
        }
        if (words.size() != 2) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("{}: line {}: expected \"KID HMAC_KEY\" (two words)", source, line_number));
        }
        const std::string_view kid = words[0];
        if (!is_printable_ascii(kid) || kid.size() > 256) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: line {}: the kid must be printable ASCII of at most 256 characters",
                                    source,
                                    line_number));
        }
        std::string_view encoded = words[1];
        while (encoded.ends_with('=')) {
            encoded.remove_suffix(1);
        }
        auto decoded = base64url_decode(encoded);
        if (!decoded) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: line {}: the HMAC key of kid \"{}\" is not base64url", source, line_number, kid));
        }
        core::Secret key(std::move(*decoded));
        if (key.reveal().size() < min_key_bytes) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: line {}: the HMAC key of kid \"{}\" has {} bits; at least {} are "
                                    "required",
                                    source,
                                    line_number,
                                    kid,
                                    key.reveal().size() * 8,
                                    min_key_bytes * 8));
        }
        if (!out.m_keys.emplace(std::string(kid), std::move(key)).second) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("{}: line {}: kid \"{}\" is given a second time", source, line_number, kid));
        }
    }
    return out;
}

ExternalAccountKeys ExternalAccountKeys::read(const std::string& path) {
    return parse(core::read_private_file(path, max_file_bytes), path);
}

const core::Secret* ExternalAccountKeys::find(std::string_view kid) const {
    const auto found = m_keys.find(kid);
    return found == m_keys.end() ? nullptr : &found->second;
}

}  // namespace certfleet::acme
