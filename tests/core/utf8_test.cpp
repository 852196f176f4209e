#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace certfleet::core {
namespace {

TEST(Utf8, AcceptsAsciiAndWellFormedMultiByteText) {
    EXPECT_TRUE(is_utf8(""));
    EXPECT_TRUE(is_utf8("node1.example.com"));
    EXPECT_TRUE(is_utf8("Ελληνικά ü 日本 \xF0\x9F\x94\x92"));  // 2, 3 and 4 byte forms
    EXPECT_TRUE(is_utf8("\xF4\x8F\xBF\xBF"));                  // U+10FFFF, the last code point
}

TEST(Utf8, RefusesStrayOverlongSurrogateAndOutOfRangeBytes) {
    EXPECT_FALSE(is_utf8("node\xFF.example.com"));
    EXPECT_FALSE(is_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(is_utf8("\xE0\x80\xAF"));      // overlong '/'
    EXPECT_FALSE(is_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
    EXPECT_FALSE(is_utf8("\xF4\x90\x80\x80"));  // U+110000
    EXPECT_FALSE(is_utf8("\xE6\x97"));          // cut short
    EXPECT_FALSE(is_utf8("\x80"));              // a tail without a lead
}

TEST(Utf8, EscapesOnlyTheBytesThatAreNotText) {
    EXPECT_EQ(escape_invalid_utf8("node\xFF.example.com"), "node\\xFF.example.com");
    EXPECT_EQ(escape_invalid_utf8("caf\xC3\xA9 \xE6\x97"), "caf\xC3\xA9 \\xE6\\x97");
    EXPECT_EQ(escape_invalid_utf8("\xED\xA0\x80"), "\\xED\\xA0\\x80");
    EXPECT_EQ(escape_invalid_utf8("plain"), "plain");
    EXPECT_TRUE(is_utf8(escape_invalid_utf8("\xC0\xAF\xFE\xFF\x80")));
}

}  // namespace
}  // namespace certfleet::core
