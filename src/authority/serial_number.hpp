#pragma once

#include "pki/bytes.hpp"

#include <string>
#include <string_view>

namespace certfleet::authority {

/// A certificate serial number: 16 bytes from the CSPRNG with the top bit cleared, so it is a positive
/// INTEGER of at most 20 octets (RFC 5280 4.1.2.2) carrying 127 bits of entropy.
struct SerialNumber {
    pki::Bytes bytes;

    /// Draws a new random serial. Throws Error(internal) if the CSPRNG fails.
    static SerialNumber random();
    /// Returns lower-case hex as Certificate::serial_hex() prints it (no leading zero bytes).
    [[nodiscard]] std::string hex() const;
};

/// Returns a serial as an operator may write it ("0A:1B:...", "serial=0A1B..." from `openssl x509
/// -serial`, "0x0a1b", upper or lower case) in the form the store keys it by: lower-case hex without
/// separators or leading zero bytes. Throws Error(invalid_input) if it is not hexadecimal.
std::string normalize_serial_hex(std::string_view text);

}  // namespace certfleet::authority
