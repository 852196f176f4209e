#pragma once

// The rules of the server profile (server_profile.hpp), each one function with one finding code. A rule
// judges the certificate at `index` of its chain (0 = leaf) and returns a finding whose message is
// "cert N (CN=...): <one-line reason>", or nothing. Which certificates each rule is asked about (leaf,
// CAs, anchor) and under which profile is decided in server_profile.cpp.

#include "pki/certificate.hpp"
#include "pki/crl.hpp"
#include "pki/finding.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <optional>
#include <string>

namespace certfleet::pki {

/// What a rule returns: a finding, or nothing when the certificate passes.
using RuleResult = std::optional<Finding>;

/// Returns extension `nid` of `certificate` decoded and owned by `Ptr`; empty when absent, repeated or
/// undecodable. `critical` (optional) receives X509_get_ext_d2i's criticality (-1 absent, -2 repeated).
template <class Ptr>
Ptr decode_extension(const Certificate& certificate, int nid, int* critical = nullptr) {
    Ptr out(static_cast<typename Ptr::pointer>(
        X509_get_ext_d2i(certificate.structure(), nid, critical, nullptr)));
    ERR_clear_error();
    return out;
}

/// Returns the criticality of extension `nid`: nullopt when absent.
std::optional<bool> extension_criticality(const Certificate& certificate, int nid);

/// Returns a finding of `code` about `certificate` at `index`: "cert N (CN=...): reason".
Finding rule_finding(FindingCode code, std::size_t index, const Certificate& certificate, std::string reason);

// certificate_rules.cpp: fields and extensions of one certificate.

/// serial_not_positive: the serial number is zero or negative (RFC 5280 4.1.2.2).
RuleResult check_serial_positive(const Certificate& certificate, std::size_t index);
/// serial_too_long: the serial number's magnitude has more than 20 octets (RFC 5280 4.1.2.2).
RuleResult check_serial_length(const Certificate& certificate, std::size_t index);
/// dsa_key: the key is DSA (CABF BR 6.1.5 allows RSA and ECDSA).
RuleResult check_not_dsa(const Certificate& certificate, std::size_t index);
/// rsa_size_not_byte_multiple: an RSA modulus whose size is not a multiple of 8 (CABF BR 6.1.5).
RuleResult check_rsa_size(const Certificate& certificate, std::size_t index);
/// leaf_not_v3: the certificate is not version 3.
RuleResult check_version_3(const Certificate& certificate, std::size_t index);
/// leaf_ca_without_cert_sign: cA=TRUE with a keyUsage lacking keyCertSign (RFC 5280 4.2.1.9).
RuleResult check_ca_flag_has_cert_sign(const Certificate& certificate, std::size_t index);
/// malformed_aia: an authorityInfoAccess extension that does not decode.
RuleResult check_aia_decodes(const Certificate& certificate, std::size_t index);
/// policy_constraints_not_critical (strict): RFC 5280 4.2.1.11 "Conforming CAs MUST mark this
/// extension as critical".
RuleResult check_policy_constraints_critical(const Certificate& certificate, std::size_t index);
/// eku_empty: an extendedKeyUsage extension listing no purpose (RFC 5280 4.2.1.12: SIZE (1..MAX)).
RuleResult check_eku_not_empty(const Certificate& certificate, std::size_t index);
/// eku_critical: the leaf's extendedKeyUsage is critical (CABF BR 7.1.2.7.6).
RuleResult check_eku_not_critical(const Certificate& certificate, std::size_t index);
/// eku_on_anchor: a root carries extendedKeyUsage (CABF BR 7.1.2.1.2).
RuleResult check_anchor_without_eku(const Certificate& certificate, std::size_t index);
/// eku_any_in_leaf (strict): the leaf allows anyExtendedKeyUsage (CABF BR 7.1.2.7.10).
RuleResult check_eku_not_any(const Certificate& certificate, std::size_t index);
/// anchor_aki_without_key_id: a self-issued root's authorityKeyIdentifier lacks keyIdentifier.
RuleResult check_anchor_aki_has_key_id(const Certificate& certificate, std::size_t index);
/// anchor_aki_mismatch: a self-issued root's AKI keyIdentifier differs from its subjectKeyIdentifier.
RuleResult check_anchor_aki_matches_ski(const Certificate& certificate, std::size_t index);
/// anchor_aki_issuer_serial (strict): a root's AKI names authorityCertIssuer/SerialNumber (CABF 7.1.2.1.3).
RuleResult check_anchor_aki_key_id_only(const Certificate& certificate, std::size_t index);
/// bad_self_signature: a self-issued anchor whose signature does not verify with its own key (OpenSSL
/// trusts an anchor without checking it unless -check_ss_sig).
RuleResult check_anchor_self_signature(const Certificate& certificate, std::size_t index);
/// crl_number_missing: a CRL without cRLNumber (RFC 5280 5.2.3 "CRL issuers MUST include").
std::optional<Finding> check_crl_number(const Crl& crl);

// name_rules.cpp: the leaf's subjectAltName and commonName.

/// malformed_dns_name: a dNSName SAN that is not LDH labels (a "*" first label allowed).
RuleResult check_san_dns_names(const Certificate& certificate, std::size_t index);
/// san_missing (strict): no subjectAltName (CABF BR 7.1.2.7.12).
RuleResult check_san_present(const Certificate& certificate, std::size_t index);
/// san_critical_with_subject: subjectAltName critical while the subject is not empty (RFC 5280 4.2.1.6).
RuleResult check_san_not_critical(const Certificate& certificate, std::size_t index);
/// common_name_ip_not_canonical: an IP-looking commonName that is not the canonical text (dotted
/// decimal, RFC 5952) of a SAN iPAddress (CABF BR 7.1.4.3).
RuleResult check_common_name_ip(const Certificate& certificate, std::size_t index);
/// common_name_case_mismatch: the commonName equals a SAN dNSName except for case (CABF BR 7.1.4.3).
RuleResult check_common_name_case(const Certificate& certificate, std::size_t index);
/// common_name_not_ascii: a domain-like commonName with non-ASCII characters (must be the A-label).
RuleResult check_common_name_ascii(const Certificate& certificate, std::size_t index);
/// wildcard_public_suffix: a wildcard dNSName over an ICANN public suffix ("*.co.uk"), or with
/// `include_private`, over a private one ("*.s3.amazonaws.com"). Uses Debian's publicsuffix list.
RuleResult check_wildcard_public_suffix(const Certificate& certificate,
                                        std::size_t index,
                                        bool include_private);

// name_constraint_rules.cpp: nameConstraints.

/// name_constraints_in_leaf: a leaf carries nameConstraints (RFC 5280 4.2.1.10: only in CA certificates).
RuleResult check_leaf_without_name_constraints(const Certificate& certificate, std::size_t index);
/// name_constraints_empty: neither permittedSubtrees nor excludedSubtrees (RFC 5280 4.2.1.10).
RuleResult check_name_constraints_not_empty(const Certificate& certificate, std::size_t index);
/// name_constraint_invalid: a dNSName constraint that is not a DNS name (a leading "." aside).
RuleResult check_dns_constraints_valid(const Certificate& certificate, std::size_t index);
/// name_constraint_leading_dot (strict): a dNSName constraint with a leading "." (RFC 5280 uses none).
RuleResult check_dns_constraints_without_leading_dot(const Certificate& certificate, std::size_t index);
/// wildcard_reaches_excluded: a wildcard dNSName of `leaf` matches names inside an excluded dNSName
/// subtree of `ca` (at `ca_index`), which OpenSSL's literal comparison lets through.
RuleResult check_wildcards_outside_excluded(const Certificate& leaf,
                                            const Certificate& ca,
                                            std::size_t ca_index);

}  // namespace certfleet::pki
