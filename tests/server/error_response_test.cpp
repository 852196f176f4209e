#include "server/error_response.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace certfleet::server {
namespace {

using core::ErrorCode;

TEST(ErrorResponse, MapsEveryErrorCodeToItsStatus) {
    const std::vector<std::pair<ErrorCode, unsigned>> table{{ErrorCode::invalid_input, 400},
                                                            {ErrorCode::unauthenticated, 401},
                                                            {ErrorCode::forbidden, 403},
                                                            {ErrorCode::not_found, 404},
                                                            {ErrorCode::conflict, 409},
                                                            {ErrorCode::unavailable, 503},
                                                            {ErrorCode::internal, 500}};
    for (const auto& [code, status] : table) {
        EXPECT_EQ(static_cast<unsigned>(status_for(code)), status) << core::to_string(code);
    }
}

TEST(ErrorResponse, BodyNamesTheCodeTheMessageAndTheRequest) {
    const HttpResponse response =
        error_response(ErrorCode::forbidden, "token: not granted for DNS:x", "abc123");
    EXPECT_EQ(response.result_int(), 403U);
    EXPECT_EQ(response[http::field::content_type], "application/json");
    const auto body = nlohmann::json::parse(response.body());
    EXPECT_EQ(body["error"], "forbidden");
    EXPECT_EQ(body["message"], "token: not granted for DNS:x");
    EXPECT_EQ(body["request_id"], "abc123");
}

TEST(ErrorResponse, UnavailableTellsTheClientWhenToRetry) {
    const HttpResponse response = error_response(ErrorCode::unavailable, "store not reachable", "r");
    EXPECT_EQ(response.result_int(), 503U);
    EXPECT_EQ(response[http::field::retry_after], std::to_string(retry_after_seconds));
    EXPECT_TRUE(error_response(ErrorCode::forbidden, "x", "r")[http::field::retry_after].empty());
}

}  // namespace
}  // namespace certfleet::server
