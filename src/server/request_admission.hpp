#pragma once

#include "api/protocol.hpp"
#include "server/request_context.hpp"

#include <openssl/types.h>

#include <optional>
#include <string>

namespace certfleet::server {

struct Route;
struct ServerCore;

/// What the server settles about a request before its handler runs, and the run itself.

/// A fresh random request id (16 hex digits).
std::string new_request_id();

/// The request's id: the client's X-Request-Id when it is tidy (1-64 of [A-Za-z0-9._-], a load
/// balancer's), else a fresh random one. Every log line and error answer carries it.
std::string request_id_for(const HttpRequest& request);

/// The certificate the client presented on `ssl` (nullopt: none); a certificate whose dates cannot be
/// read gives an empty serial, which authentication refuses.
std::optional<ClientCertificate> peer_certificate(SSL* ssl);

/// Refuses (invalid_input) an agent older than `minimum`, so agents and servers upgrade one at a time; a
/// request without the version header (curl, generic clients) passes.
void check_client_version(const HttpRequest& request, const api::Version& minimum);

/// Authenticates the caller's certificate, when there is one, and runs `route`'s handler; an error is
/// the answer its code maps to (an internal one is logged and answered without its text).
HttpResponse run_handler(const Route& route, const RequestContext& context, ServerCore& core);

}  // namespace certfleet::server
