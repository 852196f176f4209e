#include "pki/sha256_pin.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

namespace certfleet::pki {
namespace {

const std::string hex = "3f1c0000000000000000000000000000000000000000000000000000000be07a";

TEST(Sha256Pin, AcceptsHexWithOrWithoutColonsInAnyCase) {
    std::string colons;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        colons += (i == 0 ? "" : ":") + hex.substr(i, 2);
    }
    EXPECT_EQ(parse_sha256_fingerprint(hex, "f"), hex);
    EXPECT_EQ(parse_sha256_fingerprint(colons, "f"), hex);
    std::string upper = colons;
    std::transform(
        upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    EXPECT_EQ(parse_sha256_fingerprint(upper, "f"), hex);
    EXPECT_EQ(parse_sha256_fingerprint("sha256 Fingerprint=" + upper, "f"), hex);
    EXPECT_EQ(parse_sha256_fingerprint("sha256:" + hex, "f"), hex);
}

TEST(Sha256Pin, RefusesAnythingElseNamingTheField) {
    for (const std::string& bad : {std::string(), hex.substr(2), hex + "00", "zz" + hex.substr(2)}) {
        try {
            static_cast<void>(parse_sha256_fingerprint(bad, "--ca-fingerprint"));
            ADD_FAILURE() << bad;
        } catch (const core::Error& e) {
            EXPECT_STREQ(e.what(), "--ca-fingerprint: expected the 64 hex digits of a SHA-256");
        }
    }
}

}  // namespace
}  // namespace certfleet::pki
