#include "pki/subject_alt_names.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = GeneralName::Kind;

TEST(ParseGeneralNames, ReadsEveryKindOperatorsWrite) {
    EXPECT_THAT(parse_general_names(
                    "DNS:a.example, IP:10.0.0.1,email:ops@example.com,URI:spiffe://cluster/node1", "f"),
                ElementsAre(GeneralName{Kind::dns, "a.example"},
                            GeneralName{Kind::ip, "10.0.0.1"},
                            GeneralName{Kind::email, "ops@example.com"},
                            GeneralName{Kind::uri, "spiffe://cluster/node1"}));
}

TEST(ParseGeneralNames, TakesBareValuesAsDnsOrIp) {
    EXPECT_THAT(parse_general_names("node1,10.0.0.1,::1,fe80::1", "f"),
                ElementsAre(GeneralName{Kind::dns, "node1"},
                            GeneralName{Kind::ip, "10.0.0.1"},
                            GeneralName{Kind::ip, "::1"},
                            GeneralName{Kind::ip, "fe80::1"}));
}

TEST(ParseGeneralNames, AcceptsOneLeadingWildcardLabel) {
    EXPECT_EQ(parse_general_name("DNS:*.apps.example.com", "f").value, "*.apps.example.com");
    EXPECT_EQ(parse_general_name("dns:node-1.example.com", "f").kind, Kind::dns);
}

TEST(ParseGeneralNames, RefusesMalformedEntriesNamingFieldAndEntry) {
    for (const char* bad : {"DNS:bad name",
                            "DNS:a..b",
                            "DNS:*.*.example.com",
                            "DNS:a.*.example.com",
                            "DNS:-x.example.com",
                            "IP:10.0.0.256",
                            "IP:example.com",
                            "email:@example.com",
                            "URI:no scheme",
                            "XYZ:thing"}) {
        try {
            parse_general_names(bad, "--san");
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_THAT(e.what(), HasSubstr("--san"));
            EXPECT_THAT(e.what(), HasSubstr(bad));
        }
    }
}

TEST(ParseGeneralNames, IgnoresEmptyItems) {
    EXPECT_THAT(parse_general_names("a.example,, ,b.example", "f"),
                ElementsAre(GeneralName{Kind::dns, "a.example"}, GeneralName{Kind::dns, "b.example"}));
    EXPECT_TRUE(parse_general_names("", "f").empty());
}

TEST(GeneralNames, RoundTripThroughOpenssl) {
    const auto names = parse_general_names(
        "DNS:a.example,IP:10.0.0.1,IP:2001:db8::1,email:ops@example.com,URI:https://x", "f");
    const GeneralNamesPtr encoded = to_general_names(names);
    EXPECT_EQ(read_general_names(encoded.get()), names);
}

TEST(GeneralName, PrintsAsOperatorsWriteIt) {
    EXPECT_EQ(to_string(GeneralName{Kind::dns, "a.example"}), "DNS:a.example");
    EXPECT_EQ(to_string(GeneralName{Kind::ip, "10.0.0.1"}), "IP:10.0.0.1");
    EXPECT_EQ(to_string(GeneralName{Kind::email, "a@b"}), "email:a@b");
    EXPECT_EQ(to_string(GeneralName{Kind::uri, "https://x"}), "URI:https://x");
}

}  // namespace
}  // namespace certfleet::pki
