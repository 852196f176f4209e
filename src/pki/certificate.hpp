#pragma once

#include "core/clock.hpp"
#include "core/utc_time.hpp"
#include "pki/bytes.hpp"
#include "pki/fingerprint.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/public_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// An extended key usage, as `openssl x509 -text` names it.
struct ExtendedKeyUsage {
    std::string short_name;  ///< "serverAuth", or the OID when OpenSSL has no name for it
    std::string long_name;   ///< "TLS Web Server Authentication"
};

/// The KeyUsage bits by RFC 5280 4.2.1.3 name, in bit order (digitalSignature is bit 0).
inline constexpr std::array<std::string_view, 9> key_usage_names{"digitalSignature",
                                                                 "nonRepudiation",
                                                                 "keyEncipherment",
                                                                 "dataEncipherment",
                                                                 "keyAgreement",
                                                                 "keyCertSign",
                                                                 "cRLSign",
                                                                 "encipherOnly",
                                                                 "decipherOnly"};

/// The basicConstraints extension (RFC 5280 4.2.1.9).
struct BasicConstraints {
    bool is_ca = false;
    std::optional<long> path_length;
    bool critical = false;
};

/// An X.509 certificate. Move-only; clone() shares the underlying X509.
///
/// Parsing leaves the public key undecoded (structure_only_context.hpp): everything an operator reads
/// (names, dates, extensions, fingerprints, key type and size) comes from the structure; the key is
/// decoded only for signature checks and chain verification, through x509().
class Certificate {
public:
    /// Parses DER. Throws Error(invalid_input) naming `source` if it is not one certificate.
    static Certificate from_der(Bytes der, std::string_view source);
    /// Returns the first certificate of PEM text. Throws Error(invalid_input) naming `source` if none.
    static Certificate from_pem(std::string_view pem, std::string_view source);
    /// Takes ownership of a fully decoded X509 (one OpenSSL built or verified).
    static Certificate from_x509(X509Ptr x509);

    Certificate(const Certificate&) = delete;
    Certificate& operator=(const Certificate&) = delete;
    Certificate(Certificate&&) noexcept = default;
    Certificate& operator=(Certificate&&) noexcept = default;
    ~Certificate() = default;
    /// Returns a second owner of the same certificate (X509_up_ref, no copy).
    [[nodiscard]] Certificate clone() const;
    /// Returns the fully decoded X509 as a new reference the caller owns: what code that signs from
    /// several threads holds, so it never touches this object's lazy cache.
    [[nodiscard]] X509Ptr share_x509() const;

    /// Returns the DER encoding exactly as read.
    [[nodiscard]] const Bytes& der() const noexcept { return m_der; }
    /// Returns the certificate as one PEM block.
    [[nodiscard]] std::string pem() const;
    /// Returns the subject as RFC 4514 text, most specific first (format_name).
    [[nodiscard]] std::string subject() const;
    /// Returns the issuer as RFC 4514 text, most specific first (format_name).
    [[nodiscard]] std::string issuer() const;
    /// Returns the subject's last commonName, or "" if it has none.
    [[nodiscard]] std::string subject_common_name() const;
    /// Returns the issuer's last commonName, or "" if it has none.
    [[nodiscard]] std::string issuer_common_name() const;
    /// Returns the serial number as lower-case hex without separators ("0a1b...").
    [[nodiscard]] std::string serial_hex() const;
    /// Returns notBefore. Throws Error(invalid_input) if it is not a valid time.
    [[nodiscard]] core::TimePoint not_before() const;
    /// Returns notAfter. Throws Error(invalid_input) if it is not a valid time.
    [[nodiscard]] core::TimePoint not_after() const;
    /// Returns true if `at` lies within [notBefore, notAfter].
    [[nodiscard]] bool is_valid_at(core::TimePoint at) const {
        return at >= not_before() && at <= not_after();
    }
    /// Returns the subjectAltName entries in certificate order (empty when absent).
    [[nodiscard]] std::vector<GeneralName> subject_alt_names() const;
    /// Returns the keyUsage bits by RFC 5280 name ("digitalSignature", "keyCertSign"...).
    [[nodiscard]] std::vector<std::string> key_usage() const;
    /// Returns the extendedKeyUsage purposes in certificate order (empty when absent).
    [[nodiscard]] std::vector<ExtendedKeyUsage> extended_key_usage() const;
    /// Returns basicConstraints, or nullopt when the extension is absent.
    [[nodiscard]] std::optional<BasicConstraints> basic_constraints() const;
    /// Returns true if basicConstraints is present with cA set.
    [[nodiscard]] bool is_ca() const;
    /// Returns the signature algorithm's OpenSSL long name ("sha256WithRSAEncryption"), or "unknown".
    [[nodiscard]] std::string signature_algorithm() const;
    /// Returns the SubjectPublicKeyInfo (decoded only when asked, see PublicKey).
    [[nodiscard]] PublicKey public_key() const;
    /// Returns the key type and size, read from the SubjectPublicKeyInfo without decoding the key.
    [[nodiscard]] KeyDescription key_description() const;
    /// Returns the fingerprint of the DER as OpenSSL prints it ("AB:CD:...").
    [[nodiscard]] std::string fingerprint(DigestAlgorithm algorithm) const;
    /// Returns the subjectKeyIdentifier as hex ("" when absent).
    [[nodiscard]] std::string subject_key_id() const;
    /// Returns the authorityKeyIdentifier's keyIdentifier as hex ("" when absent).
    [[nodiscard]] std::string authority_key_id() const;
    /// Returns true if issuer equals subject and the certificate's signature verifies with its own key.
    [[nodiscard]] bool is_self_signed() const;
    /// Returns true if `issuer` names this certificate's issuer and its key verifies this signature.
    [[nodiscard]] bool is_issued_by(const Certificate& issuer) const;
    /// Returns true if the certificate is valid for `host` (DNS name, wildcards per RFC 6125, or IP).
    [[nodiscard]] bool matches_host(std::string_view host) const;

    /// Returns the fully decoded X509 (public key included), decoding it on first use, for X509_STORE,
    /// signing and TLS. Borrowed: valid while this Certificate lives.
    [[nodiscard]] X509* x509() const;
    /// Returns the structure-only X509 (public key not decoded): for reading fields only.
    [[nodiscard]] const X509* structure() const noexcept { return m_structure.get(); }

private:
    Certificate(Bytes der, X509Ptr structure) : m_der(std::move(der)), m_structure(std::move(structure)) {}
    Bytes m_der;
    X509Ptr m_structure;
    mutable X509Ptr m_full;  // a cache: a Certificate is not shared between threads without clone()
};

/// Converts an ASN1_TIME (UTCTime or GeneralizedTime, years 0000-9999) to a time point. Throws
/// Error(invalid_input) naming `field` if it is not a valid time.
core::TimePoint to_time_point(const ASN1_TIME* time, std::string_view field = "time");

using core::format_time;  // RFC 3339 UTC, core/utc_time.hpp
using core::parse_time;

}  // namespace certfleet::pki
