#pragma once

#include "pki/bytes.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/private_key.hpp"
#include "pki/public_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// The extended key usages an operator asks for by word.
enum class KeyPurpose { server, client };

/// Parses "server,client" (also "serverAuth", "clientAuth"). Throws Error(invalid_input) naming `field`.
std::vector<KeyPurpose> parse_key_purposes(std::string_view text, std::string_view field);

/// What a new CSR asks for.
struct CsrRequest {
    std::string subject;  ///< "CN=node1,O=Acme" or "/O=Acme/CN=node1"
    std::vector<GeneralName> subject_alt_names;
    std::vector<KeyPurpose> purposes;
};

/// A PKCS#10 certificate signing request (RFC 2986). Move-only.
class Csr {
public:
    /// Builds and signs a CSR with `key` (SHA-256 for RSA/EC; Ed25519 signs the message itself).
    /// Throws Error(invalid_input) for an invalid subject or names.
    static Csr create(const CsrRequest& request, const PrivateKey& key);
    /// Parses DER. Throws Error(invalid_input) naming `source`.
    static Csr from_der(const Bytes& der, std::string_view source);
    /// Returns the first CSR of PEM text. Throws Error(invalid_input) naming `source` if none.
    static Csr from_pem(std::string_view pem, std::string_view source);

    /// Returns the OpenSSL request, still owned by this Csr.
    [[nodiscard]] X509_REQ* get() const noexcept { return m_req.get(); }
    /// Returns the DER encoding.
    [[nodiscard]] Bytes der() const;
    /// Returns the CSR as one PEM block ("CERTIFICATE REQUEST").
    [[nodiscard]] std::string pem() const;
    /// Returns the subject as RFC 4514 text, most specific first (format_name).
    [[nodiscard]] std::string subject() const;
    /// Returns the subject's last commonName, or "" if it has none.
    [[nodiscard]] std::string subject_common_name() const;
    /// Returns the requested subjectAltName entries (empty when none are requested).
    [[nodiscard]] std::vector<GeneralName> subject_alt_names() const;
    /// Returns the requested extended key usages' short names ("serverAuth").
    [[nodiscard]] std::vector<std::string> requested_extended_key_usage() const;
    /// Returns the SubjectPublicKeyInfo the CSR carries.
    [[nodiscard]] PublicKey public_key() const;
    /// Returns the signature algorithm's OpenSSL long name ("ecdsa-with-SHA256").
    [[nodiscard]] std::string signature_algorithm() const;
    /// Returns true if the CSR is signed by the key it carries (proof of possession).
    [[nodiscard]] bool has_valid_signature() const;

private:
    explicit Csr(X509ReqPtr req) : m_req(std::move(req)) {}
    X509ReqPtr m_req;
};

}  // namespace certfleet::pki
