// The server profile's rules about one certificate's fields and extensions (profile_rules.hpp).
#include "pki/profile_rules.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::pki {
namespace {

bool is_self_issued(const Certificate& certificate) {
    const X509* x = certificate.structure();
    return X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
}

std::string octets_text(const ASN1_OCTET_STRING* octets) {
    std::string out;
    for (int i = 0; i < ASN1_STRING_length(octets); ++i) {
        out += fmt::format("{:02X}", ASN1_STRING_get0_data(octets)[i]);
    }
    return out;
}

}  // namespace

std::optional<bool> extension_criticality(const Certificate& certificate, int nid) {
    const int position = X509_get_ext_by_NID(certificate.structure(), nid, -1);
    if (position < 0) {
        return std::nullopt;
    }
    return X509_EXTENSION_get_critical(X509_get_ext(certificate.structure(), position)) == 1;
}

Finding rule_finding(FindingCode code,
                     std::size_t index,
                     const Certificate& certificate,
                     std::string reason) {
    return {.code = code,
            .certificate_index = index,
            .message = fmt::format("{}: {}", describe_certificate(index, certificate), reason)};
}

RuleResult check_serial_positive(const Certificate& certificate, std::size_t index) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(certificate.structure());
    const unsigned char* bytes = ASN1_STRING_get0_data(serial);
    const auto length = static_cast<std::size_t>(ASN1_STRING_length(serial));
    if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) {
        return rule_finding(
            FindingCode::serial_not_positive, index, certificate, "serial number is negative");
    }
    if (std::all_of(bytes, bytes + length, [](unsigned char b) { return b == 0; })) {
        return rule_finding(FindingCode::serial_not_positive, index, certificate, "serial number is zero");
    }
    return std::nullopt;
}

RuleResult check_serial_length(const Certificate& certificate, std::size_t index) {
    // ASN1_INTEGER holds the magnitude without the sign octet DER may need, which RFC 5280 4.1.2.2
    // does not count either: "Conforming CAs MUST NOT use serialNumber values longer than 20 octets."
    const int length = ASN1_STRING_length(X509_get0_serialNumber(certificate.structure()));
    if (length > 20) {
        return rule_finding(FindingCode::serial_too_long,
                            index,
                            certificate,
                            fmt::format("serial number is {} octets long (at most 20)", length));
    }
    return std::nullopt;
}

RuleResult check_not_dsa(const Certificate& certificate, std::size_t index) {
    if (certificate.key_description().algorithm == "DSA") {
        return rule_finding(
            FindingCode::dsa_key, index, certificate, "DSA key (TLS servers use RSA or ECDSA)");
    }
    return std::nullopt;
}

RuleResult check_rsa_size(const Certificate& certificate, std::size_t index) {
    const KeyDescription key = certificate.key_description();
    if (key.algorithm.starts_with("RSA") && key.bits % 8 != 0) {
        return rule_finding(FindingCode::rsa_size_not_byte_multiple,
                            index,
                            certificate,
                            fmt::format("RSA modulus of {} bits is not a multiple of 8", key.bits));
    }
    return std::nullopt;
}

RuleResult check_version_3(const Certificate& certificate, std::size_t index) {
    const long version = X509_get_version(certificate.structure());
    if (version != X509_VERSION_3) {
        return rule_finding(FindingCode::leaf_not_v3,
                            index,
                            certificate,
                            fmt::format("X.509 version {}, not 3", version + 1));
    }
    return std::nullopt;
}

RuleResult check_ca_flag_has_cert_sign(const Certificate& certificate, std::size_t index) {
    if (!certificate.is_ca() || X509_get_ext_by_NID(certificate.structure(), NID_key_usage, -1) < 0) {
        return std::nullopt;
    }
    const std::vector<std::string> usages = certificate.key_usage();
    if (std::find(usages.begin(), usages.end(), "keyCertSign") == usages.end()) {
        return rule_finding(FindingCode::leaf_ca_without_cert_sign,
                            index,
                            certificate,
                            "basicConstraints cA=TRUE but keyUsage lacks keyCertSign");
    }
    return std::nullopt;
}

RuleResult check_aia_decodes(const Certificate& certificate, std::size_t index) {
    int critical = -1;
    const auto aia = decode_extension<AuthorityInfoAccessPtr>(certificate, NID_info_access, &critical);
    // X509_get_ext_d2i: NULL with criticality 0/1 means present but undecodable; -2 means repeated.
    if (!aia && critical != -1) {
        return rule_finding(
            FindingCode::malformed_aia,
            index,
            certificate,
            critical == -2 ? "authorityInfoAccess appears twice" : "authorityInfoAccess does not decode");
    }
    return std::nullopt;
}

RuleResult check_policy_constraints_critical(const Certificate& certificate, std::size_t index) {
    if (extension_criticality(certificate, NID_policy_constraints) == false) {
        return rule_finding(FindingCode::policy_constraints_not_critical,
                            index,
                            certificate,
                            "policyConstraints is not critical");
    }
    return std::nullopt;
}

RuleResult check_eku_not_empty(const Certificate& certificate, std::size_t index) {
    int critical = -1;
    const auto eku = decode_extension<ExtendedKeyUsagePtr>(certificate, NID_ext_key_usage, &critical);
    if (critical != -1 && (!eku || sk_ASN1_OBJECT_num(eku.get()) == 0)) {
        return rule_finding(FindingCode::eku_empty, index, certificate, "extendedKeyUsage lists no purpose");
    }
    return std::nullopt;
}

RuleResult check_eku_not_critical(const Certificate& certificate, std::size_t index) {
    if (extension_criticality(certificate, NID_ext_key_usage) == true) {
        return rule_finding(FindingCode::eku_critical, index, certificate, "extendedKeyUsage is critical");
    }
    return std::nullopt;
}

RuleResult check_anchor_without_eku(const Certificate& certificate, std::size_t index) {
    if (is_self_issued(certificate) && extension_criticality(certificate, NID_ext_key_usage)) {
        return rule_finding(
            FindingCode::eku_on_anchor, index, certificate, "root certificate carries extendedKeyUsage");
    }
    return std::nullopt;
}

RuleResult check_eku_not_any(const Certificate& certificate, std::size_t index) {
    for (const ExtendedKeyUsage& eku : certificate.extended_key_usage()) {
        if (eku.short_name == "anyExtendedKeyUsage") {
            return rule_finding(FindingCode::eku_any_in_leaf,
                                index,
                                certificate,
                                "extendedKeyUsage allows anyExtendedKeyUsage");
        }
    }
    return std::nullopt;
}

RuleResult check_anchor_aki_has_key_id(const Certificate& certificate, std::size_t index) {
    const auto aki = decode_extension<AuthorityKeyIdPtr>(certificate, NID_authority_key_identifier);
    if (aki && is_self_issued(certificate) && aki->keyid == nullptr) {
        return rule_finding(FindingCode::anchor_aki_without_key_id,
                            index,
                            certificate,
                            "root's authorityKeyIdentifier has no keyIdentifier");
    }
    return std::nullopt;
}

RuleResult check_anchor_aki_matches_ski(const Certificate& certificate, std::size_t index) {
    const auto aki = decode_extension<AuthorityKeyIdPtr>(certificate, NID_authority_key_identifier);
    if (!aki || aki->keyid == nullptr || !is_self_issued(certificate)) {
        return std::nullopt;
    }
    const auto ski = decode_extension<Asn1OctetStringPtr>(certificate, NID_subject_key_identifier);
    if (!ski || ASN1_OCTET_STRING_cmp(ski.get(), aki->keyid) != 0) {
        return rule_finding(FindingCode::anchor_aki_mismatch,
                            index,
                            certificate,
                            fmt::format("root's authorityKeyIdentifier {} is not its subjectKeyIdentifier {}",
                                        octets_text(aki->keyid),
                                        ski ? octets_text(ski.get()) : "(none)"));
    }
    return std::nullopt;
}

RuleResult check_anchor_aki_key_id_only(const Certificate& certificate, std::size_t index) {
    const auto aki = decode_extension<AuthorityKeyIdPtr>(certificate, NID_authority_key_identifier);
    if (aki && is_self_issued(certificate) && (aki->issuer != nullptr || aki->serial != nullptr)) {
        return rule_finding(FindingCode::anchor_aki_issuer_serial,
                            index,
                            certificate,
                            "root's authorityKeyIdentifier names authorityCertIssuer or SerialNumber");
    }
    return std::nullopt;
}

RuleResult check_anchor_self_signature(const Certificate& certificate, std::size_t index) {
    if (!is_self_issued(certificate)) {
        return std::nullopt;
    }
    // A self-issued anchor signed by another key of the same name (a renewed root) is not self-signed:
    // only a key identifier that matches makes the signature ours to check.
    const auto aki = decode_extension<AuthorityKeyIdPtr>(certificate, NID_authority_key_identifier);
    const auto ski = decode_extension<Asn1OctetStringPtr>(certificate, NID_subject_key_identifier);
    if (aki && aki->keyid != nullptr && ski && ASN1_OCTET_STRING_cmp(ski.get(), aki->keyid) != 0) {
        return std::nullopt;
    }
    X509* x = certificate.x509();
    EVP_PKEY* key = X509_get0_pubkey(x);
    const int verified = key == nullptr ? -1 : X509_verify(x, key);
    ERR_clear_error();
    if (verified != 1) {
        return rule_finding(FindingCode::bad_self_signature,
                            index,
                            certificate,
                            "self-signed anchor's signature does not verify with its own key");
    }
    return std::nullopt;
}

std::optional<Finding> check_crl_number(const Crl& crl) {
    if (X509_CRL_get_ext_by_NID(crl.get(), NID_crl_number, -1) < 0) {
        return Finding{.code = FindingCode::crl_number_missing,
                       .message = fmt::format("CRL of {}: no cRLNumber extension", crl.issuer())};
    }
    return std::nullopt;
}

}  // namespace certfleet::pki
