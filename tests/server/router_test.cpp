#include "server/router.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

HttpResponse ok(const RequestContext&) {
    return json_response("{}");
}

Router table() {
    Router router;
    router.add({.method = http::verb::get, .pattern = "/v1/ca", .handler = ok});
    router.add({.method = http::verb::post, .pattern = "/v1/requests", .handler = ok});
    router.add({.method = http::verb::get, .pattern = "/v1/requests/{id}", .handler = ok});
    return router;
}

TEST(Router, FindsExactRoutesAndTheTrailingParameter) {
    const Router router = table();
    EXPECT_EQ(router.find(http::verb::get, "/v1/ca").route->pattern, "/v1/ca");
    const RouteMatch match = router.find(http::verb::get, "/v1/requests/42");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->pattern, "/v1/requests/{id}");
    EXPECT_EQ(match.parameter, "42");
}

TEST(Router, TellsAnUnknownPathFromAnotherMethod) {
    const Router router = table();
    const RouteMatch unknown = router.find(http::verb::get, "/v1/nothing");
    EXPECT_EQ(unknown.route, nullptr);
    EXPECT_FALSE(unknown.other_method);
    const RouteMatch wrong_method = router.find(http::verb::delete_, "/v1/ca");
    EXPECT_EQ(wrong_method.route, nullptr);
    EXPECT_TRUE(wrong_method.other_method);
}

TEST(Router, ParameterIsOneNonEmptySegment) {
    const Router router = table();
    EXPECT_EQ(router.find(http::verb::get, "/v1/requests/").route, nullptr);
    EXPECT_EQ(router.find(http::verb::get, "/v1/requests/1/2").route, nullptr);
    EXPECT_EQ(router.find(http::verb::get, "/v1/ca/").route, nullptr);
}

TEST(Router, RefusesTheSameRouteTwice) {
    Router router = table();
    EXPECT_THROW(router.add({.method = http::verb::get, .pattern = "/v1/ca", .handler = ok}), core::Error);
}

TEST(RequestContext, ReadsQueryParameters) {
    RequestContext context;
    context.query = "wait=30&format=pem&flag";
    EXPECT_EQ(context.query_parameter("wait"), "30");
    EXPECT_EQ(context.query_parameter("format"), "pem");
    EXPECT_EQ(context.query_parameter("flag"), "");
    EXPECT_FALSE(context.query_parameter("missing").has_value());
}

}  // namespace
}  // namespace certfleet::server
