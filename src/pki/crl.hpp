#pragma once

#include "core/clock.hpp"
#include "pki/bytes.hpp"
#include "pki/openssl_handles.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// One entry of a CRL's revokedCertificates.
struct RevokedEntry {
    std::string serial_hex;
    core::TimePoint revoked_at;
    std::string reason;  ///< RFC 5280 5.3.1 name ("keyCompromise"), "" when absent
};

/// An X.509 certificate revocation list (RFC 5280 section 5). Move-only.
class Crl {
public:
    /// Parses DER. Throws Error(invalid_input) naming `source`.
    static Crl from_der(const Bytes& der, std::string_view source);
    /// Takes ownership of `crl`.
    explicit Crl(X509CrlPtr crl) : m_crl(std::move(crl)) {}

    /// Returns the OpenSSL CRL, still owned by this Crl.
    [[nodiscard]] X509_CRL* get() const noexcept { return m_crl.get(); }
    /// Returns the DER encoding.
    [[nodiscard]] Bytes der() const;
    /// Returns the CRL as one PEM block ("X509 CRL").
    [[nodiscard]] std::string pem() const;
    /// Returns the issuer as RFC 4514 text, most specific first (format_name).
    [[nodiscard]] std::string issuer() const;
    /// Returns thisUpdate. Throws Error(invalid_input) if it is not a valid time.
    [[nodiscard]] core::TimePoint this_update() const;
    /// Returns nextUpdate, or nullopt when the CRL has none.
    [[nodiscard]] std::optional<core::TimePoint> next_update() const;
    /// Returns the cRLNumber as decimal, or nullopt when absent.
    [[nodiscard]] std::optional<std::string> crl_number() const;
    /// Returns the revoked certificates in CRL order.
    [[nodiscard]] std::vector<RevokedEntry> revoked() const;
    /// Returns the signature algorithm's OpenSSL long name ("ecdsa-with-SHA256").
    [[nodiscard]] std::string signature_algorithm() const;

private:
    X509CrlPtr m_crl;
};

}  // namespace certfleet::pki
