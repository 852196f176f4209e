#pragma once
// server/ owns the transport of `certfleet serve`: TLS (with optional client certificates), HTTP
// parsing and limits, routing, authentication of client certificates, metrics, logs and the worker
// pool. It decides nothing about certificates: handlers decode, call authority/ or enrollment/, encode.

#include "core/clock.hpp"
#include "server/asio.hpp"

#include <optional>
#include <string>

namespace certfleet::server {

/// The client certificate a connection presented, verified against the CA at the handshake (an expired
/// leaf passes the handshake so that it can be refused with a 401 that says why).
struct ClientCertificate {
    std::string serial_hex;   ///< lower-case hex, the store's key
    std::string subject;      ///< RFC 2253
    std::string common_name;  ///< the subject's commonName: a node's name
    bool client_auth = true;  ///< the certificate allows TLS client authentication (EKU clientAuth or none)
    core::TimePoint not_after;
};

/// Who is calling, once authenticate() accepted the certificate (absent: an anonymous caller).
struct Caller {
    std::optional<ClientCertificate> certificate;
};

/// One request as a handler sees it.
struct RequestContext {
    const HttpRequest* request = nullptr;
    std::string path;       ///< the target without its query
    std::string query;      ///< after '?', undecoded
    std::string parameter;  ///< the {id} segment of the route pattern, when it has one
    std::string request_id;
    std::string peer;  ///< "127.0.0.1:54321"
    Caller caller;

    /// Returns the value of query parameter `name`, or nullopt.
    [[nodiscard]] std::optional<std::string> query_parameter(std::string_view name) const;
};

}  // namespace certfleet::server
