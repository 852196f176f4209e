#pragma once

#include "pki/bytes.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::acme {

/// Returns `data` in base64url without padding (RFC 7515 section 2).
std::string base64url_encode(std::string_view data);
/// Returns `data` in base64url without padding.
std::string base64url_encode(const pki::Bytes& data);

/// Decodes strict base64url: only the URL-safe alphabet, no padding, no whitespace, and unused trailing
/// bits zero (so every value has exactly one encoding). Returns nullopt for anything else.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace certfleet::acme
