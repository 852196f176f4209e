#include "authority/profile.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using Strings = std::vector<std::string>;

TEST(Profile, DefaultsFollowRfc5280AndTheTlsPurposes) {
    const ProfileSet set = default_profiles();
    EXPECT_EQ(set.find("server").extended_key_usage, Strings{"serverAuth"});
    EXPECT_EQ(set.find("client").extended_key_usage, Strings{"clientAuth"});
    EXPECT_EQ(set.find("peer").extended_key_usage, (Strings{"serverAuth", "clientAuth"}));
    EXPECT_FALSE(set.find("server").is_ca);
    const Profile& intermediate = set.find("intermediate");
    EXPECT_TRUE(intermediate.is_ca);
    EXPECT_EQ(intermediate.path_length, 0);
    EXPECT_NE(std::find(intermediate.key_usage.begin(), intermediate.key_usage.end(), "keyCertSign"),
              intermediate.key_usage.end());
}

TEST(Profile, YamlOverridesAndAddsProfiles) {
    const ProfileSet set = parse_profiles(R"(
crl_distribution_points: [http://ca.example.com/crl]
profiles:
  server: {validity: 90d}
  kafka: {validity: 30d, key_usage: [digitalSignature], extended_key_usage: [serverAuth, clientAuth]}
)",
                                          "profiles.yaml");
    EXPECT_EQ(set.find("server").validity, std::chrono::hours(24 * 90));
    EXPECT_EQ(set.find("server").extended_key_usage, Strings{"serverAuth"});
    EXPECT_EQ(set.find("kafka").extended_key_usage, (Strings{"serverAuth", "clientAuth"}));
    EXPECT_EQ(set.crl_distribution_points, Strings{"http://ca.example.com/crl"});
    const ProfileSet again = parse_profiles(to_yaml(set), "again");
    EXPECT_EQ(again.find("kafka").validity, std::chrono::hours(24 * 30));
}

TEST(Profile, RefusesUnknownNamesAndUsages) {
    EXPECT_THROW(static_cast<void>(default_profiles().find("webserver")), core::Error);
    EXPECT_THROW(parse_profiles("profiles: {x: {key_usage: [signEverything]}}", "p"), core::Error);
    EXPECT_THROW(parse_profiles("profiles: {x: {extended_key_usage: [anyThing]}}", "p"), core::Error);
    EXPECT_THROW(parse_profiles("profiles: {x: {ca: true, key_usage: [digitalSignature]}}", "p"),
                 core::Error);
    EXPECT_THROW(parse_profiles("profiles: {x: {validity: soon}}", "p"), core::Error);
}

TEST(Profile, RefusesAMisplacedOrMalformedProfileNamingTheField) {
    // These used to be accepted silently, and the defaults issued.
    const std::pair<const char*, const char*> cases[] = {
        {"server: 5\n", "profiles.yaml: server: unknown field"},
        {"profiles:\n  server: 5\n", "profiles.yaml: profiles.server: expected a map"},
        {"profiles:\n  server:\n    validty: 90d\n",
         "profiles.yaml: profiles.server: validty: unknown field"},
        {"- server\n", "profiles.yaml: expected a map"},
    };
    for (const auto& [yaml, message] : cases) {
        try {
            parse_profiles(yaml, "profiles.yaml");
            FAIL() << yaml << ": accepted";
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_THAT(e.what(), ::testing::HasSubstr(message)) << yaml;
        }
    }
}

}  // namespace
}  // namespace certfleet::authority
