#include "acme/base64url.hpp"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

// RFC 4648 section 10 test vectors, in the URL-safe alphabet without padding.
TEST(Base64url, EncodesTheRfc4648Vectors) {
    EXPECT_EQ(base64url_encode(std::string_view("")), "");
    EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
    EXPECT_EQ(base64url_encode(std::string_view("fo")), "Zm8");
    EXPECT_EQ(base64url_encode(std::string_view("foo")), "Zm9v");
    EXPECT_EQ(base64url_encode(std::string_view("foob")), "Zm9vYg");
    EXPECT_EQ(base64url_encode(std::string_view("fooba")), "Zm9vYmE");
    EXPECT_EQ(base64url_encode(std::string_view("foobar")), "Zm9vYmFy");
    EXPECT_EQ(base64url_encode(std::string_view("\xfb\xff", 2)), "-_8");
}

TEST(Base64url, DecodesWhatItEncodes) {
    for (const char* text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        EXPECT_EQ(base64url_decode(base64url_encode(std::string_view(text))), text);
    }
    EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff", 2));
}

TEST(Base64url, RefusesPaddingOtherAlphabetsWhitespaceAndNonZeroTrailingBits) {
    EXPECT_FALSE(base64url_decode("Zg==").has_value());
    EXPECT_FALSE(base64url_decode("+/8").has_value());
    EXPECT_FALSE(base64url_decode("Zm9v\n").has_value());
    EXPECT_FALSE(base64url_decode("Z").has_value());   // 1 mod 4
    EXPECT_FALSE(base64url_decode("Zh").has_value());  // "Zg" with a stray low bit
}

}  // namespace
}  // namespace certfleet::acme
