#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// DER and other binary encodings.
using Bytes = std::vector<unsigned char>;

/// Returns `text` as bytes.
inline Bytes to_bytes(std::string_view text) {
    return {text.begin(), text.end()};
}

/// Returns `bytes` as a std::string (for files and JSON).
inline std::string to_string(const Bytes& bytes) {
    return {bytes.begin(), bytes.end()};
}

/// Returns lower-case hex with `separator` between bytes ("ab:cd" or "abcd").
std::string to_hex(const unsigned char* data, std::size_t size, std::string_view separator = "");
inline std::string to_hex(const Bytes& bytes, std::string_view separator = "") {
    return to_hex(bytes.data(), bytes.size(), separator);
}

}  // namespace certfleet::pki
