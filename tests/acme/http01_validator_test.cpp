// http-01 against a server on 127.0.0.1 started by the test; names under .test reach it through the
// resolver override, as in a closed lab.
#include "acme/http01_validator.hpp"

#include "core/error.hpp"
#include "fakes/loopback_http_server.hpp"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

using testing::http_response;
using testing::LoopbackHttpServer;

constexpr std::string_view token = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
constexpr std::string_view key_authorization =
    "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

Http01Options options_for(const LoopbackHttpServer& server) {
    return {.port = server.port(), .timeout = core::Seconds(5), .resolve = {{"*.test", "127.0.0.1"}}};
}

TEST(Http01, AcceptsTheKeyAuthorizationWithTrailingWhitespaceAndAsksForTheRightUrl) {
    LoopbackHttpServer server(
        [](const std::string&) { return http_response(200, std::string(key_authorization) + "\r\n"); });
    EXPECT_FALSE(validate_http01("node1.test", token, key_authorization, options_for(server)).has_value());
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].rfind("GET /.well-known/acme-challenge/" + std::string(token) + " HTTP/1.1\r\n", 0),
              0U)
        << requests[0];
    EXPECT_NE(requests[0].find("Host: node1.test:" + std::to_string(server.port())), std::string::npos)
        << requests[0];
}

TEST(Http01, ADifferentBodyIsAnIncorrectResponseThatDoesNotEchoIt) {
    LoopbackHttpServer server([](const std::string&) { return http_response(200, "something-else"); });
    const auto p = validate_http01("node1.test", token, key_authorization, options_for(server));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::incorrect_response);
    EXPECT_EQ(p->detail.find("something-else"), std::string::npos);
}

TEST(Http01, ANotFoundIsAConnectionProblemNamingTheStatus) {
    LoopbackHttpServer server([](const std::string&) { return http_response(404, "no"); });
    const auto p = validate_http01("node1.test", token, key_authorization, options_for(server));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::connection);
    EXPECT_NE(p->detail.find("404"), std::string::npos);
}

TEST(Http01, StopsReadingPastTheSizeLimit) {
    LoopbackHttpServer server(
        [](const std::string&) { return http_response(200, std::string(100000, 'a')); });
    auto options = options_for(server);
    options.max_body_bytes = 1024;
    const auto p = validate_http01("node1.test", token, key_authorization, options);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::incorrect_response);
    EXPECT_NE(p->detail.find("larger than 1024 bytes"), std::string::npos);
}

TEST(Http01, FollowsARedirectOnTheSameHostButNotToAnother) {
    LoopbackHttpServer server([](const std::string& request) {
        if (request.find("GET /moved ") == 0) {
            return http_response(200, std::string(key_authorization));
        }
        if (request.find("Host: same.test") != std::string::npos) {
            return http_response(302, "", "Location: /moved\r\n");
        }
        return http_response(302, "", "Location: http://elsewhere.test/\r\n");
    });
    EXPECT_FALSE(validate_http01("same.test", token, key_authorization, options_for(server)).has_value());
    const auto p = validate_http01("other.test", token, key_authorization, options_for(server));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::connection);
    EXPECT_NE(p->detail.find("another host"), std::string::npos);
}

TEST(Http01, ASilentServerTimesOut) {
    LoopbackHttpServer server([](const std::string&) { return std::string("hang"); });
    auto options = options_for(server);
    options.timeout = core::Seconds(1);
    const auto p = validate_http01("slow.test", token, key_authorization, options);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::connection);
}

TEST(Http01, ResolveOverridesAreChecked) {
    EXPECT_NO_THROW(parse_resolve_overrides({{"*.test", "127.0.0.1"}, {"host.lab", "::1"}}, "acme.resolve"));
    EXPECT_THROW(parse_resolve_overrides({{"*.test", "localhost"}}, "acme.resolve"), core::Error);
    EXPECT_THROW(parse_resolve_overrides({{"a b", "127.0.0.1"}}, "acme.resolve"), core::Error);
}

}  // namespace
}  // namespace certfleet::acme
