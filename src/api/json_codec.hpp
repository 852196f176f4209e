#pragma once

#include "api/messages.hpp"

#include <string>
#include <string_view>

namespace certfleet::api {

/// Each encodes one wire type as compact JSON.
std::string encode(const ErrorBody& value);
std::string encode(const HealthStatus& value);
std::string encode(const CaBundle& value);
std::string encode(const EnrollRequest& value);
std::string encode(const CsrSubmission& value);
std::string encode(const IssuedCertificate& value);
std::string encode(const RequestStatus& value);
std::string encode(const Checkin& value);
std::string encode(const ActionList& value);
std::string encode(const ActionResult& value);

/// Decodes `body` as T, ignoring unknown fields. `source` names the body in messages ("request body").
/// Throws Error(invalid_input) naming the field for malformed JSON, a missing field or a wrong type.
template <typename T>
T decode(std::string_view body, std::string_view source);

}  // namespace certfleet::api
