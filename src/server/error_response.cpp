#include "server/error_response.hpp"

#include "api/json_codec.hpp"

#include <string>

namespace certfleet::server {

http::status status_for(core::ErrorCode code) noexcept {
    switch (code) {
        case core::ErrorCode::invalid_input:
            return http::status::bad_request;
        case core::ErrorCode::unauthenticated:
            return http::status::unauthorized;
        case core::ErrorCode::forbidden:
            return http::status::forbidden;
        case core::ErrorCode::not_found:
            return http::status::not_found;
        case core::ErrorCode::conflict:
            return http::status::conflict;
        case core::ErrorCode::unavailable:
            return http::status::service_unavailable;
        case core::ErrorCode::internal:
            break;
    }
    return http::status::internal_server_error;
}

HttpResponse error_response(core::ErrorCode code, std::string_view message, std::string_view request_id) {
    return error_response(status_for(code), core::to_string(code), message, request_id);
}

HttpResponse error_response(http::status status,
                            std::string_view error,
                            std::string_view message,
                            std::string_view request_id) {
    HttpResponse response{status, 11};
    response.set(http::field::content_type, "application/json");
    if (status == http::status::service_unavailable) {
        response.set(http::field::retry_after, std::to_string(retry_after_seconds));
    }
    response.body() = api::encode(api::ErrorBody{
        .error = std::string(error), .message = std::string(message), .request_id = std::string(request_id)});
    response.prepare_payload();
    return response;
}

}  // namespace certfleet::server
