#include "formats/java_data_stream.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

TEST(JavaDataStream, WritesModifiedUtf8AsJavaDoes) {
    JavaDataWriter out;
    out.write_utf(std::string("a\0b", 3));  // U+0000 is C0 80 in modified UTF-8
    out.write_utf("\xF0\x9F\x94\x91");      // U+1F511: two 3-byte surrogates, not 4 bytes
    const pki::Bytes expected{
        0x00, 0x04, 'a', 0xC0, 0x80, 'b', 0x00, 0x06, 0xED, 0xA0, 0xBD, 0xED, 0xB4, 0x91};
    EXPECT_EQ(out.bytes(), expected);
    const std::string bytes = pki::to_string(out.bytes());
    JavaDataReader in(bytes, "mem");
    EXPECT_EQ(in.read_utf("a"), std::string("a\0b", 3));
    EXPECT_EQ(in.read_utf("b"), "\xF0\x9F\x94\x91");
    EXPECT_EQ(in.remaining(), 0U);
}

TEST(JavaDataStream, PasswordsAreUtf16BigEndian) {
    EXPECT_EQ(to_utf16_big_endian("aé"), (pki::Bytes{0x00, 'a', 0x00, 0xE9}));
    EXPECT_THROW(to_utf16_big_endian("\xC3"), core::Error);
    EXPECT_THROW(to_utf16_big_endian("\xC0\x80"), core::Error);  // overlong
}

TEST(JavaDataStream, TruncationNamesTheByteAndField) {
    JavaDataReader in(std::string_view("\x00\x00\x00\x09xy", 6), "ks.jks");
    try {
        in.read_sized_bytes("entry 1 key", 100);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_STREQ(e.what(),
                     "ks.jks: truncated or corrupt at byte 4 (reading entry 1 key: 9 bytes needed, 2 left)");
    }
}

}  // namespace
}  // namespace certfleet::formats
