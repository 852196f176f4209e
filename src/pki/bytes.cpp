#include "pki/bytes.hpp"

namespace certfleet::pki {

std::string to_hex(const unsigned char* data, std::size_t size, std::string_view separator) {
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string out;
    out.reserve(size * (2 + separator.size()));
    for (std::size_t i = 0; i < size; ++i) {
        if (i != 0) {
            out += separator;
        }
        out += digits[data[i] >> 4U];
        out += digits[data[i] & 0x0fU];
    }
    return out;
}

}  // namespace certfleet::pki
