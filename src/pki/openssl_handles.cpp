#include "pki/openssl_handles.hpp"

#include <openssl/err.h>

#include <array>

namespace certfleet::pki {

std::string drain_openssl_errors() {
    std::string out;
    while (const unsigned long e = ERR_get_error()) {
        std::array<char, 256> buf{};
        ERR_error_string_n(e, buf.data(), buf.size());
        // "error:1E08010C:DECODER routines::unsupported" -> keep the reason after the last ':'.
        std::string text(buf.data());
        const auto pos = text.rfind(':');
        if (pos != std::string::npos) {
            text = text.substr(pos + 1);
        }
        if (!out.empty()) {
            out += "; ";
        }
        out += text;
    }
    return out;
}

void throw_openssl_error(core::ErrorCode code, const std::string& message) {
    const std::string detail = drain_openssl_errors();
    throw core::Error(code, detail.empty() ? message : message + " (" + detail + ")");
}

}  // namespace certfleet::pki
