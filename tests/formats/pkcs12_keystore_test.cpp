#include "formats/pkcs12_keystore.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

using certfleet::testing::read_fixture;
using ::testing::HasSubstr;

const core::Secret& fixture_password() {
    static const core::Secret password("changeit");
    return password;
}

class Pkcs12Fixture : public ::testing::TestWithParam<const char*> {};

TEST_P(Pkcs12Fixture, HoldsTheServerKeyItsCertificateAndTheChain) {
    const Pkcs12Contents contents = read_pkcs12(read_fixture(GetParam()), GetParam(), fixture_password());
    ASSERT_TRUE(contents.key.has_value());
    ASSERT_TRUE(contents.certificate.has_value());
    EXPECT_EQ(contents.certificate->subject(), "O=certfleet tests,CN=node1.example.com");
    EXPECT_TRUE(contents.key->public_key().matches(contents.certificate->public_key()));
    ASSERT_EQ(contents.chain.size(), 1U);
    EXPECT_EQ(contents.chain[0].subject_common_name(), "certfleet Test Sub CA");
    EXPECT_EQ(contents.friendly_name, "node1");
}

TEST_P(Pkcs12Fixture, SaysThePasswordIsWrongWithoutRepeatingIt) {
    const core::Secret wrong("hunter22");
    try {
        read_pkcs12(read_fixture(GetParam()), "node1/server.p12", wrong);
        FAIL() << "opened with a wrong password";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unauthenticated);
        EXPECT_THAT(e.what(), HasSubstr("node1/server.p12"));
        EXPECT_THAT(e.what(), HasSubstr("wrong PKCS#12 password"));
        EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("hunter22")));
    }
}

INSTANTIATE_TEST_SUITE_P(ModernAndLegacy,
                         Pkcs12Fixture,
                         ::testing::Values("pki/server.p12", "pki/server_legacy.p12"),
                         [](const auto& param_info) {
                             return std::string(param_info.param).find("legacy") != std::string::npos
                                        ? "legacy"
                                        : "modern";
                         });

TEST(Pkcs12Keystore, RecognisesPkcs12WithoutAPassword) {
    EXPECT_TRUE(looks_like_pkcs12(read_fixture("pki/server.p12")));
    EXPECT_TRUE(looks_like_pkcs12(read_fixture("pki/server_legacy.p12")));
    EXPECT_FALSE(looks_like_pkcs12(read_fixture("pki/server.der")));
    EXPECT_FALSE(looks_like_pkcs12(""));
}

TEST(Pkcs12Keystore, RefusesTruncatedOrForeignInput) {
    const std::string p12 = read_fixture("pki/server.p12");
    EXPECT_THROW(read_pkcs12(p12.substr(0, p12.size() / 2), "half.p12", fixture_password()), core::Error);
    EXPECT_THROW(read_pkcs12(read_fixture("pki/server.der"), "server.der", fixture_password()), core::Error);
}

}  // namespace
}  // namespace certfleet::formats
