#include "formats/java_data_stream.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <vector>

namespace certfleet::formats {
namespace {

using core::Error;
using core::ErrorCode;

// Decodes UTF-8 into code points, rejecting overlong forms, surrogates and values above U+10FFFF.
std::vector<char32_t> decode_utf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    std::size_t i = 0;
    const auto fail = [&] {
        throw Error(ErrorCode::invalid_input, fmt::format("not valid UTF-8 at byte {}", i));
    };
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        char32_t cp = 0;
        if (lead < 0x80) {
            cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            extra = 1;
            cp = lead & 0x1FU;
        } else if ((lead & 0xF0) == 0xE0) {
            extra = 2;
            cp = lead & 0x0FU;
        } else if ((lead & 0xF8) == 0xF0) {
            extra = 3;
            cp = lead & 0x07U;
        } else {
            fail();
        }
        if (i + extra >= text.size()) {
            fail();
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) {
                fail();
            }
            cp = (cp << 6U) | (next & 0x3FU);
        }
        static constexpr std::array<char32_t, 4> min_for_length{0, 0x80, 0x800, 0x10000};
        if (cp < min_for_length.at(extra) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            fail();
        }
        out.push_back(cp);
        i += extra + 1;
    }
    return out;
}

std::vector<char16_t> to_utf16(std::string_view utf8) {
    std::vector<char16_t> out;
    for (const char32_t cp : decode_utf8(utf8)) {
        if (cp > 0xFFFF) {
            const char32_t v = cp - 0x10000;
            out.push_back(static_cast<char16_t>(0xD800 + (v >> 10U)));
            out.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FFU)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6U)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3FU)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12U)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3FU)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18U)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3FU)));
    }
}

}  // namespace

pki::Bytes to_utf16_big_endian(std::string_view utf8) {
    pki::Bytes out;
    for (const char16_t unit : to_utf16(utf8)) {
        out.push_back(static_cast<unsigned char>(unit >> 8U));
        out.push_back(static_cast<unsigned char>(unit & 0xFFU));
    }
    return out;
}

void JavaDataWriter::write_u16(std::uint16_t value) {
    m_bytes.push_back(static_cast<unsigned char>(value >> 8U));
    m_bytes.push_back(static_cast<unsigned char>(value & 0xFFU));
}

void JavaDataWriter::write_u32(std::uint32_t value) {
    write_u16(static_cast<std::uint16_t>(value >> 16U));
    write_u16(static_cast<std::uint16_t>(value & 0xFFFFU));
}

void JavaDataWriter::write_u64(std::uint64_t value) {
    write_u32(static_cast<std::uint32_t>(value >> 32U));
    write_u32(static_cast<std::uint32_t>(value & 0xFFFFFFFFU));
}

void JavaDataWriter::write_utf(std::string_view utf8) {
    pki::Bytes encoded;
    for (const char16_t unit : to_utf16(utf8)) {
        if (unit != 0 && unit < 0x80) {
            encoded.push_back(static_cast<unsigned char>(unit));
        } else if (unit < 0x800) {
            encoded.push_back(static_cast<unsigned char>(0xC0 | (unit >> 6U)));
            encoded.push_back(static_cast<unsigned char>(0x80 | (unit & 0x3FU)));
        } else {
            encoded.push_back(static_cast<unsigned char>(0xE0 | (unit >> 12U)));
            encoded.push_back(static_cast<unsigned char>(0x80 | ((unit >> 6U) & 0x3FU)));
            encoded.push_back(static_cast<unsigned char>(0x80 | (unit & 0x3FU)));
        }
    }
    if (encoded.size() > 0xFFFF) {
        throw Error(ErrorCode::invalid_input, "a keystore string is longer than 65535 bytes");
    }
    write_u16(static_cast<std::uint16_t>(encoded.size()));
    write_bytes(encoded);
}

void JavaDataWriter::write_bytes(const pki::Bytes& bytes) {
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
}

void JavaDataWriter::write_sized_bytes(const pki::Bytes& bytes) {
    write_u32(static_cast<std::uint32_t>(bytes.size()));
    write_bytes(bytes);
}

std::string_view JavaDataReader::take(std::size_t count, std::string_view what) {
    if (count > remaining()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: truncated or corrupt at byte {} (reading {}: {} bytes needed, {} left)",
                                m_source,
                                m_position,
                                what,
                                count,
                                remaining()));
    }
    const std::string_view out = m_bytes.substr(m_position, count);
    m_position += count;
    return out;
}

std::uint16_t JavaDataReader::read_u16(std::string_view what) {
    const std::string_view b = take(2, what);
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[0]) << 8U) |
                                      static_cast<unsigned char>(b[1]));
}

std::uint32_t JavaDataReader::read_u32(std::string_view what) {
    const std::uint32_t high = read_u16(what);
    return (high << 16U) | read_u16(what);
}

std::uint64_t JavaDataReader::read_u64(std::string_view what) {
    const std::uint64_t high = read_u32(what);
    return (high << 32U) | read_u32(what);
}

std::string JavaDataReader::read_utf(std::string_view what) {
    const std::uint16_t length = read_u16(what);
    const std::string_view b = take(length, what);
    // Modified UTF-8 -> UTF-16 units -> code points -> UTF-8.
    std::vector<char16_t> units;
    for (std::size_t i = 0; i < b.size();) {
        const auto c = static_cast<unsigned char>(b[i]);
        const auto cont = [&](std::size_t k) {
            if (i + k >= b.size() || (static_cast<unsigned char>(b[i + k]) & 0xC0) != 0x80) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: bad modified UTF-8 in {} at byte {}", m_source, what, i));
            }
            return static_cast<unsigned>(static_cast<unsigned char>(b[i + k]) & 0x3FU);
        };
        if (c < 0x80) {
            units.push_back(c);
            i += 1;
        } else if ((c & 0xE0) == 0xC0) {
            units.push_back(static_cast<char16_t>(((c & 0x1FU) << 6U) | cont(1)));
            i += 2;
        } else if ((c & 0xF0) == 0xE0) {
            units.push_back(static_cast<char16_t>(((c & 0x0FU) << 12U) | (cont(1) << 6U) | cont(2)));
            i += 3;
        } else {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: bad modified UTF-8 in {} at byte {}", m_source, what, i));
        }
    }
    std::string out;
    for (std::size_t i = 0; i < units.size(); ++i) {
        char32_t cp = units[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
            units[i + 1] <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10U) + (units[i + 1] - 0xDC00);
            ++i;
        }
        append_utf8(out, cp);
    }
    return out;
}

pki::Bytes JavaDataReader::read_bytes(std::size_t count, std::string_view what) {
    const std::string_view b = take(count, what);
    return pki::to_bytes(b);
}

pki::Bytes JavaDataReader::read_sized_bytes(std::string_view what, std::size_t max_size) {
    const std::size_t at = m_position;
    const std::uint32_t size = read_u32(what);
    if (size > max_size) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: truncated or corrupt at byte {} (reading {}: {} bytes claimed, {} left)",
                                m_source,
                                at,
                                what,
                                size,
                                remaining()));
    }
    return read_bytes(size, what);
}

}  // namespace certfleet::formats
