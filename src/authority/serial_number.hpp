#pragma once

#include "pki/bytes.hpp"

#include <string>

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

}  // namespace certfleet::authority
