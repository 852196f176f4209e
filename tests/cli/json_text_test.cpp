#include "cli/json_output.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace certfleet::cli {
namespace {

TEST(JsonText, EscapesWhatJsonRequires) {
    EXPECT_EQ(json_string("plain"), "\"plain\"");
    EXPECT_EQ(json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(json_string("line\nnext\ttab\x01"), "\"line\\nnext\\ttab\\u0001\"");
    EXPECT_EQ(json_string("\x1f"), nlohmann::json("\x1f").dump());
}

TEST(JsonText, KeepsUtf8AndAgreesWithNlohmann) {
    for (const std::string text :
         {"CN=bücher.example", "O=株式会社", "emoji \xF0\x9F\x94\x92", "q\"uote\\"}) {
        EXPECT_EQ(json_string(text), nlohmann::json(text).dump()) << text;
        EXPECT_EQ(nlohmann::json::parse(json_string(text)).get<std::string>(), text);
    }
}

TEST(JsonText, WritesBytesThatAreNotUtf8AsBackslashXHex) {
    // A Latin-1 file name, an overlong slash, a UTF-16 surrogate, a truncated sequence.
    EXPECT_EQ(nlohmann::json::parse(json_string("node\xFF.pem")).get<std::string>(), "node\\xFF.pem");
    EXPECT_EQ(nlohmann::json::parse(json_string("\xC0\xAF")).get<std::string>(), "\\xC0\\xAF");
    EXPECT_EQ(nlohmann::json::parse(json_string("\xED\xA0\x80")).get<std::string>(), "\\xED\\xA0\\x80");
    EXPECT_EQ(nlohmann::json::parse(json_string("ab\xE2\x82")).get<std::string>(), "ab\\xE2\\x82");
}

}  // namespace
}  // namespace certfleet::cli
