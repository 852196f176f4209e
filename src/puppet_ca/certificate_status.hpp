#pragma once

#include "core/clock.hpp"
#include "pki/bytes.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::puppet_ca {

/// A certname's state as puppetserver names it.
enum class CertificateState {
    requested,  ///< a pending request
    /// "signed": a certificate that is not revoked
    signed_,  // NOLINT(readability-identifier-naming): "signed" is a keyword
    revoked,
};

/// Returns "requested", "signed" or "revoked".
std::string_view to_string(CertificateState state) noexcept;

/// Parses the body of PUT certificate_status/NAME, `{"desired_state":"signed"|"revoked"}`.
/// Throws Error(invalid_input) with puppetserver's words for anything else.
CertificateState parse_desired_state(std::string_view body, std::string_view certname);

/// What GET certificate_status/NAME tells about one certname: its certificate, or its pending request.
struct CertificateStatus {
    std::string name;
    CertificateState state = CertificateState::requested;
    pki::Bytes der;                              ///< the certificate's DER, or the CSR's while requested
    std::vector<std::string> subject_alt_names;  ///< "DNS:agent1.example.com", "IP:10.0.0.1"
    std::string serial_hex;                      ///< "" while requested
    std::optional<core::TimePoint> not_before;   ///< absent while requested
    std::optional<core::TimePoint> not_after;
};

/// Returns puppetserver's JSON object for `status`: name, state, fingerprint and fingerprints (SHA1,
/// SHA256, SHA512, default = SHA256; colon-separated upper-case hex of the DER), dns_alt_names (the DNS
/// names), subject_alt_names, authorization_extensions ({}: certfleet signs none), and once signed
/// serial_number (a JSON integer, as puppetserver writes it, however long), not_before and not_after
/// ("2026-12-01T01:00:00UTC").
std::string status_json(const CertificateStatus& status);

/// Returns the JSON array of GET certificate_statuses/any.
std::string statuses_json(const std::vector<CertificateStatus>& statuses);

}  // namespace certfleet::puppet_ca
