#pragma once

#include "core/clock.hpp"
#include "inventory/inventory_report.hpp"
#include "inventory/starttls.hpp"
#include "pki/certificate.hpp"
#include "pki/finding.hpp"
#include "pki/tls_client.hpp"
#include "pki/trust_store.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::inventory {

struct EndpointProbeOptions {
    std::string sni;  ///< server name sent and checked; "" = the endpoint's host (not sent if an IP)
    StartTls starttls = StartTls::none;
    std::chrono::milliseconds timeout{10000};  ///< for the TCP connect and for each read/write after it
    /// Trust anchors to verify the served chain against (borrowed); nullptr = the system's default.
    const pki::TrustStore* trust = nullptr;
    core::TimePoint at;  ///< verification time
};

/// What an endpoint served and what can be said about it.
struct EndpointReport {
    std::string endpoint;  ///< as given
    std::string address;   ///< the address connected to ("127.0.0.1:4433")
    std::string protocol;  ///< "TLSv1.3"
    std::string cipher;
    std::vector<CertificateRecord> chain;  ///< as served, leaf first
    bool verified = false;                 ///< the chain is trusted and valid (host aside)
    std::string verify_error;              ///< the message of the first finding that is not about the name
    std::string checked_host;              ///< the name the leaf was checked against
    bool host_matches = false;             ///< no host/IP mismatch
    std::vector<pki::Finding> findings;    ///< every finding of pki::verify_chain, name mismatches included,
                                           ///< and chain_out_of_order for a chain served out of order
};

/// Connects to `endpoint` (non-blocking connect bounded by the timeout, then STARTTLS if asked),
/// performs a TLS handshake with SNI, and reports the served chain, whether it verifies against the
/// trust anchors at `options.at` for a TLS server (pki::verify_chain, purpose server, the host name or
/// IP address checked too), and whether the leaf matches the host name.
/// The handshake itself does not verify, so an untrusted chain is still reported (as not verified).
/// Throws Error(unavailable) naming the endpoint if it cannot connect or the handshake fails;
/// Error(invalid_input) for a malformed endpoint.
EndpointReport probe_endpoint(std::string_view text, const EndpointProbeOptions& options);

}  // namespace certfleet::inventory
