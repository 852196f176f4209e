#include "pki/dns_name.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

TEST(DnsName, AcceptsLdhLabels) {
    EXPECT_TRUE(is_dns_name("node1.example.com"));
    EXPECT_TRUE(is_dns_name("localhost"));
    EXPECT_TRUE(is_dns_name("xn--bcher-kva.example"));
    EXPECT_TRUE(is_dns_name(std::string(63, 'a') + ".example"));
}

TEST(DnsName, RefusesWhatIsNotAHostName) {
    for (const char* name : {"",
                             ".example.com",
                             "example.com.",
                             "a..b",
                             "node_1.example.com",
                             "-a.example",
                             "a-.example",
                             "*.example.com",
                             "ba*.example.com",
                             "a b.example"}) {
        EXPECT_FALSE(is_dns_name(name)) << name;
    }
    EXPECT_FALSE(is_dns_name(std::string(64, 'a') + ".example"));
    EXPECT_FALSE(is_dns_name(std::string(250, 'a').insert(60, ".").insert(120, ".").insert(180, ".")));
}

TEST(DnsName, AllowsAWildcardOnlyAsTheWholeFirstLabel) {
    EXPECT_TRUE(is_dns_name_or_wildcard("*.example.com"));
    EXPECT_FALSE(is_dns_name_or_wildcard("ba*.example.com"));
    EXPECT_FALSE(is_dns_name_or_wildcard("a.*.example.com"));
    EXPECT_FALSE(is_dns_name_or_wildcard("*"));
}

TEST(DnsName, SubtreesFoldCaseAndHonourALeadingDot) {
    EXPECT_TRUE(is_within_subtree("a.Example.COM", "example.com"));
    EXPECT_TRUE(is_within_subtree("example.com", "example.com"));
    EXPECT_FALSE(is_within_subtree("badexample.com", "example.com"));
    EXPECT_FALSE(is_within_subtree("example.com", ".example.com"));
    EXPECT_TRUE(is_within_subtree("a.example.com", ".example.com"));
}

}  // namespace
}  // namespace certfleet::pki
