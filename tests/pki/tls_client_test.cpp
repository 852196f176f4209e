#include "pki/tls_client.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

TEST(TlsClient, ParsesHostPortAndBracketedIpv6) {
    const Endpoint a = parse_endpoint("node1.example.com:8443");
    EXPECT_EQ(a.host, "node1.example.com");
    EXPECT_EQ(a.port, "8443");
    const Endpoint b = parse_endpoint("[2001:db8::1]:443");
    EXPECT_EQ(b.host, "2001:db8::1");
    EXPECT_EQ(b.port, "443");
}

TEST(TlsClient, RejectsEndpointsWithoutAUsablePort) {
    for (const char* text :
         {"node1", "node1:", ":443", "node1:https", "node1:70000", "2001:db8::1:443", "[::1]443"}) {
        EXPECT_THROW(parse_endpoint(text), core::Error) << text;
    }
}

}  // namespace
}  // namespace certfleet::pki
