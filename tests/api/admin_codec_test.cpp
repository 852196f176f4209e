#include "api/admin_messages.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::api {
namespace {

using core::Error;
using core::ErrorCode;

TEST(AdminCodec, RoundTripsARequestListKeepingPendingDecidedAtNull) {
    const RequestList sent{.requests = {{.id = 3,
                                         .name = "node2.example.com",
                                         .names = "node2.example.com,IP:10.0.0.2",
                                         .state = "pending",
                                         .source = "api",
                                         .profile = "peer",
                                         .submitted_at = "2026-12-01T04:00:00Z"},
                                        {.id = 4,
                                         .name = "node3",
                                         .state = "issued",
                                         .decided_at = "2026-12-01T05:00:00Z",
                                         .decided_by = "admin:alice",
                                         .serial = "0a1b",
                                         .expires = "2027-12-01T05:00:00Z"}}};
    const std::string body = encode(sent);
    const auto raw = nlohmann::json::parse(body);
    EXPECT_TRUE(raw["requests"][0]["decided_at"].is_null());
    EXPECT_FALSE(raw["requests"][0].contains("expires"));
    const RequestList got = decode<RequestList>(body, "body");
    ASSERT_EQ(got.requests.size(), 2U);
    EXPECT_EQ(got.requests[0].id, 3);
    EXPECT_EQ(got.requests[0].names, "node2.example.com,IP:10.0.0.2");
    EXPECT_EQ(got.requests[0].decided_at, "");
    EXPECT_EQ(got.requests[1].decided_by, "admin:alice");
    EXPECT_EQ(got.requests[1].serial, "0a1b");
    EXPECT_EQ(got.requests[1].expires, "2027-12-01T05:00:00Z");
}

TEST(AdminCodec, RoundTripsADecision) {
    const RequestDecision got =
        decode<RequestDecision>(encode(RequestDecision{.request = "7", .reason = "unknown host"}), "body");
    EXPECT_EQ(got.request, "7");
    EXPECT_FALSE(got.all);
    EXPECT_EQ(got.reason, "unknown host");
    EXPECT_TRUE(decode<RequestDecision>(encode(RequestDecision{.all = true}), "body").all);
}

TEST(AdminCodec, RoundTripsANodeListOmittingUnknownLedgerFields) {
    const NodeList sent{.nodes = {{.name = "node1",
                                   .connected = true,
                                   .last_seen = "2026-12-01T04:00:00Z",
                                   .agent_version = "0.1.0",
                                   .client_serial = "77",
                                   .certificates = {{.name = "edge",
                                                     .serial = "0a",
                                                     .state = "monitoring",
                                                     .expires = "2027-01-01T00:00:00Z",
                                                     .subject = "CN=node1",
                                                     .sha1_fingerprint = "AB:CD"}}}}};
    const std::string body = encode(sent);
    const auto certificate = nlohmann::json::parse(body)["nodes"][0]["certificates"][0];
    EXPECT_EQ(certificate["subject"], "CN=node1");
    EXPECT_FALSE(certificate.contains("issuer"));
    const NodeList got = decode<NodeList>(body, "body");
    ASSERT_EQ(got.nodes.size(), 1U);
    EXPECT_TRUE(got.nodes[0].connected);
    ASSERT_EQ(got.nodes[0].certificates.size(), 1U);
    EXPECT_EQ(got.nodes[0].certificates[0].sha1_fingerprint, "AB:CD");
    EXPECT_EQ(got.nodes[0].certificates[0].issuer, "");
}

TEST(AdminCodec, RoundTripsNodeActions) {
    const NodeActionRequest request = decode<NodeActionRequest>(
        encode(NodeActionRequest{.node = "n1", .kind = "renew", .argument = "edge"}), "body");
    EXPECT_EQ(request.node, "n1");
    EXPECT_EQ(request.argument, "edge");
    const NodeActionStatus status = decode<NodeActionStatus>(
        encode(NodeActionStatus{
            .id = 12, .node = "n1", .kind = "renew", .state = "succeeded", .result = "renewed 1 -> 2"}),
        "body");
    EXPECT_EQ(status.id, 12);
    EXPECT_FALSE(status.is_open());
    EXPECT_EQ(status.result, "renewed 1 -> 2");
    EXPECT_TRUE(NodeActionStatus{.state = "delivered"}.is_open());
}

TEST(AdminCodec, RoundTripsATokenRequestAndGrantWithDefaults) {
    const TokenRequest defaulted = decode<TokenRequest>(R"({"names":["node1"]})", "body");
    EXPECT_EQ(defaulted.profile, "peer");
    EXPECT_EQ(defaulted.ttl_seconds, 3600);
    const TokenRequest sent{.names = {"node1", "IP:10.0.0.1"}, .profile = "server", .ttl_seconds = 600};
    const TokenRequest got = decode<TokenRequest>(encode(sent), "body");
    EXPECT_EQ(got.names, sent.names);
    EXPECT_EQ(got.profile, "server");
    EXPECT_EQ(got.ttl_seconds, 600);
    const TokenGrant grant = decode<TokenGrant>(encode(TokenGrant{.token = core::Secret("cft_x"),
                                                                  .id = "abcdef012345",
                                                                  .authority = "main",
                                                                  .names = {"node1"},
                                                                  .profile = "peer",
                                                                  .expires_at = "2026-12-01T05:00:00Z"}),
                                                "body");
    EXPECT_EQ(grant.token.reveal(), "cft_x");
    EXPECT_EQ(grant.id, "abcdef012345");
}

TEST(AdminCodec, NamesTheFieldOfAWrongType) {
    try {
        decode<NodeActionStatus>(R"({"id":"12","node":"n1","kind":"renew","state":"queued"})", "answer");
        ADD_FAILURE() << "no Error thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_STREQ(e.what(), "answer.id: expected an integer");
    }
    EXPECT_THROW(decode<TokenRequest>(R"({"names":["a"],"ttl_seconds":"1h"})", "body"), Error);
    EXPECT_THROW(decode<RequestDecision>(R"({"all":"yes"})", "body"), Error);
}

}  // namespace
}  // namespace certfleet::api
