#pragma once

#include <string>
#include <string_view>

namespace certfleet::pki {

/// Parses a SHA-256 fingerprint as an operator pastes it to pin a root: 64 hex digits in any case, with
/// or without ':' separators, also as `openssl x509 -fingerprint -sha256` prints it
/// ("sha256 Fingerprint=AB:CD:...") or with a "sha256:" prefix. Returns the lower-case hex digits
/// without separators. Throws Error(invalid_input) naming `field` otherwise.
std::string parse_sha256_fingerprint(std::string_view text, std::string_view field);

}  // namespace certfleet::pki
