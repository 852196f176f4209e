#include "api/api_client.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::api {
namespace {

core::Error error_of(const HttpReply& reply) {
    try {
        throw_for_reply(reply, "POST /v1/enroll");
    } catch (const core::Error& e) {
        return e;
    }
    return core::Error(core::ErrorCode::internal, "no error thrown");
}

TEST(ApiClient, RefusesAUrlThatIsNotHttp) {
    EXPECT_THROW(ApiClient({.server_url = "ftp://ca.example.com"}), core::Error);
}

TEST(ApiClient, TurnsAnErrorBodyBackIntoItsCodeAndMessage) {
    const core::Error e =
        error_of({.status = 403,
                  .body = R"({"error":"forbidden","message":"token: not granted","request_id":"r1"})",
                  .request_id = "r1"});
    EXPECT_EQ(e.code(), core::ErrorCode::forbidden);
    EXPECT_STREQ(e.what(), "POST /v1/enroll: token: not granted (request r1)");
}

TEST(ApiClient, FallsBackOnTheStatusForForeignBodies) {
    EXPECT_EQ(error_of({.status = 503, .body = "<html>busy</html>"}).code(), core::ErrorCode::unavailable);
    EXPECT_EQ(error_of({.status = 413, .body = ""}).code(), core::ErrorCode::invalid_input);
    EXPECT_NO_THROW(throw_for_reply({.status = 200}, "GET /v1/ca"));
}

TEST(ApiClient, ReportsAnUnreachableServerAsUnavailable) {
    ApiClient client({.server_url = "https://127.0.0.1:1", .timeout = std::chrono::seconds(5)});
    try {
        client.get("/healthz");
        FAIL() << "reached a closed port";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unavailable);
        EXPECT_NE(std::string(e.what()).find("https://127.0.0.1:1/healthz"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace certfleet::api
