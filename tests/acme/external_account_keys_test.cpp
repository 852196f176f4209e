#include "acme/external_account_keys.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace certfleet::acme {
namespace {

// 32 bytes of 0x01, then 31: base64url.
constexpr const char* key_256 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";
constexpr const char* key_248 = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ";

std::string error_of(const std::string& text) {
    try {
        ExternalAccountKeys::parse(core::Secret(text), "eab.keys");
    } catch (const core::Error& e) {
        return e.what();
    }
    return "";
}

TEST(ExternalAccountKeys, ReadsOneKidAndKeyPerLine) {
    const auto keys = ExternalAccountKeys::parse(
        core::Secret(fmt::format("# issued 2026-11\n\nops-team {}\n  web\t{}=\r\n", key_256, key_256)),
        "eab.keys");
    EXPECT_EQ(keys.size(), 2U);
    ASSERT_NE(keys.find("ops-team"), nullptr);
    EXPECT_EQ(keys.find("ops-team")->reveal(), std::string(32, '\x01'));
    ASSERT_NE(keys.find("web"), nullptr);
    EXPECT_EQ(keys.find("nobody"), nullptr);
}

TEST(ExternalAccountKeys, NamesTheLineAtFaultAndNeverTheKey) {
    EXPECT_EQ(error_of(fmt::format("a {}\nb\n", key_256)),
              "eab.keys: line 2: expected \"KID HMAC_KEY\" (two words)");
    EXPECT_EQ(error_of(fmt::format("a {} extra\n", key_256)),
              "eab.keys: line 1: expected \"KID HMAC_KEY\" (two words)");
    EXPECT_EQ(error_of(fmt::format("a {}\n", key_248)),
              "eab.keys: line 1: the HMAC key of kid \"a\" has 248 bits; at least 256 are required");
    EXPECT_EQ(error_of("a AQ+/AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\n"),
              "eab.keys: line 1: the HMAC key of kid \"a\" is not base64url");
    EXPECT_EQ(error_of(fmt::format("a {}\na {}\n", key_256, key_256)),
              "eab.keys: line 2: kid \"a\" is given a second time");
}

TEST(ExternalAccountKeys, RefusesAFileOthersCanRead) {
    const testing::TempDir dir;
    const std::string path = dir.write("eab.keys", fmt::format("a {}\n", key_256));
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    try {
        ExternalAccountKeys::read(path);
        FAIL() << "a group-readable keys file was read";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_EQ(std::string(e.what()),
                  fmt::format("{}: holds secrets but its mode 0640 lets group or others read or write it "
                              "(chmod 600 {})",
                              path,
                              path));
    }
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    EXPECT_EQ(ExternalAccountKeys::read(path).size(), 1U);
    EXPECT_THROW(ExternalAccountKeys::read(dir.file("missing")), core::Error);
}

}  // namespace
}  // namespace certfleet::acme
