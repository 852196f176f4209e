#pragma once

#include "acme/problem.hpp"
#include "core/duration.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace certfleet::acme {

/// How http-01 validation reaches a client (server configuration `acme.http01` and `acme.resolve`).
struct Http01Options {
    int port = 80;                      ///< RFC 8555 8.3 says 80; labs run certbot on a high port
    core::Seconds timeout{10};          ///< the whole fetch, redirects included
    std::size_t max_body_bytes = 8192;  ///< a key authorization is under 200 bytes
    int max_redirects = 5;
    /// Closed labs: a name pattern ("*.test" or an exact name) mapped to the address to connect to instead
    /// of asking DNS ({"*.test": "127.0.0.1"}). The Host header still carries the identifier.
    std::map<std::string, std::string> resolve;
};

/// Parses `acme.resolve` entries ("*.test=127.0.0.1"). Throws Error(invalid_input) naming `field` for a
/// pattern that is neither a name nor "*." plus a name, or an address that is not an IP literal.
std::map<std::string, std::string> parse_resolve_overrides(const std::map<std::string, std::string>& entries,
                                                           std::string_view field);

/// Fetches http://<identifier>:<port>/.well-known/acme-challenge/<token> with libcurl (RFC 8555 8.3) and
/// compares the body, trailing whitespace removed, with `key_authorization`. Redirects are followed only
/// to the same host, over http or https, up to max_redirects. Returns connection for an unreachable host,
/// a timeout, a redirect elsewhere or a status other than 200, incorrectResponse for a different or
/// oversized body (naming the byte count, never the body); nullopt when it matches. Thread-safe.
std::optional<Problem> validate_http01(std::string_view identifier,
                                       std::string_view token,
                                       std::string_view key_authorization,
                                       const Http01Options& options);

}  // namespace certfleet::acme
