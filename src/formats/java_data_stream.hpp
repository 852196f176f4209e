#pragma once

#include "pki/bytes.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace certfleet::formats {

/// Returns `utf8` as Java chars (UTF-16 code units), big-endian, two bytes each: the form Java's
/// KeyStore hashes a char[] password in. Throws Error(invalid_input) if `utf8` is not valid UTF-8.
pki::Bytes to_utf16_big_endian(std::string_view utf8);

/// Writes what java.io.DataOutputStream writes: big-endian integers and writeUTF strings (a u16 length
/// and Java's modified UTF-8: U+0000 as C0 80, characters above U+FFFF as two 3-byte surrogates).
class JavaDataWriter {
public:
    void write_u16(std::uint16_t value);
    void write_u32(std::uint32_t value);
    void write_u64(std::uint64_t value);
    /// Throws Error(invalid_input) if `utf8` is not valid UTF-8 or longer than 65535 encoded bytes.
    void write_utf(std::string_view utf8);
    void write_bytes(const pki::Bytes& bytes);
    /// A u32 length, then the bytes.
    void write_sized_bytes(const pki::Bytes& bytes);
    [[nodiscard]] const pki::Bytes& bytes() const noexcept { return m_bytes; }

private:
    pki::Bytes m_bytes;
};

/// Reads what JavaDataWriter writes, from a buffer that outlives it. Every read that would pass the end
/// throws Error(invalid_input) "SOURCE: truncated at byte N (reading WHAT)".
class JavaDataReader {
public:
    JavaDataReader(std::string_view bytes, std::string_view source) : m_bytes(bytes), m_source(source) {}
    std::uint16_t read_u16(std::string_view what);
    std::uint32_t read_u32(std::string_view what);
    std::uint64_t read_u64(std::string_view what);
    /// Returns the string as standard UTF-8.
    std::string read_utf(std::string_view what);
    pki::Bytes read_bytes(std::size_t count, std::string_view what);
    /// A u32 length (at most `max_size`), then the bytes.
    pki::Bytes read_sized_bytes(std::string_view what, std::size_t max_size);
    [[nodiscard]] std::size_t position() const noexcept { return m_position; }
    [[nodiscard]] std::size_t remaining() const noexcept { return m_bytes.size() - m_position; }

private:
    std::string_view take(std::size_t count, std::string_view what);
    std::string_view m_bytes;
    std::string_view m_source;
    std::size_t m_position = 0;
};

}  // namespace certfleet::formats
