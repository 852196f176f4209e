#include "api/json_codec.hpp"

#include "api/protocol.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::api {
namespace {

using core::Error;
using core::ErrorCode;

std::string message_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        return e.what();
    }
    ADD_FAILURE() << "no Error thrown";
    return {};
}

TEST(JsonCodec, RoundTripsACheckinWithNestedTargets) {
    const Checkin sent{.agent_version = "0.1.0",
                       .certificates = {{.name = "web",
                                         .serial = "0a1b",
                                         .not_after = "2027-01-01T00:00:00Z",
                                         .state = "monitoring",
                                         .targets = {{.path = "/etc/haproxy/site.pem", .sha256 = "ab"}}}}};
    const Checkin got = decode<Checkin>(encode(sent), "body");
    ASSERT_EQ(got.certificates.size(), 1U);
    EXPECT_EQ(got.certificates[0].serial, "0a1b");
    ASSERT_EQ(got.certificates[0].targets.size(), 1U);
    EXPECT_EQ(got.certificates[0].targets[0].path, "/etc/haproxy/site.pem");
}

TEST(JsonCodec, RoundTripsARequestStatusWithAndWithoutCertificate) {
    const RequestStatus pending{.id = "7", .name = "node1", .state = "pending"};
    EXPECT_FALSE(decode<RequestStatus>(encode(pending), "body").certificate.has_value());
    RequestStatus issued = pending;
    issued.state = "issued";
    issued.certificate = IssuedCertificate{.serial = "01", .certificate_pem = "PEM"};
    const auto got = decode<RequestStatus>(encode(issued), "body");
    ASSERT_TRUE(got.certificate.has_value());
    EXPECT_EQ(got.certificate->certificate_pem, "PEM");
}

TEST(JsonCodec, AnActionEndsSucceededFailedOrRefusedAndNothingElse) {
    for (const char* outcome : {"succeeded", "failed", "refused"}) {
        const ActionResult sent{.outcome = outcome, .detail = "operation restart-kudu: exit 0"};
        const auto back = decode<ActionResult>(encode(sent), "body");
        EXPECT_EQ(back.outcome, outcome);
        EXPECT_EQ(back.detail, sent.detail);
    }
    EXPECT_EQ(message_of([] { (void)decode<ActionResult>(R"({"outcome":"ran"})", "body"); }),
              "body: outcome: \"ran\" is not succeeded, failed or refused");
    const auto list = decode<ActionList>(
        R"({"actions":[{"id":"4","kind":"operation","argument":"restart-kudu"}]})", "body");
    ASSERT_EQ(list.actions.size(), 1U);
    EXPECT_EQ(list.actions[0].kind, "operation");
    EXPECT_EQ(list.actions[0].argument, "restart-kudu");
}

TEST(JsonCodec, IgnoresUnknownFieldsSoNewerPeersStillTalk) {
    const auto request = decode<EnrollRequest>(R"({"token":"t","csr_pem":"c","added_in_v2":[1,2]})", "body");
    EXPECT_EQ(request.csr_pem, "c");
}

TEST(JsonCodec, NamesTheMissingOrMistypedField) {
    EXPECT_EQ(message_of([] { decode<EnrollRequest>(R"({"token":"t"})", "request body"); }),
              "request body.csr_pem: missing");
    EXPECT_EQ(message_of([] { decode<EnrollRequest>(R"({"token":5,"csr_pem":"c"})", "request body"); }),
              "request body.token: expected a string");
    EXPECT_EQ(
        message_of([] { decode<Checkin>(R"({"agent_version":"1","certificates":[{"serial":"1"}]})", "b"); }),
        "b.certificates[0].name: missing");
    EXPECT_EQ(message_of([] { decode<EnrollRequest>("[1]", "request body"); }),
              "request body: expected a JSON object");
}

TEST(JsonCodec, RefusesMalformedJson) {
    EXPECT_EQ(message_of([] { decode<EnrollRequest>("{\"token\":", "request body"); }),
              "request body: malformed JSON");
}

TEST(Protocol, ParsesAndOrdersVersions) {
    EXPECT_EQ(parse_version("1.2.3"), (Version{1, 2, 3}));
    EXPECT_EQ(parse_version("2"), (Version{2, 0, 0}));
    EXPECT_LT(*parse_version("0.9.9"), *parse_version("0.10"));
    for (const char* bad : {"", "1.", ".1", "1.2.3.4", "a.b", "-1", "1..2"}) {
        EXPECT_FALSE(parse_version(bad).has_value()) << bad;
    }
    EXPECT_EQ(to_string(Version{0, 1, 0}), "0.1.0");
}

}  // namespace
}  // namespace certfleet::api
