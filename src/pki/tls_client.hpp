#pragma once

#include "pki/certificate.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// A TLS endpoint as an operator writes it: "host:port" or "[2001:db8::1]:port".
struct Endpoint {
    std::string host;
    std::string port;
};

/// Parses "host:port" / "[v6]:port". Throws Error(invalid_input) naming the text otherwise.
Endpoint parse_endpoint(std::string_view text);

/// Returns true if `host` is an IPv4 or IPv6 address rather than a name.
bool is_ip_address(const std::string& host);

struct TlsClientOptions {
    std::string sni;  ///< server name sent; "" = the endpoint's host (not sent if an IP address)
    std::chrono::milliseconds timeout{10000};  ///< for the TCP connect and for each read/write after it
    /// Runs on the connected socket before the handshake (STARTTLS); may be empty.
    std::function<void(int fd)> before_handshake;
};

/// What a TLS server sent in its handshake.
struct ServedChain {
    std::string address;   ///< the address connected to ("127.0.0.1:4433")
    std::string protocol;  ///< "TLSv1.3"
    std::string cipher;
    std::string server_name;         ///< the name sent (or the IP address connected to)
    std::vector<Certificate> chain;  ///< as served, leaf first
};

/// Connects to `endpoint` (non-blocking connect bounded by the timeout), performs a TLS handshake
/// with SNI, and returns the certificates the server sent. The handshake does not verify them (an
/// inventory must see broken servers too; pki::verify_chain judges them).
/// Throws Error(unavailable) naming the endpoint if it cannot connect, the handshake fails or no
/// certificate is served; Error(invalid_input) for a malformed endpoint.
ServedChain read_served_chain(std::string_view text, const TlsClientOptions& options);

}  // namespace certfleet::pki
