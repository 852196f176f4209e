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

    [[nodiscard]] X509_CRL* get() const noexcept { return m_crl.get(); }
    [[nodiscard]] Bytes der() const;
    [[nodiscard]] std::string pem() const;
    [[nodiscard]] std::string issuer() const;
    [[nodiscard]] core::TimePoint this_update() const;
    [[nodiscard]] std::optional<core::TimePoint> next_update() const;
    /// Returns the cRLNumber as decimal, or nullopt when absent.
    [[nodiscard]] std::optional<std::string> crl_number() const;
    [[nodiscard]] std::vector<RevokedEntry> revoked() const;
    [[nodiscard]] std::string signature_algorithm() const;

private:
    X509CrlPtr m_crl;
};

}  // namespace certfleet::pki
