#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace certfleet::pki {

class Certificate;

/// What is wrong with a certificate or chain. The names (to_string) are stable: scripts grep them, and
/// JSON output carries them.
enum class FindingCode {
    expired,                       ///< notAfter is before the validation time
    not_yet_valid,                 ///< notBefore is after the validation time
    host_mismatch,                 ///< the leaf is not valid for the expected DNS name (RFC 6125)
    ip_mismatch,                   ///< the leaf is not valid for the expected IP address
    purpose_mismatch,              ///< an extended key usage or purpose forbids the expected use
    issuer_mismatch,               ///< the leaf's issuer is not the expected one
    key_mismatch,                  ///< the private key given is not the leaf's
    csr_mismatch,                  ///< the leaf was not issued for the CSR given (key or subject)
    chain_incomplete,              ///< no issuer found for a certificate of the chain
    untrusted_root,                ///< the chain ends in a certificate that is not trusted
    signature_invalid,             ///< a signature in the chain does not verify
    revoked,                       ///< a CRL lists the certificate
    revocation_unknown,            ///< revocation was to be checked but no usable CRL was found
    expires_soon,                  ///< less validity remains than required
    path_length_exceeded,          ///< a CA's pathLenConstraint is exceeded
    chain_too_long,                ///< the chain is longer than the maximum depth allowed
    invalid_ca,                    ///< a certificate used as a CA may not be one (basicConstraints, keyUsage)
    name_constraint_violation,     ///< a name is outside a CA's nameConstraints
    policy_violation,              ///< certificate policies do not satisfy the policy constraints
    unhandled_critical_extension,  ///< a critical extension this verifier does not understand
    malformed_certificate,         ///< the certificate breaks the RFC 5280 profile (strict checks)
    weak_key,                      ///< a key is too small for the security level
    weak_signature,                ///< a signature algorithm is too weak for the security level
    chain_out_of_order,            ///< every certificate is there, but not in the order they must be given
    self_signed_leaf,              ///< the leaf is self-signed where a CA-signed certificate is required
    verification_failed,           ///< any other verification error (the message says which)
    // The server profile (server_profile.hpp): RFC 5280 and CA/Browser Forum rules OpenSSL does not check.
    serial_not_positive,              ///< a serial number is zero or negative (RFC 5280 4.1.2.2)
    serial_too_long,                  ///< a serial number has more than 20 octets (RFC 5280 4.1.2.2)
    name_constraints_in_leaf,         ///< a leaf carries nameConstraints (RFC 5280 4.2.1.10: CAs only)
    name_constraints_empty,           ///< nameConstraints with neither permitted nor excluded subtrees
    name_constraint_invalid,          ///< a dNSName constraint is not a valid DNS name
    name_constraint_leading_dot,      ///< strict: a dNSName constraint starts with "." (as openssl writes it)
    wildcard_reaches_excluded,        ///< a wildcard SAN matches names of an excluded subtree
    malformed_dns_name,               ///< a dNSName SAN is not a valid DNS name (or wildcard)
    san_missing,                      ///< strict: the leaf has no subjectAltName (CABF 7.1.2.7.12)
    san_critical_with_subject,        ///< subjectAltName is critical while the subject is not empty
    common_name_ip_not_canonical,     ///< an IP-looking commonName is not the text of a SAN IP address
    common_name_case_mismatch,        ///< the commonName equals a SAN dNSName except for letter case
    common_name_not_ascii,            ///< a domain-like commonName is not ASCII (an IDN must be A-label)
    wildcard_public_suffix,           ///< a wildcard SAN covers a whole public suffix ("*.co.uk")
    eku_empty,                        ///< extendedKeyUsage lists no purpose
    eku_critical,                     ///< the leaf's extendedKeyUsage is critical (CABF 7.1.2.7.6)
    eku_on_anchor,                    ///< the trust anchor carries extendedKeyUsage (CABF 7.1.2.1)
    eku_any_in_leaf,                  ///< strict: the leaf allows anyExtendedKeyUsage
    anchor_aki_without_key_id,        ///< a root's authorityKeyIdentifier has no keyIdentifier
    anchor_aki_mismatch,              ///< a root's authorityKeyIdentifier is not its subjectKeyIdentifier
    anchor_aki_issuer_serial,         ///< strict: a root's authorityKeyIdentifier names issuer/serial
    dsa_key,                          ///< a certificate holds a DSA key (CABF 6.1.5: RSA or ECDSA only)
    rsa_size_not_byte_multiple,       ///< an RSA modulus size is not a multiple of 8 bits (CABF 6.1.5)
    leaf_not_v3,                      ///< the leaf is not an X.509 version 3 certificate
    leaf_ca_without_cert_sign,        ///< the leaf says cA=TRUE but its keyUsage lacks keyCertSign
    malformed_aia,                    ///< authorityInfoAccess does not decode
    policy_constraints_not_critical,  ///< strict: policyConstraints is not critical (RFC 5280 4.2.1.11)
    crl_number_missing,               ///< a CRL has no cRLNumber (RFC 5280 5.2.3)
    bad_self_signature,               ///< a self-signed trust anchor's own signature does not verify
};

/// Returns the stable snake_case name of `code` ("host_mismatch").
std::string_view to_string(FindingCode code) noexcept;

/// Returns the code for an OpenSSL X509_V_ERR_* verification error; verification_failed for any the
/// table does not know.
FindingCode finding_code_for_verify_error(int error) noexcept;

/// One problem found while judging a certificate: a value, not an error (STYLE.md section 3).
struct Finding {
    FindingCode code = FindingCode::verification_failed;
    std::optional<std::size_t> certificate_index;  ///< position in the built chain, 0 = leaf
    std::string message;  ///< one line for people: "cert 0 (CN=node1): not valid for host \"node2\""

    friend bool operator==(const Finding&, const Finding&) = default;
};

/// Returns how findings name a certificate of a chain: "cert 0 (CN=node1)", or the whole subject
/// when it has no commonName.
std::string describe_certificate(std::size_t index, const Certificate& certificate);

}  // namespace certfleet::pki
