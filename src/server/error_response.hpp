#pragma once

#include "core/error.hpp"
#include "server/asio.hpp"

#include <string_view>

namespace certfleet::server {

/// Returns the HTTP status of `code` (STYLE.md section 5): invalid_input 400, unauthenticated 401,
/// forbidden 403, not_found 404, conflict 409, unavailable 503, internal 500.
http::status status_for(core::ErrorCode code) noexcept;

/// Returns the error response every route answers with: the status of `code` and the body
/// {"error": "<code name>", "message": ..., "request_id": ...}; 503 also carries Retry-After.
HttpResponse error_response(core::ErrorCode code, std::string_view message, std::string_view request_id);

/// Returns an error response with a status no ErrorCode has (405, 413, 431): `error` names it in the body.
HttpResponse error_response(http::status status,
                            std::string_view error,
                            std::string_view message,
                            std::string_view request_id);

/// Seconds a client should wait before retrying after a 503.
inline constexpr int retry_after_seconds = 1;

}  // namespace certfleet::server
