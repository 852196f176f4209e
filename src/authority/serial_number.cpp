#include "authority/serial_number.hpp"

#include "pki/openssl_handles.hpp"

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

}  // namespace certfleet::authority
