#include "authority/serial_number.hpp"

#include "core/error.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

namespace certfleet::authority {

SerialNumber SerialNumber::random() {
    SerialNumber serial{pki::Bytes(16)};
    if (RAND_bytes(serial.bytes.data(), static_cast<int>(serial.bytes.size())) != 1) {
        pki::throw_openssl_error(core::ErrorCode::internal, "cannot draw a random serial number");
    }
    serial.bytes[0] &= 0x7f;
    // A leading zero byte would vanish in the INTEGER encoding; keep the hex and the DER in agreement.
    if (serial.bytes[0] == 0) {
        serial.bytes[0] = 0x01;
    }
    return serial;
}

std::string SerialNumber::hex() const {
    return pki::to_hex(bytes);
}

std::string normalize_serial_hex(std::string_view text) {
    std::string_view rest = text;
    for (const std::string_view prefix : {"serial=", "0x", "0X"}) {
        if (rest.substr(0, prefix.size()) == prefix) {
            rest.remove_prefix(prefix.size());
        }
    }
    std::string hex;
    for (const char c : rest) {
        if (c == ':' || c == ' ') {
            continue;
        }
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("serial \"{}\" is not hexadecimal", text));
        }
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (hex.size() % 2 != 0) {
        hex.insert(hex.begin(), '0');
    }
    while (hex.size() > 2 && hex.compare(0, 2, "00") == 0) {
        hex.erase(0, 2);
    }
    if (hex.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "empty serial number");
    }
    return hex;
}

}  // namespace certfleet::authority
